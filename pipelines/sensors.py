"""Sensors: runs for exactly the files that landed or changed, and the marts after each month load."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import (
    DagsterRunStatus,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    run_status_sensor,
    sensor,
)

from assets.lib.landing import FORCE_CRIMES, Fingerprint, discover, fingerprint_of
from assets.lib.resources import LandingFolder
from pipelines.jobs import marts_refresh, month_range_tags, monthly_sources, quarterly_refresh
from pipelines.sources import FILE_SOURCES


def fingerprint(paths: list[Path], root: Path, previous: dict[str, list]) -> dict[str, list]:
    """relative path -> [size, mtime_ns, sha256], hashed again only where size or mtime changed
    (fingerprint_of), so a file touched but not changed starts nothing."""
    current = {}
    for path in paths:
        key = path.relative_to(root).as_posix()
        known = Fingerprint(previous[key][2], *previous[key][:2]) if key in previous else None
        found = fingerprint_of(path, known)
        current[key] = [found.size, found.mtime_ns, found.sha256]
    return current


def changed(current: dict[str, list], previous: dict[str, list]) -> list[str]:
    return sorted(key for key, value in current.items() if key not in previous or previous[key][2] != value[2])


@sensor(
    name="landing_files_sensor",
    jobs=[monthly_sources, quarterly_refresh],
    minimum_interval_seconds=60,
    description="Watches the landing folder: new or changed crime extracts (by content hash) start one run for "
    "the months they cover; a new or changed file of any other source starts the quarterly refresh. An unchanged "
    "folder starts nothing.",
)
def landing_files_sensor(context: SensorEvaluationContext, landing: LandingFolder):
    root = landing.path
    previous = json.loads(context.cursor) if context.cursor else {}
    crimes = {f.path: f.month for f in discover(root, FORCE_CRIMES)}
    others = sorted({p for source in FILE_SOURCES for p in source.files(root)})
    current = fingerprint([*crimes, *others], root, previous)
    new = changed(current, previous)
    crime_keys = {path.relative_to(root).as_posix(): month for path, month in crimes.items()}
    requests = []
    months = sorted({crime_keys[key] for key in new if key in crime_keys})
    if months:
        # every month that changed in one run (a range, as a backfill makes it); unchanged files in the
        # range are not read again, so a gap between two changed months costs nothing
        shas = hashlib.sha256(",".join(current[key][2] for key in sorted(crime_keys)
                                       if months[0] <= crime_keys[key] <= months[-1]).encode()).hexdigest()[:16]
        run_key = f"crimes-{months[0]}-{months[-1]}-{shas}"
        if len(months) == 1:
            requests.append(RunRequest(job_name=monthly_sources.name, partition_key=f"{months[0]}-01",
                                       run_key=run_key))
        else:
            requests.append(RunRequest(job_name=monthly_sources.name, run_key=run_key,
                                       tags=month_range_tags(months[0], months[-1])))
    other_changes = [key for key in new if key not in crime_keys]
    if other_changes:
        digest = hashlib.sha256("".join(f"{k}{current[k][2]}" for k in other_changes).encode()).hexdigest()[:16]
        requests.append(RunRequest(job_name=quarterly_refresh.name, run_key=f"sources-{digest}",
                                   tags={"policing/changed_files": str(len(other_changes))}))
    context.update_cursor(json.dumps(current))
    if not requests:
        return SkipReason("no new or changed files in the landing folder")
    return requests


@run_status_sensor(
    name="marts_after_monthly_load",
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=[monthly_sources],
    request_job=marts_refresh,
    description="After a month of crime extracts loads, rebuild the marts and publish.",
)
def marts_after_monthly_load(context):
    return RunRequest(run_key=f"marts-after-{context.dagster_run.run_id}")
