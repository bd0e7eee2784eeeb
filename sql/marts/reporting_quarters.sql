-- Every quarter a force has data for, from whichever sources it delivers: from the quarter of its
-- first delivered month to the last quarter whose final month it delivered. The national measures
-- and the KPI scorecard both report these quarters, so a force that delivers only stop-and-search
-- files (or only workforce snapshots) still gets its KPIs.
with delivered_months as (
    select force_code, month from marts.measure_counts
    union
    select force_code, month from core.fact_stop_search
    union
    -- a delivered stop-and-search month with no searches still counts as delivered
    select force_code, period from meta.loaded_files
    where source = 'stop_and_search' and force_code is not null and period is not null
    union
    select force_code, cast(date_trunc('month', snapshot_date) as date) from core.fact_workforce
    union
    select force_code, month from core.fact_use_of_force
    union
    select force_code, month from core.fact_stop_search_bwv
    union
    -- use-of-force and body-worn video files (a month with no rows still counts as delivered)
    select force_code, period from meta.loaded_files
    where source in ('use_of_force', 'stop_search_bwv') and force_code is not null and period is not null
),

spans as (
    select force_code, min(month) as first_month, max(month) as last_month
    from delivered_months
    group by force_code
)

select
    spans.force_code,
    cast(last_day(quarters.quarter_start + interval 2 month) as date) as quarter_end
from spans,
    lateral (
        select unnest(range(date_trunc('quarter', spans.first_month),
                            date_trunc('quarter', spans.last_month) + interval 1 day,
                            interval 3 month)) as quarter_start
    ) as quarters
where last_day(quarters.quarter_start + interval 2 month) <= last_day(spans.last_month)
order by 1, 2
