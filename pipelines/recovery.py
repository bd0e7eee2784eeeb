"""Runs left STARTED by a process that died (killed, out of memory, machine restarted).

The instance lets one warehouse-writing run execute at a time (pipelines/dagster.yaml), so a run that
a dead process left STARTED would keep every later run QUEUED until someone marked it failed by hand.
The main job calls `fail_orphaned_runs` before it starts; under the daemon, run monitoring
(dagster.yaml) does the same for launched runs.
"""

from __future__ import annotations

import os

from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _worker_pid(instance: DagsterInstance, run_id: str) -> int | None:
    """The pid of the process that executed the run, from its start event."""
    for kind in (DagsterEventType.RUN_START, DagsterEventType.STEP_START):
        records = instance.get_records_for_run(run_id, of_type=kind, limit=1).records
        for record in records:
            event = record.event_log_entry.dagster_event
            if event is not None and event.pid:
                return int(event.pid)
    return None


def fail_orphaned_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed every STARTED run whose process is gone; returns their run ids."""
    failed = []
    for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED])):
        pid = _worker_pid(instance, run.run_id)
        if pid is None or pid == os.getpid() or _alive(pid):
            continue
        instance.report_run_failed(
            run, message=f"The process that ran this run (pid {pid}) is gone: it was killed or crashed. Marked "
            "failed by the next run so the queue does not block; its working-copy changes were rolled back.")
        failed.append(run.run_id)
    return failed
