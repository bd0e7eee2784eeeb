-- The homicide shares the board paper quotes beside the national measure (paper 6), per force and
-- quarter, over the 12 months ending at the quarter end: homicides with a suspect under 25, over the
-- homicides whose youngest suspect's age is recorded, and homicides in the force's impact areas, over
-- all homicides. Homicide is the national measure's definition (sql/marts/measure_counts.sql):
-- counted records of the Home Office offence subgroup 'Homicide'. suspect_age is an optional column
-- of the crime extracts: the homicides of months whose file did not carry it are left out of the
-- suspect share, which is then flagged (suspect_age_not_supplied_months=N) and not comparable; with
-- no homicide from a file carrying it the share is empty. The impact areas are the priority area of
-- core.dim_priority_area named in reference/board_paper.toml (core.board_paper_settings).
with settings as (
    select * from core.board_paper_settings
),

windows as (
    select
        force_code,
        quarter_end,
        cast(date_trunc('month', quarter_end) - interval 11 month as date) as period_start,
        quarter_end                                                         as period_end
    from marts.reporting_quarters
),

delivered_months as (
    -- a month is delivered when its crime extract was loaded (an empty file included): sql/macros.sql
    select force_code, month from delivered_months(['recorded_crime'])
),

suspect_age_months as (
    -- per month with records: whether its file carried the suspect_age column (null for rows loaded
    -- before the column existed: not supplied)
    select force_code, month, bool_or(coalesce(is_suspect_age_supplied, false)) as is_suspect_age_supplied
    from core.fact_recorded_crime
    group by all
),

window_months as (
    select
        windows.force_code,
        windows.quarter_end,
        count(delivered.month)                                                     as months_delivered,
        count(delivered.month) filter (where supplied.is_suspect_age_supplied = false) as months_without_suspect_age
    from windows
    left join delivered_months as delivered
        on delivered.force_code = windows.force_code
       and delivered.month between windows.period_start and windows.period_end
    left join suspect_age_months as supplied
        on supplied.force_code = delivered.force_code and supplied.month = delivered.month
    group by all
),

homicides as (
    select crimes.force_code, crimes.month, crimes.lsoa_code, crimes.suspect_age
    from core.fact_recorded_crime as crimes
    inner join core.dim_offence as offences using (offence_code)
    where crimes.is_counted and offences.offence_subgroup = 'Homicide'
),

impact_area_lsoas as (
    select distinct areas.force_code, areas.lsoa_code
    from core.dim_priority_area as areas
    inner join settings on areas.area_name = settings.impact_areas
),

forces_with_impact_areas as (
    select distinct force_code from impact_area_lsoas
),

window_homicides as (
    select
        windows.force_code,
        windows.quarter_end,
        windows.period_start,
        windows.period_end,
        count(homicides.month)                                               as homicides,
        count(homicides.suspect_age)                                         as with_suspect_age,
        count(homicides.suspect_age) filter (where homicides.suspect_age < 25) as suspect_under_25,
        count(impact.lsoa_code)                                              as in_impact_areas
    from windows
    left join homicides
        on homicides.force_code = windows.force_code
       and homicides.month between windows.period_start and windows.period_end
    left join impact_area_lsoas as impact
        on impact.force_code = homicides.force_code and impact.lsoa_code = homicides.lsoa_code
    group by all
),

figures as (
    select
        counts.*,
        cast(12 - months.months_delivered as integer)         as months_missing,
        months.months_without_suspect_age,
        areas.force_code is not null                          as has_impact_areas,
        settings.impact_areas
    from window_homicides as counts
    inner join window_months as months using (force_code, quarter_end)
    left join forces_with_impact_areas as areas using (force_code)
    cross join settings
)

select
    force_code,
    quarter_end,
    'Homicide'                                                       as section,
    'paper 6'                                                        as paper_ref,
    cast(1 as integer)                                               as figure_order,
    'homicide_suspect_under_25_share'                                as figure_id,
    'Homicides with a suspect under the age of 25 (share of the homicides with a suspect''s age recorded)'
                                                                     as label,
    strftime(period_start, '%B %Y') || ' to ' || strftime(period_end, '%B %Y') as period_label,
    period_start,
    period_end,
    cast(100.0 * suspect_under_25 / nullif(with_suspect_age, 0) as double) as value,
    'percent'                                                        as unit,
    cast(null as varchar)                                            as comparison_label,
    cast(null as double)                                             as comparison_value,
    months_missing,
    months_missing = 0 and months_without_suspect_age = 0            as comparable,
    nullif(concat_ws('; ',
        case when months_missing > 0 then 'months_missing=' || months_missing end,
        case when months_without_suspect_age > 0
             then 'suspect_age_not_supplied_months=' || months_without_suspect_age end
    ), '')                                                           as quality_flags,
    'core.fact_recorded_crime (suspect_age)'                         as source
from figures

union all

select
    force_code,
    quarter_end,
    'Homicide',
    'paper 6',
    2,
    'homicide_impact_areas_share',
    'Homicides taking place within the force''s Impact Areas (share of all homicides)',
    strftime(period_start, '%B %Y') || ' to ' || strftime(period_end, '%B %Y'),
    period_start,
    period_end,
    cast(case when has_impact_areas then 100.0 * in_impact_areas / nullif(homicides, 0) end as double),
    'percent',
    null,
    null,
    months_missing,
    months_missing = 0 and has_impact_areas,
    nullif(concat_ws('; ',
        case when months_missing > 0 then 'months_missing=' || months_missing end,
        case when not has_impact_areas then 'no_priority_area=' || impact_areas end
    ), ''),
    'core.fact_recorded_crime, core.dim_priority_area'
from figures
order by force_code, quarter_end, figure_order
