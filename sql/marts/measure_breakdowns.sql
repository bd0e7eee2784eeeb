-- The breakdowns the board paper quotes beside a measure, per force and quarter:
-- homicide over the measure's 12-month window (shares linked to organised crime groups, domestic
-- abuse, drugs, alcohol, victims under 25) and firearm discharges in the quarter itself (injuries,
-- fatal, gang-linked, drugs-linked, by weapon type). share_pct = count over total, in percent.
with quarters as (
    select distinct force_code, quarter_end, window_start, window_end
    from marts.national_measures
    where measure_id = 'homicide'
),

homicides as (
    select crimes.force_code, crimes.month, crimes.is_organised_crime_group, crimes.is_domestic_abuse,
           crimes.is_drugs_related, crimes.is_alcohol_related, crimes.victim_age
    from core.fact_recorded_crime as crimes
    inner join core.dim_offence as offences using (offence_code)
    where crimes.is_counted and offences.offence_subgroup = 'Homicide'
),

homicide_breakdowns as (
    select
        quarters.force_code, quarters.quarter_end, 'homicide' as measure_id,
        quarters.window_start as period_start, quarters.window_end as period_end,
        count(homicides.month)                                                as total,
        count(homicides.month) filter (where homicides.is_organised_crime_group) as organised_crime_group,
        count(homicides.month) filter (where homicides.is_domestic_abuse)        as domestic_abuse,
        count(homicides.month) filter (where homicides.is_drugs_related)         as drugs_related,
        count(homicides.month) filter (where homicides.is_alcohol_related)       as alcohol_related,
        count(homicides.month) filter (where homicides.victim_age < 25)          as victim_under_25
    from quarters
    left join homicides
        on homicides.force_code = quarters.force_code
       and homicides.month between quarters.window_start and quarters.window_end
    group by all
),

discharge_quarters as (
    select distinct force_code, quarter_end from marts.national_measures where measure_id = 'firearm_discharges'
),

discharge_breakdowns as (
    select
        quarters.force_code, quarters.quarter_end, 'firearm_discharges' as measure_id,
        cast(date_trunc('quarter', quarters.quarter_end) as date) as period_start, quarters.quarter_end as period_end,
        count(discharges.month)                                                      as total,
        count(discharges.month) filter (where discharges.is_injury)                  as injury,
        count(discharges.month) filter (where discharges.is_fatal)                   as fatal,
        count(discharges.month) filter (where discharges.is_gang_related)            as gang_related,
        count(discharges.month) filter (where discharges.is_drugs_related)           as drugs_related,
        count(discharges.month) filter (where discharges.weapon_type = 'Shotgun')    as weapon_shotgun,
        count(discharges.month) filter (where discharges.weapon_type = 'Handgun')    as weapon_handgun,
        count(discharges.month) filter (where discharges.weapon_type = 'Rifle')      as weapon_rifle,
        count(discharges.month) filter (where discharges.weapon_type = 'Converted or modified')
                                                                                     as weapon_converted_or_modified,
        count(discharges.month) filter (where discharges.weapon_type = 'Unknown')    as weapon_unknown
    from discharge_quarters as quarters
    left join core.fact_firearm_discharges as discharges
        on discharges.force_code = quarters.force_code
       and discharges.month between cast(date_trunc('quarter', quarters.quarter_end) as date) and quarters.quarter_end
    group by all
),

long_form as (
    unpivot homicide_breakdowns
    on organised_crime_group, domestic_abuse, drugs_related, alcohol_related, victim_under_25
    into name breakdown_id value count
    union all by name
    unpivot discharge_breakdowns
    on injury, fatal, gang_related, drugs_related, weapon_shotgun, weapon_handgun, weapon_rifle,
       weapon_converted_or_modified, weapon_unknown
    into name breakdown_id value count
)

select
    force_code,
    quarter_end,
    measure_id,
    breakdown_id,
    period_start,
    period_end,
    count,
    total,
    100.0 * count / nullif(total, 0) as share_pct
from long_form
order by force_code, quarter_end, measure_id, breakdown_id
