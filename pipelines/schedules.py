"""The quarterly refresh ahead of each board, timed by reference/schedule.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dagster import RunRequest, ScheduleEvaluationContext, SkipReason, schedule

from pipelines.jobs import quarterly_refresh

SCHEDULE_CONFIG = Path(__file__).resolve().parents[1] / "reference" / "schedule.toml"


@dataclass(frozen=True)
class RefreshTiming:
    data_cutoff_days: int
    hour: int
    timezone: str


def load_timing(path: Path = SCHEDULE_CONFIG) -> RefreshTiming:
    settings = tomllib.loads(path.read_text(encoding="utf-8"))
    return RefreshTiming(int(settings["data_cutoff_days"]), int(settings["hour"]), str(settings["timezone"]))


def last_quarter_end(day: date) -> date:
    """The end of the last quarter that closed before `day`."""
    first_of_quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first_of_quarter - timedelta(days=1)


def refresh_day(quarter_end: date, data_cutoff_days: int) -> date:
    """First working day on or after the quarter's data cut-off."""
    day = quarter_end + timedelta(days=data_cutoff_days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


TIMING = load_timing()


@schedule(
    name="quarterly_refresh_schedule",
    job=quarterly_refresh,
    cron_schedule=f"0 {TIMING.hour} * * 1-5",
    execution_timezone=TIMING.timezone,
    description="Refreshes every source, mart and board document, and publishes, on the first working day after "
    "each quarter's data cut-off (reference/schedule.toml).",
)
def quarterly_refresh_schedule(context: ScheduleEvaluationContext):
    today = context.scheduled_execution_time.date()
    quarter_end = last_quarter_end(today)
    due = refresh_day(quarter_end, TIMING.data_cutoff_days)
    if today != due:
        return SkipReason(f"the refresh for the quarter ending {quarter_end} runs on {due}")
    return RunRequest(run_key=f"quarterly-refresh-{quarter_end}", tags={"policing/quarter_end": str(quarter_end)})
