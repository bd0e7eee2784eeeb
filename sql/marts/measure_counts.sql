-- Monthly numerator (and denominator, for percent measures) of every measure, per force.
-- THIS is where each measure is defined: one line per measure in recorded_crime_month_counts.
-- A month a source delivered has a row for every one of its measures, zero included, so a month
-- with no homicides is told apart from a month with no data.
with counted_crimes as (
    -- counted records, summed by offence and flag (marts.recorded_crime_counts): count(*) of a
    -- record-level filter is sum(records) of the same filter here
    select
        crimes.force_code,
        crimes.month,
        crimes.records,
        crimes.offence_code,
        crimes.is_victim_under_25,
        crimes.is_knife_or_sharp_instrument,
        crimes.is_online,
        offences.offence_subgroup,
        offences.offence_group,
        offences.is_knife_selected_offence
    from marts.recorded_crime_counts as crimes
    inner join core.dim_offence as offences using (offence_code)
    where crimes.is_counted
),

recorded_crime_months as (
    -- every month a force delivered an extract, even one holding only cancelled records
    select distinct force_code, month from marts.recorded_crime_counts
),

recorded_crime_month_counts as (
    select
        force_code,
        month,
        sum(records) filter (where offence_subgroup = 'Homicide')                      as homicide,
        sum(records) filter (where offence_subgroup = 'Violence with injury')          as violence_with_injury,
        sum(records) filter (where is_knife_selected_offence and is_knife_or_sharp_instrument) as knife_crime,
        sum(records) filter (where offence_group = 'Possession of weapons offences')   as possession_of_weapons,
        sum(records) filter (where offence_subgroup in ('Domestic burglary', 'Non-domestic burglary')) as burglary,
        sum(records) filter (where offence_subgroup = 'Domestic burglary')             as residential_burglary,
        sum(records) filter (where offence_group = 'Robbery')                          as robbery,
        sum(records) filter (where offence_group = 'Robbery' and is_victim_under_25)   as robbery_u25_victims,
        sum(records) filter (where offence_subgroup in ('Theft from a vehicle', 'Theft of a motor vehicle',
                                                        'Vehicle interference'))       as vehicle_offences,
        sum(records) filter (where offence_subgroup = 'Theft from the person')         as theft_from_person,
        sum(records) filter (where offence_subgroup in ('Domestic burglary', 'Theft from the person',
                                                        'Theft from a vehicle', 'Theft of a motor vehicle',
                                                        'Vehicle interference')
                                or offence_code = '34B')                               as neighbourhood_crime,
        sum(records) filter (where is_online)                                          as online_crime,
        sum(records)                                                                   as all_recorded_crime
    from counted_crimes
    group by force_code, month
),

recorded_crime_months_filled as (
    select
        months.force_code,
        months.month,
        coalesce(counts.homicide, 0)              as homicide,
        coalesce(counts.violence_with_injury, 0)  as violence_with_injury,
        coalesce(counts.knife_crime, 0)           as knife_crime,
        coalesce(counts.possession_of_weapons, 0) as possession_of_weapons,
        coalesce(counts.burglary, 0)              as burglary,
        coalesce(counts.residential_burglary, 0)  as residential_burglary,
        coalesce(counts.robbery, 0)               as robbery,
        coalesce(counts.robbery_u25_victims, 0)   as robbery_u25_victims,
        coalesce(counts.vehicle_offences, 0)      as vehicle_offences,
        coalesce(counts.theft_from_person, 0)     as theft_from_person,
        coalesce(counts.neighbourhood_crime, 0)   as neighbourhood_crime,
        coalesce(counts.online_crime, 0)          as online_crime,
        coalesce(counts.all_recorded_crime, 0)    as all_recorded_crime
    from recorded_crime_months as months
    left join recorded_crime_month_counts as counts using (force_code, month)
),

recorded_crime_measures as (
    unpivot (select * exclude (all_recorded_crime) from recorded_crime_months_filled)
    on columns(* exclude (force_code, month))
    into name measure_id value numerator
),

online_crime_share as (
    select force_code, month, 'online_crime_share' as measure_id,
           online_crime as numerator, all_recorded_crime as denominator
    from recorded_crime_months_filled
),

hospital_admissions as (
    -- the serious-violence measure is the published "Under 25" subtotal, suppressed months kept
    select force_code, month, 'hospital_admissions_sharp_object_u25' as measure_id,
           cast(episodes as double) as numerator, is_suppressed
    from core.fact_hes_admissions
    where age_group = 'Under 25'
),

delivered_months as (
    -- months a force delivered a monthly operational extract (an empty file included)
    select source as source_id, force_code, period as month
    from meta.loaded_files
    where source in ('firearm_discharges', 'drug_activity', 'sms_survey')
),

firearm_discharge_months as (
    select months.force_code, months.month, count(discharges.month) as firearm_discharges
    from delivered_months as months
    left join core.fact_firearm_discharges as discharges using (force_code, month)
    where months.source_id = 'firearm_discharges'
    group by all
),

drug_activity_months as (
    select
        months.force_code,
        months.month,
        count(activity.month) filter (where activity.is_positive_disruption)                  as drug_disruptions,
        count(activity.month) filter (where activity.activity_type = 'County line disruption') as county_lines_disruptions,
        count(activity.month) filter (where activity.activity_type = 'County line closure')    as county_lines_closed,
        coalesce(sum(activity.arrests), 0)                                                     as drug_arrests,
        coalesce(sum(activity.charges), 0)                                                     as drug_charges
    from delivered_months as months
    left join core.fact_drug_activity as activity using (force_code, month)
    where months.source_id = 'drug_activity'
    group by all
),

drug_activity as (
    unpivot drug_activity_months
    on drug_disruptions, county_lines_disruptions, county_lines_closed, drug_arrests, drug_charges
    into name measure_id value numerator
),

satisfaction_months as (
    select
        months.force_code,
        months.month,
        count(responses.month) filter (where responses.is_satisfied) as satisfied,
        count(responses.month) filter (where responses.is_answered)  as answered
    from delivered_months as months
    left join core.fact_sms_responses as responses using (force_code, month)
    where months.source_id = 'sms_survey'
    group by all
),

operational_measures as (
    select force_code, month, 'firearm_discharges' as measure_id, firearm_discharges as numerator,
           cast(null as bigint) as denominator
    from firearm_discharge_months
    union all
    select force_code, month, measure_id, numerator, null from drug_activity
    union all
    select force_code, month, 'satisfaction_rate', satisfied, answered from satisfaction_months
    union all
    select force_code, month, 'satisfaction_responses', answered, null from satisfaction_months
),

all_measures as (
    select force_code, month, measure_id, cast(numerator as double) as numerator,
           cast(null as double) as denominator, false as is_suppressed
    from recorded_crime_measures
    union all
    select force_code, month, measure_id, numerator, denominator, false
    from online_crime_share
    union all
    select force_code, month, measure_id, numerator, null, is_suppressed
    from hospital_admissions
    union all
    select force_code, month, measure_id, cast(numerator as double), cast(denominator as double), false
    from operational_measures
)

select
    all_measures.force_code,
    all_measures.measure_id,
    all_measures.month,
    all_measures.numerator,
    all_measures.denominator,
    all_measures.is_suppressed,
    measures.source_id
from all_measures
inner join core.dim_measure as measures using (measure_id)
