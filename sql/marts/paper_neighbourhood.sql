-- The neighbourhood-crime share the board paper quotes (paper 24), per force and quarter, over the 12
-- months ending at the quarter end: theft from the person (the national measure's definition, Home
-- Office offence subgroup 'Theft from the person', counted records; sql/marts/measure_counts.sql)
-- in the city centre neighbourhoods, over all theft from the person of the force. The city centre is
-- the priority area of core.dim_priority_area named in reference/board_paper.toml
-- (core.board_paper_settings); a force without it has no value (no_priority_area=...).
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

window_months as (
    select windows.force_code, windows.quarter_end, count(delivered.month) as months_delivered
    from windows
    left join delivered_months as delivered
        on delivered.force_code = windows.force_code
       and delivered.month between windows.period_start and windows.period_end
    group by all
),

thefts as (
    select crimes.force_code, crimes.month, crimes.lsoa_code
    from core.fact_recorded_crime as crimes
    inner join core.dim_offence as offences using (offence_code)
    where crimes.is_counted and offences.offence_subgroup = 'Theft from the person'
),

city_centre_lsoas as (
    select distinct areas.force_code, areas.lsoa_code
    from core.dim_priority_area as areas
    inner join settings on areas.area_name = settings.city_centre
),

forces_with_city_centre as (
    select distinct force_code from city_centre_lsoas
),

window_thefts as (
    select
        windows.force_code,
        windows.quarter_end,
        windows.period_start,
        windows.period_end,
        count(thefts.month)          as thefts,
        count(centre.lsoa_code)      as in_city_centre
    from windows
    left join thefts
        on thefts.force_code = windows.force_code
       and thefts.month between windows.period_start and windows.period_end
    left join city_centre_lsoas as centre
        on centre.force_code = thefts.force_code and centre.lsoa_code = thefts.lsoa_code
    group by all
)

select
    counts.force_code,
    counts.quarter_end,
    'Neighbourhood crime'                                            as section,
    'paper 24'                                                       as paper_ref,
    cast(1 as integer)                                               as figure_order,
    'theft_from_person_city_centre_share'                            as figure_id,
    'Thefts from the person that occur within the ' || settings.city_centre
        || ' neighbourhoods (share of all theft from the person)'  as label,
    strftime(counts.period_start, '%B %Y') || ' to ' || strftime(counts.period_end, '%B %Y') as period_label,
    counts.period_start,
    counts.period_end,
    cast(case when areas.force_code is not null
              then 100.0 * counts.in_city_centre / nullif(counts.thefts, 0) end as double) as value,
    'percent'                                                        as unit,
    cast(null as varchar)                                            as comparison_label,
    cast(null as double)                                             as comparison_value,
    cast(12 - months.months_delivered as integer)                    as months_missing,
    months.months_delivered = 12 and areas.force_code is not null    as comparable,
    nullif(concat_ws('; ',
        case when months.months_delivered < 12 then 'months_missing=' || (12 - months.months_delivered) end,
        case when areas.force_code is null then 'no_priority_area=' || settings.city_centre end
    ), '')                                                           as quality_flags,
    'core.fact_recorded_crime, core.dim_priority_area'               as source
from window_thefts as counts
inner join window_months as months using (force_code, quarter_end)
left join forces_with_city_centre as areas using (force_code)
cross join settings
order by counts.force_code, counts.quarter_end
