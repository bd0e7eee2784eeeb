-- Every cell of every ONS PFA data table of every edition delivered, one row each.
-- Areas are keyed by code; BTP has none. Where two files carry the same edition, the one loaded
-- last wins.
with landed as (
    -- the latest file per edition (sql/macros.sql)
    select * from landed_deliveries('ons_pfa_tables')
    qualify source_file = arg_max(source_file, loaded_at) over (partition by edition_period_end)
)

select
    landed.edition_period_end,
    landed.table_id,
    landed.area_code,
    landed.area_name,
    landed.area_type,
    landed.measure,
    landed.value,
    landed.marker,
    landed.source_file
from landed
