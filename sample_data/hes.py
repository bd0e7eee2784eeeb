"""Sample NHS England HES workbooks: admissions for assault by a sharp object, by police force area.

Writes ``<landing>/nhs/hes-sharp-object/hes-sharp-object-admissions-<YYYY-YY>.xlsx``, one
workbook per financial year, in the agreed layout parsed by ``assets/nhs_hes/parser.py``: sheets
``Notes`` and ``Data``; title and source text in rows 1-3, header in row 5, one row per month,
police force area (the 43 territorial forces) and age group (``0-17``, ``18-24``, the published
subtotal ``Under 25``, ``25 and over``, ``Unknown``), then a blank row and footnotes. Counts go
through NHS disclosure control: 1 to 7 episodes are ``*``, other counts are rounded to the
nearest 5 (each age group, including the ``Under 25`` subtotal, is rounded on its own).

Restatements: each workbook also carries February and March of the previous financial year.
The earlier workbook published those months as provisional; the later one restates them as
final, slightly different. The final value (the latest workbook's) is the one to use.

Volumes are proportional to each force's recorded crime in 2017/18 (the PRC table in
``reference/``), with a national pattern: a peak in 2019, a drop in the spring 2020 lockdown,
lower since. West Midlands Police (``E23000014``) follows a fixed published ``Under 25`` series
(``WEST_MIDLANDS_UNDER_25``) calibrated to the force's board paper of May 2022:

- the national baseline, July 2018 to June 2019: 215 episodes (the highest 12 months in the
  series: the peak is in the baseline year);
- March 2021 to February 2022: 160 episodes (55 fewer), every month 10 or 15 (the paper's
  "stable at between 10-15 each month");
- April and May 2020 are ``*`` even for ``Under 25``, so suppression reaches the measure.

Within those two windows the provisional and final ``Under 25`` values of the restated months
(February and March 2019, March 2021, February 2022) are equal, only the other age groups are
restated, so the board paper's figures come out whichever delivery is used; elsewhere the West
Midlands ``Under 25`` restatements differ by 5.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"
HES_DIR = Path("nhs/hes-sharp-object")
WEST_MIDLANDS = "E23000014"
AGE_GROUPS = ("0-17", "18-24", "Under 25", "25 and over", "Unknown")
HEADER = ("Month", "Police Force Area Code", "Police Force Area Name", "Age Group", "Admission Episodes")

# Published (rounded) West Midlands "Under 25" episodes, final values; None is "*".
WEST_MIDLANDS_UNDER_25: dict[str, int | None] = dict(
    zip(
        [f"{y}-{m:02d}" for y in range(2018, 2024) for m in range(1, 13)][1:63],
        [
            15, 15,                                              # Feb-Mar 2018
            15, 15, 10,                                          # Apr-Jun 2018
            15, 20, 20, 20, 20, 25, 15, 15, 15, 20, 15, 15,      # Jul 2018-Jun 2019: 215
            10, 15, 15, 15, 15, 15, 10, 15, 10,                  # Jul 2019-Mar 2020
            None, None, 10, 15, 15, 15, 10, 10, 15, 10, 15,      # Apr 2020-Feb 2021 (lockdown *)
            15, 10, 15, 15, 10, 15, 15, 10, 15, 15, 10, 15,      # Mar 2021-Feb 2022: 160
            10, 15, 10, 10, 15, 10, 10, 15, 10, 10, 10, 15, 10,  # Mar 2022-Mar 2023
        ],
        strict=True,
    )
)  # fmt: skip
BASELINE_MONTHS = ("2018-07", "2019-06")
BOARD_PAPER_MONTHS = ("2021-03", "2022-02")

_FOOTNOTES = (
    "Source: Hospital Episode Statistics (HES), NHS England.",
    "* 1 to 7 episodes. Other counts are rounded to the nearest 5; 0 means no episodes.",
    "Under 25 is the published subtotal of 0-17 and 18-24, rounded separately.",
)


def financial_year_months(fy: str) -> list[dt.date]:
    """The twelve months of a financial year such as '2021-22', April first."""
    start = int(fy[:4])
    return [dt.date(start + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def _previous_fy(fy: str) -> str:
    start = int(fy[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _fy_range(first_fy: str, last_fy: str) -> list[str]:
    years = []
    start = int(first_fy[:4])
    while start <= int(last_fy[:4]):
        years.append(f"{start}-{(start + 1) % 100:02d}")
        start += 1
    if not years:
        raise ValueError("first_fy is after last_fy")
    return years


def publish(count: int) -> int | str:
    """NHS disclosure control: 0 stays 0, 1 to 7 become '*', the rest round to the nearest 5."""
    if count <= 0:
        return 0
    if count <= 7:
        return "*"
    return 5 * ((count + 2) // 5)


def _forces() -> pd.DataFrame:
    forces = pd.read_csv(REFERENCE_DIR / "forces.csv", dtype=str, keep_default_na=False)
    forces = forces[forces["force_code"] != "BTP"].reset_index(drop=True)
    prc = pd.read_csv(REFERENCE_DIR / "prc-pfa-mar2013-onwards-tables201718.csv", dtype=str, keep_default_na=False)
    counts = pd.to_numeric(prc["Number of Offences"].str.replace(r"[\s,]", "", regex=True), errors="coerce")
    size = counts.groupby(prc["Force Name"].str.strip()).sum()
    forces["size"] = forces["home_office_force_name"].map(size).fillna(size.median())
    return forces


def _national_trend(month: dt.date) -> float:
    if month < dt.date(2019, 4, 1):
        level = 0.97
    elif month < dt.date(2020, 3, 1):
        level = 1.03  # the 2019 peak
    elif month < dt.date(2020, 6, 1):
        level = 0.55  # spring 2020 lockdown
    elif month < dt.date(2021, 4, 1):
        level = 0.85
    else:
        level = 0.80
    return level * (1.0 + 0.08 * np.sin((month.month - 3) / 12 * 2 * np.pi))


def _split_under_25(rng: np.random.Generator, under_25: int) -> tuple[int, int]:
    children = int(rng.binomial(under_25, 0.2))
    return children, under_25 - children


def _true_counts(rng: np.random.Generator, force_code: str, scale: float, month: dt.date) -> dict[str, int]:
    """Unrounded episodes by age group for one force and month."""
    key = f"{month:%Y-%m}"
    if force_code == WEST_MIDLANDS and key in WEST_MIDLANDS_UNDER_25:
        target = WEST_MIDLANDS_UNDER_25[key]
        # Any true count in the published value's rounding interval publishes as the target.
        under_25 = int(rng.integers(2, 7)) if target is None else int(rng.integers(max(8, target - 2), target + 3))
    else:
        under_25 = int(rng.poisson(17.5 * scale * _national_trend(month)))
    children, young_adults = _split_under_25(rng, under_25)
    return {
        "0-17": children,
        "18-24": young_adults,
        "25 and over": int(rng.poisson(1.7 * under_25 + 3 * scale)),
        "Unknown": int(rng.poisson(0.02 * under_25 + 0.2)),
    }


def _provisional(rng: np.random.Generator, force_code: str, month: dt.date, final: dict[str, int]) -> dict[str, int]:
    """What the earlier workbook published before the month was restated."""
    provisional = dict(final)
    key = f"{month:%Y-%m}"
    if force_code == WEST_MIDLANDS:
        in_window = BASELINE_MONTHS[0] <= key <= BASELINE_MONTHS[1] or (
            BOARD_PAPER_MONTHS[0] <= key <= BOARD_PAPER_MONTHS[1]
        )
        if in_window:
            # Keep the calibrated Under 25 figures whichever delivery is read.
            provisional["25 and over"] = max(0, final["25 and over"] - 5)
        else:
            under_25 = final["0-17"] + final["18-24"]
            published = publish(under_25)
            shift = -5 if isinstance(published, int) and published >= 15 else 5
            young_adults = final["18-24"] + shift
            provisional["18-24"] = max(0, young_adults)
            provisional["0-17"] = max(0, final["0-17"] + min(0, young_adults))
        return provisional
    # Late-coded episodes: the provisional count misses a few of them.
    for group in ("0-17", "18-24", "25 and over"):
        provisional[group] = final[group] - int(rng.binomial(final[group], 0.06))
    return provisional


def _published_rows(month: dt.date, force: pd.Series, counts: dict[str, int]) -> list[tuple]:
    values = dict(counts)
    values["Under 25"] = counts["0-17"] + counts["18-24"]
    return [
        (f"{month:%B %Y}", force["force_code"], force["ons_area_name"], group, publish(values[group]))
        for group in AGE_GROUPS
    ]


def _write_workbook(path: Path, fy: str, rows: list[tuple], restated: list[dt.date]) -> None:
    months = financial_year_months(fy)
    first, last = months[0], months[-1]
    restated_text = " and ".join(f"{m:%B %Y}" for m in restated)
    # Write-only mode streams the rows; the data sheet is too long for the cell-object model
    # to be quick.
    workbook = openpyxl.Workbook(write_only=True)
    # A fixed timestamp keeps the workbook's own metadata the same from one run to the next.
    workbook.properties.created = dt.datetime(2023, 1, 1)
    workbook.properties.modified = dt.datetime(2023, 1, 1)
    workbook.properties.creator = "NHS England"

    def bold(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        return cell

    notes = workbook.create_sheet("Notes")
    lines = [
        "Hospital admissions for assault by a sharp object (ICD-10 X99), by police force area",
        f"Financial year {fy}: {first:%B %Y} to {last:%B %Y} (year to date)",
        "",
        "Finished admission episodes with a primary or secondary diagnosis of assault by a sharp "
        "object, by month of admission and the police force area of the patient's residence.",
        "Age is age at the start of the episode. Under 25 is the sum of 0-17 and 18-24 before rounding.",
        "Disclosure control: counts of 1 to 7 are shown as *; all other counts are rounded to the "
        "nearest 5. Totals are rounded separately and may not equal the sum of their parts.",
        f"This workbook restates {restated_text}, first published as provisional in the "
        f"{_previous_fy(fy)} workbook. Where figures differ, use the latest workbook.",
        "Figures for the latest months are provisional and may be revised in the next release.",
        "",
        "Source: Hospital Episode Statistics (HES), NHS England. Copyright (c) NHS England. "
        "Re-used with the permission of NHS England. All rights reserved.",
    ]
    notes.append([bold(notes, lines[0])])
    for line in lines[1:]:
        notes.append([line or None])

    data = workbook.create_sheet("Data")
    for column, width in zip("ABCDE", (16, 24, 34, 14, 20), strict=True):
        data.column_dimensions[column].width = width
    data.append([bold(data, f"Admissions for assault by a sharp object by police force area and age group, {fy}")])
    data.append(["Source: Hospital Episode Statistics (HES), NHS England"])
    data.append([f"{restated_text} restate the figures published in the {_previous_fy(fy)} workbook"])
    data.append([])
    data.append([bold(data, name) for name in HEADER])
    for row in rows:
        data.append(list(row))
    data.append([])  # the blank row that ends the table
    for text in _FOOTNOTES:
        data.append([text])

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def write_hes_workbooks(
    out_dir: str | Path, first_fy: str = "2018-19", last_fy: str = "2022-23", seed: int = 20220228
) -> list[Path]:
    """Write one HES workbook per financial year from ``first_fy`` to ``last_fy`` under
    ``out_dir`` (the landing folder) and return their paths. Deterministic for a seed: the
    same arguments give the same parsed content (xlsx bytes also carry zip timestamps)."""
    rng = np.random.default_rng(seed)
    years = _fy_range(first_fy, last_fy)
    forces = _forces()
    west_midlands_size = float(forces.loc[forces["force_code"] == WEST_MIDLANDS, "size"].iloc[0])
    forces["scale"] = forces["size"] / west_midlands_size

    all_months = sorted(
        {m for fy in years for m in financial_year_months(fy)} | set(financial_year_months(_previous_fy(years[0]))[-2:])
    )
    final: dict[tuple[str, dt.date], dict[str, int]] = {}
    for month in all_months:
        for force in forces.itertuples(index=False):
            final[(force.force_code, month)] = _true_counts(rng, force.force_code, force.scale, month)
    # The earlier workbook's version of each restated month (February and March of every year
    # but the last, which no later workbook restates).
    provisional: dict[tuple[str, dt.date], dict[str, int]] = {}
    for fy in years[:-1]:
        for month in financial_year_months(fy)[-2:]:
            for force in forces.itertuples(index=False):
                key = (force.force_code, month)
                provisional[key] = _provisional(rng, force.force_code, month, final[key])

    paths = []
    for fy in years:
        restated = financial_year_months(_previous_fy(fy))[-2:]
        rows: list[tuple] = []
        for month in restated + financial_year_months(fy):
            for _, force in forces.iterrows():
                key = (force["force_code"], month)
                counts = provisional.get(key, final[key]) if month in financial_year_months(fy) else final[key]
                rows.extend(_published_rows(month, force, counts))
        path = Path(out_dir) / HES_DIR / f"hes-sharp-object-admissions-{fy}.xlsx"
        _write_workbook(path, fy, rows, restated)
        paths.append(path)
    return paths
