-- Recorded crime records counted by force, month, offence code and the flags the measures split on, one
-- row per combination: measure_counts counts from these rows rather than from every crime record.
-- Kept up to date month by month (assets/lib/sql.py: build_incremental_table): only the months loaded
-- since the last build are counted again, so a month re-delivered into seven years of history costs that
-- month's rows, not 36 million. file_sha256 is the extract the counts were taken from: a month
-- delivered again with other bytes is counted again (a byte-identical re-delivery is not loaded).
select
    crimes.force_code,
    crimes.month,
    loads.file_sha256,
    crimes.offence_code,
    crimes.is_counted,
    -- the robbery_u25_victims measure's age rule (null: age not recorded, never counted as under 25)
    crimes.victim_age < 25 as is_victim_under_25,
    crimes.is_knife_or_sharp_instrument,
    crimes.is_online,
    count(*) as records
from core.fact_recorded_crime as crimes
left join recorded_crime_loads() as loads using (force_code, month)
group by all
