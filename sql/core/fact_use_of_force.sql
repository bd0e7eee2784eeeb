-- Uses of force, one row per subject, typed from the validated monthly records: an incident with two
-- subjects has two rows with the same incident_reference. Flags are true (Y), false (N) or null
-- (empty: unknown, never counted as N).
select
    force_code,
    cast(date_trunc('month', cast(incident_date as date)) as date) as month,
    incident_reference,
    cast(incident_date as date)                                     as incident_date,
    subject_age_band,
    subject_ethnicity,
    tactic,
    case subject_injured when 'Y' then true when 'N' then false end           as is_subject_injured,
    case subject_seriously_injured when 'Y' then true when 'N' then false end as is_subject_seriously_injured,
    case bwv_recorded when 'Y' then true when 'N' then false end              as is_bwv_recorded,
    source_file,
    source_row
from landed.use_of_force
