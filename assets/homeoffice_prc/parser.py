"""Home Office police recorded crime open data, PFA tables, parsed as published (SOURCES.md).

The publication is a workbook with one sheet per financial year (``.xlsx`` or ``.ods``); a CSV
export of one sheet is accepted too. Every field is read as text first so that offence codes keep
their published form (``4.10`` is not ``4.1``) and a bad count can be reported with its row.
"""

from __future__ import annotations

import csv
import re
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from openpyxl.utils import get_column_letter

from assets.lib.errors import RejectedFile
from assets.lib.reference_data import forces

SOURCE_COLUMNS = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
)

OUTPUT_COLUMNS = (
    "financial_year",
    "financial_quarter",
    "quarter_start",
    "force_name",
    "offence_code",
    "offence_description",
    "offence_group",
    "offence_subgroup",
    "offences",
    "is_force",
)

CLASSIFICATION_COLUMNS = ("offence_code", "offence_description", "offence_subgroup", "offence_group", "source_code")


# Header detection in workbooks looks this far down a sheet; cover sheets and notes never hold it.
_HEADER_SEARCH_ROWS = 30
_FINANCIAL_YEAR = r"(\d{4})/(\d{2})"
# Counts: optional sign, digits with optional thousands separators. '-00' (the publisher's zero)
# and genuine negative adjustments both fit.
_COUNT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?"


@cache
def territorial_force_names() -> frozenset[str]:
    """Home Office ``Force Name`` of the 43 territorial forces and British Transport Police."""
    return frozenset(row["home_office_force_name"] for row in forces())


def _text_column(series: pd.Series) -> pd.Series:
    """Cells as text, stripped, blanks as ''. pandas' Excel readers already hand whole numbers over
    as ints, so a numeric count or quarter reads '12', not '12.0'."""
    return series.astype("str").str.strip().fillna("")


def _read_csv(path: Path) -> list[tuple[str | None, int, np.ndarray, pd.DataFrame]]:
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skipinitialspace=False,
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise RejectedFile(path, f"not a well-formed CSV ({str(error).strip()})", row=_error_line(error)) from error
    frame.columns = [str(c).strip() for c in frame.columns]
    # pandas fills a short row with blanks: a row cut short (a transfer that stopped mid-row) would then read
    # as an empty count, so the row is named for what it is, with the first column it lacks
    width = len(frame.columns)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, record in enumerate(csv.reader(handle), start=1):
            if record and len(record) < width:
                raise RejectedFile(path, f"{len(record)} fields where the header has {width}: the row is cut short",
                                   row=number, column=frame.columns[len(record)])
    # The header is line 1, so data row i (0-based) is line i + 2.
    return [(None, 1, np.arange(2, len(frame) + 2), frame)]


def _read_workbook(path: Path) -> list[tuple[str | None, int, np.ndarray, pd.DataFrame]]:
    engine = "odf" if path.suffix.lower() == ".ods" else "openpyxl"
    try:
        # No NA guessing: 'n/a' in a count must reach the count check, not turn into a blank.
        sheets = pd.read_excel(
            path, sheet_name=None, header=None, dtype=object, engine=engine, keep_default_na=False
        )
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        raise RejectedFile(path, f"not a readable {path.suffix} workbook ({error})") from error
    found: list[tuple[str | None, int, np.ndarray, pd.DataFrame]] = []
    for sheet, grid in sheets.items():
        grid = grid.replace(r"^\s*$", np.nan, regex=True)
        top = grid.head(_HEADER_SEARCH_ROWS).apply(lambda c: c.astype("str").str.strip())
        hits = np.argwhere(top.isin(["Force Name", "Financial Year"]).to_numpy())
        if len(hits) == 0:
            continue  # cover, contents and notes sheets
        header = int(hits[0][0])
        names = [str(v).strip() if pd.notna(v) else "" for v in grid.iloc[header]]
        frame = grid.iloc[header + 1 :].copy()
        frame.columns = names
        frame = frame.loc[:, [n != "" for n in names]]
        frame = frame.dropna(how="all")
        # The grid index is the 0-based sheet row: keep it so rejections name the real cell.
        found.append((sheet, header + 1, frame.index.to_numpy() + 1, frame))
    if not found:
        raise RejectedFile(
            path,
            "no sheet with the PRC header (Financial Year, Force Name, ...): expected one sheet per "
            f"financial year (sheets: {', '.join(map(str, sheets))})",
        )
    return found


def _where(sheet: str | None, columns: list[str], line: int, column: str | None) -> dict:
    """RejectedFile location: the CSV line and column, or the workbook sheet and cell."""
    line = int(line)
    if sheet is None:
        return {"row": line, "column": column}
    if column is None or column not in columns:
        return {"sheet": sheet, "row": line}
    return {"sheet": sheet, "cell": f"{get_column_letter(columns.index(column) + 1)}{line}"}


def _parse_part(
    path: Path, sheet: str | None, header_row: int, lines: np.ndarray, frame: pd.DataFrame
) -> pd.DataFrame:
    columns = list(frame.columns)
    missing = [c for c in SOURCE_COLUMNS if c not in columns]
    if missing:
        where = {"row": header_row} if sheet is None else {"sheet": sheet, "cell": f"A{header_row}"}
        raise RejectedFile(path, f"required column(s) missing from the header: {', '.join(missing)}", **where)
    frame = frame.reset_index(drop=True)
    text = {c: _text_column(frame[c]) for c in SOURCE_COLUMNS}

    year = text["Financial Year"]
    year_parts = year.str.extract(f"^{_FINANCIAL_YEAR}$")
    start_year = pd.to_numeric(year_parts[0], errors="coerce")
    bad_year = start_year.isna() | (
        (start_year + 1) % 100 != pd.to_numeric(year_parts[1], errors="coerce")
    )
    if bad_year.any():
        at = int(bad_year.idxmax())
        raise RejectedFile(
            path,
            f"financial year '{year[at]}' is not of the form YYYY/YY",
            **_where(sheet, columns, lines[at], "Financial Year"),
        )

    quarter_text = text["Financial Quarter"]
    quarter = pd.to_numeric(quarter_text.str.replace(r"^Q", "", regex=True), errors="coerce")
    bad_quarter = ~quarter.isin([1, 2, 3, 4])
    if bad_quarter.any():
        at = int(bad_quarter.idxmax())
        raise RejectedFile(
            path,
            f"unknown financial quarter '{quarter_text[at]}': expected 1, 2, 3 or 4",
            **_where(sheet, columns, lines[at], "Financial Quarter"),
        )
    quarter = quarter.astype("int64")

    counts_text = text["Number of Offences"]
    is_count = counts_text.str.fullmatch(_COUNT).fillna(False).astype(bool)
    if not is_count.all():
        at = int((~is_count).idxmax())
        raise RejectedFile(
            path,
            f"Number of Offences '{counts_text[at]}' is not a whole number",
            **_where(sheet, columns, lines[at], "Number of Offences"),
        )
    offences = pd.to_numeric(counts_text.str.replace(",", "", regex=False)).astype("int64")

    for column in ("Force Name", "Offence Code"):
        empty = text[column].isna() | text[column].eq("")
        if empty.any():
            at = int(empty.idxmax())
            raise RejectedFile(
                path, f"{column} is empty", **_where(sheet, columns, lines[at], column)
            )

    # Financial quarter 1 is April-June of the year the financial year starts in; Q4 is January-March.
    months_from_january = start_year.astype("int64") * 12 + (quarter - 1) * 3 + 3
    quarter_start = pd.to_datetime(
        {"year": months_from_january // 12, "month": months_from_january % 12 + 1, "day": 1}
    ).dt.date

    force = text["Force Name"]
    return pd.DataFrame(
        {
            "financial_year": year,
            "financial_quarter": quarter,
            "quarter_start": quarter_start.astype(pd.ArrowDtype(pa.date32())),
            "force_name": force,
            "offence_code": text["Offence Code"],
            "offence_description": text["Offence Description"],
            "offence_group": text["Offence Group"],
            "offence_subgroup": text["Offence Subgroup"],
            "offences": offences,
            "is_force": force.isin(territorial_force_names()).astype(bool),
        }
    )


def read_prc_pfa(path: str | Path) -> pd.DataFrame:
    """Home Office PRC PFA open-data table (CSV export, or every year sheet of an xlsx/ods).

    Columns: ``financial_year`` ('2017/18'), ``financial_quarter`` (1-4), ``quarter_start`` (date),
    ``force_name``, ``offence_code`` (text as published), ``offence_description``,
    ``offence_group``, ``offence_subgroup``, ``offences`` (int; negative adjustments kept),
    ``is_force`` (False for Action Fraud, CIFAS, UK Finance and any other non-territorial body).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        parts = _read_csv(path)
    elif suffix in (".xlsx", ".ods"):
        parts = _read_workbook(path)
    else:
        raise RejectedFile(path, f"unsupported file type '{path.suffix}': expected .csv, .xlsx or .ods")
    frames = [_parse_part(path, *part) for part in parts]
    return pd.concat(frames, ignore_index=True).loc[:, list(OUTPUT_COLUMNS)]


_COMBINED_CODE = re.compile(r"\s*/\s*")


def offence_classification(df: pd.DataFrame) -> pd.DataFrame:
    """The official offence classification: distinct (code, description, subgroup, group).

    The combined homicide code ``1/4.1/4.10/4.2`` becomes one row per code (each keeping the
    Homicide description and subgroup); ``source_code`` keeps the code as published. A code listed
    in its own right wins over the same code expanded from a combined one, and where a code's
    wording changed between financial years the latest year's wording is kept, so codes are unique.
    """
    columns = ["offence_code", "offence_description", "offence_subgroup", "offence_group"]
    distinct = (
        df.loc[:, ["financial_year", *columns]]
        .sort_values("financial_year", ascending=False, kind="stable")
        .drop_duplicates(subset=columns)
        .rename(columns={"offence_code": "source_code"})
    )
    distinct["offence_code"] = distinct["source_code"].str.split(_COMBINED_CODE)
    distinct = distinct.explode("offence_code", ignore_index=True)
    distinct["offence_code"] = distinct["offence_code"].str.strip()
    distinct["expanded"] = distinct["offence_code"].ne(distinct["source_code"])
    distinct = (
        distinct.sort_values(["expanded", "financial_year"], ascending=[True, False], kind="stable")
        .drop_duplicates(subset="offence_code")
    )
    distinct = _with_code_order(distinct).reset_index(drop=True)
    return distinct.loc[:, list(CLASSIFICATION_COLUMNS)].astype("str")


def _with_code_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort in Home Office order: numeric part first ('4.2' < '4.10' < '5D' < '8N'), then the rest."""
    parts = frame["offence_code"].str.extract(r"^(\d+)(?:\.(\d+))?(.*)$")
    keyed = frame.assign(
        _major=pd.to_numeric(parts[0], errors="coerce").fillna(np.inf),
        _minor=pd.to_numeric(parts[1], errors="coerce").fillna(-1),
        _rest=parts[2].fillna(frame["offence_code"]),
    )
    return keyed.sort_values(["_major", "_minor", "_rest"], kind="stable").drop(columns=["_major", "_minor", "_rest"])


def _error_line(error: Exception) -> int | None:
    """The line pandas names in a CSV parse error ("Expected 5 fields in line 7, saw 6")."""
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None
