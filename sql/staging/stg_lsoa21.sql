-- LSOAs (2021) of England and Wales: code and name from the ONS list of Census 2021 LSOAs
-- (reference/ons-lsoa21.csv). ONS names an LSOA after its district as of December 2022 and its MSOA
-- number ("Birmingham 014F" is in MSOA "Birmingham 014" in Birmingham), so the MSOA and district
-- names are the LSOA name less its letter and number. The district is named as the LSOA names write
-- it, which is not always the ONS district name ("Bristol" for "Bristol, City of"); core.dim_geography
-- matches it on a normalised name.
select
    trim(areacd)                                        as lsoa_code,
    trim(areanm)                                        as lsoa_name,
    regexp_replace(trim(areanm), '[A-Z]$', '')          as msoa_name,
    regexp_replace(trim(areanm), ' \d{3}[A-Z]$', '')    as la_name
from read_csv(getvariable('lsoa21_csv'), header = true, all_varchar = true, delim = ',', quote = '"')
