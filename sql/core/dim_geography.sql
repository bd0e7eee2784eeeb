-- Geography dimension: every 2011 LSOA of England and Wales -> MSOA -> local authority -> force area.
-- England comes from the LSOA lookup (with its 2011-era district codes), Wales from the ONS LSOA
-- (Dec 2011) codes and names, whose district is named in the LSOA name. An LSOA's force is always
-- its district's force area (core.dim_local_authority, from the ONS district to PFA lookup): the
-- lookup's own force column is blank for 53 districts and has no Welsh rows, and a force area is
-- made of whole districts. force_inferred_from_la marks the LSOAs the lookup gives no force for.
with england as (
    select
        lsoa_code,
        lsoa_name,
        msoa_code,
        msoa_name,
        la_code,
        la_name,
        region_code,
        region_name,
        home_office_force_name is null as force_inferred_from_la
    from stg_lsoa_lookup
),

-- the Welsh MSOA codes are not in the ONS LSOA file; Wales is its own region-level area (W92000004)
wales as (
    select
        wales.lsoa_code,
        wales.lsoa_name,
        cast(null as varchar) as msoa_code,
        wales.msoa_name,
        authorities.la_code,
        authorities.la_name,
        'W92000004'           as region_code,
        'Wales'               as region_name,
        true                  as force_inferred_from_la
    from stg_lsoa_wales as wales
    left join core.dim_local_authority as authorities
        on authorities.is_current
        and authorities.la_code like 'W%'
        and authorities.la_name = wales.la_name
),

lsoas as (
    select * from england
    union all by name
    select * from wales
)

select
    lsoas.lsoa_code,
    lsoas.lsoa_name,
    lsoas.msoa_code,
    lsoas.msoa_name,
    lsoas.la_code,
    lsoas.la_name,
    authorities.la_code_current,
    authorities.la_name_current,
    lsoas.region_code,
    lsoas.region_name,
    authorities.force_code,
    lsoas.force_inferred_from_la
from lsoas
left join core.dim_local_authority as authorities using (la_code)
