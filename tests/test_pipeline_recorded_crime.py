"""The recorded-crime path end to end on hand-made extracts: counts, re-delivery, rejection."""

import os
from datetime import date

import duckdb
from dagster import DagsterEventType

from assets.recorded_crime.parser import RECORDED_CRIME_COLUMNS
from tests.conftest import crime, write_extract

FORCE = "E23000014"

APRIL = [
    crime("A/1", "2019-04-02", "1", committed_date="2019-04-01", victim_age="22"),
    crime("A/2", "2019-04-03", "4.10", victim_age=""),
    crime("A/3", "2019-04-04", "28E"),
    crime("A/4", "2019-04-05", "28E", status="CANCELLED"),
    crime("A/5", "2019-04-06", "34B", victim_age="19", knife_or_sharp_instrument="Y"),
    crime("A/6", "2019-04-30", "8N", knife_or_sharp_instrument="N", online="Y"),
]
MAY = [crime("M/1", "2019-05-10", "45"), crime("M/2", "2019-05-11", "30C", lsoa_code="")]
JUNE = [
    crime("J/1", "2019-06-01", "39"),
    crime("J/2", "2019-06-02", "10D"),
    crime("J/3", "2019-06-03", "8N", online="Y", knife_or_sharp_instrument="Y"),
]


def monthly(pipeline, measure: str) -> dict[date, float]:
    return dict(pipeline.query(
        "select month, value from marts.measure_monthly where force_code = ? and measure_id = ? order by month",
        [FORCE, measure]))


def load_quarter(pipeline):
    write_extract(pipeline.landing, "2019-04", APRIL)
    write_extract(pipeline.landing, "2019-05", MAY)
    write_extract(pipeline.landing, "2019-06", JUNE)
    report = pipeline.run()
    assert report.problems == [] and report.failed_months == []


def test_counts_by_month_worked_out_by_hand(pipeline):
    load_quarter(pipeline)
    apr, may, jun = date(2019, 4, 1), date(2019, 5, 1), date(2019, 6, 1)
    assert monthly(pipeline, "homicide") == {apr: 2, may: 0, jun: 0}  # codes 1 and 4.10
    assert monthly(pipeline, "burglary") == {apr: 1, may: 1, jun: 0}  # the cancelled 28E is not counted
    assert monthly(pipeline, "residential_burglary") == {apr: 1, may: 0, jun: 0}
    assert monthly(pipeline, "robbery_u25_victims") == {apr: 1, may: 0, jun: 0}
    assert monthly(pipeline, "knife_crime") == {apr: 1, may: 0, jun: 1}  # 34B and 8N flagged; selected offences
    assert monthly(pipeline, "vehicle_offences") == {apr: 0, may: 1, jun: 0}
    assert monthly(pipeline, "theft_from_person") == {apr: 0, may: 0, jun: 1}
    assert monthly(pipeline, "possession_of_weapons") == {apr: 0, may: 0, jun: 1}
    assert monthly(pipeline, "violence_with_injury") == {apr: 1, may: 0, jun: 1}
    # 28E + 34B in April, 45 in May, 39 in June
    assert monthly(pipeline, "neighbourhood_crime") == {apr: 2, may: 1, jun: 1}
    assert monthly(pipeline, "online_crime_share") == {apr: 100 * 1 / 5, may: 0.0, jun: 100 * 1 / 3}
    # the cancelled record is stored, with the file and row it came from
    assert pipeline.query(
        "select status, is_counted, source_file, source_row from core.fact_recorded_crime "
        "where crime_reference = 'A/4'") == [("CANCELLED", False, "west-midlands-crimes-2019-04.csv", 5)]
    quarter = pipeline.query(
        "select value, quality_flags from marts.national_measures where measure_id = 'homicide' "
        "and quarter_end = date '2019-06-30'")
    assert quarter == [(2.0, "months_missing=9; baseline_months_missing=9")]


def test_redelivered_month_replaces_only_that_month(pipeline):
    load_quarter(pipeline)
    before = {m: monthly(pipeline, m) for m in ("burglary", "vehicle_offences", "homicide", "robbery")}
    write_extract(pipeline.landing, "2019-05", [
        crime("M/1", "2019-05-10", "45"),
        crime("M/3", "2019-05-12", "34A"),
        crime("M/4", "2019-05-13", "1"),
    ])
    report = pipeline.run(["2019-05"])
    assert report.problems == []
    after = {m: monthly(pipeline, m) for m in before}
    may = date(2019, 5, 1)
    assert after["burglary"][may] == 0 and after["robbery"][may] == 1 and after["homicide"][may] == 1
    assert after["vehicle_offences"][may] == 1
    for measure in before:
        assert {k: v for k, v in after[measure].items() if k != may} == \
               {k: v for k, v in before[measure].items() if k != may}
    assert pipeline.query("select count(*) from core.fact_recorded_crime where month = date '2019-05-01'") == [(3,)]


def test_same_file_twice_changes_nothing(pipeline):
    load_quarter(pipeline)
    before = pipeline.table_checksums()
    report = pipeline.run()
    assert report.problems == []
    assert pipeline.table_checksums() == before


def test_missing_column_rejects_the_file_and_keeps_every_table(pipeline):
    load_quarter(pipeline)
    before = pipeline.table_checksums()
    columns = tuple(c for c in RECORDED_CRIME_COLUMNS if c != "recorded_date")
    path = write_extract(pipeline.landing, "2019-06", JUNE[:1], columns=columns)
    report = pipeline.run()
    assert report.failed_months == ["2019-06"]
    message = "\n".join(report.problems)
    assert "west-midlands-crimes-2019-06.csv" in message and "row 1" in message and "recorded_date" in message
    assert not path.exists()
    quarantined = list((pipeline.landing / "_quarantine").rglob("west-midlands-crimes-2019-06.csv"))
    assert len(quarantined) == 1
    assert "recorded_date" in quarantined[0].with_name(quarantined[0].name + ".reason.txt").read_text()
    assert pipeline.table_checksums() == before


def test_unparseable_date_rejects_the_file_naming_the_row(pipeline):
    load_quarter(pipeline)
    before = pipeline.table_checksums()
    write_extract(pipeline.landing, "2019-05", [MAY[0], crime("M/9", "2019-05-3l", "45")])
    report = pipeline.run()
    assert report.failed_months == ["2019-05"]
    message = "\n".join(report.problems)
    assert "west-midlands-crimes-2019-05.csv row 3" in message
    assert "recorded_date" in message
    assert pipeline.table_checksums() == before
    assert not (pipeline.landing / "force" / "crimes" / "west-midlands-crimes-2019-05.csv").exists()


def test_reference_already_loaded_from_another_month_is_refused(pipeline):
    load_quarter(pipeline)
    before = pipeline.table_checksums()
    # June re-delivered carrying April's crime A/3 again: it would be counted twice
    write_extract(pipeline.landing, "2019-06", [*JUNE, crime("A/3", "2019-06-20", "28E")])
    report = pipeline.run(["2019-06"])
    assert report.failed_months == ["2019-06"]
    message = "\n".join(report.problems)
    assert "west-midlands-crimes-2019-06.csv row 5: crime_reference A/3 is already loaded from " \
           "west-midlands-crimes-2019-04.csv" in message
    assert pipeline.table_checksums() == before


def test_another_force_is_named_by_its_file(pipeline):
    write_extract(pipeline.landing, "2021-01", [crime("G/1", "2021-01-05", "34B")], force="greater-manchester")
    write_extract(pipeline.landing, "2021-02", [crime("G/2", "2021-02-05", "34B")], force="greater-manchester")
    write_extract(pipeline.landing, "2021-03", [crime("G/3", "2021-03-05", "1")], force="greater-manchester")
    write_extract(pipeline.landing, "2021-03", [crime("W/1", "2021-03-05", "1")], force="west-midlands")
    assert pipeline.run().problems == []
    assert pipeline.query(
        "select force_code, value from marts.national_measures where measure_id = 'robbery' "
        "and quarter_end = date '2021-03-31' order by force_code") == [("E23000005", 2.0), ("E23000014", 0.0)]


def test_a_month_range_is_one_run_of_the_monthly_job_and_one_bad_month_is_rejected_alone(pipeline):
    # April's file holds a crime recorded in May: across a range the rule is row by row, so only that
    # file is refused; May and June load in the same run
    write_extract(pipeline.landing, "2019-04", [*APRIL, crime("A/7", "2019-05-03", "45")])
    write_extract(pipeline.landing, "2019-05", MAY)
    write_extract(pipeline.landing, "2019-06", JUNE)
    report = pipeline.run()
    assert report.failed_months == ["2019-04"]
    assert "west-midlands-crimes-2019-04.csv row 8, column 'recorded_date': '2019-05-03'" in "\n".join(report.problems)
    assert pipeline.query("select strftime(month, '%Y-%m'), count(*) from core.fact_recorded_crime "
                          "group by 1 order by 1") == [("2019-05", 2), ("2019-06", 3)]

    runs = pipeline.instance.get_runs()
    assert sorted(run.job_name for run in runs) == ["marts_refresh", "monthly_sources", "sources_refresh"]
    (monthly_run,) = [run for run in runs if run.job_name == "monthly_sources"]
    assert monthly_run.tags["dagster/asset_partition_range_start"] == "2019-04-01"
    assert monthly_run.tags["dagster/asset_partition_range_end"] == "2019-06-01"
    # the rows passed between the assets in DuckDB; nothing of the delivery is left behind in landed
    assert pipeline.query("select count(*) from duckdb_tables() where schema_name = 'landed' "
                          "and table_name like '%crime_extracts%'") == [(0,)]

    # each month's materialization gives that month's rows: April's seven read, none of them validated or loaded
    # (its file rejected); the table's schema and preview are on the range's last month only, the asset's latest
    events = pipeline.instance.all_logs(monthly_run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
    by_asset: dict[str, dict[str, dict]] = {}
    for entry in events:
        materialization = entry.dagster_event.event_specific_data.materialization
        by_asset.setdefault(materialization.asset_key.to_user_string(), {})[materialization.partition] = {
            key: value.value for key, value in materialization.metadata.items()}
    rows = {asset: {month: metadata["dagster/partition_row_count"] for month, metadata in months.items()}
            for asset, months in by_asset.items()}
    assert rows == {"crime_extracts": {"2019-04-01": 7, "2019-05-01": 2, "2019-06-01": 3},
                    "validated_crime_extracts": {"2019-04-01": 0, "2019-05-01": 2, "2019-06-01": 3},
                    "fact_recorded_crime": {"2019-04-01": 0, "2019-05-01": 2, "2019-06-01": 3}}
    for asset, months in by_asset.items():
        assert [month for month, metadata in months.items() if "dagster/column_schema" in metadata] == [
            "2019-06-01"], asset
        assert {metadata["dagster/table_name"] for metadata in months.values()} == {
            {"crime_extracts": "scratch.crime_extracts", "validated_crime_extracts": "scratch.validated_crime_extracts",
             "fact_recorded_crime": "core.fact_recorded_crime"}[asset]}
    assert by_asset["fact_recorded_crime"]["2019-06-01"]["rows_by_month"] == {"2019-05": 2, "2019-06": 3}


def test_a_reference_repeated_in_a_later_month_of_the_same_range_refuses_the_later_file(pipeline):
    write_extract(pipeline.landing, "2019-04", APRIL)
    write_extract(pipeline.landing, "2019-05", [*MAY, crime("A/1", "2019-05-20", "45")])
    write_extract(pipeline.landing, "2019-06", JUNE)
    report = pipeline.run()
    assert report.failed_months == ["2019-05"]
    assert ("west-midlands-crimes-2019-05.csv row 4: crime_reference A/1 is already loaded from "
            "west-midlands-crimes-2019-04.csv") in "\n".join(report.problems)
    assert pipeline.query("select strftime(month, '%Y-%m'), count(*) from core.fact_recorded_crime "
                          "group by 1 order by 1") == [("2019-04", 6), ("2019-06", 3)]


def test_a_range_is_validated_once_in_the_warehouse_and_a_bad_month_keeps_out(pipeline):
    # three months, the middle one with a bad age: one validation of the whole range (one Data Docs page),
    # the bad file named by row and column, the other two months loaded
    write_extract(pipeline.landing, "2019-04", APRIL)
    write_extract(pipeline.landing, "2019-05", [*MAY, crime("M/3", "2019-05-12", "45", victim_age="abc")])
    write_extract(pipeline.landing, "2019-06", JUNE)
    report = pipeline.run()
    assert report.failed_months == ["2019-05"]
    assert "west-midlands-crimes-2019-05.csv row 4, column 'victim_age': 'abc'" in "\n".join(report.problems)
    assert pipeline.query("select strftime(month, '%Y-%m'), count(*) from core.fact_recorded_crime "
                          "group by 1 order by 1") == [("2019-04", 6), ("2019-06", 3)]
    pages = pipeline.exports.parent / "data-docs" / "validations" / "recorded_crime"
    assert sorted(p.name for p in pages.iterdir()) == ["recorded_crime-2019-04_to_2019-06"]


def _check_metadata(pipeline, job: str, check: str) -> list[dict[str, object]]:
    """The metadata of one asset check in each run of `job`, oldest run first."""
    found = []
    for run in reversed(pipeline.instance.get_runs()):  # the instance lists the newest run first
        if run.job_name != job:
            continue
        for entry in pipeline.instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
            evaluation = entry.dagster_event.event_specific_data
            if evaluation.check_name == check:
                found.append({key: value.value for key, value in evaluation.metadata.items()})
    return found


def test_the_fact_checks_look_at_the_months_the_run_loaded(pipeline):
    # April holds a crime in an LSOA the geography does not know; May, loaded by a later run, does not
    write_extract(pipeline.landing, "2019-04", [*APRIL, crime("A/7", "2019-04-20", "45", lsoa_code="E01999999")])
    assert pipeline.run(["2019-04"]).failed_months == []
    write_extract(pipeline.landing, "2019-05", MAY)
    assert pipeline.run(["2019-05"]).failed_months == []
    # seven April rows, one unknown; then May's two rows only (one without an LSOA, which is not unknown):
    # the second run does not count April's rows again
    assert _check_metadata(pipeline, "monthly_sources", "fact_recorded_crime_geography_resolves") == [
        {"rows": 7, "unknown_lsoa": 1, "lsoa_outside_force_area": 0},
        {"rows": 2, "unknown_lsoa": 0, "lsoa_outside_force_area": 0}]
    assert _check_metadata(pipeline, "monthly_sources", "fact_recorded_crime_offences_resolve") == [
        {"unknown_offence_codes": 0}, {"unknown_offence_codes": 0}]
    assert [m["files_checked"] for m in _check_metadata(
        pipeline, "monthly_sources", "fact_recorded_crime_unique_references")] == [1, 1]


def test_the_unique_references_check_reports_a_run_key_held_twice_in_its_force_only():
    from assets.recorded_crime.assets import repeated_references

    with duckdb.connect() as conn:
        conn.execute("create schema core; create schema meta")
        conn.execute("create table core.fact_recorded_crime as select * from (values "
                     # A/1 loaded by an earlier run in January and by this run in February: held twice
                     "('F1', 'A/1', date '2021-01-01'), ('F1', 'A/1', date '2021-02-01'), "
                     "('F1', 'A/2', date '2021-02-01'), "
                     # the same text in another force is another crime
                     "('F2', 'A/2', date '2021-02-01'), "
                     # held twice, but in months this run did not load
                     "('F3', 'C/1', date '2020-05-01'), ('F3', 'C/1', date '2020-06-01')) "
                     "as v(force_code, crime_reference, month)")
        conn.execute("create table meta.loaded_files as select * from (values "
                     "('crimes', 'F1', date '2021-01-01', 'earlier'), ('crimes', 'F1', date '2021-02-01', 'r'), "
                     # February of F1 recorded twice for the run: its rows are not doubled by it
                     "('crimes', 'F1', date '2021-02-01', 'r'), ('crimes', 'F2', date '2021-02-01', 'r'), "
                     "('crimes', 'F3', date '2020-05-01', 'earlier'), ('crimes', 'F3', date '2020-06-01', 'earlier')) "
                     "as v(source, force_code, period, run_id)")
        found = repeated_references(conn, "crimes", "r")
    assert found.values.tolist() == [["F1", "A/1", 2]]


def test_a_file_not_touched_since_it_was_loaded_is_not_read_again_to_hash_it(pipeline, monkeypatch):
    import assets.lib.landing as landing

    load_quarter(pipeline)
    folder = pipeline.landing / "force" / "crimes"
    stats = {p.name: p.stat() for p in folder.iterdir()}
    # each file is recorded with the size and modification time it was hashed at
    assert sorted(pipeline.query("select file_name, file_size, file_mtime_ns from meta.loaded_files")) == sorted(
        (name, stat.st_size, stat.st_mtime_ns) for name, stat in stats.items())
    hashed = []
    real = landing.sha256_of
    monkeypatch.setattr(landing, "sha256_of", lambda path: hashed.append(path.name) or real(path))
    before = pipeline.table_checksums()
    assert pipeline.run().problems == []
    assert hashed == []  # three untouched files: none read
    may = folder / "west-midlands-crimes-2019-05.csv"
    os.utime(may, ns=(stats[may.name].st_atime_ns, stats[may.name].st_mtime_ns + 1_000_000_000))
    assert pipeline.run().problems == []
    assert hashed == [may.name]  # touched: hashed again, found unchanged, nothing loaded
    after = pipeline.table_checksums()
    assert {t for t in before if after[t] != before[t]} == {"meta.loaded_files"}
    # ... but its new time recorded, so the run after does not hash it again
    assert pipeline.query("select file_mtime_ns from meta.loaded_files where file_name = ?", [may.name]) == [
        (may.stat().st_mtime_ns,)]
    assert pipeline.run().problems == []
    assert hashed == [may.name]
    write_extract(pipeline.landing, "2019-05", [crime("M/1", "2019-05-10", "45")])
    assert pipeline.run().problems == []
    assert pipeline.query("select count(*) from core.fact_recorded_crime where month = date '2019-05-01'") == [(1,)]
    assert pipeline.query("select file_size from meta.loaded_files where file_name = ?", [may.name]) == [
        (may.stat().st_size,)]


def _steps(pipeline, run) -> set[str]:
    return {entry.step_key for entry in pipeline.instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_SUCCESS)}


def test_the_main_job_leaves_out_what_has_nothing_new_to_load(pipeline):
    import shutil

    from tests.conftest import STOP_SEARCH

    searches = pipeline.landing / "policeuk" / "2018-08" / STOP_SEARCH.name
    searches.parent.mkdir(parents=True)
    shutil.copyfile(STOP_SEARCH, searches)
    load_quarter(pipeline)
    first = {run.run_id for run in pipeline.instance.get_runs()}
    ingest = {"stop_and_search_files", "validated_stop_and_search"}
    (sources,) = [r for r in pipeline.instance.get_runs() if r.job_name == "sources_refresh"]
    assert ingest <= _steps(pipeline, sources)

    def new_runs() -> dict[str, object]:
        runs = {r.job_name: r for r in pipeline.instance.get_runs() if r.run_id not in first}
        first.update(r.run_id for r in runs.values())
        return runs

    # nothing delivered since: no month to load, the stop-and-search file not read again, the tables as they were
    before = pipeline.table_checksums()
    report = pipeline.run()
    assert report.problems == [] and report.months == []
    runs = new_runs()
    assert sorted(runs) == ["marts_refresh", "sources_refresh"]
    steps = _steps(pipeline, runs["sources_refresh"])
    assert not steps & ingest
    assert {"fact_stop_search", "dim_offence"} <= steps  # the models and dimensions are still rebuilt
    assert pipeline.table_checksums() == before

    # May re-delivered: a run over May alone
    write_extract(pipeline.landing, "2019-05", [*MAY, crime("M/3", "2019-05-12", "45")])
    report = pipeline.run()
    assert report.problems == [] and report.months == ["2019-05"]
    monthly_run = new_runs()["monthly_sources"]
    assert (monthly_run.tags["dagster/asset_partition_range_start"],
            monthly_run.tags["dagster/asset_partition_range_end"]) == ("2019-05-01", "2019-05-01")
    assert pipeline.query("select count(*) from core.fact_recorded_crime where month = date '2019-05-01'") == [(3,)]

    # the stop-and-search file touched: read again (found unchanged), its new time recorded, nothing else changed
    before = pipeline.table_checksums()
    stat = searches.stat()
    os.utime(searches, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert pipeline.run().problems == []
    assert ingest <= _steps(pipeline, new_runs()["sources_refresh"])
    after = pipeline.table_checksums()
    assert {t for t in before if after[t] != before[t]} == {"meta.loaded_files"}


def test_the_main_jobs_runs_hold_one_warehouse_connection_open(pipeline, monkeypatch):
    # every step of the main job's runs shares one open database: opening the file and checkpointing it on close
    # cost 30 to 40 ms a connection at national scale, about 200 connections a run
    from assets.lib.resources import Warehouse

    anchored = []
    real = Warehouse.setup_for_execution

    def setup(self, context):
        real(self, context)
        anchored.append(self._anchor is not None)

    monkeypatch.setattr(Warehouse, "setup_for_execution", setup)
    load_quarter(pipeline)
    assert anchored == [True, True, True]  # sources, the month range, the marts


def test_a_warehouse_that_cannot_be_opened_leaves_nothing_out(tmp_path):
    # another process writing the working copy: every file counts as new, and the runs say why they cannot load
    import subprocess
    import sys
    from pathlib import Path

    from assets.lib.resources import make_warehouse
    from pipelines.main import _stale

    warehouse = make_warehouse(tmp_path / "warehouse.duckdb")
    extract = write_extract(tmp_path / "landing", "2019-04", APRIL)
    Path(warehouse.database).parent.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, time; "
                               f"c = duckdb.connect({warehouse.database!r}); print('open', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        assert _stale(warehouse, {"recorded_crime": [extract]}) == {extract}
    finally:
        holder.kill()
        holder.wait()


def test_the_published_warehouse_keeps_the_format_duckdb_1_reads_and_the_scratch_file_is_current(pipeline):
    # analysts open the published file with duckdb 1.x tools: written as v1.0.0 storage; the scratch database only
    # runs open, in DuckDB's own format (cheaper to write)
    load_quarter(pipeline)

    def storage_version(path) -> str:
        with duckdb.connect(str(path), read_only=True) as conn:
            return conn.execute("select tags['storage_version'] from duckdb_databases() "
                                "where database_name = current_database()").fetchone()[0]

    assert storage_version(pipeline.warehouse_path) == "v1.0.0+"
    scratch = pipeline.resources["warehouse"].scratch
    assert scratch.exists() and storage_version(scratch) != "v1.0.0+"
