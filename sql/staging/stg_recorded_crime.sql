-- The crime extracts of a run's months as validated, typed. The source relation is the view the load asset
-- makes over scratch.validated_crime_extracts (the refused files left out); every value already passed the
-- GX suite, so casts here cannot fail.
with source as (
    select * from validated_crime_extracts
)

select
    force_code,
    crime_reference,
    cast(recorded_date as date)                 as recorded_date,
    cast(committed_date as date)                as committed_date,
    ho_offence_code                             as offence_code,
    offence_description,
    lsoa_code,
    cast(victim_age as integer)                 as victim_age,
    -- optional column: null both where the suspect's age is unknown and where the file had no such
    -- column; is_suspect_age_supplied tells the two apart (true when the file had the column)
    cast(suspect_age as integer)                as suspect_age,
    suspect_age_supplied = 'Y'                  as is_suspect_age_supplied,
    domestic_abuse = 'Y'                        as is_domestic_abuse,
    knife_or_sharp_instrument = 'Y'             as is_knife_or_sharp_instrument,
    firearm = 'Y'                               as is_firearm,
    online = 'Y'                                as is_online,
    organised_crime_group = 'Y'                 as is_organised_crime_group,
    drugs_related = 'Y'                         as is_drugs_related,
    alcohol_related = 'Y'                       as is_alcohol_related,
    status,
    status = 'RECORDED'                         as is_counted,
    cast(file_month || '-01' as date)           as file_month,
    source_file,
    cast(source_row as integer)                 as source_row
from source
