-- Geography dimension: every 2011 and 2021 LSOA of England and Wales -> MSOA -> local authority ->
-- force area. England's 2011 LSOAs come from the LSOA lookup (with its 2011-era district codes), Wales's
-- from the ONS LSOA (Dec 2011) codes and names, whose district is named in the LSOA name. An LSOA's
-- force is always its district's force area (core.dim_local_authority, from the ONS district to PFA
-- lookup): the lookup's own force column is blank for 53 districts and has no Welsh rows, and a force
-- area is made of whole districts. force_inferred_from_la marks the LSOAs the lookup gives no force for.
--
-- The 2021 LSOAs (ONS list of Census 2021 LSOAs) that are not 2011 LSOAs (split, merged or redrawn for
-- Census 2021) are added: their district is the December 2022 district (reference/ons-ltla22.csv) named
-- in the LSOA name, matched on a normalised name ("Bristol" is "Bristol, City of"); one that matches
-- none is kept with a null district, so the check dim_geography_unique_lsoas fails and names it. A 2021
-- LSOA whose code is a 2011 code is the 2011 LSOA unchanged, one row, described as in 2011. in_2011 and
-- in_2021 say which censuses' LSOAs a row is: a pair of flags rather than one vintage column, because
-- most LSOAs are in both, and an analysis of 2021 data needs the whole 2021 set (in_2021) as one of 2011
-- data needs the 2011 set (in_2011), including the 2011 LSOAs that 2021 dropped.
with england as (
    select
        lsoa_code,
        lsoa_name,
        msoa_code,
        msoa_name,
        la_code,
        la_name,
        region_code,
        region_name,
        home_office_force_name is null as force_inferred_from_la
    from stg_lsoa_lookup
),

-- the Welsh MSOA codes are not in the ONS LSOA file; Wales is its own region-level area (W92000004)
wales as (
    select
        wales.lsoa_code,
        wales.lsoa_name,
        cast(null as varchar) as msoa_code,
        wales.msoa_name,
        authorities.la_code,
        authorities.la_name,
        'W92000004'           as region_code,
        'Wales'               as region_name,
        true                  as force_inferred_from_la
    from stg_lsoa_wales as wales
    left join core.dim_local_authority as authorities
        on authorities.is_current
        and authorities.la_code like 'W%'
        and authorities.la_name = wales.la_name
),

lsoas_2011 as (
    select * from england
    union all by name
    select * from wales
),

-- the district names of the 2021 LSOA names and of the ONS December 2022 list, each with one key that
-- spells both alike: lower case, no ", City of" / ", County of" ending, no leading "The ", "&" as "and",
-- any run of other characters (St. Helens) a single space
district_names as (
    select
        la_name,
        trim(regexp_replace(replace(regexp_replace(regexp_replace(lower(la_name),
            ', (city|county) of$', ''), '^the ', ''), '&', 'and'), '[^a-z0-9]+', ' ', 'g')) as la_name_key
    from (select la_name from stg_lsoa21 union select la_name from stg_lad_2022)
),

-- a region is made of whole districts: a new LSOA is in the region of its district's 2011 LSOAs
region_of_district as (
    select
        authorities.la_code_current,
        min(lsoas_2011.region_code) as region_code,
        min(lsoas_2011.region_name) as region_name
    from lsoas_2011
    inner join core.dim_local_authority as authorities using (la_code)
    group by authorities.la_code_current
    having count(distinct lsoas_2011.region_code) = 1
),

new_2021 as (
    select
        lsoas.lsoa_code,
        lsoas.lsoa_name,
        cast(null as varchar)    as msoa_code,
        lsoas.msoa_name,
        districts.la_code,
        districts.la_name,
        regions.region_code,
        regions.region_name,
        true                     as force_inferred_from_la
    from stg_lsoa21 as lsoas
    left join district_names as lsoa_names on lsoa_names.la_name = lsoas.la_name
    left join (
        select stg_lad_2022.*, names.la_name_key
        from stg_lad_2022
        inner join district_names as names using (la_name)
    ) as districts on districts.la_name_key = lsoa_names.la_name_key
    left join core.dim_local_authority as authorities on authorities.la_code = districts.la_code
    left join region_of_district as regions on regions.la_code_current = authorities.la_code_current
    where lsoas.lsoa_code not in (select lsoa_code from lsoas_2011)
),

lsoas as (
    select
        lsoas_2011.*,
        true                                                         as in_2011,
        lsoas_2011.lsoa_code in (select lsoa_code from stg_lsoa21)   as in_2021
    from lsoas_2011
    union all by name
    select *, false as in_2011, true as in_2021 from new_2021
)

select
    lsoas.lsoa_code,
    lsoas.lsoa_name,
    lsoas.msoa_code,
    lsoas.msoa_name,
    lsoas.la_code,
    lsoas.la_name,
    authorities.la_code_current,
    authorities.la_name_current,
    lsoas.region_code,
    lsoas.region_name,
    authorities.force_code,
    lsoas.force_inferred_from_la,
    lsoas.in_2011,
    lsoas.in_2021
from lsoas
left join core.dim_local_authority as authorities using (la_code)
