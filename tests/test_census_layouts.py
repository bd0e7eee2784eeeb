"""Census 2021 TS021 as the Nomis bulk download ships it (census2021-ts021-ltla.csv), beside the ONS
custom-dataset layout and the Nomis KS201EW file of 2011.

The files are written here with the csv module from small made-up figures that add up (three
authorities); every expected value is typed by hand. The column labels are Nomis's own (see the
module docstring of assets/ons_population/census.py for where they were confirmed).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from assets.lib.errors import RejectedFile
from assets.ons_population.census import SOURCE_COLUMNS, ethnicity_by_la, read_census_ethnicity

REPO = Path(__file__).resolve().parents[1]
CENSUS_2011 = REPO / "sample_data" / "real" / "ons-census" / "census2011-ks201ew-ethnic-group-by-la.subset30.csv"

TOTAL = "Ethnic group: Total: All usual residents"
ASIAN = "Ethnic group: Asian, Asian British or Asian Welsh"
BLACK = "Ethnic group: Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Ethnic group: Mixed or Multiple ethnic groups"
WHITE = "Ethnic group: White"
OTHER = "Ethnic group: Other ethnic group"
# The 28 columns of census2021-ts021-ltla.csv, in Nomis's order: ids, total, then each group's subtotal
# followed by its categories.
BULK_HEADER = [
    "date", "geography", "geography code", TOTAL,
    ASIAN,
    "Ethnic group: Asian, Asian British or Asian Welsh: Bangladeshi",
    "Ethnic group: Asian, Asian British or Asian Welsh: Chinese",
    "Ethnic group: Asian, Asian British or Asian Welsh: Indian",
    "Ethnic group: Asian, Asian British or Asian Welsh: Pakistani",
    "Ethnic group: Asian, Asian British or Asian Welsh: Other Asian",
    BLACK,
    "Ethnic group: Black, Black British, Black Welsh, Caribbean or African: African",
    "Ethnic group: Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Ethnic group: Black, Black British, Black Welsh, Caribbean or African: Other Black",
    MIXED,
    "Ethnic group: Mixed or Multiple ethnic groups: White and Asian",
    "Ethnic group: Mixed or Multiple ethnic groups: White and Black African",
    "Ethnic group: Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Ethnic group: Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    WHITE,
    "Ethnic group: White: English, Welsh, Scottish, Northern Irish or British",
    "Ethnic group: White: Irish",
    "Ethnic group: White: Gypsy or Irish Traveller",
    "Ethnic group: White: Roma",
    "Ethnic group: White: Other White",
    OTHER,
    "Ethnic group: Other ethnic group: Arab",
    "Ethnic group: Other ethnic group: Any other ethnic group",
]
# One row per authority in BULK_HEADER's order, subtotals and totals added up by hand:
# (code, name, total, Asian, its 5, Black, its 3, Mixed, its 4, White, its 5, Other, its 2)
BULK_ROWS = [
    ["E08000025", "Birmingham", 274, 105, 10, 20, 30, 40, 5, 26, 11, 12, 3, 13, 4, 2, 6, 1,
     118, 100, 7, 1, 1, 9, 12, 8, 4],
    ["E06000023", "Bristol, City of", 71, 10, 1, 2, 3, 4, 0, 3, 1, 2, 0, 2, 1, 0, 1, 0,
     55, 50, 2, 0, 0, 3, 1, 0, 1],
    ["W06000015", "Cardiff", 300, 31, 6, 7, 8, 9, 1, 11, 5, 4, 2, 12, 3, 3, 3, 3,
     235, 200, 10, 2, 3, 20, 11, 6, 5],
]
SUBTOTALS = {TOTAL, ASIAN, BLACK, MIXED, WHITE, OTHER}


def _write_bulk(path: Path, rows: list[list] | None = None, header: list[str] | None = None,
                date: str = "2021") -> Path:
    """A TS021 bulk file as Nomis ships it: no byte-order mark, names quoted where they hold a comma."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or BULK_HEADER)
        for row in BULK_ROWS if rows is None else rows:
            writer.writerow([date, row[1], row[0], *row[2:]])  # rows hold code first; Nomis puts the name first
    return path


def _long_rows() -> list[list]:
    """The same figures in the custom-dataset layout: each authority's 19 categories and Does not apply."""
    categories = [c for c in BULK_HEADER[3:] if c not in SUBTOTALS]
    out = []
    for code, name, *counts in BULK_ROWS:
        by_column = dict(zip(BULK_HEADER[3:], counts, strict=True))
        out.append([code, name, -8, "Does not apply", 0])
        for number, column in enumerate(categories, start=1):
            out.append([code, name, number, column.removeprefix("Ethnic group: "), by_column[column]])
    return out


def _write_long(path: Path) -> Path:
    # as ONS ships it: a byte-order mark and CRLF line ends
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(SOURCE_COLUMNS)
        writer.writerows(_long_rows())
    return path


def _edited(column: str, code: str, value: object) -> list[list]:
    rows = [list(row) for row in BULK_ROWS]
    at = BULK_HEADER.index(column) - 1  # rows hold code, name, counts; the header starts with date
    for row in rows:
        if row[0] == code:
            row[at] = value
    return rows


def assert_rejected(error: pytest.ExceptionInfo[RejectedFile], path: Path, *, rule: str, row: int,
                    column: str | None) -> None:
    """The message names the file, the row and column, and the rule broken."""
    message = str(error.value)
    assert message.startswith(f"{path.name}: "), message
    assert re.search(rule, message), message
    assert (error.value.row, error.value.column) == (row, column), message
    assert f"row {row}" in message
    if column is not None:
        assert f"column '{column}'" in message


# --- reading ---------------------------------------------------------------------------------------------


def test_ts021_bulk_file_parses_to_typed_rows(tmp_path: Path) -> None:
    # named like a 2011 file on purpose: the layout and the census are the header's and the date's, not the name's
    frame = read_census_ethnicity(_write_bulk(tmp_path / "census2011-ks201ew-ethnic-group.csv"))
    assert list(frame.columns) == ["la_code", "la_name", "ethnic_group_20", "ethnic_group", "persons", "census_year"]
    assert len(frame) == 3 * 19  # categories only: no subtotal, no total, no Does not apply
    assert frame.persons.dtype == "int64" and frame.census_year.dtype == "int64"
    assert set(frame.census_year) == {2021}
    assert frame.la_code.tolist() == ["E06000023"] * 19 + ["E08000025"] * 19 + ["W06000015"] * 19
    assert set(frame[frame.la_code == "E06000023"].la_name) == {"Bristol, City of"}

    cardiff = frame[frame.la_code == "W06000015"]
    assert dict(zip(cardiff.ethnic_group_20, zip(cardiff.ethnic_group, cardiff.persons, strict=True),
                    strict=True)) == {
        "Asian, Asian British or Asian Welsh: Bangladeshi": ("Asian", 6),
        "Asian, Asian British or Asian Welsh: Chinese": ("Asian", 7),
        "Asian, Asian British or Asian Welsh: Indian": ("Asian", 8),
        "Asian, Asian British or Asian Welsh: Pakistani": ("Asian", 9),
        "Asian, Asian British or Asian Welsh: Other Asian": ("Asian", 1),
        "Black, Black British, Black Welsh, Caribbean or African: African": ("Black", 5),
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean": ("Black", 4),
        "Black, Black British, Black Welsh, Caribbean or African: Other Black": ("Black", 2),
        "Mixed or Multiple ethnic groups: White and Asian": ("Mixed", 3),
        "Mixed or Multiple ethnic groups: White and Black African": ("Mixed", 3),
        "Mixed or Multiple ethnic groups: White and Black Caribbean": ("Mixed", 3),
        "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups": ("Mixed", 3),
        "White: English, Welsh, Scottish, Northern Irish or British": ("White", 200),
        "White: Irish": ("White", 10),
        "White: Gypsy or Irish Traveller": ("White", 2),
        "White: Roma": ("White", 3),
        "White: Other White": ("White", 20),
        "Other ethnic group: Arab": ("Other", 6),
        "Other ethnic group: Any other ethnic group": ("Other", 5),
    }
    assert cardiff.iloc[0].tolist() == ["W06000015", "Cardiff", "Asian, Asian British or Asian Welsh: Bangladeshi",
                                        "Asian", 6, 2021]

    totals = ethnicity_by_la(frame).set_index(["la_code", "ethnic_group"]).persons
    assert totals["E08000025"].to_dict() == {"Asian": 105, "Black": 26, "Mixed": 13, "Other": 12, "White": 118}
    assert totals["E06000023"].to_dict() == {"Asian": 10, "Black": 3, "Mixed": 2, "Other": 1, "White": 55}
    assert totals["W06000015"].to_dict() == {"Asian": 31, "Black": 11, "Mixed": 12, "Other": 11, "White": 235}
    assert frame.groupby("la_code").persons.sum().to_dict() == {"E06000023": 71, "E08000025": 274,
                                                                "W06000015": 300}


def test_ts021_bulk_and_custom_dataset_give_identical_rows(tmp_path: Path) -> None:
    bulk = read_census_ethnicity(_write_bulk(tmp_path / "census2021-ts021-ltla.csv"))
    long = read_census_ethnicity(_write_long(tmp_path / "census2021-ethnic-group-by-la.csv"))
    assert len(long) == len(bulk) == 57
    # the custom dataset is read in file order, the bulk file in code and category order: the rows are the same
    long = long.sort_values(["la_code", "ethnic_group_20"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(bulk, long)


def test_ks201ew_still_read_by_the_same_reader() -> None:
    frame = read_census_ethnicity(CENSUS_2011)
    assert set(frame.census_year) == {2011} and len(frame) == 30 * 18
    # Birmingham's published subtotals, as the 2011 tests read them
    birmingham = frame[frame.la_code == "E08000025"].groupby("ethnic_group").persons.sum().to_dict()
    assert birmingham == {"White": 621_636, "Mixed": 47_605, "Asian": 285_640, "Black": 96_360, "Other": 21_804}


# --- rejections -------------------------------------------------------------------------------------------


def test_ts021_bulk_rejects_a_subtotal_that_does_not_add_up(tmp_path: Path) -> None:
    # Bristol (line 3): Black subtotal 3 -> 4, one more than African 1 + Caribbean 2 + Other Black 0
    path = _write_bulk(tmp_path / "ts021-black.csv", rows=_edited(BLACK, "E06000023", 4))
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"the Black categories do not add up to the published Black subtotal",
                    row=3, column=BLACK)
    # Cardiff (line 4): total 300 -> 299, the subtotals still adding up to 300
    path = _write_bulk(tmp_path / "ts021-total.csv", rows=_edited(TOTAL, "W06000015", 299))
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"the group subtotals do not add up to the published total", row=4,
                    column=TOTAL)


def test_ts021_bulk_rejects_text_in_a_count(tmp_path: Path) -> None:
    column = "Ethnic group: Asian, Asian British or Asian Welsh: Chinese"
    path = _write_bulk(tmp_path / "ts021-text.csv", rows=_edited(column, "W06000015", "c"))
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"'c' is not a whole number of persons", row=4, column=column)


def test_ts021_bulk_rejects_a_repeated_authority(tmp_path: Path) -> None:
    path = _write_bulk(tmp_path / "ts021-repeat.csv", rows=[*BULK_ROWS, BULK_ROWS[0]])
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"local authority repeated", row=5, column="geography code")


def test_ts021_bulk_rejects_an_empty_geography_code(tmp_path: Path) -> None:
    rows = [list(row) for row in BULK_ROWS]
    rows[1][0] = ""
    path = _write_bulk(tmp_path / "ts021-empty.csv", rows=rows)
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"geography code is empty", row=3, column="geography code")


def test_a_year_that_does_not_match_the_table_is_rejected(tmp_path: Path) -> None:
    # TS021's header over a 2011 date
    path = _write_bulk(tmp_path / "ts021-2011.csv", date="2011")
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"date '2011' is not a census year of this table: the header is TS021's, "
                    r"Census 2021", row=2, column="date")
    # KS201EW's header over a 2021 date (Birmingham, line 19 of the real file)
    lines = CENSUS_2011.read_text(encoding="utf-8").splitlines()
    assert lines[18].startswith('"2011","Birmingham"')
    lines[18] = lines[18].replace('"2011"', '"2021"', 1)
    path = tmp_path / "ks201ew-2021.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"date '2021' is not a census year of this table: the header is KS201EW's, "
                    r"Census 2011", row=19, column="date")


@pytest.mark.parametrize(("codes", "row", "code"), [
    # the -lsoa file: small areas, from its first row
    (["E01000001", "E01000002", "W01000001"], 2, "E01000001"),
    # the -utla file: unitaries pass, the first county (Staffordshire) does not
    (["E06000023", "E10000028", "W06000015"], 3, "E10000028"),
    # the -ctry file
    (["E92000001", "W92000004", "W06000015"], 2, "E92000001"),
])
def test_ts021_bulk_rejects_areas_other_than_local_authority_districts(tmp_path: Path, codes: list[str], row: int,
                                                                       code: str) -> None:
    rows = [[area, *r[1:]] for area, r in zip(codes, BULK_ROWS, strict=True)]
    path = _write_bulk(tmp_path / "census2021-ts021-lsoa.csv", rows=rows)
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=rf"geography code '{code}' is not a local authority district code \(E06, E07, "
                    r"E08, E09 or W06\): deliver the lower-tier local authority file .*census2021-ts021-ltla\.csv",
                    row=row, column="geography code")


def test_ts021_bulk_rejects_a_missing_category_column(tmp_path: Path) -> None:
    # Roma dropped from the header and from every row: the White subtotal would still add up wherever Roma is 0,
    # so the header itself is checked
    roma = BULK_HEADER.index("Ethnic group: White: Roma")
    header = BULK_HEADER[:roma] + BULK_HEADER[roma + 1:]
    rows = [row[:roma - 1] + row[roma:] for row in BULK_ROWS]
    path = _write_bulk(tmp_path / "ts021-no-roma.csv", rows=rows, header=header)
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"Census 2021 \(Nomis TS021\) column\(s\) missing from the header: "
                    r"Ethnic group: White: Roma$", row=1, column="Ethnic group: White: Roma")


def test_ts021_bulk_rejects_a_missing_id_column_and_an_unpublished_column(tmp_path: Path) -> None:
    # without "date" the file is still told as TS021 by its measure columns, and the missing column named
    path = tmp_path / "ts021-no-date.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(BULK_HEADER[1:])
        writer.writerows([[row[1], row[0], *row[2:]] for row in BULK_ROWS])
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"Census 2021 \(Nomis TS021\) column\(s\) missing from the header: date",
                    row=1, column="date")
    # a column TS021 does not publish is neither counted nor dropped silently
    extra = "Ethnic group: White: Polish"
    path = _write_bulk(tmp_path / "ts021-extra.csv", header=[*BULK_HEADER, extra],
                       rows=[[*row, 0] for row in BULK_ROWS])
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"'White: Polish' is not a published category of TS021", row=1, column=extra)
    extra = "Ethnic group: Prefer not to say: Not stated"
    path = _write_bulk(tmp_path / "ts021-heading.csv", header=[*BULK_HEADER, extra],
                       rows=[[*row, 0] for row in BULK_ROWS])
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"'Prefer not to say: Not stated' is not under a known Census 2021 heading",
                    row=1, column=extra)
