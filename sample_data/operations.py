"""Seeded generator of a force's firearm recoveries and operational activity extracts.

Writes, in the agreed landing layout (SOURCES.md, "Force extracts"), every month:

* ``force/firearm-recoveries/<force>-firearm-recoveries-<YYYY-MM>.csv``
  (``recovery_reference, recovery_date, weapon_class, lsoa_code``);
* ``force/operations/<force>-operations-<YYYY-MM>.csv``
  (``activity_reference, activity_date, operation, activity_type``).

CSVs are UTF-8 with a byte-order mark and CRLF line ends, like the other force extracts. Same arguments,
same bytes.

Published West Midlands figures, reproduced exactly for ``west-midlands`` (constants below), from the
Strategic Policing and Crime Board paper of May 2022 (``seeds/000_1da0f269c3f01b60.txt``):

* para 10: "A total of 140 lethal barrelled firearms have been recovered this year, this represents an
  increase of 16 recoveries when compared to 2020/21": weapon_class ``Lethal barrelled``, 140 in April
  2021 to March 2022 and 124 in April 2020 to March 2021;
* para 11: "WMP's response to firearms is through Operation Captiva ... This quarter WMP have completed
  38 firearms warrants, 46 drugs warrants and 185 Captiva visits as reported via the weekly
  submissions": January to March 2022, operation Captiva, 38 ``Firearms warrant``, 46 ``Drugs warrant``,
  185 ``Visit``;
* para 19 (the year to date of para 18, 2021/22): "10 referrals were made to the National Referral
  Mechanism (NRM) which mention County Lines ... 80 people were engaged with safeguarding partner
  agencies, with a further 24 people who were referred to specialist support service providers":
  operation County Lines, April 2021 to March 2022, 10 ``NRM referral``, 80 ``Safeguarding
  engagement``, 24 ``Specialist support referral``.

The operation column is free text as officers type it: Captiva also arrives as ``Op Captiva``,
``Operation Captiva`` or ``CAPTIVA``, County Lines as ``County lines`` or ``Op County Lines``, and some
activity names no operation (an empty field); the counts above are over every spelling.

Everything else is marked ASSUMPTION: chosen to be plausible, never to be read as a published fact:
the other years' totals, the other weapon classes, the same activity types under other operations
(County Lines drugs warrants and visits, Sceptre visits, Guardian safeguarding, modern slavery NRM
referrals, warrants logged without an operation), and how each total spreads over its months. Other
forces get the West Midlands model scaled by their 2017/18 possession-of-weapons and drug offence
volume relative to West Midlands (:func:`sample_data.crimes.load_force`), with their own LSOAs; only
West Midlands is exact.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from sample_data import calibration as cal
from sample_data.crimes import ForceData, load_force
from sample_data.force_ops import (
    DEFAULT_SEED,
    _Calendar,
    _date_texts,
    _days,
    _lsoa_field,
    _month_number,
    _monthly_counts,
    _scale,
    _sequence_bases,
    _shape,
    generator_main,
    write_monthly_csvs,
)

RECOVERY_DIR = Path("force/firearm-recoveries")
OPERATIONS_DIR = Path("force/operations")

# Exact SOURCES.md headers and value sets, typed here so the generator does not lean on the pipeline.
RECOVERY_COLUMNS = ("recovery_reference", "recovery_date", "weapon_class", "lsoa_code")
OPERATIONS_COLUMNS = ("activity_reference", "activity_date", "operation", "activity_type")
WEAPON_CLASSES = ("Lethal barrelled", "Imitation or replica", "Other")

FY1819, FY1920, FY2021 = ("2018-04", "2019-03"), ("2019-04", "2020-03"), ("2020-04", "2021-03")
FY2122, FY2223 = ("2021-04", "2022-03"), ("2022-04", "2023-03")
YEARS = (FY1819, FY1920, FY2021, FY2122, FY2223)
Q4_2122 = ("2022-01", "2022-03")

# --- published targets (West Midlands) ---------------------------------------------------------------

# Board paper para 10.
LETHAL_RECOVERED_FY2122 = 140
LETHAL_RECOVERED_FY2021 = 140 - 16
# Board paper para 11: operation Captiva, January to March 2022.
CAPTIVA_FIREARMS_WARRANTS_Q4_2122 = 38
CAPTIVA_DRUGS_WARRANTS_Q4_2122 = 46
CAPTIVA_VISITS_Q4_2122 = 185
# Board paper para 19: operation County Lines, 2021/22.
COUNTY_LINES_NRM_REFERRALS_FY2122 = 10
COUNTY_LINES_SAFEGUARDING_FY2122 = 80
COUNTY_LINES_SPECIALIST_SUPPORT_FY2122 = 24

# --- assumptions ----------------------------------------------------------------------------------------

# ASSUMPTION: recoveries by class and financial year (2018/19 to 2022/23); 2020/21 and 2021/22 lethal
# barrelled are published.
RECOVERIES_BY_YEAR: dict[str, tuple[int, ...]] = {
    "Lethal barrelled": (118, 131, LETHAL_RECOVERED_FY2021, LETHAL_RECOVERED_FY2122, 133),
    "Imitation or replica": (74, 80, 69, 77, 72),
    "Other": (41, 45, 38, 44, 40),
}
RECOVERY_SEASON = (0.97, 0.98, 1.02, 1.04, 1.03, 1.00, 1.01, 1.02, 0.94, 0.98, 0.99, 1.02)
RECOVERY_LSOA_UNKNOWN_RATE = 0.05


# One series of activity: the operation as mostly typed, its other spellings (with their shares), the
# activity type, totals by financial year (YEARS order) and any published window it must hit exactly.
Series = tuple[str, tuple[tuple[str, float], ...], str, tuple[int, ...], tuple[tuple[tuple[str, str], int], ...]]

CAPTIVA_SPELLINGS = (("Op Captiva", 0.06), ("Operation Captiva", 0.04), ("CAPTIVA", 0.02))
COUNTY_LINES_SPELLINGS = (("County lines", 0.07), ("Op County Lines", 0.03))

# ASSUMPTION: every total below other than the published windows (para 11: Captiva, the quarter;
# para 19: County Lines, the year). Captiva's warrants and visits grow slowly; County Lines
# safeguarding grows with the County Lines Programme; other operations are there so that the figures
# have to pick their operation.
OPERATION_SERIES: tuple[Series, ...] = (
    ("Captiva", CAPTIVA_SPELLINGS, "Firearms warrant", (131, 144, 139, 152, 148),
     ((Q4_2122, CAPTIVA_FIREARMS_WARRANTS_Q4_2122),)),
    ("Captiva", CAPTIVA_SPELLINGS, "Drugs warrant", (158, 171, 176, 181, 174),
     ((Q4_2122, CAPTIVA_DRUGS_WARRANTS_Q4_2122),)),
    ("Captiva", CAPTIVA_SPELLINGS, "Visit", (640, 702, 655, 748, 731), ((Q4_2122, CAPTIVA_VISITS_Q4_2122),)),
    ("County Lines", COUNTY_LINES_SPELLINGS, "NRM referral", (4, 7, 9, COUNTY_LINES_NRM_REFERRALS_FY2122, 12), ()),
    ("County Lines", COUNTY_LINES_SPELLINGS, "Safeguarding engagement", (51, 63, 72, COUNTY_LINES_SAFEGUARDING_FY2122,
                                                                         86), ()),
    ("County Lines", COUNTY_LINES_SPELLINGS, "Specialist support referral",
     (14, 18, 21, COUNTY_LINES_SPECIALIST_SUPPORT_FY2122, 27), ()),
    ("County Lines", COUNTY_LINES_SPELLINGS, "Drugs warrant", (88, 97, 104, 112, 109), ()),
    ("County Lines", COUNTY_LINES_SPELLINGS, "Visit", (42, 48, 55, 61, 58), ()),
    ("Sceptre", (), "Visit", (120, 131, 97, 126, 122), ()),
    ("Guardian", (), "Safeguarding engagement", (35, 38, 41, 44, 46), ()),
    ("Modern slavery", (), "NRM referral", (19, 22, 24, 27, 29), ()),
    ("", (), "Drugs warrant", (64, 61, 58, 66, 63), ()),
    ("", (), "Firearms warrant", (9, 8, 10, 11, 9), ()),
)
OPERATIONS_SEASON = (1.00, 1.01, 0.99, 0.96, 0.97, 1.02, 1.03, 1.02, 0.93, 1.02, 1.01, 1.04)
# ASSUMPTION: warrants and visits fell by a tenth of the crime dip in the lockdowns.
OPERATIONS_COVID = 0.1

_STREAMS = {"recoveries": 21, "operations": 22}


def _year_windows(months: _Calendar, totals: tuple[int, ...], scale: float,
                  exact: tuple[tuple[tuple[str, str], int], ...] = ()) -> list[tuple[int, int, float]]:
    windows = [(*months.window(*span), total * scale) for span, total in zip(YEARS, totals, strict=True)]
    return windows + [(*months.window(*span), total * scale) for span, total in exact]


# --- firearm recoveries -------------------------------------------------------------------------------

def _recovery_files(force: ForceData, months: _Calendar, seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["recoveries"]])
    scale = _scale(force, ("possession_of_weapons",))
    shape = _shape(months, RECOVERY_SEASON, 0.0)
    counts = np.stack([_monthly_counts(months, _year_windows(months, RECOVERIES_BY_YEAR[name], scale), shape, rng,
                                       0.18) for name in WEAPON_CLASSES])  # (class, month)
    bases = _sequence_bases(months.months, counts.sum(axis=0))
    files: dict[int, list[list[str]]] = {}
    for position, month in enumerate(months.months.tolist()):
        classes = np.repeat(np.arange(len(WEAPON_CLASSES)), counts[:, position])
        classes = classes[rng.permutation(classes.size)]
        n = classes.size
        days = _days(rng, month, n, (1.10, 1.15, 1.15, 1.10, 1.00, 0.80, 0.70))
        year = f"{(month // 12) % 100:02d}"
        files[month] = [[f"FR{force.initials}/{int(bases[position]) + i:04d}/{year}" for i in range(n)],
                        _date_texts(month, days), [WEAPON_CLASSES[c] for c in classes.tolist()],
                        _lsoa_field(force, rng, n, 1.5, RECOVERY_LSOA_UNKNOWN_RATE)]
    return files


# --- operational activity -----------------------------------------------------------------------------

def _spelled(rng: np.random.Generator, operation: str, spellings: tuple[tuple[str, float], ...], n: int) -> list[str]:
    """The operation as n officers typed it: mostly its usual name, now and then another spelling."""
    names = [operation, *(name for name, _ in spellings)]
    shares = [1.0 - sum(share for _, share in spellings), *(share for _, share in spellings)]
    return [names[i] for i in rng.choice(len(names), size=n, p=shares).tolist()]


def _operation_files(force: ForceData, months: _Calendar, seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["operations"]])
    scale = _scale(force, ("possession_of_weapons", "drug_offences"))
    shape = _shape(months, OPERATIONS_SEASON, OPERATIONS_COVID)
    counts = np.stack([_monthly_counts(months, _year_windows(months, totals, scale, exact), shape, rng, 0.15)
                       for _, _, _, totals, exact in OPERATION_SERIES])  # (series, month)
    bases = _sequence_bases(months.months, counts.sum(axis=0))
    files: dict[int, list[list[str]]] = {}
    for position, month in enumerate(months.months.tolist()):
        series = np.repeat(np.arange(len(OPERATION_SERIES)), counts[:, position])
        series = series[rng.permutation(series.size)]
        operations = np.empty(series.size, dtype=object)
        for index, (operation, spellings, _, _, _) in enumerate(OPERATION_SERIES):
            rows = np.flatnonzero(series == index)
            operations[rows] = _spelled(rng, operation, spellings, rows.size)
        days = _days(rng, month, series.size, (1.10, 1.20, 1.20, 1.15, 1.05, 0.45, 0.35))
        year = f"{(month // 12) % 100:02d}"
        files[month] = [[f"OP{force.initials}/{int(bases[position]) + i:05d}/{year}" for i in range(series.size)],
                        _date_texts(month, days), operations.tolist(),
                        [OPERATION_SERIES[s][2] for s in series.tolist()]]
    return files


# --- entry point --------------------------------------------------------------------------------------

def write_operations(
    out_dir: Path,
    force_slug: str = cal.CALIBRATED_FORCE_SLUG,
    first_month: str = cal.DEFAULT_FIRST_MONTH,
    last_month: str = cal.DEFAULT_LAST_MONTH,
    seed: int = DEFAULT_SEED,
) -> list[Path]:
    """Write the firearm recovery and operational activity files for a force, a file a month from
    first_month to last_month inclusive; return the paths. For west-midlands the published figures in the
    module docstring come out exactly."""
    first, last = _month_number(first_month), _month_number(last_month)
    if first > last:
        raise ValueError(f"first_month {first_month} is after last_month {last_month}")
    force = load_force(force_slug)
    months = _Calendar.covering(first, last)
    return write_monthly_csvs(Path(out_dir), force_slug, first, last, (
        (RECOVERY_DIR, "firearm-recoveries", RECOVERY_COLUMNS, _recovery_files(force, months, seed)),
        (OPERATIONS_DIR, "operations", OPERATIONS_COLUMNS, _operation_files(force, months, seed)),
    ))


def main(argv: list[str] | None = None) -> int:
    return generator_main(write_operations, "Write sample firearm recovery and operational activity extracts.",
                          "force", DEFAULT_SEED, argv)


if __name__ == "__main__":
    sys.exit(main())
