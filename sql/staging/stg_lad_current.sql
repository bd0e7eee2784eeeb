-- The local authority districts of England and Wales as of the April 2023 changes, with their ONS
-- names (reference/ons-ltla23.csv, the ONS list of May 2023 districts; Scotland and Northern
-- Ireland, which have no police force areas here, are left out).
select
    trim(areacd) as la_code,
    trim(areanm) as la_name
from read_csv(getvariable('lad_current_csv'), header = true, all_varchar = true)
where left(trim(areacd), 1) in ('E', 'W')
