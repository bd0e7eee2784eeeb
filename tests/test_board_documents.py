"""The board documents on hand-made mart rows: the workbook read back cell by cell, the statement's wording and
figures, the trend PNG. The frames mimic marts.national_measures, pcp_scorecard, measure_monthly and
measure_breakdowns for one force and quarter, with formula-looking text mixed in."""

from __future__ import annotations

import math
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.chart import LineChart
from openpyxl.worksheet.worksheet import Worksheet

from assets.board_pack.charts import trend_chart_png
from assets.board_pack.statement import draft_statement
from assets.board_pack.workbook import FORMULA_PREFIXES, write_scorecard_workbook

FORCE = "E23000014"
QUARTER = pd.Timestamp("2022-03-31")
HYPERLINK = '=HYPERLINK("http://example.invalid","click")'
NATIONAL_HEADERS = ["Priority", "Measure", "Latest 12 months", "Value", "Baseline (year to June 2019)", "Change",
                    "% change", "Direction", "England and Wales % change", "Quality flags"]
FIGURE_COLUMNS = {"Value": "value", "Baseline (year to June 2019)": "baseline_value", "Change": "change",
                  "% change": "pct_change", "England and Wales % change": "england_wales_pct_change"}


def measure(measure_id: str, name: str, priority: str, order: int, value: float, baseline: float | None,
            unit: str = "count", window: tuple[str, str] = ("2021-04-01", "2022-03-31"), direction: str | None = None,
            flags: str = "", previous: float | None = None, england_wales: float | None = None) -> dict:
    change = None if baseline is None else value - baseline
    return {
        "force_code": FORCE, "force_name": "West Midlands Police", "quarter_end": QUARTER, "priority": priority,
        "measure_id": measure_id, "measure_name": name, "unit": unit,
        "window_start": pd.Timestamp(window[0]), "window_end": pd.Timestamp(window[1]), "value": value,
        "baseline_start": pd.Timestamp("2018-07-01"), "baseline_end": pd.Timestamp("2019-06-30"),
        "baseline_value": baseline, "change": change,
        "pct_change": None if baseline is None else 100.0 * change / baseline,
        "previous_value": previous, "last_quarter_value": None,
        "polarity": "higher_is_better" if priority == "Satisfaction" else "lower_is_better",
        "direction": direction, "source": "Force recorded crime", "quality_flags": flags,
        "england_wales_pct_change": england_wales, "display_order": order,
    }


@pytest.fixture
def national() -> pd.DataFrame:
    # rows deliberately out of display order: the documents must put them in board order
    rows = [
        measure("online_crime_share", "Online crime as a share of all recorded crime", "Cyber crime", 61, 9.021407,
                2.247131, unit="percent", direction="worsening"),
        measure("homicide", "Homicide", "Homicide", 10, 53, 52, direction="stable", england_wales=4.31),
        measure("firearm_discharges", "Firearm discharges", "Serious violence", 24, 148, 163, direction="improving",
                previous=157),
        measure("hospital_admissions_sharp_object_u25", "Hospital admissions for assault by a sharp object, under 25",
                "Serious violence", 20, 160, 215, window=("2021-03-01", "2022-02-28"), direction="improving",
                flags="suppressed_months=2"),
        measure("satisfaction_rate", "SMS survey: helped with the issue (8 or more out of 10)", "Satisfaction", 50,
                67.999112, None, unit="percent", flags="no_baseline"),
        measure("online_crime", HYPERLINK, "Cyber crime", 60, 29500, 5900, direction="worsening", flags="-1"),
    ]
    frame = pd.DataFrame(rows)
    frame.loc[frame["measure_id"] == "firearm_discharges", "source"] = "Force firearm discharge log"
    return frame


@pytest.fixture
def kpis() -> pd.DataFrame:
    return pd.DataFrame([
        {"force_code": FORCE, "quarter_end": QUARTER, "kpi_id": "officer_uplift",
         "kpi_name": "Police Officer Uplift: additional police officers since March 2019", "value": 1017.0,
         "unit": "count", "target": 730.0, "target_kind": "increase_on_baseline", "baseline_value": 6625.0,
         "baseline_date": pd.Timestamp("2019-03-31"), "status": "met"},
        {"force_code": FORCE, "quarter_end": QUARTER, "kpi_id": "positive_outcomes",
         "kpi_name": "@Stop and search positive outcome rate (12 months)", "value": 27.200238, "unit": "percent",
         "target": 50.0, "target_kind": "at_least", "baseline_value": 26.498352,
         "baseline_date": pd.Timestamp("2021-03-31"), "status": "not_met"},
        {"force_code": FORCE, "quarter_end": QUARTER, "kpi_id": "search_ratio_black",
         "kpi_name": "Search ratio, Black against White", "value": 4.399922, "unit": "ratio", "target": None,
         "target_kind": "monitor", "baseline_value": 3.900297, "baseline_date": pd.Timestamp("2021-03-31"),
         "status": "monitor"},
    ])


@pytest.fixture
def monthly(national: pd.DataFrame) -> pd.DataFrame:
    months = pd.date_range("2021-01-01", "2022-03-01", freq="MS")
    rows = []
    for index, record in enumerate(national.sort_values("display_order").to_dict("records")):
        for step, month in enumerate(months):
            # one suppressed month for HES, so a gap has to survive into the sheet
            value = None if record["measure_id"].startswith("hospital") and step == 3 else float(index * 10 + step)
            rows.append({"force_code": FORCE, "measure_id": record["measure_id"], "month": month, "value": value,
                         "measure_name": record["measure_name"]})
    return pd.DataFrame(rows)


@pytest.fixture
def breakdowns() -> pd.DataFrame:
    homicide = {"organised_crime_group": 7, "domestic_abuse": 14, "drugs_related": 25, "alcohol_related": 13,
                "victim_under_25": 8}
    firearms = {"injury": 13, "fatal": 4, "gang_related": 11, "drugs_related": 9, "weapon_shotgun": 24,
                "weapon_handgun": 8, "weapon_rifle": 0, "weapon_converted_or_modified": 2, "weapon_unknown": 2}
    rows = [{"force_code": FORCE, "quarter_end": QUARTER, "measure_id": "homicide", "breakdown_id": key,
             "period_start": pd.Timestamp("2021-04-01"), "period_end": QUARTER, "count": count, "total": 53,
             "share_pct": 100.0 * count / 53} for key, count in homicide.items()]
    rows += [{"force_code": FORCE, "quarter_end": QUARTER, "measure_id": "firearm_discharges", "breakdown_id": key,
              "period_start": pd.Timestamp("2022-01-01"), "period_end": QUARTER, "count": count, "total": 36,
              "share_pct": 100.0 * count / 36} for key, count in firearms.items()]
    return pd.DataFrame(rows)


@pytest.fixture
def workbook_path(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame, monthly: pd.DataFrame) -> Path:
    path = tmp_path / "out" / "scorecard-2022-Q1.xlsx"
    write_scorecard_workbook(path, national, kpis, monthly,
                             notes={"Prepared by": "Business Planning", "=cmd|' /C calc'!A0": "-2+3"})
    return path


def header_row(sheet: Worksheet, first: str) -> int:
    for row in sheet.iter_rows(max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no {first!r} header in {sheet.title}")


def table(sheet: Worksheet, first: str) -> tuple[list[str], list[tuple]]:
    """The header and cells of the table whose header starts with `first`, down to the first empty row."""
    top = header_row(sheet, first)
    headers = [cell.value for cell in sheet[top] if cell.value is not None]
    rows = []
    for row in sheet.iter_rows(min_row=top + 1, max_col=len(headers)):
        if all(cell.value is None for cell in row):
            break
        rows.append(row)
    return headers, rows


def same(cell_value: object, frame_value: object) -> bool:
    if frame_value is None or (isinstance(frame_value, float) and math.isnan(frame_value)):
        return cell_value is None
    return cell_value == pytest.approx(float(frame_value), rel=1e-12, abs=1e-12)


def test_sheets_in_board_order(workbook_path: Path) -> None:
    assert load_workbook(workbook_path).sheetnames == ["Cover", "National measures", "PCP KPIs", "Trends", "Trend data",
                                                       "Notes"]


def test_national_sheet_figures_equal_the_frame(workbook_path: Path, national: pd.DataFrame) -> None:
    sheet = load_workbook(workbook_path)["National measures"]
    assert "West Midlands Police" in sheet["A1"].value
    assert sheet["A2"].value.startswith("Quarter ending 31 March 2022")
    assert "year ending June 2019" in sheet["A3"].value
    headers, rows = table(sheet, "Priority")
    assert headers == NATIONAL_HEADERS
    # grouped by priority, measures in display order
    assert [row[1].value for row in rows] == list(national.sort_values("display_order")["measure_name"])
    assert [row[0].value for row in rows] == ["Homicide", "Serious violence", "Serious violence", "Satisfaction",
                                              "Cyber crime", "Cyber crime"]
    by_name = {record["measure_name"]: record for record in national.to_dict("records")}
    for row in rows:
        record = by_name[row[1].value]
        cells = dict(zip(headers, row, strict=True))
        for header, column in FIGURE_COLUMNS.items():
            assert same(cells[header].value, record[column]), (record["measure_id"], header)
            if cells[header].value is not None:
                assert cells[header].data_type == "n"
        # an empty direction or flag (NaN or "" in the frame) is an empty cell
        assert cells["Direction"].value == (record["direction"].capitalize() if isinstance(record["direction"], str)
                                            else None)
        assert cells["Quality flags"].value == (record["quality_flags"] or None)
    windows = {row[1].value: row[2].value for row in rows}
    assert windows["Homicide"] == "Apr 2021 to Mar 2022"
    assert windows["Hospital admissions for assault by a sharp object, under 25"] == "Mar 2021 to Feb 2022"


def test_number_formats_follow_the_unit(workbook_path: Path) -> None:
    headers, rows = table(load_workbook(workbook_path)["National measures"], "Priority")
    cells = {row[1].value: dict(zip(headers, row, strict=True)) for row in rows}
    homicide = cells["Homicide"]
    assert homicide["Value"].number_format == "#,##0"
    assert homicide["Baseline (year to June 2019)"].number_format == "#,##0"
    assert "%" in homicide["% change"].number_format and "0.0" in homicide["% change"].number_format
    share = cells["Online crime as a share of all recorded crime"]
    assert share["Value"].number_format == '0.0"%"'
    assert share["Baseline (year to June 2019)"].number_format == '0.0"%"'
    assert "pp" in share["Change"].number_format


def test_formula_looking_text_is_stored_as_quoted_text(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)
    seen = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                    seen.add(cell.value)
    assert {HYPERLINK, "-1", "@Stop and search positive outcome rate (12 months)", "=cmd|' /C calc'!A0",
            "-2+3"} <= seen
    # and in the file itself: no worksheet carries a formula element at all
    with zipfile.ZipFile(workbook_path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name


def test_direction_and_status_are_coloured_by_formula_rules(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)
    national = workbook["National measures"]
    top = header_row(national, "Priority")
    direction = {rule.formula[0]: (str(ranges.sqref), rule.dxf.fill.bgColor.rgb)
                 for ranges in national.conditional_formatting for rule in ranges.rules}
    first = top + 1
    assert direction[f'$H{first}="Improving"'] == (f"H{first}:H{first + 5}", "00C6EFCE")
    assert direction[f'$H{first}="Worsening"'][1] == "00FFC7CE"
    assert direction[f'$H{first}="Stable"'][1] == "00DDEBF7"  # neutral blue: amber would read as "at risk"
    assert national.cell(row=top, column=8).value == "Direction"

    kpi = workbook["PCP KPIs"]
    top = header_row(kpi, "KPI")
    assert kpi.cell(row=top, column=8).value == "Status"
    status = {rule.formula[0]: (str(ranges.sqref), rule.dxf.fill.bgColor.rgb)
              for ranges in kpi.conditional_formatting for rule in ranges.rules}
    first = top + 1
    span = f"H{first}:H{first + 2}"
    assert status == {f'$H{first}="Met"': (span, "00C6EFCE"), f'$H{first}="Not met"': (span, "00FFC7CE"),
                      f'$H{first}="Monitor"': (span, "00DDEBF7"), f'$H{first}="No data"': (span, "00EDEDED"),
                      f'$H{first}="No baseline"': (span, "00EDEDED"),
                      f'$H{first}="Not comparable"': (span, "00EDEDED")}
    # words, not the marts' codes
    assert [kpi.cell(row=first + n, column=8).value for n in range(3)] == ["Met", "Not met", "Monitor"]


def test_kpi_sheet_figures_equal_the_frame(workbook_path: Path, kpis: pd.DataFrame) -> None:
    headers, rows = table(load_workbook(workbook_path)["PCP KPIs"], "KPI")
    assert headers == ["KPI", "Value", "Unit", "Target", "Target kind", "Baseline", "Baseline date", "Status"]
    assert len(rows) == len(kpis)
    for row, record in zip(rows, kpis.to_dict("records"), strict=True):
        cells = dict(zip(headers, row, strict=True))
        assert cells["KPI"].value == record["kpi_name"]
        assert same(cells["Value"].value, record["value"])
        assert same(cells["Target"].value, record["target"])
        assert same(cells["Baseline"].value, record["baseline_value"])
        assert cells["Baseline date"].value == record["baseline_date"].to_pydatetime()
        kinds = {"at_least": "At least the target", "increase_on_baseline": "Increase on baseline",
                 "monitor": "Monitor (no target)"}
        statuses = {"met": "Met", "not_met": "Not met", "monitor": "Monitor"}
        assert (cells["Unit"].value, cells["Target kind"].value, cells["Status"].value) == (
            record["unit"], kinds[record["target_kind"]], statuses[record["status"]])
    assert rows[1][1].number_format == '0.0"%"'
    assert rows[2][1].number_format == "0.00"


def test_trends_has_one_line_chart_per_measure_over_the_sheet_data(workbook_path: Path,
                                                                  monthly: pd.DataFrame) -> None:
    book = load_workbook(workbook_path)
    data = book["Trend data"]
    headers, rows = table(data, "Month")
    names = list(dict.fromkeys(monthly["measure_name"]))
    assert headers == ["Month", *names]
    expected = monthly.pivot(index="month", columns="measure_name", values="value")
    assert [row[0].value for row in rows] == [month.to_pydatetime() for month in expected.index]
    for row in rows:
        for name, cell in zip(names, row[1:], strict=True):
            assert same(cell.value, expected.loc[pd.Timestamp(row[0].value), name])

    charts = book["Trends"]._charts
    assert len(charts) == len(names)
    assert all(isinstance(chart, LineChart) and len(chart.series) == 1 for chart in charts)
    top = header_row(data, "Month")
    plotted = sorted(chart.series[0].val.numRef.f for chart in charts)
    columns = [data.cell(row=top, column=index).column_letter for index in range(2, len(names) + 2)]
    assert plotted == sorted(f"'Trend data'!${letter}${top + 1}:${letter}${top + len(rows)}" for letter in columns)
    # one chart a row, two to a page, nothing overlapping
    anchors = [(chart.anchor._from.row, chart.anchor._from.col) for chart in charts]
    assert len(set(anchors)) == len(charts) and {col for _, col in anchors} == {0}


def test_trend_charts_draw_the_spc_centre_line_and_limits(tmp_path: Path, national: pd.DataFrame,
                                                          kpis: pd.DataFrame, monthly: pd.DataFrame) -> None:
    # an XmR chart for homicide only: centre 4.4, limits 0 and 10.1 in every month
    homicide = monthly[monthly["measure_id"] == "homicide"]
    spc = pd.DataFrame({"force_code": FORCE, "measure_id": "homicide", "month": homicide["month"],
                        "value": homicide["value"], "centre": 4.4, "lower_limit": 0.0, "upper_limit": 10.1,
                        "signal": False, "rule": None})
    path = tmp_path / "scorecard.xlsx"
    write_scorecard_workbook(path, national, kpis, monthly, spc=spc)
    book = load_workbook(path)
    headers, rows = table(book["Trend data"], "Month")
    column = headers.index("Homicide")
    assert headers[column + 1:column + 4] == ["Homicide: centre", "Homicide: lower limit", "Homicide: upper limit"]
    assert {tuple(cell.value for cell in row[column + 1:column + 4]) for row in rows} == {(4.4, 0, 10.1)}
    by_title = {chart.title.tx.rich.p[0].r[0].t: chart for chart in book["Trends"]._charts}
    assert len(by_title["Homicide"].series) == 4
    assert [s.graphicalProperties.line.prstDash for s in by_title["Homicide"].series] == [
        "solid", "dash", "sysDot", "sysDot"]
    assert len(by_title["Firearm discharges"].series) == 1  # no chart in the mart: no limits invented


def test_notes_explain_flags_and_carry_the_callers_notes(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Notes"]
    text = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert {"Baseline", "Latest 12 months", "Sources", "Quality flags", "months_missing=n", "suppressed_months=n",
            "no_baseline", "Prepared by", "Business Planning"} <= text
    headers, rows = table(sheet, "Measure")
    lags = {row[0].value: row[3].value for row in rows}
    assert lags["Hospital admissions for assault by a sharp object, under 25"] == 1
    assert lags["Homicide"] == 0


def test_workbook_bytes_are_reproducible(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame,
                                         monthly: pd.DataFrame) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_scorecard_workbook(first, national, kpis, monthly)
    write_scorecard_workbook(second, national.sample(frac=1, random_state=3), kpis, monthly)
    assert first.read_bytes() == second.read_bytes()


def test_workbook_refuses_more_than_one_quarter(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame,
                                                monthly: pd.DataFrame) -> None:
    later = national.assign(quarter_end=pd.Timestamp("2022-06-30"))
    with pytest.raises(ValueError, match="quarter_end"):
        write_scorecard_workbook(tmp_path / "x.xlsx", pd.concat([national, later]), kpis, monthly)


def paragraphs(statement: str) -> dict[str, str]:
    """Each measure's paragraph by the measure name it opens with."""
    found = {}
    for block in statement.split("\n\n"):
        if block.startswith("**"):
            name, _, body = block[2:].partition(".**")
            found[name] = body.strip()
    return found


def test_statement_reads_like_the_board_paper(national: pd.DataFrame, breakdowns: pd.DataFrame) -> None:
    statement = draft_statement(national, breakdowns)
    headings = [line for line in statement.splitlines() if line.startswith("## ")]
    assert headings == ["## Measure: Reduce murder and other homicide", "## Measure: Reduce serious violence",
                        "## Measure: Improve satisfaction among victims", "## Measure: Tackle cyber crime"]
    text = paragraphs(statement)
    assert len(text) == len(national)
    assert text["Homicide"].startswith("Volumes from April 2021 to March 2022 saw 53 homicides, compared to 52 in "
                                       "the year ending June 2019 baseline, a 1.9% increase.")
    hes = text["Hospital admissions for assault by a sharp object, under 25"]
    assert hes.startswith("The last 12 months (March 2021 to February 2022) saw 160 episodes, a reduction of 55 "
                          "compared to the national baseline year ending June 2019")
    assert "2 months of the 12 are suppressed" in hes
    assert "29,500 offences, compared to 5,900" in text[HYPERLINK]
    assert "a 400.0% increase" in text[HYPERLINK]
    assert "quality flag -1" in text[HYPERLINK]
    assert "Across England and Wales the same comparison shows a 4.3% increase." in text["Homicide"]


def test_statement_percent_measures_and_missing_baselines(national: pd.DataFrame, breakdowns: pd.DataFrame) -> None:
    text = paragraphs(draft_statement(national, breakdowns))
    assert ("9.0%, compared to 2.2% in the year ending June 2019 baseline, an increase of 6.8 percentage points"
            in text["Online crime as a share of all recorded crime"])
    assert text["SMS survey: helped with the issue (8 or more out of 10)"] == (
        "From April 2021 to March 2022 this stood at 68.0%; no baseline: the survey began after June 2019.")


def test_statement_breakdown_sentences(national: pd.DataFrame, breakdowns: pd.DataFrame) -> None:
    text = paragraphs(draft_statement(national, breakdowns))
    homicide = text["Homicide"]
    assert "Of the 53 homicides, 13% (7) were linked to organised crime groups, 26% (14) were domestic-related" \
        in homicide
    assert "47% (25) were drug-related" in homicide and "15% (8) had a victim under 25" in homicide
    firearms = text["Firearm discharges"]
    assert "148 discharges, compared to 163 in the year ending June 2019 baseline, a 9.2% reduction" in firearms
    assert "The previous 12 months saw 157, so the year ending March 2022 shows a reduction of 9." in firearms
    assert ("In the last quarter (January to March 2022), a total of 36 discharges took place, with injury caused "
            "in 13 (of which 4 fatal).") in firearms
    assert "11 of the 36 discharges were linked to gang activity and 9 to drug dealing" in firearms
    assert "a shotgun being discharged in 24 of the 36 discharges (67%)" in firearms


def test_statement_figures_come_from_the_frames(national: pd.DataFrame, breakdowns: pd.DataFrame) -> None:
    changed = national.copy()
    homicide = changed["measure_id"] == "homicide"
    changed.loc[homicide, ["value", "baseline_value", "change", "pct_change"]] = [52.0, 52.0, 0.0, 0.0]
    hes = changed["measure_id"] == "hospital_admissions_sharp_object_u25"
    changed.loc[hes, ["value", "change", "pct_change"]] = [1240.0, 1025.0, 100.0 * 1025 / 215]
    text = paragraphs(draft_statement(changed, breakdowns.assign(total=60)))
    assert "saw 52 homicides, compared to 52 in the year ending June 2019 baseline, no change." in text["Homicide"]
    assert "Of the 60 homicides" in text["Homicide"]
    assert "saw 1,240 episodes, an increase of 1,025 compared to" in text[
        "Hospital admissions for assault by a sharp object, under 25"]


def test_trend_png(monthly: pd.DataFrame) -> None:
    png = trend_chart_png(monthly, ["homicide", "firearm_discharges"], "Homicide and firearm discharges")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert trend_chart_png(monthly, ["no_such_measure"], "Empty").startswith(b"\x89PNG\r\n\x1a\n")


def test_incomplete_window_is_grey_and_never_compared(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame,
                                                      monthly: pd.DataFrame, breakdowns: pd.DataFrame) -> None:
    # three months of homicide against a full baseline year: 14 against 52 is not an improvement
    partial = national.copy()
    homicide = partial["measure_id"] == "homicide"
    partial.loc[homicide, ["value", "change", "pct_change", "direction"]] = [14, None, None, None]
    partial["is_comparable"] = ~homicide
    partial["months_missing"] = homicide.map({True: 9, False: 0})
    partial["suppressed_months"] = 0
    partial.loc[homicide, "quality_flags"] = "months_missing=9"
    path = tmp_path / "partial.xlsx"
    write_scorecard_workbook(path, partial, kpis, monthly)
    sheet = load_workbook(path)["National measures"]
    headers, rows = table(sheet, "Priority")
    row = next(r for r in rows if r[1].value == "Homicide")
    cells = dict(zip(headers, row, strict=True))
    assert cells["Direction"].value == "Not comparable: 9 months missing"
    assert cells["Change"].value is None and cells["% change"].value is None
    assert {c.fill.fgColor.rgb for c in row} == {"00EDEDED"}  # grey, painted on the whole row
    text = paragraphs(draft_statement(partial, breakdowns))["Homicide"]
    assert "14 homicides" in text and "not comparable with the baseline (9 months missing)" in text
    # no change against the baseline in any form: 14 - 52 = -38, -73.1%
    assert "38" not in text and "73.1" not in text and "reduction" not in text


def test_statement_says_what_changed_and_whether_it_is_signal(national: pd.DataFrame,
                                                               breakdowns: pd.DataFrame) -> None:
    months = pd.date_range("2020-01-01", "2022-03-01", freq="MS")
    # homicide: 5 a month, 9 in May 2020, 8 in March 2022 -> the highest since May 2020
    values = {month: 9.0 if month == pd.Timestamp("2020-05-01") else 8.0 if month == months[-1] else 5.0
              for month in months}
    monthly = pd.DataFrame({"force_code": FORCE, "measure_id": "homicide", "month": list(values),
                            "value": list(values.values())})
    # the SPC chart: centre 4, the last 8 months (August 2021 to March 2022) above it, a shift
    spc = pd.DataFrame({"force_code": FORCE, "measure_id": "homicide", "month": months, "value": list(values.values()),
                        "centre": 4.0, "lower_limit": 1.0, "upper_limit": 9.5, "segment": 1,
                        "signal": [m >= pd.Timestamp("2021-08-01") for m in months],
                        "rule": ["shift" if m >= pd.Timestamp("2021-08-01") else None for m in months]})
    spc.loc[spc["month"] < pd.Timestamp("2021-08-01"), "value"] = 3.0  # below the centre before the run
    text = paragraphs(draft_statement(national, breakdowns, spc, monthly))["Homicide"]
    assert "March 2022 is the highest month since May 2020." in text
    assert ("On the statistical process control chart, March 2022 shows a run of 8 months above the average since "
            "August 2021: a real increase, not noise.") in text
    # a month within the limits is said to be so
    quiet = spc.assign(signal=False, rule=None)
    assert "within the natural limits of the baseline year's variation: no signal of real change" in paragraphs(
        draft_statement(national, breakdowns, quiet, monthly))["Homicide"]
    outside = spc.assign(rule=["outside_limits" if signal else None for signal in spc["signal"]])
    assert ("On the statistical process control chart, March 2022 is outside the natural process limits: a real "
            "increase, not noise.") in paragraphs(draft_statement(national, breakdowns, outside, monthly))["Homicide"]
    # without the frames, the statement is as before
    assert "statistical process control" not in draft_statement(national, breakdowns)


def test_spc_chart_png_is_a_deterministic_png() -> None:
    from assets.board_pack.charts import spc_chart_png

    months = pd.date_range("2021-01-01", "2021-12-01", freq="MS")
    series = pd.DataFrame({"month": months, "value": [5.0, 6, 5, 7, 5, 6, 5, 12, 5, 6, 5, 6], "centre": 6.0,
                           "lower_limit": 2.0, "upper_limit": 10.0, "segment": [1] * 6 + [2] * 6,
                           "signal": [False] * 7 + [True] + [False] * 4})
    png = spc_chart_png(series, "Homicide: XmR chart")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert spc_chart_png(series, "Homicide: XmR chart") == png
    assert spc_chart_png(series.assign(signal=False), "Homicide: XmR chart") != png  # the signal is drawn


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_page_numbers(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9, sheet.title  # 9 is A4 in the OOXML paper codes
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1, sheet.title
        assert "Page &P of &N" in sheet.oddFooter.right.text, sheet.title
    national = book["National measures"]
    top = header_row(national, "Priority")
    assert national.print_title_rows == f"${top}:${top}"  # the header row repeats on every page


def test_no_trend_chart_is_cut_by_a_page_break(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame,
                                               monthly: pd.DataFrame) -> None:
    # twelve measures: twelve charts, two to a page
    many = pd.concat([monthly.assign(measure_id=f"m{i}", measure_name=f"Measure {i}") for i in range(12)])
    path = tmp_path / "many.xlsx"
    write_scorecard_workbook(path, national, kpis, many)
    sheet = load_workbook(path)["Trends"]
    breaks = sorted(b.id for b in sheet.row_breaks.brk)  # a break after row id: the next page starts at id + 1
    assert len(breaks) == 5, "twelve charts, two to a page: six pages"
    default_row_cm = 15 / 72 * 2.54  # 15 points a row
    printable_cm = 21.0 - 2 * 0.6 * 2.54  # A4 landscape less the top and bottom margins
    pages = list(zip([0, *breaks], [*breaks, 10_000], strict=True))
    for chart in sheet._charts:
        top = chart.anchor._from.row + 1  # 1-based row of the chart's top edge
        height_cm = chart.anchor.ext.height / 360_000  # EMU; openpyxl does not read width and height back
        bottom = top + math.ceil(height_cm / default_row_cm)
        assert not [b for b in breaks if top <= b < bottom], (top, bottom, breaks)
    # each page's rows fit its height at 100%: Excel would otherwise add a break of its own inside a chart
    for first, last in pages[:-1]:
        assert (last - first) * default_row_cm <= printable_cm, (first, last)
    per_page = [sum(first < c.anchor._from.row + 1 <= last for c in sheet._charts) for first, last in pages]
    assert per_page == [2, 2, 2, 2, 2, 2]


def paper_figure(section: str, order: int, figure_id: str, label: str, value: float | None, unit: str = "count",
                 period: str = "2021/22", against: float | None = None, against_label: str | None = None,
                 missing: int = 0, flags: str | None = None) -> dict:
    return {"force_code": FORCE, "quarter_end": QUARTER, "section": section, "paper_ref": "paper 10",
            "figure_order": order, "figure_id": figure_id, "label": label, "period_label": period,
            "period_start": pd.Timestamp("2021-04-01"), "period_end": QUARTER, "value": value, "unit": unit,
            "comparison_label": against_label, "comparison_value": against, "months_missing": missing,
            "comparable": missing == 0 and value is not None, "quality_flags": flags, "source": "core.fact_x"}


@pytest.fixture
def paper_figures() -> pd.DataFrame:
    # out of the paper's order on purpose: Recruitment comes last, Firearms after Homicide
    return pd.DataFrame([
        paper_figure("Recruitment", 1, "pcsos", "PCSOs", 477, period="April 2022"),
        paper_figure("Firearms", 2, "firearms_warrants", "Firearms warrants executed", 38,
                     period="January to March 2022"),
        paper_figure("Firearms", 1, "lethal_firearms_recovered", "Lethal barrelled firearms recovered", 140,
                     against=124, against_label="2020/21"),
        paper_figure("Drugs", 1, "drug_test_positive", "Drug tests in custody found positive", 64.0, unit="percent",
                     period="since November 2021"),
        paper_figure("Drugs", 2, "treatment_referrals", "Referrals into drug treatment", 1_500, against=1_315,
                     against_label="2020/21", missing=2, flags="months_missing=2"),
        paper_figure("Homicide", 1, "homicide_suspect_u25", "Homicides with a suspect under 25", None,
                     unit="percent", period="April 2021 to March 2022"),
    ])


def test_paper_sentences_state_a_change_only_between_complete_periods(national: pd.DataFrame,
                                                                      breakdowns: pd.DataFrame,
                                                                      paper_figures: pd.DataFrame) -> None:
    statement = draft_statement(national, breakdowns, paper_figures=paper_figures)
    tail = statement[statement.index("## Homicide\n\n-"):]
    # 140 - 124 = 16; 16 / 124 = 12.9%, printed whole as the paper prints its percents
    assert tail == (
        "## Homicide\n\n"
        "- Homicides with a suspect under 25, April 2021 to March 2022: no data delivered.\n\n"
        "## Firearms\n\n"
        "- Lethal barrelled firearms recovered, 2021/22: 140, 16 more than the 124 of 2020/21 (+13%).\n"
        "- Firearms warrants executed, January to March 2022: 38.\n\n"
        "## Drugs\n\n"
        "- Drug tests in custody found positive, since November 2021: 64%.\n"
        "- Referrals into drug treatment, 2021/22: 1,500 over the months delivered (2 months missing), so not "
        "compared with 2020/21. Data quality: 2 months of the period have no data delivered.\n\n"
        "## Recruitment\n\n"
        "- PCSOs, April 2022: 477.\n")


def test_paper_sheet_gives_a_change_only_between_complete_periods(tmp_path: Path, national: pd.DataFrame,
                                                                  kpis: pd.DataFrame, monthly: pd.DataFrame,
                                                                  paper_figures: pd.DataFrame) -> None:
    path = tmp_path / "scorecard.xlsx"
    write_scorecard_workbook(path, national, kpis, monthly, paper_figures=paper_figures)
    book = load_workbook(path)
    assert book.sheetnames == ["Cover", "National measures", "PCP KPIs", "Board paper figures", "Trends", "Trend data",
                               "Notes"]
    headers, rows = table(book["Board paper figures"], "Section")
    assert headers == ["Section", "Figure", "Period", "Value", "Set against", "Comparison", "Change", "Quoted in",
                       "Quality flags"]
    values = [tuple(cell.value for cell in row[:7]) for row in rows]
    assert values == [
        ("Homicide", "Homicides with a suspect under 25", "April 2021 to March 2022", None, None, None, None),
        ("Firearms", "Lethal barrelled firearms recovered", "2021/22", 140, "2020/21", 124, 16),
        ("Firearms", "Firearms warrants executed", "January to March 2022", 38, None, None, None),
        ("Drugs", "Drug tests in custody found positive", "since November 2021", 64, None, None, None),
        ("Drugs", "Referrals into drug treatment", "2021/22", 1500, "2020/21", 1315,
         "Not comparable: 2 months missing"),
        ("Recruitment", "PCSOs", "April 2022", 477, None, None, None),
    ]
    # the partial year is grey, never coloured; the complete one is not painted
    assert rows[4][6].fill.fgColor.rgb.endswith("EDEDED") and rows[4][3].font.color.rgb.endswith("595959")
    assert rows[1][6].fill.fill_type is None
    assert book["Board paper figures"].page_setup.orientation == "landscape"


def test_statement_docx_numbers_the_paragraphs_in_board_order(tmp_path: Path, national: pd.DataFrame,
                                                              breakdowns: pd.DataFrame,
                                                              paper_figures: pd.DataFrame) -> None:
    from datetime import datetime

    from docx import Document

    from assets.board_pack.statement_docx import write_statement_docx

    text = draft_statement(national, breakdowns, paper_figures=paper_figures)
    path = tmp_path / "statement-2022-Q1.docx"
    write_statement_docx(path, text, "West Midlands Police: statement, 2022-Q1", datetime(2022, 3, 31))
    first = path.read_bytes()
    write_statement_docx(path, text, "West Midlands Police: statement, 2022-Q1", datetime(2022, 3, 31))
    assert path.read_bytes() == first  # an unchanged quarter gives the same bytes
    document = Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "National Crime and Policing Measures: West Midlands Police statement")
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings[0] == "Measure: Reduce murder and other homicide"
    assert headings[-4:] == ["Homicide", "Firearms", "Drugs", "Recruitment"]
    numbered = [text for style, text in paragraphs if style == "List Number"]
    homicide = next(p for p in document.paragraphs if p.text.startswith("Homicide. "))
    assert homicide.runs[0].text == "Homicide." and homicide.runs[0].bold  # the Markdown's bold lead-in
    assert "Lethal barrelled firearms recovered, 2021/22: 140, 16 more than the 124 of 2020/21 (+13%)." in numbered
    # every paragraph of the Markdown statement is in the document, word for word
    markdown_paragraphs = [block.replace("**", "") for block in text.split("\n\n")
                           if block and not block.startswith(("#", "- ", "Quarter ending"))]
    assert all(paragraph in numbered for paragraph in markdown_paragraphs)


def test_cover_gives_force_quarter_date_and_linked_contents(tmp_path: Path, national: pd.DataFrame,
                                                            kpis: pd.DataFrame, monthly: pd.DataFrame) -> None:
    from datetime import date

    path = tmp_path / "scorecard.xlsx"
    write_scorecard_workbook(path, national, kpis, monthly, prepared=date(2022, 5, 10))
    cover = load_workbook(path)["Cover"]
    cells = {row[0].value: row[1].value for row in cover.iter_rows(max_col=2) if row[0].value}
    assert cells["West Midlands Police"] is None
    assert (cells["Quarter ending"], cells["Prepared"]) == ("31 March 2022", "10 May 2022")
    contents = [row[0] for row in cover.iter_rows(min_row=header_row(cover, "Contents") + 1, max_col=1)
                if row[0].value]
    assert [cell.value for cell in contents] == ["National measures", "PCP KPIs", "Trends", "Trend data", "Notes"]
    assert [cell.hyperlink.location for cell in contents] == [
        "'National measures'!A1", "'PCP KPIs'!A1", "'Trends'!A1", "'Trend data'!A1", "'Notes'!A1"]


def test_commentary_sits_beside_its_measure(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame,
                                            monthly: pd.DataFrame, breakdowns: pd.DataFrame) -> None:
    from assets.board_pack.statement import measure_commentary

    commentary = measure_commentary(national, breakdowns)
    path = tmp_path / "scorecard.xlsx"
    write_scorecard_workbook(path, national, kpis, monthly, commentary=commentary)
    headers, rows = table(load_workbook(path)["National measures"], "Priority")
    assert headers == [*NATIONAL_HEADERS, "Commentary"]
    by_measure = {row[1].value: row[10].value for row in rows}
    assert by_measure["Homicide"].startswith(
        "Volumes from April 2021 to March 2022 saw 53 homicides, compared to 52 in the year ending June 2019 "
        "baseline, a 1.9% increase.")
    # the statement prints the same paragraph under the measure's bold name
    assert f"**Homicide.** {by_measure['Homicide']}" in draft_statement(national, breakdowns)


def test_variation_column_gives_the_spc_verdict_of_each_measures_last_month(tmp_path: Path, national: pd.DataFrame,
                                                                            kpis: pd.DataFrame,
                                                                            monthly: pd.DataFrame) -> None:
    from assets.board_pack.workbook import latest_variation

    def points(measure_id: str, verdicts: dict[str, str]) -> list[dict]:
        return [{"force_code": FORCE, "measure_id": measure_id, "month": pd.Timestamp(month), "value": 1.0,
                 "centre": 1.0, "lower_limit": 0.0, "upper_limit": 2.0, "signal": verdict != "common_cause",
                 "rule": None, "variation": verdict} for month, verdict in verdicts.items()]

    spc = pd.DataFrame([
        # homicide's window ends in March 2022: its March point counts, not February's
        *points("homicide", {"2022-02-01": "common_cause", "2022-03-01": "special_cause_concern"}),
        # HES lags a month: its window ends in February 2022
        *points("hospital_admissions_sharp_object_u25", {"2022-02-01": "special_cause_improvement",
                                                         "2022-03-01": "common_cause"}),
        # a gap at the window's last month: no verdict, not the month before's
        *points("firearm_discharges", {"2022-02-01": "special_cause_concern"}),
    ])
    variation = latest_variation(spc, national)
    assert variation == {"homicide": "special_cause_concern",
                         "hospital_admissions_sharp_object_u25": "special_cause_improvement",
                         "firearm_discharges": "no_point"}
    path = tmp_path / "scorecard.xlsx"
    write_scorecard_workbook(path, national, kpis, monthly, variation=variation)
    headers, rows = table(load_workbook(path)["National measures"], "Priority")
    assert headers == [*NATIONAL_HEADERS, "Variation (SPC, latest month)"]
    by_measure = {row[1].value: row[10].value for row in rows}
    assert by_measure["Homicide"] == "Special cause: concern"
    assert by_measure["Hospital admissions for assault by a sharp object, under 25"] == "Special cause: improvement"
    assert by_measure["Firearm discharges"] == "No value for the month"
    assert by_measure["Homicide"] != by_measure["Online crime as a share of all recorded crime"] == "No SPC chart"


def test_a_baseline_band_kpi_shows_its_band_in_words(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame,
                                                     monthly: pd.DataFrame) -> None:
    band = pd.DataFrame([{
        "force_code": FORCE, "quarter_end": QUARTER, "kpi_id": "bwv_stop_search",
        "kpi_name": "Body-worn video used in stops and searches", "value": 95.0, "unit": "percent", "target": None,
        "target_kind": "baseline_band", "baseline_low": 92.0, "baseline_high": 95.0, "baseline_value": 94.0,
        "baseline_date": pd.Timestamp("2021-03-31"), "status": "met"}])
    path = tmp_path / "scorecard.xlsx"
    write_scorecard_workbook(path, national, pd.concat([kpis, band], ignore_index=True), monthly)
    headers, rows = table(load_workbook(path)["PCP KPIs"], "KPI")
    cells = dict(zip(headers, rows[-1], strict=True))
    assert (cells["Target"].value, cells["Target kind"].value, cells["Status"].value) == (
        "92.0% to 95.0%", "The baseline band or higher", "Met")


def test_kpi_sheet_gives_each_kpis_assurance_in_words(tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame,
                                                      monthly: pd.DataFrame) -> None:
    path = tmp_path / "scorecard.xlsx"
    write_scorecard_workbook(path, national, kpis, monthly,
                             assurance={"positive_outcomes": "consistently_missed", "officer_uplift": "hit_and_miss"})
    headers, rows = table(load_workbook(path)["PCP KPIs"], "KPI")
    assert headers[-1] == "Assurance (SPC)"
    assert [row[8].value for row in rows] == ["Hit and miss", "Consistently missed", None]  # no verdict: empty


def test_statement_with_the_workbooks_commentary_is_the_statement(national: pd.DataFrame, breakdowns: pd.DataFrame,
                                                                  monthly: pd.DataFrame) -> None:
    from assets.board_pack.statement import measure_commentary

    # the asset works the commentary out once and hands it to both documents
    commentary = measure_commentary(national, breakdowns, None, monthly)
    assert draft_statement(national, breakdowns, None, monthly, commentary=commentary) == draft_statement(
        national, breakdowns, None, monthly)


def test_writing_a_document_leaves_the_garbage_collector_as_it_was(tmp_path: Path, national: pd.DataFrame,
                                                                   kpis: pd.DataFrame, monthly: pd.DataFrame) -> None:
    import gc

    write_scorecard_workbook(tmp_path / "on.xlsx", national, kpis, monthly)
    assert gc.isenabled()
    gc.disable()
    try:
        write_scorecard_workbook(tmp_path / "off.xlsx", national, kpis, monthly)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        write_scorecard_workbook(tmp_path / "none.xlsx", national.iloc[:0], kpis, monthly)
    assert gc.isenabled()  # back on after a failure too


def test_documents_written_by_worker_processes_are_the_bytes_written_in_this_one(
        tmp_path: Path, national: pd.DataFrame, kpis: pd.DataFrame, monthly: pd.DataFrame,
        breakdowns: pd.DataFrame) -> None:
    # a first load or a change of layout rewrites every force's every quarter on every core
    from assets.board_pack.documents import Document, write_all

    homicide = monthly[monthly["measure_id"] == "homicide"]
    spc = pd.DataFrame({"force_code": FORCE, "measure_id": "homicide", "month": homicide["month"],
                        "value": homicide["value"], "centre": 4.4, "lower_limit": 0.0, "upper_limit": 10.1,
                        "segment": 1, "signal": False, "rule": None, "variation": "common_cause"})

    def document(folder: str) -> Document:
        (tmp_path / folder).mkdir()
        return Document(tmp_path / folder / "scorecard-2022-Q1.xlsx", tmp_path / folder / "statement-2022-Q1.md",
                        "West Midlands Police: statement, 2022-Q1", datetime(2022, 3, 31), national,
                        {"kpis": kpis, "breakdowns": breakdowns, "paper": pd.DataFrame(),
                         "assurance": pd.DataFrame({"kpi_id": ["officer_uplift"], "assurance": ["consistently met"]})},
                        monthly, spc, date(2022, 4, 20))

    alone = document("here")
    assert write_all([alone], workers=1) == ["scorecard-2022-Q1.xlsx"]
    spread = [document(f"worker-{n}") for n in range(4)]
    assert write_all(spread, workers=2) == ["scorecard-2022-Q1.xlsx"] * 4
    for written in spread:
        for name in ("scorecard-2022-Q1.xlsx", "statement-2022-Q1.md", "statement-2022-Q1.docx"):
            assert (written.workbook.parent / name).read_bytes() == (alone.workbook.parent / name).read_bytes()
    assert "Homicide" in alone.statement.read_text(encoding="utf-8")
