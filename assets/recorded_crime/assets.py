"""Recorded crime: force extracts, a range of months in one run, from landing to the star schema.

crime_extracts (ingest) -> validated_crime_extracts (validation, GX suite as blocking checks)
-> fact_recorded_crime (warehouse). A month is the unit of delivery; a run takes a range of months
(Dagster's single-run backfill policy: a backfill of five years is one run, one read, one
validation). Rows pass from asset to asset as DuckDB tables in the run's scratch database beside the
working warehouse (`scratch.crime_extracts`, `scratch.validated_crime_extracts`; resources.SCRATCH), not
as pickled DataFrames. A
re-delivered month replaces that month, for the forces delivered, in one transaction; a
byte-identical re-delivery is not read again.
"""

import warnings

import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)

from assets.dimensions.assets import dim_offence
from assets.lib.errors import RejectedFile
from assets.lib.file_sources import (
    LOADED_FILES_TABLE,
    loaded_fingerprints,
    record_loaded_files,
    refresh_fingerprints,
)
from assets.lib.force_csv import FIRST_DATA_ROW, ForceCsv, drop_force_csvs, load_force_csvs
from assets.lib.landing import FORCE_CRIMES, fingerprints_of, quarantine_misnamed
from assets.lib.partitions import describe_range, month_of, monthly_partitions
from assets.lib.resources import SCRATCH, Exports, LandingFolder, Warehouse
from assets.lib.sql import (
    create_staging_view,
    describe_table,
    drop_relation,
    frame_of,
    model_sql,
    quoted_list,
    sql_deps,
    table_columns,
    table_exists,
    table_metadata,
)
from assets.lib.validation import (
    DuckDBTable,
    check_results,
    check_specs,
    docs_metadata,
    quarantine_rejected,
    rejections_by_file,
    validate,
)
from assets.recorded_crime.parser import OPTIONAL_RECORDED_CRIME_COLUMNS, RECORDED_CRIME_COLUMNS

SUITE = "recorded_crime"
FACT_TABLE = "core.fact_recorded_crime"
EXTRACTS_TABLE = f"{SCRATCH}.crime_extracts"
VALIDATED_TABLE = f"{SCRATCH}.validated_crime_extracts"
EXTRACT_FILES_TABLE = f"{SCRATCH}.crime_extract_files"
# Columns the suite's rules read, made from the delivered ones (SQL over a row of the extracts, its file's
# constants among them): recorded_month, from recorded_date as delivered, for the rule that a record lies in
# the month its file is named for, row by row across a range of months; crime_reference_in_month, the
# reference with its force and month (null where the reference is), for the rule that a reference is not
# repeated within the force's month. That rule asks that the key's proportion of unique values be 1, which
# GX works out with one count(distinct); its rule for three columns' uniqueness joins every row back to their
# grouping (36 M rows: the suite 34 s with that rule, 23 s with this one). force_code and file_month are of
# fixed width, so the key is unambiguous.
_DERIVED = {"recorded_month": "substr(recorded_date, 1, 7)",
            "crime_reference_in_month": "force_code || ' ' || file_month || ' ' || crime_reference"}
# every field as delivered (text), the optional ones (null when the file had no such column) each with
# its _supplied flag, the derived ones, then where each row came from
OPTIONAL_EXTRACT_COLUMNS = tuple(name for column in OPTIONAL_RECORDED_CRIME_COLUMNS
                                 for name in (column, f"{column}_supplied"))
FILE_CONSTANTS = ("force_code", "file_month", "file_sha256")
EXTRACT_COLUMNS = (*RECORDED_CRIME_COLUMNS, *OPTIONAL_EXTRACT_COLUMNS, *_DERIVED, "source_file", "source_row",
                   *FILE_CONSTANTS)
# the single-run backfill policy is marked beta in Dagster 1.13; it is what makes a range one run
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=Warning)
MONTHLY = {"partitions_def": monthly_partitions, "backfill_policy": BackfillPolicy.single_run()}


def months_of(context: AssetExecutionContext) -> list[str]:
    """The months ('2022-03') of the run's partition range: one month for the sensor, many for a backfill."""
    return [month_of(key) for key in context.partition_keys]


def _empty_extracts() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in EXTRACT_COLUMNS})
    frame["source_row"] = pd.Series(dtype="int64")
    return frame


@asset(
    group_name="ingest",
    **MONTHLY,
    kinds={"csv", "duckdb"},
    owners=["team:data-engineering"],
    description="The crime extracts of the run's months (`force/crimes/<force>-crimes-<YYYY-MM>.csv`) that are "
    "new or changed since they were loaded, as delivered: every field as text, with the file and row each "
    "came from, in scratch.crime_extracts (the run's working tables, beside the working warehouse).",
)
def crime_extracts(context: AssetExecutionContext, landing: LandingFolder, warehouse: Warehouse) -> MaterializeResult:
    months = months_of(context)
    for where, reason in quarantine_misnamed(landing.path, FORCE_CRIMES):
        context.log.error(f"{reason} (moved to {where})")
    with warehouse.get_connection() as conn:
        loaded = loaded_fingerprints(conn, FORCE_CRIMES.name, [f"{m}-01" for m in months])
    files = [f for f in landing.files(FORCE_CRIMES) if f.month in set(months)]
    to_read, unchanged, prints, touched = [], [], [], {}
    by_path = {file.path: file for file in files}
    for path, found in fingerprints_of(list(by_path), loaded, "crime extracts (hashing)").items():
        file, known = by_path[path], loaded.get(path.name)
        if known is not None and known.sha256 == found.sha256:
            # a byte-identical re-delivery is already in the warehouse: not read, validated or loaded again
            unchanged.append(file.path.name)
            if found != known:
                touched[path.name] = found
        else:
            to_read.append(ForceCsv(file.path, dict(zip(FILE_CONSTANTS, (file.force_code, file.month, found.sha256),
                                                        strict=True))))
            prints.append((path.name, found.size, found.mtime_ns))
    # not in a transaction (load_force_csvs says why): scratch.crime_extracts is the run's working table, made
    # again by the next run, and nothing published reads it
    with warehouse.get_connection() as conn:
        refresh_fingerprints(conn, FORCE_CRIMES.name, touched)
        # the size and time each file was hashed at, recorded with the file when its rows load
        conn.execute(f"create or replace table {EXTRACT_FILES_TABLE} (source_file varchar, file_size bigint, "
                     "file_mtime_ns bigint)")
        if prints:
            conn.executemany(f"insert into {EXTRACT_FILES_TABLE} values (?, ?, ?)", prints)
        # the whole range in one DuckDB statement, straight into the working warehouse
        file_rows, rejections = load_force_csvs(conn, EXTRACTS_TABLE, to_read, RECORDED_CRIME_COLUMNS,
                                                OPTIONAL_RECORDED_CRIME_COLUMNS, FILE_CONSTANTS, _DERIVED)
        # a header with no rows under it is an export that failed (a force records crimes every month), so
        # it is rejected rather than loaded as a month of no crime
        rejections += [RejectedFile(f.path, "no data rows under the header: a month's extract holds at least one "
                                    "crime", row=FIRST_DATA_ROW)
                       for f in to_read if f.path.name not in file_rows
                       and f.path.name not in {r.path.name for r in rejections}]
        metadata = table_metadata(conn, EXTRACTS_TABLE)
    rejected = []
    for error in sorted(rejections, key=lambda e: e.path.name):
        # the other files of the range still load
        where = landing.quarantine(error.path, str(error))
        context.log.error(f"{error} (moved to {where})")
        rejected.append(str(error))
    context.log.info(f"{len(file_rows)} file(s) read, {sum(file_rows.values()):,} rows; {len(unchanged)} unchanged, "
                     f"{len(rejected)} rejected")
    month_of_file = {file.path.name: file.constants["file_month"] for file in to_read}
    rows_by_month: dict[str, int] = {}
    for name, rows in file_rows.items():
        rows_by_month[month_of_file[name]] = rows_by_month.get(month_of_file[name], 0) + rows
    describe_range(context, {
        **metadata,
        "months": MetadataValue.json(months),
        "files": MetadataValue.json(file_rows),
        "unchanged_files": MetadataValue.json(unchanged),
        "rejected": MetadataValue.json(rejected),
    }, rows_by_month)
    return MaterializeResult()


@asset(
    group_name="validation",
    **MONTHLY,
    deps=[crime_extracts, dim_offence],
    kinds={"great_expectations", "duckdb"},
    owners=["team:data-engineering"],
    check_specs=check_specs(SUITE, "validated_crime_extracts"),
    description="The extracts of the run's months that passed the recorded_crime Great Expectations suite "
    "(expectations/recorded_crime.json), validated once for the whole range, in "
    "scratch.validated_crime_extracts. A file that breaks a critical expectation is quarantined and left out; "
    "the other files load.",
)
def validated_crime_extracts(
    context: AssetExecutionContext, landing: LandingFolder, warehouse: Warehouse, exports: Exports,
):
    months = months_of(context)
    span = months[0] if len(months) == 1 else f"{months[0]}_to_{months[-1]}"
    with warehouse.get_connection() as conn:
        offence_codes = [row[0] for row in conn.execute("select offence_code from core.dim_offence").fetchall()]
        # the whole range at once, where it lies: Great Expectations runs each rule as a query in DuckDB, so
        # memory does not grow with the range as a DataFrame of it would
        outcomes = validate(DuckDBTable(conn, EXTRACTS_TABLE), SUITE, {"offence_codes": offence_codes},
                            docs_dir=exports.data_docs, run_name=f"{SUITE}-{span}")
        files = frame_of(conn, f"select distinct source_file from {EXTRACTS_TABLE}")
    quarantined = quarantine_rejected(
        files, rejections_by_file(outcomes), lambda name: landing.path / FORCE_CRIMES.folder / name,
        landing.quarantine, context.log.error)
    with warehouse.get_connection() as conn:
        # the rejected files' rows left out by a view: the delivery is not copied again (one statement, so a
        # crash leaves the view as it was or as it is now; the next run makes it again)
        drop_relation(conn, VALIDATED_TABLE)
        conn.execute(f"create view {VALIDATED_TABLE} as select * from {EXTRACTS_TABLE} "
                     f"where source_file not in ({quoted_list(sorted(quarantined))})")
        metadata = table_metadata(conn, VALIDATED_TABLE)
        rows_by_month = dict(conn.execute(f"select file_month, count(*) from {VALIDATED_TABLE} group by all")
                             .fetchall())
    docs = docs_metadata(exports.data_docs, SUITE)
    describe_range(context, {
        **metadata,
        "months": MetadataValue.json(months),
        "expectations_passed": sum(o.success for o in outcomes),
        "expectations_failed": sum(not o.success for o in outcomes),
        "rejected_files": MetadataValue.json(sorted(quarantined - {"*"})),
        **docs,
    }, rows_by_month, on_every_month=("expectations_passed", "expectations_failed", *docs))
    yield MaterializeResult()
    yield from check_results(outcomes, "validated_crime_extracts", quarantined)


class _ReferencesLoadedElsewhere(Exception):
    """Raised inside the load transaction (so that it rolls back) with the clashing rows by file."""

    def __init__(self, lines_by_file: dict[str, list[str]]) -> None:
        self.lines_by_file = lines_by_file
        super().__init__(f"{sum(map(len, lines_by_file.values()))} crime reference(s) already loaded")


REFERENCE_RULE = "crime_reference must be unique within the force across all months (nothing counted twice)"


@asset(
    group_name="warehouse",
    **MONTHLY,
    deps=[validated_crime_extracts, *sql_deps("fact_recorded_crime")],
    kinds={"duckdb", "sql"},
    owners=["team:data-engineering"],
    description="core.fact_recorded_crime: one row per crime record (cancelled kept, never counted), keyed "
    "to force, date, offence and LSOA, with the file and row it came from. Each delivered month replaces that "
    "month of its force.",
)
def fact_recorded_crime(context: AssetExecutionContext, warehouse: Warehouse, landing: LandingFolder
                        ) -> MaterializeResult:
    months = months_of(context)
    refused: set[str] = set()
    while True:
        try:
            with warehouse.transaction() as conn:
                loaded = _load_validated(conn, refused, context.run_id)
                _refuse_references_loaded_elsewhere(conn)
                metadata = table_metadata(conn, FACT_TABLE)
                # what this run loaded (a month whose files were all unchanged loaded nothing)
                loaded_months = sorted({f"{month}-01" for _, _, month, _, _ in loaded})
                by_month: dict[str, int] = {}
                for _, _, month, _, rows in loaded:
                    by_month[month] = by_month.get(month, 0) + int(rows)
                # each month's rows (every force's), and the cancelled records among the months loaded
                month_rows = {str(month)[:7]: int(rows) for month, rows in conn.execute(
                    f"select month, count(*) from {FACT_TABLE} where month between ? and ? group by all",
                    [f"{months[0]}-01", f"{months[-1]}-01"]).fetchall()}
                cancelled = conn.execute(f"select count(*) filter (where not is_counted) from {FACT_TABLE} "
                                         "where list_contains(?::date[], month)", [loaded_months]).fetchone()[0]
            break
        except _ReferencesLoadedElsewhere as clash:
            # the transaction rolled back; the files that would count a crime twice go to quarantine
            # and the range loads again without them (their months keep their previous data)
            for file_name, lines in clash.lines_by_file.items():
                path = landing.path / FORCE_CRIMES.folder / file_name
                if path.exists():
                    where_to = landing.quarantine(path, f"{REFERENCE_RULE}:\n" + "\n".join(lines))
                    context.log.error(f"{file_name} rejected, moved to {where_to}:\n" + "\n".join(lines[:5]))
                refused.add(file_name)
    with warehouse.get_connection() as conn:
        # the working tables go once the load has committed (a transaction writes one database, and they are in
        # the scratch one); a crash before this leaves them to the next run, which makes them again
        drop_relation(conn, VALIDATED_TABLE)
        drop_force_csvs(conn, EXTRACTS_TABLE)
        conn.execute(f"drop table if exists {EXTRACT_FILES_TABLE}")
        # the load folded into the database file now: until a checkpoint, the checks below scanned the rows the
        # load replaced and added in their in-memory state, 3 to 4 s for one month in a 36 M-row table, against
        # 0.3 s after a checkpoint of 0.1 s
        conn.execute("checkpoint")
    context.log.info(f"loaded {len(loaded)} file(s) over {len(months)} month(s); refused {sorted(refused)}")
    describe_range(context, {
        **metadata,
        "files_loaded": MetadataValue.json(sorted(name for name, *_ in loaded)),
        "files_refused": MetadataValue.json(sorted(refused)),
        "rows_by_month": MetadataValue.json(by_month),
        "cancelled_records": int(cancelled),
    }, month_rows)
    return MaterializeResult()


def _load_validated(conn, refused: set[str], run_id: str) -> list[tuple]:
    """Replace, for every (force, month) delivered, the month's rows with the validated delivery; record
    each file loaded. Returns (file, force_code, month, sha256, rows) of the files loaded."""
    if not table_exists(conn, VALIDATED_TABLE):
        # nothing validated in this run (every file unchanged or rejected)
        ensure_fact_table(conn)
        return []
    # a view, not a copy; the names of refused files are SQL-quoted (a view takes no parameters)
    conn.execute(f"create or replace temp view validated_crime_extracts as select * from {VALIDATED_TABLE} "
                 f"where source_file not in ({quoted_list(sorted(refused))})")
    fact_sql = ensure_fact_table(conn, staged=True)
    files = conn.execute(
        "select source_file, force_code, file_month, file_sha256, count(*) from validated_crime_extracts "
        "group by all order by file_month, force_code").fetchall()
    if not files:
        return []
    conn.execute(
        f"delete from {FACT_TABLE} as crimes using (select distinct force_code, cast(file_month || '-01' as date) "
        "as month from validated_crime_extracts) as delivered "
        "where crimes.force_code = delivered.force_code and crimes.month = delivered.month")
    conn.execute(f"insert into {FACT_TABLE} by name select * from ({fact_sql})")
    describe_table(conn, FACT_TABLE, "fact_recorded_crime")
    conn.execute(
        f"delete from {LOADED_FILES_TABLE} as files using (select distinct force_code, "
        "cast(file_month || '-01' as date) as period from validated_crime_extracts) as delivered "
        "where files.source = ? and files.force_code = delivered.force_code and files.period = delivered.period",
        [FORCE_CRIMES.name])
    hashed_at = dict.fromkeys((name for name, *_ in files), (None, None))
    if table_exists(conn, EXTRACT_FILES_TABLE):
        hashed_at |= {name: (size, mtime) for name, size, mtime in
                      conn.execute(f"select * from {EXTRACT_FILES_TABLE}").fetchall() if name in hashed_at}
    record_loaded_files(conn, [[FORCE_CRIMES.name, name, force, f"{month}-01", sha, int(rows), *hashed_at[name]]
                               for name, force, month, sha, rows in files], run_id)
    return files


def ensure_fact_table(conn, staged: bool = False) -> str:
    """Make sure the fact table exists and return the fact model's SQL. With `staged`, the run's
    validated rows are the temp table validated_crime_extracts; without, the table is created empty, so
    the marts can be built before a force has delivered any month."""
    if not staged:
        conn.register("validated_crime_extracts", _empty_extracts())
    try:
        create_staging_view(conn, "stg_recorded_crime")
        fact_sql = model_sql("fact_recorded_crime")
        conn.execute(f"create table if not exists {FACT_TABLE} as select * from ({fact_sql}) limit 0")
        _add_new_columns(conn, fact_sql)
    finally:
        if not staged:
            conn.unregister("validated_crime_extracts")
    return fact_sql


def _add_new_columns(conn, fact_sql: str) -> None:
    """A fact table made before the model gained a column (suspect_age) gets it, null on the rows already
    loaded (unknown: a month delivered again fills it in); rows go in by name, so order does not matter."""
    existing = {name for name, *_ in table_columns(conn, FACT_TABLE)}
    for column, kind in conn.execute(
            f"select column_name, column_type from (describe select * from ({fact_sql}))").fetchall():
        if column not in existing:
            conn.execute(f'alter table {FACT_TABLE} add column "{column}" {kind}')


def _refuse_references_loaded_elsewhere(conn) -> None:
    """Inside the load transaction: a crime reference a delivered month shares with another month
    would be counted twice. The later delivery is refused (raising rolls the load back): against a
    month loaded earlier, or, within the range, against an earlier month of the same run. Only the
    delivered forces' rows are looked at, and as text only those whose key's hash another month shares."""
    clashes = conn.execute(
        f"""
        with delivered as (
            select distinct force_code, cast(file_month || '-01' as date) as month from validated_crime_extracts
        ),
        delivered_keys as (
            select hash(force_code, crime_reference) as key, month
            from {FACT_TABLE} inner join delivered using (force_code, month)
        ),
        -- the keys a delivered row shares with a row of another month, joined as 64-bit hashes of force and
        -- reference, and among the delivered forces only: at the first load of 36 M rows 3.9 s, against 11 s
        -- for the join on the text of every row (a month re-delivered: 0.1 s either way). Two keys sharing a
        -- hash only let another key through to the comparison of the text below.
        suspect_keys as (
            select distinct delivered_keys.key from delivered_keys
            inner join (select hash(force_code, crime_reference) as key, month from {FACT_TABLE}
                        where force_code in (select force_code from delivered)) as held using (key)
            where held.month <> delivered_keys.month
        ),
        suspects as (
            select * from {FACT_TABLE} where hash(force_code, crime_reference) in (select key from suspect_keys)
        ),
        new_rows as (
            select suspects.* from suspects inner join delivered using (force_code, month)
        )
        select new_rows.source_file, new_rows.source_row, new_rows.crime_reference, old.source_file as loaded_in
        from new_rows
        inner join suspects as old using (force_code, crime_reference)
        where old.month <> new_rows.month
          and (old.month < new_rows.month
               or not exists (select 1 from delivered where delivered.force_code = old.force_code
                              and delivered.month = old.month))
        order by new_rows.source_file, new_rows.source_row
        """
    ).fetchall()
    if not clashes:
        return
    lines: dict[str, list[str]] = {}
    for file_name, row, reference, loaded_in in clashes:
        lines.setdefault(file_name, []).append(
            f"{file_name} row {row}: crime_reference {reference} is already loaded from {loaded_in}")
    raise _ReferencesLoadedElsewhere(lines)


# The crimes of the months a run loaded: the offence and geography checks look at these, so their cost is that of
# the run's months, not of the history already loaded (repeated_references looks at the run's forces).
_CRIMES_LOADED_BY_RUN = f"""
    select crimes.* from {FACT_TABLE} as crimes
    inner join (select force_code, period as month from {LOADED_FILES_TABLE} where source = ? and run_id = ?)
        using (force_code, month)
"""


def _run_key(context: AssetCheckExecutionContext) -> list[str]:
    return [FORCE_CRIMES.name, context.run.run_id]


def repeated_references(conn, source: str, run_id: str, shown: int = 20) -> pd.DataFrame:
    """The crime references of the months a run loaded that appear more than once in their force (force_code,
    crime_reference, copies), the first `shown` of them.

    Keys are grouped as 64-bit hashes of force and reference, over the rows of the run's forces, each row marked
    whether the run loaded it: one aggregate of integers (36 M rows: 4.8 s, against 11 s for the text of the
    run's keys looked up in the whole table; one month re-delivered: 0.2 s against 0.7 s). Only the keys found
    are grouped again as text, so two keys sharing a hash cannot be reported as one repeated."""
    return conn.execute(
        f"""
        with run_months as (
            -- distinct: a month recorded twice in meta.loaded_files would double its rows here (the grouping
            -- of the text below would still count them once)
            select distinct force_code, period as month, true as is_loaded_by_run from {LOADED_FILES_TABLE}
            where source = $source and run_id = $run_id
        ),
        repeated_keys as (
            select hash(force_code, crime_reference) as key
            from {FACT_TABLE} left join run_months using (force_code, month)
            where force_code in (select force_code from run_months)
            group by key having count(*) > 1 and bool_or(is_loaded_by_run)
        )
        select crimes.force_code, crimes.crime_reference, count(*) as copies
        from {FACT_TABLE} as crimes
        where hash(crimes.force_code, crimes.crime_reference) in (select key from repeated_keys)
        group by all having count(*) > 1
        order by all limit {int(shown)}
        """,
        {"source": source, "run_id": run_id},
    ).df()


@asset_check(asset=fact_recorded_crime, blocking=True,
             description="A crime reference appears once per force across all months: nothing counted twice. "
             "Checks the keys of the months this run loaded against every month of their forces.")
def fact_recorded_crime_unique_references(
    context: AssetCheckExecutionContext, warehouse: Warehouse
) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        duplicates = repeated_references(conn, *_run_key(context))
        checked = conn.execute(f"select count(*) from {LOADED_FILES_TABLE} where source = ? and run_id = ?",
                               _run_key(context)).fetchall()[0][0]
    return AssetCheckResult(
        passed=duplicates.empty,
        metadata={"files_checked": int(checked),
                  "duplicates_shown": MetadataValue.md(duplicates.to_markdown(index=False) if len(duplicates)
                                                        else "none")},
    )


@asset_check(asset=fact_recorded_crime, blocking=True,
             description="Every crime of the months this run loaded has its offence code in the offence "
             "dimension.")
def fact_recorded_crime_offences_resolve(
    context: AssetCheckExecutionContext, warehouse: Warehouse
) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        unknown = conn.execute(
            f"select count(*) from ({_CRIMES_LOADED_BY_RUN}) anti join core.dim_offence using (offence_code)",
            _run_key(context),
        ).fetchone()[0]
    return AssetCheckResult(passed=unknown == 0, metadata={"unknown_offence_codes": int(unknown)})


@asset_check(asset=fact_recorded_crime,
             description="Crimes of the months this run loaded with an LSOA that is not in the geography "
             "dimension or lies outside the force's area (warning: geography breakdowns only).")
def fact_recorded_crime_geography_resolves(
    context: AssetCheckExecutionContext, warehouse: Warehouse
) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, unknown, outside = conn.execute(
            f"select count(*), count(*) filter (where lsoa_code is not null and not is_lsoa_known), "
            f"count(*) filter (where g.force_code is not null and g.force_code <> f.force_code) "
            f"from ({_CRIMES_LOADED_BY_RUN}) f left join core.dim_geography g using (lsoa_code)",
            _run_key(context),
        ).fetchone()
    share = (unknown + outside) / rows if rows else 0.0
    return AssetCheckResult(
        passed=share < 0.01,
        severity=AssetCheckSeverity.WARN,
        metadata={"rows": int(rows), "unknown_lsoa": int(unknown), "lsoa_outside_force_area": int(outside)},
    )
