-- Census usual residents per force area in the five ethnic groups used for stop and search (White,
-- Black, Asian, Mixed, Other), summed from local authorities, for each census delivered (2011, 2021).
-- Each census publishes by its own districts (2011: E07000163 Craven; 2021: E06000061 North
-- Northamptonshire, ...): core.dim_local_authority holds every district code, old or current, once with
-- its force, so each authority counts once.
select
    census.census_year,
    authorities.force_code,
    census.ethnic_group,
    sum(census.persons) as persons,
    count(distinct census.la_code) as local_authorities
from landed.census_ethnicity as census
inner join core.dim_local_authority as authorities using (la_code)
where authorities.force_code is not null
group by all
order by census.census_year, authorities.force_code, census.ethnic_group
