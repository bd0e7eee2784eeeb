-- Police and Crime Plan KPI scorecard: one row per force, quarter and KPI.
-- The KPIs, their targets and baseline dates come from reference/pcp_kpis.toml (registered as
-- pcp_kpi_config by the asset); the metrics they can use are defined here, one line each.
with config as (
    select * from pcp_kpi_config
),

settings as (
    -- [stop_and_search] in reference/pcp_kpis.toml
    select * from pcp_kpi_settings
),

quarters as (
    -- every quarter the force has data for, from any source
    select force_code, quarter_end from marts.reporting_quarters
),

stop_search_months as (
    -- the months a force delivered a stop-and-search file (one with no searches included)
    select distinct force_code, period as month from meta.loaded_files
    where source = 'stop_and_search' and force_code is not null and period is not null
    union
    select distinct force_code, month from core.fact_stop_search
),

as_of_dates as (
    -- every date a metric is read at: each quarter end, and each KPI's baseline date
    select force_code, quarter_end as as_of from quarters
    union
    select quarters.force_code, cast(config.baseline_date as date)
    from quarters cross join config
),

workforce_snapshots as (
    select
        force_code,
        snapshot_date,
        sum(headcount) filter (where role = 'Police Officer')                                 as police_officers,
        sum(headcount) filter (where role = 'Police Officer' and is_neighbourhood)            as neighbourhood_police_officers,
        sum(headcount) filter (where role = 'PCSO')                                           as pcsos,
        sum(headcount) filter (where role = 'Special Constable')                              as special_constables,
        sum(headcount) filter (where role = 'Police Staff')                                   as police_staff,
        sum(headcount) filter (where role = 'Police Officer' and ethnicity = 'Ethnic minority') as ethnic_minority_officers
    from core.fact_workforce
    group by all
),

workforce_at as (
    -- the latest snapshot on or before each date
    select dates.force_code, dates.as_of, snapshots.* exclude (force_code)
    from as_of_dates as dates
    asof left join workforce_snapshots as snapshots
        on snapshots.force_code = dates.force_code and snapshots.snapshot_date <= dates.as_of
),

census as (
    select force_code,
           sum(persons) filter (where ethnic_group = 'White') as white,
           sum(persons) filter (where ethnic_group = 'Asian') as asian,
           sum(persons) filter (where ethnic_group = 'Black') as black
    from core.census_ethnicity_by_force
    group by force_code
),

searches_12_months as (
    -- the 12 months (Europe/London) ending with each date's month
    select
        dates.force_code,
        dates.as_of,
        count(searches.month)                                                          as searches,
        count(searches.month) filter (where searches.outcome_recorded)                 as with_outcome,
        count(searches.month) filter (where searches.is_positive_outcome)              as positive,
        count(searches.month) filter (where searches.is_section_60)                    as section_60,
        count(searches.month) filter (where searches.object_of_search = 'Controlled drugs') as for_drugs,
        count(searches.outcome_linked_to_object_of_search)
            filter (where searches.object_of_search = 'Controlled drugs')              as drugs_link_recorded,
        count(searches.month) filter (where searches.object_of_search = 'Controlled drugs'
                                        and searches.outcome_linked_to_object_of_search) as drugs_found,
        count(searches.month) filter (where searches.object_of_search = 'Offensive weapons') as for_weapons,
        count(searches.outcome_linked_to_object_of_search)
            filter (where searches.object_of_search = 'Offensive weapons')             as weapons_link_recorded,
        count(searches.month) filter (where searches.object_of_search = 'Offensive weapons'
                                        and searches.outcome_linked_to_object_of_search) as weapons_found,
        count(searches.month) filter (where searches.object_of_search = 'Firearms')     as for_firearms,
        count(searches.outcome_linked_to_object_of_search)
            filter (where searches.object_of_search = 'Firearms')                      as firearms_link_recorded,
        count(searches.month) filter (where searches.object_of_search = 'Firearms'
                                        and searches.outcome_linked_to_object_of_search) as firearms_found,
        count(searches.month) filter (where searches.ethnic_group = 'White')           as of_white,
        count(searches.month) filter (where searches.ethnic_group = 'Asian')           as of_asian,
        count(searches.month) filter (where searches.ethnic_group = 'Black')           as of_black
    from as_of_dates as dates
    left join core.fact_stop_search as searches
        on searches.force_code = dates.force_code
       and searches.month between cast(date_trunc('month', dates.as_of) - interval 11 month as date)
                              and dates.as_of
    group by all
),

stop_search_coverage as (
    -- how many of the 12 months a stop-and-search file was delivered for
    select dates.force_code, dates.as_of, count(months.month) as months
    from as_of_dates as dates
    left join stop_search_months as months
        on months.force_code = dates.force_code
       and months.month between cast(date_trunc('month', dates.as_of) - interval 11 month as date) and dates.as_of
    group by all
),

satisfaction_12_months as (
    select dates.force_code, dates.as_of,
           100.0 * sum(counts.numerator) / nullif(sum(counts.denominator), 0) as satisfaction_rate,
           count(counts.month)                                                as months
    from as_of_dates as dates
    left join marts.measure_counts as counts
        on counts.force_code = dates.force_code and counts.measure_id = 'satisfaction_rate'
       and counts.month between cast(date_trunc('month', dates.as_of) - interval 11 month as date) and dates.as_of
    group by all
),

find_rates as (
    -- find rate: searches for an object whose outcome is linked to it, over all searches for it,
    -- only where the link is recorded (true or false) for enough of them: data.police.uk leaves it
    -- blank where a force does not supply it, and the rows that carry it are not a fair sample
    select
        s.force_code,
        s.as_of,
        objects.metric,
        objects.searches,
        objects.link_recorded,
        case when objects.searches > 0
              and 100.0 * objects.link_recorded / objects.searches >= settings.find_rate_min_link_coverage_pct
             then 100.0 * objects.found / objects.searches end as find_rate,
        case when objects.searches > 0
              and 100.0 * objects.link_recorded / objects.searches < settings.find_rate_min_link_coverage_pct
             then 'link recorded for ' || format('{:,}', objects.link_recorded) || ' of '
                  || format('{:,}', objects.searches) || ' ' || objects.label || ' searches' end as flag
    from searches_12_months as s
    cross join settings,
        lateral (values
            ('find_rate_drugs', s.for_drugs, s.drugs_link_recorded, s.drugs_found, 'drug'),
            ('find_rate_offensive_weapons', s.for_weapons, s.weapons_link_recorded, s.weapons_found, 'weapon'),
            ('find_rate_firearms', s.for_firearms, s.firearms_link_recorded, s.firearms_found, 'firearm')
        ) as objects(metric, searches, link_recorded, found, label)
),

metrics_wide as (
    select
        workforce_at.force_code,
        workforce_at.as_of,
        workforce_at.police_officers,
        workforce_at.neighbourhood_police_officers,
        workforce_at.pcsos,
        workforce_at.special_constables,
        workforce_at.police_staff,
        workforce_at.ethnic_minority_officers,
        -- stop and search: nothing for a window with no stop-and-search file (unknown is not zero)
        -- positive outcome: any recorded outcome other than no further action, over searches
        -- with an outcome recorded
        case when coverage.months > 0 then 100.0 * s.positive / nullif(s.with_outcome, 0) end
            as stop_search_positive_outcome_rate,
        case when coverage.months > 0 then s.section_60 end                     as section_60_searches,
        drugs.find_rate                                                         as find_rate_drugs,
        weapons.find_rate                                                       as find_rate_offensive_weapons,
        firearms.find_rate                                                      as find_rate_firearms,
        -- search ratio: searches per 1,000 people of a group over the same for White (Census 2021)
        case when coverage.months > 0 then
            (s.of_asian / nullif(census.asian, 0)) / nullif(s.of_white / nullif(census.white, 0), 0) end
            as search_ratio_asian,
        case when coverage.months > 0 then
            (s.of_black / nullif(census.black, 0)) / nullif(s.of_white / nullif(census.white, 0), 0) end
            as search_ratio_black,
        case when satisfaction.months > 0 then satisfaction.satisfaction_rate end as satisfaction_rate,
        coverage.months                                                         as stop_search_months,
        satisfaction.months                                                     as satisfaction_months,
        case when coverage.months > 0 then s.searches - s.with_outcome end     as searches_without_outcome,
        drugs.flag                                                              as drugs_flag,
        weapons.flag                                                            as weapons_flag,
        firearms.flag                                                           as firearms_flag
    from workforce_at
    left join searches_12_months as s using (force_code, as_of)
    left join stop_search_coverage as coverage using (force_code, as_of)
    left join find_rates as drugs
        on drugs.force_code = workforce_at.force_code and drugs.as_of = workforce_at.as_of
       and drugs.metric = 'find_rate_drugs'
    left join find_rates as weapons
        on weapons.force_code = workforce_at.force_code and weapons.as_of = workforce_at.as_of
       and weapons.metric = 'find_rate_offensive_weapons'
    left join find_rates as firearms
        on firearms.force_code = workforce_at.force_code and firearms.as_of = workforce_at.as_of
       and firearms.metric = 'find_rate_firearms'
    left join census using (force_code)
    left join satisfaction_12_months as satisfaction using (force_code, as_of)
),

metric_windows as (
    -- per metric, the 12-month window's months delivered and what else the board must be told
    select force_code, as_of, metric_window.*
    from metrics_wide,
        lateral (values
            ('stop_search_positive_outcome_rate', stop_search_months,
             case when searches_without_outcome > 0
                  then 'outcome not recorded for ' || format('{:,}', searches_without_outcome)
                       || case when searches_without_outcome = 1 then ' search' else ' searches' end end),
            ('section_60_searches', stop_search_months, null),
            ('find_rate_drugs', stop_search_months, drugs_flag),
            ('find_rate_offensive_weapons', stop_search_months, weapons_flag),
            ('find_rate_firearms', stop_search_months, firearms_flag),
            ('search_ratio_asian', stop_search_months, null),
            ('search_ratio_black', stop_search_months, null),
            ('satisfaction_rate', satisfaction_months, null)
        ) as metric_window(metric, window_months, flag)
),

metrics as (
    unpivot (select * exclude (stop_search_months, satisfaction_months, searches_without_outcome, drugs_flag,
                               weapons_flag, firearms_flag) from metrics_wide)
    on columns(* exclude (force_code, as_of))
    into name metric value metric_value
),

kpis as (
    select
        quarters.force_code,
        quarters.quarter_end,
        config.*,
        now_.metric_value     as level_now,
        then_.metric_value    as level_at_baseline,
        window_now.window_months,
        window_now.flag       as window_flag,
        window_then.window_months as baseline_window_months
    from quarters
    cross join config
    left join metrics as now_
        on now_.force_code = quarters.force_code and now_.as_of = quarters.quarter_end
       and now_.metric = config.metric
    left join metrics as then_
        on then_.force_code = quarters.force_code and then_.as_of = cast(config.baseline_date as date)
       and then_.metric = config.metric
    left join metric_windows as window_now
        on window_now.force_code = quarters.force_code and window_now.as_of = quarters.quarter_end
       and window_now.metric = config.metric
    left join metric_windows as window_then
        on window_then.force_code = quarters.force_code and window_then.as_of = cast(config.baseline_date as date)
       and window_then.metric = config.metric
),

metric_units(metric, unit) as (
    values ('police_officers', 'count'), ('neighbourhood_police_officers', 'count'), ('pcsos', 'count'),
           ('special_constables', 'count'), ('police_staff', 'count'), ('ethnic_minority_officers', 'count'),
           ('stop_search_positive_outcome_rate', 'percent'), ('section_60_searches', 'count'),
           ('find_rate_drugs', 'percent'), ('find_rate_offensive_weapons', 'percent'),
           ('find_rate_firearms', 'percent'), ('search_ratio_asian', 'ratio'), ('search_ratio_black', 'ratio'),
           ('satisfaction_rate', 'percent')
),

reported as (
    select
        kpis.*,
        case when kpis.report = 'change' then kpis.level_now - kpis.level_at_baseline else kpis.level_now end
            as value,
        -- a 12-month metric over a partial window is reported, flagged, and never judged
        coalesce(kpis.window_months, 12) = 12
            and not ((kpis.target_kind = 'increase_on_baseline' or kpis.report = 'change')
                     and coalesce(kpis.baseline_window_months, 12) < 12) as is_window_complete,
        kpis.target_kind = 'increase_on_baseline' or kpis.report = 'change' as needs_baseline
    from kpis
),

-- which KPIs the force has any data for: a KPI whose source the force never delivered has no row
-- (unknown is not zero); one whose source exists but has nothing for this quarter is no_data
delivered_metrics as (
    select distinct force_code, metric from metrics where metric_value is not null
    union
    select distinct force_code, metric from metric_windows where window_months > 0
)

select
    reported.force_code,
    reported.quarter_end,
    reported.id                          as kpi_id,
    reported.name                        as kpi_name,
    reported.value,
    metric_units.unit,
    reported.target,
    reported.target_kind,
    reported.level_at_baseline           as baseline_value,
    cast(reported.baseline_date as date) as baseline_date,
    -- status is never a guess: no value, no baseline or no target is said as such, never not_met
    case
        when reported.level_now is null then 'no_data'
        when reported.needs_baseline and reported.level_at_baseline is null then 'no_baseline'
        when reported.target_kind = 'monitor' then 'monitor'
        when not reported.is_window_complete then 'not_comparable'
        when reported.target_kind = 'at_least' then case when reported.value >= reported.target then 'met' else 'not_met' end
        when reported.target_kind = 'at_most' then case when reported.value <= reported.target then 'met' else 'not_met' end
        when reported.target_kind = 'increase_on_baseline' then
            case when reported.level_now - reported.level_at_baseline >= coalesce(reported.target, 1)
                 then 'met' else 'not_met' end
    end                                  as status,
    reported.metric,
    nullif(concat_ws('; ',
        case when reported.window_months between 1 and 11
             then 'months_missing=' || (12 - reported.window_months) end,
        case when reported.window_months = 0 then 'no data for the 12 months' end,
        reported.window_flag,
        case when reported.needs_baseline and reported.baseline_window_months between 1 and 11
             then 'baseline_months_missing=' || (12 - reported.baseline_window_months) end
    ), '')                               as quality_flags
from reported
inner join metric_units using (metric)
inner join delivered_metrics using (force_code, metric)
order by reported.force_code, reported.quarter_end, reported.id
