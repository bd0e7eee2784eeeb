"""Seeded generator of a force's operational extracts: firearm discharges, drug activity, SMS survey, workforce.

Writes, in the agreed landing layout (SOURCES.md, "Force extracts"):

* ``force/firearm-discharges/<force>-firearm-discharges-<YYYY-MM>.csv`` every month;
* ``force/drug-activity/<force>-drug-activity-<YYYY-MM>.csv`` every month;
* ``force/satisfaction/<force>-sms-survey-<YYYY-MM>.csv`` from the SMS pilot (November 2020) on;
* ``force/workforce/<force>-workforce-<YYYY-MM-DD>.xlsx``, a headcount snapshot at every month end from
  31 March 2019 (the Police Uplift Programme's baseline date) on.

CSVs are UTF-8 with a byte-order mark and CRLF line ends, like the recorded-crime extracts. Same
arguments, same CSV bytes; the workbooks carry openpyxl's save time, so compare those by content.

Published West Midlands figures, reproduced exactly for ``west-midlands`` (constants below):

Board paper, Strategic Policing and Crime Board, May 2022 (``seeds/000_1da0f269c3f01b60.txt``):

* para 9: firearm discharges 157 in April 2020 to March 2021 and 148 in April 2021 to March 2022;
  January to March 2022: 36 discharges, injury in 13 (4 fatal), 11 gang-related, 9 drug-related,
  a shotgun in 24;
* para 18: 2021/22 year to date, 580 positive drug disruptions (``Drug disruption`` + ``County line
  disruption``) of which 427 county lines disruptions, 661 arrests, 188 charges, 379 county lines closed;
* para 27: SMS survey piloted in late 2020, embedded in Force Contact and Force Response since
  February 2021; para 28: 13,509 completed surveys in the last 12 months (April 2021 to March 2022),
  68% scoring 8 out of 10 or more, i.e. round(0.68 x 13,509) = 9,186.

Annual report 2021/22 of the Police and Crime Commissioner (``seeds/003_20bbf2954df2ebf6.txt``):

* "Recruitment": headcount at 31 March 2022 of 7,642 police officers, 4,129 police staff, 448 PCSOs,
  304 Special Constables (12,523); police officers 35% female;
* "Recruitment Performance": officer uplift 1,017 by March 2022 (so 6,625 officers at 31 March 2019);
  211 more neighbourhood officers in April 2022 than in May 2021 ("Community Policing": "since May
  2021"); PCSOs 464 in April 2021 and 477 in April 2022; Special Constables 283 in April 2021 and 304
  in April 2022; 330 more Black, Asian and minority ethnic officers by March 2022. With 13.35% of
  officers from under-represented groups at March 2022 ("Recruitment"), that is 1,020 of 7,642, so
  690 at 31 March 2019.

Everything else (other years, breakdowns outside the quarter quoted, levels between anchor dates)
is marked ASSUMPTION: chosen to be plausible, never to be read as a published fact. Other forces get
the West Midlands model scaled by their 2017/18 recorded-crime volume relative to West Midlands
(:func:`sample_data.crimes.load_force`), with their own LSOAs; only West Midlands is exact.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import sys
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sample_data import calibration as cal
from sample_data.crimes import (
    BYTE_ORDER_MARK,
    LINE_END,
    LOCKDOWN_DIP,
    ForceData,
    integerise,
    largest_remainder,
    load_force,
    round_half_up,
)

FORCES_CSV = Path(__file__).resolve().parents[1] / "reference" / "forces.csv"

FIREARM_DIR = Path("force/firearm-discharges")
DRUG_DIR = Path("force/drug-activity")
SMS_DIR = Path("force/satisfaction")
WORKFORCE_DIR = Path("force/workforce")

# Exact SOURCES.md headers (kept literal here so the generator does not lean on the parser it feeds).
FIREARM_COLUMNS = ("incident_reference", "discharge_date", "lsoa_code", "weapon_type", "injury", "gang_related",
                   "drugs_related")
DRUG_COLUMNS = ("activity_reference", "activity_date", "activity_type", "arrests", "charges")
SMS_COLUMNS = ("response_id", "response_date", "service", "incident_type", "score")
WORKFORCE_HEADER = ("Role", "Neighbourhood", "Ethnicity", "Sex", "Headcount")

WEAPON_TYPES = ("Shotgun", "Handgun", "Rifle", "Converted or modified", "Unknown")
INJURIES = ("None", "Non-fatal", "Fatal")
ACTIVITY_TYPES = ("Drug disruption", "County line disruption", "County line closure")
SERVICES = ("Force Contact", "Force Response")
ROLES = ("Police Officer", "Police Staff", "PCSO", "Special Constable")
ETHNICITIES = ("White", "Ethnic minority", "Not stated")
SEXES = ("Female", "Male")

# --- published targets (West Midlands) ---------------------------------------------------------------

FY2021 = ("2020-04", "2021-03")
FY2122 = ("2021-04", "2022-03")
Q4_2122 = ("2022-01", "2022-03")

# Board paper para 9.
FIREARM_DISCHARGES_FY2021 = 157
FIREARM_DISCHARGES_FY2122 = 148
FIREARM_DISCHARGES_Q4_2122 = 36
FIREARM_Q4_INJURED = 13  # Non-fatal or Fatal
FIREARM_Q4_FATAL = 4
FIREARM_Q4_GANG_RELATED = 11
FIREARM_Q4_DRUGS_RELATED = 9
FIREARM_Q4_SHOTGUN = 24

# Board paper para 18.
DRUG_DISRUPTIONS_FY2122 = 580  # Drug disruption + County line disruption
COUNTY_LINE_DISRUPTIONS_FY2122 = 427
COUNTY_LINES_CLOSED_FY2122 = 379
DRUG_ARRESTS_FY2122 = 661
DRUG_CHARGES_FY2122 = 188

# Board paper paras 27-28.
SMS_PILOT_START = "2020-11"
SMS_EMBEDDED_FROM = "2021-02"
SMS_ANSWERED_FY2122 = 13_509
SMS_SATISFIED_SHARE_FY2122 = 0.68
SMS_SATISFIED_FY2122 = int(np.floor(SMS_SATISFIED_SHARE_FY2122 * SMS_ANSWERED_FY2122 + 0.5))  # 9,186
SMS_SATISFIED_SCORE = 8

# Annual report 2021/22, "Recruitment" and "Recruitment Performance".
WORKFORCE_FIRST_SNAPSHOT = "2019-03"
HEADCOUNT_2022_03: dict[str, int] = {"Police Officer": 7_642, "Police Staff": 4_129, "PCSO": 448,
                                     "Special Constable": 304}
OFFICERS_2019_03 = 7_642 - 1_017  # uplift of 1,017 by March 2022
ETHNIC_MINORITY_OFFICERS_2019_03 = 690
ETHNIC_MINORITY_OFFICERS_2022_03 = 690 + 330  # 13.35% of 7,642
NEIGHBOURHOOD_OFFICER_GROWTH = 211  # April 2022 over May 2021
PCSOS_2021_04, PCSOS_2022_04 = 464, 477
SPECIALS_2021_04, SPECIALS_2022_04 = 283, 304
FEMALE_OFFICER_SHARE_2022_03 = 0.35

# --- assumptions ----------------------------------------------------------------------------------------

# ASSUMPTION: discharges in the years the paper does not quote, falling slowly as in para 9.
FIREARM_DISCHARGES_OTHER_YEARS: dict[tuple[str, str], int] = {
    ("2018-04", "2019-03"): 174, ("2019-04", "2020-03"): 166, ("2022-04", "2023-03"): 139,
}
# ASSUMPTION: summer evenings and the lockdowns (a third of the acquisitive-crime dip) shape the year.
FIREARM_SEASON = (0.90, 0.85, 0.94, 0.98, 1.04, 1.10, 1.13, 1.10, 1.02, 0.98, 0.95, 1.01)
FIREARM_COVID = 0.3
# ASSUMPTION: attributes of discharges outside January-March 2022.
WEAPON_TYPE_RATES = (0.42, 0.33, 0.02, 0.10, 0.13)  # WEAPON_TYPES order
INJURY_RATES = (0.70, 0.24, 0.06)  # INJURIES order
GANG_RELATED_RATE, DRUGS_RELATED_RATE, FLAG_UNKNOWN_RATE = 0.32, 0.25, 0.05
FIREARM_LSOA_UNKNOWN_RATE = 0.04
# ASSUMPTION: the quarter's breakdowns the paper leaves open (rifles none, flags mostly N, a few unknown).
FIREARM_Q4_WEAPONS = {"Shotgun": FIREARM_Q4_SHOTGUN, "Handgun": 8, "Rifle": 0, "Converted or modified": 2,
                      "Unknown": 2}
FIREARM_Q4_INJURIES = {"None": FIREARM_DISCHARGES_Q4_2122 - FIREARM_Q4_INJURED,
                       "Non-fatal": FIREARM_Q4_INJURED - FIREARM_Q4_FATAL, "Fatal": FIREARM_Q4_FATAL}
FIREARM_Q4_GANG = {"Y": FIREARM_Q4_GANG_RELATED, "N": 23, "": 2}
FIREARM_Q4_DRUGS = {"Y": FIREARM_Q4_DRUGS_RELATED, "N": 26, "": 1}

# ASSUMPTION: activity by financial year, county lines work growing after the national County Lines
# Programme (November 2019). 2021/22 is published.
DRUG_ACTIVITY_BY_YEAR: dict[tuple[str, str], tuple[int, int, int]] = {  # ACTIVITY_TYPES order
    ("2018-04", "2019-03"): (262, 141, 108),
    ("2019-04", "2020-03"): (228, 262, 207),
    ("2020-04", "2021-03"): (171, 388, 331),
    FY2122: (DRUG_DISRUPTIONS_FY2122 - COUNTY_LINE_DISRUPTIONS_FY2122, COUNTY_LINE_DISRUPTIONS_FY2122,
             COUNTY_LINES_CLOSED_FY2122),
    ("2022-04", "2023-03"): (149, 441, 396),
}
DRUG_SEASON = (0.96, 0.98, 1.04, 0.98, 1.00, 1.00, 0.97, 0.94, 1.02, 1.04, 1.05, 1.02)
# ASSUMPTION: arrests per activity (closures more often end with a warrant than an arrest) and the
# charge rate, both fitted so 2021/22 sits near its published totals before they are made exact.
ARRESTS_PER_ACTIVITY = (0.95, 0.75, 0.55)
CHARGE_RATE = DRUG_CHARGES_FY2122 / DRUG_ARRESTS_FY2122

# ASSUMPTION: answered responses in the pilot months and the ramp-up, and the year after 2021/22.
SMS_ANSWERED_MONTHS = {"2020-11": 182, "2020-12": 229, "2021-01": 251, "2021-02": 874, "2021-03": 1_043}
SMS_ANSWERED_FY2223 = 13_940
SMS_SEASON = (1.02, 0.95, 1.02, 0.98, 1.01, 0.99, 1.03, 1.03, 0.99, 1.00, 1.00, 0.98)
# "about 10% completion" is the share of people texted who reply; unanswered rows here are the
# replies that skipped the scored question (~5% on top of the answered ones).
SMS_UNANSWERED_RATE = 0.05
SMS_INCIDENT_TYPE_UNKNOWN_RATE = 0.01
SMS_CONTACT_SHARE = 0.58
# Attended incidents score a little higher than calls resolved on the phone.
SMS_RESPONSE_SATISFACTION_WEIGHT = 1.25
SMS_SCORES_SATISFIED = (0.20, 0.24, 0.56)  # 8, 9, 10
SMS_SCORES_OTHER = (0.22, 0.05, 0.05, 0.06, 0.07, 0.20, 0.15, 0.20)  # 0..7
SMS_INCIDENT_TYPES: dict[str, tuple[tuple[str, float], ...]] = {
    "Force Contact": (
        ("Anti-social behaviour", 0.17), ("Concern for safety", 0.12), ("Suspicious activity", 0.10),
        ("Theft", 0.14), ("Vehicle crime", 0.09), ("Fraud", 0.08), ("Criminal damage", 0.08),
        ("Neighbour dispute", 0.06), ("Lost or found property", 0.05), ("Other", 0.11),
    ),
    "Force Response": (
        ("Violence", 0.16), ("Burglary", 0.12), ("Concern for safety", 0.14), ("Anti-social behaviour", 0.12),
        ("Road traffic collision", 0.10), ("Theft", 0.09), ("Criminal damage", 0.07), ("Public order", 0.07),
        ("Missing person", 0.05), ("Other", 0.08),
    ),
}


@dataclass(frozen=True)
class _Path:
    """A headcount path: exact values at anchor month ends, lumpy monotone steps between them."""

    anchors: tuple[tuple[str, int], ...]
    # Gamma shape of the monthly step weights: low means lumpy intakes, high means even steps.
    lumpiness: float = 1.5


# ASSUMPTION where not a published anchor (see the module docstring for those): 2021-03 officers
# assume the 2021/22 uplift target of 368 was met exactly, 2023-03 that the 2022/23 target of 378 was.
OFFICERS = _Path((("2019-03", OFFICERS_2019_03), ("2020-03", 6_981), ("2021-03", 7_642 - 368),
                  ("2022-03", HEADCOUNT_2022_03["Police Officer"]), ("2023-03", 7_642 + 378)), lumpiness=0.8)
ETHNIC_MINORITY_OFFICERS = _Path((("2019-03", ETHNIC_MINORITY_OFFICERS_2019_03), ("2020-03", 792),
                                  ("2021-03", 901), ("2022-03", ETHNIC_MINORITY_OFFICERS_2022_03),
                                  ("2023-03", 1_141)), lumpiness=0.8)
# The PCC's pledge of 450 more neighbourhood officers dates from the May 2021 election; before it the
# neighbourhood establishment drifted slightly down.
NEIGHBOURHOOD_OFFICERS = _Path((("2019-03", 1_561), ("2021-05", 1_538),
                                ("2022-04", 1_538 + NEIGHBOURHOOD_OFFICER_GROWTH), ("2023-03", 1_903)))
POLICE_STAFF = _Path((("2019-03", 3_874), ("2022-03", HEADCOUNT_2022_03["Police Staff"]), ("2023-03", 4_187)))
# PCSOs fell through 2021/22 as many joined the uplift as officers; an intake arrived in April 2022.
PCSOS = _Path((("2019-03", 507), ("2021-04", PCSOS_2021_04), ("2022-03", HEADCOUNT_2022_03["PCSO"]),
               ("2022-04", PCSOS_2022_04), ("2023-03", 470)))
SPECIALS = _Path((("2019-03", 371), ("2021-04", SPECIALS_2021_04), ("2022-03", HEADCOUNT_2022_03["Special Constable"]),
                  ("2022-04", SPECIALS_2022_04), ("2023-03", 322)))
# ASSUMPTION: female share of officers rising with the uplift intakes (35% at March 2022 is published).
FEMALE_OFFICER_SHARE = (("2019-03", 0.322), ("2022-03", FEMALE_OFFICER_SHARE_2022_03), ("2023-03", 0.357))


@dataclass(frozen=True)
class _RoleMix:
    """ASSUMPTION: composition of a role other than through its published totals."""

    ethnic_minority: tuple[float, float]  # share at the first and last snapshot, linear between
    not_stated: float
    neighbourhood: float
    female: float
    # Relative propensity of (White, Ethnic minority, Not stated) staff to be in neighbourhood roles
    # and to be female: new recruits are both more diverse and more often posted to neighbourhoods.
    neighbourhood_by_ethnicity: tuple[float, float, float] = (1.0, 1.0, 1.0)
    female_by_ethnicity: tuple[float, float, float] = (1.0, 1.0, 1.0)


ROLE_MIX: dict[str, _RoleMix] = {
    "Police Officer": _RoleMix((0.104, 0.142), 0.016, 0.22, 0.35, (1.0, 1.25, 1.0), (1.0, 1.1, 1.0)),
    "Police Staff": _RoleMix((0.185, 0.205), 0.041, 0.07, 0.61),
    "PCSO": _RoleMix((0.205, 0.232), 0.022, 0.96, 0.46),
    "Special Constable": _RoleMix((0.198, 0.219), 0.030, 0.78, 0.28),
}

DEFAULT_SEED = 20220331
# Separate random streams so one source's change never shifts another's draws.
_STREAMS = {"firearm": 11, "drug": 12, "sms": 13, "workforce": 14}


# --- calendar -----------------------------------------------------------------------------------------

def _month_number(text: str) -> int:
    """'YYYY-MM' -> months since year 0, so consecutive months are consecutive integers."""
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError as error:
        raise ValueError(f"month must be written YYYY-MM, got {text!r}") from error
    if len(text) != 7 or not 1 <= month <= 12 or not 1900 <= year <= 2100:
        raise ValueError(f"month must be written YYYY-MM, got {text!r}")
    return year * 12 + month - 1


def _month_text(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _days_in(number: int) -> int:
    return calendar.monthrange(number // 12, number % 12 + 1)[1]


def _month_end(number: int) -> dt.date:
    return dt.date(number // 12, number % 12 + 1, _days_in(number))


@dataclass(frozen=True)
class _Calendar:
    """The months modelled: always the default five years, so a month's file never depends on the range asked."""

    months: np.ndarray

    @classmethod
    def covering(cls, first: int, last: int) -> _Calendar:
        start = min(first, _month_number(cal.DEFAULT_FIRST_MONTH))
        end = max(last, _month_number(cal.DEFAULT_LAST_MONTH))
        return cls(np.arange(start, end + 1))

    def position(self, month: str) -> int:
        return int(np.searchsorted(self.months, _month_number(month)))

    def window(self, first: str, last: str) -> tuple[int, int]:
        return self.position(first), self.position(last)

    @property
    def days(self) -> np.ndarray:
        return np.array([_days_in(int(m)) for m in self.months], dtype=float)


def _shape(months: _Calendar, season: tuple[float, ...], covid: float) -> np.ndarray:
    profile = np.asarray(season) / np.mean(season)
    dip = np.array([LOCKDOWN_DIP.get(_month_text(int(m)), 0.0) for m in months.months])
    return profile[months.months % 12] * months.days / (365.25 / 12) * (1.0 - covid * dip)


def _monthly_counts(months: _Calendar, windows: list[tuple[int, int, float]], shape: np.ndarray,
                    rng: np.random.Generator, noise_sd: float, active: np.ndarray | None = None) -> np.ndarray:
    """Whole monthly counts following shape x a level that moves smoothly between the windows' centres.

    Every (first, last, total) window of positions sums to round(total) exactly; narrow windows are
    settled first, so a quarter can sit inside its year. Months outside every window are rounded run
    by run, so rounding never drifts over a long stretch. Inactive months are zero.
    """
    active = np.ones(shape.size, dtype=bool) if active is None else active
    noisy = shape * np.exp(np.clip(rng.standard_normal(shape.size), -2.5, 2.5) * noise_sd) * active
    centres, levels = [], []
    for lo, hi, total in sorted(windows, key=lambda w: w[0] + w[1]):
        mass = noisy[lo:hi + 1].sum()
        if mass > 0 and total > 0:
            centres.append((lo + hi) / 2)
            levels.append(np.log(total / mass))
    level = np.exp(np.interp(np.arange(shape.size), centres, levels)) if centres else np.zeros(shape.size)
    curve = noisy * level

    return integerise(curve, windows, zero=~active)


def _exact_multiset(counts: dict[str, int], rng: np.random.Generator) -> np.ndarray:
    values = np.array([value for value, n in counts.items() for _ in range(n)], dtype=object)
    return values[rng.permutation(values.size)]


def _pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Exactly k indices, weighted, without replacement (Efraimidis-Spirakis)."""
    k = min(int(k), weights.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k == weights.size:
        return np.arange(weights.size)
    keys = np.log(1.0 - rng.random(weights.size)) / weights
    return np.argpartition(-keys, k - 1)[:k]


def _days(rng: np.random.Generator, month: int, n: int, weekday_weights: tuple[float, ...]) -> np.ndarray:
    """n days of the month (1-based), weighted by weekday (Monday first), sorted."""
    first = dt.date(month // 12, month % 12 + 1, 1)
    days = _days_in(month)
    weights = np.array([weekday_weights[(first.weekday() + d) % 7] for d in range(days)])
    return np.sort(rng.choice(days, size=n, p=weights / weights.sum()) + 1)


def _date_texts(month: int, days: np.ndarray) -> list[str]:
    prefix = _month_text(month)
    return [f"{prefix}-{d:02d}" for d in days.tolist()]


def _csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _write_csv(path: Path, header: tuple[str, ...], columns: list[list[str]]) -> None:
    lines = [",".join(header)]
    lines += [",".join(_csv_field(v) for v in row) for row in zip(*columns, strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((BYTE_ORDER_MARK + LINE_END.join(lines) + LINE_END).encode("utf-8"))



def write_monthly_csvs(root: Path, force_slug: str, first: int, last: int,
                       sources: tuple[tuple[str, str, tuple[str, ...], dict[int, list[list[str]]]], ...]) -> list[Path]:
    """Write each source's monthly files (folder, file-name kind, header, {month: columns}) that fall between
    the first and last month inclusive, named ``<folder>/<force>-<kind>-<YYYY-MM>.csv``; return the paths."""
    written: list[Path] = []
    for folder, stem, header, files in sources:
        for month, columns in sorted(files.items()):
            if first <= month <= last:
                path = root / folder / f"{force_slug}-{stem}-{_month_text(month)}.csv"
                _write_csv(path, header, columns)
                written.append(path)
    return written

def _sequence_bases(months: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """First sequence number of each month's references; numbering restarts every calendar year."""
    bases = np.ones(months.size, dtype=np.int64)
    for i in range(1, months.size):
        if months[i] // 12 == months[i - 1] // 12:
            bases[i] = bases[i - 1] + counts[i - 1]
    return bases


# --- forces -------------------------------------------------------------------------------------------

@cache
def _display_name(slug: str) -> str:
    with FORCES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["slug"] == slug:
                return row["force_name"]
    raise ValueError(f"unknown force slug {slug!r}: not in {FORCES_CSV.name}")


def _scale(force: ForceData, categories: tuple[str, ...] | None = None) -> float:
    """Force volume relative to West Midlands (1.0 for West Midlands itself), from 2017/18 crime."""
    names = categories or tuple(force.ratio)
    return float(np.mean([force.ratio[c] for c in names]))


def _lsoa_field(force: ForceData, rng: np.random.Generator, n: int, concentration: float,
                unknown_rate: float) -> list[str]:
    if force.lsoa_codes.size == 0:
        return [""] * n
    weights = force.lsoa_weights ** concentration
    codes = force.lsoa_codes[rng.choice(force.lsoa_codes.size, size=n, p=weights / weights.sum())].astype(object)
    codes[rng.random(n) < unknown_rate] = ""
    return codes.tolist()


# --- firearm discharges -------------------------------------------------------------------------------

def _firearm_files(force: ForceData, months: _Calendar, seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["firearm"]])
    scale = _scale(force, ("possession_of_weapons", "violence_with_injury"))
    years = {**FIREARM_DISCHARGES_OTHER_YEARS, FY2021: FIREARM_DISCHARGES_FY2021, FY2122: FIREARM_DISCHARGES_FY2122}
    windows = [(*months.window(*span), total * scale) for span, total in years.items()]
    q4 = months.window(*Q4_2122)
    windows.append((*q4, FIREARM_DISCHARGES_Q4_2122 * scale))
    counts = _monthly_counts(months, windows, _shape(months, FIREARM_SEASON, FIREARM_COVID), rng, 0.2)

    # The quarter the paper describes gets its published breakdown exactly, shuffled over its rows.
    exact_quarter = int(counts[q4[0]:q4[1] + 1].sum()) == FIREARM_DISCHARGES_Q4_2122 and scale == 1.0
    quarter = {name: _exact_multiset(mix, rng) for name, mix in (
        ("weapon_type", FIREARM_Q4_WEAPONS), ("injury", FIREARM_Q4_INJURIES),
        ("gang_related", FIREARM_Q4_GANG), ("drugs_related", FIREARM_Q4_DRUGS))} if exact_quarter else {}
    bases = _sequence_bases(months.months, counts)
    initials = force.initials
    files: dict[int, list[list[str]]] = {}
    used_in_quarter = 0
    for position, month in enumerate(months.months.tolist()):
        n = int(counts[position])
        days = _days(rng, month, n, (0.90, 0.85, 0.90, 0.95, 1.10, 1.25, 1.20))
        lsoa = _lsoa_field(force, rng, n, 1.6, FIREARM_LSOA_UNKNOWN_RATE)
        weapon = np.array(WEAPON_TYPES, dtype=object)[rng.choice(len(WEAPON_TYPES), size=n, p=WEAPON_TYPE_RATES)]
        injury = np.array(INJURIES, dtype=object)[rng.choice(len(INJURIES), size=n, p=INJURY_RATES)]
        gang = _flags(rng, n, GANG_RELATED_RATE)
        drugs = _flags(rng, n, DRUGS_RELATED_RATE)
        if quarter and q4[0] <= position <= q4[1]:
            rows = slice(used_in_quarter, used_in_quarter + n)
            weapon, injury = quarter["weapon_type"][rows], quarter["injury"][rows]
            gang, drugs = quarter["gang_related"][rows], quarter["drugs_related"][rows]
            used_in_quarter += n
        year = f"{(month // 12) % 100:02d}"
        references = [f"FD{initials}/{int(bases[position]) + i:04d}/{year}" for i in range(n)]
        files[month] = [references, _date_texts(month, days), lsoa, weapon.tolist(), injury.tolist(),
                        gang.tolist(), drugs.tolist()]
    return files


def _flags(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    u = rng.random(n)
    return np.where(u < rate, "Y", np.where(u < 1.0 - FLAG_UNKNOWN_RATE, "N", "")).astype(object)


# --- drug activity ------------------------------------------------------------------------------------

def _drug_files(force: ForceData, months: _Calendar, seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["drug"]])
    scale = _scale(force, ("drug_offences",))
    shape = _shape(months, DRUG_SEASON, 0.0)
    counts = np.stack([
        _monthly_counts(months, [(*months.window(*span), totals[kind] * scale)
                                 for span, totals in DRUG_ACTIVITY_BY_YEAR.items()], shape, rng, 0.15)
        for kind in range(len(ACTIVITY_TYPES))
    ])  # (type, month)

    # Rows per month, types in random order, then arrests and charges.
    kinds = []
    for position in range(months.months.size):
        kind = np.repeat(np.arange(len(ACTIVITY_TYPES)), counts[:, position])
        kinds.append(kind[rng.permutation(kind.size)])
    month_of_row = np.repeat(np.arange(months.months.size), [k.size for k in kinds])
    kind = np.concatenate(kinds)
    means = np.asarray(ARRESTS_PER_ACTIVITY)[kind]
    arrests = rng.poisson(means * rng.gamma(2.0, 0.5, size=kind.size))
    charges = rng.binomial(arrests, CHARGE_RATE)
    lo, hi = months.window(*FY2122)
    year = (month_of_row >= lo) & (month_of_row <= hi)
    if year.any():
        # 2021/22 is published: arrests spread over the year's rows by weight, summing exactly, and the
        # charges drawn from those arrests, so no row ever has more charges than arrests.
        weights = means[year] * rng.gamma(2.0, 0.5, size=int(year.sum()))
        year_arrests = rng.multinomial(round_half_up(DRUG_ARRESTS_FY2122 * scale), weights / weights.sum())
        arrests[year] = year_arrests
        charges[year] = rng.multivariate_hypergeometric(
            year_arrests, min(round_half_up(DRUG_CHARGES_FY2122 * scale), int(year_arrests.sum())))

    bases = _sequence_bases(months.months, counts.sum(axis=0))
    files: dict[int, list[list[str]]] = {}
    for position, month in enumerate(months.months.tolist()):
        rows = np.flatnonzero(month_of_row == position)
        days = _days(rng, month, rows.size, (1.05, 1.15, 1.15, 1.10, 1.00, 0.55, 0.45))
        year_text = f"{(month // 12) % 100:02d}"
        references = [f"DA{force.initials}/{int(bases[position]) + i:05d}/{year_text}" for i in range(rows.size)]
        files[month] = [references, _date_texts(month, days),
                        [ACTIVITY_TYPES[k] for k in kind[rows].tolist()],
                        [str(a) for a in arrests[rows].tolist()], [str(c) for c in charges[rows].tolist()]]
    return files


# --- SMS survey ---------------------------------------------------------------------------------------

def _sms_files(force: ForceData, months: _Calendar, seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["sms"]])
    scale = _scale(force)
    windows = [(months.position(m), months.position(m), n * scale) for m, n in SMS_ANSWERED_MONTHS.items()]
    windows.append((*months.window(*FY2122), SMS_ANSWERED_FY2122 * scale))
    windows.append((*months.window("2022-04", "2023-03"), SMS_ANSWERED_FY2223 * scale))
    active = months.months >= _month_number(SMS_PILOT_START)
    answered = _monthly_counts(months, windows, _shape(months, SMS_SEASON, 0.0), rng, 0.06, active)

    # Satisfied (8+) per month: a rate drifting slowly around 68%; exact over 2021/22.
    drift = 0.004 * (months.months - _month_number("2021-10")) / 12
    rate = np.clip(SMS_SATISFIED_SHARE_FY2122 + drift + rng.normal(0.0, 0.012, months.months.size), 0.5, 0.85)
    satisfied = rng.binomial(answered, rate)
    lo, hi = months.window(*FY2122)
    target = min(round_half_up(SMS_SATISFIED_SHARE_FY2122 * answered[lo:hi + 1].sum()), int(answered[lo:hi + 1].sum()))
    satisfied[lo:hi + 1] = largest_remainder(answered[lo:hi + 1] * rate[lo:hi + 1], target)
    unanswered = rng.binomial(answered, SMS_UNANSWERED_RATE)

    incident_types = {service: (np.array([t for t, _ in mix], dtype=object), np.array([p for _, p in mix]))
                      for service, mix in SMS_INCIDENT_TYPES.items()}
    files: dict[int, list[list[str]]] = {}
    for position, month in enumerate(months.months.tolist()):
        if not active[position]:
            continue
        n_answered, n = int(answered[position]), int(answered[position] + unanswered[position])
        # The pilot ran in Force Contact only; Force Response joined when it was embedded.
        contact_share = 1.0 if month < _month_number(SMS_EMBEDDED_FROM) else SMS_CONTACT_SHARE
        service = np.where(rng.random(n) < contact_share, 0, 1)
        score = np.full(n, -1, dtype=np.int64)
        weights = np.where(service[:n_answered] == 1, SMS_RESPONSE_SATISFACTION_WEIGHT, 1.0)
        happy = np.zeros(n_answered, dtype=bool)
        happy[_pick(rng, weights, int(satisfied[position]))] = True
        score[:n_answered] = np.where(
            happy,
            SMS_SATISFIED_SCORE + rng.choice(3, size=n_answered, p=SMS_SCORES_SATISFIED),
            rng.choice(SMS_SATISFIED_SCORE, size=n_answered, p=SMS_SCORES_OTHER),
        )
        incident = np.empty(n, dtype=object)
        for index, name in enumerate(SERVICES):
            rows = np.flatnonzero(service == index)
            types, probs = incident_types[name]
            incident[rows] = types[rng.choice(types.size, size=rows.size, p=probs)]
        incident[rng.random(n) < SMS_INCIDENT_TYPE_UNKNOWN_RATE] = ""
        # Responses arrive through the month, answered and unanswered mixed; ids follow arrival.
        order = rng.permutation(n)
        days = _days(rng, month, n, (1.05, 1.02, 1.00, 1.00, 0.98, 0.95, 0.95))
        compact = _month_text(month).replace("-", "")
        files[month] = [
            [f"SMS-{compact}-{i + 1:05d}" for i in range(n)],
            _date_texts(month, days),
            [SERVICES[s] for s in service[order].tolist()],
            incident[order].tolist(),
            ["" if s < 0 else str(s) for s in score[order].tolist()],
        ]
    return files


# --- workforce ----------------------------------------------------------------------------------------

def _path_values(path: _Path, months: np.ndarray, rng: np.random.Generator, scale: float) -> np.ndarray:
    """Headcount at each month end: anchors exact, each step between them a lumpy share of the change."""
    anchors = [(_month_number(m), round_half_up(v * scale)) for m, v in path.anchors]
    values = np.zeros(months.size, dtype=np.int64)
    by_month = {}
    for (m0, v0), (m1, v1) in zip(anchors, anchors[1:], strict=False):
        steps = largest_remainder(rng.gamma(path.lumpiness, 1.0, size=m1 - m0) + 0.05, abs(v1 - v0))
        by_month.update({m0 + i: v0 + int(np.sign(v1 - v0)) * int(c) for i, c in enumerate(np.cumsum(steps)[:-1], 1)})
        by_month[m0], by_month[m1] = v0, v1
    first, last = anchors[0], anchors[-1]
    for i, month in enumerate(months.tolist()):
        values[i] = by_month.get(month, first[1] if month < first[0] else last[1])
    return values


def _share_path(points: tuple[tuple[str, float], ...], months: np.ndarray) -> np.ndarray:
    return np.interp(months, [_month_number(m) for m, _ in points], [v for _, v in points])


def _allocate(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """total split in proportion to weights, no part above its cap, summing exactly."""
    result = np.zeros(weights.size, dtype=np.int64)
    open_ = caps > 0
    remaining = int(total)
    while remaining > 0 and open_.any():
        share = largest_remainder(np.where(open_, weights, 0.0) + open_ * 1e-9, remaining)
        over = open_ & (result + share > caps)
        if not over.any():
            result += share
            break
        result[over] = caps[over]
        open_ &= ~over
        remaining = int(total - result.sum())
    return result


def _role_cells(total: int, ethnic_minority: int, not_stated: int, neighbourhood: int, female: int,
                mix: _RoleMix) -> np.ndarray:
    """Headcount by (neighbourhood Y/N, ethnicity, sex) with every published margin exact.

    Ethnicity first, then the neighbourhood total across ethnicities, then the female total across the
    six (neighbourhood, ethnicity) cells: each step splits a fixed total, so no margin can drift.
    """
    by_ethnicity = np.array([total - ethnic_minority - not_stated, ethnic_minority, not_stated])
    local = _allocate(neighbourhood, by_ethnicity * np.asarray(mix.neighbourhood_by_ethnicity), by_ethnicity)
    cells = np.stack([local, by_ethnicity - local])  # (Y/N, ethnicity)
    female_cells = _allocate(female, (cells * np.asarray(mix.female_by_ethnicity)).ravel().astype(float),
                             cells.ravel()).reshape(cells.shape)
    return np.stack([female_cells, cells - female_cells], axis=-1)  # (Y/N, ethnicity, Female/Male)


def _workforce_snapshots(force: ForceData, months: _Calendar, seed: int) -> dict[int, np.ndarray]:
    """Month -> headcount array (role, neighbourhood Y/N, ethnicity, sex) for every snapshot month."""
    rng = np.random.default_rng([seed, force.key, _STREAMS["workforce"]])
    scale = _scale(force)
    snapshot_months = months.months[months.months >= _month_number(WORKFORCE_FIRST_SNAPSHOT)]
    totals = {
        "Police Officer": _path_values(OFFICERS, snapshot_months, rng, scale),
        "Police Staff": _path_values(POLICE_STAFF, snapshot_months, rng, scale),
        "PCSO": _path_values(PCSOS, snapshot_months, rng, scale),
        "Special Constable": _path_values(SPECIALS, snapshot_months, rng, scale),
    }
    officer_minority = _path_values(ETHNIC_MINORITY_OFFICERS, snapshot_months, rng, scale)
    officer_local = _path_values(NEIGHBOURHOOD_OFFICERS, snapshot_months, rng, scale)
    officer_female_share = _share_path(FEMALE_OFFICER_SHARE, snapshot_months)
    span = max(int(snapshot_months[-1] - snapshot_months[0]), 1)
    progress = np.clip((snapshot_months - snapshot_months[0]) / span, 0.0, 1.0)

    snapshots: dict[int, np.ndarray] = {}
    for i, month in enumerate(snapshot_months.tolist()):
        per_role = []
        for role in ROLES:
            mix = ROLE_MIX[role]
            total = int(totals[role][i])
            if role == "Police Officer":
                minority, local = int(officer_minority[i]), int(officer_local[i])
                female = round_half_up(officer_female_share[i] * total)
            else:
                low, high = mix.ethnic_minority
                minority = round_half_up((low + (high - low) * progress[i]) * total)
                local, female = round_half_up(mix.neighbourhood * total), round_half_up(mix.female * total)
            not_stated = round_half_up(mix.not_stated * total)
            per_role.append(_role_cells(total, minority, not_stated, local, female, mix))
        snapshots[month] = np.stack(per_role)
    return snapshots


def _write_workbook(path: Path, force_name: str, snapshot: dt.date, cells: np.ndarray) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Headcount")
    for letter, width in zip("ABCDE", (20, 15, 17, 9, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def styled(value: object) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([styled(f"{force_name}: workforce headcount at {snapshot.day} {snapshot:%B %Y}")])
    sheet.append(["Headcount (people, not full-time equivalent) from the HR system at the close of the day."])
    sheet.append([styled(name) for name in WORKFORCE_HEADER])
    for r, role in enumerate(ROLES):
        for n, flag in enumerate(("Y", "N")):
            for e, ethnicity in enumerate(ETHNICITIES):
                for s, sex in enumerate(SEXES):
                    sheet.append([role, flag, ethnicity, sex, int(cells[r, n, e, s])])
    sheet.append([styled("Total"), None, None, None, styled(int(cells.sum()))])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


# --- entry point --------------------------------------------------------------------------------------

def write_force_ops(
    out_dir: Path,
    force_slug: str = cal.CALIBRATED_FORCE_SLUG,
    first_month: str = cal.DEFAULT_FIRST_MONTH,
    last_month: str = cal.DEFAULT_LAST_MONTH,
    seed: int = DEFAULT_SEED,
) -> list[Path]:
    """Write the firearm, drug activity, SMS survey and workforce files for a force; return the paths.

    Months from first_month to last_month inclusive (SMS files only from November 2020, workforce
    snapshots only from 31 March 2019). For west-midlands the published figures in the module
    docstring come out exactly.
    """
    first, last = _month_number(first_month), _month_number(last_month)
    if first > last:
        raise ValueError(f"first_month {first_month} is after last_month {last_month}")
    force = load_force(force_slug)
    months = _Calendar.covering(first, last)
    root = Path(out_dir)
    written = write_monthly_csvs(root, force_slug, first, last, (
        (FIREARM_DIR, "firearm-discharges", FIREARM_COLUMNS, _firearm_files(force, months, seed)),
        (DRUG_DIR, "drug-activity", DRUG_COLUMNS, _drug_files(force, months, seed)),
        (SMS_DIR, "sms-survey", SMS_COLUMNS, _sms_files(force, months, seed)),
    ))
    force_name = _display_name(force_slug)
    for month, cells in _workforce_snapshots(force, months, seed).items():
        if first <= month <= last:
            snapshot = _month_end(month)
            path = root / WORKFORCE_DIR / f"{force_slug}-workforce-{snapshot.isoformat()}.xlsx"
            _write_workbook(path, force_name, snapshot, cells)
            written.append(path)
    return written


def generator_main(write, description: str, folder: str, default_seed: int, argv: list[str] | None = None) -> int:
    """The command line of a monthly-extract generator: --out, --force, --first-month, --last-month, --seed,
    then write(out, force, first_month, last_month, seed) and say how many files it wrote where."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, required=True, help=f"landing root; files go to OUT/{folder}/...")
    parser.add_argument("--force", default=cal.CALIBRATED_FORCE_SLUG, help="data.police.uk force slug")
    parser.add_argument("--first-month", default=cal.DEFAULT_FIRST_MONTH)
    parser.add_argument("--last-month", default=cal.DEFAULT_LAST_MONTH)
    parser.add_argument("--seed", type=int, default=default_seed)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write(args.out, args.force, args.first_month, args.last_month, args.seed)
    print(f"wrote {len(paths)} files under {args.out / folder} in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    return generator_main(write_force_ops, "Write sample firearm, drug, SMS survey and workforce extracts.", "force",
                          DEFAULT_SEED, argv)


if __name__ == "__main__":
    sys.exit(main())
