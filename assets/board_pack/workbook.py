"""The scorecard workbook for the board: national measures, KPIs, trend charts, notes and data quality,
laid out to print. A pure function of the mart frames passed in (no Dagster, no database)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import DateAxis
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from assets.board_pack.common import (
    cyclic_gc_paused,
    force_of,
    in_board_order,
    months_between,
    not_comparable_reason,
    paper_in_order,
    plain,
    sentence_case,
    single_value,
    timestamp_of,
    window_text,
)

FORMULA_PREFIXES = ("=", "+", "-", "@")


TITLE_FONT = Font(bold=True, size=14)


BOLD = Font(bold=True)


HEADER_FONT = Font(bold=True, color="FFFFFF")


HEADER_FILL = PatternFill("solid", fgColor="1F3864")


# Excel's own "good / bad / neutral" pairs, so the sheet looks like a hand-made board table
GREEN_FILL, GREEN_FONT = PatternFill("solid", bgColor="C6EFCE"), Font(color="006100")


RED_FILL, RED_FONT = PatternFill("solid", bgColor="FFC7CE"), Font(color="9C0006")


NEUTRAL_FILL, NEUTRAL_FONT = PatternFill("solid", bgColor="DDEBF7"), Font(color="1F3864")


# painted, not conditional: a not-comparable row is grey whatever is typed into it
GREY_FILL, GREY_FONT = PatternFill("solid", fgColor="EDEDED"), Font(color="595959")


GREY_RULE_FILL = PatternFill("solid", bgColor="EDEDED")  # the same grey as a conditional format


GROUP_BORDER = Border(top=Side(style="medium", color="1F3864"))


WRAP = Alignment(wrap_text=True, vertical="top")


COUNT_FORMAT = "#,##0"


PERCENT_FORMAT = '0.0"%"'  # the marts hold percents as 0-100, so Excel's % (which multiplies by 100) is wrong here


RATIO_FORMAT = "0.00"


SIGNED_COUNT_FORMAT = "+#,##0;-#,##0;0"


SIGNED_POINTS_FORMAT = '+0.0" pp";-0.0" pp";0.0" pp"'


SIGNED_PERCENT_FORMAT = '+0.0"%";-0.0"%";0.0"%"'


DATE_FORMAT = "d mmm yyyy"


MONTH_FORMAT = "mmm yyyy"


NATIONAL_HEADERS = ("Priority", "Measure", "Latest 12 months", "Value", "Baseline (year to June 2019)", "Change",
                    "% change", "Direction", "England and Wales % change", "Quality flags")


NATIONAL_WIDTHS = (22, 48, 22, 12, 14, 12, 10, 12, 14, 34)


PAPER_HEADERS = ("Section", "Figure", "Period", "Value", "Set against", "Comparison", "Change", "Quoted in",
                 "Quality flags")


PAPER_WIDTHS = (20, 52, 22, 12, 18, 12, 22, 16, 34)


COMMENTARY_WIDTH = 90


# NHS "Making Data Count" variation of a measure's latest month, in words (marts.measure_spc.variation)
VARIATION_WORDS = {"common_cause": "Common cause: no signal", "special_cause_concern": "Special cause: concern",
                   "special_cause_improvement": "Special cause: improvement",
                   "no_point": "No value for the month"}


# marts.kpi_assurance in words
ASSURANCE_WORDS = {"consistently_met": "Consistently met", "consistently_missed": "Consistently missed",
                   "hit_and_miss": "Hit and miss", "not_enough_data": "Not enough months to judge"}


# What each sheet holds, for the cover's contents
SHEET_CONTENTS = {
    "National measures": "The National Crime and Policing Measures: the latest 12 months against the year to June "
                         "2019, with the commentary of the draft statement",
    "PCP KPIs": "The Police and Crime Plan KPIs against their targets",
    "Board paper figures": "The paper's other figures: firearms, drugs, fraud, shares, recruitment",
    "Trends": "A monthly chart of each measure, with its statistical process control limits",
    "Trend data": "The monthly figures the charts plot, with each chart's centre line and limits",
    "Notes": "Definitions, sources, the months behind each figure and data quality",
}


KPI_HEADERS = ("KPI", "Value", "Unit", "Target", "Target kind", "Baseline", "Baseline date", "Status")


KPI_WIDTHS = (60, 12, 10, 10, 22, 12, 14, 10)


# Words the board reads instead of the marts' codes
DIRECTION_WORDS = {"improving": "Improving", "worsening": "Worsening", "stable": "Stable"}


STATUS_WORDS = {"met": "Met", "not_met": "Not met", "monitor": "Monitor", "no_data": "No data",
                "no_baseline": "No baseline", "not_comparable": "Not comparable"}


TARGET_KIND_WORDS = {"at_least": "At least the target", "at_most": "At most the target",
                     "increase_on_baseline": "Increase on baseline", "monitor": "Monitor (no target)",
                     "baseline_band": "The baseline band or higher"}


QUALITY_FLAG_MEANINGS = {
    "months_missing": "months of the latest 12 with no data delivered",
    "suppressed_months": "months of the latest 12 withheld by the source's disclosure control (small numbers)",
    "baseline_months_missing": "months of the baseline year with no data (and no ONS published figure to use)",
    "baseline_suppressed_months": "months of the baseline year withheld by disclosure control (and no ONS figure)",
    "no_baseline": "no baseline figure: the source has no data for the baseline year",
}


# two charts to an A4 landscape page, each the page's width: 9 columns of TRENDS_COLUMN_WIDTH (about 2.7 cm)
# across, 15 rows of default height (0.53 cm) down with a row's gap, so two charts and the title rows take
# 16.9 cm of the page's 18 cm between margins at 100%
CHART_WIDTH_CM, CHART_HEIGHT_CM = 24.0, 7.4


TRENDS_COLUMN_WIDTH = 14


TRENDS_CHART_ROWS = 15  # rows of TRENDS_ROW_POINTS a chart of CHART_HEIGHT_CM covers (14), plus a gap
TRENDS_ROW_POINTS = 15  # Excel's default row height (0.53 cm), set on every row of the Trends sheet


CHART_ROWS_PER_PAGE = 2
TRENDS_CHART_COLUMNS = 9  # columns of TRENDS_COLUMN_WIDTH a chart of CHART_WIDTH_CM covers


def _put(sheet: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> Cell:
    """Write one cell. Text Excel would read as a formula (=, +, - or @ first) is stored as a string with Excel's
    quote prefix: opening the workbook never runs it, and editing the cell keeps it text."""
    return _fill(sheet.cell(row=row, column=column), value, number_format)


def _fill(cell: Cell, value: object, number_format: str | None = None) -> Cell:
    """Give a cell its value and number format as _put does (a cell not yet on a sheet, for Worksheet.append)."""
    value = plain(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters from extracts would corrupt the file
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def _put_row(sheet: Worksheet, row: int, values: Iterable[object], font: Font | None = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = _put(sheet, row, column, value)
        if font is not None:
            cell.font = font


def _header(sheet: Worksheet, row: int, headers: Sequence[str], widths: Sequence[int]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, row, column, text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.print_title_rows = f"{row}:{row}"


def _for_print(sheet: Worksheet) -> None:
    # board papers are printed in the UK: A4 landscape, one page wide, numbered pages
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.oddFooter.left.text = "&A"
    sheet.oddFooter.right.text = "Page &P of &N"


def _highlight(sheet: Worksheet, column: int, first: int, last: int, colours: Mapping[str, tuple]) -> None:
    """Colour a column's cells by their text with formula rules, so the colour follows the value when the cell
    is edited or the rows are re-sorted, rather than being painted on once."""
    if last < first:
        return
    letter = get_column_letter(column)
    span = f"{letter}{first}:{letter}{last}"
    for word, (fill, font) in colours.items():
        sheet.conditional_formatting.add(span, FormulaRule(formula=[f'${letter}{first}="{word}"'], fill=fill,
                                                           font=font))


def _unit_formats(unit: object) -> tuple[str, str]:
    """(level format, change format) for a measure's unit."""
    if unit == "percent":
        return PERCENT_FORMAT, SIGNED_POINTS_FORMAT
    if unit == "ratio":
        return RATIO_FORMAT, '+0.00;-0.00;0.00'
    return COUNT_FORMAT, SIGNED_COUNT_FORMAT


def _national_sheet(sheet: Worksheet, national: pd.DataFrame, in_order: Sequence[Mapping[str, object]],
                    commentary: Mapping[str, str] | None = None,
                    variation: Mapping[str, str] | None = None) -> None:
    force_name = force_of(national)
    force_code = national["force_code"].iloc[0] if "force_code" in national.columns else None
    quarter_end = pd.Timestamp(single_value(national, "quarter_end", "national"))
    baseline_start = timestamp_of(national["baseline_start"].dropna().min())
    baseline_end = timestamp_of(national["baseline_end"].dropna().max())

    _put(sheet, 1, 1, f"{force_name}: National Crime and Policing Measures").font = TITLE_FONT
    _put(sheet, 2, 1, f"Quarter ending {quarter_end.day} {quarter_end:%B %Y}"
                      + (f" ({force_code})" if force_code else ""))
    if baseline_start is not None and baseline_end is not None:
        _put(sheet, 3, 1, f"Baseline: the year ending {baseline_end:%B %Y} ({baseline_start.day} "
                          f"{baseline_start:%B %Y} to {baseline_end.day} {baseline_end:%B %Y})")
    _put(sheet, 4, 1, "Latest 12 months: the 12 complete months to the quarter end, less each source's reporting "
                      "lag (see Notes)")
    header_row = 6
    headers, widths = NATIONAL_HEADERS, NATIONAL_WIDTHS
    if variation is not None:
        # what the measure's SPC chart says of its latest month: the trend column of the table
        headers, widths = (*headers, "Variation (SPC, latest month)"), (*widths, 18)
    if commentary:
        # the statement's paragraph beside its measure, so the sheet reads like the paper
        headers, widths = (*headers, "Commentary"), (*widths, COMMENTARY_WIDTH)
    _header(sheet, header_row, headers, widths)

    row, previous_priority = header_row, None
    for record in in_order:
        row += 1
        level, change = _unit_formats(record.get("unit"))
        cells = [
            _put(sheet, row, 1, record["priority"]),
            _put(sheet, row, 2, record["measure_name"]),
            _put(sheet, row, 3, window_text(record["window_start"], record["window_end"])),
            _put(sheet, row, 4, record["value"], level),
            _put(sheet, row, 5, record.get("baseline_value"), level),
            _put(sheet, row, 6, record.get("change"), change),
            _put(sheet, row, 7, record.get("pct_change"), SIGNED_PERCENT_FORMAT),
            _put(sheet, row, 8, DIRECTION_WORDS.get(record.get("direction"), record.get("direction"))
                 if not_comparable_reason(record) is None else f"Not comparable: {not_comparable_reason(record)}"),
            _put(sheet, row, 9, record.get("england_wales_pct_change"), SIGNED_PERCENT_FORMAT),
            _put(sheet, row, 10, record.get("quality_flags") or None),
        ]
        if variation is not None:
            code = variation.get(record["measure_id"])
            cells.append(_put(sheet, row, len(cells) + 1, VARIATION_WORDS.get(code, code) if code else
                              "No SPC chart"))
        if commentary:
            cells.append(_put(sheet, row, len(cells) + 1, commentary.get(record["measure_id"])))
        for cell in cells:
            cell.alignment = WRAP
            if not_comparable_reason(record) is not None:
                # grey, never coloured: a partial window is not better or worse than anything
                cell.fill, cell.font = GREY_FILL, GREY_FONT
        if record["priority"] != previous_priority:
            cells[0].font = BOLD
            if previous_priority is not None:
                for cell in cells:
                    cell.border = GROUP_BORDER
        previous_priority = record["priority"]

    _highlight(sheet, 8, header_row + 1, row, {"Improving": (GREEN_FILL, GREEN_FONT),
                                               "Worsening": (RED_FILL, RED_FONT),
                                               "Stable": (NEUTRAL_FILL, NEUTRAL_FONT)})
    if row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{row}"
    _for_print(sheet)


def _target(record: Mapping[str, object], level: str) -> tuple[object, str | None]:
    """The KPI's target cell: the target, or for a baseline band its range in words ("92.0% to 95.0%")."""
    low, high = plain(record.get("baseline_low")), plain(record.get("baseline_high"))
    if record.get("target_kind") == "baseline_band" and low is not None and high is not None:
        unit = "%" if record.get("unit") == "percent" else ""
        return f"{low:,.1f}{unit} to {high:,.1f}{unit}", None
    return record.get("target"), level


def _kpi_sheet(sheet: Worksheet, kpis: pd.DataFrame, force_name: object, quarter_end: pd.Timestamp,
               assurance: Mapping[str, str] | None = None) -> None:
    _put(sheet, 1, 1, f"{force_name}: Police and Crime Plan KPI scorecard").font = TITLE_FONT
    _put(sheet, 2, 1, f"Quarter ending {quarter_end.day} {quarter_end:%B %Y}")
    header_row = 4
    headers, widths = KPI_HEADERS, KPI_WIDTHS
    if assurance is not None:
        # Making Data Count's assurance: will the target be met, judged from the monthly chart's limits
        headers, widths = (*headers, "Assurance (SPC)"), (*widths, 22)
    _header(sheet, header_row, headers, widths)
    row = header_row
    for record in kpis.to_dict("records"):
        row += 1
        level, _ = _unit_formats(record.get("unit"))
        baseline_date = timestamp_of(record.get("baseline_date"))
        cells = [
            _put(sheet, row, 1, record["kpi_name"]),
            _put(sheet, row, 2, record["value"], level),
            _put(sheet, row, 3, record.get("unit")),
            _put(sheet, row, 4, *_target(record, level)),
            _put(sheet, row, 5, TARGET_KIND_WORDS.get(record.get("target_kind"), record.get("target_kind"))),
            _put(sheet, row, 6, record.get("baseline_value"), level),
            _put(sheet, row, 7, None if baseline_date is None else baseline_date.date(), DATE_FORMAT),
            _put(sheet, row, 8, STATUS_WORDS.get(record.get("status"), record.get("status"))),
        ]
        if assurance is not None:
            code = assurance.get(record.get("kpi_id"))
            cells.append(_put(sheet, row, 9, ASSURANCE_WORDS.get(code, code) if code else None))
        for cell in cells:
            cell.alignment = WRAP
    # monitor is neutral: amber would read as "at risk"; no data and not comparable are grey
    _highlight(sheet, 8, header_row + 1, row, {"Met": (GREEN_FILL, GREEN_FONT), "Not met": (RED_FILL, RED_FONT),
                                               "Monitor": (NEUTRAL_FILL, NEUTRAL_FONT),
                                               "No data": (GREY_RULE_FILL, GREY_FONT),
                                               "No baseline": (GREY_RULE_FILL, GREY_FONT),
                                               "Not comparable": (GREY_RULE_FILL, GREY_FONT)})
    if row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{row}"
    _for_print(sheet)


def latest_variation(spc: pd.DataFrame, national: pd.DataFrame) -> dict[str, str]:
    """Each measure's SPC variation at the last month of its latest 12 months (marts.measure_spc), by measure_id:
    'no_point' when its chart has no point that month (a gap); a measure without a chart is left out."""
    if spc.empty:
        return {}
    ends = {m: pd.Timestamp(e).to_period("M").to_timestamp() for m, e in zip(national["measure_id"],
                                                                              national["window_end"], strict=True)
            if pd.notna(e)}
    points = spc.assign(month=pd.to_datetime(spc["month"]))
    latest = points[points["month"] == points["measure_id"].map(ends)]
    return {**{measure: "no_point" for measure in points["measure_id"].unique()},
            **dict(zip(latest["measure_id"], latest["variation"], strict=True))}


def _cover_sheet(sheet: Worksheet, force_name: object, quarter_end: pd.Timestamp, sheets: Sequence[str],
                 prepared: date | None) -> None:
    """Force, quarter, date and contents, each sheet's name a link to it."""
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    _put(sheet, 1, 1, f"{force_name}").font = TITLE_FONT
    _put(sheet, 2, 1, "Police and Crime Plan and National Crime and Policing Measures: quarterly "
         "performance").font = BOLD
    _put(sheet, 4, 1, "Quarter ending")
    _put(sheet, 4, 2, f"{quarter_end.day} {quarter_end:%B %Y}")
    row = 5
    if prepared is not None:
        _put(sheet, row, 1, "Prepared")
        _put(sheet, row, 2, f"{prepared.day} {prepared:%B %Y}")
        row += 1
    _put(sheet, row, 1, "Status")
    _put(sheet, row, 2, "Draft from the warehouse: every figure is taken from its marts")
    row += 2
    _put(sheet, row, 1, "Contents").font = BOLD
    for name in sheets:
        row += 1
        cell = _put(sheet, row, 1, name)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name}'!A1")  # a link inside the workbook
        cell.style = "Hyperlink"
        _put(sheet, row, 2, SHEET_CONTENTS.get(name)).alignment = WRAP
    _for_print(sheet)
    sheet.page_setup.fitToHeight = 1


def _paper_sheet(sheet: Worksheet, figures: pd.DataFrame, force_name: object, quarter_end: pd.Timestamp) -> None:
    """The board paper's other figures (marts.board_paper_figures): firearms recovered, warrants, drug treatment,
    fraud, shares of homicide and theft, recruitment at the report's dates. A change is given only where both
    windows are complete; the others are grey, with why."""
    _put(sheet, 1, 1, f"{force_name}: further figures of the board paper").font = TITLE_FONT
    _put(sheet, 2, 1, f"Quarter ending {quarter_end.day} {quarter_end:%B %Y}. Each figure over its own period; "
         "a change only where both periods are complete.")
    header_row = 4
    _header(sheet, header_row, PAPER_HEADERS, PAPER_WIDTHS)
    row, previous_section = header_row, None
    for record in paper_in_order(figures).to_dict("records"):
        row += 1
        level = _unit_formats(record.get("unit"))[0]
        comparable = plain(record.get("comparable")) is True
        has_comparison = plain(record.get("comparison_value")) is not None
        if not has_comparison:
            change: object = None
        elif comparable:
            change = plain(record["value"]) - plain(record["comparison_value"])
        else:
            missing = plain(record.get("months_missing")) or 0
            change = f"Not comparable: {missing} month{'s' if missing != 1 else ''} missing"
        cells = [
            _put(sheet, row, 1, record["section"]),
            _put(sheet, row, 2, sentence_case(record["label"])),
            _put(sheet, row, 3, record.get("period_label")),
            _put(sheet, row, 4, record.get("value"), level),
            _put(sheet, row, 5, record.get("comparison_label")),
            _put(sheet, row, 6, record.get("comparison_value"), level),
            _put(sheet, row, 7, change, None if isinstance(change, str) else _unit_formats(record.get("unit"))[1]),
            _put(sheet, row, 8, record.get("paper_ref")),
            _put(sheet, row, 9, record.get("quality_flags") or None),
        ]
        for cell in cells:
            cell.alignment = WRAP
            if has_comparison and not comparable:
                cell.fill, cell.font = GREY_FILL, GREY_FONT
        if record["section"] != previous_section:
            cells[0].font = BOLD
            if previous_section is not None:
                for cell in cells:
                    cell.border = GROUP_BORDER
        previous_section = record["section"]
    if row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(PAPER_HEADERS))}{row}"
    _for_print(sheet)


def _monthly_wide(monthly: pd.DataFrame, national: pd.DataFrame,
                  in_order: Sequence[Mapping[str, object]]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Months down, measures across (board order first, then any measure only the monthly frame has), and each
    measure's label."""
    frame = monthly.copy()
    frame["month"] = pd.to_datetime(frame["month"])
    ordered_ids = list(dict.fromkeys([record["measure_id"] for record in in_order] + list(frame["measure_id"])))
    present = set(frame["measure_id"])
    ordered_ids = [measure for measure in ordered_ids if measure in present]
    labels = dict(zip(national["measure_id"], national["measure_name"], strict=True))
    if "measure_name" in frame.columns:
        labels.update(frame.dropna(subset=["measure_name"]).drop_duplicates("measure_id")
                      .set_index("measure_id")["measure_name"].to_dict())
    # min_count=1: a month with no value (suppressed) stays empty rather than becoming 0
    wide = (frame.groupby(["month", "measure_id"])["value"].sum(min_count=1).unstack("measure_id")
            .reindex(columns=ordered_ids).sort_index())
    return wide, {measure: str(labels.get(measure, measure)) for measure in ordered_ids}


SPC_LINES = ("centre", "lower_limit", "upper_limit")


def _spc_wide(spc: pd.DataFrame | None, months: pd.Index,
              measures: Sequence[str]) -> dict[str, dict[str, np.ndarray]]:
    """Per measure, the XmR chart's centre line and natural process limits (marts.measure_spc), each an array on
    the months of the trend table (a month without one: NaN); measures without a chart are left out."""
    if spc is None or spc.empty:
        return {}
    frame = spc.assign(month=pd.to_datetime(spc["month"]))
    # every measure's lines in one table, months down (a month's first value of each line, as before), rather than
    # a filter or a lookup per measure: those were most of the Trends sheet's time. The cells write the numbers,
    # so that a line can come out as floats here where it was integers makes no difference to the workbook.
    table = (frame.groupby(["measure_id", "month"])[list(SPC_LINES)].first().unstack("measure_id")
             .reindex(months))
    values, column = table.to_numpy(), {key: position for position, key in enumerate(table.columns)}
    charted = set(frame.loc[frame["centre"].notna(), "measure_id"])
    return {measure: {line: values[:, column[(line, measure)]] for line in SPC_LINES} for measure in measures
            if measure in charted}


def _trend_data_sheet(sheet: Worksheet, wide: pd.DataFrame, labels: Mapping[str, str], units: Mapping[str, object],
                      limits: Mapping[str, Mapping[str, np.ndarray]],
                      force_name: object) -> dict[str, dict[str, int]]:
    """The figures the Trends charts plot: months down; each measure's value, then (where it has an XmR chart)
    its centre line and lower and upper limits. Returns each measure's column of each series."""
    _put(sheet, 1, 1, f"{force_name}: the monthly figures charted").font = TITLE_FONT
    header_row = 3
    _put(sheet, header_row, 1, "Month").font = BOLD
    sheet.column_dimensions["A"].width = 12
    columns: dict[str, dict[str, int]] = {}
    # the figures are made a column at a time, as cells not yet on the sheet, and appended a row at a time below
    # the header: a sheet.cell() per figure (tens of thousands a workbook) was most of the sheet's time. Made in
    # the order they always were, so the number formats are registered (numbered) in the same order.
    figures: list[list[Cell]] = []
    column = 2
    for measure, label in labels.items():
        series = {"value": label}
        if measure in limits:
            series.update({"centre": f"{label}: centre", "lower_limit": f"{label}: lower limit",
                           "upper_limit": f"{label}: upper limit"})
        columns[measure] = {}
        for key, title in series.items():
            cell = _put(sheet, header_row, column, title)
            cell.font, cell.alignment = BOLD, WRAP
            sheet.column_dimensions[get_column_letter(column)].width = TRENDS_COLUMN_WIDTH
            level = _unit_formats(units.get(measure))[0]
            values = wide[measure] if key == "value" else limits[measure][key]
            figures.append([_fill(Cell(sheet), value, level) for value in values.tolist()])
            columns[measure][key] = column
            column += 1
    months = [_fill(Cell(sheet), month.date(), MONTH_FORMAT) for month in wide.index]
    if sheet.max_row != header_row:
        raise RuntimeError("Trend data: rows below the header before the figures")  # append writes below them
    for row in zip(months, *figures, strict=True):
        sheet.append(row)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _for_print(sheet)
    return columns


# how each XmR series is drawn: the measure solid, the centre line dashed, the limits dotted
SERIES_LINES = {"value": ("1F3864", "solid", 22000), "centre": ("7F7F7F", "dash", 12700),
                "lower_limit": ("C00000", "sysDot", 12700), "upper_limit": ("C00000", "sysDot", 12700)}


def _trends_sheet(sheet: Worksheet, data: Worksheet, monthly: pd.DataFrame, national: pd.DataFrame,
                  in_order: Sequence[Mapping[str, object]], force_name: object,
                  spc: pd.DataFrame | None = None) -> None:
    """A chart per measure, two to an A4 page: the monthly value and, where the measure has one, its XmR chart's
    centre line and natural process limits (marts.measure_spc). The figures are on the Trend data sheet."""
    wide, labels = _monthly_wide(monthly, national, in_order)
    units = dict(zip(national["measure_id"], national["unit"], strict=True)) if "unit" in national.columns else {}
    limits = _spc_wide(spc, wide.index, list(labels))
    _put(sheet, 1, 1, f"{force_name}: monthly trends").font = TITLE_FONT
    _put(sheet, 2, 1, "Dashed: the centre line; dotted: the natural process limits of the measure's SPC chart. "
         "Figures: the Trend data sheet.")
    columns = _trend_data_sheet(data, wide, labels, units, limits, force_name)
    for column in range(1, TRENDS_CHART_COLUMNS + 1):
        sheet.column_dimensions[get_column_letter(column)].width = TRENDS_COLUMN_WIDTH
    # every row's height set, not left to the application: LibreOffice's default row is shorter than Excel's,
    # so a chart of fixed height would reach into the next chart's rows, and across a page break
    for row in range(1, 3 + max(1, len(labels)) * TRENDS_CHART_ROWS):
        sheet.row_dimensions[row].height = TRENDS_ROW_POINTS
    # a chart is never cut by a page: a page holds CHART_ROWS_PER_PAGE charts
    for chart_row in range(CHART_ROWS_PER_PAGE, len(labels), CHART_ROWS_PER_PAGE):
        sheet.row_breaks.append(Break(id=2 + chart_row * TRENDS_CHART_ROWS))
    _for_print(sheet)
    # the charts' columns only: the subtitle's overflow must not widen the page and shrink the charts
    sheet.print_area = f"A1:{get_column_letter(TRENDS_CHART_COLUMNS)}{2 + max(1, len(labels)) * TRENDS_CHART_ROWS}"
    if wide.empty:
        return
    header_row, last_row = 3, 3 + len(wide)
    months = Reference(data, min_col=1, min_row=header_row + 1, max_row=last_row)
    for index, measure in enumerate(labels):
        chart = LineChart()
        chart.title = labels[measure]
        chart.style = 2
        chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
        chart.y_axis.number_format = _unit_formats(units.get(measure))[0]
        chart.x_axis = DateAxis(crossAx=100)
        chart.y_axis.crossAx = 500  # DateAxis's own id: the value axis must cross the date axis, not the default
        chart.x_axis.number_format = "mmm yy"
        chart.x_axis.majorTimeUnit = "months"
        chart.x_axis.axPos = "b"
        # openpyxl 3.1 writes axes as deleted unless told otherwise, and current Excel then hides them
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        for key, column in columns[measure].items():
            chart.add_data(Reference(data, min_col=column, min_row=header_row, max_row=last_row),
                           titles_from_data=True)
            series = chart.series[-1]
            series.smooth = False
            colour, dash, width = SERIES_LINES[key]
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.dashStyle = dash
            series.graphicalProperties.line.width = width
        chart.set_categories(months)
        # a legend only where there is more than the measure's own line to tell apart, below the plot
        if len(columns[measure]) > 1:
            chart.legend.position = "b"
        else:
            chart.legend = None
        sheet.add_chart(chart, f"A{3 + index * TRENDS_CHART_ROWS}")


def _notes_sheet(sheet: Worksheet, national: pd.DataFrame, in_order: Sequence[Mapping[str, object]],
                 notes: Mapping[str, str] | None) -> None:
    force_name = force_of(national)
    quarter_end = pd.Timestamp(single_value(national, "quarter_end", "national"))
    baseline_start = timestamp_of(national["baseline_start"].dropna().min())
    baseline_end = timestamp_of(national["baseline_end"].dropna().max())
    sheet.column_dimensions["A"].width = 34
    for letter, width in zip("BCDE", (60, 22, 14, 40), strict=True):
        sheet.column_dimensions[letter].width = width

    _put(sheet, 1, 1, "Notes and data quality").font = TITLE_FONT
    baseline_text = ("not given" if baseline_start is None or baseline_end is None else
                     f"The year ending {baseline_end:%B %Y} ({baseline_start.day} {baseline_start:%B %Y} to "
                     f"{baseline_end.day} {baseline_end:%B %Y}), the National Crime and Policing Measures baseline")
    sources = sorted({str(source) for source in national.get("source", pd.Series(dtype=object)).dropna()})
    lines: list[tuple[str, str]] = [
        ("Force", f"{force_name}" + (f" ({national['force_code'].iloc[0]})" if "force_code" in national else "")),
        ("Quarter ending", f"{quarter_end.day} {quarter_end:%B %Y}"),
        ("Baseline", baseline_text),
        ("Latest 12 months", "The 12 complete months ending at the quarter end, less the source's reporting lag; "
                             "earlier where a source's data stop. Each measure's window, and how many months it "
                             "ends before the quarter end, are listed below."),
        ("Change, % change", "Latest 12 months less the baseline, and that as a percent of the baseline. For "
                             "percent measures Change is in percentage points (pp)."),
        ("Direction", "improving, worsening or stable (within the measure's stable band) against the baseline, "
                      "allowing for whether lower or higher is better"),
        ("England and Wales % change", "The same comparison for England and Wales from the ONS published tables, "
                                       "where they cover the measure"),
        ("KPI target kind", "at_least / at_most: the value against the target; increase_on_baseline: the change "
                            "since the baseline date against the target; monitor: no target"),
        ("KPI status", "met, not_met, or monitor where there is no target"),
        ("Sources", "; ".join(sources)),
    ]
    row = 2
    for key, text in lines:
        row += 1
        _put(sheet, row, 1, key).font = BOLD
        _put(sheet, row, 2, text).alignment = WRAP

    row += 2
    _put(sheet, row, 1, "Quality flags").font = BOLD
    for flag, meaning in QUALITY_FLAG_MEANINGS.items():
        row += 1
        _put(sheet, row, 1, flag if flag == "no_baseline" else f"{flag}=n")
        _put(sheet, row, 2, meaning).alignment = WRAP

    row += 2
    _put_row(sheet, row, ("Measure", "Source", "Latest 12 months", "Months behind quarter end", "Quality flags"),
             font=BOLD)
    for record in in_order:
        row += 1
        window_end = timestamp_of(record["window_end"])
        _put(sheet, row, 1, record["measure_name"]).alignment = WRAP
        _put(sheet, row, 2, record.get("source")).alignment = WRAP
        _put(sheet, row, 3, window_text(record["window_start"], record["window_end"]))
        _put(sheet, row, 4, None if window_end is None else months_between(window_end, quarter_end))
        _put(sheet, row, 5, record.get("quality_flags") or None).alignment = WRAP

    if notes:
        row += 2
        _put(sheet, row, 1, "Additional notes").font = BOLD
        for key, text in notes.items():
            row += 1
            _put(sheet, row, 1, key).font = BOLD
            _put(sheet, row, 2, text).alignment = WRAP
    _for_print(sheet)


class _StampedZip(zipfile.ZipFile):
    """A deflated zip every entry of which is dated `stamp`: openpyxl names its entries by string, which zipfile
    dates with the wall clock."""

    def __init__(self, path: Path, stamp: datetime) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._date_time = stamp.timetuple()[:6]

    def writestr(self, name: str | zipfile.ZipInfo, data: str | bytes, *args, **kwargs) -> None:
        if not isinstance(name, zipfile.ZipInfo):
            name = zipfile.ZipInfo(name, date_time=self._date_time)
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs) -> None:  # a sheet openpyxl wrote to a file first
        self.writestr(arcname or str(filename), Path(filename).read_bytes())


def _save_reproducibly(workbook: Workbook, path: Path, stamp: datetime) -> None:
    """Save with fixed timestamps (document properties and zip entries) so re-writing an unchanged quarter gives
    the same bytes: a published workbook can then be compared with a re-run byte for byte. openpyxl's own save
    stamps "modified" with the wall clock; its writer is given the stamped zip instead (the workbook was saved
    to a buffer and deflated a second time to re-date it: 15 ms of a document's 200)."""
    workbook.properties.modified = stamp
    path.parent.mkdir(parents=True, exist_ok=True)
    ExcelWriter(workbook, _StampedZip(path, stamp)).save()


@cyclic_gc_paused()
def write_scorecard_workbook(path: Path | str, national: pd.DataFrame, kpis: pd.DataFrame, monthly: pd.DataFrame,
                             notes: Mapping[str, str] | None = None, paper_figures: pd.DataFrame | None = None,
                             commentary: Mapping[str, str] | None = None, prepared: date | None = None,
                             spc: pd.DataFrame | None = None, variation: Mapping[str, str] | None = None,
                             assurance: Mapping[str, str] | None = None) -> None:
    """Write the quarter's board workbook: Cover, National measures, PCP KPIs, Board paper figures (when any),
    Trends, Trend data and Notes.

    national: marts.national_measures rows for one force and one quarter, with force_name (core.dim_force) and,
        optionally, display_order (core.dim_measure).
    kpis: marts.pcp_scorecard rows for the same force and quarter.
    monthly: marts.measure_monthly rows for the force up to the quarter's window end, optionally with measure_name.
    notes: extra key/value lines for the Notes sheet, in the order given.
    paper_figures: marts.board_paper_figures rows for the same force and quarter.
    commentary: each measure's statement paragraph by measure_id (statement.measure_commentary), shown beside it.
    prepared: the date the cover gives (none when not given).
    spc: marts.measure_spc rows of the force up to the window end: each trend chart then draws its XmR centre line
        and limits.
    variation: each measure's SPC variation at its latest month by measure_id (latest_variation), shown in words.
    assurance: each KPI's marts.kpi_assurance verdict by kpi_id, shown in words beside its status.
    """
    if national.empty:
        raise ValueError("national: no rows for the workbook")
    national = national.copy()
    for column in ("quarter_end", "window_start", "window_end", "baseline_start", "baseline_end"):
        if column in national.columns:
            national[column] = pd.to_datetime(national[column])
    force_name = force_of(national)
    quarter_end = pd.Timestamp(single_value(national, "quarter_end", "national"))
    if "force_code" in monthly.columns and monthly["force_code"].nunique() > 1:
        raise ValueError("monthly: rows for more than one force")

    workbook = Workbook()
    cover = workbook.active
    cover.title = "Cover"
    # the measures in board order, worked out once for the three sheets that go through them
    in_order = in_board_order(national).to_dict("records")
    _national_sheet(workbook.create_sheet("National measures"), national, in_order, commentary, variation)
    _kpi_sheet(workbook.create_sheet("PCP KPIs"), kpis, force_name, quarter_end, assurance)
    if paper_figures is not None and len(paper_figures):
        _paper_sheet(workbook.create_sheet("Board paper figures"), paper_figures, force_name, quarter_end)
    _trends_sheet(workbook.create_sheet("Trends"), workbook.create_sheet("Trend data"), monthly, national, in_order,
                  force_name, spc)
    _notes_sheet(workbook.create_sheet("Notes"), national, in_order, notes)
    _cover_sheet(cover, force_name, quarter_end, workbook.sheetnames[1:], prepared)

    stamp = quarter_end.to_pydatetime().replace(hour=0, minute=0, second=0, microsecond=0)
    workbook.properties.creator = "policing-scorecard warehouse"
    workbook.properties.title = f"{force_name}: scorecard, quarter ending {quarter_end:%Y-%m-%d}"
    workbook.properties.created = stamp
    _save_reproducibly(workbook, Path(path), stamp)
