-- Workforce headcount snapshots: one row per snapshot date, role, neighbourhood, ethnicity, sex.
-- A snapshot re-delivered replaces its date (the file name is the date).
select
    force_code,
    snapshot_date,
    role,
    neighbourhood as is_neighbourhood,
    ethnicity,
    sex,
    headcount,
    source_file,
    source_row
from landed.workforce
