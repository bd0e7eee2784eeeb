-- LSOA (2011) -> MSOA -> local authority -> region -> police force, from the ONS-derived lookup.
-- Police_force is the Home Office force name; it is blank for some LSOAs in the source.
select
    trim("LSOA Code")              as lsoa_code,
    trim("LSOA Name")              as lsoa_name,
    trim("MSOA Code")              as msoa_code,
    trim("MSOA Name")              as msoa_name,
    trim("Local authority code")   as la_code,
    trim("Local authority name")   as la_name,
    trim("Region code")            as region_code,
    trim("Region name")            as region_name,
    nullif(trim("Police_force"), '') as home_office_force_name
from read_csv(getvariable('lsoa_lookup_csv'), header = true, all_varchar = true)
