"""ONS "Police Force Area data tables" workbooks, parsed as published (SOURCES.md, ONS).

Every table sheet (one with an ``Area Code`` header) of every edition becomes one tidy long table:
one row per published cell, keyed by edition, table, area and measure. Nothing here branches on the
edition or the file name: the quirks that differ between editions (title footnotes, sheet names
with trailing spaces or in the accessible layout's "Table_P1"/"P1" form, header position, one or
two header rows, footnote digits on names, ``[note N]`` on headers, names and codes, years as
numeric headers, the marker vocabulary, a force published as markers across its whole row, blank
separator columns included) are handled by rules that hold for all of them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from openpyxl.utils import get_column_letter

from assets.lib.errors import RejectedFile
from assets.lib.workbook import workbook_sheets

OUTPUT_COLUMNS = (
    "edition_period_end",
    "table_id",
    "area_code",
    "area_name",
    "area_type",
    "measure",
    "value",
    "marker",
)

# P1 (counts by offence group) is what the scorecard is built on: an edition without it is not an
# edition of these tables, whatever else it holds.
REQUIRED_TABLE = "P1"

# Our offence-group measure ids -> (table, measure) in the parsed output. The measure names are the
# published headers once footnotes are stripped, so they hold for every edition seen so far.
ONS_OFFENCE_MEASURES: dict[str, tuple[str, str]] = {
    "homicide": ("P1", "Homicide"),
    "violence_with_injury": ("P1", "Violence with injury"),
    "knife_crime": ("P4", "Total of selected serious offences: Number of offences involving a knife"),
    "possession_of_weapons": ("P1", "Possession of weapons offences"),
    "burglary": ("P1", "Burglary"),
    "residential_burglary": ("P1", "Residential burglary"),
    "robbery": ("P1", "Robbery"),
    "vehicle_offences": ("P1", "Vehicle offences"),
    "theft_from_person": ("P1", "Theft from the person"),
    "total_excluding_fraud": ("P1", "Total recorded crime (excluding fraud)"),
}

# P2 is the published year-on-year % change. Knife crime has no P2 column: its changes are in P5,
# whose headers name the periods compared and so change with every edition.
ONS_OFFENCE_PCT_CHANGE_MEASURES: dict[str, tuple[str, str]] = {
    measure_id: ("P2", measure)
    for measure_id, (table_id, measure) in ONS_OFFENCE_MEASURES.items()
    if table_id == "P1"
}


def ons_measure_for_offence_group(measure_id: str, *, percentage_change: bool = False) -> tuple[str, str]:
    """(table_id, measure) holding one of our offence-group measures in the parsed ONS tables.

    ``percentage_change=True`` gives the P2 year-on-year change instead of the P1/P4 count.
    Raises KeyError for a measure the tables do not publish (e.g. knife crime % change).
    """
    mapping = ONS_OFFENCE_PCT_CHANGE_MEASURES if percentage_change else ONS_OFFENCE_MEASURES
    return mapping[measure_id]


# --- text rules -----------------------------------------------------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
# "year ending June 20191,2": the year is the first four digits, whatever footnotes follow.
_PERIOD = re.compile(r"year\s+ending\s+([A-Za-z]+)\.?\s+((?:19|20)\d\d)", re.IGNORECASE)
# "Table P1", "Table P4 " and the accessible layout's "Table_P1"; in a title "Table P1: ...".
_TABLE_ID = re.compile(r"\btable[\s_]*([A-Z]{1,2}\d{1,2}[a-z]?)(?![A-Za-z0-9])", re.IGNORECASE)
# Accessible-layout sheets may be named by the bare id: "P1".
_BARE_TABLE_ID = re.compile(r"\s*([A-Z]{1,2}\d{1,2}[a-z]?)\s*", re.IGNORECASE)

_NOTE = re.compile(r"\s*\[notes?\s*[\d, and]+\]", re.IGNORECASE)
_FOOTNOTE_RUN = r"\d{1,2}(?:\s?,\s?\d{1,2})*"
# "Mar '182" is the year '18 and footnote 2: two digits after an apostrophe are always the year.
_FOOTNOTE_AFTER_SHORT_YEAR = re.compile(rf"('\d\d){_FOOTNOTE_RUN}$")
# "June 20191,2": four-digit year then the footnotes.
_FOOTNOTE_AFTER_YEAR = re.compile(rf"(\b(?:19|20)\d\d){_FOOTNOTE_RUN}$")
# "Cheshire7", "Lancashire 8", "North West 7,8", "Stalking and harassment 4". Never a number that is
# part of the text: at most two digits, and not straight after a digit, comma, apostrophe, hyphen,
# slash or point ("rounded to 100", "Apr '11", "16-24", "mid-2018").
_FOOTNOTE_AT_END = re.compile(rf"\s*(?<![\d,'\-/.]){_FOOTNOTE_RUN}\s*$")
# "(excluding fraud3)", "(mid-2018)3  rounded to 100": footnotes glued inside a phrase.
_FOOTNOTE_BEFORE_PAREN = re.compile(rf"(?<=[A-Za-z]){_FOOTNOTE_RUN}(?=\))")
_FOOTNOTE_AFTER_PAREN = re.compile(rf"(?<=\)){_FOOTNOTE_RUN}(?=\s)")
_SPACES = re.compile(r"\s+")


def strip_footnotes(text: str) -> str:
    """A published label without footnote markers, ``[note N]`` or runs of whitespace/newlines."""
    text = _NOTE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    text = _FOOTNOTE_BEFORE_PAREN.sub("", text)
    text = _FOOTNOTE_AFTER_PAREN.sub("", text)
    for pattern in (_FOOTNOTE_AFTER_SHORT_YEAR, _FOOTNOTE_AFTER_YEAR):
        if pattern.search(text):
            return pattern.sub(r"\1", text).strip()
    return _FOOTNOTE_AT_END.sub("", text).strip()


_AREA_CODE = r"[A-Z]\d{8}"
# Codes carry footnotes too: 'E230000118' is South Yorkshire E23000011 with note 8.
_AREA_CODE_CELL = rf"({_AREA_CODE})\s?(?:{_FOOTNOTE_RUN})?"
# ONS shorthand: '-' not shown (base under 50), '..' not available, '+' suppressed, ':' not
# applicable, '*' and arrows for significance, bracketed codes ([x], [c], [z], [u], [low], ...) in
# the newer editions.
_MARKER = r"-|–|\.|\.\.|:|\*|\+|~|N/A|n/a|\[[a-z]{1,3}\]|\*?\s?[↑↓]"
_THOUSANDS = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"

_NAME_HEADER = re.compile(r"(?:police force area|police force|pfa|area) names?", re.IGNORECASE)
# "Area Code", "Area code", "Area Codes" (P5), "PFA code", "Area code [note 2]" once footnotes go.
_CODE_HEADER = re.compile(r"(?:police force area|police force|pfa|area) codes?", re.IGNORECASE)

_TYPE_BY_CODE_PREFIX = {
    "K02": "country",
    "K03": "country",
    "K04": "country",
    "E92": "nation",
    "W92": "nation",
    "S92": "nation",
    "N92": "nation",
    "E12": "region",
    "E23": "force",
    "W15": "force",
}


def _cell(row_index: int, column_index: int) -> str:
    """A1 reference of a cell given 0-based grid positions."""
    return f"{get_column_letter(column_index + 1)}{row_index + 1}"


def _texts(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid's text cells, stripped; every other cell NaN. Used for locating, not for values."""
    return grid.map(lambda v: v.strip() if isinstance(v, str) else np.nan).astype(object)


def _header_label(value: object) -> str | float:
    """A header cell as its label: text without footnotes, a number or a date as written.

    Population tables head their columns with the years as numbers (2002, or 2002.0 once a
    spreadsheet tool has touched it): those are labels like any text, "2002", not an empty header.
    A number cell cannot carry a footnote, so it is never stripped of trailing digits.
    """
    if isinstance(value, str):
        return strip_footnotes(value) or np.nan
    if isinstance(value, bool) or value is None:
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not np.isfinite(value):
            return np.nan
        return str(int(value)) if float(value).is_integer() else f"{float(value):g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return np.nan


def _without_notes(text: pd.Series) -> pd.Series:
    """Text cells without ``[note N]``: the accessible layout puts notes on area codes too."""
    return text.str.replace(_NOTE, "", regex=True).str.strip()


def _is_header(texts: pd.DataFrame, pattern: re.Pattern[str], keyword: str) -> pd.DataFrame:
    """Cells whose label, once footnotes are stripped, is the header ``pattern`` names.

    Only cells mentioning ``keyword`` are stripped: the title and note text make up most cells.
    """
    return texts.map(
        lambda v: isinstance(v, str) and keyword in v.lower() and pattern.fullmatch(strip_footnotes(v)) is not None
    )


# --- one sheet ------------------------------------------------------------------------------------


class _Table:
    """One table sheet, parsed but not yet stamped with the edition's period."""

    def __init__(self, table_id: str, period: date | None, title_cell: str, frame: pd.DataFrame) -> None:
        self.table_id = table_id
        self.period = period
        self.title_cell = title_cell
        self.frame = frame


def _header_labels(
    path: Path, sheet: str, grid: pd.DataFrame, header: int, first_measure_column: int
) -> dict[int, str]:
    """Column index -> measure name, combining the group row above the header where needed.

    A measure name is qualified by its group ("Homicide: Number of offences involving a knife")
    only when it would otherwise be ambiguous: repeated along the header row, or itself one of the
    group labels (P5 "% change ... compared with: Apr '10 to Mar '11"). Unique names stay plain so
    P1 reads "Homicide", not "Victim-based crime: Homicide".
    """
    columns = [c for c in grid.columns if c >= first_measure_column]
    clean = grid.loc[header, columns].map(_header_label).astype(object)
    if header > 0:
        group_literal = grid.loc[header - 1, columns].map(_header_label).astype(object)
    else:
        group_literal = pd.Series(np.nan, index=columns, dtype=object)
    # Merged group cells only carry text in their first column; read-only openpyxl has no merge
    # ranges, so a group runs until the next one starts.
    group = group_literal.ffill().map(lambda v: v.rstrip(":").strip(), na_action="ignore")

    measure_counts = clean.value_counts()
    group_labels = set(group_literal.dropna())
    labels: dict[int, str] = {}
    for column in columns:
        measure = clean[column]
        if not isinstance(measure, str) or not measure:
            if isinstance(group_literal[column], str):
                labels[column] = group_literal[column]
            continue
        ambiguous = measure_counts[measure] > 1 or measure in group_labels
        if ambiguous and isinstance(group[column], str) and group[column]:
            labels[column] = f"{group[column]}: {measure}"
        else:
            labels[column] = measure

    seen: dict[str, int] = {}
    for column, label in labels.items():
        if label in seen:
            raise RejectedFile(
                path,
                f"measure header '{label}' appears twice (also at {_cell(header, seen[label])}): "
                "cannot tell the columns apart",
                sheet=sheet,
                cell=_cell(header, column),
            )
        seen[label] = column
    return labels


class _Cells:
    """Published cells sorted into blank, number (with its value), marker, and anything else."""

    def __init__(self, raw: pd.Series) -> None:
        present = raw.notna().to_numpy()
        self.text = raw.astype(str).str.strip()
        self.blank = ~present | self.text.eq("").to_numpy()
        numeric = pd.to_numeric(self.text.where(~self.blank), errors="coerce")
        thousands = self.text.str.fullmatch(_THOUSANDS).fillna(False).astype(bool).to_numpy()
        if thousands.any():
            numeric = numeric.where(~thousands, pd.to_numeric(self.text.str.replace(",", ""), errors="coerce"))
        self.numeric = numeric
        self.is_number = numeric.notna().to_numpy()
        matches_marker = self.text.str.fullmatch(_MARKER).fillna(False).astype(bool).to_numpy()
        self.is_marker = ~self.blank & ~self.is_number & matches_marker
        self.is_other = ~self.blank & ~self.is_number & ~self.is_marker


def _values(path: Path, sheet: str, raw: pd.Series, rows: np.ndarray, columns: np.ndarray,
            labels: dict[int, str] | None = None) -> tuple:
    """Published cells -> (value, marker). Numbers stay numbers, known markers go to ``marker``. A cell that is
    neither is named by its sheet, cell and the column's header as ONS wrote it (`labels`)."""
    cells = _Cells(raw)
    text, bad = cells.text, cells.is_other
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise RejectedFile(
            path,
            f"'{text.iloc[at]}' is neither a number nor a known ONS marker (-, .., :, +, *, N/A, [x], ...)",
            sheet=sheet,
            cell=_cell(int(rows[at]), int(columns[at])),
            column=(labels or {}).get(int(columns[at])),
        )
    value = cells.numeric.where(cells.is_number).astype("float64")
    marker = text.where(cells.is_marker)
    return value.to_numpy(), marker.to_numpy()


def _area_types(path: Path, sheet: str, codes: pd.Series, names: pd.Series, code_column: int) -> pd.Series:
    """Area type from the GSS code; the few published rows without a code are typed by name."""
    types = codes.str[:3].map(_TYPE_BY_CODE_PREFIX)
    unknown_code = codes.notna() & types.isna()
    if unknown_code.any():
        row = unknown_code.idxmax()
        raise RejectedFile(
            path,
            f"area code '{codes[row]}' is not a country, nation, region or police force area code",
            sheet=sheet,
            cell=_cell(row, code_column),
        )
    lowered = names.str.lower()
    no_code = codes.isna()
    types = types.mask(no_code & lowered.str.startswith("british transport police"), "force")
    types = types.mask(no_code & lowered.str.startswith("england and wales"), "country")
    types = types.mask(no_code & types.isna() & lowered.str.match(r"(england|wales)\b"), "nation")
    untyped = types.isna()
    if untyped.any():
        row = untyped.idxmax()
        raise RejectedFile(
            path,
            f"area '{names[row]}' has no area code and is not British Transport Police or an "
            "England/Wales total: areas are keyed by code",
            sheet=sheet,
            cell=_cell(row, code_column),
        )
    return types


def _parse_sheet(path: Path, sheet: str, rows: list[tuple]) -> _Table | None:
    grid = pd.DataFrame(rows, dtype=object)
    if grid.empty:
        return None
    texts = _texts(grid)

    # The header row is the row of the 'Area Code' cell, whatever its depth, spelling ("Area code",
    # "PFA code") or footnotes ("Area code [note 2]").
    hits = np.argwhere(_is_header(texts, _CODE_HEADER, "code").to_numpy())
    if len(hits) == 0:
        looks_like_code = texts.apply(lambda column: _without_notes(column).str.fullmatch(_AREA_CODE_CELL))
        codes = np.argwhere(looks_like_code.fillna(False).astype(bool).to_numpy())
        if len(codes):
            row, column = (int(v) for v in codes[0])
            raise RejectedFile(
                path,
                "the sheet holds area codes but no 'Area Code' header above them",
                sheet=sheet,
                cell=_cell(row, column),
            )
        return None  # Notes, contents and tables not by area (P7/P8 anti-social behaviour).
    header, code_column = (int(v) for v in hits[0])

    # The name header sits on the header row, or (P6) on the group row above it.
    name_column = None
    for row in (header, header - 1):
        if row >= 0:
            found = np.flatnonzero(_is_header(texts.loc[[row]], _NAME_HEADER, "name").to_numpy()[0])
            if len(found):
                name_column = int(found[0])
                break
    if name_column is None:
        raise RejectedFile(
            path,
            "no 'Area Name' header on the 'Area Code' header row",
            sheet=sheet,
            cell=_cell(header, code_column + 1),
        )

    above = texts.loc[: header - 1].stack().dropna() if header > 0 else pd.Series(dtype=object)
    title_cell = _cell(*above.index[0]) if len(above) else _cell(0, 0)
    # The sheet name first ("Table P1", "Table_P1", bare "P1"), then the title ("Table P1: ...").
    matches = (_TABLE_ID.search(sheet), _BARE_TABLE_ID.fullmatch(sheet), *map(_TABLE_ID.search, above.tolist()))
    match = next((m for m in matches if m), None)
    if match is None:
        raise RejectedFile(path, "no 'Table <id>' in the sheet name or title", sheet=sheet, cell=title_cell)
    table_id = match.group(1).upper()
    periods = [
        date(int(year), _MONTHS[month.lower()], calendar.monthrange(int(year), _MONTHS[month.lower()])[1])
        for text in above.tolist()
        for month, year in _PERIOD.findall(text)
        if month.lower() in _MONTHS
    ]
    # P2 and P5 titles name the earlier periods compared as well: the table's own is the latest.
    period = max(periods) if periods else None

    labels = _header_labels(path, sheet, grid, header, max(code_column, name_column) + 1)

    body = grid.loc[header + 1 :]
    code_text = _without_notes(texts.loc[header + 1 :, code_column].astype("str"))
    name_text = texts.loc[header + 1 :, name_column].astype("str").replace("", np.nan)
    code_parts = code_text.str.extract(f"^{_AREA_CODE_CELL}$", expand=False)
    is_code = code_parts.notna()
    # The table ends at the first text in the code column that is not a code and has no area name
    # beside it: "Source: ...", then the numbered notes.
    footer = code_text.notna() & code_text.ne("") & ~is_code & name_text.isna()
    if footer.any():
        end = footer.idxmax()
        body, is_code, name_text, code_text, code_parts = (
            part.loc[: end - 1] for part in (body, is_code, name_text, code_text, code_parts)
        )
    stray_code = code_text.notna() & code_text.ne("") & ~is_code
    if stray_code.any():
        row = stray_code.idxmax()
        raise RejectedFile(
            path, f"'{code_text[row]}' is not an area code", sheet=sheet, cell=_cell(row, code_column)
        )
    # Blank rows and unit rows ("Numbers", "Rate per 1,000 population") carry no area.
    data = is_code | name_text.notna()
    body = body.loc[data]

    measure_columns = list(labels)
    unlabelled = [c for c in body.columns if c > max(code_column, name_column) and c not in labels]
    if unlabelled and len(body):
        # A force not available for the period is published as '..' across its whole row, the
        # blank separator columns included: a marker under no header says nothing and is dropped.
        # A number or other text there would be data no header describes: the layout is broken.
        cells = _Cells(pd.Series(body[unlabelled].to_numpy().ravel(), dtype=object))
        stray = cells.is_number | cells.is_other
        if stray.any():
            at = int(np.flatnonzero(stray)[0])
            row_at, column_at = divmod(at, len(unlabelled))
            raise RejectedFile(
                path,
                f"a value ('{cells.text.iloc[at]}') sits in a column with no header",
                sheet=sheet,
                cell=_cell(int(body.index[row_at]), int(unlabelled[column_at])),
            )

    row_index = body.index.to_numpy()
    n_rows, n_columns = len(row_index), len(measure_columns)
    rows_long = np.repeat(row_index, n_columns)
    columns_long = np.tile(np.array(measure_columns), n_rows)
    raw = pd.Series(body[measure_columns].to_numpy().ravel(), dtype=object)
    value, marker = _values(path, sheet, raw, rows_long, columns_long, labels)

    codes = code_parts.loc[body.index]
    names = name_text.loc[body.index].fillna("").map(strip_footnotes)
    area_type = _area_types(path, sheet, codes, names, code_column)

    frame = pd.DataFrame(
        {
            "table_id": table_id,
            "area_code": np.repeat(codes.to_numpy(dtype=object), n_columns),
            "area_name": np.repeat(names.to_numpy(dtype=object), n_columns),
            "area_type": np.repeat(area_type.to_numpy(dtype=object), n_columns),
            "measure": np.tile(np.array([labels[c] for c in measure_columns], dtype=object), n_rows),
            "value": value,
            "marker": marker,
        }
    )
    return _Table(table_id, period, title_cell, frame)


# --- workbooks ------------------------------------------------------------------------------------


def read_ons_pfa_workbook(path: str | Path) -> pd.DataFrame:
    """Every table sheet of one ONS PFA data-tables edition as one long table.

    Columns: ``edition_period_end`` (date: the last day of the "year ending <Month> <YYYY>" in the
    table titles), ``table_id`` ('P1', ...), ``area_code`` (GSS code, None for British Transport
    Police and the "excluding Greater Manchester" totals), ``area_name`` (published name without
    footnote markers), ``area_type`` ('country', 'nation', 'region', 'force'), ``measure``,
    ``value`` (float, NaN when not published), ``marker`` (the published marker text, else None).
    One row per published cell, blanks included, so every table is complete.
    """
    path = Path(path)
    tables: dict[str, tuple[str, _Table]] = {}
    for sheet, rows in workbook_sheets(path):
        table = _parse_sheet(path, sheet, rows)
        if table is None:
            continue
        if table.table_id in tables:
            raise RejectedFile(
                path,
                f"Table {table.table_id} also on sheet '{tables[table.table_id][0]}'",
                sheet=sheet,
                cell=table.title_cell,
            )
        tables[table.table_id] = (sheet, table)

    if REQUIRED_TABLE not in tables:
        raise RejectedFile(
            path,
            f"no 'Table {REQUIRED_TABLE}' sheet with an 'Area Code' header "
            f"(table sheets found: {', '.join(s for s, _ in tables.values()) or 'none'})",
            sheet=f"Table {REQUIRED_TABLE}",
        )
    periods = [t.period for _, t in tables.values() if t.period is not None]
    if not periods:
        sheet, table = tables[REQUIRED_TABLE]
        raise RejectedFile(
            path, "no 'year ending <Month> <YYYY>' in any table title", sheet=sheet, cell=table.title_cell
        )
    edition = max(periods)

    frame = pd.concat([t.frame for _, t in tables.values()], ignore_index=True)
    frame.insert(0, "edition_period_end", pd.array([edition] * len(frame), dtype=pd.ArrowDtype(pa.date32())))
    return _typed(frame)


def read_ons_pfa_editions(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Several editions in one long table (the same columns as ``read_ons_pfa_workbook``).

    Two files for the same edition period: the later path in ``paths`` supersedes the earlier one,
    so callers pass files in delivery order.
    """
    by_edition: dict[date, pd.DataFrame] = {}
    for path in paths:
        frame = read_ons_pfa_workbook(path)
        by_edition[frame["edition_period_end"].iloc[0]] = frame
    if not by_edition:
        return _typed(pd.DataFrame({c: [] for c in OUTPUT_COLUMNS}))
    return pd.concat([by_edition[k] for k in sorted(by_edition)], ignore_index=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.loc[:, list(OUTPUT_COLUMNS)]
    if not isinstance(frame["edition_period_end"].dtype, pd.ArrowDtype):
        frame["edition_period_end"] = frame["edition_period_end"].astype(pd.ArrowDtype(pa.date32()))
    for column in ("table_id", "area_code", "area_name", "area_type", "measure", "marker"):
        frame[column] = frame[column].astype("str")
    frame["value"] = frame["value"].astype("float64")
    return frame
