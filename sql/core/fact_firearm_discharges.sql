-- Firearm discharges, one row per discharge, typed from the validated log.
select
    force_code,
    cast(date_trunc('month', cast(discharge_date as date)) as date) as month,
    incident_reference,
    cast(discharge_date as date)           as discharge_date,
    lsoa_code,
    weapon_type,
    injury,
    injury in ('Non-fatal', 'Fatal')       as is_injury,
    injury = 'Fatal'                       as is_fatal,
    gang_related = 'Y'                     as is_gang_related,
    drugs_related = 'Y'                    as is_drugs_related,
    source_file,
    source_row
from landed.firearm_discharges
