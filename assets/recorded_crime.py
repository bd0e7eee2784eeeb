"""Recorded crime: force extracts, month by month, from landing to the star schema.

crime_extracts (ingest) -> validated_crime_extracts (validation, GX suite as blocking checks)
-> fact_recorded_crime (warehouse). A month is the unit of delivery and of load: a re-delivered
month replaces that month, for the forces delivered, in one transaction.
"""


import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    Failure,
    MetadataValue,
    Output,
    asset,
    asset_check,
)

from assets.errors import RejectedFile, read_delivered_file
from assets.landing import FORCE_CRIMES, quarantine_misnamed
from assets.parsers.force_extracts import RECORDED_CRIME_COLUMNS, read_force_csv
from assets.partitions import month_of, monthly_partitions
from assets.reference import dim_date, dim_force, dim_geography, dim_offence
from assets.sql import create_staging_view, model_sql, table_metadata
from assets.validation import (
    check_results,
    check_specs,
    docs_metadata,
    quarantine_rejected,
    rejections_by_file,
    validate,
    without_files,
)
from pipelines.resources import Exports, LandingFolder, Warehouse

SUITE = "recorded_crime"
FACT_TABLE = "core.fact_recorded_crime"
LOADED_FILES_TABLE = "meta.loaded_files"


def _preview(frame: pd.DataFrame) -> MetadataValue:
    return MetadataValue.md(frame.head(10).to_markdown(index=False) if len(frame) else "(no rows)")


@asset(
    group_name="ingest",
    partitions_def=monthly_partitions,
    description="The month's force crime extracts (force/crimes/<force>-crimes-<YYYY-MM>.csv) as delivered: "
    "every field as text, with the file and row each came from.",
)
def crime_extracts(context: AssetExecutionContext, landing: LandingFolder) -> Output[pd.DataFrame]:
    month = month_of(context.partition_key)
    for where, reason in quarantine_misnamed(landing.path, FORCE_CRIMES):
        context.log.error(f"{reason} (moved to {where})")
    files = landing.files_for_month(FORCE_CRIMES, month)
    frames, rejected, file_rows = [], [], {}
    for file in files:
        try:
            frame = read_delivered_file(lambda path: read_force_csv(path, RECORDED_CRIME_COLUMNS), file.path)
        except RejectedFile as error:
            # the other forces' files of the month still load
            where = landing.quarantine(file.path, str(error))
            context.log.error(f"{error} (moved to {where})")
            rejected.append(str(error))
            continue
        frame["force_code"] = file.force_code
        frame["file_month"] = month
        frame["file_sha256"] = file.sha256()
        frames.append(frame)
        file_rows[file.path.name] = len(frame)
    columns = [*RECORDED_CRIME_COLUMNS, "source_file", "source_row", "force_code", "file_month", "file_sha256"]
    extracts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return Output(
        extracts,
        metadata={
            "month": month,
            "files": MetadataValue.json(file_rows),
            "rejected": MetadataValue.json(rejected),
            "dagster/row_count": len(extracts),
            "preview": _preview(extracts),
        },
    )


@asset(
    group_name="validation",
    partitions_def=monthly_partitions,
    deps=[dim_offence],
    check_specs=check_specs(SUITE, "validated_crime_extracts"),
    description="The month's crime extracts that passed the recorded_crime Great Expectations suite "
    "(expectations/recorded_crime.json). A critical failure blocks the load and quarantines the file.",
)
def validated_crime_extracts(
    context: AssetExecutionContext, crime_extracts: pd.DataFrame, landing: LandingFolder, warehouse: Warehouse,
    exports: Exports,
):
    month = month_of(context.partition_key)
    with warehouse.get_connection() as conn:
        offence_codes = [row[0] for row in conn.execute("select offence_code from core.dim_offence").fetchall()]
    outcomes = validate(
        crime_extracts,
        SUITE,
        {"offence_codes": offence_codes, "file_month_regex": rf"^{month}-\d{{2}}$"},
        docs_dir=exports.data_docs,
        run_name=f"{SUITE}-{month}",
    )
    quarantined = quarantine_rejected(
        crime_extracts, rejections_by_file(outcomes), lambda name: landing.path / FORCE_CRIMES.folder / name,
        landing.quarantine, context.log.error)
    accepted = without_files(crime_extracts, quarantined)
    yield Output(
        accepted,
        metadata={
            "month": month,
            "dagster/row_count": len(accepted),
            "expectations_passed": sum(o.success for o in outcomes),
            "expectations_failed": sum(not o.success for o in outcomes),
            "rejected_files": MetadataValue.json(sorted(quarantined - {"*"})),
            **docs_metadata(exports.data_docs, SUITE),
        },
    )
    yield from check_results(outcomes, "validated_crime_extracts", quarantined)


@asset(
    group_name="warehouse",
    partitions_def=monthly_partitions,
    deps=[dim_force, dim_offence, dim_geography, dim_date],
    description="core.fact_recorded_crime: one row per crime record (cancelled kept, never counted), keyed "
    "to force, date, offence and LSOA, with the file and row it came from.",
)
def fact_recorded_crime(
    context: AssetExecutionContext, validated_crime_extracts: pd.DataFrame, warehouse: Warehouse,
    landing: LandingFolder,
) -> Output[None]:
    month = month_of(context.partition_key)
    frame = validated_crime_extracts
    files = (
        frame.groupby(["source_file", "force_code", "file_sha256"], as_index=False).size()
        if len(frame) else pd.DataFrame(columns=["source_file", "force_code", "file_sha256", "size"])
    )
    with warehouse.transaction() as conn:
        conn.execute(
            f"create table if not exists {LOADED_FILES_TABLE} (source varchar, file_name varchar, "
            "force_code varchar, period date, sha256 varchar, rows integer, loaded_at timestamp, run_id varchar)"
        )
        loaded = set(conn.execute(
            f"select force_code, file_name, sha256 from {LOADED_FILES_TABLE} where source = ? and period = ?::date",
            [FORCE_CRIMES.name, f"{month}-01"],
        ).fetchall())
        # a byte-identical re-delivery is already in the warehouse: leave it, and its load record, alone
        changed = files[[(r.force_code, r.source_file, r.file_sha256) not in loaded for r in files.itertuples()]]
        forces = sorted(changed["force_code"].unique())
        fact_sql = ensure_fact_table(conn, frame[frame["force_code"].isin(forces)])
        replaced = 0
        if forces:
            replaced = conn.execute(
                f"delete from {FACT_TABLE} where month = ?::date and list_contains(?::varchar[], force_code)",
                [f"{month}-01", forces],
            ).fetchone()[0]
            conn.execute(f"insert into {FACT_TABLE} select * from ({fact_sql})")
            _refuse_references_loaded_elsewhere(conn, month, landing)
            conn.execute(
                f"delete from {LOADED_FILES_TABLE} where source = ? and period = ?::date"
                " and list_contains(?::varchar[], force_code)",
                [FORCE_CRIMES.name, f"{month}-01", forces],
            )
            conn.executemany(
                f"insert into {LOADED_FILES_TABLE} values (?, ?, ?, ?::date, ?, ?, now(), ?)",
                [[FORCE_CRIMES.name, r.source_file, r.force_code, f"{month}-01", r.file_sha256, int(r.size),
                  context.run_id] for r in changed.itertuples()],
            )
        conn.unregister("validated_crime_extracts")
        metadata = table_metadata(conn, FACT_TABLE, f"month = date '{month}-01'")
        cancelled = conn.execute(
            f"select count(*) filter (where not is_counted) from {FACT_TABLE} where month = ?::date", [f"{month}-01"]
        ).fetchone()[0]
        unchanged = sorted(set(files["force_code"]) - set(forces))
    context.log.info(f"{month}: loaded {forces or 'nothing'}, {replaced} rows replaced; unchanged {unchanged}")
    return Output(
        None,
        metadata={**metadata, "rows_replaced": int(replaced), "cancelled_records": int(cancelled),
                  "forces_loaded": MetadataValue.json(forces), "forces_unchanged": MetadataValue.json(unchanged)},
    )


def ensure_fact_table(conn, frame: pd.DataFrame | None = None) -> str:
    """Register the (validated) extracts as the staging source and make sure the fact table exists;
    returns the fact model's SQL. With no frame the table is created empty, so the marts can be
    built before a force has delivered any month."""
    if frame is None:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in (*RECORDED_CRIME_COLUMNS, "source_file",
                                                                  "force_code", "file_month", "file_sha256")})
        frame["source_row"] = pd.Series(dtype="int64")
    conn.register("validated_crime_extracts", frame)
    create_staging_view(conn, "stg_recorded_crime")
    fact_sql = model_sql("fact_recorded_crime")
    conn.execute(f"create table if not exists {FACT_TABLE} as select * from ({fact_sql}) limit 0")
    return fact_sql


def _refuse_references_loaded_elsewhere(conn, month: str, landing: LandingFolder) -> None:
    """Inside the load transaction: a crime reference the new month shares with another month
    would be counted twice. Raising rolls the month back and the new delivery is quarantined."""
    clashes = conn.execute(
        f"""
        select new.source_file, new.source_row, new.crime_reference, old.source_file as loaded_in
        from {FACT_TABLE} as new
        join {FACT_TABLE} as old using (force_code, crime_reference)
        where new.month = ?::date and old.month <> new.month
        order by new.source_file, new.source_row
        """,
        [f"{month}-01"],
    ).fetchall()
    if not clashes:
        return
    reasons = {}
    for file_name, row, reference, loaded_in in clashes:
        reasons.setdefault(file_name, []).append(
            f"{file_name} row {row}: crime_reference {reference} is already loaded from {loaded_in}")
    for file_name, lines in reasons.items():
        path = landing.path / FORCE_CRIMES.folder / file_name
        rule = "crime_reference must be unique within the force across all months (nothing counted twice)"
        if path.exists():
            landing.quarantine(path, f"{rule}:\n" + "\n".join(lines))
    raise Failure(description=f"{len(clashes)} crime reference(s) of {month} already loaded from another month; "
                  "the month keeps its previous data:\n" + "\n".join(line for v in reasons.values() for line in v[:5]))


@asset_check(asset=fact_recorded_crime, blocking=True,
             description="A crime reference appears once per force across all months: nothing counted twice. "
             "Checks the keys of the months this run loaded against the whole table, so its cost does not grow "
             "with the history already loaded.")
def fact_recorded_crime_unique_references(
    context: AssetCheckExecutionContext, warehouse: Warehouse
) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        duplicates = conn.execute(
            f"""
            with loaded_now as (
                select force_code, period as month from {LOADED_FILES_TABLE}
                where source = ? and run_id = ?
            ),
            new_keys as (
                select distinct crimes.force_code, crimes.crime_reference
                from {FACT_TABLE} as crimes
                inner join loaded_now using (force_code, month)
            )
            select crimes.force_code, crimes.crime_reference, count(*) as copies
            from {FACT_TABLE} as crimes
            inner join new_keys using (force_code, crime_reference)
            group by all having count(*) > 1
            order by all limit 20
            """,
            [FORCE_CRIMES.name, context.run.run_id],
        ).df()
        checked = conn.execute(f"select count(*) from {LOADED_FILES_TABLE} where source = ? and run_id = ?",
                               [FORCE_CRIMES.name, context.run.run_id]).fetchall()[0][0]
    return AssetCheckResult(
        passed=duplicates.empty,
        metadata={"files_checked": int(checked),
                  "duplicates_shown": MetadataValue.md(duplicates.to_markdown(index=False) if len(duplicates)
                                                        else "none")},
    )


@asset_check(asset=fact_recorded_crime, blocking=True,
             description="Every crime's offence code is in the offence dimension.")
def fact_recorded_crime_offences_resolve(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        unknown = conn.execute(
            f"select count(*) from {FACT_TABLE} anti join core.dim_offence using (offence_code)"
        ).fetchone()[0]
    return AssetCheckResult(passed=unknown == 0, metadata={"unknown_offence_codes": int(unknown)})


@asset_check(asset=fact_recorded_crime,
             description="Crimes with an LSOA that is not in the geography dimension or lies outside the "
             "force's area (warning: geography breakdowns only).")
def fact_recorded_crime_geography_resolves(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, unknown, outside = conn.execute(
            f"select count(*), count(*) filter (where lsoa_code is not null and not is_lsoa_known), "
            f"count(*) filter (where g.force_code is not null and g.force_code <> f.force_code) "
            f"from {FACT_TABLE} f left join core.dim_geography g using (lsoa_code)"
        ).fetchone()
    share = (unknown + outside) / rows if rows else 0.0
    return AssetCheckResult(
        passed=share < 0.01,
        severity=AssetCheckSeverity.WARN,
        metadata={"rows": int(rows), "unknown_lsoa": int(unknown), "lsoa_outside_force_area": int(outside)},
    )
