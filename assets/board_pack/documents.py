"""The board's quarterly documents, written from mart rows: the scorecard workbook, the draft statement and trend
charts. Pure functions over DataFrames (no Dagster, no database) so the layout and wording can be tested on
hand-made frames; the assets query the marts and call these.

Every figure written comes from the frames passed in. The only constants are wording (headings, nouns, labels),
layout and the national baseline period used to shade the trend chart when the caller does not give one.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import DateAxis
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

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

# The national baseline (year ending June 2019): used only to shade the PNG trend chart when the caller has no
# national rows to take it from.
NATIONAL_BASELINE = (date(2018, 7, 1), date(2019, 6, 30))

NATIONAL_HEADERS = ("Priority", "Measure", "Latest 12 months", "Value", "Baseline (year to June 2019)", "Change",
                    "% change", "Direction", "England and Wales % change", "Quality flags")
NATIONAL_WIDTHS = (22, 48, 22, 12, 14, 12, 10, 12, 14, 34)
KPI_HEADERS = ("KPI", "Value", "Unit", "Target", "Target kind", "Baseline", "Baseline date", "Status")
KPI_WIDTHS = (60, 12, 10, 10, 22, 12, 14, 10)

# Words the board reads instead of the marts' codes
DIRECTION_WORDS = {"improving": "Improving", "worsening": "Worsening", "stable": "Stable"}
STATUS_WORDS = {"met": "Met", "not_met": "Not met", "monitor": "Monitor", "no_data": "No data",
                "no_baseline": "No baseline", "not_comparable": "Not comparable"}
TARGET_KIND_WORDS = {"at_least": "At least the target", "at_most": "At most the target",
                     "increase_on_baseline": "Increase on baseline", "monitor": "Monitor (no target)"}

# The six National Crime and Policing Measures as the Home Office words them (the board paper's headings)
PRIORITY_HEADINGS = {
    "Homicide": "Reduce murder and other homicide",
    "Serious violence": "Reduce serious violence",
    "Drugs and county lines": "Disrupt drugs supply and county lines",
    "Neighbourhood crime": "Reduce neighbourhood crime",
    "Satisfaction": "Improve satisfaction among victims",
    "Cyber crime": "Tackle cyber crime",
}

# (singular, plural) of what a count measure counts, as the board paper says it ("53 homicides", "160 episodes")
MEASURE_NOUNS = {
    "homicide": ("homicide", "homicides"),
    "hospital_admissions_sharp_object_u25": ("episode", "episodes"),
    "violence_with_injury": ("offence", "offences"),
    "knife_crime": ("offence", "offences"),
    "possession_of_weapons": ("offence", "offences"),
    "firearm_discharges": ("discharge", "discharges"),
    "drug_disruptions": ("positive drug disruption", "positive drug disruptions"),
    "county_lines_disruptions": ("County Lines disruption", "County Lines disruptions"),
    "county_lines_closed": ("County Line closed", "County Lines closed"),
    "drug_arrests": ("arrest", "arrests"),
    "drug_charges": ("charge", "charges"),
    "neighbourhood_crime": ("neighbourhood crime", "neighbourhood crimes"),
    "burglary": ("burglary", "burglaries"),
    "residential_burglary": ("residential burglary", "residential burglaries"),
    "robbery": ("robbery", "robberies"),
    "robbery_u25_victims": ("robbery", "robberies"),
    "vehicle_offences": ("offence", "offences"),
    "theft_from_person": ("offence", "offences"),
    "satisfaction_responses": ("answered survey response", "answered survey responses"),
    "online_crime": ("offence", "offences"),
}
DEFAULT_NOUN = ("recorded", "recorded")

# Why a measure has no baseline, where the reason is known (the SMS survey started in late 2020); {baseline} is the
# baseline period's end month, taken from the frame.
NO_BASELINE_REASONS = {
    "satisfaction_rate": "the survey began after {baseline}",
    "satisfaction_responses": "the survey began after {baseline}",
}

# Homicide breakdowns: each completes "13% (7) ..." in the order the board paper gives them
HOMICIDE_BREAKDOWNS = {
    "organised_crime_group": "were linked to organised crime groups",
    "domestic_abuse": "were domestic-related",
    "drugs_related": "were drug-related",
    "alcohol_related": "were alcohol-related",
    "victim_under_25": "had a victim under 25",
}
FIREARM_WEAPONS = {
    "weapon_shotgun": ("shotgun", "Shotguns"),
    "weapon_handgun": ("handgun", "Handguns"),
    "weapon_rifle": ("rifle", "Rifles"),
    "weapon_converted_or_modified": ("converted or modified firearm", "Converted or modified firearms"),
}

QUALITY_FLAG_MEANINGS = {
    "months_missing": "months of the latest 12 with no data delivered",
    "suppressed_months": "months of the latest 12 withheld by the source's disclosure control (small numbers)",
    "baseline_months_missing": "months of the baseline year with no data (and no ONS published figure to use)",
    "baseline_suppressed_months": "months of the baseline year withheld by disclosure control (and no ONS figure)",
    "no_baseline": "no baseline figure: the source has no data for the baseline year",
}
# Sentence fragments for the statement: "{n} {fragment}"
QUALITY_FLAG_SENTENCES = {
    "months_missing": ("month of the 12 has no data", "months of the 12 have no data"),
    "suppressed_months": ("month of the 12 is suppressed by disclosure control",
                          "months of the 12 are suppressed by disclosure control"),
    "baseline_months_missing": ("month of the baseline year has no data", "months of the baseline year have no data"),
    "baseline_suppressed_months": ("month of the baseline year is suppressed by disclosure control",
                                   "months of the baseline year are suppressed by disclosure control"),
}

CHART_WIDTH_CM, CHART_HEIGHT_CM = 15.0, 7.5
CHARTS_PER_ROW = 3
TRENDS_COLUMN_WIDTH = 14
TRENDS_CHART_ROWS = 16  # rows of default height a chart of CHART_HEIGHT_CM covers, plus a gap
TRENDS_CHART_COLUMNS = 6  # columns of TRENDS_COLUMN_WIDTH a chart of CHART_WIDTH_CM covers, plus a gap


# --------------------------------------------------------------------------------------------------------------------
# shared helpers


def _plain(value: object) -> object:
    """A cell- or text-ready Python value: NaN, NaT and pd.NA become None, numpy scalars become Python ones."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # list-likes are not scalars; leave them be
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def _timestamp(value: object) -> pd.Timestamp | None:
    value = _plain(value)
    return None if value is None else pd.Timestamp(value)


def _ordered(national: pd.DataFrame) -> pd.DataFrame:
    """National rows in board order: priorities in the order of their first measure, measures by display_order
    (or as given when the caller has no display_order)."""
    frame = national.reset_index(drop=True)
    frame["_position"] = range(len(frame))
    key = "display_order" if "display_order" in frame.columns else "_position"
    frame = frame.sort_values([key, "_position"], kind="stable")
    first = {priority: rank for rank, priority in enumerate(dict.fromkeys(frame["priority"]))}
    frame["_priority_rank"] = frame["priority"].map(first)
    return frame.sort_values(["_priority_rank", key, "_position"], kind="stable").drop(
        columns=["_position", "_priority_rank"])


def _single(frame: pd.DataFrame, column: str, what: str) -> object:
    """The one value a column must hold across the frame (one force, one quarter)."""
    values = frame[column].dropna().unique() if column in frame.columns else []
    if len(values) != 1:
        raise ValueError(f"{what}: expected exactly one {column}, found {len(values)}")
    return values[0]


def _force(national: pd.DataFrame) -> object:
    """The force's name, or its code where the caller did not join dim_force."""
    return _single(national, "force_name" if "force_name" in national.columns else "force_code", "national")


def _months_between(earlier: pd.Timestamp, later: pd.Timestamp) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


# --------------------------------------------------------------------------------------------------------------------
# workbook


def _put(sheet: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> Cell:
    """Write one cell. Text Excel would read as a formula (=, +, - or @ first) is stored as a string with Excel's
    quote prefix: opening the workbook never runs it, and editing the cell keeps it text."""
    value = _plain(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters from extracts would corrupt the file
    cell = sheet.cell(row=row, column=column)
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
    # board papers are printed: landscape, one page wide
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


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


def _window_text(start: object, end: object, month: str = "%b") -> str | None:
    start, end = _timestamp(start), _timestamp(end)
    if start is None or end is None:
        return None
    return f"{start.strftime(month)} {start.year} to {end.strftime(month)} {end.year}"


def _national_sheet(sheet: Worksheet, national: pd.DataFrame) -> None:
    force_name = _force(national)
    force_code = national["force_code"].iloc[0] if "force_code" in national.columns else None
    quarter_end = pd.Timestamp(_single(national, "quarter_end", "national"))
    baseline_start = _timestamp(national["baseline_start"].dropna().min())
    baseline_end = _timestamp(national["baseline_end"].dropna().max())

    _put(sheet, 1, 1, f"{force_name}: National Crime and Policing Measures").font = TITLE_FONT
    _put(sheet, 2, 1, f"Quarter ending {quarter_end.day} {quarter_end:%B %Y}"
                      + (f" ({force_code})" if force_code else ""))
    if baseline_start is not None and baseline_end is not None:
        _put(sheet, 3, 1, f"Baseline: the year ending {baseline_end:%B %Y} ({baseline_start.day} "
                          f"{baseline_start:%B %Y} to {baseline_end.day} {baseline_end:%B %Y})")
    _put(sheet, 4, 1, "Latest 12 months: the 12 complete months to the quarter end, less each source's reporting "
                      "lag (see Notes)")
    header_row = 6
    _header(sheet, header_row, NATIONAL_HEADERS, NATIONAL_WIDTHS)

    row, previous_priority = header_row, None
    for record in _ordered(national).to_dict("records"):
        row += 1
        level, change = _unit_formats(record.get("unit"))
        cells = [
            _put(sheet, row, 1, record["priority"]),
            _put(sheet, row, 2, record["measure_name"]),
            _put(sheet, row, 3, _window_text(record["window_start"], record["window_end"])),
            _put(sheet, row, 4, record["value"], level),
            _put(sheet, row, 5, record.get("baseline_value"), level),
            _put(sheet, row, 6, record.get("change"), change),
            _put(sheet, row, 7, record.get("pct_change"), SIGNED_PERCENT_FORMAT),
            _put(sheet, row, 8, DIRECTION_WORDS.get(record.get("direction"), record.get("direction"))
                 if not_comparable_reason(record) is None else f"Not comparable: {not_comparable_reason(record)}"),
            _put(sheet, row, 9, record.get("england_wales_pct_change"), SIGNED_PERCENT_FORMAT),
            _put(sheet, row, 10, record.get("quality_flags") or None),
        ]
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
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(NATIONAL_HEADERS))}{row}"
    _for_print(sheet)


def _kpi_sheet(sheet: Worksheet, kpis: pd.DataFrame, force_name: object, quarter_end: pd.Timestamp) -> None:
    _put(sheet, 1, 1, f"{force_name}: Police and Crime Plan KPI scorecard").font = TITLE_FONT
    _put(sheet, 2, 1, f"Quarter ending {quarter_end.day} {quarter_end:%B %Y}")
    header_row = 4
    _header(sheet, header_row, KPI_HEADERS, KPI_WIDTHS)
    row = header_row
    for record in kpis.to_dict("records"):
        row += 1
        level, _ = _unit_formats(record.get("unit"))
        baseline_date = _timestamp(record.get("baseline_date"))
        cells = [
            _put(sheet, row, 1, record["kpi_name"]),
            _put(sheet, row, 2, record["value"], level),
            _put(sheet, row, 3, record.get("unit")),
            _put(sheet, row, 4, record.get("target"), level),
            _put(sheet, row, 5, TARGET_KIND_WORDS.get(record.get("target_kind"), record.get("target_kind"))),
            _put(sheet, row, 6, record.get("baseline_value"), level),
            _put(sheet, row, 7, None if baseline_date is None else baseline_date.date(), DATE_FORMAT),
            _put(sheet, row, 8, STATUS_WORDS.get(record.get("status"), record.get("status"))),
        ]
        for cell in cells:
            cell.alignment = WRAP
    # monitor is neutral: amber would read as "at risk"; no data and not comparable are grey
    _highlight(sheet, 8, header_row + 1, row, {"Met": (GREEN_FILL, GREEN_FONT), "Not met": (RED_FILL, RED_FONT),
                                               "Monitor": (NEUTRAL_FILL, NEUTRAL_FONT),
                                               "No data": (GREY_RULE_FILL, GREY_FONT),
                                               "No baseline": (GREY_RULE_FILL, GREY_FONT),
                                               "Not comparable": (GREY_RULE_FILL, GREY_FONT)})
    if row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(KPI_HEADERS))}{row}"
    _for_print(sheet)


def _monthly_wide(monthly: pd.DataFrame, national: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Months down, measures across (board order first, then any measure only the monthly frame has), and each
    measure's label."""
    frame = monthly.copy()
    frame["month"] = pd.to_datetime(frame["month"])
    ordered_ids = list(dict.fromkeys(list(_ordered(national)["measure_id"]) + list(frame["measure_id"])))
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


def _trends_sheet(sheet: Worksheet, monthly: pd.DataFrame, national: pd.DataFrame, force_name: object) -> None:
    wide, labels = _monthly_wide(monthly, national)
    units = dict(zip(national["measure_id"], national["unit"], strict=True)) if "unit" in national.columns else {}
    _put(sheet, 1, 1, f"{force_name}: monthly trends").font = TITLE_FONT
    _put(sheet, 2, 1, "One chart per measure; the figures the charts plot are in the table below the charts.")

    chart_rows = max(1, math.ceil(len(labels) / CHARTS_PER_ROW))
    data_title_row = 3 + chart_rows * TRENDS_CHART_ROWS + 1
    header_row = data_title_row + 1
    _put(sheet, data_title_row, 1, "Monthly values").font = BOLD
    _put(sheet, header_row, 1, "Month").font = BOLD
    for column, measure in enumerate(labels, start=2):
        cell = _put(sheet, header_row, column, labels[measure])
        cell.font, cell.alignment = BOLD, WRAP
    for offset, (month, values) in enumerate(wide.iterrows(), start=1):
        _put(sheet, header_row + offset, 1, month.date(), MONTH_FORMAT)
        for column, measure in enumerate(labels, start=2):
            _put(sheet, header_row + offset, column, values[measure], _unit_formats(units.get(measure))[0])
    last_row = header_row + len(wide)
    for column in range(1, max(len(labels) + 1, CHARTS_PER_ROW * TRENDS_CHART_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = TRENDS_COLUMN_WIDTH

    if last_row == header_row:
        return
    months = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row)
    for index, measure in enumerate(labels):
        chart = LineChart()
        chart.title = labels[measure]
        chart.style = 2
        chart.legend = None
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
        chart.add_data(Reference(sheet, min_col=index + 2, min_row=header_row, max_row=last_row),
                       titles_from_data=True)
        chart.set_categories(months)
        chart.series[0].smooth = False
        anchor_column = 1 + (index % CHARTS_PER_ROW) * TRENDS_CHART_COLUMNS
        anchor_row = 3 + (index // CHARTS_PER_ROW) * TRENDS_CHART_ROWS
        sheet.add_chart(chart, f"{get_column_letter(anchor_column)}{anchor_row}")


def _notes_sheet(sheet: Worksheet, national: pd.DataFrame, notes: Mapping[str, str] | None) -> None:
    ordered = _ordered(national)
    force_name = _force(national)
    quarter_end = pd.Timestamp(_single(national, "quarter_end", "national"))
    baseline_start = _timestamp(national["baseline_start"].dropna().min())
    baseline_end = _timestamp(national["baseline_end"].dropna().max())
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
    for record in ordered.to_dict("records"):
        row += 1
        window_end = _timestamp(record["window_end"])
        _put(sheet, row, 1, record["measure_name"]).alignment = WRAP
        _put(sheet, row, 2, record.get("source")).alignment = WRAP
        _put(sheet, row, 3, _window_text(record["window_start"], record["window_end"]))
        _put(sheet, row, 4, None if window_end is None else _months_between(window_end, quarter_end))
        _put(sheet, row, 5, record.get("quality_flags") or None).alignment = WRAP

    if notes:
        row += 2
        _put(sheet, row, 1, "Additional notes").font = BOLD
        for key, text in notes.items():
            row += 1
            _put(sheet, row, 1, key).font = BOLD
            _put(sheet, row, 2, text).alignment = WRAP


def _save_reproducibly(workbook: Workbook, path: Path, stamp: datetime) -> None:
    """Save with fixed timestamps (document properties and zip entries) so re-writing an unchanged quarter gives
    the same bytes: a published workbook can then be compared with a re-run byte for byte."""
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl stamps "modified" with the wall clock here; replaced below
    workbook.properties.modified = stamp
    core = workbook.properties.to_tree()

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = tostring(core) if item.filename == "docProps/core.xml" else source.read(item.filename)
            entry = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)


def write_scorecard_workbook(path: Path | str, national: pd.DataFrame, kpis: pd.DataFrame, monthly: pd.DataFrame,
                             notes: Mapping[str, str] | None = None) -> None:
    """Write the quarter's board workbook: National measures, PCP KPIs, Trends and Notes.

    national: marts.national_measures rows for one force and one quarter, with force_name (core.dim_force) and,
        optionally, display_order (core.dim_measure).
    kpis: marts.pcp_scorecard rows for the same force and quarter.
    monthly: marts.measure_monthly rows for the force up to the quarter's window end, optionally with measure_name.
    notes: extra key/value lines for the Notes sheet, in the order given.
    """
    if national.empty:
        raise ValueError("national: no rows for the workbook")
    national = national.copy()
    for column in ("quarter_end", "window_start", "window_end", "baseline_start", "baseline_end"):
        if column in national.columns:
            national[column] = pd.to_datetime(national[column])
    force_name = _force(national)
    quarter_end = pd.Timestamp(_single(national, "quarter_end", "national"))
    if "force_code" in monthly.columns and monthly["force_code"].nunique() > 1:
        raise ValueError("monthly: rows for more than one force")

    workbook = Workbook()
    _national_sheet(workbook.active, national)
    workbook.active.title = "National measures"
    _kpi_sheet(workbook.create_sheet("PCP KPIs"), kpis, force_name, quarter_end)
    _trends_sheet(workbook.create_sheet("Trends"), monthly, national, force_name)
    _notes_sheet(workbook.create_sheet("Notes"), national, notes)

    stamp = quarter_end.to_pydatetime().replace(hour=0, minute=0, second=0, microsecond=0)
    workbook.properties.creator = "policing-scorecard warehouse"
    workbook.properties.title = f"{force_name}: scorecard, quarter ending {quarter_end:%Y-%m-%d}"
    workbook.properties.created = stamp
    _save_reproducibly(workbook, Path(path), stamp)


# --------------------------------------------------------------------------------------------------------------------
# statement


def _number(value: float) -> str:
    """Counts as the board paper prints them: whole numbers with thousands separators, else one decimal."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _level(value: float, unit: object) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}"
    return _number(value)


def not_comparable_reason(record: Mapping[str, object]) -> str | None:
    """Why a measure's window cannot be compared with its baseline ("9 months missing"), or None when it
    can. Rows from marts.national_measures say so in is_comparable; frames without it are comparable."""
    if _plain(record.get("is_comparable")) is not False:
        return None
    parts = []
    missing = _plain(record.get("months_missing"))
    suppressed = _plain(record.get("suppressed_months"))
    if missing:
        parts.append(f"{int(missing)} month{'s' if missing != 1 else ''} missing")
    if suppressed:
        parts.append(f"{int(suppressed)} month{'s' if suppressed != 1 else ''} suppressed")
    if not parts:
        parts.append("baseline incomplete" if _plain(record.get("baseline_value")) is not None else "no baseline")
    return ", ".join(parts)


def _noun(measure_id: str, value: float) -> str:
    singular, plural = MEASURE_NOUNS.get(measure_id, DEFAULT_NOUN)
    return singular if value == 1 else plural


def _direction_word(change: float) -> str:
    return "increase" if change > 0 else "reduction" if change < 0 else "no change"


def _relative(pct_change: float, change: float) -> str:
    """"a 1.9% increase", or "no change"."""
    word = _direction_word(change)
    if word == "no change":
        return word
    if round(abs(pct_change), 1) == 0:
        return f"an {word} of less than 0.1%" if word == "increase" else f"a {word} of less than 0.1%"
    return f"a {abs(pct_change):.1f}% {word}"


def _absolute(change: float, unit: object) -> str:
    """"a reduction of 55", "an increase of 6.8 percentage points", or "no change"."""
    word = _direction_word(change)
    if word == "no change":
        return word
    article = "an" if word == "increase" else "a"
    if unit == "percent":
        return f"{article} {word} of {abs(change):.1f} percentage points"
    return f"{article} {word} of {_level(abs(change), unit)}"


def _flag_sentence(flags: object) -> str | None:
    parts = []
    for flag in str(_plain(flags) or "").split(";"):
        flag = flag.strip()
        if not flag or flag == "no_baseline":  # the baseline sentence already says so
            continue
        name, _, count = flag.partition("=")
        if name in QUALITY_FLAG_SENTENCES and count.strip().isdigit():
            singular, plural = QUALITY_FLAG_SENTENCES[name]
            parts.append(f"{count.strip()} {singular if count.strip() == '1' else plural}")
        else:
            parts.append(f"quality flag {flag}")
    if not parts:
        return None
    text = "; ".join(parts)
    return f"Data quality: {text}."


def _breakdowns_for(breakdowns: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    if breakdowns is None or breakdowns.empty or "measure_id" not in breakdowns.columns:
        return pd.DataFrame(columns=["breakdown_id", "count", "total", "share_pct"])
    return breakdowns[breakdowns["measure_id"] == measure_id]


def _share(row: Mapping[str, object]) -> str:
    share = _plain(row.get("share_pct"))
    return "" if share is None else f"{share:.0f}%"


def _homicide_breakdown(rows: pd.DataFrame) -> str | None:
    if rows.empty:
        return None
    by_id = {record["breakdown_id"]: record for record in rows.to_dict("records")}
    total = _plain(rows["total"].iloc[0])
    if not total:
        return None
    known = [key for key in HOMICIDE_BREAKDOWNS if key in by_id]
    others = sorted(key for key in by_id if key not in HOMICIDE_BREAKDOWNS)
    parts = []
    for key in known + others:
        record = by_id[key]
        phrase = HOMICIDE_BREAKDOWNS.get(key, f"were {key.replace('_', ' ')}")
        parts.append(f"{_share(record)} ({_number(record['count'])}) {phrase}")
    return f"Of the {_number(total)} {_noun('homicide', total)}, " + ", ".join(parts[:-1]) + (
        f" and {parts[-1]}." if len(parts) > 1 else f"{parts[-1]}.")


def _firearm_breakdown(rows: pd.DataFrame) -> str | None:
    if rows.empty:
        return None
    by_id = {record["breakdown_id"]: record for record in rows.to_dict("records")}
    first = rows.iloc[0]
    total = _plain(first["total"])
    start, end = _timestamp(first.get("period_start")), _timestamp(first.get("period_end"))
    period = "" if start is None or end is None else f" ({start:%B} to {end:%B %Y})"
    if not total:
        return f"In the last quarter{period}, no discharges took place."
    total_text = _number(total)
    sentences = [f"In the last quarter{period}, a total of {total_text} {_noun('firearm_discharges', total)} "
                 "took place"]
    if "injury" in by_id:
        injury = by_id["injury"]["count"]
        clause = f", with injury caused in {_number(injury)}"
        if "fatal" in by_id:
            clause += f" (of which {_number(by_id['fatal']['count'])} fatal)"
        sentences[0] += clause
    sentences[0] += "."
    links = (("gang_related", "gang activity"), ("drugs_related", "drug dealing or County Lines activity"))
    linked = [(by_id[key]["count"], phrase) for key, phrase in links if key in by_id]
    if linked:
        (count, phrase), *more = linked
        sentences.append(f"{_number(count)} of the {total_text} discharges were linked to {phrase}"
                         + "".join(f" and {_number(n)} to {p}" for n, p in more) + ".")
    weapons = [(by_id[key]["count"], key) for key in FIREARM_WEAPONS if key in by_id and by_id[key]["count"]]
    if weapons:
        # ties go to the order of FIREARM_WEAPONS so the sentence is stable
        count, key = max(weapons, key=lambda item: (item[0], -list(FIREARM_WEAPONS).index(item[1])))
        singular, plural = FIREARM_WEAPONS[key]
        sentences.append(f"{plural} were the most commonly used firearm this quarter, a {singular} being discharged "
                         f"in {_number(count)} of the {total_text} discharges ({_share(by_id[key])}).")
    return " ".join(sentences)


def _measure_paragraph(record: Mapping[str, object], breakdowns: pd.DataFrame) -> str:
    measure_id = str(record["measure_id"])
    unit = record.get("unit")
    value = _plain(record["value"])
    baseline = _plain(record.get("baseline_value"))
    change = _plain(record.get("change"))
    pct_change = _plain(record.get("pct_change"))
    quarter_end = _timestamp(record["quarter_end"])
    window_start, window_end = _timestamp(record["window_start"]), _timestamp(record["window_end"])
    baseline_end = _timestamp(record.get("baseline_end"))
    baseline_year = "the baseline year" if baseline_end is None else f"the year ending {baseline_end:%B %Y}"
    window = _window_text(window_start, window_end, month="%B")
    lag = 0 if quarter_end is None or window_end is None else _months_between(window_end, quarter_end)
    incomparable = not_comparable_reason(record)
    if change is None and value is not None and baseline is not None and incomparable is None:
        change = value - baseline

    no_baseline = ""
    if baseline is None:
        reason = NO_BASELINE_REASONS.get(measure_id, "the source has no figures for {baseline}")
        no_baseline = "; no baseline: " + reason.format(
            baseline="the baseline year" if baseline_end is None else f"{baseline_end:%B %Y}")

    sentences: list[str] = []
    if value is None:
        sentences.append(f"There is no figure for {window}{no_baseline}.")
    elif incomparable is not None:
        # the sum over the months delivered is a figure, but not one to set against a full baseline year
        quantity = _level(value, unit) if unit == "percent" else f"{_level(value, unit)} {_noun(measure_id, value)}"
        sentences.append(f"The months delivered for {window} give {quantity}; this is not comparable with the "
                         f"baseline ({incomparable}), so no change is reported.")
    elif unit == "percent":
        lead = f"The last 12 months ({window}) stood at" if lag else f"From {window} this stood at"
        if baseline is None:
            sentences.append(f"{lead} {_level(value, unit)}{no_baseline}.")
        else:
            sentences.append(f"{lead} {_level(value, unit)}, compared to {_level(baseline, unit)} in "
                             f"{baseline_year} baseline, {_absolute(change, unit)}.")
    else:
        quantity = f"{_level(value, unit)} {_noun(measure_id, value)}"
        if baseline is None:
            lead = f"The last 12 months ({window})" if lag else f"Volumes from {window}"
            sentences.append(f"{lead} saw {quantity}{no_baseline}.")
        elif lag:
            # a lagged source: the paper gives the absolute change and names the window, as for HES admissions
            relative = "" if pct_change is None else f"; {_relative(pct_change, change)}"
            sentences.append(f"The last 12 months ({window}) saw {quantity}, {_absolute(change, unit)} compared to "
                             f"the national baseline {baseline_year.removeprefix('the ')} ({_level(baseline, unit)}"
                             f"{relative}).")
        else:
            comparison = _relative(pct_change, change) if pct_change is not None else _absolute(change, unit)
            sentences.append(f"Volumes from {window} saw {quantity}, compared to {_level(baseline, unit)} in "
                             f"{baseline_year} baseline, {comparison}.")
    if lag and window_end is not None and quarter_end is not None:
        sentences.append(f"The latest month available is {window_end:%B %Y}, {lag} month{'s' if lag != 1 else ''} "
                         f"before the quarter end.")

    source = str(_plain(record.get("source")) or "")
    if baseline is not None and "; baseline: " in source:
        # national_measures appends the ONS fallback to source; the reader should know the baseline is published
        sentences.append(f"The baseline is the published figure ({source.split('; baseline: ', 1)[1]}).")

    previous = _plain(record.get("previous_value"))
    if measure_id == "firearm_discharges" and previous is not None and value is not None and window_end is not None:
        sentences.append(f"The previous 12 months saw {_level(previous, unit)}, so the year ending "
                         f"{window_end:%B %Y} shows {_absolute(value - previous, unit)}.")

    england_wales = _plain(record.get("england_wales_pct_change"))
    if england_wales is not None:
        sentences.append(f"Across England and Wales the same comparison shows "
                         f"{_relative(england_wales, england_wales)}.")

    if measure_id == "homicide":
        sentences.append(_homicide_breakdown(_breakdowns_for(breakdowns, measure_id)) or "")
    elif measure_id == "firearm_discharges":
        sentences.append(_firearm_breakdown(_breakdowns_for(breakdowns, measure_id)) or "")

    flags = _flag_sentence(record.get("quality_flags"))
    if flags:
        sentences.append(flags)
    body = " ".join(sentence for sentence in sentences if sentence)
    return f"**{record['measure_name']}.** {body}"


SPC_RULE_WORDS = {"outside_limits": "is outside the natural process limits",
                  "two_of_three": "is one of two of the last three months beyond two thirds of the way to the {side} "
                                  "limit"}


def _spc_sentence(series: pd.DataFrame, window_end: pd.Timestamp | None) -> str | None:
    """The SPC verdict on a measure's latest month in the window, in words: "a run of 8 months above the
    average since August 2021: a real increase, not noise" or "within the natural limits: no signal".

    series: marts.measure_spc rows of one force and measure."""
    if series.empty or window_end is None:
        return None
    frame = series.assign(month=pd.to_datetime(series["month"])).sort_values("month")
    frame = frame[frame["month"] <= window_end]
    if frame.empty or frame["month"].iloc[-1] != window_end.to_period("M").to_timestamp():
        return None  # the window's last month has no point (missing or suppressed): no verdict
    latest = frame.iloc[-1]
    label = f"{latest['month']:%B %Y}"
    if not bool(latest["signal"]):
        return (f"On the statistical process control chart, {label} is within the natural limits of the "
                "baseline year's variation: no signal of real change.")
    above = latest["value"] > latest["centre"]
    rule = str(latest["rule"])
    if rule in ("shift", "trend"):
        segment = frame[frame["segment"] == latest["segment"]]
        if rule == "shift":
            same = (segment["value"] > segment["centre"]) if above else (segment["value"] < segment["centre"])
            what = "above the average" if above else "below the average"
        else:
            steps = segment["value"].diff()
            above = bool(steps.iloc[-1] > 0)
            same = (steps > 0) if above else (steps < 0)
            what = "rising" if above else "falling"
        run = 0
        for flag in reversed(same.tolist()):
            if not flag:
                break
            run += 1
        run += 1 if rule == "trend" else 0  # a run of rises counts the month it starts from
        start = segment["month"].iloc[-run]
        signal = f"shows a run of {run} months {what} since {start:%B %Y}"
    else:
        signal = SPC_RULE_WORDS[rule].format(side="upper" if above else "lower")
    change = "increase" if above else "reduction"
    return f"On the statistical process control chart, {label} {signal}: a real {change}, not noise."


def _extreme_sentence(series: pd.DataFrame, window_end: pd.Timestamp | None) -> str | None:
    """"March 2022 is the highest month since May 2019" (or lowest), when the window's last month is."""
    if series.empty or window_end is None:
        return None
    frame = series.assign(month=pd.to_datetime(series["month"])).dropna(subset=["value"]).sort_values("month")
    frame = frame[frame["month"] <= window_end]
    if len(frame) < 13 or frame["month"].iloc[-1] != window_end.to_period("M").to_timestamp():
        return None  # at least a year before it to be a highest or lowest of note
    latest, earlier = frame.iloc[-1], frame.iloc[:-1]
    label = f"{latest['month']:%B %Y}"
    for word, beaten in (("highest", earlier["value"] >= latest["value"]),
                         ("lowest", earlier["value"] <= latest["value"])):
        if not beaten.iloc[-12:].any():
            if not beaten.any():
                return f"{label} is the {word} month in the series (since {frame['month'].iloc[0]:%B %Y})."
            since = earlier[beaten]["month"].iloc[-1]
            return f"{label} is the {word} month since {since:%B %Y}."
    return None


def draft_statement(national: pd.DataFrame, breakdowns: pd.DataFrame, spc: pd.DataFrame | None = None,
                    monthly: pd.DataFrame | None = None) -> str:
    """The draft National Crime and Policing Measures statement as markdown: a heading per priority and one
    paragraph per measure, in the board paper's wording, every figure taken from the frames.

    national: marts.national_measures rows for one force and quarter (force_name and display_order optional).
    breakdowns: marts.measure_breakdowns rows for the same force and quarter.
    spc, monthly: marts.measure_spc and marts.measure_monthly rows of the force (optional): each paragraph then
    says whether the latest month is a highest or lowest of note and what the SPC chart shows.
    """
    if national.empty:
        raise ValueError("national: no rows for the statement")
    quarter_end = pd.Timestamp(_single(national, "quarter_end", "national"))
    force = _force(national)
    lines = [f"# National Crime and Policing Measures: {force} statement", "",
             f"Quarter ending {quarter_end.day} {quarter_end:%B %Y}. Draft: every figure is taken from the "
             "warehouse's national measures and measure breakdowns.", ""]
    previous_priority = None
    for record in _ordered(national).to_dict("records"):
        if record["priority"] != previous_priority:
            heading = PRIORITY_HEADINGS.get(str(record["priority"]), str(record["priority"]))
            lines += [f"## Measure: {heading}", ""]
            previous_priority = record["priority"]
        paragraph = _measure_paragraph(record, breakdowns)
        window_end = _timestamp(record.get("window_end"))
        month_start = None if window_end is None else window_end.to_period("M").to_timestamp()
        extra = [
            _extreme_sentence(monthly[monthly["measure_id"] == record["measure_id"]], month_start)
            if monthly is not None else None,
            _spc_sentence(spc[spc["measure_id"] == record["measure_id"]], month_start) if spc is not None else None,
        ]
        lines += [" ".join([paragraph, *(sentence for sentence in extra if sentence)]), ""]
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------------------------------------------------
# trend chart for Dagster metadata


def trend_chart_png(monthly: pd.DataFrame, measure_ids: Sequence[str], title: str, *,
                    baseline: tuple[date, date] | None = None) -> bytes:
    """A PNG line chart of the given measures' monthly values, the baseline year shaded.

    monthly: marts.measure_monthly rows (measure_id, month, value), optionally with measure_name for the legend.
    baseline: (first day, last day) to shade; the national baseline (year ending June 2019) when not given.
    """
    start, end = baseline or NATIONAL_BASELINE
    figure = Figure(figsize=(8, 3.5), dpi=100)
    FigureCanvasAgg(figure)  # Agg draws without a display and without pyplot's global state
    axes = figure.add_subplot()
    axes.axvspan(pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1), color="#d9d9d9", alpha=0.6,
                 label="Baseline year", linewidth=0)
    plotted = 0
    for measure in measure_ids:
        series = monthly[monthly["measure_id"] == measure].sort_values("month")
        if series.empty:
            continue
        label = measure
        if "measure_name" in series.columns and series["measure_name"].notna().any():
            label = str(series["measure_name"].dropna().iloc[0])
        axes.plot(pd.to_datetime(series["month"]).to_numpy(), series["value"].astype(float).to_numpy(),
                  marker=".", linewidth=1.5, label=label)
        plotted += 1
    if not plotted:
        axes.text(0.5, 0.5, "No monthly data", transform=axes.transAxes, ha="center", va="center")
    axes.set_title(title)
    axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="best", fontsize="small")
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    # no Software key: the bytes then depend on the data, not on the matplotlib version
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def spc_chart_png(series: pd.DataFrame, title: str) -> bytes:
    """An XmR chart of one measure as a PNG: the monthly values, the centre line and the natural process limits,
    signals marked, a missing month left as a gap; the legend below the plot, clear of the lines.

    series: marts.measure_spc rows of one force and measure."""
    figure = Figure(figsize=(8, 3.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    frame = series.assign(month=pd.to_datetime(series["month"])).sort_values("month")
    if frame.empty:
        axes.text(0.5, 0.5, "No chart: too few baseline months", transform=axes.transAxes, ha="center", va="center")
    else:
        # one line per segment: a gap (missing month) is never drawn across
        for number, (_, segment) in enumerate(frame.groupby("segment")):
            axes.plot(segment["month"].to_numpy(), segment["value"].astype(float).to_numpy(), color="#1F3864",
                      marker=".", linewidth=1.2, label="Monthly value" if number == 0 else None)
        months = frame["month"].to_numpy()
        axes.plot(months, frame["centre"].astype(float).to_numpy(), color="#595959", linewidth=1, label="Centre")
        axes.plot(months, frame["upper_limit"].astype(float).to_numpy(), color="#9C0006", linewidth=1,
                  linestyle="--", label="Process limits")
        axes.plot(months, frame["lower_limit"].astype(float).to_numpy(), color="#9C0006", linewidth=1,
                  linestyle="--")
        signals = frame[frame["signal"].astype(bool)]
        if len(signals):
            axes.scatter(signals["month"].to_numpy(), signals["value"].astype(float).to_numpy(), color="#E46C0A",
                         zorder=3, s=28, label="Signal")
    axes.set_title(title)
    axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, fontsize="small", frameon=False)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
