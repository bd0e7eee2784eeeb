-- Whether each KPI with a target will meet it, as NHS "Making Data Count" judges it: an XmR chart of the
-- KPI's metric month by month over the 24 months to the quarter end (at least 12 months with a value), its
-- natural process limits (mean +/- 2.66 x mean moving range of consecutive months), and where the target
-- falls against them. At least: a lower limit above the target is consistently_met, an upper limit below it
-- consistently_missed, a target between the limits hit_and_miss; at most, the other way round. A baseline
-- band's target is its bottom (met at or above it). Only KPIs whose target is on the scale of one month
-- (a level or a rate): a target on a 12-month count (serious injuries) has no monthly chart to judge it.
with targets as (
    select force_code, quarter_end, kpi_id, metric, target_kind,
           case when target_kind = 'baseline_band' then baseline_low else target end as target
    from marts.pcp_scorecard
    where target_kind in ('at_least', 'at_most', 'baseline_band')
),

monthly_values as (
    -- each metric a month at a time, from the same fact-table flags the scorecard counts
    select force_code, 'stop_search_positive_outcome_rate' as metric, month,
           100.0 * count(*) filter (where is_positive_outcome) / nullif(count(*) filter (where outcome_recorded), 0)
               as value
    from core.fact_stop_search
    group by all
    union all
    select force_code, 'bwv_stop_search_pct', month,
           100.0 * count(*) filter (where is_bwv_recorded) / nullif(count(is_bwv_recorded), 0)
    from core.fact_stop_search_bwv
    group by all
    union all
    select force_code, 'bwv_use_of_force_pct', month,
           100.0 * count(*) filter (where is_bwv_recorded) / nullif(count(is_bwv_recorded), 0)
    from core.fact_use_of_force
    group by all
    union all
    -- workforce levels: the last snapshot of each month
    select force_code, metric, month, value
    from (
        select force_code, cast(date_trunc('month', snapshot_date) as date) as month, snapshot_date,
               sum(headcount) filter (where role = 'PCSO')              as pcsos,
               sum(headcount) filter (where role = 'Special Constable') as special_constables,
               sum(headcount) filter (where role = 'Police Officer')    as police_officers
        from core.fact_workforce
        group by force_code, month, snapshot_date
        qualify snapshot_date = max(snapshot_date) over (partition by force_code, month)
    ) unpivot (value for metric in (pcsos, special_constables, police_officers))
),

points as (
    select targets.*, monthly.month, monthly.value
    from targets
    inner join monthly_values as monthly
        on monthly.force_code = targets.force_code and monthly.metric = targets.metric
       and monthly.month > cast(targets.quarter_end - interval 24 month as date)
       and monthly.month <= targets.quarter_end
    where monthly.value is not null
),

moving_ranges as (
    -- a moving range only between consecutive months: a missing month is a gap, never joined across
    select *,
           case when lag(month) over series = cast(month - interval 1 month as date)
                then abs(value - lag(value) over series) end as moving_range
    from points
    window series as (partition by force_code, quarter_end, kpi_id order by month)
),

limits as (
    select force_code, quarter_end, kpi_id,
           any_value(metric) as metric, any_value(target_kind) as target_kind, any_value(target) as target,
           count(*) as months, min(month) as first_month, max(month) as last_month,
           avg(value) as centre, avg(moving_range) as mean_moving_range
    from moving_ranges
    group by all
)

select
    targets.force_code,
    targets.quarter_end,
    targets.kpi_id,
    targets.metric,
    targets.target_kind,
    targets.target,
    cast(coalesce(limits.months, 0) as integer) as months,
    limits.first_month,
    limits.last_month,
    limits.centre,
    limits.centre - 2.66 * limits.mean_moving_range as lower_limit,
    limits.centre + 2.66 * limits.mean_moving_range as upper_limit,
    case
        when coalesce(limits.months, 0) < 12 or limits.mean_moving_range is null or targets.target is null
            then 'not_enough_data'
        when (targets.target_kind in ('at_least', 'baseline_band')
              and limits.centre - 2.66 * limits.mean_moving_range > targets.target)
          or (targets.target_kind = 'at_most' and limits.centre + 2.66 * limits.mean_moving_range < targets.target)
            then 'consistently_met'
        when (targets.target_kind in ('at_least', 'baseline_band')
              and limits.centre + 2.66 * limits.mean_moving_range < targets.target)
          or (targets.target_kind = 'at_most' and limits.centre - 2.66 * limits.mean_moving_range > targets.target)
            then 'consistently_missed'
        else 'hit_and_miss'
    end as assurance
from targets
left join limits using (force_code, quarter_end, kpi_id)
-- only metrics with a monthly chart; the others (12-month counts) have no row
where targets.metric in (select distinct metric from monthly_values)
order by targets.force_code, targets.quarter_end, targets.kpi_id
