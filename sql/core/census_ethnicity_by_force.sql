-- Census 2021 usual residents per force area in the five ethnic groups used for stop and search
-- (White, Black, Asian, Mixed, Other), summed from local authorities.
with local_authority_force as (
    select distinct la_code, force_code
    from core.dim_geography
    where force_code is not null
)

select
    authorities.force_code,
    census.ethnic_group,
    sum(census.persons) as persons,
    count(distinct census.la_code) as local_authorities
from landed.census_ethnicity as census
inner join local_authority_force as authorities using (la_code)
group by all
order by authorities.force_code, census.ethnic_group
