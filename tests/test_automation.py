"""The quarterly schedule, the landing-folder sensor and the run concurrency limit."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import yaml
from dagster import RunRequest, SkipReason, build_schedule_context, build_sensor_context

from assets.lib.resources import LandingFolder
from pipelines.definitions import defs
from pipelines.schedules import last_quarter_end, quarterly_refresh_schedule, refresh_day
from pipelines.sensors import landing_files_sensor
from tests.conftest import REPO, crime, write_extract

LONDON = ZoneInfo("Europe/London")


def evaluate_schedule(day: date):
    context = build_schedule_context(scheduled_execution_time=datetime(day.year, day.month, day.day, 6, tzinfo=LONDON))
    return quarterly_refresh_schedule(context)


def test_refresh_runs_on_the_first_working_day_after_the_cutoff():
    assert last_quarter_end(date(2022, 4, 7)) == date(2022, 3, 31)
    assert refresh_day(date(2022, 3, 31), 7) == date(2022, 4, 7)  # a Thursday
    assert refresh_day(date(2019, 6, 30), 7) == date(2019, 7, 8)  # the 7th is a Sunday: Monday
    due = evaluate_schedule(date(2022, 4, 7))
    assert isinstance(due, RunRequest) and due.run_key == "quarterly-refresh-2022-03-31"
    assert isinstance(evaluate_schedule(date(2022, 4, 8)), SkipReason)
    assert isinstance(evaluate_schedule(date(2022, 4, 6)), SkipReason)


def run_sensor(landing, cursor):
    context = build_sensor_context(cursor=cursor, resources={"landing": LandingFolder(root=str(landing))},
                                   definitions=defs)
    result = landing_files_sensor(context)
    return result, context.cursor


def requested(result) -> list[tuple[str, object]]:
    if isinstance(result, SkipReason):
        return []
    return [(r.job_name, r.partition_key or (r.tags.get("dagster/asset_partition_range_start"),
                                             r.tags.get("dagster/asset_partition_range_end"))) for r in result]


def test_sensor_starts_runs_for_exactly_the_new_or_changed_files(tmp_path):
    write_extract(tmp_path, "2021-01", [crime("A/1", "2021-01-05", "1")])
    write_extract(tmp_path, "2021-02", [crime("A/2", "2021-02-05", "1")])
    result, cursor = run_sensor(tmp_path, None)
    # both months in one run, as a range
    assert requested(result) == [("monthly_sources", ("2021-01-01", "2021-02-01"))]

    result, cursor = run_sensor(tmp_path, cursor)
    assert isinstance(result, SkipReason)  # an unchanged folder starts nothing

    february = tmp_path / "force" / "crimes" / "west-midlands-crimes-2021-02.csv"
    os.utime(february, (1, 1))  # touched, content unchanged
    result, cursor = run_sensor(tmp_path, cursor)
    assert isinstance(result, SkipReason)

    write_extract(tmp_path, "2021-02", [crime("A/2", "2021-02-05", "1"), crime("A/3", "2021-02-06", "1")])
    result, cursor = run_sensor(tmp_path, cursor)
    assert requested(result) == [("monthly_sources", "2021-02-01")]

    census = tmp_path / "ons" / "census" / "census.csv"
    census.parent.mkdir(parents=True)
    census.write_text("x\n")
    result, cursor = run_sensor(tmp_path, cursor)
    assert requested(result) == [("quarterly_refresh", (None, None))]


def test_writer_runs_never_overlap():
    settings = yaml.safe_load((REPO / "pipelines" / "dagster.yaml").read_text())
    assert settings["concurrency"]["runs"]["max_concurrent_runs"] == 1
    assert "cp pipelines/dagster.yaml" in (REPO / "run.sh").read_text()
    for job in defs.jobs:
        assert job.tags.get("policing/writes-warehouse") == "true", job.name
