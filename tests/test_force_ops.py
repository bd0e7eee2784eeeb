"""Firearm discharges, drug activity, SMS survey and workforce: parsers, suites and the sample generator.

Parser tests use hand-made files with values worked out by hand. Suite tests run each stored Great
Expectations suite through assets.lib.validation on a good frame and on a frame with one bad value per
rule. Calibration tests recompute every published West Midlands figure from the generated files with
DuckDB (CSVs) and openpyxl (workbooks), never through the generator's own tables or the parsers, and
compare with the published numbers written out literally.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import time
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from assets.force_operations.assets import DRUG_ACTIVITY, FIREARM_DISCHARGES, SMS_SURVEY
from assets.force_operations.parser import (
    ACTIVITY_TYPES,
    DRUG_ACTIVITY_COLUMNS,
    FIREARM_DISCHARGE_COLUMNS,
    INJURIES,
    SMS_SERVICES,
    SMS_SURVEY_COLUMNS,
    WEAPON_TYPES,
)
from assets.force_operations.workforce import ETHNICITIES, ROLES, SEXES, read_workforce_snapshot
from assets.lib.errors import RejectedFile
from assets.lib.file_sources import FileSource
from assets.lib.validation import SUITES_DIR, ExpectationOutcome, validate
from sample_data.force_ops import write_force_ops

WM = "E23000014"
BOM = b"\xef\xbb\xbf"


# --- force CSV extracts -------------------------------------------------------------------------------

def test_column_tuples_are_the_sources_md_headers() -> None:
    assert ",".join(FIREARM_DISCHARGE_COLUMNS) == (
        "incident_reference,discharge_date,lsoa_code,weapon_type,injury,gang_related,drugs_related")
    assert ",".join(DRUG_ACTIVITY_COLUMNS) == "activity_reference,activity_date,activity_type,arrests,charges"
    assert ",".join(SMS_SURVEY_COLUMNS) == "response_id,response_date,service,incident_type,score"


def test_firearm_csv_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "west-midlands-firearm-discharges-2022-01.csv"
    path.write_bytes(
        BOM + b"incident_reference,discharge_date,lsoa_code,weapon_type,injury,gang_related,drugs_related\r\n"
        b"FDWM/0001/22,2022-01-03,E01009450,Shotgun,None,Y,\r\n"
        b'FDWM/0002/22,2022-01-09,,"Converted or modified",Fatal,N,Y\r\n'
    )
    frame = FIREARM_DISCHARGES.read_one(path)
    assert list(frame.columns) == [
        "incident_reference", "discharge_date", "lsoa_code", "weapon_type", "injury", "gang_related",
        "drugs_related", "date_month", "source_file", "source_row", "force_code", "file_month"]
    assert frame["weapon_type"].tolist() == ["Shotgun", "Converted or modified"]
    assert frame["injury"].tolist() == ["None", "Fatal"]  # the word None, not a null
    assert frame["lsoa_code"].isna().tolist() == [False, True]
    assert frame["drugs_related"].isna().tolist() == [True, False]
    assert frame["source_row"].tolist() == [2, 3]
    assert frame["source_file"].tolist() == ["west-midlands-firearm-discharges-2022-01.csv"] * 2
    assert frame["force_code"].tolist() == ["E23000014", "E23000014"]
    assert frame["file_month"].tolist() == ["2022-01", "2022-01"]
    assert frame["date_month"].tolist() == ["2022-01", "2022-01"]


def test_drug_counts_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "west-midlands-drug-activity-2021-04.csv"
    path.write_bytes(BOM + b"activity_reference,activity_date,activity_type,arrests,charges\r\n"
                     b"DAWM/00001/21,2021-04-01,County line closure,03,1\r\n")
    frame = DRUG_ACTIVITY.read_one(path)
    assert frame.loc[0, "arrests"] == "03"  # the suite judges the text; no silent cast here
    assert frame.loc[0, "activity_type"] == "County line closure"
    assert frame.loc[0, ["force_code", "file_month", "date_month"]].tolist() == ["E23000014", "2021-04", "2021-04"]


def test_sms_empty_score_is_null(tmp_path: Path) -> None:
    path = tmp_path / "west-midlands-sms-survey-2021-04.csv"
    path.write_bytes(BOM + b"response_id,response_date,service,incident_type,score\r\n"
                     b"SMS-202104-00001,2021-04-01,Force Contact,Theft,10\r\n"
                     b"SMS-202104-00002,2021-04-02,Force Response,Burglary,\r\n")
    frame = SMS_SURVEY.read_one(path)
    assert frame["score"].tolist()[0] == "10"
    assert frame["score"].isna().tolist() == [False, True]


@pytest.mark.parametrize(("source", "columns", "name"), [
    (FIREARM_DISCHARGES, FIREARM_DISCHARGE_COLUMNS, "west-midlands-firearm-discharges-2022-01.csv"),
    (DRUG_ACTIVITY, DRUG_ACTIVITY_COLUMNS, "west-midlands-drug-activity-2022-01.csv"),
    (SMS_SURVEY, SMS_SURVEY_COLUMNS, "west-midlands-sms-survey-2022-01.csv"),
])
def test_missing_column_names_file_row_and_column(tmp_path: Path, source: FileSource, columns: tuple[str, ...],
                                                  name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BOM + ",".join(columns[:-1]).encode() + b"\r\n")
    with pytest.raises(RejectedFile) as raised:
        source.read_one(path)
    assert str(raised.value) == (f"{name}: row 1, column '{columns[-1]}': "
                                 f"required column(s) missing from the header: {columns[-1]}")


# --- workforce workbook -------------------------------------------------------------------------------

HEADER = ["Role", "Neighbourhood", "Ethnicity", "Sex", "Headcount"]
GOOD_ROWS = [
    ["Police Officer", "Y", "White", "Female", 120],
    ["Police Officer", "N", "Ethnic minority", "Male", 45.0],  # Excel numbers arrive as floats
    ["PCSO", "Y", "Not stated", "Female", "7"],  # typed as text in the cell
    ["Special Constable", "N", "White", "Male", 0],
]


def _workbook(path: Path, rows: list[list], *, header: list | None = None, header_row: int = 3,
              sheet: str = "Headcount", total: object = "sum", after: list[list] | None = None) -> Path:
    """A snapshot workbook laid out as SOURCES.md says, with any one part bent by the arguments."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.cell(1, 1, "West Midlands Police: workforce headcount at 31 March 2022")
    for column, name in enumerate(header or HEADER, start=1):
        ws.cell(header_row, column, name)
    row = header_row
    for row, values in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(values, start=1):
            ws.cell(row, column, value)
    if total is not None:
        row += 1
        ws.cell(row, 1, "Total")
        ws.cell(row, 5, 172 if total == "sum" else total)
    for offset, values in enumerate(after or [], start=1):
        for column, value in enumerate(values, start=1):
            ws.cell(row + offset, column, value)
    workbook.save(path)
    return path


def test_workforce_snapshot_parsed(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "west-midlands-workforce-2022-03-31.xlsx", GOOD_ROWS,
                     after=[[], ["Source: HR system"]])
    frame = read_workforce_snapshot(path)
    assert list(frame.columns) == ["snapshot_date", "role", "neighbourhood", "ethnicity", "sex", "headcount",
                                   "source_file", "source_row"]
    assert frame["snapshot_date"].tolist() == [dt.date(2022, 3, 31)] * 4
    assert frame["role"].tolist() == ["Police Officer", "Police Officer", "PCSO", "Special Constable"]
    assert frame["neighbourhood"].tolist() == [True, False, True, False]
    assert frame["neighbourhood"].dtype == bool
    assert frame["ethnicity"].tolist() == ["White", "Ethnic minority", "Not stated", "White"]
    assert frame["sex"].tolist() == ["Female", "Male", "Female", "Male"]
    assert frame["headcount"].tolist() == [120, 45, 7, 0]  # 120 + 45 + 7 + 0 = 172, the Total
    assert frame["headcount"].dtype == "int64"
    assert frame["source_row"].tolist() == [4, 5, 6, 7]
    assert set(frame["source_file"]) == {"west-midlands-workforce-2022-03-31.xlsx"}


def test_workforce_blank_row_before_total_is_allowed(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "west-midlands-workforce-2022-03-31.xlsx", [*GOOD_ROWS, [None] * 5])
    assert read_workforce_snapshot(path)["headcount"].sum() == 172


NAME = "west-midlands-workforce-2022-03-31.xlsx"


def _bad(index: int, column: int, value: object) -> list[list]:
    rows = [list(r) for r in GOOD_ROWS]
    rows[index][column] = value
    return rows


@pytest.mark.parametrize(("rows", "kwargs", "cell", "rule"), [
    (GOOD_ROWS, {"header_row": 2}, "A2", "the header must be in row 3, found in row 2"),
    (GOOD_ROWS, {"header_row": 4}, "A4", "the header must be in row 3, found in row 4"),
    (GOOD_ROWS, {"header": ["Role", "Neighbourhood", "Ethnicity", "Sex", "Count"]}, "E3",
     "header must be 'Headcount' (found 'Count')"),
    (GOOD_ROWS, {"header": ["Role", "Neighbourhood", "Ethnic group", "Sex", "Headcount"]}, "C3",
     "header must be 'Ethnicity' (found 'Ethnic group')"),
    (GOOD_ROWS, {"header": [*HEADER, "FTE"]}, "F3", "unexpected column 'FTE' after 'Headcount'"),
    (_bad(1, 0, "Detective"), {}, "A5",
     "unknown Role 'Detective' (expected one of Police Officer, Police Staff, PCSO, Special Constable)"),
    (_bad(1, 1, "Yes"), {}, "B5", "unknown Neighbourhood 'Yes' (expected Y or N)"),
    (_bad(2, 2, "Asian"), {}, "C6", "unknown Ethnicity 'Asian' (expected one of White, Ethnic minority, Not stated)"),
    (_bad(3, 3, "Unknown"), {}, "D7", "unknown Sex 'Unknown' (expected one of Female, Male)"),
    (_bad(0, 4, 12.5), {}, "E4", "Headcount must be a whole number (found 12.5)"),
    (_bad(0, 4, "ten"), {}, "E4", "Headcount must be a whole number (found 'ten')"),
    (_bad(0, 4, -3), {}, "E4", "Headcount cannot be negative (found -3)"),
    (_bad(0, 4, None), {}, "E4", "Headcount is empty (write 0 for none)"),
    (GOOD_ROWS, {"total": None}, "A8", "no 'Total' row at the end of the table"),
    (GOOD_ROWS, {"total": 171}, "E8", "Total 171 is not the sum of the Headcount rows above it (172)"),
    (GOOD_ROWS, {"total": "many"}, "E8", "Total Headcount must be a whole number (found 'many')"),
    (GOOD_ROWS, {"after": [["PCSO", "Y", "White", "Male", 3]]}, "B9",
     "data after the 'Total' row (only notes in column A may follow)"),
    ([], {}, "A4", "no data rows below the header"),
])
def test_workforce_rejections_name_sheet_and_cell(tmp_path: Path, rows: list, kwargs: dict, cell: str,
                                                  rule: str) -> None:
    path = _workbook(tmp_path / NAME, rows, **kwargs)
    with pytest.raises(RejectedFile) as raised:
        read_workforce_snapshot(path)
    assert (raised.value.sheet, raised.value.cell, raised.value.rule) == ("Headcount", cell, rule)
    assert str(raised.value) == f"{NAME}: sheet 'Headcount', cell {cell}: {rule}"


def test_workforce_missing_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / NAME, GOOD_ROWS, sheet="Sheet1")
    with pytest.raises(RejectedFile) as raised:
        read_workforce_snapshot(path)
    assert str(raised.value) == f"{NAME}: sheet 'Headcount': no sheet named 'Headcount' (found ['Sheet1'])"


@pytest.mark.parametrize("name", ["west-midlands-workforce-2022-03.xlsx", "west-midlands-workforce-2022-02-30.xlsx",
                                  "west-midlands-headcount-2022-03-31.xlsx"])
def test_workforce_file_name_needs_a_date(tmp_path: Path, name: str) -> None:
    path = _workbook(tmp_path / name, GOOD_ROWS)
    with pytest.raises(RejectedFile) as raised:
        read_workforce_snapshot(path)
    assert raised.value.path.name == name and raised.value.location == "whole file"


def test_workforce_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text("Role,Neighbourhood\n")
    with pytest.raises(RejectedFile, match="not a readable .xlsx workbook"):
        read_workforce_snapshot(path)


# --- suites -------------------------------------------------------------------------------------------

def _suite(name: str) -> dict:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["firearm_discharges", "drug_activity", "sms_survey", "workforce"])
def test_suite_check_names_unique_identifiers(name: str) -> None:
    suite = _suite(name)
    names = [e["meta"]["check_name"] for e in suite["expectations"]]
    assert suite["name"] == name
    assert len(names) == len(set(names))
    assert all(n.isidentifier() for n in names)
    assert {e["meta"]["severity"] for e in suite["expectations"]} <= {"critical", "warning"}


def test_suite_value_sets_match_the_parsers() -> None:
    def value_set(suite: str, column: str) -> list:
        return next(e["kwargs"]["value_set"] for e in _suite(suite)["expectations"]
                    if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column)

    assert value_set("firearm_discharges", "weapon_type") == list(WEAPON_TYPES)
    assert value_set("firearm_discharges", "injury") == list(INJURIES)
    assert value_set("drug_activity", "activity_type") == list(ACTIVITY_TYPES)
    assert value_set("sms_survey", "service") == list(SMS_SERVICES)
    assert value_set("workforce", "role") == list(ROLES)
    assert value_set("workforce", "ethnicity") == list(ETHNICITIES)
    assert value_set("workforce", "sex") == list(SEXES)


def _frame(rows: list[dict], file: str) -> pd.DataFrame:
    """Rows as the pipeline's reader hands them to the suite: with the force, and the month the file
    name gives beside the month of each row's date (assets/force_operations/assets.py)."""
    frame = pd.DataFrame(rows)
    frame["force_code"] = WM
    frame["source_file"] = file
    frame["source_row"] = range(2, 2 + len(frame))
    month = re.search(r"-(\d{4}-\d{2})\.csv$", file)
    if month:
        date_column = next(c for c in ("discharge_date", "activity_date", "response_date") if c in frame)
        frame["file_month"] = month[1]
        frame["date_month"] = frame[date_column].str[:7]
    return frame


def _assert_all_pass(outcomes: list[ExpectationOutcome], suite: str) -> None:
    assert [o.message() for o in outcomes if not o.success] == []
    assert {o.check_name for o in outcomes} == {e["meta"]["check_name"] for e in _suite(suite)["expectations"]}


def _assert_each_fails_at(outcomes: list[ExpectationOutcome], file: str, expected_rows: dict[str, int]) -> None:
    by_name = {o.check_name: o for o in outcomes}
    assert set(expected_rows) == set(by_name), "every check of the suite has a bad row in the test"
    for check, row in expected_rows.items():
        outcome = by_name[check]
        assert not outcome.success, check
        assert outcome.error is None, outcome.error
        assert f"{file} row {row}" in outcome.message(), (check, outcome.message())


def _with_bad_values(good: dict, changes: list[tuple[str, dict]]) -> tuple[list[dict], dict[str, int]]:
    """One row per change (source_row = position + 2), each good except for the change; -> rows, check -> row."""
    rows, expected = [], {}
    for check, change in changes:
        rows.append({**good, **change})
        expected.setdefault(check, len(rows) + 1)
    return rows, expected


FIREARM_FILE = "west-midlands-firearm-discharges-2021-04.csv"
APRIL_2021 = {"file_month_regex": r"^2021-04-\d{2}$"}


def _firearm(ref: str, **change: object) -> dict:
    row = {"incident_reference": ref, "discharge_date": "2021-04-10", "lsoa_code": "E01009450",
           "weapon_type": "Shotgun", "injury": "None", "gang_related": "Y", "drugs_related": None}
    return {**row, **change}


def test_firearm_suite_passes_good_rows() -> None:
    rows = [_firearm("FD/1"), _firearm("FD/2", injury="Fatal", weapon_type="Converted or modified", gang_related=None,
                                       drugs_related="N", lsoa_code="W01000001"), _firearm("FD/3", injury="Non-fatal")]
    _assert_all_pass(validate(_frame(rows, FIREARM_FILE), "firearm_discharges", APRIL_2021), "firearm_discharges")


def test_firearm_suite_names_each_bad_row() -> None:
    changes = [
        ("incident_reference_present", {"incident_reference": None}),
        ("incident_reference_unique", {"incident_reference": "FD/DUP"}),
        ("incident_reference_unique", {"incident_reference": "FD/DUP"}),
        ("discharge_date_present", {"discharge_date": None}),
        ("discharge_date_is_a_date", {"discharge_date": "2021-04-31"}),
        ("discharge_date_in_file_month", {"discharge_date": "2021-05-01"}),
        ("lsoa_code_format", {"lsoa_code": "E02000001"}),
        ("weapon_type_present", {"weapon_type": None}),
        ("weapon_type_valid", {"weapon_type": "Crossbow"}),
        ("injury_present", {"injury": None}),
        ("injury_valid", {"injury": "Serious"}),
        ("gang_related_flag_valid", {"gang_related": "Yes"}),
        ("drugs_related_flag_valid", {"drugs_related": "y"}),
        # A warning at 90%: two rows without an LSOA in this small frame is well below it.
        ("lsoa_code_mostly_present", {"lsoa_code": None}),
        ("lsoa_code_mostly_present", {"lsoa_code": None}),
    ]
    rows, expected = _with_bad_values({}, changes)
    rows = [_firearm(f"FD/{i}", **row) for i, row in enumerate(rows)]
    outcomes = validate(_frame(rows, FIREARM_FILE), "firearm_discharges", APRIL_2021)
    _assert_each_fails_at(outcomes, FIREARM_FILE, expected)


DRUG_FILE = "west-midlands-drug-activity-2021-04.csv"


def _drug(ref: str, **change: object) -> dict:
    row = {"activity_reference": ref, "activity_date": "2021-04-30", "activity_type": "County line disruption",
           "arrests": "2", "charges": "0"}
    return {**row, **change}


def test_drug_suite_passes_good_rows() -> None:
    rows = [_drug("DA/1"), _drug("DA/2", activity_type="Drug disruption", arrests="12", charges="10"),
            _drug("DA/3", activity_type="County line closure", arrests="0", charges="0", activity_date="2021-04-01")]
    _assert_all_pass(validate(_frame(rows, DRUG_FILE), "drug_activity", APRIL_2021), "drug_activity")


def test_drug_suite_names_each_bad_row() -> None:
    changes = [
        ("activity_reference_present", {"activity_reference": None}),
        ("activity_reference_unique", {"activity_reference": "DA/DUP"}),
        ("activity_reference_unique", {"activity_reference": "DA/DUP"}),
        ("activity_date_present", {"activity_date": None}),
        ("activity_date_is_a_date", {"activity_date": "30/04/2021"}),
        ("activity_date_in_file_month", {"activity_date": "2021-03-31"}),
        ("activity_type_present", {"activity_type": None}),
        ("activity_type_valid", {"activity_type": "County line closed"}),
        ("arrests_present", {"arrests": None}),
        ("arrests_whole_number", {"arrests": "-1"}),
        ("charges_present", {"charges": None}),
        ("charges_whole_number", {"charges": "1.5"}),
    ]
    rows, expected = _with_bad_values({}, changes)
    rows = [_drug(f"DA/{i}", **row) for i, row in enumerate(rows)]
    # activity_date_in_file_month also fails on the row with the non-ISO date; that row is not the one asserted.
    outcomes = validate(_frame(rows, DRUG_FILE), "drug_activity", APRIL_2021)
    _assert_each_fails_at(outcomes, DRUG_FILE, expected)


SMS_FILE = "west-midlands-sms-survey-2021-04.csv"


def _sms(ref: str, **change: object) -> dict:
    row = {"response_id": ref, "response_date": "2021-04-15", "service": "Force Contact", "incident_type": "Theft",
           "score": "8"}
    return {**row, **change}


def test_sms_suite_passes_good_rows() -> None:
    rows = [_sms("S1"), _sms("S2", score="0", service="Force Response"), _sms("S3", score="10"),
            _sms("S4", score=None)]
    _assert_all_pass(validate(_frame(rows, SMS_FILE), "sms_survey", APRIL_2021), "sms_survey")


def test_sms_suite_names_each_bad_row() -> None:
    changes = [
        ("response_id_present", {"response_id": None}),
        ("response_id_unique", {"response_id": "DUP"}),
        ("response_id_unique", {"response_id": "DUP"}),
        ("response_date_present", {"response_date": None}),
        ("response_date_is_a_date", {"response_date": "2021-04-xx"}),
        ("response_date_in_file_month", {"response_date": "2022-04-15"}),
        ("service_present", {"service": None}),
        ("service_valid", {"service": "Force Investigation"}),
        ("score_0_to_10", {"score": "11"}),
        ("incident_type_mostly_present", {"incident_type": None}),
    ]
    rows, expected = _with_bad_values({}, changes)
    rows = [_sms(f"S{i}", **row) for i, row in enumerate(rows)]
    outcomes = validate(_frame(rows, SMS_FILE), "sms_survey", APRIL_2021)
    _assert_each_fails_at(outcomes, SMS_FILE, expected)


WORKFORCE_FILE = "west-midlands-workforce-2022-03-31.xlsx"


def _staff(role: str, **change: object) -> dict:
    row = {"snapshot_date": dt.date(2022, 3, 31), "role": role, "neighbourhood": True, "ethnicity": "White",
           "sex": "Female", "headcount": 10}
    return {**row, **change}


def test_workforce_suite_passes_the_parsed_snapshot(tmp_path: Path) -> None:
    frame = read_workforce_snapshot(_workbook(tmp_path / WORKFORCE_FILE, GOOD_ROWS))
    frame["force_code"] = WM
    _assert_all_pass(validate(frame, "workforce"), "workforce")


def test_workforce_suite_names_each_bad_row() -> None:
    pair = {"role": "Special Constable", "neighbourhood": False, "ethnicity": "Not stated", "sex": "Male"}
    changes = [
        ("snapshot_date_present", {"snapshot_date": None}),
        ("role_present", {"role": None}),
        ("role_valid", {"role": "Detective"}),
        ("neighbourhood_present", {"neighbourhood": None}),
        ("ethnicity_present", {"ethnicity": None}),
        ("ethnicity_valid", {"ethnicity": "Asian"}),
        ("sex_present", {"sex": None}),
        ("sex_valid", {"sex": "F"}),
        ("headcount_present", {"headcount": None}),
        ("headcount_not_negative", {"headcount": -1}),
        ("combination_once_per_snapshot", pair),
        ("combination_once_per_snapshot", pair),
    ]
    rows, expected = _with_bad_values({}, changes)
    # Every other row is its own combination (the planted pair's comes last in this order), so only the
    # pair repeats.
    combinations = itertools.product(ROLES, (True, False), ETHNICITIES, SEXES)
    rows = [{**_staff(role, neighbourhood=local, ethnicity=ethnicity, sex=sex), **row}
            for (role, local, ethnicity, sex), row in zip(combinations, rows, strict=False)]
    frame = _frame(rows, WORKFORCE_FILE)
    frame["headcount"] = frame["headcount"].astype("Int64")
    frame["neighbourhood"] = frame["neighbourhood"].astype(object)
    _assert_each_fails_at(validate(frame, "workforce"), WORKFORCE_FILE, expected)


# --- the generated sample: West Midlands, exact to the published figures ------------------------------

@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], float]:
    out = tmp_path_factory.mktemp("force_ops")
    started = time.perf_counter()
    paths = write_force_ops(out)
    return out, paths, time.perf_counter() - started


def _table(con: duckdb.DuckDBPyConnection, name: str, folder: Path, stem: str, header: str) -> None:
    columns = "{" + ",".join(f"'{c}': 'VARCHAR'" for c in header.split(",")) + "}"
    con.execute(
        f"""
        create table {name} as
        select *, regexp_extract(filename, '-{stem}-(\\d{{4}}-\\d{{2}})\\.csv$', 1) as file_month
        from read_csv('{folder}/*.csv', header = true, columns = {columns}, delim = ',', quote = '"',
                      auto_detect = false, filename = true)
        """
    )


@pytest.fixture(scope="module")
def con(landing: tuple[Path, list[Path], float]) -> duckdb.DuckDBPyConnection:
    out = landing[0] / "force"
    connection = duckdb.connect()
    _table(connection, "firearms", out / "firearm-discharges", "firearm-discharges",
           "incident_reference,discharge_date,lsoa_code,weapon_type,injury,gang_related,drugs_related")
    _table(connection, "drugs", out / "drug-activity", "drug-activity",
           "activity_reference,activity_date,activity_type,arrests,charges")
    _table(connection, "sms", out / "satisfaction", "sms-survey",
           "response_id,response_date,service,incident_type,score")
    return connection


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


def _headcounts(landing: tuple[Path, list[Path], float]) -> dict[str, list[tuple]]:
    """Snapshot date (from the file name) -> data rows, read with openpyxl; the Total row checked on the way."""
    snapshots = {}
    for path in sorted((landing[0] / "force" / "workforce").glob("*.xlsx")):
        workbook = openpyxl.load_workbook(path, read_only=True)
        rows = list(workbook["Headcount"].iter_rows(values_only=True))
        workbook.close()
        assert rows[2] == ("Role", "Neighbourhood", "Ethnicity", "Sex", "Headcount")
        data, total = rows[3:-1], rows[-1]
        assert total[0] == "Total" and total[4] == sum(r[4] for r in data), path.name
        snapshots[path.name[-15:-5]] = data
    return snapshots


@pytest.fixture(scope="module")
def workforce(landing: tuple[Path, list[Path], float]) -> dict[str, list[tuple]]:
    return _headcounts(landing)


def _headcount(workforce: dict[str, list[tuple]], date: str, role: str, **where: str) -> int:
    columns = {"neighbourhood": 1, "ethnicity": 2, "sex": 3}
    return sum(r[4] for r in workforce[date] if r[0] == role and all(r[columns[k]] == v for k, v in where.items()))


def test_generation_is_fast_and_complete(landing: tuple[Path, list[Path], float]) -> None:
    out, paths, seconds = landing
    assert seconds < 15, f"generation took {seconds:.1f} s"
    folders = {p.parent.name for p in paths}
    assert folders == {"firearm-discharges", "drug-activity", "satisfaction", "workforce"}
    counted = {folder: sum(p.parent.name == folder for p in paths) for folder in folders}
    # April 2018 to March 2023: 60 months; SMS from November 2020: 29; snapshots March 2019 to March 2023: 49.
    assert counted == {"firearm-discharges": 60, "drug-activity": 60, "satisfaction": 29, "workforce": 49}
    assert sorted(p.name for p in paths if p.parent.name == "satisfaction")[0] == "west-midlands-sms-survey-2020-11.csv"


def test_csv_files_have_bom_crlf_and_the_agreed_header(landing: tuple[Path, list[Path], float]) -> None:
    headers = {
        "firearm-discharges": b"incident_reference,discharge_date,lsoa_code,weapon_type,injury,gang_related,"
                              b"drugs_related\r\n",
        "drug-activity": b"activity_reference,activity_date,activity_type,arrests,charges\r\n",
        "satisfaction": b"response_id,response_date,service,incident_type,score\r\n",
    }
    for path in landing[1]:
        if path.suffix == ".csv":
            data = path.read_bytes()
            assert data.startswith(BOM + headers[path.parent.name]), path.name
            assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n"), path.name


# Board paper para 9.
def test_firearm_discharges_per_year(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "select count(*) from firearms where file_month between '2020-04' and '2021-03'") == 157
    assert _one(con, "select count(*) from firearms where file_month between '2021-04' and '2022-03'") == 148


def test_firearm_discharges_january_to_march_2022(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        """
        select count(*),
               count(*) filter (where injury in ('Non-fatal', 'Fatal')),
               count(*) filter (where injury = 'Fatal'),
               count(*) filter (where gang_related = 'Y'),
               count(*) filter (where drugs_related = 'Y'),
               count(*) filter (where weapon_type = 'Shotgun')
        from firearms where file_month between '2022-01' and '2022-03'
        """
    ).fetchone()
    assert row == (36, 13, 4, 11, 9, 24)
    assert round(100 * 24 / 36) == 67  # the paper's "(67%)"


def test_firearm_rows_are_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "select count(*) from firearms where substr(discharge_date, 1, 7) <> file_month") == 0
    assert _one(con, "select count(*) - count(distinct incident_reference) from firearms") == 0
    assert _one(con, f"select count(*) from firearms where weapon_type not in {WEAPON_TYPES}") == 0
    assert _one(con, f"select count(*) from firearms where injury not in {INJURIES}") == 0
    assert _one(con, "select count(*) from firearms where lsoa_code is not null "
                     "and not regexp_full_match(lsoa_code, 'E01\\d{6}')") == 0


# Board paper para 18.
def test_drug_activity_2021_22(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        """
        select count(*) filter (where activity_type in ('Drug disruption', 'County line disruption')),
               count(*) filter (where activity_type = 'County line disruption'),
               count(*) filter (where activity_type = 'County line closure'),
               sum(arrests::integer),
               sum(charges::integer)
        from drugs where file_month between '2021-04' and '2022-03'
        """
    ).fetchone()
    assert row == (580, 427, 379, 661, 188)


def test_drug_activity_rows_are_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "select count(*) from drugs where not regexp_full_match(arrests, '\\d+') "
                     "or not regexp_full_match(charges, '\\d+')") == 0
    assert _one(con, "select count(*) from drugs where charges::integer > arrests::integer") == 0
    assert _one(con, "select count(*) from drugs where substr(activity_date, 1, 7) <> file_month") == 0
    assert _one(con, "select count(*) - count(distinct activity_reference) from drugs") == 0
    assert _one(con, f"select count(*) from drugs where activity_type not in {ACTIVITY_TYPES}") == 0


# Board paper paras 27-28.
def test_sms_survey_2021_22(con: duckdb.DuckDBPyConnection) -> None:
    answered, satisfied, rows = con.execute(
        """
        select count(score), count(*) filter (where score::integer >= 8), count(*)
        from sms where file_month between '2021-04' and '2022-03'
        """
    ).fetchone()
    assert (answered, satisfied) == (13_509, 9_186)
    assert round(100 * satisfied / answered, 1) == 68.0
    # Replies that skipped the question: about 5% on top of the answered ones.
    assert 0.03 < (rows - answered) / answered < 0.07


def test_sms_pilot_then_embedded(con: duckdb.DuckDBPyConnection) -> None:
    services = dict(con.execute(
        "select file_month, list(distinct service order by service) from sms group by 1").fetchall())
    assert min(services) == "2020-11"
    assert all(services[m] == ["Force Contact"] for m in ("2020-11", "2020-12", "2021-01"))
    assert all(services[m] == ["Force Contact", "Force Response"] for m in services if m >= "2021-02")
    pilot = _one(con, "select count(*) from sms where file_month between '2020-11' and '2021-01'")
    embedded = _one(con, "select count(*) from sms where file_month between '2021-02' and '2021-04'")
    assert pilot < embedded / 2


def test_sms_rows_are_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "select count(*) from sms where score is not null and score not in "
                     "('0','1','2','3','4','5','6','7','8','9','10')") == 0
    assert _one(con, "select count(*) from sms where substr(response_date, 1, 7) <> file_month") == 0
    assert _one(con, "select count(*) - count(distinct response_id) from sms") == 0
    assert _one(con, "select count(distinct incident_type) from sms") >= 8


# Annual report 2021/22, "Recruitment" and "Recruitment Performance".
def test_workforce_snapshot_dates(workforce: dict[str, list[tuple]]) -> None:
    dates = sorted(workforce)
    assert len(dates) == 49 and dates[0] == "2019-03-31" and dates[-1] == "2023-03-31"
    assert "2020-02-29" in dates and "2022-02-28" in dates


def test_headcount_at_31_march_2022(workforce: dict[str, list[tuple]]) -> None:
    by_role = {role: _headcount(workforce, "2022-03-31", role) for role in ROLES}
    assert by_role == {"Police Officer": 7_642, "Police Staff": 4_129, "PCSO": 448, "Special Constable": 304}
    assert sum(by_role.values()) == 12_523


def test_officer_uplift(workforce: dict[str, list[tuple]]) -> None:
    assert _headcount(workforce, "2019-03-31", "Police Officer") == 6_625
    assert _headcount(workforce, "2022-03-31", "Police Officer") - _headcount(workforce, "2019-03-31",
                                                                              "Police Officer") == 1_017


def test_ethnic_minority_officers(workforce: dict[str, list[tuple]]) -> None:
    before = _headcount(workforce, "2019-03-31", "Police Officer", ethnicity="Ethnic minority")
    after = _headcount(workforce, "2022-03-31", "Police Officer", ethnicity="Ethnic minority")
    assert (before, after, after - before) == (690, 1_020, 330)
    assert round(100 * after / 7_642, 2) == 13.35  # "13.35% of the workforce"


def test_neighbourhood_officers(workforce: dict[str, list[tuple]]) -> None:
    may_2021 = _headcount(workforce, "2021-05-31", "Police Officer", neighbourhood="Y")
    april_2022 = _headcount(workforce, "2022-04-30", "Police Officer", neighbourhood="Y")
    assert april_2022 - may_2021 == 211


def test_pcsos_and_specials(workforce: dict[str, list[tuple]]) -> None:
    assert (_headcount(workforce, "2021-04-30", "PCSO"), _headcount(workforce, "2022-04-30", "PCSO")) == (464, 477)
    assert (_headcount(workforce, "2021-04-30", "Special Constable"),
            _headcount(workforce, "2022-04-30", "Special Constable")) == (283, 304)


def test_female_officers_about_35_percent(workforce: dict[str, list[tuple]]) -> None:
    female = _headcount(workforce, "2022-03-31", "Police Officer", sex="Female")
    assert round(100 * female / 7_642) == 35


def test_workforce_paths_are_smooth(workforce: dict[str, list[tuple]]) -> None:
    dates = sorted(workforce)
    officers = [_headcount(workforce, d, "Police Officer") for d in dates]
    steps = [b - a for a, b in zip(officers, officers[1:], strict=False)]
    # The uplift: officers never fall month on month, and no intake is more than 5% of the force.
    assert min(steps) >= 0 and max(steps) < 0.05 * officers[0]
    for role in ("Police Staff", "PCSO", "Special Constable"):
        series = [_headcount(workforce, d, role) for d in dates]
        assert max(abs(b - a) for a, b in zip(series, series[1:], strict=False)) <= 0.07 * max(series), role


# --- the generated files go through the pipeline's own parsers and suites -----------------------------

def test_generated_workbooks_parse(landing: tuple[Path, list[Path], float], workforce: dict[str, list[tuple]]) -> None:
    frames = [read_workforce_snapshot(p) for p in sorted((landing[0] / "force" / "workforce").glob("*.xlsx"))]
    frame = pd.concat(frames, ignore_index=True)
    assert len(frames) == 49
    march = frame[frame["snapshot_date"] == dt.date(2022, 3, 31)]
    assert int(march["headcount"].sum()) == 12_523
    frame["force_code"] = WM
    _assert_all_pass(validate(frame, "workforce"), "workforce")


@pytest.mark.parametrize(("folder", "stem", "source"), [
    ("firearm-discharges", "firearm-discharges", FIREARM_DISCHARGES),
    ("drug-activity", "drug-activity", DRUG_ACTIVITY),
    ("satisfaction", "sms-survey", SMS_SURVEY),
])
def test_generated_month_passes_its_suite(landing: tuple[Path, list[Path], float], folder: str, stem: str,
                                          source: FileSource) -> None:
    frame = source.read_one(landing[0] / "force" / folder / f"west-midlands-{stem}-2022-01.csv")
    _assert_all_pass(validate(frame, source.name), source.name)


# --- determinism and other forces ---------------------------------------------------------------------

def _workbook_values(path: Path) -> list[tuple]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)]
    finally:
        workbook.close()


def test_same_arguments_same_files(landing: tuple[Path, list[Path], float], tmp_path: Path) -> None:
    again = write_force_ops(tmp_path)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(landing[0]) for p in landing[1]]
    for first, second in zip(landing[1], again, strict=True):
        if first.suffix == ".csv":
            assert first.read_bytes() == second.read_bytes(), first.name
        else:  # openpyxl stamps the save time into the workbook; compare what it says
            assert _workbook_values(first) == _workbook_values(second), first.name


def test_a_short_range_matches_the_same_months_of_a_full_run(landing: tuple[Path, list[Path], float],
                                                             tmp_path: Path) -> None:
    paths = write_force_ops(tmp_path, first_month="2022-01", last_month="2022-03")
    assert len(paths) == 3 * 3 + 3
    for path in paths:
        full = landing[0] / path.relative_to(tmp_path)
        if path.suffix == ".csv":
            assert path.read_bytes() == full.read_bytes(), path.name
        else:
            assert _workbook_values(path) == _workbook_values(full), path.name


def test_different_seed_gives_different_rows(landing: tuple[Path, list[Path], float], tmp_path: Path) -> None:
    paths = write_force_ops(tmp_path, first_month="2021-06", last_month="2021-06", seed=7)
    other = next(p for p in paths if "sms-survey" in p.name)
    assert other.read_bytes() != (landing[0] / other.relative_to(tmp_path)).read_bytes()


@pytest.mark.parametrize("slug", ["greater-manchester", "dyfed-powys"])
def test_another_force(tmp_path: Path, slug: str) -> None:
    paths = write_force_ops(tmp_path, force_slug=slug, first_month="2022-01", last_month="2022-03")
    assert all(p.name.startswith(f"{slug}-") for p in paths)
    for path in paths:
        if path.suffix == ".xlsx":
            assert read_workforce_snapshot(path)["headcount"].sum() > 0
        else:
            source = {"firearm-discharges": FIREARM_DISCHARGES, "drug-activity": DRUG_ACTIVITY,
                      "satisfaction": SMS_SURVEY}[path.parent.name]
            source.read_one(path)


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="after"):
        write_force_ops(tmp_path, first_month="2022-03", last_month="2022-01")
    with pytest.raises(ValueError, match="YYYY-MM"):
        write_force_ops(tmp_path, first_month="2022-3")
    with pytest.raises(ValueError, match="unknown force"):
        write_force_ops(tmp_path, force_slug="gotham")
