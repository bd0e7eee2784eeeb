-- The force reference table as kept in reference/forces.csv: one row per territorial force plus BTP.
select
    trim(force_code)             as force_code,
    trim(slug)                   as slug,
    trim(force_name)             as force_name,
    trim(home_office_force_name) as home_office_force_name,
    trim(ons_area_name)          as ons_area_name,
    nullif(trim(region_code), '') as region_code,
    nullif(trim(region_name), '') as region_name,
    nullif(trim(country), '')     as country
from read_csv(getvariable('forces_csv'), header = true, all_varchar = true)
