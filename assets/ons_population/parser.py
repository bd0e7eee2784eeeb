"""ONS mid-year population estimates, sheet ``MYE2 - Persons``, parsed as published (SOURCES.md).

Editions differ in file format (BIFF ``.xls`` read with xlrd, ``.xlsx`` with openpyxl) and in how
many title and note rows sit above the header, so the header is found by its ``Code`` cell and the
mid-year by the "Mid-YYYY" in the text above it, never from the file name.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from assets.lib.errors import RejectedFile
from assets.lib.workbook import workbook_sheets
from assets.ons_pfa.parser import strip_footnotes

SHEET = "MYE2 - Persons"
OUTPUT_COLUMNS = ("mid_year", "area_code", "area_name", "geography", "age", "persons")
WIDE_ID_COLUMNS = ("mid_year", "area_code", "area_name", "geography", "all_ages")

_MID_YEAR = re.compile(r"\bmid[-\s]?((?:19|20)\d\d)", re.IGNORECASE)
_AREA_CODE = r"[A-Z]\d{8}"
_AGE = re.compile(r"(\d{1,3})(?:\.0+)?|(\d{1,3})\s?\+")


def _cell(row: int, column: int) -> str:
    return f"{get_column_letter(column + 1)}{row + 1}"


def _sheet_grid(path: Path) -> tuple[str, pd.DataFrame]:
    """The MYE2 persons sheet as a grid of raw cell values (row/column 0-based)."""
    wanted = SHEET.lower()
    names: list[str] = []

    def keep(name: str) -> bool:
        names.append(name)
        return name.strip().lower() == wanted

    sheets = workbook_sheets(path, keep)
    if not sheets:
        raise RejectedFile(path, f"no '{SHEET}' sheet (sheets: {', '.join(names)})", sheet=SHEET)
    name, rows = sheets[0]
    return name, pd.DataFrame(rows, dtype=object)


def _texts(grid: pd.DataFrame) -> pd.DataFrame:
    return grid.map(lambda v: v.strip() if isinstance(v, str) else np.nan).astype(object)


def _age_label(value: object) -> str | None:
    """'0'..'89' from the header's numbers (xls stores them as floats), '90+' kept as text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, str):
        match = _AGE.fullmatch(value.strip())
        if match:
            return match.group(1) if match.group(1) is not None else f"{match.group(2)}+"
    return None


def read_mye_persons_wide(path: str | Path) -> pd.DataFrame:
    """``MYE2 - Persons`` as published: one row per area, one column per single year of age.

    Columns: ``mid_year`` (int), ``area_code``, ``area_name``, ``geography``, ``all_ages`` (int),
    then ``'0'`` .. ``'89'``, ``'90+'`` (int). Each row's ages are checked to add up to All ages.
    """
    path = Path(path)
    sheet, grid = _sheet_grid(path)
    texts = _texts(grid)
    lowered = texts.map(lambda v: v.lower() if isinstance(v, str) else v)

    hits = np.argwhere(lowered.eq("code").to_numpy())
    if len(hits) == 0:
        raise RejectedFile(path, "no header row: no cell reads 'Code'", sheet=sheet, cell="A1")
    header, code_column = (int(v) for v in hits[0])

    def header_column(label: str, pattern: str) -> int:
        found = np.flatnonzero(
            lowered.loc[header].map(strip_footnotes, na_action="ignore").str.lower()
            .str.fullmatch(pattern).fillna(False).astype(bool).to_numpy()
        )
        if len(found) == 0:
            raise RejectedFile(
                path, f"no '{label}' column on the header row", sheet=sheet, cell=_cell(header, code_column)
            )
        return int(found[0])

    name_column = header_column("Name", "name")
    geography_column = header_column("Geography", "geography")
    all_ages_column = header_column("All ages", "all ages")

    age_columns: list[int] = []
    age_labels: list[str] = []
    for column in range(all_ages_column + 1, grid.shape[1]):
        raw = grid.iat[header, column]
        if raw is None or (isinstance(raw, float) and np.isnan(raw)):
            break
        label = _age_label(raw)
        if label is None:
            raise RejectedFile(
                path, f"age header '{raw}' is not a single year of age or 'N+'", sheet=sheet,
                cell=_cell(header, column),
            )
        age_columns.append(column)
        age_labels.append(label)
    expected = [str(a) for a in range(len(age_labels) - 1)] + [f"{len(age_labels) - 1}+"]
    if not age_labels or age_labels != expected:
        raise RejectedFile(
            path,
            "age columns must run 0, 1, ... and end with an open 'N+' band "
            f"(found {', '.join(age_labels[:3])} ... {', '.join(age_labels[-2:])})",
            sheet=sheet,
            cell=_cell(header, all_ages_column + 1),
        )

    above = texts.loc[: header - 1].stack().dropna() if header > 0 else pd.Series(dtype=object)
    years = [int(y) for text in above.tolist() for y in _MID_YEAR.findall(text)]
    if not years and _MID_YEAR.search(sheet):
        years = [int(_MID_YEAR.search(sheet).group(1))]
    if not years:
        raise RejectedFile(path, "no 'Mid-YYYY' in the title above the header", sheet=sheet, cell="A1")
    mid_year = max(years)

    codes = texts.loc[header + 1 :, code_column]
    is_code = codes.str.fullmatch(_AREA_CODE).fillna(False).astype(bool)
    # Data ends at the first non-code text in the Code column: the numbered notes.
    not_code = codes.notna() & ~is_code
    body_index = codes.index
    if not_code.any():
        body_index = codes.loc[: not_code.idxmax() - 1].index
    body_index = body_index[is_code.loc[body_index].to_numpy()]

    numbers = grid.loc[body_index, [all_ages_column, *age_columns]]
    numeric = numbers.apply(lambda column: pd.to_numeric(column, errors="coerce"))
    bad = numeric.isna().to_numpy() | (numeric.to_numpy() % 1 != 0) | (numeric.to_numpy() < 0)
    if bad.any():
        row_at, column_at = np.argwhere(bad)[0]
        row, column = int(body_index[row_at]), int(numbers.columns[column_at])
        raise RejectedFile(
            path,
            f"population '{grid.iat[row, column]}' is not a whole number of persons",
            sheet=sheet,
            cell=_cell(row, column),
        )
    values = numeric.to_numpy(dtype="int64")
    mismatch = values[:, 1:].sum(axis=1) != values[:, 0]
    if mismatch.any():
        at = int(np.flatnonzero(mismatch)[0])
        raise RejectedFile(
            path,
            f"single years of age add up to {values[at, 1:].sum()}, not the All ages {values[at, 0]}",
            sheet=sheet,
            cell=_cell(int(body_index[at]), all_ages_column),
        )

    wide = pd.DataFrame(values[:, 1:], columns=age_labels)
    wide.insert(0, "all_ages", values[:, 0])
    wide.insert(0, "geography", texts.loc[body_index, geography_column].to_numpy())
    wide.insert(0, "area_name", texts.loc[body_index, name_column].to_numpy())
    wide.insert(0, "area_code", codes.loc[body_index].to_numpy())
    wide.insert(0, "mid_year", mid_year)
    for column in ("area_code", "area_name", "geography"):
        wide[column] = wide[column].astype("str")
    return wide


def read_mye_persons(path: str | Path) -> pd.DataFrame:
    """``MYE2 - Persons`` in long form.

    Columns: ``mid_year`` (int), ``area_code``, ``area_name``, ``geography``, ``age`` ('0'..'89',
    '90+'), ``persons`` (int). All ages is not repeated as a row: it is the sum of the ages.
    """
    wide = read_mye_persons_wide(path)
    ages = [c for c in wide.columns if c not in WIDE_ID_COLUMNS]
    long = wide.melt(
        id_vars=["mid_year", "area_code", "area_name", "geography"],
        value_vars=ages,
        var_name="age",
        value_name="persons",
    )
    # Keep areas together in published order, ages ascending within each.
    if len(wide):
        order = np.argsort(long.index.to_numpy() % len(wide), kind="stable")
        long = long.iloc[order].reset_index(drop=True)
    long["age"] = long["age"].astype("str")
    long["persons"] = long["persons"].astype("int64")
    return long.loc[:, list(OUTPUT_COLUMNS)]
