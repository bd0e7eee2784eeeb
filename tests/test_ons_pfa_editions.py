"""ONS "Police Force Area data tables": every edition's layout parses by the same rules.

Each quirk an edition has shown is built here with openpyxl as a small workbook of hand-typed cells
(the older layout of 2013-2020, the accessible layout ONS moved to from 2021, the year ending
December 2019 Greater Manchester row of '..', the P9 population table headed by numeric years),
and the expected rows are typed by hand from those cells. The real June 2019 edition is checked
against its published West Midlands figures.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from assets.lib.errors import RejectedFile
from assets.ons_pfa.parser import read_ons_pfa_workbook

REPO = Path(__file__).resolve().parents[1]
REAL_JUNE_2019 = REPO / "sample_data" / "real" / "ons-pfa-tables" / "policeforceareatablesyearendingjune2019.xlsx"
REAL_MARCH_2019 = REPO / "sample_data" / "real" / "ons-pfa-tables" / "policeforceareatablesyeendingmarch2019.xlsx"

WEST_MIDLANDS = "E23000014"
GREATER_MANCHESTER = "E23000005"

Row = list[object]


def write_workbook(path: Path, sheets: dict[str, list[Row]]) -> Path:
    """A workbook with the given sheets, each a list of rows written from A1 down."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def cell(frame: pd.DataFrame, table_id: str, area: str, measure: str) -> pd.Series:
    """The one output row of an area (by code, or by name when it has none) and measure."""
    by_area = frame.area_code == area if area[1:].isdigit() else frame.area_name == area
    rows = frame[(frame.table_id == table_id) & by_area & (frame.measure == measure)]
    assert len(rows) == 1, (table_id, area, measure, len(rows))
    return rows.iloc[0]


def assert_rejected(error: pytest.ExceptionInfo[RejectedFile], path: Path, rule: str,
                    sheet: str | None = None, cell_ref: str | None = None) -> None:
    message = str(error.value)
    assert message.startswith(f"{path.name}: "), message
    assert rule in message, message
    assert error.value.sheet == sheet, message
    assert error.value.cell == cell_ref, message


# --- the older layout (2013 to 2020) --------------------------------------------------------------

OLDER_P1: list[Row] = [
    ["Table P1: Police recorded crime by offence group and police force area, English regions and Wales, "
     "number of offences, year ending March 20131,2"],
    [],
    ["England and Wales"],
    # Group row: the total's label sits here, over an empty header cell; D is a blank separator.
    [None, None, "Total recorded crime (excluding fraud3)", None, "Victim-based crime"],
    ["Area Code", "Area Name", None, None, "Homicide", "Robbery 4", "Burglary\n(all)5"],
    [None, None, "Numbers"],
    ["K04000001", "ENGLAND AND WALES6", 3_700_000, None, 550, 65_000, 440_000],
    ["E12000005", "West Midlands", 330_000, None, 60, 7_000, 40_000],
    [WEST_MIDLANDS, "West Midlands7", 175_000, None, 31, "4,500", 21_000],
    ["E230000118", "South Yorkshire", 80_000, None, 12, 900, "-"],
    [None, "British Transport Police", 50_000, None, "-", 2_100, 0],
    [],
    ["Source: Police recorded crime, Home Office"],
    ["1. Police recorded crime data are not designated as National Statistics."],
]

OLDER_P2: list[Row] = [
    ["Table P2: Police recorded crime by offence group and police force area, English regions and Wales, "
     "percentage change, year ending March 2012 compared with year ending March 20131"],
    [],
    [None, None, "Total recorded crime (excluding fraud2)"],
    ["Area Code", "Area Name", None, None, "Homicide"],
    [None, None, "Percentage change"],
    ["K04000001", "ENGLAND AND WALES", -7.5, None, 2.25],
    [WEST_MIDLANDS, "West Midlands", -3.125, None, ":"],
]


def test_older_layout_edition(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "pfatablesyearendingmarch2013.xlsx", {
        "Notes": [["Crime in England & Wales, year ending March 2013 - PFA tables"], ["Notes text"]],
        "Table P1 ": OLDER_P1,  # trailing space, as several editions publish it
        "Table P2": OLDER_P2,
    })
    frame = read_ons_pfa_workbook(path)

    assert set(frame.edition_period_end) == {date(2013, 3, 31)}
    assert sorted(frame.table_id.unique()) == ["P1", "P2"]
    assert sorted(frame[frame.table_id == "P1"].measure.unique()) == [
        "Burglary (all)", "Homicide", "Robbery", "Total recorded crime (excluding fraud)"]
    # 5 areas x 4 measures in P1, 2 areas x 2 measures in P2: separator column D gives no rows.
    assert len(frame) == 20 + 4

    assert cell(frame, "P1", WEST_MIDLANDS, "Homicide").value == 31
    assert cell(frame, "P1", WEST_MIDLANDS, "Robbery").value == 4_500  # published as text "4,500"
    assert cell(frame, "P1", WEST_MIDLANDS, "Total recorded crime (excluding fraud)").value == 175_000
    assert cell(frame, "P1", "E12000005", "Homicide").value == 60
    assert cell(frame, "P1", "E12000005", "Homicide").area_type == "region"
    assert cell(frame, "P1", WEST_MIDLANDS, "Homicide").area_type == "force"
    assert cell(frame, "P1", "K04000001", "Burglary (all)").area_name == "ENGLAND AND WALES"
    # 'E230000118' is South Yorkshire's code with footnote 8 glued on.
    south_yorkshire = cell(frame, "P1", "E23000011", "Burglary (all)")
    assert south_yorkshire.marker == "-" and math.isnan(south_yorkshire.value)
    btp = frame[frame.area_name == "British Transport Police"]
    assert len(btp) == 4 and btp.area_code.isna().all() and set(btp.area_type) == {"force"}
    assert cell(frame, "P1", "British Transport Police", "Burglary (all)").value == 0  # a real zero
    assert cell(frame, "P1", "British Transport Police", "Homicide").marker == "-"

    assert cell(frame, "P2", WEST_MIDLANDS, "Total recorded crime (excluding fraud)").value == -3.125
    assert cell(frame, "P2", WEST_MIDLANDS, "Homicide").marker == ":"
    assert frame.marker.notna().sum() == 3
    assert frame[frame.marker.notna()].value.isna().all()
    assert set(frame.area_name) == {"ENGLAND AND WALES", "West Midlands", "South Yorkshire",
                                    "British Transport Police"}


# --- the accessible layout (2021 onwards) ---------------------------------------------------------

ACCESSIBLE_P1: list[Row] = [
    ["Table P1: Police recorded crime by offence group and police force area, English regions and Wales, "
     "year ending March 2022 [note 1][note 2]"],
    ["This worksheet contains one table. Some cells refer to notes which can be found in the notes worksheet."],
    ["Source: Police recorded crime, Home Office"],
    ["Unavailable data are shown as [x], suppressed data as [c], not applicable as [z]."],
    ["Area code", "Area name", "Total recorded crime (excluding fraud) [note 3]", "Homicide [note 4]", "Robbery",
     "Residential burglary [note 5] [note 6]"],
    ["K04000001", "England and Wales [note 7]", 6_000_000, 710, 70_000, 190_000],
    ["E12000005", "West Midlands", 480_000, 80, 8_500, 19_000],
    [WEST_MIDLANDS, "West Midlands", 300_000, 40, "[x]", "12,345"],
    [GREATER_MANCHESTER, "Greater Manchester [note 8]", "[x]", "[x]", "[x]", "[x]"],
    ["W15000004 [note 9]", "Dyfed-Powys", 18_000, "..", 60, 700],
    [None, "British Transport Police [note 10]", 65_000, "[c]", 1_900, "[z]"],
]

ACCESSIBLE_P2: list[Row] = [
    ["Table P2: Police recorded crime by offence group and police force area, English regions and Wales, "
     "percentage change, year ending March 2021 compared with year ending March 2022 [note 1]"],
    ["This worksheet contains one table."],
    ["PFA code", "PFA name", "Homicide [note 4]", "Robbery"],
    [WEST_MIDLANDS, "West Midlands", 12.5, "[x]"],
    [GREATER_MANCHESTER, "Greater Manchester", "[z]", -4],
]

ACCESSIBLE_SHEETS: dict[str, list[Row]] = {
    "Cover sheet": [
        ["Crime in England and Wales: Police Force Area data tables"],
        ["These tables are published alongside the bulletin, year ending March 2022."],
    ],
    "Notes": [
        ["Notes"],
        ["This worksheet contains one table."],
        ["Note number", "Note text"],
        ["[note 1]", "Police recorded crime data are not designated as National Statistics."],
        ["[note 8]", "Greater Manchester Police could not supply data for this period."],
    ],
    "Table_P1": ACCESSIBLE_P1,
    "P2": ACCESSIBLE_P2,
}


def test_accessible_layout_edition(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "policeforceareatablesyearendingmarch2022.xlsx", ACCESSIBLE_SHEETS)
    frame = read_ons_pfa_workbook(path)

    assert set(frame.edition_period_end) == {date(2022, 3, 31)}
    assert sorted(frame.table_id.unique()) == ["P1", "P2"]
    assert sorted(frame[frame.table_id == "P1"].measure.unique()) == [
        "Homicide", "Residential burglary", "Robbery", "Total recorded crime (excluding fraud)"]
    assert sorted(frame[frame.table_id == "P2"].measure.unique()) == ["Homicide", "Robbery"]
    assert len(frame) == 6 * 4 + 2 * 2

    assert cell(frame, "P1", WEST_MIDLANDS, "Homicide").value == 40
    assert cell(frame, "P1", WEST_MIDLANDS, "Residential burglary").value == 12_345
    assert cell(frame, "P1", "K04000001", "Total recorded crime (excluding fraud)").value == 6_000_000
    assert cell(frame, "P1", "K04000001", "Homicide").area_name == "England and Wales"
    assert cell(frame, "P1", "W15000004", "Robbery").value == 60  # code published with [note 9]
    assert cell(frame, "P1", "W15000004", "Robbery").area_type == "force"
    btp = cell(frame, "P1", "British Transport Police", "Robbery")
    assert btp.value == 1_900 and pd.isna(btp.area_code) and btp.area_type == "force"
    assert cell(frame, "P2", WEST_MIDLANDS, "Homicide").value == 12.5
    assert cell(frame, "P2", GREATER_MANCHESTER, "Robbery").value == -4

    markers = frame[frame.marker.notna()]
    assert markers.value.isna().all()
    # P1: West Midlands robbery, Greater Manchester x4, Dyfed-Powys homicide, BTP x2; P2: two.
    assert len(markers) == 10
    assert markers.marker.value_counts().to_dict() == {"[x]": 6, "[z]": 2, "[c]": 1, "..": 1}
    gmp = frame[(frame.table_id == "P1") & (frame.area_code == GREATER_MANCHESTER)]
    assert len(gmp) == 4 and set(gmp.marker) == {"[x]"} and gmp.value.isna().all()
    assert set(gmp.area_name) == {"Greater Manchester"}
    assert cell(frame, "P1", "British Transport Police", "Homicide").marker == "[c]"
    assert cell(frame, "P1", "British Transport Police", "Residential burglary").marker == "[z]"
    assert cell(frame, "P1", "W15000004", "Homicide").marker == ".."
    assert not frame.area_name.str.contains("note").any()
    assert not frame.measure.str.contains("note").any()


@pytest.mark.parametrize("sheet", ["P1", "Table_P1", "Table P1 "])
def test_table_found_by_sheet_name_and_header_content(tmp_path: Path, sheet: str) -> None:
    """No 'Table P1' in the title: the sheet name gives the id; headers carry [note N] too."""
    rows = [list(r) for r in ACCESSIBLE_P1]
    rows[0][0] = "Police recorded crime by offence group and police force area, year ending March 2022 [note 1]"
    rows[4][0] = "Area code [note 11]"
    rows[4][1] = "Area name [note 12]"
    path = write_workbook(tmp_path / "editions.xlsx", {"Cover sheet": [["Cover"]], sheet: rows})
    frame = read_ons_pfa_workbook(path)
    assert set(frame.table_id) == {"P1"}
    assert set(frame.edition_period_end) == {date(2022, 3, 31)}
    assert len(frame) == 6 * 4
    assert cell(frame, "P1", WEST_MIDLANDS, "Homicide").value == 40
    assert cell(frame, "P1", GREATER_MANCHESTER, "Robbery").marker == "[x]"


def test_accessible_layout_output_passes_the_expectation_suite(tmp_path: Path) -> None:
    """Marker rows (no value) are legitimate rows for the suite run over the parser's output."""
    from assets.lib.validation import validate

    path = write_workbook(tmp_path / "policeforceareatablesyearendingmarch2022.xlsx", ACCESSIBLE_SHEETS)
    frame = read_ons_pfa_workbook(path)
    frame = frame.assign(source_file=path.name, source_row=range(1, len(frame) + 1))
    outcomes = validate(frame, "ons_pfa_tables")
    assert outcomes and [o.message() for o in outcomes if not o.success] == []


# --- year ending December 2019: a force '..' across its whole row --------------------------------

DECEMBER_2019_P1: list[Row] = [
    ["Table P1: Police recorded crime by offence group and police force area, English regions and Wales, "
     "number of offences, year ending December 20191,2"],
    [],
    [None, None, "Total recorded crime (excluding fraud3)", None, "Victim-based crime", None, None, None,
     "Other crimes against society"],
    ["Area Code", "Area Name", None, None, "Homicide", "Robbery", "Burglary", None, "Drug offences"],
    [None, None, "Numbers"],
    ["K04000001", "ENGLAND AND WALES4", 5_500_000, None, 650, 80_000, 380_000, None, 150_000],
    [GREATER_MANCHESTER, "Greater Manchester5", "..", "..", "..", "..", "..", "..", ".."],
    [WEST_MIDLANDS, "West Midlands", 275_000, None, 45, 9_500, 27_000, None, 6_000],
]


def test_force_not_available_across_its_whole_row(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "policeforceareatablesyearendingdecember2019.xlsx",
                          {"Notes": [["Notes"]], "Table P1": DECEMBER_2019_P1})
    frame = read_ons_pfa_workbook(path)

    assert set(frame.edition_period_end) == {date(2019, 12, 31)}
    # Headed columns C, E, F, G, I: the '..' in separator columns D and H yield no rows.
    assert sorted(frame.measure.unique()) == [
        "Burglary", "Drug offences", "Homicide", "Robbery", "Total recorded crime (excluding fraud)"]
    assert len(frame) == 3 * 5
    gmp = frame[frame.area_code == GREATER_MANCHESTER]
    assert len(gmp) == 5
    assert set(gmp.marker) == {".."} and gmp.value.isna().all()
    assert set(gmp.area_name) == {"Greater Manchester"} and set(gmp.area_type) == {"force"}
    assert frame.marker.notna().sum() == 5
    assert cell(frame, "P1", WEST_MIDLANDS, "Drug offences").value == 6_000
    assert cell(frame, "P1", WEST_MIDLANDS, "Total recorded crime (excluding fraud)").value == 275_000


def test_number_in_a_column_with_no_header_is_still_rejected(tmp_path: Path) -> None:
    rows = [list(r) for r in DECEMBER_2019_P1]
    rows[7][7] = 12  # West Midlands, separator column H: a number nothing describes
    path = write_workbook(tmp_path / "broken.xlsx", {"Table P1": rows})
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, "a value ('12') sits in a column with no header", "Table P1", "H8")


def test_text_in_a_column_with_no_header_is_rejected(tmp_path: Path) -> None:
    rows = [list(r) for r in DECEMBER_2019_P1]
    rows[5][3] = "see note"  # England and Wales, separator column D: not a marker
    path = write_workbook(tmp_path / "broken.xlsx", {"Table P1": rows})
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, "a value ('see note') sits in a column with no header", "Table P1", "D6")


# --- P9: population by year, the years published as numbers ---------------------------------------

P9_POPULATION: list[Row] = [
    ["Table P9: Population estimates by police force area, English regions and Wales, mid-2002 to mid-2004"],
    [],
    [None, None, "Population (mid-year estimates)1"],
    ["Area Code", "Area Name", 2002, 2003, 2004.0],  # 2004.0: the float a spreadsheet tool leaves
    ["K04000001", "ENGLAND AND WALES", 52_500_000, 52_800_000, 53_000_000],
    [WEST_MIDLANDS, "West Midlands", 2_550_000, 2_560_000, 2_570_500],
    [GREATER_MANCHESTER, "Greater Manchester", "..", 2_520_000, "[x]"],
]


def test_population_table_with_numeric_year_headers(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "policeforceareatablesyearendingdecember2019.xlsx", {
        "Table P1": DECEMBER_2019_P1,
        "Table P9": P9_POPULATION,
    })
    frame = read_ons_pfa_workbook(path)
    p9 = frame[frame.table_id == "P9"]

    # P9's title names no "year ending": the edition is P1's.
    assert set(frame.edition_period_end) == {date(2019, 12, 31)}
    assert sorted(p9.measure.unique()) == ["2002", "2003", "2004"]
    assert len(p9) == 3 * 3
    assert cell(frame, "P9", WEST_MIDLANDS, "2002").value == 2_550_000
    assert cell(frame, "P9", WEST_MIDLANDS, "2004").value == 2_570_500
    assert cell(frame, "P9", "K04000001", "2003").value == 52_800_000
    assert cell(frame, "P9", GREATER_MANCHESTER, "2003").value == 2_520_000
    assert cell(frame, "P9", GREATER_MANCHESTER, "2002").marker == ".."
    assert cell(frame, "P9", GREATER_MANCHESTER, "2004").marker == "[x]"
    assert p9.marker.notna().sum() == 2


# --- still rejected -------------------------------------------------------------------------------


def test_workbook_without_table_p1_is_rejected(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "no-p1.xlsx", {"Cover sheet": [["Cover"]], "Table_P2": ACCESSIBLE_P2})
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, "no 'Table P1' sheet with an 'Area Code' header (table sheets found: Table_P2)",
                    "Table P1")


def test_a_file_that_is_not_a_workbook_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "policeforceareatablesyearendingmarch2022.xlsx"
    path.write_text("Area Code,Area Name,Homicide\nE23000014,West Midlands,40\n", encoding="utf-8")
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, "not a readable .xls or .xlsx workbook")


def test_table_without_an_area_code_header_is_rejected(tmp_path: Path) -> None:
    rows = [list(r) for r in ACCESSIBLE_P1]
    rows[4][0] = "Code"  # not an 'Area Code' header: the codes below it have nothing naming them
    path = write_workbook(tmp_path / "no-code-header.xlsx", {"Table_P1": rows})
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, "the sheet holds area codes but no 'Area Code' header above them",
                    "Table_P1", "A6")


def test_text_in_a_count_cell_is_rejected(tmp_path: Path) -> None:
    rows = [list(r) for r in ACCESSIBLE_P1]
    rows[7][3] = "forty"  # West Midlands homicide, D8
    path = write_workbook(tmp_path / "text-count.xlsx", {"Table_P1": rows})
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, "'forty' is neither a number nor a known ONS marker", "Table_P1", "D8")


# --- the real editions ----------------------------------------------------------------------------


def test_real_june_2019_edition_west_midlands() -> None:
    frame = read_ons_pfa_workbook(REAL_JUNE_2019)
    assert set(frame.edition_period_end) == {date(2019, 6, 30)}
    published = {
        "Homicide": 53,
        "Robbery": 8_945,
        "Burglary": 28_675,
        "Total recorded crime (excluding fraud)": 262_558,
    }
    for measure, number in published.items():
        row = cell(frame, "P1", WEST_MIDLANDS, measure)
        assert row.value == number, measure
        assert pd.isna(row.marker) and row.area_name == "West Midlands" and row.area_type == "force"
    assert cell(frame, "P1", "K04000001", "Total recorded crime (excluding fraud)").value == 5_279_956
    # West Midlands' homicide % change is published as '-' (fewer than 50 offences either year).
    homicide_change = cell(frame, "P2", WEST_MIDLANDS, "Homicide")
    assert homicide_change.marker == "-" and math.isnan(homicide_change.value)
    assert not (frame.value.notna() & frame.marker.notna()).any()


def test_real_march_2019_edition_sheets_with_trailing_spaces() -> None:
    frame = read_ons_pfa_workbook(REAL_MARCH_2019)
    assert set(frame.edition_period_end) == {date(2019, 3, 31)}
    # 'Table P1 ' and 'Table P3 ' carry a trailing space in this edition.
    assert {"P1", "P3"} <= set(frame.table_id)
    assert cell(frame, "P1", "K04000001", "Total recorded crime (excluding fraud)").value == 5_257_081
    assert cell(frame, "P1", "K04000001", "Homicide").value == 701


def _saved_as_xls(source: Path, target: Path) -> Path:
    """The workbook as Excel 97-2003 would save it (BIFF .xls, the format of ONS's earlier editions):
    every cell's value copied as it is, numbers as numbers, text as text."""
    import xlwt

    book = xlwt.Workbook()
    for sheet in openpyxl.load_workbook(source, read_only=True, data_only=True).worksheets:
        out = book.add_sheet(sheet.title[:31], cell_overwrite_ok=True)
        for r, row in enumerate(sheet.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    out.write(r, c, value)
    book.save(str(target))
    return target


def test_an_edition_shipped_as_xls_reads_as_the_same_edition_as_xlsx(tmp_path: Path) -> None:
    xls = _saved_as_xls(REAL_JUNE_2019, tmp_path / "policeforceareatablesyearendingjune2019.xls")
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a BIFF file, not a renamed xlsx
    frame = read_ons_pfa_workbook(xls)
    assert set(frame.edition_period_end) == {date(2019, 6, 30)}
    # the figures the year ending June 2019 edition publishes for West Midlands (Table P1)
    assert cell(frame, "P1", WEST_MIDLANDS, "Homicide").value == 53
    assert cell(frame, "P1", WEST_MIDLANDS, "Robbery").value == 8_945
    assert cell(frame, "P1", "K04000001", "Total recorded crime (excluding fraud)").value == 5_279_956
    assert cell(frame, "P2", WEST_MIDLANDS, "Homicide").marker == "-"
    # and cell for cell what the .xlsx gives
    same = read_ons_pfa_workbook(REAL_JUNE_2019)
    key = ["table_id", "area_code", "area_name", "measure"]
    pd.testing.assert_frame_equal(frame.sort_values(key).reset_index(drop=True),
                                  same.sort_values(key).reset_index(drop=True))
