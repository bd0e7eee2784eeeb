-- data.police.uk street-level crime and anti-social behaviour as published for each force.
-- A force's file includes crimes it recorded outside its own area: lsoa_force_code is the force area
-- of the row's LSOA, from core.dim_geography (the LSOA's district's force area, ONS district to PFA
-- lookup), and is_out_of_area says whether it differs from the file's force (both null where the
-- LSOA is missing or not in core.dim_geography).
select
    crimes.force_code,
    crimes.month,
    crimes.crime_id,
    crimes.crime_type,
    crimes.is_anti_social_behaviour,
    crimes.last_outcome_category,
    crimes.lsoa_code,
    crimes.lsoa_name,
    geography.force_code                      as lsoa_force_code,
    geography.force_code <> crimes.force_code as is_out_of_area,
    crimes.longitude,
    crimes.latitude,
    crimes.location,
    crimes.reported_by,
    crimes.falls_within,
    crimes.context,
    crimes.source_file,
    crimes.source_row
from landed.street_crime as crimes
left join core.dim_geography as geography
    on geography.lsoa_code = crimes.lsoa_code
