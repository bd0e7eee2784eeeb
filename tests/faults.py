"""The main job with a pause point armed inside one phase, for the kill tests (tests/test_faults_*.py).

    python -m tests.faults <phase> <marker file>

runs `pipelines.main` as `bash run.sh pipeline` does, except that once the phase has done part of its
work (a file read, a validation run, the fact rows inserted but not committed, a mart built, a
document written, half the warehouse copied to its publishing file) it writes the marker file and
waits there. The test watches the run's events until the phase's step is the one in progress, then
kills this process: the kill lands inside the phase every time, not wherever a fixed sleep happens
to fall. Nothing here changes what the phase does before the pause.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.instance.ref import InstanceRef

from tests.conftest import REPO, deliver_months

# phase -> (job, step) of the run the kill interrupts: what the test expects the events to show in progress
PHASES: dict[str, tuple[str, str]] = {
    "ingest": ("monthly_sources", "crime_extracts"),
    "validation": ("monthly_sources", "validated_crime_extracts"),
    "fact load": ("monthly_sources", "fact_recorded_crime"),
    "marts": ("marts_refresh", "national_measures"),
    "board documents": ("marts_refresh", "scorecard_workbooks"),
    "publish": ("marts_refresh", "published_warehouse"),
}


def _pause(marker: Path) -> None:
    marker.write_text(f"paused at {time.time()}\n", encoding="utf-8")
    while True:  # until killed
        time.sleep(1)


def _after(module: Any, name: str, marker: Path, when: Callable[..., bool] = lambda *a, **k: True) -> None:
    """Pause once `module.name` has returned (for a call that `when` accepts)."""
    original = getattr(module, name)

    @functools.wraps(original)
    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        if when(*args, **kwargs):
            _pause(marker)
        return result

    setattr(module, name, paused)


def _half_copy(marker: Path) -> None:
    """The publication's copy stops half way through its publishing file."""
    original = shutil.copyfile

    def copyfile(src, dst, *args, **kwargs):
        if not str(dst).endswith(".publishing"):
            return original(src, dst, *args, **kwargs)
        data = Path(src).read_bytes()
        with open(dst, "wb") as out:
            out.write(data[: len(data) // 2])
            out.flush()
        _pause(marker)

    shutil.copyfile = copyfile


def arm(phase: str, marker: Path) -> None:
    import assets.board_pack.documents as board_documents
    import assets.marts.assets as marts
    import assets.recorded_crime.assets as recorded_crime

    if phase == "ingest":  # the range's extracts read into scratch.crime_extracts, none quarantined or validated
        _after(recorded_crime, "load_force_csvs", marker)
    elif phase == "validation":  # Great Expectations has run over the range; nothing quarantined yet
        _after(recorded_crime, "validate", marker)
    elif phase == "fact load":  # the month's rows inserted in the fact table's transaction, not committed
        _after(recorded_crime, "describe_table", marker)
    elif phase == "marts":
        _after(marts, "build_table", marker, when=lambda conn, model, *a, **k: model == "national_measures")
    elif phase == "board documents":  # one quarter's documents written beside the published ones
        _after(board_documents, "write_statement_docx", marker)
    elif phase == "publish":
        _half_copy(marker)
    else:
        raise SystemExit(f"unknown phase {phase!r}: one of {', '.join(PHASES)}")


# What the kill and full-disk tests share (tests/test_faults_*.py): the main job as a process, deliveries,
# digests of what analysts and the board see, and the run's progress read from its events.

def main_job(root: Path, *args: str, log: str = "main.log", environment: dict[str, str] | None = None
              ) -> subprocess.Popen:
    home = root / "dagster-home"
    home.mkdir(exist_ok=True)
    shutil.copyfile(REPO / "pipelines" / "dagster.yaml", home / "dagster.yaml")  # as run.sh sets it up
    env = {**os.environ, "POLICING_LANDING_DIR": str(root / "landing"),
           "POLICING_WAREHOUSE_PATH": str(root / "warehouse.duckdb"), "DAGSTER_HOME": str(home), **(environment or {})}
    with open(root / log, "w") as out:
        return subprocess.Popen([sys.executable, "-u", "-m", *args], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT)


def publish_first_quarter(root: Path) -> Path:
    """A warehouse published by the main job from the first quarter of 2021 (three months, three crimes each)."""
    deliver_months(root / "landing", ("2021-01", "2021-02", "2021-03"), rows=3)
    job = main_job(root, "pipelines.main")
    assert job.wait(timeout=900) == 0, (root / "main.log").read_text()
    return root


def finished(job: subprocess.Popen, log: Path) -> str:
    job.wait(timeout=900)
    return log.read_text()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def documents(root: Path) -> dict[str, str]:
    """The board documents analysts and the board open (not the next publication's, in .pending)."""
    exports = root / "exports"
    return {str(p.relative_to(exports)): digest(p) for p in sorted(exports.rglob("*"))
            if p.is_file() and ".pending" not in p.parts}


def instance_at(root: Path) -> DagsterInstance:
    return DagsterInstance.from_ref(InstanceRef.from_dir(str(root / "dagster-home")))


def steps_in_progress(root: Path) -> dict[str, set[str]]:
    """job -> the steps its STARTED run has begun and not finished, read from the run's events."""
    instance = instance_at(root)
    try:
        progress = {}
        for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED])):
            started, ended = set(), set()
            for record in instance.get_records_for_run(run.run_id).records:
                event = record.event_log_entry.dagster_event
                if event is None or event.step_key is None:
                    continue
                if event.event_type == DagsterEventType.STEP_START:
                    started.add(event.step_key)
                elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE,
                                          DagsterEventType.STEP_SKIPPED):
                    ended.add(event.step_key)
            progress[run.job_name] = started - ended
        return progress
    finally:
        instance.dispose()


def runs_with_status(root: Path, status: DagsterRunStatus) -> list[str]:
    instance = instance_at(root)
    try:
        return [run.run_id for run in instance.get_runs(filters=RunsFilter(statuses=[status]))]
    finally:
        instance.dispose()



def kill_inside_and_recover(published_quarter: Path, tmp_path: Path, phase: str) -> None:
    """Kill the main job inside `phase` (read from its run's events), check what analysts and the board see is
    unchanged, then run it again and check it recovers with no manual step."""
    root = tmp_path / "case"
    shutil.copytree(published_quarter, root, symlinks=True)
    published, shown = digest(root / "warehouse.duckdb"), documents(root)
    assert shown  # the first quarter's workbook and statements are on disk
    deliver_months(root / "landing", ("2021-04", "2021-05", "2021-06"), rows=20)
    marker = tmp_path / "paused"
    job = main_job(root, "tests.faults", phase, str(marker), log="killed.log")
    job_name, step = PHASES[phase]
    deadline = time.time() + 600
    progress: dict[str, set[str]] = {}
    while time.time() < deadline and job.poll() is None:
        if marker.exists():
            progress = steps_in_progress(root)
            if step in progress.get(job_name, set()):
                break
        time.sleep(0.2)
    assert job.poll() is None, (root / "killed.log").read_text()  # still running, inside the phase
    assert progress == {job_name: {step}}, progress  # the run's events: the phase intended, and only it
    job.send_signal(signal.SIGKILL)
    assert job.wait(timeout=60) == -signal.SIGKILL
    assert steps_in_progress(root) == {job_name: {step}}  # killed there: the step never finished

    # what analysts and the board see is what was published before the run
    assert digest(root / "warehouse.duckdb") == published
    assert documents(root) == shown
    left_started = runs_with_status(root, DagsterRunStatus.STARTED)
    assert len(left_started) == 1

    # the next run, with no manual step
    job = main_job(root, "pipelines.main", log="recovery.log")
    assert job.wait(timeout=900) == 0, (root / "recovery.log").read_text()
    output = (root / "recovery.log").read_text()
    assert f"run {left_started[0][:8]} was left started by a process that is gone (killed or crashed): " \
           "marked failed" in output
    assert "Traceback" not in output
    assert runs_with_status(root, DagsterRunStatus.STARTED) == []
    assert left_started[0] in runs_with_status(root, DagsterRunStatus.FAILURE)
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select strftime(month, '%Y-%m'), count(*) from core.fact_recorded_crime "
                            "group by 1 order by 1").fetchall() == [
            ("2021-01", 3), ("2021-02", 3), ("2021-03", 3), ("2021-04", 20), ("2021-05", 20), ("2021-06", 20)]
        token = conn.execute("select token from meta.publication").fetchone()[0]
    # the second quarter's documents came in with the warehouse that holds its figures; nothing half-written left
    assert {"scorecard-2021-Q2.xlsx", "statement-2021-Q2.md", "statement-2021-Q2.docx"} <= set(documents(root))
    assert not (root / "exports" / ".pending").exists()
    assert not list(root.glob(".*.publishing"))
    assert token


if __name__ == "__main__":
    arm(sys.argv[1], Path(sys.argv[2]))
    from pipelines.main import main

    sys.exit(main([]))
