-- The board paper's County Lines exploitation figures (paper 19) at every quarter end, in the
-- board_paper_figures shape: National Referral Mechanism referrals that mention County Lines, people
-- engaged with safeguarding partner agencies and people referred to specialist support, all under the
-- County Lines operation. Paper 18-19 report the year to date ("Year-to-date, there have been 580
-- positive drug disruptions ... 379 County Lines were closed during 2021/22"), so each figure is the
-- financial year to date at the quarter end; the paper sets them against nothing, so neither is this.
-- A window is counted over the months delivered (meta.loaded_files); months not delivered are
-- months_missing and make the figure not comparable; a window with no month delivered has no value.
with delivered_months as (
    select force_code, month from delivered_months(['operations'])
),

year_to_date as (
    -- April of the financial year the quarter falls in, to the quarter end
    select force_code, quarter_end, financial_year_start(quarter_end) as window_start, quarter_end as window_end
    from paper_quarters(['operations'])
),

figures (figure_order, figure_id, activity_type, label) as (
    values
        (11, 'county_lines_nrm_referrals', 'NRM referral',
         'referrals to the National Referral Mechanism (NRM) which mention County Lines as a criminal exploitation '
         || 'sub-type'),
        (12, 'county_lines_safeguarding_engagements', 'Safeguarding engagement',
         'people engaged with safeguarding partner agencies'),
        (13, 'county_lines_specialist_support_referrals', 'Specialist support referral',
         'people referred to specialist support service providers')
),

monthly_counts as (
    -- the County Lines operation's referrals and engagements; the same activity under another operation
    -- (a modern slavery NRM referral, say) is not County Lines exploitation
    select activity_type, force_code, month, count(*) as events
    from core.fact_operations
    where operation_key = 'county lines'
    group by all
),

window_months as (
    select
        year_to_date.*,
        figures.figure_id,
        figures.activity_type,
        cast(unnest(range(year_to_date.window_start, year_to_date.window_end + interval 1 day, interval 1 month))
             as date) as month
    from year_to_date
    cross join figures
),

window_values as (
    select
        window_months.force_code,
        window_months.quarter_end,
        window_months.figure_id,
        any_value(window_months.window_start) as window_start,
        any_value(window_months.window_end)   as window_end,
        count(*)                              as months_in_window,
        count(delivered.month)                as months_delivered,
        -- unknown is not zero: no month delivered, no value
        case when count(delivered.month) > 0
             then coalesce(sum(counts.events) filter (where delivered.month is not null), 0) end as value
    from window_months
    left join delivered_months as delivered
        on delivered.force_code = window_months.force_code
        and delivered.month = window_months.month
    left join monthly_counts as counts
        on counts.activity_type = window_months.activity_type
        and counts.force_code = window_months.force_code
        and counts.month = window_months.month
    group by all
),

labelled as (
    -- '2021/22' for a whole financial year, 'April to June 2021 (2021/22 to date)' for part of one
    select
        window_values.*,
        figures.figure_order,
        figures.label,
        months_in_window - months_delivered as months_missing
    from window_values
    inner join figures using (figure_id)
)

select
    force_code,
    quarter_end,
    'Drugs'                           as section,
    'paper 19'                        as paper_ref,
    cast(figure_order as integer)     as figure_order,
    figure_id,
    label,
    year_to_date_label(window_start, window_end) as period_label,
    window_start                      as period_start,
    window_end                        as period_end,
    cast(value as double)             as value,
    'count'                           as unit,
    cast(null as varchar)             as comparison_label,
    cast(null as double)              as comparison_value,
    cast(months_missing as integer)   as months_missing,
    months_missing = 0                as comparable,
    case when months_missing > 0 then 'months_missing=' || months_missing end as quality_flags,
    'core.fact_operations'            as source
from labelled
order by force_code, quarter_end, figure_order
