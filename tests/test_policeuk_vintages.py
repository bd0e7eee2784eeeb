"""data.police.uk stop-and-search and street files of every vintage since 2014.

The 2014-16 files use the 2001 Census 16+1 self-defined ethnicity labels with their codes, the old
outcome wording and lack the two outcome-detail columns; later files use the 2011 Census 18+1
labels. Every expected value below is typed by hand from the published category, never computed
with the parser's own mappings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from assets.lib.errors import RejectedFile
from assets.lib.validation import validate
from assets.policeuk.parser import ethnic_group, parse_stop_and_search, parse_street_crime

REPO = Path(__file__).resolve().parents[1]
REAL_STOP_SEARCH = REPO / "sample_data" / "real" / "policeuk" / "2018-08-west-midlands-stop-and-search.csv"
MET = "E23000001"

FULL_HEADER = [
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
    "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
    "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing",
]  # fmt: skip
# 2014-16: no "Outcome linked to object of search", no "Removal of more than just outer clothing".
OLD_HEADER = FULL_HEADER[:13]
PACE = "Police and Criminal Evidence Act 1984 (section 1)"
MDA = "Misuse of Drugs Act 1971 (section 23)"
S60 = "Criminal Justice and Public Order Act 1994 (section 60)"


def csv_field(value: str) -> str:
    return f'"{value}"' if "," in value else value


def write_stop_file(folder: Path, month: str, force: str, header: list[str], rows: list[dict[str, str]]) -> Path:
    """A file in the landing layout: policeuk/<YYYY-MM>/<YYYY-MM>-<force>-stop-and-search.csv."""
    path = folder / "policeuk" / month / f"{month}-{force}-stop-and-search.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header)] + [",".join(csv_field(row.get(name, "")) for name in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def search(date: str, self_defined: str, officer: str, outcome: str, **other: str) -> dict[str, str]:
    row = {
        "Type": "Person search", "Date": date, "Latitude": "51.5", "Longitude": "-0.1", "Gender": "Male",
        "Age range": "18-24", "Self-defined ethnicity": self_defined, "Officer-defined ethnicity": officer,
        "Legislation": MDA, "Object of search": "Controlled drugs", "Outcome": outcome,
    }  # fmt: skip
    row.update(other)
    return row


# --------------------------------------------------------------------------------------------
# 2014-2016 vintage: 2001 Census labels with codes, old outcome wording, two columns absent

OLD_ROWS = [
    # row 2: the row that used to reject the Metropolitan Police's June 2016 file
    search("2016-06-01T09:00:00+00:00", "Black or Black British - African (B2)", "Black", "Suspect arrested"),
    search("2016-06-02T10:00:00+00:00", "White - White British (W1)", "White", "Nothing found - no further action"),
    # Chinese is Asian, as in the 2011 and 2021 Census, although the 2001 list puts it under "Chinese or other"
    search("2016-06-03T11:00:00+00:00", "Chinese or other ethnic group - Chinese (O1)", "Asian",
           "Offender given drugs possession warning"),
    search("2016-06-04T12:00:00+00:00", "Chinese or other ethnic group - Any other ethnic group (O9)", "Other", ""),
    search("2016-06-05T13:00:00+00:00", "Not Stated (NS)", "Black", "Local resolution"),
    search("2016-06-06T14:00:00+00:00", "Mixed - White and Black Caribbean (M1)", "Black",
           "Offender given penalty notice", Legislation=S60, **{"Object of search": "Offensive weapons"}),
    search("2016-06-07T15:00:00+00:00", "Asian or Asian British - Pakistani (A2)", "Asian",
           "Article found - Detailed outcome unavailable"),
    search("2016-06-08T16:00:00+00:00", "White - Any other White background (W9)", "", "Suspect summonsed to court"),
    # Older files may leave officer-defined ethnicity blank: self-defined decides
    search("2016-06-09T17:00:00+00:00", "Black or Black British - Caribbean (B1)", "", "Offender cautioned"),
    search("2016-06-10T18:00:00+00:00", "Mixed - Any other Mixed background (M9)", "White",
           "Suspected psychoactive substances seized - No further action"),
    search("2016-06-11T19:00:00+00:00", "Asian or Asian British - Any other Asian background (A9)", "Asian",
           "A no further action disposal"),
    # Vehicle only: every person field empty
    search("2016-06-12T20:00:00+00:00", "", "", "Nothing found - no further action", Type="Vehicle search",
           Gender="", **{"Age range": ""}),
    # 23:30 UTC on 30 June is 00:30 BST on 1 July
    search("2016-06-30T23:30:00+00:00", "White - White Irish (W2)", "White", "Suspect arrested"),
]  # fmt: skip


def test_2014_2016_vintage_with_2001_labels_and_old_outcomes(tmp_path: Path) -> None:
    path = write_stop_file(tmp_path, "2016-06", "metropolitan", OLD_HEADER, OLD_ROWS)
    frame = parse_stop_and_search(path)

    assert len(frame) == 13
    assert frame["ethnic_group"].tolist() == [
        "Black", "White", "Asian", "Other", "Not stated", "Mixed", "Asian", "White", "Black", "Mixed", "Asian",
        "Not stated", "White",
    ]  # fmt: skip
    assert frame["is_positive_outcome"].tolist() == [
        True, False, True, pd.NA, True, True, True, True, True, True, False, False, True,
    ]  # fmt: skip
    assert frame["outcome_recorded"].tolist() == [True, True, True, False] + [True] * 9
    assert frame["outcome"].iloc[0] == "Suspect arrested" and pd.isna(frame["outcome"].iloc[3])
    assert frame["self_defined_ethnicity"].iloc[0] == "Black or Black British - African (B2)"

    # The absent columns are unknown (null) in every row, never False.
    for column in ("outcome_linked_to_object_of_search", "removal_of_more_than_just_outer_clothing"):
        assert str(frame[column].dtype) == "boolean"
        assert frame[column].isna().all(), column
    assert frame["part_of_a_policing_operation"].isna().all()  # present but empty

    assert frame["is_section_60"].tolist() == [False] * 5 + [True] + [False] * 7
    assert frame["month"].tolist() == [dt.date(2016, 6, 1)] * 12 + [dt.date(2016, 7, 1)]
    assert set(frame["force_code"]) == {MET} and set(frame["file_month"]) == {dt.date(2016, 6, 1)}
    assert frame["source_row"].tolist() == list(range(2, 15))

    assert frame.attrs["warnings"] == {
        "column 'Outcome linked to object of search' is not in this file (an older layout): "
        "outcome_linked_to_object_of_search is null (unknown) in every row": 13,
        "column 'Removal of more than just outer clothing' is not in this file (an older layout): "
        "removal_of_more_than_just_outer_clothing is null (unknown) in every row": 13,
    }


def test_every_2001_label_and_code_has_its_group() -> None:
    by_hand = {
        "White - White British (W1)": "White",
        "White - White Irish (W2)": "White",
        "White - Any other White background (W9)": "White",
        "Mixed - White and Black Caribbean (M1)": "Mixed",
        "Mixed - White and Black African (M2)": "Mixed",
        "Mixed - White and Asian (M3)": "Mixed",
        "Mixed - Any other Mixed background (M9)": "Mixed",
        "Asian or Asian British - Indian (A1)": "Asian",
        "Asian or Asian British - Pakistani (A2)": "Asian",
        "Asian or Asian British - Bangladeshi (A3)": "Asian",
        "Asian or Asian British - Any other Asian background (A9)": "Asian",
        "Black or Black British - Caribbean (B1)": "Black",
        "Black or Black British - African (B2)": "Black",
        "Black or Black British - Any other Black background (B9)": "Black",
        "Chinese or other ethnic group - Chinese (O1)": "Asian",
        "Chinese or other ethnic group - Any other ethnic group (O9)": "Other",
        "Not Stated (NS)": "Not stated",
    }
    assert {label: ethnic_group(label, None) for label in by_hand} == by_hand
    # Case, spacing and a missing code do not change the category ...
    assert ethnic_group("black or black british  -  african", "") == "Black"
    assert ethnic_group("  WHITE - WHITE BRITISH ( W1 )", "") == "White"
    assert ethnic_group("Not stated", "White") == "Not stated"
    # ... and the code is the second key when the wording drifted.
    assert ethnic_group("Black/Black British: African (B2)", "") == "Black"
    assert ethnic_group("Chinese (O1)", "") == "Asian"
    assert ethnic_group("Something else (Z7)", "White") == "Unknown"


# --------------------------------------------------------------------------------------------
# 2019+ vintage: 2011 Census 18+1 labels, every column

NEW_LABELS = [
    ("White - English/Welsh/Scottish/Northern Irish/British", "White"),
    ("White - Irish", "White"),
    ("White - Gypsy or Irish Traveller", "White"),
    ("White - Any other White background", "White"),
    ("Mixed/Multiple ethnic groups - White and Black Caribbean", "Mixed"),
    ("Mixed/Multiple ethnic groups - White and Black African", "Mixed"),
    ("Mixed/Multiple ethnic groups - White and Asian", "Mixed"),
    ("Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", "Mixed"),
    ("Asian/Asian British - Indian", "Asian"),
    ("Asian/Asian British - Pakistani", "Asian"),
    ("Asian/Asian British - Bangladeshi", "Asian"),
    ("Asian/Asian British - Chinese", "Asian"),
    ("Asian/Asian British - Any other Asian background", "Asian"),
    ("Black/African/Caribbean/Black British - African", "Black"),
    ("Black/African/Caribbean/Black British - Caribbean", "Black"),
    ("Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", "Black"),
    ("Other ethnic group - Arab", "Other"),
    ("Other ethnic group - Any other ethnic group", "Other"),
    ("Other ethnic group - Not stated", "Not stated"),
]
NEW_OUTCOMES = [
    ("Arrest", True),
    ("A no further action disposal", False),
    ("Community resolution", True),
    ("Khat or Cannabis warning", True),
    ("Penalty Notice for Disorder", True),
    ("Summons / charged by post", True),
    ("Caution (simple or conditional)", True),
]


def test_2019_vintage_with_2011_labels(tmp_path: Path) -> None:
    rows = []
    for number, (label, _) in enumerate(NEW_LABELS):
        outcome = NEW_OUTCOMES[number % len(NEW_OUTCOMES)][0]
        linked = ("True", "False", "")[number % 3]
        rows.append(search(f"2019-07-{number + 1:02d}T12:00:00+00:00", label, "Other", outcome,
                           **{"Outcome linked to object of search": linked,
                              "Removal of more than just outer clothing": "False",
                              "Part of a policing operation": "False"}))  # fmt: skip
    # Self-defined empty: the officer's record decides.
    rows.append(search("2019-07-25T12:00:00+00:00", "", "Mixed", ""))
    path = write_stop_file(tmp_path, "2019-07", "kent", FULL_HEADER, rows)
    frame = parse_stop_and_search(path)

    assert frame["ethnic_group"].tolist() == [group for _, group in NEW_LABELS] + ["Mixed"]
    expected_positive = [NEW_OUTCOMES[n % len(NEW_OUTCOMES)][1] for n in range(len(NEW_LABELS))] + [pd.NA]
    assert frame["is_positive_outcome"].tolist() == expected_positive
    assert frame["outcome_linked_to_object_of_search"].tolist()[:4] == [True, False, pd.NA, True]
    assert frame["removal_of_more_than_just_outer_clothing"].iloc[:19].eq(False).all()
    assert frame["removal_of_more_than_just_outer_clothing"].isna().tolist()[-1]
    assert set(frame["force_code"]) == {"E23000032"}
    assert frame.attrs["warnings"] == {}


def test_policing_operation_columns_may_be_absent(tmp_path: Path) -> None:
    header = [c for c in FULL_HEADER if c not in ("Part of a policing operation", "Policing operation")]
    rows = [search("2015-03-02T12:00:00+00:00", "White - White British (W1)", "White", "Suspect arrested",
                   **{"Outcome linked to object of search": "True",
                      "Removal of more than just outer clothing": "False"})]  # fmt: skip
    frame = parse_stop_and_search(write_stop_file(tmp_path, "2015-03", "kent", header, rows))
    assert frame["part_of_a_policing_operation"].isna().all()
    assert frame["policing_operation"].isna().all()
    assert frame["outcome_linked_to_object_of_search"].tolist() == [True]
    assert sorted(frame.attrs["warnings"].values()) == [1, 1]
    assert all("Policing operation" in m or "Part of a policing operation" in m for m in frame.attrs["warnings"])


# --------------------------------------------------------------------------------------------
# Unknown labels are warnings: the row loads


def test_unknown_labels_load_as_unknown_with_counted_warnings(tmp_path: Path) -> None:
    rows = [
        search("2019-07-01T12:00:00+00:00", "Asian - Pakistani", "Asian", "Arrest"),
        search("2019-07-02T12:00:00+00:00", "White - Irish", "White", "Verbal advice"),
        search("2019-07-03T12:00:00+00:00", "Asian - Pakistani", "", "A no further action disposal"),
        search("2019-07-04T12:00:00+00:00", "", "Middle Eastern", "Arrest"),
        search("2019-07-05T12:00:00+00:00", "White - Irish", "White", "Arrest", **{"Object of search": "Knives"}),
        search("2019-07-06T12:00:00+00:00", "White - Irish", "White", "Arrest"),
    ]
    path = write_stop_file(tmp_path, "2019-07", "kent", FULL_HEADER, rows)
    frame = parse_stop_and_search(path)

    assert frame["ethnic_group"].tolist() == ["Unknown", "White", "Unknown", "Unknown", "White", "White"]
    # The unknown outcome is kept as published, counted as recorded, neither positive nor negative.
    assert frame["outcome"].iloc[1] == "Verbal advice"
    assert frame["outcome_recorded"].tolist() == [True] * 6
    assert frame["is_positive_outcome"].tolist() == [True, pd.NA, False, True, True, True]
    assert frame["object_of_search"].iloc[4] == "Knives"
    assert frame.attrs["warnings"] == {
        "column 'Self-defined ethnicity': unknown self-defined ethnicity 'Asian - Pakistani' (first at row 2): "
        "ethnic_group Unknown": 2,
        "column 'Officer-defined ethnicity': unknown officer-defined ethnicity 'Middle Eastern' (first at row 5): "
        "ethnic_group Unknown where Self-defined ethnicity is empty": 1,
        "column 'Outcome': unknown outcome 'Verbal advice' (first at row 3): kept as text, is_positive_outcome null": 1,
        "column 'Object of search': unknown object of search 'Knives' (first at row 6): kept as published": 1,
    }

    # The Great Expectations suite accepts Unknown; only the warning-level share check notices it.
    rows_for_suite = frame.assign(source_file=path.name)
    outcomes = {o.check_name: o for o in validate(rows_for_suite, "stop_and_search")}
    assert [name for name, o in outcomes.items() if o.critical and not o.success] == []
    assert outcomes["search_ethnic_group_valid"].success
    assert not outcomes["search_ethnic_group_mostly_known"].success
    assert not outcomes["search_ethnic_group_mostly_known"].critical


def test_real_2018_file_has_no_warnings() -> None:
    frame = parse_stop_and_search(REAL_STOP_SEARCH)
    assert len(frame) == 1085
    assert frame.attrs["warnings"] == {}
    assert "Unknown" not in set(frame["ethnic_group"])


# --------------------------------------------------------------------------------------------
# Still rejected: a missing required column and broken values, named by file, row and column


@pytest.mark.parametrize(
    "column",
    [
        "Type", "Date", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation",
        "Object of search", "Outcome",
    ],
)  # fmt: skip
def test_missing_required_column_rejects_the_file(tmp_path: Path, column: str) -> None:
    header = [c for c in OLD_HEADER if c != column]
    path = write_stop_file(tmp_path, "2016-06", "metropolitan", header, OLD_ROWS[:2])
    with pytest.raises(RejectedFile) as caught:
        parse_stop_and_search(path)
    error = caught.value
    assert (error.path.name, error.row, error.column) == ("2016-06-metropolitan-stop-and-search.csv", 1, column)
    assert f"missing column {column!r}" in error.rule
    assert str(error).startswith(f"2016-06-metropolitan-stop-and-search.csv: row 1, column '{column}': ")


@pytest.mark.parametrize(
    ("change", "row", "column", "rule"),
    [
        ({"Date": "01/06/2016 09:00"}, 3, "Date", "not an ISO-8601 timestamp"),
        ({"Latitude": "north"}, 3, "Latitude", "not a number"),
        ({"Outcome linked to object of search": "Yes"}, 3, "Outcome linked to object of search",
         "must be True, False or empty"),
        ({"Removal of more than just outer clothing": "N"}, 3, "Removal of more than just outer clothing",
         "must be True, False or empty"),
    ],
)  # fmt: skip
def test_broken_values_still_reject(tmp_path: Path, change: dict[str, str], row: int, column: str, rule: str) -> None:
    good = search("2019-07-01T12:00:00+00:00", "White - Irish", "White", "Arrest")
    path = write_stop_file(tmp_path, "2019-07", "kent", FULL_HEADER, [good, {**good, **change}])
    with pytest.raises(RejectedFile) as caught:
        parse_stop_and_search(path)
    error = caught.value
    assert (error.path.name, error.row, error.column) == (path.name, row, column)
    assert rule in error.rule
    assert str(error).startswith(f"{path.name}: row {row}, column '{column}': ")


# --------------------------------------------------------------------------------------------
# Street files: blank Crime ID (anti-social behaviour) and blank LSOA load as nulls

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
STREET_ROWS = [
    ",2016-06,Metropolitan Police Service,Metropolitan Police Service,0.13,51.54,On or near Park,E01000006,"
    "Barking and Dagenham 016A,Anti-social behaviour,,",
    ",2016-06,Metropolitan Police Service,Metropolitan Police Service,,,No Location,,,Anti-social behaviour,,",
    "1a2b,2016-06,Metropolitan Police Service,Metropolitan Police Service,,,No Location,,,Burglary,"
    "Under investigation,",
    "3c4d,2016-06,Metropolitan Police Service,Metropolitan Police Service,-0.09,51.52,On or near Moor Lane,"
    "E01000001,City of London 001A,Other theft,Investigation complete; no suspect identified,",
]


def test_street_file_with_blank_crime_ids_and_lsoas(tmp_path: Path) -> None:
    path = tmp_path / "policeuk" / "2016-06" / "2016-06-metropolitan-street.csv"
    path.parent.mkdir(parents=True)
    path.write_text(STREET_HEADER + "\n" + "\n".join(STREET_ROWS) + "\n", encoding="utf-8")
    frame = parse_street_crime(path)

    assert len(frame) == 4
    assert frame["crime_id"].isna().tolist() == [True, True, False, False]
    assert frame["crime_id"].iloc[2] == "1a2b"
    assert frame["lsoa_code"].isna().tolist() == [False, True, True, False]
    assert frame["lsoa_name"].isna().tolist() == [False, True, True, False]
    assert frame["is_anti_social_behaviour"].tolist() == [True, True, False, False]
    # The LSOAs' force areas (the City of London LSOA is out of the Met's area) are core.fact_public_crime's:
    # tests/test_sql_public_crime.py.
    assert "lsoa_force_code" not in frame.columns and "is_out_of_area" not in frame.columns
    assert frame["latitude"].isna().tolist() == [False, True, True, False]
    assert set(frame["month"]) == {dt.date(2016, 6, 1)}

    outcomes = validate(frame.assign(source_file=path.name), "street_crime")
    assert [o.message() for o in outcomes if not o.success] == []
