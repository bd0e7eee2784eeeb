-- ONS mid-year population estimates: persons by single year of age ('90+' the last), every area
-- the release covers. The latest delivered file wins for a mid-year.
with landed as (
    -- the latest file per mid-year (sql/macros.sql)
    select * from landed_deliveries('ons_population')
    qualify source_file = arg_max(source_file, loaded_at) over (partition by mid_year)
)

select mid_year, area_code, area_name, geography, age, persons, source_file
from landed
