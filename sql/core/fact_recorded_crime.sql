-- Recorded crime fact: one row per crime record of a force extract, cancelled records included
-- (is_counted = false) so the warehouse holds everything delivered but no measure counts them.
-- Flags keep the three states of the extract: true (Y), false (N), null (unknown). suspect_age is an
-- optional column of the extract: is_suspect_age_supplied says whether the row's file carried it.
select
    crimes.force_code,
    crimes.crime_reference,
    crimes.file_month                                     as month,
    cast(strftime(crimes.recorded_date, '%Y%m%d') as integer)  as recorded_date_key,
    crimes.recorded_date,
    cast(strftime(crimes.committed_date, '%Y%m%d') as integer) as committed_date_key,
    crimes.committed_date,
    crimes.offence_code,
    crimes.offence_description,
    crimes.lsoa_code,
    geography.lsoa_code is not null                       as is_lsoa_known,
    crimes.victim_age,
    crimes.suspect_age,
    crimes.is_suspect_age_supplied,
    crimes.is_domestic_abuse,
    crimes.is_knife_or_sharp_instrument,
    crimes.is_firearm,
    crimes.is_online,
    crimes.is_organised_crime_group,
    crimes.is_drugs_related,
    crimes.is_alcohol_related,
    crimes.status,
    crimes.is_counted,
    crimes.source_file,
    crimes.source_row
from stg_recorded_crime as crimes
left join core.dim_geography as geography using (lsoa_code)
