"""Parsers for the data.police.uk archive files: stop and search, and street-level crime.

Both are public formats, parsed as data.police.uk ships them (see the landing contract in
SOURCES.md and the real copies under ``shared/data/real/policeuk``):

- ``policeuk/<YYYY-MM>/<YYYY-MM>-<force>-stop-and-search.csv``
- ``policeuk/<YYYY-MM>/<YYYY-MM>-<force>-street.csv``

A file name may carry a tag before ``.csv`` (``2018-08-warwickshire-street.subset20.csv``) so
that extracts of real files can be parsed as they are kept; the month and force slug still come
from the name.

``source_row`` is the CSV record number with the header as row 1, which is the row a person sees
when the file is opened in a spreadsheet, so it is the row named in a rejection.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from assets.lib.errors import RejectedFile
from assets.lib.reference_data import forces

LONDON_TZ = "Europe/London"

# Month columns are real dates (DuckDB reads this dtype as DATE), not midnight timestamps.
DATE_DTYPE = pd.ArrowDtype(pa.date32())

STOP_AND_SEARCH_COLUMNS: tuple[str, ...] = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)

# Columns that some vintages do not have: the two outcome-detail columns came in after the 2014-16
# files, the policing-operation pair is missing from some forces' files, and a location is not
# something any measure depends on. An absent optional column lands as null (unknown) in every row,
# never as False: "not published" is not "no". Every other column is in every vintage, so its
# absence means the file is not a stop-and-search file (or a column was renamed) and is rejected.
STOP_AND_SEARCH_OPTIONAL_COLUMNS: frozenset[str] = frozenset(
    {
        "Part of a policing operation",
        "Policing operation",
        "Latitude",
        "Longitude",
        "Outcome linked to object of search",
        "Removal of more than just outer clothing",
    }
)
STOP_AND_SEARCH_REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    name for name in STOP_AND_SEARCH_COLUMNS if name not in STOP_AND_SEARCH_OPTIONAL_COLUMNS
)

STREET_COLUMNS: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)

CRIME_TYPES: frozenset[str] = frozenset(
    {
        "Anti-social behaviour",
        "Bicycle theft",
        "Burglary",
        "Criminal damage and arson",
        "Drugs",
        "Other crime",
        "Other theft",
        "Possession of weapons",
        "Public order",
        "Robbery",
        "Shoplifting",
        "Theft from the person",
        "Vehicle crime",
        "Violence and sexual offences",
    }
)

SEARCH_TYPES: frozenset[str] = frozenset({"Person search", "Person and Vehicle search", "Vehicle search"})

SECTION_60 = "Criminal Justice and Public Order Act 1994 (section 60)"

ETHNIC_GROUPS: tuple[str, ...] = ("White", "Black", "Asian", "Mixed", "Other", "Not stated")
# A label outside the published lists: the row loads, counted in no group of the ratio, and the
# file carries a warning naming the label, so one new spelling never holds back a whole month.
UNKNOWN_ETHNIC_GROUP = "Unknown"


# A trailing ethnicity code in brackets, as the 2001-list labels carry it: "(W1)", "(NS)".
_CODE_RE = re.compile(r"\s*\(\s*([a-z]{1,2}\d?)\s*\)$", re.IGNORECASE)


# Called for every row of every file (a few hundred thousand times a run) over a few dozen distinct
# labels: each label is normalised once.
@cache
def normalise_label(text: str | None) -> str:
    """The comparison key of a published label: case-folded, runs of whitespace as one space,
    spaces around "/" and "-" made uniform and a trailing bracketed code ("(B2)") dropped.

    Matching on this key rather than the exact text means a difference of capitals or spacing
    between forces' files, or the code the 2001-list labels append, never turns a published
    category into an unknown one."""
    key = re.sub(r"\s+", " ", (text or "").casefold()).strip()
    key = _CODE_RE.sub("", key)
    key = re.sub(r"\s*/\s*", "/", key)
    return re.sub(r"\s+-\s+|\s+-|-\s+", " - ", key)


def _bracketed_code(text: str) -> str | None:
    match = _CODE_RE.search(text.strip())
    return match[1].upper() if match else None


def _keys(labels: Mapping[str, str]) -> dict[str, str]:
    return {normalise_label(label): value for label, value in labels.items()}


# Self-defined ethnicity, both vintages, mapped to the groups of the search ratios.
#
# Older files (the 2014-16 vintage): the 2001 Census 16+1 list, "<group> - <detail> (<code>)". In that list
# Chinese sits under "Chinese or other ethnic group"; it is mapped to Asian, because the 2011 and
# 2021 Census put Chinese under Asian, and the population each ratio divides by is a 2021 Census
# count: mapping O1 to Other would move Chinese people between groups when the list changed and
# compare them with the wrong population.
_SELF_DEFINED_2001: dict[str, str] = {
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
# Newer files: the 2011 Census 18+1 list, without codes. "Other ethnic group - Not stated" means the
# person declined to say, not "Other".
_SELF_DEFINED_2011: dict[str, str] = {
    "White - English/Welsh/Scottish/Northern Irish/British": "White",
    "White - Irish": "White",
    "White - Gypsy or Irish Traveller": "White",
    "White - Any other White background": "White",
    "Mixed/Multiple ethnic groups - White and Black Caribbean": "Mixed",
    "Mixed/Multiple ethnic groups - White and Black African": "Mixed",
    "Mixed/Multiple ethnic groups - White and Asian": "Mixed",
    "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background": "Mixed",
    "Asian/Asian British - Indian": "Asian",
    "Asian/Asian British - Pakistani": "Asian",
    "Asian/Asian British - Bangladeshi": "Asian",
    "Asian/Asian British - Chinese": "Asian",
    "Asian/Asian British - Any other Asian background": "Asian",
    "Black/African/Caribbean/Black British - African": "Black",
    "Black/African/Caribbean/Black British - Caribbean": "Black",
    "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background": "Black",
    "Other ethnic group - Arab": "Other",
    "Other ethnic group - Any other ethnic group": "Other",
    "Other ethnic group - Not stated": "Not stated",
}
_SELF_DEFINED_BY_LABEL: dict[str, str] = _keys(_SELF_DEFINED_2001) | _keys(_SELF_DEFINED_2011)
# The 2001 codes are the second key: a label whose wording drifted but whose code is one of the
# published ones still has a group, and the code is what forces' own systems record.
_SELF_DEFINED_BY_CODE: dict[str, str] = {
    code: group for label, group in _SELF_DEFINED_2001.items() if (code := _bracketed_code(label))
}
_OFFICER_DEFINED_BY_LABEL: dict[str, str] = _keys({group: group for group in ETHNIC_GROUPS if group != "Not stated"})

# The outcomes that mean nothing came of the search. The wording changed over the years:
# "Nothing found - no further action" (2014-16 files), "A no further action disposal" (later), and
# "No further action" kept from earlier versions of this parser. Every other published outcome is
# positive, including "Article found - Detailed outcome unavailable" and "Suspected psychoactive
# substances seized - No further action": in both an article was found (and, for the latter,
# seized under the Psychoactive Substances Act 2016); "no further action" there is about the
# person, not the search, so the search did find what it was for. data.police.uk publishes the
# outcome names but no positive/negative split (none was found in its documentation), so this is
# our reading: a search is negative only when its outcome says nothing was found or done.
NO_FURTHER_ACTION_OUTCOMES: frozenset[str] = frozenset(
    {"Nothing found - no further action", "A no further action disposal", "No further action"}
)
# Every outcome of every vintage, so that a new one is noticed (a warning) instead of being counted
# as positive unseen.
KNOWN_OUTCOMES: frozenset[str] = NO_FURTHER_ACTION_OUTCOMES | {
    "Suspect arrested",
    "Arrest",
    "Offender given drugs possession warning",
    "Khat or Cannabis warning",
    "Local resolution",
    "Community resolution",
    "Offender given penalty notice",
    "Penalty Notice for Disorder",
    "Suspect summonsed to court",
    "Summons / charged by post",
    "Offender cautioned",
    "Caution (simple or conditional)",
    "Article found - Detailed outcome unavailable",
    "Suspected psychoactive substances seized - No further action",
}
_NO_FURTHER_ACTION_KEYS = frozenset(normalise_label(o) for o in NO_FURTHER_ACTION_OUTCOMES)
_OUTCOME_KEYS = frozenset(normalise_label(o) for o in KNOWN_OUTCOMES)

# The other closed lists data.police.uk has published, for the warnings only: a value outside them
# is kept as published (nothing is derived from it except section 60 and the find-rate objects,
# which are named exactly), but is reported so that a new category is looked at.
KNOWN_OBJECTS_OF_SEARCH: frozenset[str] = frozenset(
    {
        "Anything to threaten or harm anyone",
        "Article for use in theft",
        "Articles for use in criminal damage",
        "Controlled drugs",
        "Crossbows",
        "Detailed object of search unavailable",
        "Evidence of hunting any wild mammal with a dog",
        "Evidence of offences under the Act",
        "Evidence of wildlife offences",
        "Firearms",
        "Fireworks",
        "Game or poaching equipment",
        "Goods on which duty has not been paid etc.",
        "Offensive weapons",
        "Psychoactive substances",
        "Seals or hunting equipment",
        "Stolen goods",
    }
)
KNOWN_LEGISLATION: frozenset[str] = frozenset(
    {
        "Aviation Security Act 1982 (section 27(1))",
        "Conservation of Seals Act 1970 (section 4)",
        "Criminal Justice Act 1988 (section 139B)",
        SECTION_60,
        "Crossbows Act 1987 (section 4)",
        "Customs and Excise Management Act 1979 (section 163)",
        "Deer Act 1991 (section 12)",
        "Environmental Protection Act 1990 (section 34B )",
        "Firearms Act 1968 (section 47)",
        "Hunting Act 2004 (section 8)",
        "Misuse of Drugs Act 1971 (section 23)",
        "Poaching Prevention Act 1862 (section 2)",
        "Police and Criminal Evidence Act 1984 (section 1)",
        "Police and Criminal Evidence Act 1984 (section 6)",
        "Protection of Badgers Act 1992 (section 11)",
        "Psychoactive Substances Act 2016 (s36(2))",
        "Psychoactive Substances Act 2016 (s37(2))",
        "Public Stores Act 1875 (section 6)",
        "Sporting Events Act 1985 (section 7)",
        "Wildlife and Countryside Act 1981 (section 19)",
    }
)
KNOWN_GENDERS: frozenset[str] = frozenset({"Male", "Female", "Other"})
KNOWN_AGE_RANGES: frozenset[str] = frozenset({"under 10", "10-17", "18-24", "25-34", "over 34"})

_BOOL_TEXT = {"True": True, "False": False}

_NAME_RE = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<kind>stop-and-search|street)"
    r"(?:\.[A-Za-z0-9_-]+)?\.csv$"
)


@cache
def self_defined_group(self_defined: str | None) -> str | None:
    """The group of a self-defined ethnicity label of either Census list, None when the label is
    in neither (by normalised label first, then by its bracketed 2001 code)."""
    text = (self_defined or "").strip()
    group = _SELF_DEFINED_BY_LABEL.get(normalise_label(text))
    if group is None and (code := _bracketed_code(text)):
        group = _SELF_DEFINED_BY_CODE.get(code)
    return group


@cache
def ethnic_group(self_defined: str | None, officer_defined: str | None) -> str:
    """The search-ratio ethnic group of one search: White, Black, Asian, Mixed, Other, Not stated
    or Unknown.

    Self-defined ethnicity wins; officer-defined is the fallback only when self-defined is
    empty (some forces leave officer-defined empty altogether, so it cannot be the primary).
    A person who chose "Not stated" stays Not stated. A label outside the published lists is
    Unknown, never guessed from the other column or from its wording, because guessing would move
    people between groups of the ratio; the parser reports such labels as warnings.
    """
    self_defined = (self_defined or "").strip()
    officer_defined = (officer_defined or "").strip()
    if self_defined:
        return self_defined_group(self_defined) or UNKNOWN_ETHNIC_GROUP
    if officer_defined:
        return _OFFICER_DEFINED_BY_LABEL.get(normalise_label(officer_defined), UNKNOWN_ETHNIC_GROUP)
    return "Not stated"


@cache
def _force_aliases() -> dict[str, str]:
    """Every way a force is named in our sources (PFA code, slug, Home Office and display names)
    mapped to the ONS PFA code; a file name's force slug is read through it."""
    aliases: dict[str, str] = {}
    for row in forces():
        for column in ("force_code", "slug", "force_name", "home_office_force_name", "ons_area_name"):
            if row[column]:
                aliases[row[column]] = row["force_code"]
    return aliases


def parse_file_name(path: Path, kind: str) -> tuple[dt.date, str, str]:
    """(archive month, force slug, force code) of a data.police.uk file, from its name."""
    match = _NAME_RE.match(path.name)
    if not match or match["kind"] != kind:
        raise RejectedFile(path, f"file name must be <YYYY-MM>-<force>-{kind}.csv")
    try:
        file_month = dt.datetime.strptime(match["month"], "%Y-%m").date()
    except ValueError:
        raise RejectedFile(path, f"file name month {match['month']!r} is not a valid YYYY-MM") from None
    # the landing folder keeps each archive month in its own folder: a file in another month's folder is a
    # copy misfiled (two files of one name would both load, counting every row twice)
    folder = path.parent.name
    if re.fullmatch(r"\d{4}-\d{2}", folder) and folder != match["month"]:
        raise RejectedFile(path, f"the file is in folder {folder} but its name is for {match['month']}: each "
                           "data.police.uk file goes in the folder of its month")
    slug = match["slug"]
    force_code = _force_aliases().get(slug)
    if force_code is None:
        raise RejectedFile(path, f"unknown force slug {slug!r} in the file name")
    return file_month, slug, force_code


def _read_csv(path: Path, expected: tuple[str, ...], optional: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Every field as stripped text (empty stays empty), after checking the header row and
    that every record has as many fields as the header.

    A column of ``optional`` that the file does not have is added as empty text, which every
    column reader turns into null; the frame's ``attrs["absent_columns"]`` lists them."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise RejectedFile(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise RejectedFile(path, f"not a readable CSV file ({exc})") from None
    if not records or not any(records[0]):
        raise RejectedFile(path, "file is empty: no header row", row=1)
    header = [name.strip() for name in records[0]]
    absent = [name for name in expected if name not in header]
    missing = [name for name in absent if name not in optional]
    unexpected = [name for name in header if name not in expected]
    if missing:
        hint = f" (found unexpected column {unexpected[0]!r}: renamed?)" if unexpected else ""
        required = " (a required column)" if optional else ""
        raise RejectedFile(path, f"missing column {missing[0]!r}{required}{hint}", row=1, column=missing[0])
    if unexpected:
        raise RejectedFile(path, f"unexpected column {unexpected[0]!r}", row=1, column=unexpected[0])
    if len(header) != len(set(header)):
        dup = next(name for name in header if header.count(name) > 1)
        raise RejectedFile(path, f"column {dup!r} appears twice", row=1, column=dup)
    # A trailing blank line is not a record; any other record must match the header's width.
    body = records[1:]
    while body and not any(body[-1]):
        body.pop()
    for number, record in enumerate(body, start=2):
        if len(record) != len(header):
            raise RejectedFile(path, f"{len(record)} fields where the header has {len(header)}", row=number)
    frame = pd.DataFrame(body, columns=header, dtype="str") if body else pd.DataFrame(columns=header, dtype="str")
    frame = frame.apply(lambda col: col.str.strip())
    for name in absent:
        frame[name] = pd.Series("", index=frame.index, dtype="str")
    frame.attrs["absent_columns"] = absent
    return frame


def _rows(frame: pd.DataFrame, mask: pd.Series) -> list[int]:
    # Record n of the data is spreadsheet row n + 2: one for the header, one for 1-based rows.
    return [int(i) + 2 for i in frame.index[mask]]


def _reject_first(path: Path, frame: pd.DataFrame, mask: pd.Series, column: str, rule: str) -> None:
    if mask.any():
        row = _rows(frame, mask)[0]
        value = frame.loc[row - 2, column]
        raise RejectedFile(path, f"{rule} (found {value!r})", row=row, column=column)


def _nullable_text(series: pd.Series) -> pd.Series:
    return series.mask(series == "").astype("str")


def _coordinates(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(frame[column].mask(frame[column] == ""), errors="coerce")
    _reject_first(path, frame, values.isna() & (frame[column] != ""), column, "not a number")
    return values.astype("Float64")


def _booleans(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    bad = ~frame[column].isin(["True", "False", ""])
    _reject_first(path, frame, bad, column, "must be True, False or empty")
    return frame[column].map(_BOOL_TEXT).astype("boolean")


def _month_start(values: pd.Series) -> pd.Series:
    return values.dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.date.astype(DATE_DTYPE)


def _snake(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def _warn_unknown(
    warnings: dict[str, int], frame: pd.DataFrame, column: str, unknown: pd.Series, what: str, effect: str
) -> None:
    """One warning per unknown value of ``column``: the value, its first row and what became of
    the rows, counted. Warnings, not rejections: the rest of each row is good data."""
    values = frame[column]
    for value in pd.unique(values[unknown]):
        rows = _rows(frame, unknown & (values == value))
        warnings[f"column {column!r}: unknown {what} {value!r} (first at row {rows[0]}): {effect}"] = len(rows)


def _outside(frame: pd.DataFrame, column: str, known: frozenset[str]) -> pd.Series:
    """Non-empty values of ``column`` not in ``known``, compared by normalised label."""
    keys = frozenset(normalise_label(label) for label in known)
    return (frame[column] != "") & ~frame[column].map(normalise_label).isin(keys)


def parse_stop_and_search(path: str | Path) -> pd.DataFrame:
    """Parse one data.police.uk stop-and-search file, of any vintage since 2014.

    Columns: the published columns in snake_case (``type``, ``date`` as published,
    ``part_of_a_policing_operation``, ``policing_operation``, ``latitude``, ``longitude``,
    ``gender``, ``age_range``, ``self_defined_ethnicity``, ``officer_defined_ethnicity``,
    ``legislation``, ``object_of_search``, ``outcome``, ``outcome_linked_to_object_of_search``,
    ``removal_of_more_than_just_outer_clothing``), empty text as null and the three True/False
    columns as nullable booleans, plus:

    - ``searched_at``: the Date as a UTC timestamp;
    - ``month``: first day of the Europe/London month of the search (a search at
      2018-07-31T23:30Z is 00:30 on 1 August, so August). Months are local because the force
      counts its searches in local time; the file's month is kept separately;
    - ``force_slug``, ``force_code`` (ONS PFA code), ``file_month`` from the file name;
    - ``ethnic_group``: White, Black, Asian, Mixed, Other, Not stated or Unknown, see
      ``ethnic_group()``; both the 2001 (16+1, with codes) and 2011 (18+1) Census lists are read;
    - ``is_section_60``: the Legislation is section 60 of the CJPOA 1994;
    - ``outcome_recorded``: an outcome is given;
    - ``is_positive_outcome``: a known outcome other than no further action (every vintage's
      wording, see ``NO_FURTHER_ACTION_OUTCOMES``); null when no outcome is recorded or the
      outcome is not a known one (those searches are left out of the positive-outcome rate);
    - ``source_row``: the row in the file (header = 1).

    Columns of ``STOP_AND_SEARCH_OPTIONAL_COLUMNS`` may be absent (older vintages): they land as
    null, never False. ``frame.attrs["warnings"]`` maps a message naming the column and the value
    (or the absent column) to its row count: an unknown ethnicity (ethnic_group Unknown), outcome
    (kept as text, is_positive_outcome null), object of search, legislation, gender or age range
    (kept as published) loads with a warning.

    Rejects a missing required, renamed or unexpected column (row 1), an empty or unparseable
    Date, a search whose month (UTC or local) is not the file's month, an unknown search Type, a
    non-numeric coordinate and a boolean other than True/False/empty.
    """
    path = Path(path)
    file_month, slug, force_code = parse_file_name(path, "stop-and-search")
    frame = _read_csv(path, STOP_AND_SEARCH_COLUMNS, STOP_AND_SEARCH_OPTIONAL_COLUMNS)
    warnings: dict[str, int] = {}
    for column in frame.attrs["absent_columns"]:
        warnings[
            f"column {column!r} is not in this file (an older layout): {_snake(column)} is null (unknown) in every row"
        ] = len(frame)

    searched_at = pd.to_datetime(frame["Date"], format="ISO8601", utc=True, errors="coerce")
    _reject_first(path, frame, frame["Date"] == "", "Date", "Date is empty")
    _reject_first(path, frame, searched_at.isna(), "Date", "Date is not an ISO-8601 timestamp")
    searched_at = searched_at.astype("datetime64[us, UTC]")
    local_month = _month_start(searched_at.dt.tz_convert(LONDON_TZ))
    utc_month = _month_start(searched_at)
    # data.police.uk files a search under one month; depending on whether that month is taken
    # in UTC or local time a search can sit an hour either side of it, never further.
    outside = (local_month != file_month) & (utc_month != file_month)
    _reject_first(path, frame, outside, "Date", f"search is not in the file's month {file_month:%Y-%m}")

    _reject_first(path, frame, ~frame["Type"].isin(SEARCH_TYPES), "Type", "unknown search type")

    self_defined, officer = frame["Self-defined ethnicity"], frame["Officer-defined ethnicity"]
    groups = [ethnic_group(s, o) for s, o in zip(self_defined, officer, strict=True)]
    unknown_self = (self_defined != "") & self_defined.map(self_defined_group).isna()
    _warn_unknown(
        warnings, frame, "Self-defined ethnicity", unknown_self, "self-defined ethnicity", "ethnic_group Unknown"
    )
    unknown_officer = (officer != "") & ~officer.map(normalise_label).isin(_OFFICER_DEFINED_BY_LABEL)
    _warn_unknown(
        warnings,
        frame,
        "Officer-defined ethnicity",
        unknown_officer,
        "officer-defined ethnicity",
        "ethnic_group Unknown where Self-defined ethnicity is empty",
    )

    outcome_keys = frame["Outcome"].map(normalise_label)
    recorded = frame["Outcome"] != ""
    known_outcome = outcome_keys.isin(_OUTCOME_KEYS)
    _warn_unknown(
        warnings, frame, "Outcome", recorded & ~known_outcome, "outcome", "kept as text, is_positive_outcome null"
    )
    for column, known, what in (
        ("Object of search", KNOWN_OBJECTS_OF_SEARCH, "object of search"),
        ("Legislation", KNOWN_LEGISLATION, "legislation"),
        ("Gender", KNOWN_GENDERS, "gender"),
        ("Age range", KNOWN_AGE_RANGES, "age range"),
    ):
        _warn_unknown(warnings, frame, column, _outside(frame, column, known), what, "kept as published")

    out = pd.DataFrame(
        {
            "type": frame["Type"].astype("str"),
            "date": frame["Date"].astype("str"),
            "part_of_a_policing_operation": _booleans(path, frame, "Part of a policing operation"),
            "policing_operation": _nullable_text(frame["Policing operation"]),
            "latitude": _coordinates(path, frame, "Latitude"),
            "longitude": _coordinates(path, frame, "Longitude"),
            "gender": _nullable_text(frame["Gender"]),
            "age_range": _nullable_text(frame["Age range"]),
            "self_defined_ethnicity": _nullable_text(self_defined),
            "officer_defined_ethnicity": _nullable_text(officer),
            "legislation": _nullable_text(frame["Legislation"]),
            "object_of_search": _nullable_text(frame["Object of search"]),
            "outcome": _nullable_text(frame["Outcome"]),
            "outcome_linked_to_object_of_search": _booleans(path, frame, "Outcome linked to object of search"),
            "removal_of_more_than_just_outer_clothing": _booleans(
                path, frame, "Removal of more than just outer clothing"
            ),
            "searched_at": searched_at,
            "month": local_month,
        }
    )
    out["force_slug"] = pd.Series(slug, index=out.index, dtype="str")
    out["force_code"] = pd.Series(force_code, index=out.index, dtype="str")
    out["file_month"] = pd.Series(file_month, index=out.index, dtype=DATE_DTYPE)
    out["ethnic_group"] = pd.Series(groups, index=out.index, dtype="str")
    out["is_section_60"] = frame["Legislation"].map(normalise_label).eq(normalise_label(SECTION_60)).astype(bool)
    out["outcome_recorded"] = recorded.astype(bool)
    positive = pd.Series(~outcome_keys.isin(_NO_FURTHER_ACTION_KEYS), dtype="boolean")
    out["is_positive_outcome"] = positive.mask(~(recorded & known_outcome))
    out["source_row"] = (out.index + 2).astype("int64")
    out.attrs = {"warnings": warnings}
    return out


def parse_street_crime(path: str | Path) -> pd.DataFrame:
    """Parse one data.police.uk street-level crime file.

    Columns: ``crime_id`` (null for anti-social behaviour, which has no Crime ID), ``month``
    (first day of the published Month), ``reported_by``, ``falls_within``, ``longitude``,
    ``latitude``, ``location``, ``lsoa_code``, ``lsoa_name``, ``crime_type``,
    ``last_outcome_category``, ``context`` (empty text as null), plus ``is_anti_social_behaviour``,
    ``force_slug``, ``force_code``, ``file_month`` from the file name and ``source_row``
    (header = 1).

    Which force's area the LSOA is in, and so whether the crime is one the force recorded outside
    its own area, is not decided here: ``core.fact_public_crime`` takes it from the LSOA's row of
    ``core.dim_geography``, the one place the project answers that question.

    Rejects a missing, renamed or unexpected column (row 1), a Month that is not YYYY-MM or not
    the file's month, and a crime type outside the 14 published ones.
    """
    path = Path(path)
    file_month, slug, force_code = parse_file_name(path, "street")
    frame = _read_csv(path, STREET_COLUMNS)

    month = pd.to_datetime(frame["Month"], format="%Y-%m", errors="coerce")
    _reject_first(path, frame, month.isna(), "Month", "Month is not YYYY-MM")
    month = month.dt.date.astype(DATE_DTYPE)
    wrong_month = month != file_month
    _reject_first(path, frame, wrong_month, "Month", f"Month is not the file's month {file_month:%Y-%m}")
    _reject_first(path, frame, ~frame["Crime type"].isin(CRIME_TYPES), "Crime type", "unknown crime type")

    out = pd.DataFrame(
        {
            "crime_id": _nullable_text(frame["Crime ID"]),
            "month": month,
            "reported_by": _nullable_text(frame["Reported by"]),
            "falls_within": _nullable_text(frame["Falls within"]),
            "longitude": _coordinates(path, frame, "Longitude"),
            "latitude": _coordinates(path, frame, "Latitude"),
            "location": _nullable_text(frame["Location"]),
            "lsoa_code": _nullable_text(frame["LSOA code"]),
            "lsoa_name": _nullable_text(frame["LSOA name"]),
            "crime_type": frame["Crime type"].astype("str"),
            "last_outcome_category": _nullable_text(frame["Last outcome category"]),
            "context": _nullable_text(frame["Context"]),
        }
    )
    out["is_anti_social_behaviour"] = frame["Crime type"].eq("Anti-social behaviour").astype(bool)
    out["force_slug"] = pd.Series(slug, index=out.index, dtype="str")
    out["force_code"] = pd.Series(force_code, index=out.index, dtype="str")
    out["file_month"] = pd.Series(file_month, index=out.index, dtype=DATE_DTYPE)
    out["source_row"] = (out.index + 2).astype("int64")
    return out
