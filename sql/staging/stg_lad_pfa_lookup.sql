-- ONS Local Authority District to Community Safety Partnership to Police Force Area (January 2017)
-- lookup, as published (reference/ons-lad17-csp17-pfa17-lookup.csv): one row per 2017 district.
-- The CSP columns are not needed: a force area is made of whole districts.
select distinct
    trim(LAD17CD) as la_code,
    trim(LAD17NM) as la_name,
    trim(PFA17CD) as pfa_code,
    trim(PFA17NM) as pfa_name
from read_csv(getvariable('lad_pfa_lookup_csv'), header = true, all_varchar = true)
