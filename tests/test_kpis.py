"""Police and Crime Plan KPIs on hand-made files, every expected figure worked out by hand."""

import csv

import duckdb
import pytest
from dagster import materialize

from pipelines.definitions import defs
from tests.conftest import REPO, Pipeline, crime, write_extract

WM = "E23000014"
HEADER = ["Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
          "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
          "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing"]
WHITE = "White - English/Welsh/Scottish/Northern Irish/British"
ASIAN = "Asian/Asian British - Pakistani"
BLACK = "Black/African/Caribbean/Black British - African"
PACE = "Police and Criminal Evidence Act 1984 (section 1)"
MISUSE = "Misuse of Drugs Act 1971 (section 23)"
S60 = "Criminal Justice and Public Order Act 1994 (section 60)"
NFA = "A no further action disposal"
# (self-defined ethnicity, legislation, object of search, outcome, outcome linked to object)
SEARCHES = [
    (WHITE, MISUSE, "Controlled drugs", "Arrest", "True"),                       # positive, drugs found
    (WHITE, MISUSE, "Controlled drugs", NFA, "False"),
    (WHITE, PACE, "Offensive weapons", "Community resolution", "True"),          # positive, weapon found
    (ASIAN, MISUSE, "Controlled drugs", "Khat or Cannabis warning", "True"),     # positive, drugs found
    (ASIAN, "Firearms Act 1968 (section 47)", "Firearms", NFA, "False"),
    (BLACK, S60, "Offensive weapons", "Arrest", "False"),                        # positive, nothing linked
    (BLACK, MISUSE, "Controlled drugs", "", ""),                                 # no outcome recorded
    (BLACK, S60, "Firearms", "Summons / charged by post", "True"),               # positive, firearm found
    (WHITE, MISUSE, "Controlled drugs", NFA, "False"),
    (BLACK, S60, "Offensive weapons", NFA, "False"),
]
CENSUS_HEADER = ["Lower tier local authorities Code", "Lower tier local authorities",
                 "Ethnic group (20 categories) Code",
                 "Ethnic group (20 categories)", "Observation"]
CENSUS = [  # Birmingham, a West Midlands local authority: White 40,000, Asian 10,000, Black 5,000
    ("E08000025", "Birmingham", "13", "White: English, Welsh, Scottish, Northern Irish or British", 40000),
    ("E08000025", "Birmingham", "3", "Asian, Asian British or Asian Welsh: Indian", 10000),
    ("E08000025", "Birmingham", "7", "Black, Black British, Black Welsh, Caribbean or African: African", 5000),
    ("E08000025", "Birmingham", "-8", "Does not apply", 0),
]


def write_files(pipeline: Pipeline) -> None:
    searches = pipeline.landing / "policeuk" / "2022-03" / "2022-03-west-midlands-stop-and-search.csv"
    searches.parent.mkdir(parents=True)
    with searches.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, (ethnicity, law, obj, outcome, linked) in enumerate(SEARCHES, start=1):
            writer.writerow(["Person search", f"2022-03-{number:02d}T12:00:00+00:00", "False", "", "52.48", "-1.89",
                             "Male", "18-24", ethnicity, "", law, obj, outcome, linked, "False"])
    census = pipeline.landing / "ons" / "census" / "census2021-ethnic-group.csv"
    census.parent.mkdir(parents=True)
    with census.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CENSUS_HEADER)
        writer.writerows(CENSUS)
    # April 2021 to February 2022 delivered with no searches (a header only): the 12 months to March 2022
    # are complete; January to March 2021 are not delivered at all
    for month in [f"2021-{m:02d}" for m in range(4, 13)] + ["2022-01", "2022-02"]:
        empty = pipeline.landing / "policeuk" / month / f"{month}-west-midlands-stop-and-search.csv"
        empty.parent.mkdir(parents=True)
        empty.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    # crime data from January 2021 puts the quarter ending March 2021 on the scorecard, a quarter with
    # no stop-and-search file at all
    for month in ("2021-01", "2022-01", "2022-02", "2022-03"):
        write_extract(pipeline.landing, month, [crime(f"{month}/1", f"{month}-02", "1")])


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    pipeline = Pipeline(tmp_path_factory.mktemp("kpis"))
    write_files(pipeline)
    assert pipeline.run().problems == []
    return pipeline


def kpi(pipeline, kpi_id: str, quarter_end: str = "2022-03-31", columns: str = "value, target, target_kind, status"):
    rows = pipeline.query(f"select {columns} from marts.pcp_scorecard "
                          "where force_code = ? and quarter_end = ? and kpi_id = ?", [WM, quarter_end, kpi_id])
    assert len(rows) == 1, kpi_id
    return rows[0]


def test_positive_outcome_rate(scored):
    # 9 searches with an outcome, 5 of them other than no further action
    value, target, kind, status = kpi(scored, "stop_search_positive_outcome_rate")
    assert value == pytest.approx(100 * 5 / 9)
    assert (target, kind, status) == (50, "at_least", "met")


def test_find_rates_by_object_of_search(scored):
    assert kpi(scored, "find_rate_knives")[0] == pytest.approx(100 * 1 / 3)  # 3 offensive weapons, 1 found
    assert kpi(scored, "find_rate_firearms")[0] == pytest.approx(100 * 1 / 2)  # 2 firearms, 1 found
    assert kpi(scored, "section_60_searches")[:1] == (3,)


def test_find_rate_with_blank_links_has_no_value(scored):
    # 5 drugs searches, the link recorded for 4 (80%, under the 95% the config asks): neither 2 of 5
    # (blanks as "not found") nor 2 of 4 (blanks dropped) is a figure a board can use
    value, _, _, status = kpi(scored, "find_rate_drugs")
    assert value is None and status == "no_data"
    assert kpi(scored, "find_rate_drugs", columns="quality_flags") == ("link recorded for 4 of 5 drug searches",)


def test_positive_outcome_rate_flags_searches_with_no_outcome(scored):
    assert kpi(scored, "stop_search_positive_outcome_rate", columns="quality_flags") == (
        "outcome not recorded for 1 search",)


def test_a_quarter_with_no_stop_and_search_file_is_empty_not_zero(scored):
    # the quarter ending March 2021 has crime data but no stop-and-search file in its 12 months
    value, _, _, status = kpi(scored, "section_60_searches", quarter_end="2021-03-31")
    assert value is None and status == "no_data"
    assert kpi(scored, "stop_search_positive_outcome_rate", quarter_end="2021-03-31")[::3] == (None, "no_data")


def test_a_partial_window_is_flagged_and_never_judged(scored):
    # quarter ending June 2021: April to June 2021 delivered (no searches), nine months missing
    value, target, _, status = kpi(scored, "section_60_searches", quarter_end="2021-06-30")
    assert value == 0 and status == "monitor"
    flags = kpi(scored, "stop_search_positive_outcome_rate", quarter_end="2021-06-30",
                columns="value, status, quality_flags")
    assert flags == (None, "no_data", "months_missing=9")  # no search with an outcome: no rate
    flags = kpi(scored, "stop_search_positive_outcome_rate", quarter_end="2021-12-31",
                columns="status, quality_flags")
    assert flags == ("no_data", "months_missing=3")


def test_search_ratios_against_white(scored):
    # per 1,000 people: White 4 / 40,000 = 0.1, Asian 2 / 10,000 = 0.2, Black 4 / 5,000 = 0.8
    assert kpi(scored, "search_ratio_asian")[0] == pytest.approx(2.0)
    assert kpi(scored, "search_ratio_black")[0] == pytest.approx(8.0)
    assert kpi(scored, "search_ratio_black")[3] == "monitor"


def test_changing_a_target_changes_status_rerunning_only_the_scorecard(scored, tmp_path, monkeypatch):
    config = (REPO / "reference" / "pcp_kpis.toml").read_text()
    assert "target = 50\n" in config
    edited = tmp_path / "pcp_kpis.toml"
    edited.write_text(config.replace("target = 50\n", "target = 60\n"))
    monkeypatch.setenv("POLICING_KPI_CONFIG", str(edited))
    loads_before = scored.query("select file_name, sha256, loaded_at from meta.loaded_files order by all")
    # the scorecard alone, and the publication that shows it to analysts: no source asset runs
    rerun = [a for a in defs.assets if a.key.to_user_string() in ("pcp_scorecard", "published_warehouse")]
    result = materialize(rerun, resources=scored.resources, instance=scored.instance)
    assert result.success
    assert kpi(scored, "stop_search_positive_outcome_rate")[1:] == (60, "at_least", "not_met")
    assert scored.query("select file_name, sha256, loaded_at from meta.loaded_files order by all") == loads_before


def test_a_kpi_without_baseline_is_no_baseline_never_not_met(scored, tmp_path, monkeypatch):
    config = (REPO / "reference" / "pcp_kpis.toml").read_text()
    edited = tmp_path / "pcp_kpis.toml"
    # section 60 searches against March 2019, a year with no stop-and-search file
    edited.write_text(config + '\n[[kpi]]\nid = "section_60_change"\nname = "Change in section 60 searches"\n'
                      'metric = "section_60_searches"\nreport = "change"\ntarget_kind = "increase_on_baseline"\n'
                      'baseline_date = "2019-03-31"\n')
    monkeypatch.setenv("POLICING_KPI_CONFIG", str(edited))
    rerun = [a for a in defs.assets if a.key.to_user_string() == "pcp_scorecard"]
    assert materialize(rerun, resources=scored.resources, instance=scored.instance).success
    with duckdb.connect(str(scored.warehouse_path.parent / ".build" / scored.warehouse_path.name),
                        read_only=True) as conn:
        assert conn.execute("select value, baseline_value, status from marts.pcp_scorecard where force_code = ? "
                            "and quarter_end = '2022-03-31' and kpi_id = 'section_60_change'", [WM]).fetchall() \
            == [(None, None, "no_baseline")]
