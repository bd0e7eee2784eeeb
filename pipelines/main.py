"""The main job: every asset, on the landing folder, in dependency order, with a summary at the end.

    bash run.sh pipeline                # the bundled sample data (run.sh generates it first)
    python -m pipelines.main            # the landing folder as it is
    POLICING_LANDING_DIR=/data/landing POLICING_WAREHOUSE_PATH=/data/wh.duckdb python -m pipelines.main

Runs go through the Dagster instance in DAGSTER_HOME (the run script points it at
warehouse/dagster-home), so the Dagster UI shows every materialization and check of this run.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetKey, DagsterInstance

from assets.board_pack.publication import BOARD_QUARTER_TAG, quarter_end_of
from assets.lib.file_sources import stale_files
from assets.lib.landing import FORCE_CRIMES, QuarantinedFile, discover, quarantine_misnamed, quarantined_files
from assets.lib.resources import PROJECT_DIR, Warehouse, exports_path, landing_path, warehouse_path
from pipelines.jobs import marts_refresh, month_range_tags, monthly_sources, sources_refresh
from pipelines.recovery import fail_orphaned_runs
from pipelines.sources import FILE_SOURCES

DEFAULT_DAGSTER_HOME = PROJECT_DIR / "warehouse" / "dagster-home"



def _say(message: str) -> None:
    print(message, flush=True)


def _innermost(error) -> str:
    """The error that started it ("Error occurred while executing op ..." wraps the one that says why)."""
    while error.cause is not None:
        error = error.cause
    return _in_words(error.message.strip())


_NO_SPACE = re.compile(r"No space left on device|\[Errno 28\]|errno 28", re.IGNORECASE)
_WRITING = re.compile(r'(?:file|write|writing|to) "?(/[^"\s:]+)"?')


def _in_words(message: str) -> str:
    """A framework error said as an operator needs it: a full disk is named as such, with the file."""
    if "the disk is full" in message or not _NO_SPACE.search(message):
        return message
    where = _WRITING.search(message)
    return ("the disk is full" + (f": could not write {where[1]}" if where else "")
            + "; the published warehouse and board documents are unchanged. Free space on that disk and run "
            f"again ({message.splitlines()[0]})")


def _failures(result) -> list[str]:
    """The run's failed steps (one line per distinct reason, naming its steps), the steps that did not run
    because of them, and the blocking checks that failed."""
    steps_by_reason: dict[str, list[str]] = {}
    for event in result.all_events:
        if event.is_step_failure and event.event_specific_data and event.event_specific_data.error:
            steps_by_reason.setdefault(_innermost(event.event_specific_data.error), []).append(event.step_key)
    messages = [f"{', '.join(steps)}: {reason}" if len(steps) < 4 else
                f"{len(steps)} steps ({', '.join(steps[:3])}, ...): {reason}"
                for reason, steps in steps_by_reason.items()]
    skipped = sorted({event.step_key for event in result.all_events if event.is_step_skipped})
    if skipped:
        messages.append(f"not run, because a step they depend on failed: {', '.join(skipped)}")
    messages += [
        f"check {evaluation.asset_key.to_user_string()}.{evaluation.check_name}: {evaluation.description}"
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.severity.value == "ERROR"
    ]
    return messages


@dataclass
class RunReport:
    months: list[str] = field(default_factory=list)
    failed_months: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected: list[QuarantinedFile] = field(default_factory=list)

    def reject(self, files: Sequence[QuarantinedFile]) -> None:
        """Files a step moved to quarantine: listed in the summary, and the main job exits non-zero."""
        self.rejected.extend(files)
        self.problems.extend(f"{q.path.name} rejected, moved to {q.path}:\n    {q.reason}" for q in files)


def run_pipeline(
    resources: Mapping[str, Any],
    instance: DagsterInstance,
    months: Sequence[str] | None = None,
    say: Callable[[str], None] = _say,
    board_quarter: str | None = None,
    verbose: bool = False,
) -> RunReport:
    """The main job is the project's Dagster jobs, launched through `instance`, in dependency order:
    sources_refresh (dimensions and file sources), monthly_sources over the range of months with a
    crime extract new or changed since it was loaded (one run, as a backfill with the single-run policy
    makes it), then marts_refresh. Together the first and last are quarterly_refresh, split so that the
    month range loads against this delivery's dimensions. Every run shows under its job in the Dagster UI.

    What has nothing to load is left out, judged by each file's size and modification time against
    meta.loaded_files (the assets then compare content hashes): the ingest assets of a source with no new
    or changed file, and the months whose extracts are all loaded as they stand (`months` overrides)."""
    from pipelines.definitions import defs

    report = RunReport()
    landing = resources["landing"].path
    # every step of a run launched here executes in this process, so the warehouse may keep one connection
    # open for the run (Warehouse.hold_connection)
    resources = {**resources, "warehouse": resources["warehouse"].held_open()}

    def launch(job_name: str, tags: Mapping[str, str] | None = None, leave_out: Sequence[str] = ()):
        already = quarantined_files(landing)
        job = defs.resolve_job_def(job_name)
        if leave_out:
            # a subset of the job's own assets: its run still shows under the job
            job = job.get_subset(asset_selection=frozenset(job.asset_layer.selected_asset_keys
                                                           - {AssetKey(name) for name in leave_out}))
        result = job.execute_in_process(
            instance=instance,
            resources=dict(resources),
            raise_on_error=False,
            # Dagster's own event lines only with --verbose: the console shows progress and the summary
            run_config={"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "WARNING"}}}},
            tags={"policing/launched_by": "main_job", **(tags or {})},
        )
        report.problems.extend(_failures(result))
        # a rejected file does not fail its run (the rest of the delivery loads): the quarantine folder
        # says what this run turned away
        rejected = [q for path, q in quarantined_files(landing).items() if path not in already]
        report.reject(rejected)
        return result, rejected

    started = time.perf_counter()
    # a source none of whose files is new, re-delivered or touched since it was loaded has nothing to read or
    # validate: its ingest assets are left out of the run (its models are still rebuilt)
    delivered = {source.name: source.files(landing) for source in FILE_SOURCES}
    stale = _stale(resources["warehouse"], delivered)
    idle = [source for source in FILE_SOURCES if not stale & set(delivered[source.name])]
    say(f"1/3 {sources_refresh.name}: reference dimensions and published sources"
        + (f" ({len(idle)} of {len(FILE_SOURCES)} with no new or changed file)" if idle else ""))
    launch(sources_refresh.name, leave_out=[name for source in idle for name in source.ingest_assets])
    say(f"    ({time.perf_counter() - started:.0f} s)")

    # a misnamed crime extract has no month, so the range would never include it: rejected here
    already = quarantined_files(landing)
    quarantine_misnamed(landing, FORCE_CRIMES)
    report.reject([q for path, q in quarantined_files(landing).items() if path not in already])
    files = discover(landing, FORCE_CRIMES)
    if months is None:
        # the months with an extract not loaded as it stands (new, re-delivered or touched): a month loaded from
        # the same file would not be read again, and a run over it would only add Dagster's events for it
        stale = _stale(resources["warehouse"], {FORCE_CRIMES.name: [f.path for f in files]})
        report.months = sorted({f.month for f in files if f.path in stale})
    else:
        report.months = sorted(set(months))
    if report.months:
        first, last = report.months[0], report.months[-1]
        say(f"2/3 {monthly_sources.name}: {len(files)} files, {len(report.months)} months ({first} to {last}), "
            "one run")
        started = time.perf_counter()
        result, rejected = launch(monthly_sources.name, tags=month_range_tags(first, last))
        loaded = _metadata_of(result, "fact_recorded_crime", "rows_by_month") or {}
        rows = sum(loaded.values())
        unchanged = _metadata_of(result, "crime_extracts", "unchanged_files") or []
        seconds = time.perf_counter() - started
        report.failed_months = sorted({m for m in map(_crime_month, rejected) if m} |
                                      ({*report.months} if not result.success else set()))
        say(f"    {rows:,} rows loaded for {len(loaded)} month(s), {len(unchanged)} file(s) unchanged, "
            f"{len(rejected)} rejected ({seconds:.0f} s, {rows / max(seconds, 0.001):,.0f} rows/s)")
    elif files:
        say(f"2/3 {monthly_sources.name}: {len(files)} files, every one loaded as it stands: not run")
    else:
        say(f"2/3 {monthly_sources.name}: no crime extracts in {landing}")

    started = time.perf_counter()
    say(f"3/3 {marts_refresh.name}: marts and board documents"
        + (f", published for the board as the quarter ending {board_quarter}" if board_quarter else ""))
    launch(marts_refresh.name, tags={BOARD_QUARTER_TAG: board_quarter} if board_quarter else None)
    say(f"    ({time.perf_counter() - started:.0f} s)")
    return report


def _stale(warehouse: Warehouse, delivered: Mapping[str, Sequence[Path]]) -> set[Path]:
    """Of each source's delivered files, those not loaded as they stand (file_sources.stale_files), on one
    connection; all of them when the working warehouse does not exist yet, cannot be opened (another process
    writing it: the runs then say why they could not load) or has no record of loaded files."""
    every = {path for paths in delivered.values() for path in paths}
    if not Path(warehouse.database).exists():
        return every
    try:
        with duckdb.connect(warehouse.database, read_only=True) as conn:
            return {path for source, paths in delivered.items() for path in stale_files(conn, source, paths)}
    except duckdb.Error:
        return every


def _metadata_of(result, asset: str, key: str) -> Any:
    for materialization in result.asset_materializations_for_node(asset):
        if key in materialization.metadata:
            return materialization.metadata[key].value
    return None


def _crime_month(rejected: QuarantinedFile) -> str | None:
    """The month a rejected crime extract was delivered for ('2019-06'); None for another source's file."""
    match = FORCE_CRIMES.match(rejected.path)
    return match["period"] if match is not None else None


def _summary(report: RunReport) -> None:
    published = warehouse_path()
    if not published.exists():
        _say(f"\nNo warehouse was published at {published}: see the problems below.")
        return
    with duckdb.connect(str(published), read_only=True) as conn:
        tables = conn.execute(
            "select schema_name || '.' || table_name, estimated_size from duckdb_tables() "
            "where schema_name in ('core', 'marts', 'meta') order by 1"
        ).fetchall()
        _say("\nRows per table:")
        for name, _ in tables:
            count = conn.execute(f"select count(*) from {name}").fetchone()[0]
            _say(f"  {name:<36} {count:>12,}")
        has_measures = any(name == "marts.national_measures" for name, _ in tables)
        latest = conn.execute(
            "select force_code, max(quarter_end) from marts.national_measures group by force_code "
            "order by count(*) desc limit 1"
        ).fetchone() if has_measures else None
        if latest is None:
            _say("\nNo national measures: no quarter is covered by the landed data.")
            return
        force_code, quarter_end = latest
        frame = conn.execute(
            "select measure_id, window_start, window_end, value, baseline_value, pct_change, direction, "
            "quality_flags from marts.national_measures where force_code = ? and quarter_end = ?",
            [force_code, quarter_end],
        ).df()
    _say(f"\nNational measures, {force_code}, quarter ending {quarter_end}:")
    frame["value"] = frame["value"].round(1)
    frame["baseline_value"] = frame["baseline_value"].round(1)
    frame["pct_change"] = frame["pct_change"].round(1)
    _say(frame.to_string(index=False))


def run(months: Sequence[str] | None = None, board_quarter: str | None = None, verbose: bool = False) -> int:
    from pipelines.definitions import defs

    os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME))
    os.makedirs(os.environ["DAGSTER_HOME"], exist_ok=True)
    started = time.perf_counter()
    instance = DagsterInstance.get()
    for run_id in fail_orphaned_runs(instance):
        _say(f"  run {run_id[:8]} was left started by a process that is gone (killed or crashed): marked failed")
    report = run_pipeline(defs.resources, instance, months, board_quarter=board_quarter, verbose=verbose)
    _say(f"done in {time.perf_counter() - started:.0f} s; warehouse: {warehouse_path()}")
    loaded = sorted(set(report.months) - set(report.failed_months))
    if loaded:
        quarters = sorted({f"{m[:4]}-Q{(int(m[5:7]) - 1) // 3 + 1}" for m in loaded})
        _say(f"crime extracts loaded for {len(loaded)} month(s), {loaded[0]} to {loaded[-1]} "
             f"(quarters {quarters[0]} to {quarters[-1]})")
    try:
        _summary(report)
    except Exception as error:  # noqa: BLE001 - the summary must never hide the report below
        _say(f"\nThe summary could not be read from {warehouse_path()}: {error}")
        report.problems.append(f"summary: {error}")
    _say(f"\nBoard documents: {exports_path()}\nData Docs: {exports_path().parent / 'data-docs' / 'index.html'}")
    if report.rejected:
        _say(f"\nREJECTED FILES ({len(report.rejected)}), each moved to quarantine with a .reason.txt; deliver "
             "the corrected file under the same name:")
        for rejected in report.rejected:
            _say(f"  - {rejected.path}\n      " + rejected.reason.replace("\n", "\n      "))
    others = [p for p in report.problems if not any(p.startswith(f"{r.path.name} rejected") for r in report.rejected)]
    if others:
        _say("\nPROBLEMS (the warehouse kept its previous data for these):")
        for problem in others:
            _say(f"  - {problem}")
    return 1 if report.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--months", nargs="*", help="only these months (YYYY-MM) of the monthly sources")
    parser.add_argument("--publish-quarter", metavar="YYYY-Qn",
                        help="publish for the board: freeze this quarter's figures and documents (only when "
                        "every measure's window for it is complete)")
    parser.add_argument("--verbose", action="store_true", help="show Dagster's own event lines (DEBUG)")
    args = parser.parse_args(argv)
    board_quarter = quarter_end_of(args.publish_quarter) if args.publish_quarter else None
    _say(f"landing: {landing_path()}\nwarehouse: {warehouse_path()}")
    return run(args.months, board_quarter, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
