-- reference/priority-areas.csv as kept by the force: one row per named area and 2011 LSOA.
select
    trim(force_code) as force_code,
    trim(area_name)  as area_name,
    trim(lsoa_code)  as lsoa_code
from read_csv(getvariable('priority_areas_csv'), header = true, all_varchar = true)
