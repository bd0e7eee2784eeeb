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

-- The extract each force's month of recorded crime was loaded from (meta.loaded_files: its SHA-256), the
-- stamp that tells marts.recorded_crime_counts which months to count again: the same in two warehouses
-- loaded from the same files, unlike the time of the load. One row per force and month (a load replaces
-- the month's row; the grouping makes sure a join on it cannot count a record twice). The table is named
-- by a parameter, as in delivered_months below, so that it is looked up when used.
create or replace temp macro recorded_crime_loads(loads := 'meta.loaded_files') as table
    select force_code, period as month, max(sha256) as file_sha256
    from query_table(loads)
    where source = 'recorded_crime'
    group by force_code, period;

-- Financial years (April to March), the one definition of the board paper's "2021/22": the first day of
-- the year a date falls in, and its label.
create or replace temp macro financial_year_start(day) as
    make_date(year(day) - case when month(day) < 4 then 1 else 0 end, 4, 1);
create or replace temp macro financial_year_label(day) as
    year(financial_year_start(day)) || '/'
    || lpad(cast((year(financial_year_start(day)) + 1) % 100 as varchar), 2, '0');

-- A run of months in words, as the paper writes it: 'January to March 2022', 'December 2021 to
-- February 2022', 'February 2022'.
create or replace temp macro months_label(first_day, last_day) as
    case when date_trunc('month', first_day) = date_trunc('month', last_day) then strftime(first_day, '%B %Y')
         when year(first_day) = year(last_day) then strftime(first_day, '%B') || ' to ' || strftime(last_day, '%B %Y')
         else strftime(first_day, '%B %Y') || ' to ' || strftime(last_day, '%B %Y') end;

-- A window from the start of a financial year in words: '2021/22' when it is the whole year, 'April to
-- June 2021 (2021/22 to date)' when it is part of one.
create or replace temp macro year_to_date_label(first_day, last_day) as
    case when first_day = financial_year_start(last_day) and month(last_day) = 3
         then financial_year_label(last_day)
         else months_label(first_day, last_day) || ' (' || financial_year_label(last_day) || ' to date)' end;

-- The months each force delivered a file of each of the sources (meta.loaded_files): a delivered month
-- with no rows (a header-only file) still counts as delivered. (query_table: the macros are created on
-- every connection, before the tables they read exist; a table named by a parameter is looked up when used.)
create or replace temp macro delivered_months(source_names, loads := 'meta.loaded_files') as table
    select distinct source, force_code, period as month
    from query_table(loads)
    where list_contains(source_names, source) and force_code is not null and period is not null;

-- The quarters a board-paper figure is reported for: every reporting quarter, and every quarter whose last
-- month one of its sources delivered (a force that sends only these files still gets its figures).
create or replace temp macro paper_quarters(source_names, quarters := 'marts.reporting_quarters') as table
    select force_code, quarter_end from query_table(quarters)
    union
    select force_code, cast(last_day(month) as date) from delivered_months(source_names)
    where month(month) in (3, 6, 9, 12);
