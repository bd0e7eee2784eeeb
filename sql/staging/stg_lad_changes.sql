-- Local authority district code changes since 2009, old code -> the code that replaced it
-- (reference/lad-changes.csv; where each row comes from is in reference/README.md). A row whose
-- old and new code are the same is a change of name only.
select
    trim(old_code)                      as old_code,
    nullif(trim(old_name), '')          as old_name,
    trim(new_code)                      as new_code,
    nullif(trim(new_name), '')          as new_name,
    cast(change_year as integer)        as change_year,
    nullif(trim(instrument), '')        as instrument,
    trim(source)                        as source
from read_csv(getvariable('lad_changes_csv'), header = true, all_varchar = true)
