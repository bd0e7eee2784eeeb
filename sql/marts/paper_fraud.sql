-- The board paper's fraud figures (paper 32) at every quarter end, in the board_paper_figures shape, from
-- the Action Fraud / NFIB reports for the force area: fraud victimisation (reports) over the latest
-- calendar year ended by the quarter end against the year before ("Between 2020 and 2021 ... from 13,331
-- to 15,555"), and the NFIB categories with the greatest increase over the same two years as a ranked
-- table: rows fraud_category_increase_1 to _5, label 'increase in reports of <category as delivered>',
-- value the exact percent change (round half away from zero to whole percents, as the paper prints them),
-- no comparison (the percent is the change). A category is ranked only when it grew and had at least 1% of
-- the earlier year's reports: on a handful of reports a few more or fewer swing the percentage, and the
-- paper names categories of some weight. Ties rank by category name.
-- A window is counted over the months the source delivered (meta.loaded_files); a year with a month not
-- delivered is not complete: its months are months_missing and the figure is not comparable; a window
-- with no month delivered has no value.
with delivered_months as (
    select force_code, month from delivered_months(['fraud_reports'])
),

quarters as (
    -- the quarters the force is reported for, and every quarter whose last month this source delivered
    -- (sql/macros.sql; the asset graph reads marts.reporting_quarters through the macro)
    select force_code, quarter_end from paper_quarters(['fraud_reports'])
),

calendar_years as (
    -- the latest calendar year ended by the quarter end (2021 at the end of March 2022) and the one before
    select
        force_code,
        quarter_end,
        year(quarter_end) - case when quarter_end < make_date(year(quarter_end), 12, 31) then 1 else 0 end as year
    from quarters
),

years_delivered as (
    -- months of each year the source delivered, out of twelve
    select
        years.force_code,
        years.quarter_end,
        count(delivered.month) filter (where year(delivered.month) = years.year)     as months_delivered,
        count(delivered.month) filter (where year(delivered.month) = years.year - 1) as previous_months_delivered
    from calendar_years as years
    left join delivered_months as delivered
        on delivered.force_code = years.force_code
        and year(delivered.month) in (years.year, years.year - 1)
    group by all
),

category_years as (
    -- reports by NFIB category in the two years
    select
        years.force_code,
        years.quarter_end,
        reports.nfib_category,
        count(*) filter (where year(reports.month) = years.year)     as reports,
        count(*) filter (where year(reports.month) = years.year - 1) as previous_reports
    from calendar_years as years
    inner join core.fact_fraud_reports as reports
        on reports.force_code = years.force_code
        and year(reports.month) in (years.year, years.year - 1)
    group by all
),

reports_by_year as (
    select force_code, quarter_end, sum(reports) as reports, sum(previous_reports) as previous_reports
    from category_years
    group by all
),

totals as (
    select
        years.force_code,
        years.quarter_end,
        years.year,
        delivered.months_delivered,
        (12 - delivered.months_delivered) + (12 - delivered.previous_months_delivered) as months_missing,
        -- unknown is not zero: no month delivered, no value
        case when delivered.months_delivered > 0 then coalesce(counted.reports, 0) end as reports,
        case when delivered.previous_months_delivered > 0
             then coalesce(counted.previous_reports, 0) end                           as previous_reports
    from calendar_years as years
    inner join years_delivered as delivered using (force_code, quarter_end)
    left join reports_by_year as counted using (force_code, quarter_end)
),

category_change as (
    -- the change of every category reported in both years, ranked among those of some weight
    select
        categories.*,
        100.0 * (categories.reports - categories.previous_reports) / categories.previous_reports as pct_change,
        row_number() over (
            partition by categories.force_code, categories.quarter_end
            order by 100.0 * (categories.reports - categories.previous_reports) / categories.previous_reports desc,
                     categories.nfib_category
        ) as rank
    from category_years as categories
    inner join totals using (force_code, quarter_end)
    where totals.months_delivered > 0
      and categories.previous_reports > 0
      and categories.previous_reports >= 0.01 * totals.previous_reports
      -- "the categories with the greatest increase": a category that fell is not one of them
      and categories.reports > categories.previous_reports
),

figure_rows as (
    select
        force_code,
        quarter_end,
        1                                          as figure_order,
        'fraud_victimisation'                      as figure_id,
        'overall fraud victimisation (reports to Action Fraud)' as label,
        cast(reports as double)                    as value,
        'count'                                    as unit,
        cast(previous_reports as double)           as comparison_value
    from totals
    union all
    select
        force_code,
        quarter_end,
        1 + rank,
        'fraud_category_increase_' || rank,
        -- the percent is itself the change: nothing to set it against, so no comparison of another unit
        'increase in reports of ' || nfib_category,
        pct_change,
        'percent',
        cast(null as double)
    from category_change
    where rank <= 5
)

select
    figure_rows.force_code,
    figure_rows.quarter_end,
    'Cyber and fraud'                                         as section,
    'paper 32'                                                as paper_ref,
    cast(figure_rows.figure_order as integer)                 as figure_order,
    figure_rows.figure_id,
    figure_rows.label,
    case when figure_rows.unit = 'percent' then totals.year || ' on ' || (totals.year - 1)
         else cast(totals.year as varchar) end                as period_label,
    make_date(totals.year, 1, 1)                              as period_start,
    make_date(totals.year, 12, 31)                            as period_end,
    figure_rows.value,
    figure_rows.unit,
    case when figure_rows.unit = 'count' then cast(totals.year - 1 as varchar) end as comparison_label,
    figure_rows.comparison_value,
    cast(totals.months_missing as integer)                    as months_missing,
    totals.months_missing = 0                                 as comparable,
    case when totals.months_missing > 0 then 'months_missing=' || totals.months_missing end as quality_flags,
    'core.fact_fraud_reports'                                 as source
from figure_rows
inner join totals using (force_code, quarter_end)
order by figure_rows.force_code, figure_rows.quarter_end, figure_rows.figure_order
