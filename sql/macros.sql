-- Macros every model may use, created (as temporary macros) on the connection before each build.

-- The rows of a file source as landed (landed.<source>), each with the time its file was loaded
-- (meta.loaded_files): the one definition of "the latest delivery wins". A model keeps the latest
-- file per period with
--     qualify source_file = arg_max(source_file, loaded_at) over (partition by <period>)
create or replace temp macro landed_deliveries(source_name) as table
    select landed.*, loads.loaded_at
    from query_table('landed.' || source_name) as landed
    left join meta.loaded_files as loads
        on loads.source = source_name and loads.file_name = landed.source_file;
