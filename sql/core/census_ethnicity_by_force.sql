-- Census 2021 usual residents per force area in the five ethnic groups used for stop and search
-- (White, Black, Asian, Mixed, Other), summed from local authorities. Census 2021 publishes by the
-- 2021-22 districts (E06000061 North Northamptonshire, E07000163 Craven, ...): core.dim_local_authority
-- holds every district code, old or current, once with its force, so each authority counts once.
select
    authorities.force_code,
    census.ethnic_group,
    sum(census.persons) as persons,
    count(distinct census.la_code) as local_authorities
from landed.census_ethnicity as census
inner join core.dim_local_authority as authorities using (la_code)
where authorities.force_code is not null
group by all
order by authorities.force_code, census.ethnic_group
