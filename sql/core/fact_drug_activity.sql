-- Drug and county lines activity: disruptions, county line closures, arrests and charges.
-- "Positive drug disruptions" are both disruption types (SOURCES.md).
select
    force_code,
    cast(date_trunc('month', cast(activity_date as date)) as date) as month,
    activity_reference,
    cast(activity_date as date)                                     as activity_date,
    activity_type,
    activity_type in ('Drug disruption', 'County line disruption')  as is_positive_disruption,
    cast(arrests as integer)                                        as arrests,
    cast(charges as integer)                                        as charges,
    source_file,
    source_row
from landed.drug_activity
