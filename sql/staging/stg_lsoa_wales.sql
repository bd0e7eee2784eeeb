-- Welsh LSOAs (2011): code and name from the ONS LSOA (Dec 2011) boundaries file
-- (reference/lsoa11-wales.csv). ONS names an LSOA after its local authority and MSOA number
-- ("Cardiff 001A" is in MSOA "Cardiff 001" in Cardiff), so the MSOA and district names are the
-- LSOA name less its letter and number. The file writes "The Vale of Glamorgan" where the district
-- is "Vale of Glamorgan", so a leading "The " is dropped to match the district's ONS name.
select
    trim(LSOA11CD)                                                         as lsoa_code,
    trim(LSOA11NM)                                                         as lsoa_name,
    regexp_replace(trim(LSOA11NM), '[A-Z]$', '')                           as msoa_name,
    regexp_replace(regexp_replace(trim(LSOA11NM), ' \d{3}[A-Z]$', ''), '^The ', '') as la_name
from read_csv(getvariable('welsh_lsoa_csv'), header = true, all_varchar = true)
