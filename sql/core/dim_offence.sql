-- Offence dimension: the Home Office classification, one row per offence code.
-- The PRC tables publish homicide as one combined code; force records use the individual codes,
-- so the combined code is expanded to them.
with classification as (
    select * from stg_offence_classification
),

combined_homicide as (
    select
        unnest(string_split(source_code, '/')) as offence_code,
        offence_description,
        offence_subgroup,
        offence_group,
        source_code
    from classification
    where source_code like '%/%'
),

single_codes as (
    select source_code as offence_code, offence_description, offence_subgroup, offence_group, source_code
    from classification
    where source_code not like '%/%'
),

all_codes as (
    select * from single_codes
    union all
    select * from combined_homicide
),

-- ONS has reported death or serious injury caused by unlawful driving as its own subgroup since the
-- year ending June 2017 (ONS PFA tables, footnote to Table P1); the PRC open data still files those
-- codes under Violence with injury. The national measure follows ONS.
unlawful_driving_codes(offence_code) as (
    values ('4.4'), ('4.6'), ('4.8'), ('4.9'), ('37.1')
),

-- The ONS "selected offences" for knife or sharp instrument crime (ONS PFA Table P4): homicide,
-- attempted murder, threats to kill, assault with injury and with intent to cause serious harm,
-- robbery, rape and sexual assault.
knife_selected_offence_codes(offence_code) as (
    values ('1'), ('4.1'), ('4.2'), ('4.10'), ('2'), ('3B'), ('8N'), ('8P'), ('5D'),
           ('34A'), ('34B'), ('19C'), ('19D'), ('19E'), ('19F'), ('19G'), ('19H'),
           ('17A'), ('17B'), ('20A'), ('20B')
)

select
    all_codes.offence_code,
    all_codes.offence_description,
    case when driving.offence_code is not null
         then 'Death or serious injury caused by unlawful driving'
         else all_codes.offence_subgroup end      as offence_subgroup,
    all_codes.offence_group,
    all_codes.source_code,
    knife.offence_code is not null               as is_knife_selected_offence,
    all_codes.offence_group = 'Fraud offences'    as is_fraud,
    all_codes.offence_description ilike '%(outcome only)%' as is_outcome_only
from all_codes
left join knife_selected_offence_codes as knife using (offence_code)
left join unlawful_driving_codes as driving using (offence_code)
