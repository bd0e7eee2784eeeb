-- Every cell of every ONS PFA data table of every edition delivered, one row each.
-- Areas are keyed by code; BTP has none. Where two files carry the same edition, the one loaded
-- last wins.
with landed as (
    select landed.*, loads.loaded_at
    from landed.ons_pfa_tables as landed
    left join meta.loaded_files as loads
        on loads.source = 'ons_pfa_tables' and loads.file_name = landed.source_file
),

latest_file_per_edition as (
    select edition_period_end, arg_max(source_file, loaded_at) as source_file
    from landed
    group by edition_period_end
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
inner join latest_file_per_edition using (edition_period_end, source_file)
