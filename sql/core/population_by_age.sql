-- ONS mid-year population estimates: persons by single year of age ('90+' the last), every area
-- the release covers. The latest delivered file wins for a mid-year.
with landed as (
    select landed.*, loads.loaded_at
    from landed.ons_population as landed
    left join meta.loaded_files as loads
        on loads.source = 'ons_population' and loads.file_name = landed.source_file
),

latest_file_per_year as (
    select mid_year, arg_max(source_file, loaded_at) as source_file
    from landed
    group by mid_year
)

select mid_year, area_code, area_name, geography, age, persons, source_file
from landed
inner join latest_file_per_year using (mid_year, source_file)
