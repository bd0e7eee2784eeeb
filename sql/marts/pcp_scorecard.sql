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

force_source_months as (
    -- the months a force delivered a use-of-force or a body-worn video file (one with no rows included)
    select distinct source, force_code, period as month from meta.loaded_files
    where source in ('use_of_force', 'stop_search_bwv') and force_code is not null and period is not null
    union
    select distinct 'use_of_force', force_code, month from core.fact_use_of_force
    union
    select distinct 'stop_search_bwv', force_code, month from core.fact_stop_search_bwv
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

census_by_year as (
    select force_code,
           census_year,
           sum(persons) filter (where ethnic_group = 'White') as white,
           sum(persons) filter (where ethnic_group = 'Asian') as asian,
           sum(persons) filter (where ethnic_group = 'Black') as black
    from core.census_ethnicity_by_force
    group by force_code, census_year
),

census as (
    -- the populations of the census in force for each date read at: Census 2011 for windows ending before
    -- [stop_and_search] census_2021_from, Census 2021 from then (the Home Office rebased its ratios from the
    -- year ending March 2023); where that census was not delivered, the nearest one delivered, said in the flags
    select
        dates.force_code,
        dates.as_of,
        any_value(dates.census_in_force)                                            as census_in_force,
        arg_min(years.census_year, abs(years.census_year - dates.census_in_force)) as census_year
    from (
        select as_of_dates.force_code, as_of_dates.as_of,
               case when as_of_dates.as_of >= settings.census_2021_from then 2021 else 2011 end as census_in_force
        from as_of_dates
        cross join settings
    ) as dates
    left join census_by_year as years using (force_code)
    group by dates.force_code, dates.as_of
),

census_populations as (
    select census.*, years.white, years.asian, years.black
    from census
    left join census_by_year as years using (force_code, census_year)
),

searches as (
    -- the group each search counts under in the search ratios: the self-defined group (ethnic_group;
    -- the parser falls back to officer-defined only where self-defined is empty). Where the person
    -- said "Not stated", the officer-defined group is used only when [stop_and_search]
    -- officer_defined_when_not_stated is true: off by default, because the officer's view of someone
    -- who declined to say is not their ethnicity
    select searches.* replace (
        case when settings.officer_defined_when_not_stated and searches.ethnic_group = 'Not stated'
             then coalesce(officer.ethnic_group, searches.ethnic_group)
             else searches.ethnic_group end as ethnic_group)
    from core.fact_stop_search as searches
    cross join settings
    left join (values ('white', 'White'), ('black', 'Black'), ('asian', 'Asian'), ('mixed', 'Mixed'),
                      ('other', 'Other')) as officer(label, ethnic_group)
        on officer.label = lower(trim(searches.officer_defined_ethnicity))
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
    left join searches
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

use_of_force_12_months as (
    -- uses of force are counted by subject (one row each): body-worn video recorded Y over Y or N (an
    -- empty flag is unknown, a coverage flag), subjects seriously injured, subjects by ethnic group
    select
        dates.force_code,
        dates.as_of,
        count(uof.month)                                                        as subjects,
        count(uof.month) filter (where uof.is_bwv_recorded)                     as bwv_recorded,
        count(uof.is_bwv_recorded)                                              as bwv_known,
        count(uof.month) filter (where uof.is_subject_seriously_injured)        as seriously_injured,
        count(uof.month) - count(uof.is_subject_seriously_injured)              as serious_injury_unknown,
        count(uof.month) filter (where uof.subject_ethnicity = 'White')         as of_white,
        count(uof.month) filter (where uof.subject_ethnicity = 'Asian')         as of_asian,
        count(uof.month) filter (where uof.subject_ethnicity = 'Black')         as of_black
    from as_of_dates as dates
    left join core.fact_use_of_force as uof
        on uof.force_code = dates.force_code
       and uof.month between cast(date_trunc('month', dates.as_of) - interval 11 month as date) and dates.as_of
    group by all
),

search_bwv_12_months as (
    select
        dates.force_code,
        dates.as_of,
        count(bwv.month)                                    as searches,
        count(bwv.month) filter (where bwv.is_bwv_recorded) as bwv_recorded,
        count(bwv.is_bwv_recorded)                          as bwv_known
    from as_of_dates as dates
    left join core.fact_stop_search_bwv as bwv
        on bwv.force_code = dates.force_code
       and bwv.month between cast(date_trunc('month', dates.as_of) - interval 11 month as date) and dates.as_of
    group by all
),

force_source_coverage as (
    -- how many of the 12 months a use-of-force, or a body-worn video, file was delivered for
    select dates.force_code, dates.as_of, sources.source, count(months.month) as months
    from as_of_dates as dates
    cross join (values ('use_of_force'), ('stop_search_bwv')) as sources(source)
    left join force_source_months as months
        on months.source = sources.source and months.force_code = dates.force_code
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
        -- search ratio: searches per 1,000 people of a group over the same for White (the census in force)
        case when coverage.months > 0 then
            (s.of_asian / nullif(census.asian, 0)) / nullif(s.of_white / nullif(census.white, 0), 0) end
            as search_ratio_asian,
        case when coverage.months > 0 then
            (s.of_black / nullif(census.black, 0)) / nullif(s.of_white / nullif(census.white, 0), 0) end
            as search_ratio_black,
        case when satisfaction.months > 0 then satisfaction.satisfaction_rate end as satisfaction_rate,
        -- body-worn video: percent of rows with the flag recorded Y over rows with it recorded Y or N
        case when bwv_coverage.months > 0 then 100.0 * bwv.bwv_recorded / nullif(bwv.bwv_known, 0) end
            as bwv_stop_search_pct,
        case when uof_coverage.months > 0 then 100.0 * uof.bwv_recorded / nullif(uof.bwv_known, 0) end
            as bwv_use_of_force_pct,
        case when uof_coverage.months > 0 then uof.seriously_injured end      as use_of_force_serious_injuries,
        -- use-of-force ratio: subjects per 1,000 people of a group over the same for White, the same
        -- census populations as the search ratios
        case when uof_coverage.months > 0 then
            (uof.of_asian / nullif(census.asian, 0)) / nullif(uof.of_white / nullif(census.white, 0), 0) end
            as use_of_force_ratio_asian,
        case when uof_coverage.months > 0 then
            (uof.of_black / nullif(census.black, 0)) / nullif(uof.of_white / nullif(census.white, 0), 0) end
            as use_of_force_ratio_black,
        coverage.months                                                         as stop_search_months,
        uof_coverage.months                                                     as use_of_force_months,
        bwv_coverage.months                                                     as search_bwv_months,
        case when bwv_coverage.months > 0 then bwv.searches - bwv.bwv_known end as searches_bwv_unknown,
        case when uof_coverage.months > 0 then uof.subjects - uof.bwv_known end as subjects_bwv_unknown,
        case when uof_coverage.months > 0 then uof.serious_injury_unknown end   as subjects_injury_unknown,
        satisfaction.months                                                     as satisfaction_months,
        case when coverage.months > 0 then s.searches - s.with_outcome end     as searches_without_outcome,
        drugs.flag                                                              as drugs_flag,
        weapons.flag                                                            as weapons_flag,
        firearms.flag                                                           as firearms_flag,
        case when census.census_year <> census.census_in_force
             then 'populations: Census ' || census.census_year || ' (Census ' || census.census_in_force
                  || ', in force for the window, not delivered)' end             as census_flag
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
    left join census_populations as census using (force_code, as_of)
    left join satisfaction_12_months as satisfaction using (force_code, as_of)
    left join use_of_force_12_months as uof using (force_code, as_of)
    left join search_bwv_12_months as bwv using (force_code, as_of)
    left join force_source_coverage as uof_coverage
        on uof_coverage.force_code = workforce_at.force_code and uof_coverage.as_of = workforce_at.as_of
       and uof_coverage.source = 'use_of_force'
    left join force_source_coverage as bwv_coverage
        on bwv_coverage.force_code = workforce_at.force_code and bwv_coverage.as_of = workforce_at.as_of
       and bwv_coverage.source = 'stop_search_bwv'
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
            ('search_ratio_asian', stop_search_months, census_flag),
            ('search_ratio_black', stop_search_months, census_flag),
            ('satisfaction_rate', satisfaction_months, null),
            ('bwv_stop_search_pct', search_bwv_months,
             case when searches_bwv_unknown > 0
                  then 'body-worn video not recorded (Y or N) for ' || format('{:,}', searches_bwv_unknown)
                       || case when searches_bwv_unknown = 1 then ' search' else ' searches' end end),
            ('bwv_use_of_force_pct', use_of_force_months,
             case when subjects_bwv_unknown > 0
                  then 'body-worn video not recorded (Y or N) for ' || format('{:,}', subjects_bwv_unknown)
                       || case when subjects_bwv_unknown = 1 then ' subject' else ' subjects' end end),
            ('use_of_force_serious_injuries', use_of_force_months,
             case when subjects_injury_unknown > 0
                  then 'serious injury not recorded (Y or N) for ' || format('{:,}', subjects_injury_unknown)
                       || case when subjects_injury_unknown = 1 then ' subject' else ' subjects' end end),
            ('use_of_force_ratio_asian', use_of_force_months, census_flag),
            ('use_of_force_ratio_black', use_of_force_months, census_flag)
        ) as metric_window(metric, window_months, flag)
),

metrics as (
    unpivot (select * exclude (stop_search_months, satisfaction_months, searches_without_outcome, drugs_flag,
                               weapons_flag, firearms_flag, use_of_force_months, search_bwv_months,
                               searches_bwv_unknown, subjects_bwv_unknown, subjects_injury_unknown, census_flag)
             from metrics_wide)
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

metric_sources(metric, source) as (
    -- where each metric is counted from, for the row's source; ratios add the census they divide by
    values ('police_officers', 'workforce'), ('neighbourhood_police_officers', 'workforce'), ('pcsos', 'workforce'),
           ('special_constables', 'workforce'), ('police_staff', 'workforce'),
           ('ethnic_minority_officers', 'workforce'), ('stop_search_positive_outcome_rate', 'stop_and_search'),
           ('section_60_searches', 'stop_and_search'), ('find_rate_drugs', 'stop_and_search'),
           ('find_rate_offensive_weapons', 'stop_and_search'), ('find_rate_firearms', 'stop_and_search'),
           ('search_ratio_asian', 'stop_and_search'), ('search_ratio_black', 'stop_and_search'),
           ('satisfaction_rate', 'sms_survey'), ('bwv_stop_search_pct', 'stop_search_bwv'),
           ('bwv_use_of_force_pct', 'use_of_force'), ('use_of_force_serious_injuries', 'use_of_force'),
           ('use_of_force_ratio_asian', 'use_of_force'), ('use_of_force_ratio_black', 'use_of_force')
),

metric_units(metric, unit) as (
    values ('police_officers', 'count'), ('neighbourhood_police_officers', 'count'), ('pcsos', 'count'),
           ('special_constables', 'count'), ('police_staff', 'count'), ('ethnic_minority_officers', 'count'),
           ('stop_search_positive_outcome_rate', 'percent'), ('section_60_searches', 'count'),
           ('find_rate_drugs', 'percent'), ('find_rate_offensive_weapons', 'percent'),
           ('find_rate_firearms', 'percent'), ('search_ratio_asian', 'ratio'), ('search_ratio_black', 'ratio'),
           ('satisfaction_rate', 'percent'), ('bwv_stop_search_pct', 'percent'),
           ('bwv_use_of_force_pct', 'percent'), ('use_of_force_serious_injuries', 'count'),
           ('use_of_force_ratio_asian', 'ratio'), ('use_of_force_ratio_black', 'ratio')
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
    reported.baseline_low,
    reported.baseline_high,
    -- status is never a guess: no value, no baseline or no target is said as such, never not_met
    case
        when reported.level_now is null then 'no_data'
        when reported.needs_baseline and reported.level_at_baseline is null then 'no_baseline'
        when reported.target_kind = 'monitor' then 'monitor'
        -- baseline_band without a band agreed in the config: reported, never judged
        when reported.target_kind = 'baseline_band' and (reported.baseline_low is null
                                                         or reported.baseline_high is null) then 'monitor'
        when not reported.is_window_complete then 'not_comparable'
        when reported.target_kind = 'at_least' then case when reported.value >= reported.target then 'met' else 'not_met' end
        when reported.target_kind = 'at_most' then case when reported.value <= reported.target then 'met' else 'not_met' end
        when reported.target_kind = 'increase_on_baseline' then
            case when reported.level_now - reported.level_at_baseline >= coalesce(reported.target, 1)
                 then 'met' else 'not_met' end
        -- at the baseline band's level (inside it) or higher is met; below its bottom is not
        when reported.target_kind = 'baseline_band' then
            case when reported.value >= reported.baseline_low then 'met' else 'not_met' end
    end                                  as status,
    reported.metric,
    nullif(concat_ws('; ',
        case when reported.window_months between 1 and 11
             then 'months_missing=' || (12 - reported.window_months) end,
        case when reported.window_months = 0 then 'no data for the 12 months' end,
        reported.window_flag,
        case when reported.needs_baseline and reported.baseline_window_months between 1 and 11
             then 'baseline_months_missing=' || (12 - reported.baseline_window_months) end
    ), '')                               as quality_flags,
    metric_sources.source || case when contains(reported.metric, '_ratio_') and census.census_year is not null
                                  then '; Census ' || census.census_year || ' populations' else '' end
                                         as source
from reported
inner join metric_units using (metric)
inner join metric_sources using (metric)
inner join delivered_metrics using (force_code, metric)
left join census
    on census.force_code = reported.force_code and census.as_of = reported.quarter_end
order by reported.force_code, reported.quarter_end, reported.id
