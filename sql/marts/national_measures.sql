-- The National Crime and Policing Measures scorecard: one row per force, quarter and measure.
-- Each measure is taken over the 12 months ending at quarter end less the source's lag (months
-- not delivered are flagged, never skipped over), against the national baseline, the 12 months to
-- June 2019 (core.national_baseline).
-- Rates and shares are recomputed from counts over the window, never averaged from monthly rates.
with counts as (
    select * from marts.measure_counts
),

measures as (
    select * from core.dim_measure
),

baseline as (
    select * from core.national_baseline
),

ons_published as (
    -- the ONS PFA tables' figure for a measure's offence group, per area and edition
    select measures.measure_id, ons.area_code, ons.edition_period_end, ons.value
    from core.ons_pfa_values as ons
    inner join measures
        on ons.table_id = measures.ons_table_id and ons.measure = measures.ons_measure
    where ons.value is not null
),

coverage as (
    -- the months each force has delivered for each measure
    select force_code, measure_id, min(month) as first_month, max(month) as last_month
    from counts
    group by force_code, measure_id
),

force_quarters as (
    -- every quarter the force has data for, from any source (marts.reporting_quarters)
    select force_code, quarter_end from marts.reporting_quarters
),

windows as (
    select
        force_quarters.force_code,
        force_quarters.quarter_end,
        measures.measure_id,
        coverage.first_month,
        -- the window always ends at quarter end less the source's lag: months the source has not
        -- delivered are missing (and flagged), the window is never silently moved earlier
        cast(date_trunc('month', force_quarters.quarter_end) - to_months(measures.lag_months) as date)
            as window_end_month
    from force_quarters
    inner join coverage using (force_code)
    inner join measures using (measure_id)
),

windows_with_periods as (
    select
        *,
        cast(window_end_month - interval 11 month as date) as window_start,
        cast(last_day(window_end_month) as date)           as window_end,
        cast(window_end_month - interval 2 month as date)  as last_quarter_start,
        cast(window_end_month - interval 23 month as date) as previous_start,
        cast(window_end_month - interval 12 month as date) as previous_end_month
    from windows
    -- a quarter earlier than the measure's first month has nothing to report
    where window_end_month >= first_month
),

aggregated as (
    select
        w.force_code,
        w.quarter_end,
        w.measure_id,
        w.window_start,
        w.window_end,
        sum(c.numerator)   filter (where c.month between w.window_start and w.window_end_month)  as window_numerator,
        sum(c.denominator) filter (where c.month between w.window_start and w.window_end_month)  as window_denominator,
        count(c.month)     filter (where c.month between w.window_start and w.window_end_month)  as window_months,
        count(c.month)     filter (where c.month between w.window_start and w.window_end_month
                                     and c.is_suppressed)                                        as window_suppressed,
        sum(c.numerator)   filter (where c.month between b.baseline_start and b.baseline_end)     as baseline_numerator,
        sum(c.denominator) filter (where c.month between b.baseline_start and b.baseline_end)     as baseline_denominator,
        count(c.month)     filter (where c.month between b.baseline_start and b.baseline_end)     as baseline_months,
        count(c.month)     filter (where c.month between b.baseline_start and b.baseline_end
                                     and c.is_suppressed)                                        as baseline_suppressed,
        sum(c.numerator)   filter (where c.month between w.previous_start and w.previous_end_month) as previous_numerator,
        sum(c.denominator) filter (where c.month between w.previous_start and w.previous_end_month) as previous_denominator,
        count(c.month)     filter (where c.month between w.previous_start and w.previous_end_month
                                     and not c.is_suppressed)                                     as previous_months,
        sum(c.numerator)   filter (where c.month between w.last_quarter_start and w.window_end_month) as last_quarter_numerator,
        sum(c.denominator) filter (where c.month between w.last_quarter_start and w.window_end_month) as last_quarter_denominator,
        count(c.month)     filter (where c.month between w.last_quarter_start and w.window_end_month
                                     and not c.is_suppressed)                                     as last_quarter_months
    from windows_with_periods as w
    cross join baseline as b
    left join counts as c
        on c.force_code = w.force_code and c.measure_id = w.measure_id
    group by all
),

valued as (
    select
        aggregated.*,
        measures.unit,
        case when measures.unit = 'percent'
             then 100.0 * window_numerator / nullif(window_denominator, 0)
             else window_numerator end as value,
        case when baseline_months = 0 then null
             when measures.unit = 'percent'
             then 100.0 * baseline_numerator / nullif(baseline_denominator, 0)
             else baseline_numerator end as computed_baseline,
        -- a previous year or last quarter with a gap would understate the figure: left empty
        case when previous_months < 12 then null
             when measures.unit = 'percent'
             then 100.0 * previous_numerator / nullif(previous_denominator, 0)
             else previous_numerator end as previous_value,
        case when last_quarter_months < 3 then null
             when measures.unit = 'percent'
             then 100.0 * last_quarter_numerator / nullif(last_quarter_denominator, 0)
             else last_quarter_numerator end as last_quarter_value
    from aggregated
    inner join core.dim_measure as measures using (measure_id)
),

with_baseline as (
    -- the force's own records give the baseline when they cover the whole baseline year;
    -- otherwise the official ONS figure (year ending June 2019 edition) where there is one
    select
        valued.*,
        valued.baseline_months = 12 and valued.baseline_suppressed = 0 as baseline_is_own,
        published.value as ons_baseline,
        case
            when valued.baseline_months = 12 and valued.baseline_suppressed = 0 then valued.computed_baseline
            when published.value is not null then published.value
            else valued.computed_baseline
        end as baseline_value,
        england_wales_now.value as england_wales_value,
        england_wales_baseline.value as england_wales_baseline
    from valued
    cross join baseline
    left join ons_published as published
        on published.measure_id = valued.measure_id and published.area_code = valued.force_code
       and published.edition_period_end = baseline.baseline_end
    left join ons_published as england_wales_now
        on england_wales_now.measure_id = valued.measure_id and england_wales_now.area_code = 'K04000001'
       and england_wales_now.edition_period_end = valued.window_end
    left join ons_published as england_wales_baseline
        on england_wales_baseline.measure_id = valued.measure_id and england_wales_baseline.area_code = 'K04000001'
       and england_wales_baseline.edition_period_end = baseline.baseline_end
),

complete as (
    -- ONE rule for incomplete windows, for every column and unit: a window is complete when its
    -- source delivered every month of it and none is suppressed. The baseline is complete when the
    -- force's own records are (baseline_is_own) or the ONS published figure is used instead.
    select
        with_baseline.*,
        with_baseline.window_months = 12 and with_baseline.window_suppressed = 0 as is_window_complete,
        with_baseline.baseline_is_own
            or (with_baseline.ons_baseline is not null and with_baseline.baseline_value = with_baseline.ons_baseline)
            as is_baseline_complete
    from with_baseline
),

compared as (
    select
        complete.*,
        complete.is_window_complete and complete.is_baseline_complete and complete.baseline_value is not null
            as is_comparable
    from complete
)

select
    valued.force_code,
    valued.quarter_end,
    measures.priority,
    valued.measure_id,
    measures.measure_name,
    measures.unit,
    valued.window_start,
    valued.window_end,
    -- an incomplete window's value is the sum over the months delivered (flagged, never compared)
    valued.value,
    baseline.baseline_start,
    baseline.baseline_end,
    valued.baseline_value,
    case when valued.is_comparable then valued.value - valued.baseline_value end as change,
    case when valued.is_comparable
         then 100.0 * (valued.value - valued.baseline_value) / nullif(valued.baseline_value, 0) end as pct_change,
    valued.previous_value,
    valued.last_quarter_value,
    measures.polarity,
    case
        when not valued.is_comparable or valued.baseline_value = 0 then null
        when abs(100.0 * (valued.value - valued.baseline_value) / valued.baseline_value) < measures.stable_band_pct
            then 'stable'
        when (valued.value < valued.baseline_value) = (measures.polarity = 'lower_is_better') then 'improving'
        else 'worsening'
    end                                                                   as direction,
    valued.is_comparable,
    12 - valued.window_months                                             as months_missing,
    valued.window_suppressed                                              as suppressed_months,
    measures.source_label
        || case when not valued.baseline_is_own and valued.ons_baseline is not null
                then '; baseline: ONS PFA data tables, year ending June 2019' else '' end as source,
    concat_ws('; ',
        case when valued.window_months < 12 then 'months_missing=' || (12 - valued.window_months) end,
        case when valued.window_suppressed > 0 then 'suppressed_months=' || valued.window_suppressed end,
        case when valued.baseline_months between 1 and 11 and valued.ons_baseline is null
             then 'baseline_months_missing=' || (12 - valued.baseline_months) end,
        case when valued.baseline_suppressed > 0 and valued.ons_baseline is null
             then 'baseline_suppressed_months=' || valued.baseline_suppressed end,
        case when valued.baseline_value is null then 'no_baseline' end
    )                                                                     as quality_flags,
    100.0 * (valued.england_wales_value - valued.england_wales_baseline)
        / nullif(valued.england_wales_baseline, 0)                       as england_wales_pct_change,
    -- which ONS edition the England and Wales change comes from, or which one is missing
    case
        when measures.ons_table_id is null then null
        when valued.england_wales_value is not null and valued.england_wales_baseline is not null
            then 'ONS PFA data tables, year ending ' || strftime(valued.window_end, '%B %Y')
                 || ' against year ending June 2019'
        when valued.england_wales_baseline is null
            then 'not available: no ONS PFA tables edition for the year ending June 2019 delivered'
        else 'not available: no ONS PFA tables edition for the year ending '
             || strftime(valued.window_end, '%B %Y') || ' delivered'
    end                                                                   as england_wales_source
from compared as valued
inner join core.dim_measure as measures using (measure_id)
cross join baseline
order by valued.force_code, valued.quarter_end, measures.display_order
