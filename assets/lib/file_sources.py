"""Sources delivered as whole files (publications, workbooks): ONS, Home Office, NHS, data.police.uk.

Each becomes three assets, one per layer, built by `file_source_assets`:
- ingest `<name>_files`: the files of the source's folder that are new or changed since they were
  last loaded (by SHA-256), parsed as published;
- validation `validated_<name>`: the source's Great Expectations suite, one blocking check per
  critical expectation;
- warehouse `<asset>`: in one transaction, the rows of each delivered file replace that file's
  earlier rows in `landed.<name>` (a file name is a period: a re-delivery replaces it, a file
  no longer in the folder keeps its rows), then the source's core models are rebuilt from it.

A file that breaks the contract is quarantined with its reason and its rows are left out; every
other file of the delivery loads, and the rejected file's period keeps its last good state.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, Output, asset

from assets.lib.errors import RejectedFile, read_delivered_file
from assets.lib.landing import Fingerprint, fingerprints_of
from assets.lib.progress import reading
from assets.lib.resources import Exports, LandingFolder, Warehouse
from assets.lib.sql import (
    build_table,
    describe_table,
    frame_of,
    sql_deps,
    table_columns,
    table_exists,
    table_metadata,
    write_frame,
)
from assets.lib.validation import (
    check_results,
    check_specs,
    docs_metadata,
    quarantine_rejected,
    rejections_by_file,
    validate,
)

LOADED_FILES_TABLE = "meta.loaded_files"
LOADED_FILES_DDL = (
    f"create table if not exists {LOADED_FILES_TABLE} (source varchar, file_name varchar, force_code varchar, "
    "period date, sha256 varchar, rows integer, loaded_at timestamp, run_id varchar)"
)
# added since the table was first made: a warehouse made before gains them, null (its files hashed once more)
LOADED_FILES_ADDED = {"file_size": "bigint", "file_mtime_ns": "bigint"}
# what a load writes for each file, by name (the rest: loaded_at now(), the run's id)
LOADED_FILE_VALUES = ("source", "file_name", "force_code", "period", "sha256", "rows", *LOADED_FILES_ADDED)


def ensure_loaded_files(conn) -> None:
    """meta.loaded_files, the record of every file loaded, described for analysts like every table."""
    conn.execute(LOADED_FILES_DDL)
    for column, kind in LOADED_FILES_ADDED.items():
        conn.execute(f"alter table {LOADED_FILES_TABLE} add column if not exists {column} {kind}")
    if any(comment is None for *_, comment in table_columns(conn, LOADED_FILES_TABLE)):
        conn.execute(f"comment on table {LOADED_FILES_TABLE} is 'Every delivered file loaded: source, file name, "
                     "force, period, SHA-256, rows, when and by which run. A re-delivery replaces its row.'")
        describe_table(conn, LOADED_FILES_TABLE, "loaded_files")


def record_loaded_files(conn, rows: Sequence[Sequence], run_id: str) -> None:
    """Rows of LOADED_FILE_VALUES into meta.loaded_files, in the load's transaction: a file is recorded (and its
    fingerprint kept) only when its rows are in the warehouse, so a rejected file leaves no trace here."""
    if not rows:
        return
    conn.executemany(
        f"insert into {LOADED_FILES_TABLE} ({', '.join(LOADED_FILE_VALUES)}, loaded_at, run_id) "
        f"values ({', '.join('?' for _ in LOADED_FILE_VALUES)}, now(), ?)", [[*row, run_id] for row in rows])


def refresh_fingerprints(conn, source: str, found: dict[str, Fingerprint]) -> None:
    """Files found unchanged (same hash) with a size or time other than recorded, touched or loaded before
    these were kept, take the ones they have now, so the next run need not hash them again."""
    rows = [(name, f.size, f.mtime_ns) for name, f in found.items()]
    if not rows:
        return
    conn.execute("create or replace temp table refreshed_fingerprints (file_name varchar, file_size bigint, "
                 "file_mtime_ns bigint)")
    conn.executemany("insert into refreshed_fingerprints values (?, ?, ?)", rows)
    conn.execute(f"update {LOADED_FILES_TABLE} as files set file_size = found.file_size, "
                 "file_mtime_ns = found.file_mtime_ns from refreshed_fingerprints as found "
                 "where files.source = ? and files.file_name = found.file_name", [source])
    conn.execute("drop table refreshed_fingerprints")


def loaded_fingerprints(conn, source: str, periods: Sequence[str] | None = None) -> dict[str, Fingerprint]:
    """file name -> the fingerprint it was loaded with, for the source (and periods, 'YYYY-MM-01', if given)."""
    ensure_loaded_files(conn)
    return recorded_fingerprints(conn, source, periods)


def recorded_fingerprints(conn, source: str, periods: Sequence[str] | None = None) -> dict[str, Fingerprint]:
    """What loaded_fingerprints returns, read only: meta.loaded_files must exist (`conn` may be read-only)."""
    where = "" if periods is None else " and list_contains(?::date[], period)"
    return {name: Fingerprint(sha, size, mtime) for name, sha, size, mtime in conn.execute(
                f"select file_name, sha256, file_size, file_mtime_ns from {LOADED_FILES_TABLE} where source = ?"
                f"{where}", [source] if periods is None else [source, list(periods)]).fetchall()}


def stale_files(conn, source: str, paths: Sequence[Path]) -> list[Path]:
    """The files of `paths` not loaded as they now stand: never loaded, or with a size or modification time
    other than the ones recorded (Fingerprint.still_holds: the files a run would hash again, and read if their
    content changed). Only the file system's stat is read, so the main job can tell whether a source has
    anything to load. Reads the warehouse only (`conn` may be read-only)."""
    loaded = recorded_fingerprints(conn, source)
    return [path for path in paths if path.name not in loaded or not loaded[path.name].still_holds(path.stat())]


# a reader of many files at once: each file with its rows, or why it was rejected
ReadFiles = Callable[[Sequence[Path]], list[tuple[Path, "pd.DataFrame | RejectedFile"]]]


@dataclass(frozen=True)
class FileSource:
    name: str
    globs: tuple[str, ...]
    columns: dict[str, str]
    models: tuple[str, ...]
    description: str
    # how the files are read: one at a time (a workbook, a publication), or a folder of small force CSVs all
    # at once (`read_files`, one DuckDB statement)
    read: Callable[[Path], pd.DataFrame] | None = None
    read_files: ReadFiles | None = None
    upstream: tuple[AssetKey, ...] = ()
    # (force_code, first day of the period) a file name stands for, recorded in meta.loaded_files so
    # a delivered month with no rows still counts as delivered
    identify: Callable[[Path], tuple[str | None, str | None]] | None = None
    # what a delivery covers (ONS: its tables; HES: its months and forces): a re-delivery that covers
    # less than the file it replaces is refused, unless marked as a withdrawal (WITHDRAWAL_SUFFIX)
    coverage: tuple[str, ...] = ()
    # what one file alone may hold (ONS: an edition's tables): a second file holding the same is a copy under
    # another name, and both would load, counting every row twice; the later one is refused
    unique_across_files: tuple[str, ...] = ()

    @property
    def landed_table(self) -> str:
        return f"landed.{self.name}"

    @property
    def asset_name(self) -> str:
        return self.models[0]

    @property
    def ingest_assets(self) -> tuple[str, str]:
        """The assets that read and validate the source's new or changed files (the third loads them)."""
        return f"{self.name}_files", f"validated_{self.name}"

    def __post_init__(self) -> None:
        if (self.read is None) == (self.read_files is None):
            raise ValueError(f"{self.name}: a file source is read by one of read or read_files")

    def files(self, root: Path) -> list[Path]:
        found = {p for pattern in self.globs for p in root.glob(pattern)}
        return sorted(p for p in found if p.is_file() and not p.name.startswith((".", "~$")))

    def read_one(self, path: Path) -> pd.DataFrame:
        """One file's rows as published (RejectedFile when it breaks the contract): what `parsed` gives a file."""
        if self.read is not None:
            return self.read(path)
        [(_, frame)] = self.read_files([path])
        if isinstance(frame, RejectedFile):
            raise frame
        return frame

    def parsed(self, paths: Sequence[Path]) -> Iterator[tuple[Path, pd.DataFrame | RejectedFile]]:
        """Each file's rows as published, or why it was rejected (any failure of a reader is a rejection)."""
        if self.read_files is not None:
            yield from self.read_files(paths)
            return
        for path, _ in reading(paths, self.name):
            try:
                yield path, read_delivered_file(self.read, path)
            except RejectedFile as error:
                yield path, error


# <file name>.withdrawal.txt beside a re-delivered file, saying why: the delivery may then hold less
# than the one it replaces (a table, a force, a month deliberately withdrawn)
WITHDRAWAL_SUFFIX = ".withdrawal.txt"


def shrinking_redeliveries(conn, source: FileSource, rows: pd.DataFrame, landing_root: Path) -> dict[str, str]:
    """Re-delivered files that cover less than the delivery they replace, with what they drop.

    Nothing is lost silently: a re-delivered ONS edition without Table P4 would otherwise take the
    knife-crime baseline out of the warehouse with a clean run."""
    if not source.coverage or not len(rows):
        return {}
    if not table_exists(conn, source.landed_table):
        return {}
    keys = ", ".join(source.coverage)
    new_keys = rows[["source_file", *source.coverage]].drop_duplicates()
    conn.register("redelivered_keys", new_keys)
    try:
        dropped = conn.execute(
            f"select source_file, {keys} from (select distinct source_file, {keys} from {source.landed_table} "
            "where source_file in (select source_file from redelivered_keys)) "
            f"except select source_file, {keys} from redelivered_keys order by all").fetchall()
    finally:
        conn.unregister("redelivered_keys")
    by_file: dict[str, list[str]] = {}
    for file_name, *key in dropped:
        by_file.setdefault(file_name, []).append(", ".join(f"{c} {v}" for c, v in zip(source.coverage, key,
                                                                                        strict=True)))
    withdrawn = {p.name.removesuffix(WITHDRAWAL_SUFFIX) for p in landing_root.rglob(f"*{WITHDRAWAL_SUFFIX}")}
    return {
        name: f"{name}: whole file: the re-delivery holds less than the delivery it replaces (missing: "
              f"{'; '.join(missing[:10])}{'; ...' if len(missing) > 10 else ''}). Nothing is lost silently: "
              f"deliver the complete file, or put {name}{WITHDRAWAL_SUFFIX} beside it saying why the rest is "
              "withdrawn."
        for name, missing in by_file.items() if name not in withdrawn
    }


def duplicated_across_files(conn, source: FileSource, rows: pd.DataFrame, delivered_at: dict[str, float]
                            ) -> dict[str, str]:
    """Delivered files holding what another file already holds (source.unique_across_files), with the other
    file: one landed earlier under another name, or one of the same delivery that arrived first (by
    `delivered_at`, the files' modification times). A re-delivery under its own name replaces its rows and is not
    a duplicate."""
    if not source.unique_across_files or not len(rows):
        return {}
    keys = source.unique_across_files
    listed = ", ".join(keys)
    landed = (f"union all select distinct source_file, {listed}, true from {source.landed_table} "
              "where source_file not in (select source_file from delivered)") if table_exists(
                  conn, source.landed_table) else ""
    conn.register("delivered_rows", rows[["source_file", *keys]].drop_duplicates())
    try:
        pairs = conn.execute(
            f"with delivered as (select distinct source_file, {listed} from delivered_rows), "
            f"held as (select source_file, {listed}, false as landed from delivered {landed}) "
            f"select d.source_file, h.source_file, h.landed, {', '.join(f'd.{k}' for k in keys)} "
            f"from delivered as d join held as h on {' and '.join(f'd.{k} = h.{k}' for k in keys)} "
            "where h.source_file <> d.source_file order by all").fetchall()
    finally:
        conn.unregister("delivered_rows")

    def arrived(name: str) -> tuple[float, str]:
        return delivered_at.get(name, 0.0), name

    reasons: dict[str, str] = {}
    for name, other, other_landed, *values in pairs:
        if name in reasons or not (other_landed or arrived(other) < arrived(name)):
            continue
        held = ", ".join(f"{k} {v}" for k, v in zip(keys, values, strict=True))
        reasons[name] = (f"{name}: whole file: it holds what {other} already holds ({held}): the same data under "
                         f"two names would be counted twice. Deliver a correction under the name {other}.")
    return reasons


def file_source_assets(source: FileSource) -> list[AssetsDefinition]:
    files_asset, validated_asset = source.ingest_assets
    # what passes from asset to asset: tables in the working warehouse, not pickled DataFrames
    delivery, delivery_files = f"landed.{source.name}__delivery", f"landed.{source.name}__delivery_files"

    @asset(name=files_asset, group_name="ingest", kinds={"duckdb", "pandas"}, owners=["team:data-engineering"],
           # paths in backticks: the UI renders descriptions as Markdown, where <landing> would vanish as a tag
           description=f"{source.description} Files matching "
           f"{' or '.join(f'`<landing>/{g}`' for g in source.globs)} new or changed since last loaded, "
           f"parsed as published, in {delivery} (rows) and {delivery_files} (files).")
    def files(context: AssetExecutionContext, landing: LandingFolder, warehouse: Warehouse) -> MaterializeResult:
        with warehouse.get_connection() as conn:
            loaded = loaded_fingerprints(conn, source.name)
        frames, rejected, parsed, warnings = [], [], {}, {}
        delivered, prints, touched = [], {}, {}
        for path, found in fingerprints_of(source.files(landing.path), loaded).items():
            if path.name not in loaded or loaded[path.name].sha256 != found.sha256:
                prints[path] = found
            elif found != loaded[path.name]:
                touched[path.name] = found
        for path, frame in source.parsed(list(prints)):
            try:
                force_code, period = source.identify(path) if source.identify else (None, None)
                if isinstance(frame, RejectedFile):
                    raise frame
            except RejectedFile as error:
                # one bad file is one rejected file: it goes to quarantine, the others load
                where = landing.quarantine(path, str(error))
                context.log.error(f"{error} (moved to {where})")
                rejected.append(str(error))
                continue
            if frame.attrs.get("warnings"):
                warnings[path.name] = dict(frame.attrs["warnings"])
                for message, count in warnings[path.name].items():
                    context.log.warning(f"{path.name}: {message} ({count} row(s))")
            frame = frame.assign(source_file=path.name, file_sha256=prints[path].sha256)
            if "source_row" not in frame:
                frame["source_row"] = range(1, len(frame) + 1)
            frames.append(frame)
            parsed[path.name] = len(frame)
            delivered.append({"file_name": path.name, "force_code": force_code, "period": period,
                              "sha256": prints[path].sha256, "rows": len(frame),
                              "file_size": prints[path].size, "file_mtime_ns": prints[path].mtime_ns})
        combined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
            columns=[*source.columns, "source_file", "source_row", "file_sha256"])
        with warehouse.transaction() as conn:
            refresh_fingerprints(conn, source.name, touched)
            conn.execute("create schema if not exists landed")
            write_frame(conn, delivery, combined)
            write_frame(conn, delivery_files, pd.DataFrame(delivered, columns=list(DELIVERY_FILE_COLUMNS)).astype(
                {"file_name": "str", "sha256": "str", "rows": "int64", "file_size": "int64",
                 "file_mtime_ns": "int64"}))
        return MaterializeResult(metadata={
            "files": MetadataValue.json(parsed), "dagster/row_count": len(combined),
            "dagster/table_name": delivery, "rejected": MetadataValue.json(rejected),
            "warnings": MetadataValue.json(warnings)})

    @asset(name=validated_asset, group_name="validation", deps=[files_asset], kinds={"great_expectations", "duckdb"},
           owners=["team:data-engineering"], check_specs=check_specs(source.name, validated_asset),
           description=f"{source.description} Rows that passed the {source.name} Great Expectations suite "
           f"(expectations/{source.name}.json); the files that did not are quarantined and taken out of "
           f"{delivery}.")
    def validated(context: AssetExecutionContext, landing: LandingFolder, exports: Exports, warehouse: Warehouse):
        with warehouse.get_connection() as conn:
            rows = frame_of(conn, f"select * from {delivery}")
        outcomes = validate(rows, source.name, docs_dir=exports.data_docs,
                            run_name=f"{source.name}-{context.run_id[:8]}")
        by_name = {p.name: p for p in source.files(landing.path)}
        rejections = rejections_by_file(outcomes)
        with warehouse.transaction() as conn:
            for name, reason in shrinking_redeliveries(conn, source, rows, landing.path).items():
                rejections.setdefault(name, []).append(reason)
            delivered_at = {name: path.stat().st_mtime for name, path in by_name.items()}
            for name, reason in duplicated_across_files(conn, source, rows, delivered_at).items():
                rejections.setdefault(name, []).append(reason)
            quarantined = quarantine_rejected(rows, rejections, by_name.get, landing.quarantine, context.log.error)
            names = sorted(quarantined)
            conn.execute(f"delete from {delivery} where list_contains(?::varchar[], source_file)", [names])
            conn.execute(f"delete from {delivery_files} where list_contains(?::varchar[], file_name)", [names])
            accepted = conn.execute(f"select count(*) from {delivery}").fetchone()[0]
        yield MaterializeResult(metadata={"dagster/row_count": int(accepted), "dagster/table_name": delivery,
                                          "rejected_files": MetadataValue.json(sorted(quarantined - {"*"})),
                                          **docs_metadata(exports.data_docs, source.name)})
        yield from check_results(outcomes, validated_asset, quarantined)

    @asset(name=source.asset_name, group_name="warehouse",
           deps=[validated_asset, *sql_deps(*source.models), *source.upstream],
           kinds={"duckdb"}, owners=["team:data-engineering"], description=source.description)
    def warehouse_table(context: AssetExecutionContext, warehouse: Warehouse) -> Output[None]:
        columns = ", ".join(f"{name} {kind}" for name, kind in source.columns.items())
        with warehouse.transaction() as conn:
            conn.execute("create schema if not exists landed")
            ensure_loaded_files(conn)
            conn.execute(f"create table if not exists {source.landed_table} ({columns}, source_file varchar, "
                         "source_row integer)")
            # a column the source gained since the table was created (Census: census_year) is added, the
            # rows already landed keeping it empty, so an existing warehouse takes the new layout
            for name, kind in source.columns.items():
                conn.execute(f"alter table {source.landed_table} add column if not exists {name} {kind}")
            # no delivery tables when the main job left out the ingest assets (no file new or changed): the
            # models are still rebuilt, from the rows already landed
            delivered_now = table_exists(conn, delivery) and table_exists(conn, delivery_files)
            files = (frame_of(conn, f"select * from {delivery_files} order by file_name") if delivered_now else
                     pd.DataFrame(columns=list(DELIVERY_FILE_COLUMNS)))
            rows = conn.execute(f"select count(*) from {delivery}").fetchone()[0] if delivered_now else 0
            if len(files):
                delivered = sorted(files["file_name"])
                conn.execute(f"delete from {source.landed_table} where list_contains(?, source_file)", [delivered])
                conn.execute(f"insert into {source.landed_table} by name select "
                             f"{', '.join(source.columns)}, source_file, source_row from {delivery}")
                conn.execute(f"delete from {LOADED_FILES_TABLE} where source = ? and list_contains(?, file_name)",
                             [source.name, delivered])
                record_loaded_files(conn, [[source.name, f.file_name, f.force_code, f.period, f.sha256, int(f.rows),
                                            int(f.file_size), int(f.file_mtime_ns)] for f in files.itertuples()],
                                    context.run_id)
            conn.execute(f"drop table if exists {delivery}")
            conn.execute(f"drop table if exists {delivery_files}")
            tables = [build_table(conn, model) for model in source.models]
            metadata = table_metadata(conn, tables[0])
        context.log.info(f"{source.name}: {len(files)} files, {rows} rows delivered; rebuilt {', '.join(tables)}")
        return Output(None, metadata={**metadata, "files_delivered": len(files), "rows_delivered": int(rows),
                                      "tables": MetadataValue.json(tables)})

    return [files, validated, warehouse_table]


DELIVERY_FILE_COLUMNS = ("file_name", "force_code", "period", "sha256", "rows", "file_size", "file_mtime_ns")
