-- The local authority districts of England and Wales as of December 2022, the districts Census 2021
-- results (and the 2021 LSOA names) are published for, with their ONS names (reference/ons-ltla22.csv;
-- Scotland and Northern Ireland, which have no police force areas here, are left out).
select
    trim(areacd) as la_code,
    trim(areanm) as la_name
from read_csv(getvariable('lad_2022_csv'), header = true, all_varchar = true, delim = ',', quote = '"')
where left(trim(areacd), 1) in ('E', 'W')
