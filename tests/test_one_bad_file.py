"""One bad file is one rejected file, for every source; every marts table builds from any subset of sources.

Real publications where the repository has them (ONS, Home Office, data.police.uk); the force's own layouts and
the HES workbook from the sample generators (their layout, not their figures, is what these tests rely on). Each
broken file is a good one with one thing wrong, written here.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from sample_data.census import write_census_ethnicity
from sample_data.force_ops import write_force_ops
from sample_data.hes import write_hes_workbooks
from tests.conftest import (
    ONS_JUNE_2019,
    ONS_MARCH_2019,
    POPULATION,
    PRC,
    STOP_SEARCH,
    STREET,
    Pipeline,
    crime,
    write_extract,
)


def _copy(source: Path, landing: Path, relative: str) -> Path:
    target = landing / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _rename_header(source: Path, target: Path, old: str, new: str) -> None:
    """The same CSV with one header label changed: a required column goes missing."""
    lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert old in lines[0].rstrip("\r\n").split(","), (source, old)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(lines[0].replace(old, new, 1) + "".join(lines[1:]), encoding="utf-8")


def _set_cell(source: Path, target: Path, column: str, row: int, value: str) -> None:
    """The same CSV with one cell changed (row 1 is the first data row)."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row][rows[0].index(column)] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _rename_sheets(source: Path, target: Path) -> None:
    workbook = openpyxl.load_workbook(source)
    for number, sheet in enumerate(workbook.worksheets, start=1):
        sheet.title = f"Renamed {number}"
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)


def deliver(landing: Path, scratch: Path) -> dict[str, tuple[str, str]]:
    """Every source's good file and broken file in one landing folder: {source: (good name, broken name)}."""
    force_ops = write_force_ops(scratch / "ops", first_month="2021-02", last_month="2021-04")
    by_stem = {path.name: path for path in force_ops}
    files: dict[str, tuple[str, str]] = {}
    for folder, stem, date_column in (("firearm-discharges", "firearm-discharges", "discharge_date"),
                                      ("drug-activity", "drug-activity", "activity_date"),
                                      ("satisfaction", "sms-survey", "response_date")):
        good = _copy(by_stem[f"west-midlands-{stem}-2021-03.csv"], landing,
                     f"force/{folder}/west-midlands-{stem}-2021-03.csv")
        bad = landing / "force" / folder / f"west-midlands-{stem}-2021-04.csv"
        _rename_header(by_stem[f"west-midlands-{stem}-2021-04.csv"], bad, date_column, "when")
        files[stem] = (good.name, bad.name)
    # the quarter-end snapshot: a quarter of its own on the scorecard
    snapshot = by_stem["west-midlands-workforce-2021-03-31.xlsx"]
    good = _copy(snapshot, landing, f"force/workforce/{snapshot.name}")
    bad = landing / "force" / "workforce" / "west-midlands-workforce-2021-06-30.xlsx"
    _rename_sheets(snapshot, bad)
    files["workforce"] = (good.name, bad.name)

    hes = write_hes_workbooks(scratch / "hes", first_fy="2020-21", last_fy="2021-22")
    good = _copy(hes[-1], landing, f"nhs/hes-sharp-object/{hes[-1].name}")
    bad = landing / "nhs" / "hes-sharp-object" / hes[0].name
    _rename_sheets(hes[0], bad)
    files["hes_sharp_object"] = (good.name, bad.name)

    good = _copy(ONS_JUNE_2019, landing, f"ons/pfa-tables/{ONS_JUNE_2019.name}")
    broken = openpyxl.load_workbook(ONS_MARCH_2019)
    p1 = next(sheet for sheet in broken.worksheets if sheet.title.strip() == "Table P1")
    next(cell for cell in p1["A"] if cell.value == "Area Code").value = "Area"
    bad = landing / "ons" / "pfa-tables" / ONS_MARCH_2019.name
    broken.save(bad)
    files["ons_pfa_tables"] = (good.name, bad.name)

    good = _copy(POPULATION, landing, f"ons/population/{POPULATION.name}")
    bad = landing / "ons" / "population" / "mid-2020-truncated.xls"
    bad.write_bytes(POPULATION.read_bytes()[:4096])  # a download cut short
    files["ons_population"] = (good.name, bad.name)

    census = write_census_ethnicity(scratch / "census")
    good = _copy(census, landing, f"ons/census/{census.name}")
    bad = landing / "ons" / "census" / "census-broken.csv"
    _rename_header(census, bad, "Observation", "Count")
    files["census_ethnicity"] = (good.name, bad.name)

    good = _copy(PRC, landing, f"homeoffice/{PRC.name}")
    bad = landing / "homeoffice" / "prc-pfa-2018-19-broken.csv"
    _set_cell(PRC, bad, "Number of Offences", 3, "lots")
    files["prc_open_data"] = (good.name, bad.name)

    good = _copy(STOP_SEARCH, landing, f"policeuk/2018-08/{STOP_SEARCH.name}")
    bad = landing / "policeuk" / "2018-10" / "2018-10-west-midlands-stop-and-search.csv"
    _rename_header(STOP_SEARCH, bad, "Object of search", "Object")
    files["stop_and_search"] = (good.name, bad.name)

    good = _copy(STREET, landing, "policeuk/2018-08/2018-08-warwickshire-street.csv")
    bad = landing / "policeuk" / "2018-09" / "2018-09-warwickshire-street.csv"
    _set_cell(STREET, bad, "Longitude", 2, "west of Coventry")
    files["street_crime"] = (good.name, bad.name)

    good = write_extract(landing, "2021-03", [crime("W/1", "2021-03-05", "34B")])
    bad = write_extract(landing, "2021-03", [crime("G/1", "2021-03-3l", "34B")], force="greater-manchester")
    files["recorded_crime"] = (good.name, bad.name)
    return files


@pytest.fixture(scope="module")
def delivered(tmp_path_factory):
    root = tmp_path_factory.mktemp("one-bad-file")
    pipeline = Pipeline(root)
    files = deliver(pipeline.landing, root / "scratch")
    # a typo in a file name: no month can be read from it, so it would silently never load
    misnamed = write_extract(pipeline.landing, "2021-02", [crime("W/2", "2021-02-05", "34B")])
    misnamed.rename(misnamed.with_name("west-midlandz-crimes-2021-02.csv"))
    report = pipeline.run()
    return pipeline, files, report


SOURCES = ("firearm-discharges", "drug-activity", "sms-survey", "workforce", "hes_sharp_object", "ons_pfa_tables",
           "ons_population", "census_ethnicity", "prc_open_data", "stop_and_search", "street_crime",
           "recorded_crime")


@pytest.mark.parametrize("source", SOURCES)
def test_the_good_file_loads_and_the_broken_one_is_quarantined(delivered, source):
    pipeline, files, report = delivered
    good, bad = files[source]
    loaded = {name for (name,) in pipeline.query("select file_name from meta.loaded_files")}
    assert good in loaded
    assert bad not in loaded
    quarantined = list((pipeline.landing / "_quarantine").rglob(bad))
    assert len(quarantined) == 1, bad
    reason = quarantined[0].with_name(bad + ".reason.txt").read_text(encoding="utf-8")
    assert bad in reason
    # the run names it among the problems, and the main job would exit non-zero
    assert any(bad in problem for problem in report.problems)
    assert [q.path.name for q in report.rejected].count(bad) == 1


def test_rows_of_the_good_files_are_in_the_warehouse(delivered):
    pipeline, _, _ = delivered
    counts = dict(pipeline.query(
        "select 'stop_search', count(*) from core.fact_stop_search union all "
        "select 'street', count(*) from core.fact_public_crime union all "
        "select 'crimes', count(*) from core.fact_recorded_crime union all "
        "select 'ons', count(distinct edition_period_end) from core.ons_pfa_values"))
    # the real files: 1,085 West Midlands searches in August 2018, 20 Warwickshire street rows,
    # the one West Midlands crime, the June 2019 ONS edition alone
    assert counts == {"stop_search": 1085, "street": 20, "crimes": 1, "ons": 1}


# A landing folder holding one source (or none): the main job ends with its summary, every marts table exists,
# and only the measures that source feeds have rows.
SINGLE_SOURCE_FOLDERS = {
    "none": (),
    "firearm-discharges": ("force/firearm-discharges",),
    "drug-activity": ("force/drug-activity",),
    "sms-survey": ("force/satisfaction",),
    "workforce": ("force/workforce",),
    "hes_sharp_object": ("nhs",),
    "ons_pfa_tables": ("ons/pfa-tables",),
    "ons_population": ("ons/population",),
    "census_ethnicity": ("ons/census",),
    "prc_open_data": ("homeoffice",),
    "stop_and_search": ("policeuk/2018-08/2018-08-west-midlands-stop-and-search.csv",
                        "policeuk/2018-09/2018-09-west-midlands-stop-and-search.csv"),
    "street_crime": ("policeuk/2018-08/2018-08-warwickshire-street.csv",),
    "recorded_crime": ("force/crimes/west-midlands-crimes-2021-03.csv",),
}
MARTS = ("measure_counts", "measure_monthly", "reporting_quarters", "national_measures", "baseline_reconciliation",
         "measure_breakdowns", "pcp_scorecard", "restatements")


@pytest.fixture(scope="module")
def good_landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("good-landing")
    files = deliver(root / "landing", root / "scratch")
    for _, bad in files.values():
        next((root / "landing").rglob(bad)).unlink()
    # September 2018 delivered with no searches (a header only): with the real August file the
    # quarter ending September 2018 is covered
    header = STOP_SEARCH.read_text(encoding="utf-8-sig").splitlines()[0]
    september = root / "landing" / "policeuk" / "2018-09" / "2018-09-west-midlands-stop-and-search.csv"
    september.parent.mkdir(parents=True, exist_ok=True)
    september.write_text(header + "\n", encoding="utf-8")
    return root / "landing"


@pytest.mark.parametrize("source", sorted(SINGLE_SOURCE_FOLDERS))
def test_main_job_on_a_single_source_landing_folder(good_landing, tmp_path, source):
    pipeline = Pipeline(tmp_path)
    for relative in SINGLE_SOURCE_FOLDERS[source]:
        origin = good_landing / relative
        if origin.is_dir():
            shutil.copytree(origin, pipeline.landing / relative)
        else:
            _copy(origin, pipeline.landing, relative)
    report = pipeline.run()
    assert report.problems == []
    with duckdb.connect(str(pipeline.warehouse_path), read_only=True) as conn:
        tables = {name for (name,) in conn.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
        assert set(MARTS) <= tables
        measures = {m for (m,) in conn.execute("select distinct measure_id from marts.national_measures").fetchall()}
        kpis = {k for (k,) in conn.execute("select distinct kpi_id from marts.pcp_scorecard").fetchall()}
    expected_measures = {
        "firearm-discharges": {"firearm_discharges"},
        "drug-activity": {"drug_disruptions", "county_lines_disruptions", "county_lines_closed", "drug_arrests",
                          "drug_charges"},
        "sms-survey": {"satisfaction_rate", "satisfaction_responses"},
        "hes_sharp_object": {"hospital_admissions_sharp_object_u25"},
        "recorded_crime": {"homicide", "violence_with_injury", "knife_crime", "possession_of_weapons", "burglary",
                           "residential_burglary", "robbery", "robbery_u25_victims", "vehicle_offences",
                           "theft_from_person", "neighbourhood_crime", "online_crime", "online_crime_share"},
    }.get(source, set())
    assert measures == expected_measures  # a source never delivered feeds no row, never a zero
    expected_kpis = {
        "workforce": {"officer_uplift", "neighbourhood_officers", "pcsos", "special_constables",
                      "ethnic_minority_officers"},
        "stop_and_search": {"stop_search_positive_outcome_rate", "section_60_searches", "find_rate_drugs",
                            "find_rate_knives", "find_rate_firearms", "search_ratio_asian", "search_ratio_black"},
        "sms-survey": {"satisfaction_rate"},
    }.get(source, set())
    assert kpis == expected_kpis


def test_a_misnamed_file_is_rejected_like_any_other_bad_file(delivered):
    pipeline, _, report = delivered
    rejected = {q.path.name: q.reason for q in report.rejected}
    assert "west-midlandz-crimes-2021-02.csv" in rejected
    assert "did you mean west-midlands-crimes-2021-02.csv?" in rejected["west-midlandz-crimes-2021-02.csv"]
    assert pipeline.query("select count(*) from core.fact_recorded_crime where month = '2021-02-01'") == [(0,)]


def test_a_redelivery_that_drops_a_table_is_refused_unless_withdrawn(tmp_path):
    pipeline = Pipeline(tmp_path)
    edition = _copy(ONS_JUNE_2019, pipeline.landing, f"ons/pfa-tables/{ONS_JUNE_2019.name}")
    assert pipeline.run().problems == []
    p4 = "select count(*) from core.ons_pfa_values where table_id = 'P4'"
    tables = pipeline.query("select count(distinct table_id) from core.ons_pfa_values")[0][0]
    published_p4 = pipeline.query(p4)[0][0]
    assert published_p4 > 0
    before = pipeline.table_checksums()
    # the same edition delivered again without Table P4: the knife-crime baseline would vanish
    shorter = openpyxl.load_workbook(ONS_JUNE_2019)
    shorter.remove(next(sheet for sheet in shorter.worksheets if sheet.title.strip() == "Table P4"))
    shorter.save(edition)
    report = pipeline.run()
    assert [q.path.name for q in report.rejected] == [ONS_JUNE_2019.name]
    assert "holds less than the delivery it replaces (missing: table_id P4)" in report.rejected[0].reason
    assert pipeline.table_checksums() == before
    # delivered again with a withdrawal note beside it: accepted, P4 withdrawn
    shutil.copyfile(report.rejected[0].path, edition)
    (edition.parent / f"{edition.name}.withdrawal.txt").write_text("P4 withdrawn by ONS, see the release note\n")
    assert pipeline.run().problems == []
    assert pipeline.query(p4) == [(0,)]
    assert pipeline.query("select count(distinct table_id) from core.ons_pfa_values") == [(tables - 1,)]
