-- Offence dimension: the Home Office classification, one row per offence code, from every
-- classification delivered (stg_offence_classification: the shipped 2017/18 table and every PRC
-- file landed). A code takes the wording of the latest financial year that lists it, so a code
-- introduced after 2017/18 is known and a renamed one reads as the Home Office now writes it.
-- The PRC tables publish homicide as one combined code; force records use the individual codes,
-- so the combined code is expanded to them.
with classification as (
    select * from stg_offence_classification
),

expanded as (
    select trim(codes.code) as offence_code, classification.*
    from classification, unnest(regexp_split_to_array(classification.source_code, '\s*/\s*')) as codes(code)
),

-- Latest financial year first ('YYYY/YY' sorts as text). Within a year: a code listed in its own
-- right before the same code expanded from the combined one; a delivered file before the shipped
-- seed; the later quarter; the file loaded last (as in fact_prc_offences). The wording columns
-- close the order so the pick never depends on scan order.
ranked as (
    select
        *,
        row_number() over (
            partition by offence_code
            order by financial_year desc, offence_code <> source_code, is_seed, last_quarter desc nulls last,
                     loaded_at desc nulls last, classification_file desc, offence_description, offence_subgroup,
                     offence_group
        ) as pick
    from expanded
),

all_codes as (
    select offence_code, offence_description, offence_subgroup, offence_group, source_code,
           financial_year as classification_year, classification_file
    from ranked
    where pick = 1
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
    all_codes.offence_description ilike '%(outcome only)%' as is_outcome_only,
    -- which classification the wording came from: its financial year and the file that carried it
    all_codes.classification_year,
    all_codes.classification_file
from all_codes
left join knife_selected_offence_codes as knife using (offence_code)
left join unlawful_driving_codes as driving using (offence_code)
