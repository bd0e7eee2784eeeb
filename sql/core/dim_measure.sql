-- The National Crime and Policing Measures and their proxies: one row per measure.
-- How each measure is counted lives in sql/marts/measure_counts.sql; this table says how it is
-- reported. lag_months is the source's reporting lag: the window of a quarter ends that many
-- months before quarter end (HES is published a month behind). stable_band_pct: a change against
-- the baseline smaller than this, either way, is reported as stable.
with ons_published as (
    -- where the ONS PFA data tables publish the same offence group: the official baseline
    -- (year ending June 2019 edition) and the England and Wales comparison come from here
    select * from (values
        ('homicide', 'P1', 'Homicide'),
        ('violence_with_injury', 'P1', 'Violence with injury'),
        ('knife_crime', 'P4', 'Total of selected serious offences: Number of offences involving a knife'),
        ('possession_of_weapons', 'P1', 'Possession of weapons offences'),
        ('burglary', 'P1', 'Burglary'),
        ('residential_burglary', 'P1', 'Residential burglary'),
        ('robbery', 'P1', 'Robbery'),
        ('vehicle_offences', 'P1', 'Vehicle offences'),
        ('theft_from_person', 'P1', 'Theft from the person')
    ) as published(measure_id, ons_table_id, ons_measure)
),

measures as (
    select * from (values
        ('homicide', 'Homicide', 'Homicide', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 10),
        ('hospital_admissions_sharp_object_u25', 'Hospital admissions for assault by a sharp object, under 25', 'Serious violence', 'count', 'lower_is_better', 'hes', 'NHS England Hospital Episode Statistics', 1, 5.0, 20),
        ('violence_with_injury', 'Violence with injury', 'Serious violence', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 21),
        ('knife_crime', 'Knife or sharp instrument offences (ONS selected offences)', 'Serious violence', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 22),
        ('possession_of_weapons', 'Possession of weapons offences', 'Serious violence', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 23),
        ('firearm_discharges', 'Firearm discharges', 'Serious violence', 'count', 'lower_is_better', 'firearm_discharges', 'Force firearm discharge log', 0, 5.0, 24),
        ('drug_disruptions', 'Positive drug disruptions', 'Drugs and county lines', 'count', 'higher_is_better', 'drug_activity', 'Force drug and county lines activity', 0, 5.0, 30),
        ('county_lines_disruptions', 'County lines disruptions', 'Drugs and county lines', 'count', 'higher_is_better', 'drug_activity', 'Force drug and county lines activity', 0, 5.0, 31),
        ('county_lines_closed', 'County lines closed', 'Drugs and county lines', 'count', 'higher_is_better', 'drug_activity', 'Force drug and county lines activity', 0, 5.0, 32),
        ('drug_arrests', 'Drug activity arrests', 'Drugs and county lines', 'count', 'higher_is_better', 'drug_activity', 'Force drug and county lines activity', 0, 5.0, 33),
        ('drug_charges', 'Drug activity charges', 'Drugs and county lines', 'count', 'higher_is_better', 'drug_activity', 'Force drug and county lines activity', 0, 5.0, 34),
        ('neighbourhood_crime', 'Neighbourhood crime', 'Neighbourhood crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 40),
        ('burglary', 'Burglary (residential and business and community)', 'Neighbourhood crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 41),
        ('residential_burglary', 'Residential burglary', 'Neighbourhood crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 42),
        ('robbery', 'Robbery', 'Neighbourhood crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 43),
        ('robbery_u25_victims', 'Robbery, victims under 25', 'Neighbourhood crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 44),
        ('vehicle_offences', 'Vehicle offences', 'Neighbourhood crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 45),
        ('theft_from_person', 'Theft from the person', 'Neighbourhood crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 46),
        ('satisfaction_rate', 'SMS survey: helped with the issue (8 or more out of 10)', 'Satisfaction', 'percent', 'higher_is_better', 'sms_survey', 'Force SMS satisfaction survey', 0, 2.0, 50),
        ('satisfaction_responses', 'SMS survey responses answered', 'Satisfaction', 'count', 'higher_is_better', 'sms_survey', 'Force SMS satisfaction survey', 0, 5.0, 51),
        ('online_crime', 'Online crime', 'Cyber crime', 'count', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 60),
        ('online_crime_share', 'Online crime as a share of all recorded crime', 'Cyber crime', 'percent', 'lower_is_better', 'recorded_crime', 'Force recorded crime', 0, 5.0, 61)
    ) as measures(measure_id, measure_name, priority, unit, polarity, source_id, source_label, lag_months,
                  stable_band_pct, display_order)
)

select
    measures.measure_id,
    measures.measure_name,
    measures.priority,
    measures.unit,
    measures.polarity,
    measures.source_id,
    measures.source_label,
    measures.lag_months,
    measures.stable_band_pct,
    measures.display_order,
    ons_published.ons_table_id,
    ons_published.ons_measure
from measures
left join ons_published using (measure_id)
