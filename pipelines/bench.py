"""Benchmark: the main job against a bare DuckDB load of the same crime extracts, on this machine.

    bash run.sh bench                       # 1 force x 5 years (about 1.5 M rows)
    bash run.sh bench --forces 10 --years 5 # 10 forces (about 6 M rows)
    bash run.sh bench --forces 43 --years 7 --scale 0.7   # national scale (about 30 M rows)

Prints, for N forces x M months of sample extracts in the contract layout (one file per force and
month, references unique per force): the main job's time per stage, a bare
`create table ... as select * from read_csv(...)` of the same files (in its own process), their
ratio, peak RSS, the warehouse and run storage sizes, one month re-delivered for one force, and a
national-measures query on the published warehouse. Figures, not a pass or fail: a benchmark is not
a timed test.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from dagster import DagsterInstance
from dagster._core.instance.ref import InstanceRef

from assets.lib.reference_data import FORCES_CSV
from assets.lib.resources import Exports, LandingFolder, make_warehouse
from pipelines.main import run_pipeline


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6 if path.exists() else 0.0


def _months(first_year: int, years: int) -> tuple[str, str]:
    # financial years, as forces hold them: April of the first year to March of the last
    return f"{first_year}-04", f"{first_year + years}-03"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forces", type=int, default=1, help="how many forces (from reference/forces.csv)")
    parser.add_argument("--years", type=int, default=5, help="financial years of monthly extracts, from April 2018")
    parser.add_argument("--scale", type=float, default=1.0, help="volume of each force relative to West Midlands")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)

    root = args.keep or Path(tempfile.mkdtemp(prefix="policing-bench-"))
    landing, published = root / "landing", root / "warehouse" / "policing.duckdb"
    with FORCES_CSV.open(encoding="utf-8") as handle:
        slugs = [row["slug"] for row in csv.DictReader(handle)]
    # West Midlands first: the calibrated force, then the others in the file's order
    slugs = ["west-midlands", *(s for s in slugs if s != "west-midlands")][: args.forces]
    first, last = _months(2018, args.years)

    # generation and the bare load run in their own processes, so that the peak RSS printed at the end
    # is the main job's alone
    started = time.perf_counter()
    for slug in slugs:
        subprocess.run([sys.executable, "-m", "sample_data.crimes", "--out", str(landing), "--force", slug,
                        "--first-month", first, "--last-month", last, "--scale", str(args.scale)],
                       check=True, stdout=subprocess.DEVNULL)
    files = list((landing / "force" / "crimes").glob("*.csv"))
    print(f"generated {len(files)} files for {len(slugs)} force(s), {first} to {last}, "
          f"{_size_mb(landing / 'force'):,.0f} MB in {time.perf_counter() - started:.0f} s")

    bare_sql = ("create or replace table crimes as select * from "
                f"read_csv('{landing}/force/crimes/*.csv', all_varchar = true, filename = true)")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import duckdb; c = duckdb.connect({str(root / 'bare.duckdb')!r}); "
                    f"c.execute('set enable_progress_bar = false'); c.execute({bare_sql!r})"], check=True)
    bare = time.perf_counter() - started
    with duckdb.connect(str(root / "bare.duckdb"), read_only=True) as conn:
        bare_rows = conn.execute("select count(*) from crimes").fetchone()[0]
    (root / "bare.duckdb").unlink()
    print(f"bare DuckDB load (its own process, start-up included): {bare_rows:,} rows in {bare:.1f} s")

    resources = {"warehouse": make_warehouse(published), "landing": LandingFolder(root=str(landing)),
                 "exports": Exports(root=str(root / "warehouse" / "exports"))}
    stages: list[tuple[str, float]] = []
    mark = [time.perf_counter()]

    def say(line: str) -> None:
        now = time.perf_counter()
        stages.append((line.strip(), now - mark[0]))
        mark[0] = now
        print(f"  {line}", flush=True)

    with tempfile.TemporaryDirectory() as home:
        # the project's instance settings (pipelines/dagster.yaml: the one-writer limit, run monitoring), as
        # run.sh gives the main job, in a DAGSTER_HOME of the benchmark's own
        shutil.copyfile(Path(__file__).with_name("dagster.yaml"), Path(home) / "dagster.yaml")
        instance = DagsterInstance.from_ref(InstanceRef.from_dir(home))
        started = time.perf_counter()
        report = run_pipeline(resources, instance, say=say)
        whole = time.perf_counter() - started
        # each stage's time is on the line after its heading (say() records the time since the last line)
        durations = {heading.split(":")[0]: seconds for (heading, _), (_, seconds) in zip(stages, stages[1:],
                                                                                        strict=False)
                     if heading[:2] in ("1/", "2/", "3/")}
        monthly = durations.get("2/3 monthly_sources", 0.0)
        storage = _size_mb(Path(home))
        # each step's time, from the runs' own records: where the stages' time went
        steps = {run.job_name: sorted(((s.end_time - s.start_time, s.step_key) for s in
                                       instance.get_run_step_stats(run.run_id) if s.start_time and s.end_time),
                                      reverse=True) for run in instance.get_runs()}

        # one month re-delivered for one force, corrected: its last record withdrawn
        redelivered = landing / "force" / "crimes" / f"{slugs[0]}-crimes-{last}.csv"
        lines = redelivered.read_bytes().split(b"\r\n")
        redelivered.write_bytes(b"\r\n".join([*lines[:-2], b""]))
        started = time.perf_counter()
        redelivery = run_pipeline(resources, instance, say=lambda _: None)
        again = time.perf_counter() - started

    with duckdb.connect(str(published), read_only=True) as conn:
        query = ("select * from marts.national_measures where force_code = 'E23000014' "
                 "and quarter_end = (select max(quarter_end) from marts.national_measures)")
        conn.execute(query).fetchall()
        started = time.perf_counter()
        measures = len(conn.execute(query).fetchall())
        warm = (time.perf_counter() - started) * 1000

    print(f"\nmain job: {whole:.0f} s for {bare_rows:,} rows ({len(report.months)} months, "
          f"{len(report.problems)} problem(s))")
    for stage, seconds in durations.items():
        print(f"  {stage:<24} {seconds:6.1f} s")
        # the steps that took a second or more (a run's start, its events and the steps under a second make up
        # the rest of the stage)
        for step_seconds, step in steps.get(stage.split(" ")[1], []):
            if step_seconds >= 1:
                print(f"      {step:<58} {step_seconds:6.1f} s")
    print(f"  crime load (monthly_sources run): {monthly:.1f} s, {monthly / bare:.1f} x the bare DuckDB load "
          f"({bare:.1f} s)")
    print(f"  whole main job: {whole / bare:.1f} x the bare load")
    print(f"  one month re-delivered for {slugs[0]}: {again:.0f} s end to end "
          f"({len(redelivery.problems)} problem(s))")
    print(f"  national_measures for one force and quarter, published warehouse, warm: {warm:.1f} ms "
          f"({measures} rows)")
    print(f"  peak RSS of the main job's process {_peak_rss_gb():.2f} GB; warehouse {_size_mb(published):,.0f} MB; "
          f"run storage {storage:,.1f} MB")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
