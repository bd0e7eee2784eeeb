-- The annual report's recruitment figures read at the report's dates ("Recruitment Performance":
-- "April 22: 211" more neighbourhood officers since May 2021, "April 22: 477" PCSOs against "April
-- 21: 464", "April 22: 304" Special Constables against "April 21: 283"), per force and quarter,
-- beside the quarter-end figures of the KPI scorecard. The report date is the end of the month
-- reference/board_paper.toml puts after the quarter end, its comparison 12 months earlier; the
-- increase counts from neighbourhood_officers_since (core.board_paper_settings). Each is read at
-- the latest workforce snapshot on or before the date, the KPI scorecard's rule
-- (sql/marts/pcp_scorecard.sql); a snapshot from an earlier month than the date is flagged
-- (months_missing: the months between, snapshot_before=...), no snapshot at all leaves no value.
with settings as (
    select * from core.board_paper_settings
),

report_dates as (
    select
        quarters.force_code,
        quarters.quarter_end,
        cast(last_day(quarters.quarter_end + to_months(settings.report_months_after_quarter_end)) as date)
            as report_date,
        cast(last_day(quarters.quarter_end + to_months(settings.report_months_after_quarter_end - 12)) as date)
            as year_before,
        settings.neighbourhood_officers_since as since
    from marts.reporting_quarters as quarters
    cross join settings
),

as_of_dates as (
    select force_code, quarter_end, 'report' as reading, report_date as as_of from report_dates
    union all
    select force_code, quarter_end, 'year_before', year_before from report_dates
    union all
    select force_code, quarter_end, 'since', since from report_dates
),

workforce_snapshots as (
    select
        force_code,
        snapshot_date,
        coalesce(sum(headcount) filter (where role = 'Police Officer' and is_neighbourhood), 0)
            as neighbourhood_police_officers,
        coalesce(sum(headcount) filter (where role = 'PCSO'), 0)              as pcsos,
        coalesce(sum(headcount) filter (where role = 'Special Constable'), 0) as special_constables
    from core.fact_workforce
    group by all
),

workforce_at as (
    -- the latest snapshot on or before each date
    select
        dates.force_code,
        dates.quarter_end,
        dates.reading,
        dates.as_of,
        snapshots.snapshot_date,
        snapshots.neighbourhood_police_officers,
        snapshots.pcsos,
        snapshots.special_constables,
        date_diff('month', date_trunc('month', snapshots.snapshot_date), date_trunc('month', dates.as_of))
            as months_stale
    from as_of_dates as dates
    asof left join workforce_snapshots as snapshots
        on snapshots.force_code = dates.force_code and snapshots.snapshot_date <= dates.as_of
),

readings as (
    select
        report.force_code,
        report.quarter_end,
        report.as_of                           as report_date,
        before.as_of                           as year_before,
        since.as_of                            as since,
        report.snapshot_date                   as report_snapshot,
        before.snapshot_date                   as year_before_snapshot,
        since.snapshot_date                    as since_snapshot,
        report.months_stale                    as report_stale,
        before.months_stale                    as year_before_stale,
        since.months_stale                     as since_stale,
        report.neighbourhood_police_officers   as neighbourhood_at_report,
        since.neighbourhood_police_officers    as neighbourhood_at_since,
        report.pcsos                           as pcsos_at_report,
        before.pcsos                           as pcsos_year_before,
        report.special_constables              as specials_at_report,
        before.special_constables              as specials_year_before
    from workforce_at as report
    inner join workforce_at as before
        on before.force_code = report.force_code and before.quarter_end = report.quarter_end
       and before.reading = 'year_before'
    inner join workforce_at as since
        on since.force_code = report.force_code and since.quarter_end = report.quarter_end
       and since.reading = 'since'
    where report.reading = 'report'
),

figures as (
    select
        readings.*,
        figure.*
    from readings,
        lateral (values
            (1, 'neighbourhood_officers_increase',
             'Increase in the number of neighbourhood police officers since ' || strftime(readings.since, '%B %Y'),
             strftime(readings.since, '%B %Y') || ' to ' || strftime(readings.report_date, '%B %Y'),
             readings.since,
             case when readings.since < readings.report_date
                  then readings.neighbourhood_at_report - readings.neighbourhood_at_since end,
             cast(null as varchar), cast(null as bigint),
             readings.since_snapshot, readings.since_stale, readings.since >= readings.report_date),
            (2, 'pcsos',
             'Police Community Support Officers (PCSOs)',
             strftime(readings.report_date, '%B %Y'), readings.report_date,
             readings.pcsos_at_report,
             strftime(readings.year_before, '%B %Y'), readings.pcsos_year_before,
             readings.year_before_snapshot, readings.year_before_stale, false),
            (3, 'special_constables',
             'Special Constables',
             strftime(readings.report_date, '%B %Y'), readings.report_date,
             readings.specials_at_report,
             strftime(readings.year_before, '%B %Y'), readings.specials_year_before,
             readings.year_before_snapshot, readings.year_before_stale, false)
        ) as figure(figure_order, figure_id, label, period_label, period_start, value, comparison_label,
                    comparison_value, other_snapshot, other_stale, is_before_start)
)

select
    force_code,
    quarter_end,
    'Recruitment'                                                      as section,
    'annual report, Recruitment Performance'                           as paper_ref,
    cast(figure_order as integer)                                      as figure_order,
    figure_id,
    label,
    period_label,
    period_start,
    report_date                                                        as period_end,
    cast(value as double)                                              as value,
    'count'                                                            as unit,
    comparison_label,
    cast(comparison_value as double)                                   as comparison_value,
    cast(coalesce(report_stale, 0) + coalesce(other_stale, 0) as integer) as months_missing,
    coalesce(report_stale = 0 and other_stale = 0 and not is_before_start, false) as comparable,
    nullif(concat_ws('; ',
        case when report_snapshot is null then 'no_snapshot_by=' || strftime(report_date, '%Y-%m-%d') end,
        case when report_stale > 0 then 'snapshot_before=' || strftime(report_date, '%Y-%m-%d')
                                        || ' (read at ' || strftime(report_snapshot, '%Y-%m-%d') || ')' end,
        case when is_before_start then 'report_date_before=' || strftime(period_start, '%Y-%m-%d') end,
        case when not is_before_start and other_snapshot is null and figure_order > 1
             then 'no_snapshot_by=' || strftime(year_before, '%Y-%m-%d') end,
        case when not is_before_start and other_snapshot is null and figure_order = 1
             then 'no_snapshot_by=' || strftime(since, '%Y-%m-%d') end,
        case when not is_before_start and other_stale > 0
             then 'snapshot_before=' || strftime(case when figure_order = 1 then since else year_before end, '%Y-%m-%d')
                  || ' (read at ' || strftime(other_snapshot, '%Y-%m-%d') || ')' end
    ), '')                                                             as quality_flags,
    'core.fact_workforce'                                              as source
from figures
order by force_code, quarter_end, figure_order
