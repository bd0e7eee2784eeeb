"""Board-paper figures from recorded crime and the workforce: the optional suspect_age column, the priority
areas, and the marts paper_homicide, paper_neighbourhood, paper_online_crime and paper_recruitment.

Parser and suite on constructed files; the marts' SQL on small hand-built tables with values worked out
by hand; then the calibrated sample for West Midlands, quarter ending March 2022, against the figures
typed from the board paper (May 2022) and the annual report 2021/22.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from assets.lib.force_csv import read_force_csv
from assets.lib.sql import build_table
from assets.recorded_crime.parser import RECORDED_CRIME_COLUMNS
from tests.conftest import build_geography, crime, write_extract

FORCE = "E23000014"
WITH_SUSPECT_AGE = (*RECORDED_CRIME_COLUMNS, "suspect_age")


# --- parser and suite --------------------------------------------------------------------------------

def test_extract_with_suspect_age_is_read_and_marked_supplied(tmp_path: Path):
    rows = [crime("A/1", "2021-05-02", "1", suspect_age="19"), crime("A/2", "2021-05-03", "1", suspect_age="")]
    path = write_extract(tmp_path, "2021-05", rows, columns=WITH_SUSPECT_AGE)
    frame = read_force_csv(path, RECORDED_CRIME_COLUMNS, ("suspect_age",))
    assert frame["suspect_age"].tolist()[0] == "19" and frame["suspect_age"].isna().tolist() == [False, True]
    assert frame["suspect_age_supplied"].tolist() == ["Y", "Y"]  # an empty age in a file that has the column
    assert list(frame.columns)[-4:] == ["suspect_age", "suspect_age_supplied", "source_file", "source_row"]


def test_extract_without_suspect_age_is_valid_and_marked_not_supplied(tmp_path: Path):
    path = write_extract(tmp_path, "2021-03", [crime("A/1", "2021-03-02", "1")])
    frame = read_force_csv(path, RECORDED_CRIME_COLUMNS, ("suspect_age",))
    assert frame["suspect_age"].isna().tolist() == [True]
    assert frame["suspect_age_supplied"].tolist() == ["N"]
    # without asking for the optional column, the layout read is the one it always was
    assert "suspect_age" not in read_force_csv(path, RECORDED_CRIME_COLUMNS).columns


def test_suspect_age_anywhere_in_the_header_with_bom_crlf_and_quotes(tmp_path: Path):
    columns = ("suspect_age", *RECORDED_CRIME_COLUMNS)
    rows = [crime("A/1", "2021-05-02", "39", suspect_age=" 24 ", offence_description="Theft, from the person")]
    path = write_extract(tmp_path, "2021-05", rows, columns=columns)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfsuspect_age,") and b"\r\n" in path.read_bytes()
    frame = read_force_csv(path, RECORDED_CRIME_COLUMNS, ("suspect_age",))
    assert frame.loc[0, "suspect_age"] == "24" and frame.loc[0, "offence_description"] == "Theft, from the person"


def _suite_frame(path: Path, month: str):
    return read_force_csv(path, RECORDED_CRIME_COLUMNS, ("suspect_age",)).assign(
        force_code=FORCE, file_month=month, recorded_month=month, file_sha256="x",
        crime_reference_in_month=lambda rows: f"{FORCE} {month} " + rows["crime_reference"])


def test_bad_suspect_age_fails_its_rule_naming_file_row_and_value(tmp_path: Path):
    from assets.lib.validation import validate

    rows = [crime("A/1", "2021-05-02", "1", suspect_age="17"), crime("A/2", "2021-05-02", "1", suspect_age="17.5"),
            crime("A/3", "2021-05-03", "1", suspect_age="121"), crime("A/4", "2021-05-04", "1", suspect_age="")]
    frame = _suite_frame(write_extract(tmp_path, "2021-05", rows, columns=WITH_SUSPECT_AGE), "2021-05")
    failed = [o for o in validate(frame, "recorded_crime", {"offence_codes": ["1"]}) if not o.success]
    assert [o.check_name for o in failed] == ["suspect_age_whole_years"]
    assert failed[0].critical and failed[0].rows_failing_by_file == {"west-midlands-crimes-2021-05.csv": 2}
    message = failed[0].message()
    assert "empty or whole years 0 to 120" in message
    assert "west-midlands-crimes-2021-05.csv row 3, column 'suspect_age': '17.5'" in message
    assert "row 4, column 'suspect_age': '121'" in message


def test_a_reference_repeated_within_a_month_fails_naming_both_rows_and_only_that_file(tmp_path: Path):
    # read as the crime extracts asset reads a range (its derived columns), validated where the rows lie
    from assets.lib.force_csv import ForceCsv, load_force_csvs
    from assets.lib.validation import DuckDBTable, validate
    from assets.recorded_crime.assets import _DERIVED, FILE_CONSTANTS

    march = write_extract(tmp_path, "2021-03", [crime("A/1", "2021-03-02", "1"), crime("A/2", "2021-03-03", "1"),
                                                 crime("A/1", "2021-03-04", "1")])
    # A/2 again in April: another month's file, which the load checks against March, not this rule
    april = write_extract(tmp_path, "2021-04", [crime("A/2", "2021-04-01", "1")])
    with duckdb.connect() as conn:
        files = [ForceCsv(path, {"force_code": FORCE, "file_month": month, "file_sha256": "x"})
                 for path, month in ((march, "2021-03"), (april, "2021-04"))]
        load_force_csvs(conn, "delivery", files, RECORDED_CRIME_COLUMNS, ("suspect_age",), FILE_CONSTANTS, _DERIVED)
        failed = [o for o in validate(DuckDBTable(conn, "delivery"), "recorded_crime", {"offence_codes": ["1"]})
                  if not o.success]
    assert [o.check_name for o in failed] == ["crime_reference_unique"]
    assert failed[0].rows_failing_by_file == {"west-midlands-crimes-2021-03.csv": 2}
    assert failed[0].unexpected_count == 2
    message = failed[0].message()
    assert "west-midlands-crimes-2021-03.csv row 2, column 'crime_reference': 'A/1'" in message
    assert "west-midlands-crimes-2021-03.csv row 4, column 'crime_reference': 'A/1'" in message


def test_file_without_suspect_age_passes_the_suite(tmp_path: Path):
    from assets.lib.validation import validate

    frame = _suite_frame(write_extract(tmp_path, "2021-03", [crime("A/1", "2021-03-02", "1")]), "2021-03")
    assert all(o.success for o in validate(frame, "recorded_crime", {"offence_codes": ["1"]}))


# --- priority areas ----------------------------------------------------------------------------------

def test_shipped_priority_areas_are_west_midlands_lsoas():
    import csv

    root = Path(__file__).resolve().parents[1] / "reference"
    with (root / "lsoa-force-lookup.csv").open(encoding="utf-8") as handle:
        force_of = {r["LSOA Code"].strip(): r["Police_force"].strip() for r in csv.DictReader(handle)}
    with (root / "priority-areas.csv").open(encoding="utf-8") as handle:
        areas = list(csv.DictReader(handle))
    assert list(areas[0]) == ["force_code", "area_name", "lsoa_code"]
    assert {a["area_name"] for a in areas} == {"Impact Areas", "Birmingham City Centre"}
    assert {a["force_code"] for a in areas} == {FORCE}
    assert all(force_of.get(a["lsoa_code"]) == "West Midlands" for a in areas)
    assert sum(a["area_name"] == "Birmingham City Centre" for a in areas) == 22  # Birmingham 134 to 138


def test_priority_area_check_names_an_unknown_lsoa_and_one_of_another_force(tmp_path: Path):
    from assets.dimensions.assets import _set_reference_paths, dim_priority_area_lsoas_in_force
    from assets.lib.resources import make_warehouse
    from assets.lib.sql import create_staging_view

    areas = tmp_path / "priority-areas.csv"
    warehouse = make_warehouse(tmp_path / "w.duckdb")

    def check(text: str):
        areas.write_text(text, encoding="utf-8")
        with warehouse.transaction() as con:
            build_geography(con)
            _set_reference_paths(con)
            con.execute("set variable priority_areas_csv = ?", [str(areas)])
            create_staging_view(con, "stg_priority_areas")
            build_table(con, "dim_priority_area")
        return dim_priority_area_lsoas_in_force(warehouse=warehouse)

    good = check("force_code,area_name,lsoa_code\nE23000014,Centre,E01033620\nE23000014,Centre,E01033621\n")
    assert good.passed
    # E01020634 is County Durham 001A (Durham), E01999999 is no LSOA, and a row given twice
    bad = check("force_code,area_name,lsoa_code\nE23000014,Centre,E01033620\nE23000014,Centre,E01020634\n"
                "E23000014,Centre,E01999999\nE23000014,Centre,E01033620\n")
    assert not bad.passed
    problems = bad.metadata["problems"].value
    assert "E23000014 Centre E01999999: not an LSOA of the lookup" in problems
    assert any(p.startswith("E23000014 Centre E01020634: in the area of E23") for p in problems)
    assert bad.metadata["duplicate_rows"].value == 1


def test_board_paper_config_is_checked(tmp_path: Path):
    from assets.lib.reference_data import read_board_paper_config

    shipped = read_board_paper_config()
    assert shipped["report_months_after_quarter_end"] == 1
    assert shipped["neighbourhood_officers_since"] == date(2021, 5, 31)
    config = tmp_path / "board_paper.toml"
    config.write_text('[board_paper]\nreport_months_after_quarter_end = "one"\nneighbourhood_officers_since = '
                      '"2021-05-31"\nimpact_areas = "A"\ncity_centre = "B"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="report_months_after_quarter_end must be a int"):
        read_board_paper_config(config)
    config.write_text('[board_paper]\nreport_month = 1\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown settings \\['report_month'\\]"):
        read_board_paper_config(config)


# --- the marts on hand-built tables ------------------------------------------------------------------

OTHER, THIRD = "E23000007", "E23000013"
IMPACT, CENTRE = "E01000001", "E01000009"


def _months(first: str, last: str, skip: tuple[str, ...] = ()) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        text = f"{year:04d}-{month:02d}"
        if text not in skip:
            out.append(f"{text}-01")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@pytest.fixture
def con():
    con = duckdb.connect()
    for schema in ("core", "marts", "meta"):
        con.execute(f"create schema {schema}")
    con.execute("create table core.board_paper_settings as select 1 as report_months_after_quarter_end, "
                "date '2021-05-31' as neighbourhood_officers_since, 'Impact' as impact_areas, 'Centre' as city_centre")
    con.execute("create table core.dim_offence (offence_code varchar, offence_subgroup varchar)")
    con.execute("insert into core.dim_offence values ('1', 'Homicide'), ('4.1', 'Homicide'), "
                "('39', 'Theft from the person'), ('28E', 'Domestic burglary')")
    con.execute("create table core.dim_priority_area (force_code varchar, area_name varchar, lsoa_code varchar)")
    con.execute(f"insert into core.dim_priority_area values ('{FORCE}', 'Impact', '{IMPACT}'), "
                f"('{FORCE}', 'Centre', '{CENTRE}'), ('{FORCE}', 'Other area', 'E01000002')")
    con.execute("create table marts.reporting_quarters (force_code varchar, quarter_end date)")
    con.execute(f"insert into marts.reporting_quarters values ('{FORCE}', '2021-03-31'), ('{FORCE}', '2021-06-30'), "
                f"('{FORCE}', '2022-03-31'), ('{FORCE}', '2022-06-30'), ('{OTHER}', '2022-03-31'), "
                f"('{THIRD}', '2021-06-30')")
    # the force delivered April 2021 to May 2022 except June 2021 and April 2022; THIRD only April 2021
    delivered = [(FORCE, m) for m in _months("2021-04", "2022-05", ("2021-06", "2022-04"))] + [(THIRD, "2021-04-01")]
    con.execute("create table meta.loaded_files (source varchar, file_name varchar, force_code varchar, period date)")
    con.executemany("insert into meta.loaded_files values ('recorded_crime', 'f.csv', ?, ?)", delivered)
    con.execute("create table core.fact_recorded_crime (force_code varchar, month date, offence_code varchar, "
                "is_counted boolean, lsoa_code varchar, suspect_age integer, is_suspect_age_supplied boolean)")
    rows = [
        # April 2021: the file had no suspect_age column; one homicide in the impact area
        (FORCE, "2021-04-01", "1", True, IMPACT, None, False),
        (FORCE, "2021-04-01", "1", True, "E01000003", None, False),
        # May 2021 on: the column supplied; an empty age is a homicide with no suspect's age
        (FORCE, "2021-05-01", "1", True, IMPACT, 19, True),
        (FORCE, "2021-05-01", "1", True, "E01000002", 30, True),
        (FORCE, "2021-05-01", "1", True, None, None, True),
        (FORCE, "2021-05-01", "1", False, IMPACT, 20, True),  # cancelled: never counted
        (FORCE, "2022-02-01", "4.1", True, "E01000004", 24, True),
        (FORCE, "2022-02-01", "28E", True, IMPACT, 18, True),  # not a homicide
        (FORCE, "2022-05-01", "1", True, IMPACT, 18, True),  # after the quarter
        # theft from the person, 2021/22: one of four counted in the centre (the cancelled one is not counted)
        (FORCE, "2021-07-01", "39", True, CENTRE, None, True),
        (FORCE, "2021-08-01", "39", True, None, None, True),
        (FORCE, "2021-09-01", "39", True, "E01000003", None, True),
        (FORCE, "2022-03-01", "39", True, IMPACT, None, True),
        (FORCE, "2022-03-01", "39", False, CENTRE, None, True),
        (THIRD, "2021-04-01", "1", True, "E01000005", None, False),
    ]
    con.executemany("insert into core.fact_recorded_crime values (?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("create table marts.measure_counts (force_code varchar, measure_id varchar, month date, "
                "numerator double)")
    online = {"2021-04-01": 10, "2021-05-01": 30, "2021-07-01": 30, "2022-02-01": 25, "2022-05-01": 99}
    con.executemany("insert into marts.measure_counts values (?, 'online_crime', ?, ?)",
                    [(FORCE, m, n) for m, n in online.items()])
    con.execute("insert into marts.measure_counts values (?, 'homicide', '2021-09-01', 500)", [FORCE])
    con.execute("create table core.fact_workforce (force_code varchar, snapshot_date date, role varchar, "
                "is_neighbourhood boolean, ethnicity varchar, headcount integer)")
    staff = [
        ("2021-04-30", "Police Officer", True, 100), ("2021-04-30", "Police Officer", False, 50),
        ("2021-04-30", "PCSO", False, 464), ("2021-04-30", "Special Constable", False, 283),
        ("2021-05-31", "Police Officer", True, 110), ("2021-05-31", "PCSO", False, 465),
        ("2022-04-30", "Police Officer", True, 300), ("2022-04-30", "Police Officer", True, 21),
        ("2022-04-30", "PCSO", False, 477), ("2022-04-30", "Special Constable", True, 304),
    ]
    con.executemany("insert into core.fact_workforce values (?, ?, ?, ?, 'White', ?)",
                    [(FORCE, *row) for row in staff])
    yield con
    con.close()


def figures(con, model: str) -> dict[tuple, tuple]:
    build_table(con, model)
    rows = con.execute(f"select force_code, quarter_end, figure_id, value, months_missing, comparable, quality_flags, "
                       f"period_label, comparison_label, comparison_value from marts.{model}").fetchall()
    return {(r[0], str(r[1]), r[2]): r[3:] for r in rows}


def test_homicide_shares_worked_by_hand(con):
    got = figures(con, "paper_homicide")
    # 2021/22: six counted homicides (2 in April, 3 in May, 1 in February); three with a suspect's age
    # (19, 30, 24), two under 25; two in the impact area (one in April, one in May); June not delivered
    under_25 = got[(FORCE, "2022-03-31", "homicide_suspect_under_25_share")]
    assert under_25[:4] == (pytest.approx(100 * 2 / 3), 1, False,
                            "months_missing=1; suspect_age_not_supplied_months=1")
    assert under_25[4] == "April 2021 to March 2022"
    impact = got[(FORCE, "2022-03-31", "homicide_impact_areas_share")]
    assert impact[:4] == (pytest.approx(100 * 2 / 6), 1, False, "months_missing=1")
    # July 2020 to June 2021: April and May delivered; ages 19 and 30 known
    assert got[(FORCE, "2021-06-30", "homicide_suspect_under_25_share")][:4] == (
        50.0, 10, False, "months_missing=10; suspect_age_not_supplied_months=1")
    assert got[(FORCE, "2021-06-30", "homicide_impact_areas_share")][:3] == (pytest.approx(100 * 2 / 5), 10, False)
    # no month carrying suspect_age: no share (unknown is not zero); a force without impact areas: none
    assert got[(THIRD, "2021-06-30", "homicide_suspect_under_25_share")][:4] == (
        None, 11, False, "months_missing=11; suspect_age_not_supplied_months=1")
    assert got[(THIRD, "2021-06-30", "homicide_impact_areas_share")][:4] == (
        None, 11, False, "months_missing=11; no_priority_area=Impact")
    # nothing delivered at all
    assert got[(OTHER, "2022-03-31", "homicide_suspect_under_25_share")][:4] == (None, 12, False, "months_missing=12")


def test_complete_window_has_no_flags(con):
    con.execute("insert into meta.loaded_files values ('recorded_crime', 'f.csv', ?, '2021-06-01')", [FORCE])
    con.execute("update core.fact_recorded_crime set is_suspect_age_supplied = true where month = '2021-04-01'")
    got = figures(con, "paper_homicide")
    assert got[(FORCE, "2022-03-31", "homicide_suspect_under_25_share")][:4] == (
        pytest.approx(100 * 2 / 3), 0, True, None)
    assert got[(FORCE, "2022-03-31", "homicide_impact_areas_share")][1:4] == (0, True, None)


def test_theft_from_person_in_the_city_centre_worked_by_hand(con):
    got = figures(con, "paper_neighbourhood")
    # four counted thefts from the person in 2021/22 (one with no place), one in the centre
    assert got[(FORCE, "2022-03-31", "theft_from_person_city_centre_share")][:5] == (
        25.0, 1, False, "months_missing=1", "April 2021 to March 2022")
    assert got[(OTHER, "2022-03-31", "theft_from_person_city_centre_share")][:4] == (
        None, 12, False, "months_missing=12; no_priority_area=Centre")


def test_online_peak_month_found_in_the_delivered_history(con):
    got = figures(con, "paper_online_crime")
    # to March 2022: 30 in May and in July 2021 (the earlier wins); April 2021 to March 2022 less June
    assert got[(FORCE, "2022-03-31", "online_crime_peak_month")][:5] == (30.0, 1, False, "months_missing=1", "May 2021")
    # to June 2022: May 2022's 99; June 2021, April and June 2022 not delivered
    assert got[(FORCE, "2022-06-30", "online_crime_peak_month")][:5] == (99.0, 3, False, "months_missing=3", "May 2022")
    assert got[(OTHER, "2022-03-31", "online_crime_peak_month")][0] is None
    assert got[(OTHER, "2022-03-31", "online_crime_peak_month")][3] == "no_month_delivered"
    label = con.execute("select label, period_start, period_end from marts.paper_online_crime where force_code = ? "
                        "and quarter_end = '2022-03-31'", [FORCE]).fetchone()
    assert label == ("Offences recorded as happening online: the highest monthly total recorded (months since "
                     "April 2021)", date(2021, 5, 1), date(2021, 5, 31))


def test_recruitment_read_at_the_report_dates(con):
    got = figures(con, "paper_recruitment")
    # report date April 2022: neighbourhood officers 300 + 21 against 110 at May 2021
    assert got[(FORCE, "2022-03-31", "neighbourhood_officers_increase")][:5] == (
        211.0, 0, True, None, "May 2021 to April 2022")
    assert got[(FORCE, "2022-03-31", "pcsos")] == (477.0, 0, True, None, "April 2022", "April 2021", 464.0)
    assert got[(FORCE, "2022-03-31", "special_constables")] == (304.0, 0, True, None, "April 2022", "April 2021",
                                                                 283.0)
    # report date July 2022: read at the April 2022 snapshot (3 months old); July 2021 at May 2021's (2)
    assert got[(FORCE, "2022-06-30", "pcsos")][:4] == (
        477.0, 5, False, "snapshot_before=2022-07-31 (read at 2022-04-30); "
        "snapshot_before=2021-07-31 (read at 2021-05-31)")
    assert got[(FORCE, "2022-06-30", "pcsos")][6] == 465.0
    assert got[(FORCE, "2022-06-30", "neighbourhood_officers_increase")][:3] == (211.0, 3, False)
    # report date April 2021 comes before the increase starts; no snapshot a year before it
    assert got[(FORCE, "2021-03-31", "neighbourhood_officers_increase")][:4] == (
        None, 0, False, "report_date_before=2021-05-31")
    assert got[(FORCE, "2021-03-31", "pcsos")][:4] == (464.0, 0, False, "no_snapshot_by=2020-04-30")
    assert got[(FORCE, "2021-03-31", "pcsos")][6] is None
    # a force with no snapshot has no value
    assert got[(OTHER, "2022-03-31", "pcsos")][0] is None


def test_every_topic_model_has_the_contract_columns(con):
    for model in ("paper_homicide", "paper_neighbourhood", "paper_online_crime", "paper_recruitment"):
        build_table(con, model)
    contract_sql = (Path(__file__).resolve().parents[1] / "sql" / "marts" / "board_paper_figures.sql").read_text(
        encoding="utf-8").split("-- one line per topic model")[0]
    contract = con.execute(contract_sql).description
    expected = [(c[0], c[1]) for c in contract]
    for model in ("paper_homicide", "paper_neighbourhood", "paper_online_crime", "paper_recruitment"):
        got = con.execute(f"select * from marts.{model} limit 0").description
        assert [(c[0], c[1]) for c in got] == expected, model


# --- end to end on hand-made files -------------------------------------------------------------------

def test_files_with_and_without_suspect_age_load_and_a_bad_one_is_rejected(pipeline):
    write_extract(pipeline.landing, "2021-03", [crime("M/1", "2021-03-02", "1")])
    write_extract(pipeline.landing, "2021-04", [crime("A/1", "2021-04-02", "1", suspect_age="17"),
                                                crime("A/2", "2021-04-03", "1", suspect_age="")],
                  columns=WITH_SUSPECT_AGE)
    write_extract(pipeline.landing, "2021-05", [crime("Y/1", "2021-05-02", "1", suspect_age="17"),
                                                crime("Y/2", "2021-05-03", "1", suspect_age="seventeen")],
                  columns=WITH_SUSPECT_AGE)
    write_extract(pipeline.landing, "2021-06", [crime("J/1", "2021-06-02", "39", suspect_age="")],
                  columns=WITH_SUSPECT_AGE)
    report = pipeline.run()
    assert report.failed_months == ["2021-05"]
    message = "\n".join(report.problems)
    assert "west-midlands-crimes-2021-05.csv row 3, column 'suspect_age': 'seventeen'" in message
    assert "suspect_age_whole_years" in message
    fact = pipeline.query("select crime_reference, suspect_age, is_suspect_age_supplied, source_row "
                          "from core.fact_recorded_crime order by 1")
    assert fact == [("A/1", 17, True, 2), ("A/2", None, True, 3), ("J/1", None, True, 2), ("M/1", None, False, 2)]
    shares = pipeline.query("select value, months_missing, quality_flags from marts.paper_homicide "
                            "where figure_id = 'homicide_suspect_under_25_share' and quarter_end = '2021-06-30'")
    # July 2020 to June 2021: March, April and June delivered; the one homicide with an age is under 25,
    # March's file had no suspect_age column
    assert shares == [(100.0, 9, "months_missing=9; suspect_age_not_supplied_months=1")]
    # the March file delivered again, now with the column: its month is replaced and counts as supplied
    write_extract(pipeline.landing, "2021-03", [crime("M/1", "2021-03-02", "1", suspect_age="40")],
                  columns=WITH_SUSPECT_AGE)
    assert pipeline.run(["2021-03"]).problems == []
    assert pipeline.query("select suspect_age, is_suspect_age_supplied from core.fact_recorded_crime "
                          "where crime_reference = 'M/1'") == [(40, True)]
    assert pipeline.query("select value, quality_flags from marts.paper_homicide where quarter_end = '2021-06-30' "
                          "and figure_id = 'homicide_suspect_under_25_share'") == [(50.0, "months_missing=9")]


# --- the calibrated sample ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def paper(calibrated):
    rows = calibrated.query(
        "select figure_id, value, period_label, period_start, period_end, comparison_label, comparison_value, "
        "months_missing, comparable, quality_flags from marts.board_paper_figures "
        "where force_code = ? and quarter_end = date '2022-03-31'", [FORCE])
    return {r[0]: r[1:] for r in rows}


def test_homicide_suspects_under_25_and_impact_areas(paper):
    # "suspects (44%) that are under the age of 25. Almost one in four homicides take place within WMP's
    # Impact Areas." April 2021 to March 2022: 53 homicides
    under_25 = paper["homicide_suspect_under_25_share"]
    assert round(under_25[0]) == 44
    assert under_25[1:4] == ("April 2021 to March 2022", date(2021, 4, 1), date(2022, 3, 31))
    assert under_25[6:] == (0, True, None)
    impact = paper["homicide_impact_areas_share"]
    assert round(impact[0], 1) == 24.5 and impact[0] < 25  # 13 of 53: almost one in four
    assert impact[6:] == (0, True, None)


def test_theft_from_person_in_birmingham_city_centre(paper):
    # "20% of all thefts occur within Birmingham City Centre neighbourhoods"
    share = paper["theft_from_person_city_centre_share"]
    assert round(share[0]) == 20 and share[1] == "April 2021 to March 2022" and share[6:] == (0, True, None)


def test_online_crime_peak_month(paper):
    # "February recording 2,836 offences (the highest monthly total ever recorded categorised as happening online)"
    peak = paper["online_crime_peak_month"]
    assert peak[:4] == (2836, "February 2022", date(2022, 2, 1), date(2022, 2, 28))
    assert peak[6:] == (0, True, None)


def test_recruitment_at_the_report_dates(paper):
    # annual report 2021/22, Recruitment Performance: "April 22: 211" (neighbourhood officers, since May 2021),
    # PCSOs "April 22: 477" against "April 21: 464", Special Constables "April 22: 304" against "April 21: 283"
    assert paper["neighbourhood_officers_increase"][:2] == (211, "May 2021 to April 2022")
    assert paper["pcsos"][:2] == (477, "April 2022") and paper["pcsos"][4:6] == ("April 2021", 464)
    assert paper["special_constables"][4:6] == ("April 2021", 283) and paper["special_constables"][0] == 304
    assert all(paper[f][6:] == (0, True, None) for f in ("neighbourhood_officers_increase", "pcsos"))


def test_earlier_windows_without_suspect_age_are_flagged(calibrated):
    # the sample's extracts carry suspect_age from April 2021: the year to March 2021 has none of it
    rows = calibrated.query(
        "select quarter_end, value, comparable, quality_flags from marts.paper_homicide where force_code = ? "
        "and figure_id = 'homicide_suspect_under_25_share' and quarter_end in ('2021-03-31', '2021-12-31') "
        "order by 1", [FORCE])
    assert rows[0][1:] == (None, False, "suspect_age_not_supplied_months=12")
    assert rows[1][2:] == (False, "suspect_age_not_supplied_months=3")


def test_every_column_of_the_new_tables_is_described(calibrated):
    tables = ("'paper_homicide', 'paper_neighbourhood', 'paper_online_crime', 'paper_recruitment', "
              "'dim_priority_area', 'board_paper_settings'")
    undescribed = calibrated.query(f"select table_name, column_name from duckdb_columns() where table_name in "
                                   f"({tables}) and (comment is null or comment = '')")
    assert undescribed == []
    fact = dict(calibrated.query("select column_name, comment from duckdb_columns() where table_name = "
                                 "'fact_recorded_crime' and column_name in ('suspect_age', 'is_suspect_age_supplied')"))
    assert set(fact) == {"suspect_age", "is_suspect_age_supplied"} and all(fact.values())
    assert calibrated.query("select count(*), count(distinct area_name) from core.dim_priority_area "
                            "where is_lsoa_known and lsoa_force_code = force_code") == [(63, 2)]


def test_a_fact_table_from_before_suspect_age_gains_the_columns():
    from assets.recorded_crime.assets import ensure_fact_table

    con = duckdb.connect()
    con.execute("create schema core")
    con.execute("create table core.dim_geography (lsoa_code varchar)")
    # the table as an earlier release made it: no suspect_age columns, one row already loaded
    con.execute("create table core.fact_recorded_crime (force_code varchar, crime_reference varchar, month date)")
    con.execute("insert into core.fact_recorded_crime values ('E23000014', 'A/1', '2019-04-01')")
    ensure_fact_table(con)
    columns = dict(con.execute("select column_name, data_type from duckdb_columns() "
                               "where table_name = 'fact_recorded_crime'").fetchall())
    assert columns["suspect_age"] == "INTEGER" and columns["is_suspect_age_supplied"] == "BOOLEAN"
    assert con.execute("select suspect_age, is_suspect_age_supplied from core.fact_recorded_crime").fetchall() == [
        (None, None)]
