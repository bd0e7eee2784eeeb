"""Faults as an operator meets them: the main job killed while it builds the marts, writes the board
documents or publishes, and a disk that fills. As in test_faults_loading.py, the phase is read from the
run's events and asserted before the kill; afterwards the publication is what it was, and the next run
recovers with no manual step.
"""

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterRunStatus

from tests.conftest import deliver_months
from tests.faults import (
    digest,
    documents,
    finished,
    kill_inside_and_recover,
    main_job,
    publish_first_quarter,
    runs_with_status,
)


@pytest.fixture(scope="module")
def published_quarter(tmp_path_factory) -> Path:
    return publish_first_quarter(tmp_path_factory.mktemp("published"))


@pytest.mark.parametrize("phase", ["marts", "board documents", "publish"])
def test_killed_inside_a_phase_leaves_the_publication_and_the_next_run_recovers(published_quarter, tmp_path,
                                                                                phase):
    kill_inside_and_recover(published_quarter, tmp_path, phase)


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MB disk of its own (tmpfs), unmounted afterwards. Mounting needs root, as CI runs."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], capture_output=True,
                             text=True)
    assert mounted.returncode == 0, f"the full-disk test mounts a tmpfs (needs root): {mounted.stderr}"
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_leaves_the_publication_and_the_next_run_recovers(published_quarter, tmp_path, small_disk):
    root = tmp_path / "case"
    shutil.copytree(published_quarter, root, symlinks=True)
    # the warehouse, its working copy, the board documents and the Data Docs on the small disk
    for name in ("warehouse.duckdb", ".build", "exports", "data-docs"):
        shutil.move(root / name, small_disk / name)
    environment = {"POLICING_WAREHOUSE_PATH": str(small_disk / "warehouse.duckdb")}
    published, shown = digest(small_disk / "warehouse.duckdb"), documents(small_disk)
    deliver_months(root / "landing", ("2021-04", "2021-05", "2021-06"), rows=20)
    free = shutil.disk_usage(small_disk).free
    filler = small_disk / "filler"
    with open(filler, "wb") as out:  # all but 1 MB taken: less than a copy of the warehouse needs
        out.truncate(0)
        out.write(b"\0" * (free - 1024 * 1024))
    job = main_job(root, "pipelines.main", log="full.log", environment=environment)
    output = finished(job, root / "full.log")
    assert job.returncode == 1, output
    assert "Traceback" not in output
    assert "the disk is full" in output, output  # in words, not only an errno
    assert digest(small_disk / "warehouse.duckdb") == published
    assert documents(small_disk) == shown
    assert not list(small_disk.glob(".*.publishing"))  # no half-written copy left on the full disk
    assert runs_with_status(root, DagsterRunStatus.STARTED) == []

    filler.unlink()  # the operator frees the space; the next run needs nothing else
    job = main_job(root, "pipelines.main", log="recovery.log", environment=environment)
    output = finished(job, root / "recovery.log")
    assert job.returncode == 0, output
    with duckdb.connect(str(small_disk / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(distinct month) from core.fact_recorded_crime").fetchall() == [(6,)]
    assert "scorecard-2021-Q2.xlsx" in documents(small_disk)
