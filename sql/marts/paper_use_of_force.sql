-- Stop and search and use of force (annual report, "Stop and Search Performance"): uses of force where
-- the subject was seriously injured, and body-worn video used in stops and searches and in uses of force,
-- over the financial year to date at each quarter end against the same months of the year before (at the
-- quarter ending March, the whole year: 2021/22 against 2020/21). Counted by subject (one row each);
-- body-worn video is the percent of rows with the flag recorded Y over rows with it recorded Y or N.
with quarters as (
    select force_code, quarter_end from marts.reporting_quarters
),

windows as (
    -- the financial year to date at each quarter end, and the same months a year earlier
    select
        force_code,
        quarter_end,
        financial_year_start(quarter_end) as period_start,
        quarter_end                       as period_end
    from quarters
),

windows_both as (
    select
        windows.*,
        cast(period_start - interval 1 year as date)            as comparison_start,
        last_day(cast(period_end - interval 1 year as date))    as comparison_end,
        datediff('month', period_start, period_end) + 1         as window_months
    from windows
),

labelled as (
    -- '2021/22' for a whole financial year, 'April to June 2021 (2021/22 to date)' for part of one
    select
        windows_both.*,
        year_to_date_label(period_start, period_end)         as period_label,
        year_to_date_label(comparison_start, comparison_end) as comparison_label
    from windows_both
),

delivered_months as (
    -- a month is delivered when its file was loaded (one with no rows included)
    select source, force_code, month from delivered_months(['use_of_force', 'stop_search_bwv'])
    union
    select distinct 'use_of_force', force_code, month from core.fact_use_of_force
    union
    select distinct 'stop_search_bwv', force_code, month from core.fact_stop_search_bwv
),

monthly as (
    -- per force, source and month: the counts every figure is summed from
    select 'use_of_force' as source, force_code, month,
           count(*) filter (where is_subject_seriously_injured) as seriously_injured,
           count(*) filter (where is_bwv_recorded)              as bwv_recorded,
           count(is_bwv_recorded)                               as bwv_known,
           count(*) - count(is_bwv_recorded)                    as bwv_unknown
    from core.fact_use_of_force
    group by all
    union all
    select 'stop_search_bwv', force_code, month,
           null, count(*) filter (where is_bwv_recorded), count(is_bwv_recorded), count(*) - count(is_bwv_recorded)
    from core.fact_stop_search_bwv
    group by all
),

figures(figure_order, figure_id, source, label, unit, table_name) as (
    values
        (1, 'use_of_force_serious_injuries', 'use_of_force',
         'Uses of force where the subject was seriously injured', 'count', 'core.fact_use_of_force'),
        (2, 'bwv_stop_search_pct', 'stop_search_bwv',
         'Body-worn video used during stops and searches', 'percent', 'core.fact_stop_search_bwv'),
        (3, 'bwv_use_of_force_pct', 'use_of_force',
         'Body-worn video used during uses of force', 'percent', 'core.fact_use_of_force')
),

forces_delivering as (
    -- a force gets a source's figures only if it ever delivered that source
    select distinct source, force_code from delivered_months
),

windowed as (
    select
        labelled.*,
        figures.*,
        (select count(*) from delivered_months as d
         where d.source = figures.source and d.force_code = labelled.force_code
           and d.month between labelled.period_start and labelled.period_end)         as months_now,
        (select count(*) from delivered_months as d
         where d.source = figures.source and d.force_code = labelled.force_code
           and d.month between labelled.comparison_start and labelled.comparison_end) as months_then,
        (select sum(m.seriously_injured) from monthly as m
         where m.source = figures.source and m.force_code = labelled.force_code
           and m.month between labelled.period_start and labelled.period_end)         as injured_now,
        (select sum(m.seriously_injured) from monthly as m
         where m.source = figures.source and m.force_code = labelled.force_code
           and m.month between labelled.comparison_start and labelled.comparison_end) as injured_then,
        (select 100.0 * sum(m.bwv_recorded) / nullif(sum(m.bwv_known), 0) from monthly as m
         where m.source = figures.source and m.force_code = labelled.force_code
           and m.month between labelled.period_start and labelled.period_end)         as bwv_now,
        (select 100.0 * sum(m.bwv_recorded) / nullif(sum(m.bwv_known), 0) from monthly as m
         where m.source = figures.source and m.force_code = labelled.force_code
           and m.month between labelled.comparison_start and labelled.comparison_end) as bwv_then,
        (select sum(m.bwv_unknown) from monthly as m
         where m.source = figures.source and m.force_code = labelled.force_code
           and m.month between labelled.period_start and labelled.period_end)         as bwv_unknown_now
    from labelled
    cross join figures
    inner join forces_delivering
        on forces_delivering.source = figures.source and forces_delivering.force_code = labelled.force_code
),

months_missing as (
    select
        windowed.*,
        (window_months - months_now) + (window_months - months_then) as missing
    from windowed
)

select
    force_code,
    quarter_end,
    'Stop and search and use of force'                      as section,
    'annual report: Stop and Search Performance'            as paper_ref,
    cast(figure_order as integer)                           as figure_order,
    figure_id,
    label,
    period_label,
    period_start,
    period_end,
    -- unknown is not zero: a window with no month delivered has no value
    cast(case when months_now = 0 then null
              when unit = 'count' then coalesce(injured_now, 0) else bwv_now end as double) as value,
    unit,
    comparison_label,
    cast(case when months_then = 0 then null
              when unit = 'count' then coalesce(injured_then, 0) else bwv_then end as double) as comparison_value,
    cast(missing as integer)                                as months_missing,
    missing = 0                                             as comparable,
    nullif(concat_ws('; ',
        case when missing > 0 then 'months_missing=' || missing end,
        case when unit = 'percent' and bwv_unknown_now > 0
             then 'body-worn video not recorded (Y or N) for ' || format('{:,}', bwv_unknown_now)
                  || case when figure_id = 'bwv_stop_search_pct' then ' searches' else ' subjects' end end
    ), '')                                                  as quality_flags,
    table_name                                              as source
from months_missing
order by force_code, quarter_end, figure_order
