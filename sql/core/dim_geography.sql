-- Geography dimension: LSOA -> local authority -> force area.
-- The lookup leaves the force blank for some LSOAs; a local authority lies within one force area,
-- so those take the force of the other LSOAs of their local authority.
with lookup as (
    select * from stg_lsoa_lookup
),

la_force as (
    select la_code, mode(home_office_force_name) as home_office_force_name
    from lookup
    where home_office_force_name is not null
    group by la_code
),

resolved as (
    select
        lookup.* exclude (home_office_force_name),
        coalesce(lookup.home_office_force_name, la_force.home_office_force_name) as home_office_force_name,
        lookup.home_office_force_name is null as force_inferred_from_la
    from lookup
    left join la_force using (la_code)
)

select
    resolved.lsoa_code,
    resolved.lsoa_name,
    resolved.msoa_code,
    resolved.msoa_name,
    resolved.la_code,
    resolved.la_name,
    resolved.region_code,
    resolved.region_name,
    dim_force.force_code,
    resolved.force_inferred_from_la
from resolved
left join core.dim_force as dim_force using (home_office_force_name)
