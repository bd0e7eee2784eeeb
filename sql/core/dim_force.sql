-- Conformed force dimension. Every table in the warehouse keys forces by force_code, the ONS PFA
-- code (E23000014 for West Midlands); British Transport Police has no PFA code and is 'BTP'.
select
    force_code,
    slug,
    force_name,
    home_office_force_name,
    ons_area_name,
    region_code,
    region_name,
    country,
    force_code = 'BTP' as is_non_territorial
from stg_forces
