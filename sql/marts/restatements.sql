-- Figures the board saw beside today's figures for the same force, quarter and measure, wherever
-- a later delivery restated the data. The board's figures are the snapshot taken the first time a
-- quarter was published (snapshots.national_measures); they are never overwritten.
with published as (
    select * from snapshots.national_measures
)

select
    current.force_code,
    current.quarter_end,
    current.measure_id,
    current.measure_name,
    published.published_at,
    published.value                                   as published_value,
    current.value                                     as current_value,
    current.value - published.value                   as value_difference,
    published.baseline_value                          as published_baseline_value,
    current.baseline_value                            as current_baseline_value,
    published.pct_change                              as published_pct_change,
    current.pct_change                                as current_pct_change
from marts.national_measures as current
inner join published using (force_code, quarter_end, measure_id)
where current.value is distinct from published.value
   or current.baseline_value is distinct from published.baseline_value
order by current.force_code, current.quarter_end, current.measure_id
