"""Parser for the force workforce headcount snapshot (agreed layout in SOURCES.md).

``force/workforce/<force>-workforce-<YYYY-MM-DD>.xlsx``: sheet ``Headcount``, a title in row 1, the
header in row 3 (``Role, Neighbourhood, Ethnicity, Sex, Headcount``), one row per combination below
it, and a ``Total`` row at the end. The Total row is not data, but it is the HR system's own sum, so
a file whose rows do not add up to it was cut or edited on the way and is rejected rather than loaded.

Unlike the CSV extracts the values are checked here, not only in the suite: the snapshot is small,
every value is a category, and the Total check needs whole-number headcounts before anything can be
summed. ``expectations/workforce.json`` then checks the parsed frame again, so the warehouse sees the
same rules as a Dagster check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
from openpyxl.utils import get_column_letter

from assets.lib.errors import RejectedFile
from assets.lib.workbook import check_fixed_header, whole_number_cell

SHEET = "Headcount"
HEADER_ROW = 3
HEADER: tuple[str, ...] = ("Role", "Neighbourhood", "Ethnicity", "Sex", "Headcount")
TOTAL_LABEL = "Total"
ROLES: tuple[str, ...] = ("Police Officer", "Police Staff", "PCSO", "Special Constable")
NEIGHBOURHOOD_FLAGS: dict[str, bool] = {"Y": True, "N": False}
ETHNICITIES: tuple[str, ...] = ("White", "Ethnic minority", "Not stated")
SEXES: tuple[str, ...] = ("Female", "Male")

OUTPUT_COLUMNS: tuple[str, ...] = (
    "snapshot_date",
    "role",
    "neighbourhood",
    "ethnicity",
    "sex",
    "headcount",
    "source_file",
    "source_row",
)

# Dates as real dates (DuckDB reads this dtype as DATE), the same as the other workbook parsers.
DATE_DTYPE = pd.ArrowDtype(pa.date32())

_NAME_RE = re.compile(r"^(?P<force>[a-z0-9-]+)-workforce-(?P<date>\d{4}-\d{2}-\d{2})\.xlsx$")


def snapshot_date_of(path: str | Path) -> dt.date:
    """The snapshot date in a workforce file name; rejects the file if the name has none."""
    path = Path(path)
    match = _NAME_RE.match(path.name)
    if match is None:
        raise RejectedFile(path, "file name must be <force>-workforce-<YYYY-MM-DD>.xlsx")
    try:
        return dt.date.fromisoformat(match["date"])
    except ValueError:
        raise RejectedFile(path, f"file name date {match['date']!r} is not a calendar date") from None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_workforce_snapshot(path: str | Path) -> pd.DataFrame:
    """Parse one workforce headcount snapshot.

    Columns: ``snapshot_date`` (the date in the file name), ``role``, ``neighbourhood`` (bool, from
    ``Y``/``N``), ``ethnicity``, ``sex``, ``headcount`` (int64), ``source_file`` (the file name) and
    ``source_row`` (the row in sheet ``Headcount``). The Total row is checked, not returned.

    Rejects, naming sheet and cell: no ``Headcount`` sheet, a header not in row 3 or with a column
    renamed (or an extra column), an unknown Role, Neighbourhood, Ethnicity or Sex, a Headcount that
    is not a non-negative whole number, no data rows, no ``Total`` row, a Total that is not the sum of
    the rows above it, and anything but notes in column A after the Total row.
    """
    path = Path(path)
    snapshot_date = snapshot_date_of(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise RejectedFile(path, f"not a readable .xlsx workbook ({exc.__class__.__name__})") from None
    try:
        if SHEET not in workbook.sheetnames:
            raise RejectedFile(path, f"no sheet named '{SHEET}' (found {workbook.sheetnames})", sheet=SHEET)
        width = len(HEADER) + 1  # one spare column to catch an extra one
        rows = [
            tuple(row[:width]) + (None,) * (width - len(row))
            for row in workbook[SHEET].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()

    def reject(rule: str, row: int, column: int = 1) -> RejectedFile:
        return RejectedFile(path, rule, sheet=SHEET, cell=f"{get_column_letter(column)}{row}")

    _check_header(rows, reject)

    records: list[tuple[str, bool, str, str, int, int]] = []
    total: tuple[int, int] | None = None  # (value, row)
    for row_number, values in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        cells = [_text(v) for v in values]
        if total is not None:
            # Notes under the table are fine; more data is not, as it would sit outside the Total.
            if any(cells[1:]):
                raise reject(f"data after the '{TOTAL_LABEL}' row (only notes in column A may follow)", row_number,
                             next(i for i, c in enumerate(cells[1:], start=2) if c))
            continue
        if not any(cells):
            continue
        if cells[0] == TOTAL_LABEL:
            value = whole_number_cell(values[4], f"{TOTAL_LABEL} Headcount", empty="is empty (write 0 for none)")
            if isinstance(value, str):
                raise reject(value, row_number, 5)
            total = (value, row_number)
            continue
        if cells[0] not in ROLES:
            raise reject(f"unknown Role {cells[0]!r} (expected one of {', '.join(ROLES)})", row_number, 1)
        if cells[1] not in NEIGHBOURHOOD_FLAGS:
            raise reject(f"unknown Neighbourhood {cells[1]!r} (expected Y or N)", row_number, 2)
        if cells[2] not in ETHNICITIES:
            raise reject(f"unknown Ethnicity {cells[2]!r} (expected one of {', '.join(ETHNICITIES)})", row_number, 3)
        if cells[3] not in SEXES:
            raise reject(f"unknown Sex {cells[3]!r} (expected one of {', '.join(SEXES)})", row_number, 4)
        headcount = whole_number_cell(values[4], "Headcount", empty="is empty (write 0 for none)")
        if isinstance(headcount, str):
            raise reject(headcount, row_number, 5)
        if cells[5]:
            raise reject(f"unexpected value {values[5]!r} after the '{HEADER[-1]}' column", row_number, 6)
        records.append((cells[0], NEIGHBOURHOOD_FLAGS[cells[1]], cells[2], cells[3], headcount, row_number))

    if not records:
        raise reject("no data rows below the header", HEADER_ROW + 1)
    if total is None:
        last_row = max(len(rows), HEADER_ROW + 1)
        raise reject(f"no '{TOTAL_LABEL}' row at the end of the table", last_row + 1)
    summed = sum(record[4] for record in records)
    if total[0] != summed:
        raise reject(f"{TOTAL_LABEL} {total[0]} is not the sum of the Headcount rows above it ({summed})", total[1], 5)

    frame = pd.DataFrame(records, columns=["role", "neighbourhood", "ethnicity", "sex", "headcount", "row"])
    index = frame.index
    return pd.DataFrame(
        {
            "snapshot_date": pd.Series([snapshot_date] * len(frame), index=index, dtype=DATE_DTYPE),
            "role": frame["role"].astype("str"),
            "neighbourhood": frame["neighbourhood"].astype(bool),
            "ethnicity": frame["ethnicity"].astype("str"),
            "sex": frame["sex"].astype("str"),
            "headcount": frame["headcount"].astype("int64"),
            "source_file": pd.Series(path.name, index=index, dtype="str"),
            "source_row": frame["row"].astype("int64"),
        }
    )


def _check_header(rows: list[tuple], reject: Callable[..., RejectedFile]) -> None:
    check_fixed_header(rows, HEADER, HEADER_ROW, reject)
