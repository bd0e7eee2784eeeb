-- Force-area populations per mid-year, summed from the local authorities of each force area
-- (core.dim_local_authority: every district code of any year's estimates, once, with its force).
-- Under 25 is ages 0 to 24.
with local_authority_force as (
    select la_code, force_code
    from core.dim_local_authority
    where force_code is not null
)

select
    population.mid_year,
    authorities.force_code,
    sum(population.persons)                                               as persons,
    sum(population.persons) filter (where population.age <> '90+'
                                      and try_cast(population.age as integer) < 25) as persons_under_25,
    count(distinct population.area_code)                                  as local_authorities
from core.population_by_age as population
inner join local_authority_force as authorities on authorities.la_code = population.area_code
group by all
order by population.mid_year, authorities.force_code
