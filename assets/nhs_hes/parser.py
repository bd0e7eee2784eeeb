"""Parser for the NHS England HES workbook of admissions for assault by a sharp object.

Agreed layout (SOURCES.md): ``nhs/hes-sharp-object/hes-sharp-object-admissions-<YYYY-YY>.xlsx``,
one workbook a financial year to date, sheets ``Notes`` (free text) and ``Data``. ``Data`` has
title and source text in rows 1-3, row 4 empty, the header in row 5
(``Month, Police Force Area Code, Police Force Area Name, Age Group, Admission Episodes``), the
data from row 6 down to the first blank row, then footnotes.

Restatements: a workbook may also carry months of the *previous* financial year, restating what
the earlier workbook published (provisional figures become final). That is accepted and flagged
(``is_restatement``); a month from any other year rejects the file, because it means the file is
misnamed or mis-built. The parser does not decide between workbooks: the loader keeps, for each
month, force and age group, the row from the workbook of the latest financial year (and, for the
same workbook name, the latest delivery).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
from openpyxl.utils import get_column_letter

from assets.lib.errors import RejectedFile
from assets.lib.reference_data import forces
from assets.lib.workbook import check_fixed_header, whole_number_cell

DATA_SHEET = "Data"
HEADER_ROW = 5
HEADER: tuple[str, ...] = (
    "Month",
    "Police Force Area Code",
    "Police Force Area Name",
    "Age Group",
    "Admission Episodes",
)
AGE_GROUPS: tuple[str, ...] = ("0-17", "18-24", "Under 25", "25 and over", "Unknown")
SUPPRESSED = "*"

# Month columns are real dates (DuckDB reads this dtype as DATE), not midnight timestamps.
DATE_DTYPE = pd.ArrowDtype(pa.date32())

_NAME_RE = re.compile(r"^hes-sharp-object-admissions-(?P<start>\d{4})-(?P<end>\d{2})(?:\.[A-Za-z0-9_-]+)?\.xlsx$")


@cache
def _pfa_codes() -> frozenset[str]:
    # HES reports by police force area, so British Transport Police (no area) is not valid here.
    return frozenset(row["force_code"] for row in forces() if row["force_code"] != "BTP")


def financial_year_of(month: dt.date) -> str:
    """'2021-22' for any month from April 2021 to March 2022."""
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _parse_month(value: object) -> dt.date | None:
    # Excel turns typed "April 2021" into a date on re-save; accept that as long as it is the
    # first of a month, since the meaning is unchanged.
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value if value.day == 1 else None
    text = _text(value)
    for fmt in ("%B %Y", "%b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_episodes(value: object) -> int | None | str:
    """The count, None for the disclosure-control '*', or an error message."""
    if _text(value) == SUPPRESSED:
        return None
    number = whole_number_cell(value, "Admission Episodes", expected="'*' or a whole number",
                               empty="is empty (0 means none, '*' 1 to 7)")
    if isinstance(number, str):
        return number
    if number % 5 != 0:
        # NHS disclosure control: 1-7 are '*', everything else is rounded to the nearest 5.
        return f"Admission Episodes {number} is not '*', 0 or a multiple of 5 (NHS disclosure control)"
    return number


def parse_hes_workbook(path: str | Path) -> pd.DataFrame:
    """Parse one HES sharp-object admissions workbook.

    Columns: ``month`` (first of the month), ``force_code`` (the PFA code), ``area_name``,
    ``age_group`` (``0-17``, ``18-24``, ``Under 25``, ``25 and over``, ``Unknown``),
    ``episodes`` (Int64, null when suppressed), ``suppressed`` (the published value was ``*``,
    1 to 7 episodes), ``workbook`` (file name), ``financial_year`` (from the file name, e.g.
    ``2021-22``), ``is_restatement`` (the month is in the previous financial year and restates
    the earlier workbook) and ``source_row`` (the row in sheet ``Data``).

    Rejects, naming sheet and cell: a file name without the financial year, no ``Data`` sheet,
    a header not in row 5 or with a column renamed, no data rows, a month that is not text like
    ``April 2021``, a month outside the workbook's financial year or the one before it, an
    unknown police force area code, an empty area name, an unknown age group, episodes other
    than ``*``, 0 or a multiple of 5, the same month, area and age group twice, anything but
    footnotes after the blank row that ends the table, and a workbook with none of its own
    year's months.
    """
    path = Path(path)
    match = _NAME_RE.match(path.name)
    if not match or (int(match["start"]) + 1) % 100 != int(match["end"]):
        raise RejectedFile(path, "file name must be hes-sharp-object-admissions-<YYYY-YY>.xlsx")
    financial_year = f"{match['start']}-{match['end']}"
    previous_year = f"{int(match['start']) - 1}-{match['start'][2:]}"

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise RejectedFile(path, f"not a readable .xlsx workbook ({exc.__class__.__name__})") from None
    try:
        if DATA_SHEET not in workbook.sheetnames:
            raise RejectedFile(path, f"no sheet named '{DATA_SHEET}' (found {workbook.sheetnames})", sheet=DATA_SHEET)
        rows = [
            tuple(row[: len(HEADER) + 1]) + (None,) * (len(HEADER) + 1 - len(row))
            for row in workbook[DATA_SHEET].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()

    def reject(rule: str, row: int, column: int = 1) -> RejectedFile:
        return RejectedFile(path, rule, sheet=DATA_SHEET, cell=f"{get_column_letter(column)}{row}")

    _check_header(rows, reject)

    records: list[tuple] = []
    seen: dict[tuple[dt.date, str, str], int] = {}
    row_number = HEADER_ROW
    table_ended = False
    for values in rows[HEADER_ROW:]:
        row_number += 1
        cells = [_text(v) for v in values[: len(HEADER)]]
        if table_ended:
            if any(cells[1:]) or _text(values[len(HEADER)]):
                raise reject("data after the blank row that ends the table (only footnotes may follow)", row_number)
            continue
        if not any(cells) and not _text(values[len(HEADER)]):
            table_ended = True
            continue

        month = _parse_month(values[0])
        if month is None:
            raise reject(f"Month must be text like 'April 2021' (found {values[0]!r})", row_number, 1)
        year = financial_year_of(month)
        if year not in (financial_year, previous_year):
            raise reject(
                f"Month {month:%B %Y} is outside financial year {financial_year} "
                f"(and is not a restatement of {previous_year})",
                row_number,
                1,
            )
        code = cells[1]
        if code not in _pfa_codes():
            raise reject(f"unknown police force area code {code!r}", row_number, 2)
        if not cells[2]:
            raise reject("Police Force Area Name is empty", row_number, 3)
        age_group = cells[3]
        if age_group not in AGE_GROUPS:
            raise reject(f"unknown Age Group {age_group!r} (expected one of {', '.join(AGE_GROUPS)})", row_number, 4)
        episodes = _parse_episodes(values[4])
        if isinstance(episodes, str):
            raise reject(episodes, row_number, 5)
        key = (month, code, age_group)
        if key in seen:
            raise reject(f"duplicate of row {seen[key]} (same month, area and age group)", row_number, 1)
        seen[key] = row_number
        restated = year != financial_year
        records.append((month, code, cells[2], age_group, episodes, episodes is None, restated, row_number))

    if not records:
        raise reject("no data rows below the header", HEADER_ROW + 1)
    if all(is_restatement for *_, is_restatement, _row in records):
        raise reject(
            f"no month of financial year {financial_year}: the file name and the months disagree", HEADER_ROW + 1
        )

    frame = pd.DataFrame(
        records,
        columns=["month", "force_code", "area_name", "age_group", "episodes", "suppressed", "is_restatement", "row"],
    )
    return pd.DataFrame(
        {
            "month": frame["month"].astype(DATE_DTYPE),
            "force_code": frame["force_code"].astype("str"),
            "area_name": frame["area_name"].astype("str"),
            "age_group": frame["age_group"].astype("str"),
            "episodes": frame["episodes"].astype("Int64"),
            "suppressed": frame["suppressed"].astype(bool),
            "workbook": pd.Series(path.name, index=frame.index, dtype="str"),
            "financial_year": pd.Series(financial_year, index=frame.index, dtype="str"),
            "is_restatement": frame["is_restatement"].astype(bool),
            "source_row": frame["row"].astype("int64"),
        }
    )


def _check_header(rows: list[tuple], reject: Callable[..., RejectedFile]) -> None:
    check_fixed_header(rows, HEADER, HEADER_ROW, reject)
