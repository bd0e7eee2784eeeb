"""The main job: every asset, on the landing folder, in dependency order, with a summary at the end.

    python -m pipelines.main            # bundled sample data (generated on first use)
    POLICING_LANDING_DIR=/data/landing POLICING_WAREHOUSE_PATH=/data/wh.duckdb python -m pipelines.main

Runs go through the Dagster instance in DAGSTER_HOME (the run script points it at
warehouse/dagster-home), so the Dagster UI shows every materialization and check of this run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dagster import AssetSelection, DagsterInstance, materialize

from assets.landing import FORCE_CRIMES, discover
from pipelines.jobs import MONTHLY_ASSETS, WRITES_WAREHOUSE
from pipelines.resources import DEFAULT_LANDING, PROJECT_DIR, landing_path, warehouse_path

DEFAULT_DAGSTER_HOME = PROJECT_DIR / "warehouse" / "dagster-home"



def _say(message: str) -> None:
    print(message, flush=True)


def _ensure_sample_landing() -> None:
    from sample_data.generate import ensure_sample_landing

    started = time.perf_counter()
    if ensure_sample_landing(DEFAULT_LANDING):
        _say(f"  sample landing folder written to {DEFAULT_LANDING} in {time.perf_counter() - started:.0f} s")
    else:
        _say(f"  sample landing folder up to date at {DEFAULT_LANDING}")


def _failures(result) -> list[str]:
    messages = [
        f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
        for event in result.all_events
        if event.is_step_failure and event.event_specific_data and event.event_specific_data.error
    ]
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


def run_pipeline(
    resources: Mapping[str, Any],
    instance: DagsterInstance,
    months: Sequence[str] | None = None,
    say: Callable[[str], None] = _say,
) -> RunReport:
    """Materialize the whole graph: dimensions, each month of the monthly sources, then the marts.

    Each month is its own run (as the sensor and backfills launch them), so a bad month is
    rejected alone and the others load.
    """
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    report = RunReport()

    def step(selection: AssetSelection, partition_key: str | None = None):
        # Only the selected assets and their checks go into the run: building a job over the whole
        # graph for every month costs seconds; upstream tables are read from the warehouse.
        keys = selection.resolve(graph)
        assets = [a for a in defs.assets if set(a.keys) & keys]
        checks = [c for c in defs.asset_checks if {k.asset_key for k in c.check_keys} & keys]
        result = materialize(
            [*assets, *checks],
            resources=dict(resources),
            instance=instance,
            partition_key=partition_key,
            raise_on_error=False,
            tags={"policing/launched_by": "main_job", **WRITES_WAREHOUSE},
        )
        report.problems.extend(_failures(result))
        return result

    monthly = AssetSelection.assets(*MONTHLY_ASSETS)
    say("1/3 reference dimensions and published sources")
    step(AssetSelection.all() - monthly - AssetSelection.groups("marts"))

    landing = resources["landing"].path
    files = discover(landing, FORCE_CRIMES)
    report.months = sorted({f.month for f in files} if months is None else set(months))
    say(f"2/3 monthly force extracts: {len(files)} files, {len(report.months)} months in {landing}")
    for number, month in enumerate(report.months, start=1):
        started = time.perf_counter()
        result = step(monthly, partition_key=f"{month}-01")
        rows = next(
            (m.metadata["dagster/row_count"].value
             for m in result.asset_materializations_for_node("validated_crime_extracts")), 0)
        if not result.success:
            report.failed_months.append(month)
        state = "ok" if result.success else "REJECTED"
        say(f"  [{number:>2}/{len(report.months)}] {month}: {rows:>7,} rows {state} "
            f"({time.perf_counter() - started:.1f} s)")

    say("3/3 marts")
    step(AssetSelection.groups("marts"))
    return report


def _summary() -> None:
    import duckdb

    with duckdb.connect(str(warehouse_path()), read_only=True) as conn:
        tables = conn.execute(
            "select schema_name || '.' || table_name, estimated_size from duckdb_tables() "
            "where schema_name in ('core', 'marts', 'meta') order by 1"
        ).fetchall()
        _say("\nRows per table:")
        for name, _ in tables:
            count = conn.execute(f"select count(*) from {name}").fetchone()[0]
            _say(f"  {name:<36} {count:>12,}")
        latest = conn.execute(
            "select force_code, max(quarter_end) from marts.national_measures group by force_code "
            "order by count(*) desc limit 1"
        ).fetchone()
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


def run(months: Sequence[str] | None = None) -> int:
    from pipelines.definitions import defs

    os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME))
    os.makedirs(os.environ["DAGSTER_HOME"], exist_ok=True)
    started = time.perf_counter()
    report = run_pipeline(defs.resources, DagsterInstance.get(), months)
    _say(f"done in {time.perf_counter() - started:.0f} s; warehouse: {warehouse_path()}")
    _summary()
    if report.problems:
        _say("\nPROBLEMS (the warehouse kept its previous data for these):")
        for problem in report.problems:
            _say(f"  - {problem}")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--months", nargs="*", help="only these months (YYYY-MM) of the monthly sources")
    args = parser.parse_args(argv)
    _say(f"landing: {landing_path()}\nwarehouse: {warehouse_path()}")
    if landing_path() == DEFAULT_LANDING:
        _ensure_sample_landing()
    return run(args.months)


if __name__ == "__main__":
    sys.exit(main())
