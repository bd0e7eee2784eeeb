-- Body-worn video on stop and search: one row per search the force recorded, whether body-worn video
-- recorded it: true (Y), false (N) or null (empty: unknown, never counted as N).
select
    force_code,
    cast(date_trunc('month', cast(search_date as date)) as date) as month,
    search_reference,
    cast(search_date as date)                                     as search_date,
    case bwv_recorded when 'Y' then true when 'N' then false end  as is_bwv_recorded,
    source_file,
    source_row
from landed.stop_search_bwv
