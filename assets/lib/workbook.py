"""Workbooks as their publishers ship them: every sheet of an .xls (BIFF) or .xlsx file as rows of
values, and what the agreed layouts (HES, workforce) share, a fixed header row checked cell by cell."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import xlrd
from openpyxl.utils.exceptions import InvalidFileException

from assets.lib.errors import RejectedFile

# the first bytes of an OLE2 compound file: an Excel 97-2003 (.xls) workbook
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _xls_value(cell: xlrd.sheet.Cell) -> object:
    # xlrd gives every number as a float and an empty cell as '': as openpyxl reads the same
    # sheet, a whole number is an int (a year header reads 2002, not 2002.0) and empty is None
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    return cell.value


def workbook_sheets(path: Path, wanted: Callable[[str], bool] = lambda name: True) -> list[tuple[str, list[tuple]]]:
    """(sheet name, rows of cell values) for every sheet `wanted` keeps, in workbook order.

    The format is told by the file's first bytes, not its name: ONS shipped early editions as .xls and
    later ones as .xlsx, and a file renamed on the way is still read for what it is."""
    with path.open("rb") as handle:
        is_xls = handle.read(len(XLS_SIGNATURE)) == XLS_SIGNATURE
    try:
        if is_xls:
            book = xlrd.open_workbook(path, on_demand=True)
            try:
                return [(name, [tuple(_xls_value(c) for c in sheet.row(r)) for r in range(sheet.nrows)])
                        for name in book.sheet_names() if wanted(name)
                        for sheet in [book.sheet_by_name(name)]]
            finally:
                book.release_resources()
        # keep_links=False: ONS editions link to other workbooks, and parsing the links costs more than the tables
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        try:
            return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets
                    if wanted(sheet.title)]
        finally:
            book.close()
    except (xlrd.XLRDError, zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as error:
        raise RejectedFile(path, f"not a readable .xls or .xlsx workbook ({error})") from error

HEADER_SEARCH_ROWS = 30


def cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


_WHOLE_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")


def whole_number_cell(value: object, what: str, *, expected: str = "a whole number", empty: str = "is empty"
                      ) -> int | str:
    """A cell as a non-negative whole number, or the message saying why it is not one. Excel stores every
    number as a float (12.0 is the whole number 12); text may carry thousands separators."""
    if isinstance(value, bool):
        return f"{what} must be {expected} (found {value!r})"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return f"{what} must be {expected} (found {value!r})"
        number = int(value)
    else:
        text = cell_text(value)
        if not text:
            return f"{what} {empty}"
        digits = text[1:] if text.startswith("-") else text
        if not _WHOLE_NUMBER.match(digits):
            return f"{what} must be {expected} (found {text!r})"
        number = int(digits.replace(",", "")) * (-1 if text.startswith("-") else 1)
    if number < 0:
        return f"{what} cannot be negative (found {number})"
    return number


def check_fixed_header(
    rows: list[tuple], header: Sequence[str], header_row: int, reject: Callable[..., RejectedFile]
) -> None:
    """The header must sit exactly at `header_row` with exactly these columns; a header found
    elsewhere is reported where it is, so the supplier knows it moved rather than vanished."""
    header_at = next(
        (i + 1 for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
         if cell_text(row[0]) == header[0] and cell_text(row[1]) == header[1]),
        None,
    )
    if header_at is not None and header_at != header_row:
        raise reject(f"the header must be in row {header_row}, found in row {header_at}", header_at)
    if len(rows) < header_row:
        raise reject(f"the header must be in row {header_row}; the sheet has {len(rows)} row(s)", header_row)
    found = rows[header_row - 1]
    for column, expected in enumerate(header, start=1):
        if cell_text(found[column - 1]) != expected:
            raise reject(f"header must be {expected!r} (found {found[column - 1]!r})", header_row, column)
    if cell_text(found[len(header)]):
        raise reject(f"unexpected column {found[len(header)]!r} after '{header[-1]}'", header_row, len(header) + 1)
