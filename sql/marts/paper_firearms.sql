-- The board paper's firearms figures (paper 10-11) at every quarter end, in the board_paper_figures shape:
-- lethal barrelled firearms recovered in the financial year to date against the same months of the
-- previous financial year ("140 ... recovered this year ... an increase of 16 ... compared to 2020/21"),
-- and the quarter's Operation Captiva activity: firearms warrants, drugs warrants and Captiva visits.
-- A window is counted over the months its source delivered (meta.loaded_files); months not delivered are
-- months_missing and make the figure not comparable; a window with no month delivered has no value.
with delivered_months as (
    select source as source_id, force_code, month from delivered_months(['firearm_recoveries', 'operations'])
),

quarter_calendar as (
    -- the financial year (April to March) a quarter falls in
    select
        force_code,
        quarter_end,
        cast(date_trunc('quarter', quarter_end) as date) as quarter_start,
        financial_year_start(quarter_end)                as year_start
    from paper_quarters(['firearm_recoveries', 'operations'])
),

figures (figure_order, figure_id, paper_ref, label, source_id, period_rule, compared, source) as (
    values
        (1, 'lethal_firearms_recovered', 'paper 10', 'lethal barrelled firearms recovered', 'firearm_recoveries',
         'financial_year_to_date', true, 'core.fact_firearm_recoveries'),
        (2, 'captiva_firearms_warrants', 'paper 11', 'firearms warrants completed (Operation Captiva)', 'operations',
         'quarter', false, 'core.fact_operations'),
        (3, 'captiva_drugs_warrants', 'paper 11', 'drugs warrants completed (Operation Captiva)', 'operations',
         'quarter', false, 'core.fact_operations'),
        (4, 'captiva_visits', 'paper 11', 'Captiva visits', 'operations', 'quarter', false, 'core.fact_operations')
),

counted_events as (
    -- one row per thing a figure counts
    select 'lethal_firearms_recovered' as figure_id, force_code, month
    from core.fact_firearm_recoveries
    where is_lethal_barrelled
    union all
    -- the paper reports all three as Operation Captiva's weekly submissions: the same activity under
    -- another operation (County Lines drugs warrants, say) is not Captiva's
    select
        case activity_type
            when 'Firearms warrant' then 'captiva_firearms_warrants'
            when 'Drugs warrant' then 'captiva_drugs_warrants'
            when 'Visit' then 'captiva_visits'
        end,
        force_code,
        month
    from core.fact_operations
    where operation_key = 'captiva' and activity_type in ('Firearms warrant', 'Drugs warrant', 'Visit')
),

monthly_counts as (
    select figure_id, force_code, month, count(*) as events
    from counted_events
    group by all
),

windows as (
    -- each figure's own window at each quarter end ...
    select
        calendar.force_code,
        calendar.quarter_end,
        calendar.year_start,
        figures.figure_id,
        figures.source_id,
        'figure' as part,
        case figures.period_rule when 'financial_year_to_date' then calendar.year_start
                                 else calendar.quarter_start end as window_start,
        calendar.quarter_end as window_end
    from quarter_calendar as calendar
    cross join figures
    union all
    -- ... and, where the paper sets it against one, the same months of the year before
    select
        calendar.force_code,
        calendar.quarter_end,
        cast(calendar.year_start - interval 1 year as date),
        figures.figure_id,
        figures.source_id,
        'comparison',
        cast((case figures.period_rule when 'financial_year_to_date' then calendar.year_start
                                       else calendar.quarter_start end) - interval 1 year as date),
        cast(last_day(calendar.quarter_end - interval 1 year) as date)
    from quarter_calendar as calendar
    cross join figures
    where figures.compared
),

window_months as (
    select
        windows.*,
        cast(unnest(range(windows.window_start, windows.window_end + interval 1 day, interval 1 month)) as date)
            as month
    from windows
),

window_values as (
    select
        window_months.force_code,
        window_months.quarter_end,
        window_months.figure_id,
        window_months.part,
        any_value(window_months.year_start)   as year_start,
        any_value(window_months.window_start) as window_start,
        any_value(window_months.window_end)   as window_end,
        count(*)                              as months_in_window,
        count(delivered.month)                as months_delivered,
        -- unknown is not zero: no month delivered, no value
        case when count(delivered.month) > 0
             then coalesce(sum(counts.events) filter (where delivered.month is not null), 0) end as value
    from window_months
    left join delivered_months as delivered
        on delivered.source_id = window_months.source_id
        and delivered.force_code = window_months.force_code
        and delivered.month = window_months.month
    left join monthly_counts as counts
        on counts.figure_id = window_months.figure_id
        and counts.force_code = window_months.force_code
        and counts.month = window_months.month
    group by all
),

labelled as (
    -- windows in words (sql/macros.sql): '2021/22' for a whole financial year, 'April to June 2021 (2021/22
    -- to date)' for part of one, 'January to March 2022' for a quarter
    select
        *,
        (months_in_window - months_delivered) as months_not_delivered,
        year_to_date_label(window_start, window_end) as year_to_date_label,
        months_label(window_start, window_end)       as months_label
    from window_values
),

figure_rows as (
    select
        own.force_code,
        own.quarter_end,
        figures.paper_ref,
        figures.figure_order,
        figures.figure_id,
        figures.label,
        case when figures.period_rule = 'quarter' then own.months_label
             else own.year_to_date_label end as period_label,
        own.window_start,
        own.window_end,
        own.value,
        case when compared.figure_id is null then null
             when figures.period_rule = 'quarter' then compared.months_label
             else compared.year_to_date_label end as comparison_label,
        compared.value as comparison_value,
        own.months_not_delivered + coalesce(compared.months_not_delivered, 0) as months_missing,
        figures.source
    from labelled as own
    inner join figures using (figure_id)
    left join labelled as compared
        on compared.part = 'comparison'
        and compared.force_code = own.force_code
        and compared.quarter_end = own.quarter_end
        and compared.figure_id = own.figure_id
    where own.part = 'figure'
)

select
    force_code,
    quarter_end,
    'Firearms'                        as section,
    paper_ref,
    cast(figure_order as integer)     as figure_order,
    figure_id,
    label,
    period_label,
    window_start                      as period_start,
    window_end                        as period_end,
    cast(value as double)             as value,
    'count'                           as unit,
    comparison_label,
    cast(comparison_value as double)  as comparison_value,
    cast(months_missing as integer)   as months_missing,
    months_missing = 0                as comparable,
    case when months_missing > 0 then 'months_missing=' || months_missing end as quality_flags,
    source
from figure_rows
order by force_code, quarter_end, figure_order
