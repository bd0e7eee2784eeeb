"""The whole graph on a small generated landing folder, checked against figures computed here,
independently of the SQL: straight from the CSV files and the Home Office classification file."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from sample_data.crimes import write_crime_extracts
from tests.conftest import REPO, Pipeline

FORCE = "E23000014"
QUARTER_END = "2020-03-31"
WINDOW = ("2019-04", "2020-03")
BASELINE = ("2018-07", "2019-06")
HOMICIDE = {"1", "4.1", "4.2", "4.10"}
UNLAWFUL_DRIVING = {"4.4", "4.6", "4.8", "4.9", "37.1"}
KNIFE_SELECTED = HOMICIDE | {"2", "3B", "8N", "8P", "5D", "34A", "34B", "19C", "19D", "19E", "19F", "19G", "19H",
                             "17A", "17B", "20A", "20B"}
VEHICLE = {"Theft from a vehicle", "Theft of a motor vehicle", "Vehicle interference"}


def classification() -> dict[str, tuple[str, str]]:
    """code -> (subgroup, group), read from the real PRC file with the csv module."""
    out = {}
    with (REPO / "reference" / "prc-pfa-mar2013-onwards-tables201718.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            for code in row["Offence Code"].strip().split("/"):
                out[code] = (row["Offence Subgroup"].strip(), row["Offence Group"].strip())
    return out


def expected_counts(landing: Path) -> dict[str, dict[str, float]]:
    classes = classification()
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
              for p in sorted((landing / "force" / "crimes").glob("*.csv"))]
    crimes = pd.concat(frames)
    crimes = crimes[crimes["status"] == "RECORDED"].copy()
    crimes["month"] = crimes["recorded_date"].str[:7]
    crimes["subgroup"] = crimes["ho_offence_code"].map(lambda c: classes[c][0])
    crimes["group"] = crimes["ho_offence_code"].map(lambda c: classes[c][1])
    code, sub, grp = crimes["ho_offence_code"], crimes["subgroup"], crimes["group"]
    age = pd.to_numeric(crimes["victim_age"], errors="coerce")
    selections = {
        "homicide": code.isin(HOMICIDE),
        "violence_with_injury": (sub == "Violence with injury") & ~code.isin(UNLAWFUL_DRIVING),
        "knife_crime": code.isin(KNIFE_SELECTED) & (crimes["knife_or_sharp_instrument"] == "Y"),
        "possession_of_weapons": grp == "Possession of weapons offences",
        "burglary": sub.isin({"Domestic burglary", "Non-domestic burglary"}),
        "residential_burglary": sub == "Domestic burglary",
        "robbery": grp == "Robbery",
        "robbery_u25_victims": (grp == "Robbery") & (age < 25),
        "vehicle_offences": sub.isin(VEHICLE),
        "theft_from_person": sub == "Theft from the person",
        "neighbourhood_crime": sub.isin({"Domestic burglary", "Theft from the person"} | VEHICLE) | (code == "34B"),
        "online_crime": crimes["online"] == "Y",
    }
    out = {}
    for name, (first, last) in {"window": WINDOW, "baseline": BASELINE}.items():
        in_window = crimes["month"].between(first, last)
        out[name] = {measure: int((selected & in_window).sum()) for measure, selected in selections.items()}
        out[name]["online_crime_share"] = 100 * out[name]["online_crime"] / int(in_window.sum())
    return out


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    pipeline = Pipeline(tmp_path_factory.mktemp("e2e"))
    write_crime_extracts(pipeline.landing, first_month="2018-04", last_month="2020-03", scale=0.02)
    report = pipeline.run()
    assert report.problems == [] and len(report.months) == 24
    return pipeline


def test_national_measures_equal_independent_counts(loaded):
    expected = expected_counts(loaded.landing)
    rows = loaded.query(
        "select measure_id, value, baseline_value, window_start, window_end from marts.national_measures "
        "where force_code = ? and quarter_end = ?", [FORCE, QUARTER_END])
    got = {r[0]: r[1:] for r in rows}
    assert set(got) == set(expected["window"])
    for measure, (value, baseline, start, end) in got.items():
        assert (str(start), str(end)) == ("2019-04-01", "2020-03-31")
        assert value == pytest.approx(expected["window"][measure]), measure
        assert baseline == pytest.approx(expected["baseline"][measure]), measure
    assert expected["window"]["homicide"] > 0 and expected["window"]["knife_crime"] > 0  # not a vacuous match


def test_every_quarter_of_the_sample_is_filled(loaded):
    quarters = loaded.query("select count(distinct quarter_end), min(quarter_end), max(quarter_end) "
                            "from marts.national_measures where force_code = ?", [FORCE])
    assert [tuple(map(str, q)) for q in quarters] == [("8", "2018-06-30", "2020-03-31")]
    assert loaded.query("select count(distinct measure_id) from marts.national_measures") == [(13,)]


def test_every_row_is_traceable_to_its_file(loaded):
    files = {p.name for p in (loaded.landing / "force" / "crimes").glob("*.csv")}
    loaded_files = {r[0] for r in loaded.query("select distinct source_file from core.fact_recorded_crime")}
    assert loaded_files == files
    rows_in_files = sum(sum(1 for _ in p.open(encoding="utf-8-sig")) - 1
                        for p in (loaded.landing / "force" / "crimes").glob("*.csv"))
    assert loaded.query("select count(*) from core.fact_recorded_crime") == [(rows_in_files,)]
    assert loaded.query("select sum(rows) from meta.loaded_files") == [(rows_in_files,)]


def test_workbooks_written_for_each_quarter(loaded):
    assert sorted(p.name for p in loaded.exports.glob("*.xlsx"))[-1] == "scorecard-2020-Q1.xlsx"
    assert len(list(loaded.exports.glob("scorecard-*.xlsx"))) == 8


def test_every_validation_has_data_docs(loaded):
    docs = loaded.exports.parent / "data-docs"
    assert (docs / "index.html").exists()
    pages = list((docs / "validations" / "recorded_crime").rglob("*.html"))
    # the 24 months were one run of the monthly job: one validation of the whole range
    assert [page.relative_to(docs / "validations" / "recorded_crime").parts[0] for page in pages] == [
        "recorded_crime-2018-04_to_2020-03"]
    materialization = loaded.instance.get_latest_materialization_event(
        __import__("dagster").AssetKey("validated_crime_extracts"))
    link = materialization.asset_materialization.metadata["data_docs"].value
    assert link.startswith("file://") and link.endswith(".html")
