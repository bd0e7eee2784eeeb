-- data.police.uk street-level crime and anti-social behaviour as published for each force.
-- A force's file includes crimes it recorded outside its own area: is_out_of_area says so (null
-- where the LSOA is missing or not in the lookup).
select
    force_code,
    month,
    crime_id,
    crime_type,
    is_anti_social_behaviour,
    last_outcome_category,
    lsoa_code,
    lsoa_name,
    lsoa_force_code,
    is_out_of_area,
    longitude,
    latitude,
    location,
    reported_by,
    falls_within,
    context,
    source_file,
    source_row
from landed.street_crime
