"""The calibrated sample, through the whole pipeline, reproduces the board paper (Strategic Policing
and Crime Board, May 2022: West Midlands, quarter ending March 2022) and ONS year-ending-June-2019
figures. Expected values are the published numbers, typed from the documents."""

import pytest

from sample_data.generate import write_sample_landing
from tests.conftest import Pipeline

FORCE = "E23000014"


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    pipeline = Pipeline(tmp_path_factory.mktemp("calibrated"))
    write_sample_landing(pipeline.landing)
    report = pipeline.run()
    assert report.problems == []
    rows = pipeline.query(
        "select measure_id, value, baseline_value, pct_change, direction, window_start, window_end, quality_flags "
        "from marts.national_measures where force_code = ? and quarter_end = date '2022-03-31'", [FORCE])
    return {r[0]: dict(zip(("value", "baseline", "pct", "direction", "start", "end", "flags"), r[1:], strict=True))
            for r in rows}


@pytest.mark.parametrize(("measure", "value", "baseline", "pct"), [
    ("homicide", 53, 52, 1.9),  # "53 homicides, compared to 52 ... a 1.9% increase"
    ("burglary", 19_987, 28_675, -30.3),  # "28,675 Burglaries; the year 2021/22 saw 19,987"
    ("robbery", 7_868, 8_945, -12.0),  # "8,945 robberies ... 7,868 robberies, a 12% reduction"
])
def test_headline_figures(measures, measure, value, baseline, pct):
    row = measures[measure]
    assert (row["value"], row["baseline"]) == (value, baseline)
    assert round(row["pct"], 1) == pct
    assert (str(row["start"]), str(row["end"])) == ("2021-04-01", "2022-03-31")
    assert row["flags"] == ""


@pytest.mark.parametrize(("measure", "baseline", "pct"), [
    ("violence_with_injury", 32_340, 20),  # ONS P1 baseline; board paper "+20%"
    ("knife_crime", 3_560, 28),  # ONS P4 baseline; "Knife Crime is also up (+28%)"
    ("possession_of_weapons", 2_720, 124),  # "possession of weapons (+124%)"
    ("vehicle_offences", 36_130, -9),  # "Vehicle Crime is currently down 9%"
    ("theft_from_person", 3_239, 19),  # "Theft from Person has increased by 19%"
    ("residential_burglary", 21_542, -30),  # "both residential and commercial burglary reducing 30%"
])
def test_stated_changes(measures, measure, baseline, pct):
    assert measures[measure]["baseline"] == baseline
    assert round(measures[measure]["pct"]) == pct


def test_hospital_admissions_lag_a_month(measures):
    # "The last 12 months (March 2021 to February 2022) saw 160 episodes, a reduction of 55"
    row = measures["hospital_admissions_sharp_object_u25"]
    assert (str(row["start"]), str(row["end"])) == ("2021-03-01", "2022-02-28")
    assert (row["value"], row["baseline"], row["value"] - row["baseline"]) == (160, 215, -55)


def test_robbery_of_young_victims_falls_more(measures):
    assert round(measures["robbery_u25_victims"]["pct"]) == -17  # "the reduction is higher at -17%"


def test_online_crime_five_fold_and_nine_percent(measures):
    online = measures["online_crime"]
    assert round(online["value"] / online["baseline"]) == 5  # "a five-fold increase"
    assert round(measures["online_crime_share"]["value"]) == 9  # "9% of all crime in the region"


def test_directions_follow_polarity(measures):
    assert measures["homicide"]["direction"] == "stable"  # "remained relatively stable", +1.9%
    assert measures["burglary"]["direction"] == "improving"
    assert measures["possession_of_weapons"]["direction"] == "worsening"
