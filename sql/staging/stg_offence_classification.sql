-- Every Home Office offence classification delivered, one row per (classification, code, wording):
-- the 2017/18 PRC open-data table shipped in reference/ (the seed, so a warehouse no PRC file has
-- reached yet still knows the codes) and every (code, description, subgroup, group) of every PRC
-- file landed in landed.prc_open_data, any year, csv, xlsx or ods. dim_offence picks one wording
-- per code from these. Codes stay text: '4.10' is not '4.1'.
with seed as (
    select
        trim("Financial Year")                         as financial_year,
        trim("Offence Code")                           as source_code,
        trim("Offence Description")                    as offence_description,
        trim("Offence Subgroup")                       as offence_subgroup,
        trim("Offence Group")                          as offence_group,
        max(try_cast(trim("Financial Quarter") as integer)) as last_quarter,
        parse_filename(getvariable('offence_classification_csv')) as classification_file,
        true                                           as is_seed,
        null::timestamp                                as loaded_at
    from read_csv(getvariable('offence_classification_csv'), header = true, all_varchar = true)
    where nullif(trim("Offence Code"), '') is not null
    group by all
),

-- A file's rows stay in landed.prc_open_data until the file is re-delivered, so a code dropped
-- from later publications is still known from the file that had it.
delivered as (
    select
        prc.financial_year,
        prc.offence_code                               as source_code,
        prc.offence_description,
        prc.offence_subgroup,
        prc.offence_group,
        max(prc.financial_quarter)                     as last_quarter,
        prc.source_file                                as classification_file,
        false                                          as is_seed,
        max(loads.loaded_at)                           as loaded_at
    from landed.prc_open_data as prc
    left join meta.loaded_files as loads
        on loads.source = 'prc_open_data' and loads.file_name = prc.source_file
    where nullif(prc.offence_code, '') is not null
    group by all
)

select * from seed
union all
select * from delivered
