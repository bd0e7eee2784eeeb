-- The named areas a force's board reports on (reference/priority-areas.csv: impact areas, a city
-- centre), one row per area and 2011 LSOA, with the LSOA's name, district and force area from
-- core.dim_geography. The board paper's shares of crimes in an area are counted through it; the
-- asset check dim_priority_area_lsoas_in_force holds every LSOA to the lookup and to its force.
select
    areas.force_code,
    areas.area_name,
    areas.lsoa_code,
    geography.lsoa_name,
    geography.la_name_current,
    geography.force_code              as lsoa_force_code,
    geography.lsoa_code is not null   as is_lsoa_known
from stg_priority_areas as areas
left join core.dim_geography as geography using (lsoa_code)
order by areas.force_code, areas.area_name, areas.lsoa_code
