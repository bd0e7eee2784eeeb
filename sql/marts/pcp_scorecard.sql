-- Police and Crime Plan KPI scorecard: one row per force, quarter and KPI.
-- The KPIs, their targets and baseline dates come from reference/pcp_kpis.toml (registered as
-- pcp_kpi_config by the asset); the metrics they can use are defined here, one line each.
with config as (
    select * from pcp_kpi_config
),

quarters as (
    select distinct force_code, quarter_end from marts.national_measures
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
        count(searches.month) filter (where searches.object_of_search = 'Controlled drugs'
                                        and searches.outcome_linked_to_object_of_search) as drugs_found,
        count(searches.month) filter (where searches.object_of_search = 'Offensive weapons') as for_weapons,
        count(searches.month) filter (where searches.object_of_search = 'Offensive weapons'
                                        and searches.outcome_linked_to_object_of_search) as weapons_found,
        count(searches.month) filter (where searches.object_of_search = 'Firearms')     as for_firearms,
        count(searches.month) filter (where searches.object_of_search = 'Firearms'
                                        and searches.outcome_linked_to_object_of_search) as firearms_found,
        count(searches.month) filter (where searches.ethnic_group = 'White')           as of_white,
        count(searches.month) filter (where searches.ethnic_group = 'Asian')           as of_asian,
        count(searches.month) filter (where searches.ethnic_group = 'Black')           as of_black,
        count(distinct searches.month)                                                 as months
    from as_of_dates as dates
    left join core.fact_stop_search as searches
        on searches.force_code = dates.force_code
       and searches.month between cast(date_trunc('month', dates.as_of) - interval 11 month as date)
                              and dates.as_of
    group by all
),

satisfaction_12_months as (
    select dates.force_code, dates.as_of,
           100.0 * sum(counts.numerator) / nullif(sum(counts.denominator), 0) as satisfaction_rate
    from as_of_dates as dates
    left join marts.measure_counts as counts
        on counts.force_code = dates.force_code and counts.measure_id = 'satisfaction_rate'
       and counts.month between cast(date_trunc('month', dates.as_of) - interval 11 month as date) and dates.as_of
    group by all
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
        -- positive outcome: any recorded outcome other than no further action
        100.0 * s.positive / nullif(s.with_outcome, 0)                           as stop_search_positive_outcome_rate,
        s.section_60                                                             as section_60_searches,
        -- find rate: the outcome is linked to the object searched for
        100.0 * s.drugs_found / nullif(s.for_drugs, 0)                           as find_rate_drugs,
        100.0 * s.weapons_found / nullif(s.for_weapons, 0)                       as find_rate_offensive_weapons,
        100.0 * s.firearms_found / nullif(s.for_firearms, 0)                     as find_rate_firearms,
        -- search ratio: searches per 1,000 people of a group over the same for White (Census 2021)
        (s.of_asian / nullif(census.asian, 0)) / nullif(s.of_white / nullif(census.white, 0), 0) as search_ratio_asian,
        (s.of_black / nullif(census.black, 0)) / nullif(s.of_white / nullif(census.white, 0), 0) as search_ratio_black,
        satisfaction.satisfaction_rate,
        s.months                                                                 as stop_search_months
    from workforce_at
    left join searches_12_months as s using (force_code, as_of)
    left join census using (force_code)
    left join satisfaction_12_months as satisfaction using (force_code, as_of)
),

metrics as (
    unpivot (select * exclude (stop_search_months) from metrics_wide)
    on columns(* exclude (force_code, as_of))
    into name metric value metric_value
),

kpis as (
    select
        quarters.force_code,
        quarters.quarter_end,
        config.*,
        now_.metric_value   as level_now,
        then_.metric_value  as level_at_baseline
    from quarters
    cross join config
    left join metrics as now_
        on now_.force_code = quarters.force_code and now_.as_of = quarters.quarter_end
       and now_.metric = config.metric
    left join metrics as then_
        on then_.force_code = quarters.force_code and then_.as_of = cast(config.baseline_date as date)
       and then_.metric = config.metric
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
            as value
    from kpis
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
    case
        when reported.target_kind = 'monitor' then 'monitor'
        when reported.target_kind = 'at_least' then case when reported.value >= reported.target then 'met' else 'not_met' end
        when reported.target_kind = 'at_most' then case when reported.value <= reported.target then 'met' else 'not_met' end
        when reported.target_kind = 'increase_on_baseline' then
            case when reported.level_now - reported.level_at_baseline >= coalesce(reported.target, 1)
                 then 'met' else 'not_met' end
    end                                  as status,
    reported.metric
from reported
inner join metric_units using (metric)
where reported.level_now is not null
order by reported.force_code, reported.quarter_end, reported.id
