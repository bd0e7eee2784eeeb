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

from assets.errors import RejectedFile

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"
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

# The outcomes that mean nothing came of the search; every other recorded outcome is positive.
# The wording changed over the years, hence three spellings of the same thing.
NO_FURTHER_ACTION_OUTCOMES: frozenset[str] = frozenset(
    {"A no further action disposal", "Nothing found - no further action", "No further action"}
)

ETHNIC_GROUPS: tuple[str, ...] = ("White", "Black", "Asian", "Mixed", "Other", "Not stated")

# Self-defined ethnicity is the 2011 Census 16+1 list written "<group> - <detail>"; the group
# prefix decides the search-ratio group. "Other ethnic group - Not stated" is handled before
# the prefix match because it means the person declined, not "Other".
_SELF_DEFINED_PREFIXES: tuple[tuple[str, str], ...] = (
    ("White - ", "White"),
    ("Black/African/Caribbean/Black British - ", "Black"),
    ("Asian/Asian British - ", "Asian"),
    ("Mixed/Multiple ethnic groups - ", "Mixed"),
    ("Other ethnic group - ", "Other"),
)
_SELF_DEFINED_NOT_STATED = "Other ethnic group - Not stated"
_OFFICER_DEFINED = {"White": "White", "Black": "Black", "Asian": "Asian", "Mixed": "Mixed", "Other": "Other"}

_BOOL_TEXT = {"True": True, "False": False}

_NAME_RE = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<kind>stop-and-search|street)"
    r"(?:\.[A-Za-z0-9_-]+)?\.csv$"
)


def ethnic_group(self_defined: str | None, officer_defined: str | None) -> str:
    """The search-ratio ethnic group of one search.

    Self-defined ethnicity wins; officer-defined is the fallback only when self-defined is
    empty (some forces leave officer-defined empty altogether, so it cannot be the primary).
    A person who chose "Not stated" stays Not stated. Raises ValueError for a value outside
    the published lists, because guessing would move people between groups of the ratio.
    """
    self_defined = (self_defined or "").strip()
    officer_defined = (officer_defined or "").strip()
    if self_defined:
        if self_defined == _SELF_DEFINED_NOT_STATED:
            return "Not stated"
        for prefix, group in _SELF_DEFINED_PREFIXES:
            if self_defined.startswith(prefix):
                return group
        raise ValueError(f"unknown self-defined ethnicity {self_defined!r}")
    if officer_defined:
        if officer_defined not in _OFFICER_DEFINED:
            raise ValueError(f"unknown officer-defined ethnicity {officer_defined!r}")
        return _OFFICER_DEFINED[officer_defined]
    return "Not stated"


@cache
def _force_aliases() -> dict[str, str]:
    """Every way a force is named in our sources (PFA code, slug, Home Office and display names)
    mapped to the ONS PFA code, so a lookup keyed by any of them can be compared."""
    forces = pd.read_csv(REFERENCE_DIR / "forces.csv", dtype=str, keep_default_na=False)
    aliases: dict[str, str] = {}
    for row in forces.itertuples(index=False):
        for name in (row.force_code, row.slug, row.force_name, row.home_office_force_name, row.ons_area_name):
            if name:
                aliases[name.strip()] = row.force_code.strip()
    # The LSOA lookup writes the City's force the natural way round, unlike the Home Office.
    if "London, City of" in aliases:
        aliases.setdefault("City of London", aliases["London, City of"])
    return aliases


@cache
def default_lsoa_to_force() -> dict[str, str]:
    """LSOA 2011 code -> ONS PFA code, from ``reference/lsoa-force-lookup.csv``.

    LSOAs whose force is blank in the lookup (a few hundred in the source) are left out, so
    their crimes get an unknown (null) out-of-area flag rather than a guessed one.
    """
    lookup = pd.read_csv(
        REFERENCE_DIR / "lsoa-force-lookup.csv",
        dtype=str,
        keep_default_na=False,
        usecols=["LSOA Code", "Police_force"],
    )
    aliases = _force_aliases()
    out: dict[str, str] = {}
    for lsoa, force in zip(lookup["LSOA Code"], lookup["Police_force"], strict=True):
        code = aliases.get(force.strip())
        if lsoa.strip() and code:
            out[lsoa.strip()] = code
    return out


def _parse_file_name(path: Path, kind: str) -> tuple[dt.date, str, str]:
    match = _NAME_RE.match(path.name)
    if not match or match["kind"] != kind:
        raise RejectedFile(path, f"file name must be <YYYY-MM>-<force>-{kind}.csv")
    try:
        file_month = dt.datetime.strptime(match["month"], "%Y-%m").date()
    except ValueError:
        raise RejectedFile(path, f"file name month {match['month']!r} is not a valid YYYY-MM") from None
    slug = match["slug"]
    force_code = _force_aliases().get(slug)
    if force_code is None:
        raise RejectedFile(path, f"unknown force slug {slug!r} in the file name")
    return file_month, slug, force_code


def _read_csv(path: Path, expected: tuple[str, ...]) -> pd.DataFrame:
    """Every field as stripped text (empty stays empty), after checking the header row and
    that every record has as many fields as the header."""
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
    missing = [name for name in expected if name not in header]
    unexpected = [name for name in header if name not in expected]
    if missing:
        hint = f" (found unexpected column {unexpected[0]!r}: renamed?)" if unexpected else ""
        raise RejectedFile(path, f"missing column {missing[0]!r}{hint}", row=1, column=missing[0])
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
    return frame.apply(lambda col: col.str.strip())


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


def parse_stop_and_search(path: str | Path) -> pd.DataFrame:
    """Parse one data.police.uk stop-and-search file.

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
    - ``ethnic_group``: White, Black, Asian, Mixed, Other or Not stated, see ``ethnic_group()``;
    - ``is_section_60``: the Legislation is section 60 of the CJPOA 1994;
    - ``outcome_recorded``: an outcome is given;
    - ``is_positive_outcome``: a recorded outcome other than no further action, null when no
      outcome is recorded (those searches are left out of the positive-outcome rate);
    - ``source_row``: the row in the file (header = 1).

    Rejects a missing, renamed or unexpected column (row 1), an empty or unparseable Date, a
    search whose month (UTC or local) is not the file's month, an unknown search Type, a
    non-numeric coordinate, a boolean other than True/False/empty and an unknown ethnicity.
    """
    path = Path(path)
    file_month, slug, force_code = _parse_file_name(path, "stop-and-search")
    frame = _read_csv(path, STOP_AND_SEARCH_COLUMNS)

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

    groups = []
    for row, (self_defined, officer) in enumerate(
        zip(frame["Self-defined ethnicity"], frame["Officer-defined ethnicity"], strict=True), start=2
    ):
        try:
            groups.append(ethnic_group(self_defined, officer))
        except ValueError as exc:
            column = "Self-defined ethnicity" if self_defined else "Officer-defined ethnicity"
            raise RejectedFile(path, str(exc), row=row, column=column) from None

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
            "self_defined_ethnicity": _nullable_text(frame["Self-defined ethnicity"]),
            "officer_defined_ethnicity": _nullable_text(frame["Officer-defined ethnicity"]),
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
    out["is_section_60"] = frame["Legislation"].eq(SECTION_60).astype(bool)
    recorded = frame["Outcome"] != ""
    out["outcome_recorded"] = recorded.astype(bool)
    positive = pd.Series(~frame["Outcome"].isin(NO_FURTHER_ACTION_OUTCOMES), dtype="boolean")
    out["is_positive_outcome"] = positive.mask(~recorded)
    out["source_row"] = (out.index + 2).astype("int64")
    return out


def _normalise_lookup(lsoa_to_force: Mapping[str, str]) -> dict[str, str]:
    aliases = _force_aliases()
    return {lsoa.strip(): aliases.get(force.strip(), force.strip()) for lsoa, force in lsoa_to_force.items()}


def parse_street_crime(path: str | Path, lsoa_to_force: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Parse one data.police.uk street-level crime file.

    ``lsoa_to_force`` maps an LSOA 2011 code to its force, named by ONS PFA code, slug or Home
    Office force name (all are normalised to the PFA code); the default is the repository's
    ``reference/lsoa-force-lookup.csv``.

    Columns: ``crime_id`` (null for anti-social behaviour, which has no Crime ID), ``month``
    (first day of the published Month), ``reported_by``, ``falls_within``, ``longitude``,
    ``latitude``, ``location``, ``lsoa_code``, ``lsoa_name``, ``crime_type``,
    ``last_outcome_category``, ``context`` (empty text as null), plus ``is_anti_social_behaviour``,
    ``force_slug``, ``force_code``, ``file_month`` from the file name, ``lsoa_force_code`` (the
    LSOA's force, null when the LSOA is empty or not in the lookup), ``is_out_of_area`` (the
    LSOA's force is not the file's force: a force's file holds crimes it recorded in other
    areas; null when the LSOA's force is unknown) and ``source_row`` (header = 1).

    Rejects a missing, renamed or unexpected column (row 1), a Month that is not YYYY-MM or not
    the file's month, and a crime type outside the 14 published ones.
    """
    path = Path(path)
    file_month, slug, force_code = _parse_file_name(path, "street")
    frame = _read_csv(path, STREET_COLUMNS)

    month = pd.to_datetime(frame["Month"], format="%Y-%m", errors="coerce")
    _reject_first(path, frame, month.isna(), "Month", "Month is not YYYY-MM")
    month = month.dt.date.astype(DATE_DTYPE)
    wrong_month = month != file_month
    _reject_first(path, frame, wrong_month, "Month", f"Month is not the file's month {file_month:%Y-%m}")
    _reject_first(path, frame, ~frame["Crime type"].isin(CRIME_TYPES), "Crime type", "unknown crime type")

    lookup = default_lsoa_to_force() if lsoa_to_force is None else _normalise_lookup(lsoa_to_force)
    lsoa_force = frame["LSOA code"].map(lookup)

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
    out["lsoa_force_code"] = lsoa_force.astype("str")
    out["is_out_of_area"] = pd.Series(lsoa_force != force_code, dtype="boolean").mask(lsoa_force.isna())
    out["source_row"] = (out.index + 2).astype("int64")
    return out
