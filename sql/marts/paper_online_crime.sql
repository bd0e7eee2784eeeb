-- The peak month of online crime the board paper quotes (paper 33: "February recording 2,836
-- offences, the highest monthly total ever recorded categorised as happening online"), per force and
-- quarter: the month with the most counted crimes flagged online (the online_crime measure of
-- marts.measure_counts) in the force's delivered history up to the quarter end; a tie goes to the
-- earlier month (the first to reach it). Months not delivered between the first delivered month
-- and the quarter end are flagged (months_missing=N, not comparable): "highest ever" then holds only
-- for the months delivered. A force with no month delivered by the quarter end has no value.
with quarters as (
    select force_code, quarter_end from marts.reporting_quarters
),

delivered_months as (
    -- a month is delivered when its crime extract was loaded (an empty file included): sql/macros.sql
    select force_code, month from delivered_months(['recorded_crime'])
),

online_months as (
    select force_code, month, numerator as online_crimes
    from marts.measure_counts
    where measure_id = 'online_crime'
),

history as (
    -- every delivered month up to each quarter end, with its online crimes (none recorded: zero)
    select
        quarters.force_code,
        quarters.quarter_end,
        delivered.month,
        coalesce(online.online_crimes, 0) as online_crimes
    from quarters
    inner join delivered_months as delivered
        on delivered.force_code = quarters.force_code and delivered.month <= quarters.quarter_end
    left join online_months as online
        on online.force_code = delivered.force_code and online.month = delivered.month
),

spans as (
    select
        force_code,
        quarter_end,
        min(month)                                                           as first_month,
        count(*)                                                             as months_delivered,
        date_diff('month', min(month), cast(date_trunc('month', quarter_end) as date)) + 1 as months_in_span
    from history
    group by force_code, quarter_end
),

peaks as (
    select force_code, quarter_end, month, online_crimes
    from history
    qualify row_number() over (partition by force_code, quarter_end order by online_crimes desc, month) = 1
)

select
    quarters.force_code,
    quarters.quarter_end,
    'Cyber crime'                                                            as section,
    'paper 33'                                                               as paper_ref,
    cast(1 as integer)                                                       as figure_order,
    'online_crime_peak_month'                                                as figure_id,
    'Offences recorded as happening online: the highest monthly total recorded'
        || coalesce(' (months since ' || strftime(spans.first_month, '%B %Y') || ')', '') as label,
    strftime(peaks.month, '%B %Y')                                           as period_label,
    peaks.month                                                              as period_start,
    cast(last_day(peaks.month) as date)                                      as period_end,
    cast(peaks.online_crimes as double)                                      as value,
    'count'                                                                  as unit,
    cast(null as varchar)                                                    as comparison_label,
    cast(null as double)                                                     as comparison_value,
    cast(spans.months_in_span - spans.months_delivered as integer)           as months_missing,
    coalesce(spans.months_in_span = spans.months_delivered, false)           as comparable,
    case
        when spans.force_code is null then 'no_month_delivered'
        when spans.months_in_span > spans.months_delivered
            then 'months_missing=' || (spans.months_in_span - spans.months_delivered)
    end                                                                      as quality_flags,
    'marts.measure_counts (online_crime), core.fact_recorded_crime'          as source
from quarters
left join spans using (force_code, quarter_end)
left join peaks using (force_code, quarter_end)
order by quarters.force_code, quarters.quarter_end
