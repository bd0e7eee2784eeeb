"""HES workbook and data.police.uk parsers, and the calibration of their sample generators.

Expected values are worked out by hand (tiny files) or recomputed here independently of the
parsers and generators (raw CSV text, openpyxl cell values, DuckDB SQL) from the files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import openpyxl
import pandas as pd
import pytest

from assets.lib.errors import RejectedFile
from assets.nhs_hes.parser import parse_hes_workbook
from assets.policeuk.parser import CRIME_TYPES, parse_stop_and_search, parse_street_crime
from sample_data.census import write_census_ethnicity
from sample_data.hes import write_hes_workbooks
from sample_data.policeuk import check_plans, write_policeuk_files

REPO = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
WEST_MIDLANDS = "E23000014"

STOP_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
    "Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
    "Outcome linked to object of search,Removal of more than just outer clothing"
)
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
HES_HEADER = ("Month", "Police Force Area Code", "Police Force Area Name", "Age Group", "Admission Episodes")


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """Real published files bundled with the repository."""
    return REPO / "sample_data" / "real"


# --------------------------------------------------------------------------------------------
# HES workbook: hand-made files


def make_hes(
    folder: Path,
    rows: list[tuple],
    *,
    name: str = "hes-sharp-object-admissions-2021-22.xlsx",
    header: tuple = HES_HEADER,
    header_row: int = 5,
    data_sheet: str = "Data",
    after: list[tuple] | None = None,
) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook["Notes"]["A1"] = "Free text about the data."
    sheet = workbook.create_sheet(data_sheet)
    sheet["A1"] = "Admissions for assault by a sharp object"
    sheet["A2"] = "Source: Hospital Episode Statistics (HES), NHS England"
    sheet["A3"] = "Provisional"
    for column, value in enumerate(header, start=1):
        sheet.cell(row=header_row, column=column, value=value)
    for r, row in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=r, column=column, value=value)
    footer = header_row + len(rows) + 2
    for r, row in enumerate(after if after is not None else [("Source: HES, NHS England",), ("* 1 to 7 episodes",)]):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=footer + r, column=column, value=value)
    path = folder / name
    workbook.save(path)
    return path


WM = (WEST_MIDLANDS, "West Midlands")


def test_hes_parses_hand_made_workbook(tmp_path: Path) -> None:
    path = make_hes(
        tmp_path,
        [
            ("April 2021", *WM, "0-17", "*"),
            ("April 2021", *WM, "18-24", 10),
            ("April 2021", *WM, "Under 25", "15"),  # a number typed as text
            ("April 2021", *WM, "25 and over", 0),
            ("April 2021", *WM, "Unknown", "*"),
            ("March 2021", *WM, "Under 25", 20),  # restates the 2020-21 workbook
            (dt.datetime(2021, 5, 1), *WM, "Under 25", 10.0),  # Excel turned the text into a date
        ],
    )
    frame = parse_hes_workbook(path)

    assert list(frame.columns) == [
        "month", "force_code", "area_name", "age_group", "episodes", "suppressed",
        "workbook", "financial_year", "is_restatement", "source_row",
    ]  # fmt: skip
    assert frame["month"].tolist() == [dt.date(2021, 4, 1)] * 5 + [dt.date(2021, 3, 1), dt.date(2021, 5, 1)]
    assert frame["age_group"].tolist() == ["0-17", "18-24", "Under 25", "25 and over", "Unknown"] + ["Under 25"] * 2
    assert frame["episodes"].tolist() == [pd.NA, 10, 15, 0, pd.NA, 20, 10]
    assert str(frame["episodes"].dtype) == "Int64"
    assert frame["suppressed"].tolist() == [True, False, False, False, True, False, False]
    assert frame["is_restatement"].tolist() == [False] * 5 + [True, False]
    assert set(frame["financial_year"]) == {"2021-22"}
    assert set(frame["workbook"]) == {"hes-sharp-object-admissions-2021-22.xlsx"}
    assert set(frame["force_code"]) == {WEST_MIDLANDS}
    assert frame["source_row"].tolist() == [6, 7, 8, 9, 10, 11, 12]
    # The footnotes after the blank row are not data.
    assert len(frame) == 7


GOOD_ROW = ("April 2021", *WM, "Under 25", 15)


@pytest.mark.parametrize(
    ("rows", "kwargs", "cell", "rule"),
    [
        ([GOOD_ROW], {"header_row": 6}, "A6", "header must be in row 5"),
        (
            [GOOD_ROW],
            {"header": ("Month", "Police Force Area Code", "PFA Name", "Age Group", "Admission Episodes")},
            "C5",
            "Police Force Area Name",
        ),
        ([("Apirl 2021", *WM, "Under 25", 15)], {}, "A6", "like 'April 2021'"),
        ([("2021-04", *WM, "Under 25", 15)], {}, "A6", "like 'April 2021'"),
        ([GOOD_ROW, ("April 2022", *WM, "Under 25", 15)], {}, "A7", "outside financial year 2021-22"),
        ([GOOD_ROW, ("January 2020", *WM, "Under 25", 15)], {}, "A7", "outside financial year 2021-22"),
        ([("April 2021", "E23000099", "Nowhere", "Under 25", 15)], {}, "B6", "unknown police force area code"),
        ([("April 2021", WEST_MIDLANDS, None, "Under 25", 15)], {}, "C6", "Name is empty"),
        ([("April 2021", *WM, "16-24", 15)], {}, "D6", "unknown Age Group '16-24'"),
        ([("April 2021", *WM, "Under 25", "n/a")], {}, "E6", "'*' or a whole number"),
        ([("April 2021", *WM, "Under 25", 12)], {}, "E6", "multiple of 5"),
        ([("April 2021", *WM, "Under 25", 2.5)], {}, "E6", "whole number"),
        ([("April 2021", *WM, "Under 25", -5)], {}, "E6", "negative"),
        ([("April 2021", *WM, "Under 25", None)], {}, "E6", "empty"),
        ([GOOD_ROW, GOOD_ROW], {}, "A7", "duplicate of row 6"),
        ([("March 2021", *WM, "Under 25", 15)], {}, "A6", "no month of financial year 2021-22"),
        ([GOOD_ROW], {"after": [("Source: HES",), ("May 2021", *WM, "Under 25", 10)]}, "A9", "after the blank row"),
        ([], {}, "A6", "no data rows"),
    ],
)
def test_hes_rejections_name_sheet_and_cell(tmp_path: Path, rows: list, kwargs: dict, cell: str, rule: str) -> None:
    path = make_hes(tmp_path, rows, **kwargs)
    with pytest.raises(RejectedFile) as caught:
        parse_hes_workbook(path)
    error = caught.value
    assert error.path.name == path.name
    assert (error.sheet, error.cell) == ("Data", cell)
    assert rule in error.rule
    assert str(error).startswith(f"{path.name}: sheet 'Data', cell {cell}: ")


def test_hes_rejects_missing_data_sheet_and_bad_name(tmp_path: Path) -> None:
    path = make_hes(tmp_path, [GOOD_ROW], data_sheet="Sheet1")
    with pytest.raises(RejectedFile, match="no sheet named 'Data'") as caught:
        parse_hes_workbook(path)
    assert caught.value.sheet == "Data"

    misnamed = make_hes(tmp_path, [GOOD_ROW], name="hes-sharp-object-admissions-2021-23.xlsx")
    with pytest.raises(RejectedFile, match="file name must be") as caught:
        parse_hes_workbook(misnamed)
    assert caught.value.path.name == misnamed.name


# --------------------------------------------------------------------------------------------
# data.police.uk stop and search: hand-made file


def write_text(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes(("\ufeff" if bom else "").encode() + body.encode())
    return path


PAK = "Asian/Asian British - Pakistani"
AFR = "Black/African/Caribbean/Black British - African"
WBR = "White - English/Welsh/Scottish/Northern Irish/British"
MIX = "Mixed/Multiple ethnic groups - White and Asian"
OTH = "Other ethnic group - Any other ethnic group"
NST = "Other ethnic group - Not stated"
PACE = "Police and Criminal Evidence Act 1984 (section 1)"
S60 = "Criminal Justice and Public Order Act 1994 (section 60)"
MDA = "Misuse of Drugs Act 1971 (section 23)"

STOP_ROWS = [
    # 2018-07-31T23:30Z is 00:30 BST on 1 August: August, although the UTC date is July.
    f"Person search,2018-07-31T23:30:00+00:00,,,52.48,-1.89,Male,18-24,{PAK},Asian,{MDA},Controlled drugs,"
    "Arrest,True,False",
    # 2018-08-31T23:30Z is 00:30 BST on 1 September: September.
    f"Person search,2018-08-31T23:30:00+00:00,False,,52.48,-1.89,,25-34,{AFR},,{PACE},Offensive weapons,"
    "A no further action disposal,False,",
    f"Person search,2018-08-15T12:00:00+00:00,True,Op Sceptre,,,Female,over 34,{WBR},White,{S60},"
    "Offensive weapons,Community resolution,,True",
    f"Person and Vehicle search,2018-08-15T13:00:00+00:00,,,52.5,-1.9,Male,10-17,{MIX},Black,{PACE},"
    "Stolen goods,,,False",
    f"Person search,2018-08-16T13:00:00+00:00,,,52.5,-1.9,Male,18-24,{OTH},,{PACE},Stolen goods,"
    "Nothing found - no further action,,False",
    # Declined to state: stays Not stated although the officer recorded an ethnicity.
    f"Person search,2018-08-17T13:00:00+00:00,,,52.5,-1.9,Male,18-24,{NST},Black,{MDA},Controlled drugs,"
    "A no further action disposal,,False",
    # Self-defined empty: the officer's record decides.
    f"Person search,2018-08-18T13:00:00+00:00,,,52.5,-1.9,Male,18-24,,Black,{MDA},Controlled drugs,"
    "Khat or Cannabis warning,True,False",
    # Vehicle only: every person field empty.
    f"Vehicle search,2018-08-19T13:00:00+00:00,,,52.5,-1.9,,,,,{MDA},Controlled drugs,A no further action disposal,,",
]


def stop_file(folder: Path, rows: list[str], name: str = "2018-08-west-midlands-stop-and-search.csv", **kw) -> Path:
    return write_text(folder / "policeuk" / "2018-08" / name, STOP_HEADER + "\n" + "\n".join(rows) + "\n", **kw)


def test_stop_and_search_hand_made_file(tmp_path: Path) -> None:
    frame = parse_stop_and_search(stop_file(tmp_path, STOP_ROWS))

    assert frame["month"].tolist() == [dt.date(2018, 8, 1), dt.date(2018, 9, 1)] + [dt.date(2018, 8, 1)] * 6
    assert frame["searched_at"].iloc[0] == pd.Timestamp("2018-07-31T23:30:00", tz="UTC")
    assert str(frame["searched_at"].dtype).endswith("UTC]")
    assert set(frame["file_month"]) == {dt.date(2018, 8, 1)}
    assert set(frame["force_slug"]) == {"west-midlands"} and set(frame["force_code"]) == {WEST_MIDLANDS}
    assert frame["ethnic_group"].tolist() == [
        "Asian",
        "Black",
        "White",
        "Mixed",
        "Other",
        "Not stated",
        "Black",
        "Not stated",
    ]
    assert frame["is_section_60"].tolist() == [False, False, True, False, False, False, False, False]
    assert frame["outcome_recorded"].tolist() == [True, True, True, False, True, True, True, True]
    assert frame["is_positive_outcome"].tolist() == [True, False, True, pd.NA, False, False, True, False]
    assert frame["outcome_linked_to_object_of_search"].tolist() == [
        True,
        False,
        pd.NA,
        pd.NA,
        pd.NA,
        pd.NA,
        True,
        pd.NA,
    ]
    assert frame["part_of_a_policing_operation"].tolist() == [pd.NA, False, True, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA]
    assert frame["removal_of_more_than_just_outer_clothing"].iloc[:3].tolist() == [False, pd.NA, True]
    assert frame["gender"].isna().tolist() == [False, True, False, False, False, False, False, True]
    assert frame["latitude"].isna().tolist() == [False, False, True, False, False, False, False, False]
    assert frame["policing_operation"].iloc[2] == "Op Sceptre"
    assert frame["source_row"].tolist() == list(range(2, 10))
    vehicle = frame.iloc[7]
    assert vehicle["type"] == "Vehicle search" and pd.isna(vehicle["age_range"])
    assert pd.isna(vehicle["self_defined_ethnicity"]) and pd.isna(vehicle["officer_defined_ethnicity"])

    # A byte-order mark and CRLF line ends change nothing.
    again = parse_stop_and_search(stop_file(tmp_path / "bom", STOP_ROWS, bom=True, crlf=True))
    pd.testing.assert_frame_equal(frame, again)


@pytest.mark.parametrize(
    ("header", "rows", "row", "column", "rule"),
    [
        (
            STOP_HEADER.replace("Officer-defined ethnicity", "Officer defined ethnicity"),
            STOP_ROWS[:1],
            1,
            "Officer-defined ethnicity",
            "missing column 'Officer-defined ethnicity'",
        ),
        (STOP_HEADER.replace(",Outcome,", ","), [], 1, "Outcome", "missing column 'Outcome'"),
        (STOP_HEADER + ",Extra", [], 1, "Extra", "unexpected column 'Extra'"),
        (
            STOP_HEADER,
            [STOP_ROWS[0], STOP_ROWS[1].replace("2018-08-31T23:30:00+00:00", "31/08/2018 23:30")],
            3,
            "Date",
            "not an ISO-8601 timestamp",
        ),
        (
            STOP_HEADER,
            [STOP_ROWS[0], STOP_ROWS[1].replace("2018-08-31T23:30:00+00:00", "")],
            3,
            "Date",
            "Date is empty",
        ),
        (STOP_HEADER, [STOP_ROWS[2].replace("2018-08-15", "2018-10-15")], 2, "Date", "not in the file's month"),
        (
            STOP_HEADER,
            [STOP_ROWS[2].replace(",True,Op Sceptre", ",Yes,Op Sceptre")],
            2,
            "Part of a policing operation",
            "must be True, False or empty",
        ),
        # An unknown self-defined ethnicity is no longer a rejection: the row loads as Unknown with
        # a warning (tests/test_policeuk_vintages.py).
        (STOP_HEADER, [STOP_ROWS[0].replace("Person search", "Foot search")], 2, "Type", "unknown search type"),
    ],
)
def test_stop_and_search_rejections(
    tmp_path: Path, header: str, rows: list[str], row: int, column: str, rule: str
) -> None:
    path = write_text(tmp_path / "2018-08-west-midlands-stop-and-search.csv", header + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(RejectedFile) as caught:
        parse_stop_and_search(path)
    error = caught.value
    assert (error.path.name, error.row, error.column) == (path.name, row, column)
    assert rule in error.rule
    assert str(error).startswith(f"{path.name}: row {row}, column '{column}': ")


def test_stop_and_search_header_only_and_ragged_rows(tmp_path: Path) -> None:
    empty = parse_stop_and_search(stop_file(tmp_path, []))
    full = parse_stop_and_search(stop_file(tmp_path / "full", STOP_ROWS))
    assert len(empty) == 0 and list(empty.columns) == list(full.columns)

    ragged = stop_file(tmp_path / "ragged", [STOP_ROWS[0], STOP_ROWS[1] + ",extra"])
    with pytest.raises(RejectedFile, match="16 fields where the header has 15") as caught:
        parse_stop_and_search(ragged)
    assert caught.value.row == 3


def test_stop_and_search_rejects_unknown_force_in_name(tmp_path: Path) -> None:
    path = stop_file(tmp_path, STOP_ROWS, name="2018-08-gotham-stop-and-search.csv")
    with pytest.raises(RejectedFile, match="unknown force slug 'gotham'"):
        parse_stop_and_search(path)


# --------------------------------------------------------------------------------------------
# data.police.uk stop and search: the real West Midlands file for August 2018


def test_real_stop_and_search_local_months_and_outcomes(real_dir: Path) -> None:
    path = real_dir / "policeuk" / "2018-08-west-midlands-stop-and-search.csv"
    frame = parse_stop_and_search(path)

    with path.open(encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.DictReader(handle))
    assert len(frame) == len(raw) == 1085

    # Local month of every search, straight from the text with zoneinfo.
    local = [dt.datetime.fromisoformat(r["Date"]).astimezone(LONDON) for r in raw]
    expected = Counter(dt.date(t.year, t.month, 1) for t in local)
    assert Counter(frame["month"].tolist()) == expected
    # The file's last search is 2018-08-31T22:36Z (23:36 BST), so every search is in August,
    # although 76 of them (23:xx UTC) fall on the next local day.
    assert expected == {dt.date(2018, 8, 1): 1085}
    assert sum(t.date() != dt.datetime.fromisoformat(r["Date"]).date() for t, r in zip(local, raw, strict=True)) == 76
    assert (frame["searched_at"].dt.tz_convert("Europe/London").dt.date == [t.date() for t in local]).all()

    # Outcome categories as published, and the rates derived from them.
    assert Counter(r["Outcome"] for r in raw) == {
        "A no further action disposal": 733,
        "Arrest": 189,
        "": 79,
        "Khat or Cannabis warning": 53,
        "Penalty Notice for Disorder": 20,
        "Summons / charged by post": 8,
        "Caution (simple or conditional)": 3,
    }
    assert int(frame["outcome_recorded"].sum()) == 1085 - 79
    assert int(frame["is_positive_outcome"].sum()) == 189 + 53 + 20 + 8 + 3 == 273
    assert frame["is_positive_outcome"].isna().sum() == 79
    assert round(100 * 273 / 1006, 1) == 27.1
    assert int(frame["is_section_60"].sum()) == 8
    # Gender is empty throughout this force's file; groups come from self-defined ethnicity:
    # White 376+57+11, Asian 173+42+36+12, Black 97+59+22, Mixed 46+19+8+6, Not stated 42+79.
    assert frame["gender"].isna().all()
    assert frame["ethnic_group"].value_counts().to_dict() == {
        "White": 444, "Asian": 263, "Black": 178, "Not stated": 121, "Mixed": 79,
    }  # fmt: skip
    vehicle = frame[frame["type"] == "Vehicle search"]
    assert len(vehicle) == 78 and vehicle["self_defined_ethnicity"].isna().all() and vehicle["age_range"].isna().all()


# --------------------------------------------------------------------------------------------
# data.police.uk street-level crime


def test_crime_types_are_the_published_fourteen() -> None:
    published = {
        "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
        "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person",
        "Vehicle crime", "Violence and sexual offences",
    }  # fmt: skip
    assert published == CRIME_TYPES
    assert len(CRIME_TYPES) == 14


def test_real_warwickshire_street_subset(real_dir: Path) -> None:
    frame = parse_street_crime(real_dir / "policeuk" / "2018-08-warwickshire-street.subset20.csv")
    assert len(frame) == 20
    assert set(frame["force_code"]) == {"E23000017"} and set(frame["month"]) == {dt.date(2018, 8, 1)}
    asb = frame["crime_type"] == "Anti-social behaviour"
    assert asb.sum() == 3 and frame.loc[asb, "crime_id"].isna().all() and frame.loc[~asb, "crime_id"].notna().all()
    assert (frame["is_anti_social_behaviour"] == asb).all()
    # Which force's area each LSOA is in is core.fact_public_crime's (tests/test_sql_public_crime.py).
    assert "lsoa_force_code" not in frame.columns and "is_out_of_area" not in frame.columns
    assert frame["lsoa_code"].notna().all() and frame["lsoa_code"].nunique() == 17


STREET_ROWS = [
    "abc1,2018-08,West Midlands Police,West Midlands Police,-1.9,52.48,On or near Grove Lane,E01009450,"
    "Birmingham 012E,Vehicle crime,Under investigation,",
    ",2018-08,West Midlands Police,West Midlands Police,-1.5,52.4,On or near Park,E01031035,"
    "North Warwickshire 001A,Anti-social behaviour,,",
    "abc3,2018-08,West Midlands Police,West Midlands Police,,,No Location,,,Drugs,Local resolution,",
]


def test_street_hand_made_file(tmp_path: Path) -> None:
    path = write_text(tmp_path / "2018-08-west-midlands-street.csv", STREET_HEADER + "\n" + "\n".join(STREET_ROWS))
    frame = parse_street_crime(path)
    assert frame["crime_id"].tolist()[0] == "abc1" and pd.isna(frame["crime_id"].iloc[1])
    assert frame["lsoa_code"].tolist()[:2] == ["E01009450", "E01031035"] and pd.isna(frame["lsoa_code"].iloc[2])
    assert frame["latitude"].tolist()[:2] == [52.48, 52.4] and pd.isna(frame["latitude"].iloc[2])
    assert frame["source_row"].tolist() == [2, 3, 4]
    assert frame["file_month"].tolist() == [dt.date(2018, 8, 1)] * 3


@pytest.mark.parametrize(
    ("header", "row_text", "row", "column", "rule"),
    [
        (STREET_HEADER.replace("LSOA code", "LSOA Code"), STREET_ROWS[0], 1, "LSOA code", "missing column 'LSOA code'"),
        (STREET_HEADER, STREET_ROWS[0].replace("Vehicle crime", "Knife crime"), 3, "Crime type", "unknown crime type"),
        (STREET_HEADER, STREET_ROWS[0].replace(",2018-08,", ",Aug 2018,"), 3, "Month", "not YYYY-MM"),
        (STREET_HEADER, STREET_ROWS[0].replace(",2018-08,", ",2018-09,"), 3, "Month", "not the file's month 2018-08"),
    ],
)
def test_street_rejections(tmp_path: Path, header: str, row_text: str, row: int, column: str, rule: str) -> None:
    path = write_text(tmp_path / "2018-08-west-midlands-street.csv", "\n".join([header, STREET_ROWS[2], row_text]))
    with pytest.raises(RejectedFile) as caught:
        parse_street_crime(path)
    error = caught.value
    assert (error.path.name, error.row, error.column) == (path.name, row, column)
    assert rule in error.rule


# --------------------------------------------------------------------------------------------
# Generated samples: calibration recomputed from the files


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    write_census_ethnicity(out)
    write_hes_workbooks(out)
    # Stop and search is never scaled; the street files are cut to 2% to keep the test quick.
    write_policeuk_files(out, scale=0.02)
    return out


def hes_cells(path: Path) -> list[tuple]:
    """The Data sheet's table as openpyxl reads it, without the parser."""
    sheet = openpyxl.load_workbook(path, read_only=True)["Data"]
    rows = []
    for row in sheet.iter_rows(min_row=6, max_col=5, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(tuple(row))
    return rows


def latest_hes(landing: Path) -> pd.DataFrame:
    """Every published row, the latest workbook winning for a month, area and age group."""
    records = []
    for path in sorted((landing / "nhs" / "hes-sharp-object").glob("*.xlsx")):
        fy = path.stem[-7:]
        for month, code, _name, age, value in hes_cells(path):
            month = dt.datetime.strptime(month, "%B %Y").date()
            records.append((fy, month, code, age, None if value == "*" else int(value), value == "*"))
    with duckdb.connect() as conn:
        conn.register("raw", pd.DataFrame(records, columns=["fy", "month", "code", "age", "episodes", "suppressed"]))
        latest = conn.sql(
            "select month, code, age, arg_max(episodes, fy) as episodes, arg_max(suppressed, fy) as suppressed, "
            "count(*) as deliveries from raw group by all order by all"
        ).df()
    latest["month"] = latest["month"].dt.date
    return latest


def test_hes_sample_is_calibrated_to_the_board_paper(landing: Path) -> None:
    latest = latest_hes(landing)
    wm = latest[(latest["code"] == WEST_MIDLANDS) & (latest["age"] == "Under 25")].set_index("month")
    window = wm.loc[dt.date(2021, 3, 1) : dt.date(2022, 2, 1)]
    baseline = wm.loc[dt.date(2018, 7, 1) : dt.date(2019, 6, 1)]
    assert len(window) == len(baseline) == 12
    assert int(baseline["episodes"].sum()) == 215 and not baseline["suppressed"].any()
    assert int(window["episodes"].sum()) == 160 and not window["suppressed"].any()
    assert window["episodes"].between(10, 15).all()
    assert 215 - 160 == 55

    # The peak is in the baseline year: no other 12 months (with suppressed months as 0..7) reach it.
    series = wm["episodes"].astype(float)
    for end in range(11, len(series)):
        months = series.iloc[end - 11 : end + 1]
        upper = months.fillna(7).sum()
        if months.index[0] != dt.date(2018, 7, 1):
            assert upper < 215, months.index[0]

    # Suppression reaches the measure: at least two Under 25 months are '*', outside both windows.
    suppressed = wm.index[wm["suppressed"]].tolist()
    assert len(suppressed) >= 2
    assert all(not (dt.date(2018, 7, 1) <= m <= dt.date(2019, 6, 1)) for m in suppressed)
    assert all(not (dt.date(2021, 3, 1) <= m <= dt.date(2022, 2, 1)) for m in suppressed)

    # 43 police force areas, five age groups each month; February and March are delivered twice.
    assert latest["code"].nunique() == 43
    assert (latest.groupby(["month", "code"]).size() == 5).all()
    assert set(latest.loc[latest["deliveries"] == 2, "month"].map(lambda m: m.month)) == {2, 3}


def test_hes_sample_restatements(landing: Path) -> None:
    folder = landing / "nhs" / "hes-sharp-object"
    frames = {p.name[-12:-5]: parse_hes_workbook(p) for p in sorted(folder.glob("*.xlsx"))}
    assert sorted(frames) == ["2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]
    for fy, frame in frames.items():
        restated = frame[frame["is_restatement"]]
        assert sorted({m.month for m in restated["month"]}) == [2, 3], fy
        # The parser reads what openpyxl reads.
        cells = hes_cells(folder / f"hes-sharp-object-admissions-{fy}.xlsx")
        assert len(cells) == len(frame)
        assert [c[4] if c[4] == "*" else int(c[4]) for c in cells] == [
            "*" if s else int(e) for e, s in zip(frame["episodes"], frame["suppressed"], strict=True)
        ]

    def under_25(fy: str, month: dt.date) -> object:
        frame = frames[fy]
        row = frame[
            (frame["force_code"] == WEST_MIDLANDS) & (frame["age_group"] == "Under 25") & (frame["month"] == month)
        ]
        return "*" if row["suppressed"].iloc[0] else int(row["episodes"].iloc[0])

    # Inside the calibrated windows the restatement leaves Under 25 alone ...
    for month, first, later in (
        (dt.date(2019, 2, 1), "2018-19", "2019-20"),
        (dt.date(2021, 3, 1), "2020-21", "2021-22"),
        (dt.date(2022, 2, 1), "2021-22", "2022-23"),
    ):
        assert under_25(first, month) == under_25(later, month)
    # ... elsewhere the provisional and final figures differ.
    assert under_25("2019-20", dt.date(2020, 2, 1)) != under_25("2020-21", dt.date(2020, 2, 1))
    assert under_25("2021-22", dt.date(2022, 3, 1)) != under_25("2022-23", dt.date(2022, 3, 1))
    # Other age groups and other forces are restated too.
    old, new = frames["2020-21"], frames["2021-22"]
    key = ["month", "force_code", "age_group"]
    both = old.merge(new[new["is_restatement"]], on=key, suffixes=("_old", "_new"))
    assert len(both) == 2 * 43 * 5
    old_text = both["episodes_old"].astype("string").fillna("*")
    changed = both[old_text != both["episodes_new"].astype("string").fillna("*")]
    assert changed["force_code"].nunique() > 5


STOP_SQL = """
with searches as (
    select *,
        timezone('Europe/London', "Date"::timestamptz) as local_time,
        strftime(timezone('Europe/London', "Date"::timestamptz), '%Y-%m') as local_month,
        strftime("Date"::timestamptz at time zone 'UTC', '%Y-%m') as utc_month,
        case
            when "Self-defined ethnicity" = 'Other ethnic group - Not stated' then 'Not stated'
            when "Self-defined ethnicity" like 'White - %' then 'White'
            when "Self-defined ethnicity" like 'Black/African/Caribbean/Black British - %' then 'Black'
            when "Self-defined ethnicity" like 'Asian/Asian British - %' then 'Asian'
            when "Self-defined ethnicity" like 'Mixed/Multiple ethnic groups - %' then 'Mixed'
            when "Self-defined ethnicity" like 'Other ethnic group - %' then 'Other'
            -- read_csv gives NULL for an empty field
            when "Self-defined ethnicity" is null and "Officer-defined ethnicity" is not null
                then "Officer-defined ethnicity"
            else 'Not stated'
        end as grp
    from read_csv(?, all_varchar = true, header = true)
),
by_fy as (
    select *,
        case when month(local_time) >= 4 then year(local_time) else year(local_time) - 1 end as fy_start
    from searches
)
select
    fy_start,
    count(*) as searches,
    count(*) filter (where "Outcome" is not null) as recorded,
    count(*) filter (where "Outcome" is not null and "Outcome" not in
        ('A no further action disposal', 'Nothing found - no further action', 'No further action')) as positive,
    count(*) filter (where "Legislation" = 'Criminal Justice and Public Order Act 1994 (section 60)') as s60,
    count(*) filter (where "Object of search" = 'Controlled drugs') as drugs,
    count(*) filter (where "Object of search" = 'Controlled drugs'
                     and "Outcome linked to object of search" = 'True') as drugs_found,
    count(*) filter (where "Object of search" = 'Offensive weapons') as weapons,
    count(*) filter (where "Object of search" = 'Offensive weapons'
                     and "Outcome linked to object of search" = 'True') as weapons_found,
    count(*) filter (where "Object of search" = 'Firearms') as firearms,
    count(*) filter (where "Object of search" = 'Firearms'
                     and "Outcome linked to object of search" = 'True') as firearms_found,
    count(*) filter (where grp = 'White') as white,
    count(*) filter (where grp = 'Asian') as asian,
    count(*) filter (where grp = 'Black') as black,
    count(*) filter (where local_month <> utc_month) as month_differs
from by_fy group by fy_start order by fy_start
"""

CENSUS_SQL = """
select
    sum("Observation") filter (where "Ethnic group (20 categories)" like 'White:%') as white,
    sum("Observation") filter (where "Ethnic group (20 categories)" like 'Asian, Asian British or Asian Welsh:%')
        as asian,
    sum("Observation") filter (where "Ethnic group (20 categories)"
        like 'Black, Black British, Black Welsh, Caribbean or African:%') as black
from read_csv(?, header = true)
where "Lower tier local authorities Code" in
    ('E08000025', 'E08000026', 'E08000027', 'E08000028', 'E08000029', 'E08000030', 'E08000031')
"""


def test_stop_and_search_sample_is_calibrated_to_the_annual_report(landing: Path) -> None:
    files = str(landing / "policeuk" / "*" / "*-stop-and-search.csv")
    fy = duckdb.execute(STOP_SQL, [files]).df().set_index("fy_start")
    # the ratios of 2020/21 and 2021/22 were published on the Census 2011 populations (the Home Office rebased
    # to Census 2021 from the year ending March 2023): KS201EW, the seven West Midlands authorities, as published
    census_2011 = (1_919_138, 514_981, 164_069)
    census_2021 = duckdb.execute(
        CENSUS_SQL, [str(landing / "ons" / "census" / "census2021-ethnic-group-by-la.csv")]
    ).fetchone()

    def published(year: int) -> dict[str, float]:
        r = fy.loc[year]
        white_pop, asian_pop, black_pop = census_2011 if year < 2022 else census_2021
        white_rate = r["white"] / white_pop
        return {
            "positive": round(100 * r["positive"] / r["recorded"], 1),
            "s60": int(r["s60"]),
            "drugs": round(100 * r["drugs_found"] / r["drugs"], 1),
            "weapons": round(100 * r["weapons_found"] / r["weapons"], 1),
            "firearms": round(100 * r["firearms_found"] / r["firearms"], 1),
            "asian": round(r["asian"] / asian_pop / white_rate, 1),
            "black": round(r["black"] / black_pop / white_rate, 1),
        }

    assert published(2021) == {
        "positive": 27.2,
        "s60": 535,
        "drugs": 34.4,
        "weapons": 13.5,
        "firearms": 9.5,
        "asian": 2.7,
        "black": 4.4,
    }
    assert published(2020) == {
        "positive": 26.5,
        "s60": 95,
        "drugs": 32.3,
        "weapons": 16.8,
        "firearms": 7.7,
        "asian": 2.6,
        "black": 3.9,
    }
    year_2019 = published(2019)
    assert (year_2019["positive"], year_2019["s60"]) == (26.5, 334)
    # 2022/23, not published in the report, on Census 2021: the generator's plan
    assert (published(2022)["asian"], published(2022)["black"]) == (2.5, 4.2)
    assert list(fy.index) == [2018, 2019, 2020, 2021, 2022]
    # The plan in the generator's docstring says the same.
    assert check_plans()["2021-22"]["positive_outcome_rate"] == 27.2

    # The local-month rule matters: searches sit in a different UTC month every summer month,
    # and counting 2021/22 by UTC month would give a different year.
    assert (fy["month_differs"] > 0).all()
    by_utc = duckdb.execute(
        "select count(*) from read_csv(?, all_varchar = true) "
        "where \"Date\"::timestamptz at time zone 'UTC' >= '2021-04-01' "
        "and \"Date\"::timestamptz at time zone 'UTC' < '2022-04-01'",
        [files],
    ).fetchone()[0]
    assert by_utc != fy.loc[2021, "searches"] == 21480


def test_stop_and_search_sample_parses_and_has_the_quirks(landing: Path) -> None:
    files = sorted((landing / "policeuk").glob("*/*-stop-and-search.csv"))
    assert len(files) == 60
    frame = pd.concat([parse_stop_and_search(p) for p in files], ignore_index=True)
    fy_2021 = frame[(frame["month"] >= dt.date(2021, 4, 1)) & (frame["month"] <= dt.date(2022, 3, 1))]
    assert len(fy_2021) == 21480
    assert round(100 * fy_2021["is_positive_outcome"].sum() / fy_2021["outcome_recorded"].sum(), 1) == 27.2
    assert int(fy_2021["is_section_60"].sum()) == 535
    # Searches filed under the previous UTC month but counted in the local month.
    moved = frame[frame["month"] != frame["file_month"]]
    assert len(moved) > 50 and (moved["month"] > moved["file_month"]).all()
    # Vehicle-only searches have every person field empty; Gender is missing for some.
    vehicle = frame[frame["type"] == "Vehicle search"]
    assert len(vehicle) > 1000
    person_fields = ["gender", "age_range", "self_defined_ethnicity", "officer_defined_ethnicity"]
    assert vehicle[person_fields].isna().all().all()
    people = frame[frame["type"] != "Vehicle search"]
    assert people.loc[people["month"] < dt.date(2019, 4, 1), "gender"].isna().all()
    assert 0 < people.loc[people["month"] >= dt.date(2019, 4, 1), "gender"].isna().mean() < 0.05
    assert set(frame["ethnic_group"]) == {"White", "Black", "Asian", "Mixed", "Other", "Not stated"}


def test_street_sample_volume(tmp_path: Path) -> None:
    # One month at full volume is enough to check the shape.
    paths = write_policeuk_files(tmp_path, first_month="2021-06", last_month="2021-06")
    street = parse_street_crime(next(p for p in paths if p.name.endswith("-street.csv")))
    asb = int(street["is_anti_social_behaviour"].sum())
    assert 23_000 <= len(street) - asb <= 28_000
    assert 3_500 <= asb <= 4_500
    assert set(street["crime_type"]) == CRIME_TYPES
    # The share of rows out of the force's area is core.fact_public_crime's (tests/test_sql_public_crime.py).
    assert street["lsoa_code"].isna().sum() > 0
    assert street.loc[street["is_anti_social_behaviour"], "crime_id"].isna().all()
    assert street.loc[~street["is_anti_social_behaviour"], "crime_id"].str.fullmatch(r"[0-9a-f]{64}").all()


def test_street_sample_covers_every_month(landing: Path) -> None:
    files = sorted((landing / "policeuk").glob("*/*-street.csv"))
    assert [p.parent.name for p in files] == [f"{y}-{m:02d}" for y in range(2018, 2024) for m in range(1, 13)][3:63]
    frame = parse_street_crime(files[0])
    assert set(frame["month"]) == {dt.date(2018, 4, 1)} and set(frame["force_slug"]) == {"west-midlands"}


def test_census_sample(landing: Path) -> None:
    census = pd.read_csv(landing / "ons" / "census" / "census2021-ethnic-group-by-la.csv", dtype={"Observation": int})
    assert list(census.columns) == [
        "Lower tier local authorities Code", "Lower tier local authorities", "Ethnic group (20 categories) Code",
        "Ethnic group (20 categories)", "Observation",
    ]  # fmt: skip
    lookup = pd.read_csv(REPO / "reference" / "lsoa-force-lookup.csv", dtype=str)
    assert set(census["Lower tier local authorities Code"]) == set(lookup["Local authority code"])
    assert (census.groupby("Lower tier local authorities Code").size() == 20).all()
    assert census["Ethnic group (20 categories)"].nunique() == 20
    assert (census.loc[census["Ethnic group (20 categories)"] == "Does not apply", "Observation"] == 0).all()
    totals = census.groupby("Lower tier local authorities").Observation.sum()
    assert totals["Birmingham"] == 1_144_900 and totals["Coventry"] == 345_300
    west_midlands = lookup.loc[lookup["Police_force"] == "West Midlands", "Local authority code"].unique()
    assert len(west_midlands) == 7


# --------------------------------------------------------------------------------------------
# Determinism


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generators_are_deterministic(tmp_path: Path) -> None:
    for run in ("a", "b"):
        write_policeuk_files(tmp_path / run, first_month="2021-03", last_month="2021-05", scale=0.02, seed=7)
        write_census_ethnicity(tmp_path / run)
        write_hes_workbooks(tmp_path / run, first_fy="2020-21", last_fy="2021-22", seed=7)
    csv_a = {k: v for k, v in digest(tmp_path / "a").items() if k.endswith(".csv")}
    csv_b = {k: v for k, v in digest(tmp_path / "b").items() if k.endswith(".csv")}
    assert csv_a == csv_b and len(csv_a) == 7
    for name in ("hes-sharp-object-admissions-2020-21.xlsx", "hes-sharp-object-admissions-2021-22.xlsx"):
        a, b = (tmp_path / run / "nhs" / "hes-sharp-object" / name for run in ("a", "b"))
        assert hes_cells(a) == hes_cells(b)
        pd.testing.assert_frame_equal(
            parse_hes_workbook(a).drop(columns="workbook"), parse_hes_workbook(b).drop(columns="workbook")
        )
    # A different seed gives different files.
    write_policeuk_files(tmp_path / "c", first_month="2021-03", last_month="2021-05", scale=0.02, seed=8)
    csv_c = digest(tmp_path / "c")
    assert csv_c.keys() == {k for k in csv_a if k.startswith("policeuk/")}
    assert all(csv_c[k] != csv_a[k] for k in csv_c)
