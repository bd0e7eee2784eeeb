"""The board's scorecard workbook, one per quarter, written from the marts with openpyxl."""

from pathlib import Path

import pandas as pd
from dagster import MaterializeResult, MetadataValue, asset
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assets.marts import national_measures
from pipelines.resources import Exports, Warehouse

FORMULA_PREFIXES = ("=", "+", "-", "@")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
GREEN = PatternFill("solid", fgColor="C6EFCE")
RED = PatternFill("solid", fgColor="FFC7CE")
AMBER = PatternFill("solid", fgColor="FFEB9C")

NATIONAL_COLUMNS = {
    "force_name": "Force",
    "priority": "Priority",
    "measure_name": "Measure",
    "window": "Latest 12 months",
    "value": "Latest 12 months value",
    "baseline_value": "Baseline (year to June 2019)",
    "change": "Change",
    "pct_change": "% change",
    "direction": "Direction",
    "quality_flags": "Quality flags",
}


def append_row(sheet, values: list[object]) -> None:
    """Append a row; text that Excel would read as a formula (=, +, - or @ first) is stored as a
    string with Excel's quote prefix, so opening the workbook can never run it."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True


def quarter_label(quarter_end: pd.Timestamp) -> str:
    return f"{quarter_end.year}-Q{(quarter_end.month - 1) // 3 + 1}"


def _write_table(sheet, frame: pd.DataFrame, headers: dict[str, str]) -> None:
    append_row(sheet, list(headers.values()))
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for record in frame[list(headers)].itertuples(index=False):
        append_row(sheet, [None if pd.isna(v) else v for v in record])
    for index, column in enumerate(headers, start=1):
        width = max([len(str(headers[column]))] + [len(str(v)) for v in frame[column].head(200)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"


def write_scorecard(path: Path, measures: pd.DataFrame) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "National measures"
    frame = measures.copy()
    frame["window"] = (frame["window_start"].dt.strftime("%b %Y") + " to " + frame["window_end"].dt.strftime("%b %Y"))
    _write_table(sheet, frame, NATIONAL_COLUMNS)
    last = sheet.max_row
    columns = list(NATIONAL_COLUMNS)
    for name, number_format in {"value": "#,##0.0", "baseline_value": "#,##0.0", "change": "+#,##0.0;-#,##0.0;0",
                                "pct_change": '+0.0"%";-0.0"%";0.0"%"'}.items():
        letter = get_column_letter(columns.index(name) + 1)
        for (cell,) in sheet[f"{letter}2:{letter}{last}"]:
            cell.number_format = number_format
    direction = get_column_letter(columns.index("direction") + 1)
    span = f"A2:{get_column_letter(len(columns))}{last}"
    for word, fill in (("improving", GREEN), ("worsening", RED), ("stable", AMBER)):
        sheet.conditional_formatting.add(span, FormulaRule(formula=[f'${direction}2="{word}"'], fill=fill))

    notes = workbook.create_sheet("Notes")
    for line in (
        ["Scorecard", f"Quarter ending {measures['quarter_end'].iloc[0]:%d %B %Y}"],
        ["Baseline", "The 12 months to June 2019 (National Crime and Policing Measures baseline)"],
        ["Window", "The 12 complete months ending at quarter end, less the source's reporting lag"],
        ["Sources", "; ".join(sorted(measures["source"].dropna().unique()))],
        ["Quality flags", "months_missing: months without data in the window; suppressed_months: NHS "
                          "disclosure control; baseline_months_missing: baseline year incomplete"],
    ):
        append_row(notes, line)
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 18, 110
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


@asset(group_name="marts", deps=[national_measures],
       description="warehouse/exports/scorecard-<YYYY>-Q<n>.xlsx for every quarter in marts.national_measures.")
def scorecard_workbooks(warehouse: Warehouse, exports: Exports) -> MaterializeResult:
    with warehouse.get_connection() as conn:
        measures = conn.execute(
            "select n.*, f.force_name from marts.national_measures n join core.dim_force f using (force_code) "
            "join core.dim_measure m using (measure_id) order by n.quarter_end, f.force_name, m.display_order"
        ).df()
    for column in ("quarter_end", "window_start", "window_end"):
        measures[column] = pd.to_datetime(measures[column])
    written = []
    for quarter_end, quarter in measures.groupby("quarter_end"):
        path = exports.path / f"scorecard-{quarter_label(quarter_end)}.xlsx"
        write_scorecard(path, quarter)
        written.append(path.name)
    return MaterializeResult(metadata={
        "workbooks": len(written),
        "latest": MetadataValue.path(str(exports.path / written[-1])) if written else "none",
        "files": MetadataValue.json(written),
    })
