"""Seeded generator of a force's recorded-crime extracts, in the agreed landing layout.

Writes ``<out>/force/crimes/<force>-crimes-<YYYY-MM>.csv``, one file per recorded month, the way a
force's records system exports them (UTF-8 with a byte-order mark, CRLF line ends), calibrated so that
the published West Midlands figures in :mod:`sample_data.calibration` come out exactly at scale 1.0.

How it works:

1. A smooth monthly curve per counting category (trend between the two calibrated years,
   seasonality, the COVID lockdowns, a few named peaks, a little noise), fitted so each calibrated
   window sums to its target; the same for the flagged sub-populations the board paper reports
   (knife crime, robbery of under-25s, online crime).
2. Curves become whole monthly counts by largest remainder inside each window, so window sums are
   exact; each stretch of months between the windows is rounded the same way as a block.
3. Each month is expanded to rows with vectorised numpy: codes from the force's own 2017/18 mix,
   flagged sub-populations picked to their exact monthly quota, everything else drawn from
   plausible rates. Each month has its own seeded generator, so files are reproducible byte for byte.

Other forces get the West Midlands curves scaled category by category by their 2017/18 volume
relative to West Midlands, their own offence-code mix and LSOAs from their own area.

The optional ``suspect_age`` column (SOURCES.md, "Recorded crime, optional columns": the youngest
suspect's age, or empty) and the priority areas (``reference/priority-areas.csv``) are calibrated to
the board paper of May 2022 for West Midlands, April 2021 to March 2022:

* para 6: suspects under the age of 25 in 44% of homicides: 22 of the 50 homicides with a suspect's
  age recorded (ASSUMPTION: 3 of the 53 homicides have no suspect identified, so no age);
* para 6: "almost one in four homicides take place within WMP's Impact Areas": 13 of the 53 (24.5%);
* para 24: "20% of all thefts occur within Birmingham City Centre neighbourhoods": 771 of the 3,854
  thefts from the person (20.0%).

ASSUMPTION: the records system added ``suspect_age`` to its extract from April 2021 (the start of
2021/22), so the files of earlier months have the 15 columns only and both kinds of file exist; the
column is appended after ``status``. Outside the homicides of 2021/22 a suspect's age is known for
35% of crimes (ASSUMPTION), young-adult heavy. ASSUMPTION: which LSOAs are the impact areas and the
city centre (the MSOAs in PRIORITY_AREA_MSOAS, typed here; ``reference/priority-areas.csv`` lists
the same LSOAs): the five 2011 MSOAs Birmingham 134 to 138, created for the 2011 Census out of the
city centre, stand for the city centre neighbourhoods; eight MSOAs of Birmingham, Coventry,
Sandwell, Walsall and Wolverhampton stand for the impact areas (not West Midlands Police's own list).
Months other than 2021/22 get the same shares at random; other forces have no priority areas.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import sys
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np

from assets.lib.reference_data import FORCES_CSV, LSOA_LOOKUP_CSV, OFFENCE_CLASSIFICATION_CSV
from sample_data import calibration as cal

# The agreed layout (SOURCES.md), typed here so the generator does not lean on the parser it feeds.
COLUMNS: tuple[str, ...] = (
    "crime_reference", "recorded_date", "committed_date", "ho_offence_code", "offence_description", "lsoa_code",
    "victim_age", "domestic_abuse", "knife_or_sharp_instrument", "firearm", "online", "organised_crime_group",
    "drugs_related", "alcohol_related", "status",
)
# The optional column (SOURCES.md, "Recorded crime, optional columns"), appended from this month on.
SUSPECT_AGE_COLUMN = "suspect_age"
SUSPECT_AGE_FROM = "2021-04"  # ASSUMPTION (module docstring)

# Board paper para 6 and 24, April 2021 to March 2022 (module docstring).
FY2122_HOMICIDE_SUSPECT_AGE_KNOWN = 50  # ASSUMPTION: 3 of 53 without a suspect identified
FY2122_HOMICIDE_SUSPECT_UNDER_25 = 22  # 44% of 50
FY2122_HOMICIDE_IMPACT_AREAS = 13  # 24.5% of 53, "almost one in four"
FY2122_THEFT_FROM_PERSON_CITY_CENTRE = 771  # 20.0% of 3,854
SUSPECT_AGE_KNOWN_SHARE = 0.35  # ASSUMPTION: crimes other than homicide with a suspect's age
# ASSUMPTION: the 2011 MSOAs whose LSOAs stand for each priority area (reference/priority-areas.csv).
PRIORITY_AREA_MSOAS: dict[str, dict[str, tuple[str, ...]]] = {
    "west-midlands": {
        # Birmingham 031, 040, 045; Coventry 023; Sandwell 016; Walsall 019; Wolverhampton 014, 019
        "impact_areas": ("E02001857", "E02001866", "E02001871", "E02001980", "E02002058", "E02002128",
                         "E02002162", "E02002167"),
        # Birmingham 134 to 138
        "city_centre": ("E02006895", "E02006896", "E02006897", "E02006898", "E02006899"),
    },
}

# The records system's export format: the pipeline has to cope with both of these.
BYTE_ORDER_MARK = "\ufeff"
LINE_END = "\r\n"

SEASON_PROFILES: dict[str, tuple[float, ...]] = {
    # January..December. Violence and disorder peak with long summer evenings, acquisitive crime
    # with the dark evenings of autumn and winter, bicycle theft with cycling weather.
    "flat": (1.0,) * 12,
    "violence": (0.92, 0.88, 0.97, 0.98, 1.05, 1.06, 1.10, 1.05, 1.01, 1.01, 0.97, 1.00),
    "harassment": (0.96, 0.95, 1.02, 0.99, 1.03, 1.02, 1.03, 1.00, 1.00, 1.02, 1.00, 0.98),
    "sexual": (0.95, 0.95, 1.00, 0.98, 1.02, 1.04, 1.06, 1.02, 1.00, 1.02, 0.99, 0.97),
    "burglary": (1.04, 0.93, 0.93, 0.86, 0.86, 0.86, 0.92, 0.95, 0.98, 1.14, 1.25, 1.16),
    "robbery": (1.02, 0.90, 0.93, 0.88, 0.90, 0.88, 0.92, 0.95, 1.00, 1.20, 1.16, 1.12),
    "vehicle": (1.00, 0.92, 0.95, 0.93, 0.95, 0.95, 0.98, 1.00, 1.02, 1.10, 1.12, 1.08),
    "person_theft": (1.00, 0.92, 0.95, 0.92, 0.95, 0.95, 0.97, 0.98, 1.00, 1.06, 1.10, 1.20),
    "bicycle": (0.70, 0.70, 0.85, 0.95, 1.15, 1.25, 1.30, 1.30, 1.20, 1.00, 0.85, 0.75),
    "shoplifting": (0.95, 0.93, 1.00, 0.97, 1.00, 0.98, 1.00, 0.99, 0.98, 1.04, 1.07, 1.09),
    "theft": (0.97, 0.93, 0.98, 0.96, 1.00, 1.00, 1.02, 1.01, 1.00, 1.04, 1.05, 1.04),
    "damage": (0.95, 0.92, 1.00, 1.00, 1.04, 1.02, 1.03, 1.00, 0.98, 1.05, 1.05, 0.96),
    "drugs": (1.00, 1.00, 1.05, 1.00, 1.00, 0.98, 1.00, 0.98, 1.00, 1.02, 1.00, 0.97),
    "online": (1.00, 1.00, 1.03, 0.98, 1.00, 0.98, 0.98, 0.97, 1.00, 1.02, 1.02, 1.00),
}

# How far below normal acquisitive crime fell in each month of the lockdowns (first national
# lockdown from 23 March 2020, November 2020, January-March 2021, then the roadmap reopening).
LOCKDOWN_DIP: dict[str, float] = {
    "2020-03": 0.08, "2020-04": 0.28, "2020-05": 0.25, "2020-06": 0.15, "2020-07": 0.08,
    "2020-08": 0.05, "2020-09": 0.04, "2020-10": 0.05, "2020-11": 0.14, "2020-12": 0.08,
    "2021-01": 0.22, "2021-02": 0.21, "2021-03": 0.12, "2021-04": 0.06, "2021-05": 0.03,
    "2021-06": 0.02,
}

# Committed-date lag mixtures: P(same day), P(next day), P(2-30 days), P(longer), longest lag.
LAG_MODELS: dict[str, tuple[float, float, float, float, int]] = {
    "standard": (0.42, 0.20, 0.30, 0.08, 365),
    "property": (0.50, 0.30, 0.18, 0.02, 365),
    "harassment": (0.30, 0.15, 0.40, 0.15, 365),
    # Sexual offences are often reported long after the event.
    "sexual": (0.20, 0.10, 0.30, 0.40, 3650),
    # Shoplifting and police-generated offences are recorded when detected.
    "same_day": (0.82, 0.11, 0.07, 0.00, 0),
}
COMMITTED_UNKNOWN_SHARE = 0.08
LSOA_UNKNOWN_SHARE = 0.02
FLAG_UNKNOWN_SHARE = 0.03
VICTIM_AGE_UNKNOWN_SHARE = 0.10


@dataclass(frozen=True)
class CategoryProfile:
    """How a category moves over time and what its records look like (plausibility assumptions)."""

    season: str
    # Multiple of LOCKDOWN_DIP the category follows; negative means it rose (proactive policing).
    covid: float
    # Annual log change after March 2022, where nothing is calibrated.
    post_drift: float
    specials: tuple[tuple[str, float], ...] = ()
    domestic_abuse: float = 0.02
    organised: float = 0.005
    drugs: float = 0.02
    alcohol: float = 0.03
    lag: str = "standard"
    # Concentrated in city centres (night-time economy, retail, transport hubs).
    centre: bool = False
    # Age model for codes without their own (None: never a personal victim).
    age: str | None = "adult"


PROFILES: dict[str, CategoryProfile] = {
    "homicide": CategoryProfile("flat", 0.2, 0.0, age="homicide"),
    "unlawful_driving": CategoryProfile("flat", 0.6, 0.0, alcohol=0.25),
    "violence_with_injury": CategoryProfile(
        "violence", 0.45, 0.02, domestic_abuse=0.24, drugs=0.05, alcohol=0.18, centre=True
    ),
    "violence_without_injury": CategoryProfile(
        "violence", 0.35, 0.03, domestic_abuse=0.20, organised=0.004, drugs=0.03, alcohol=0.12
    ),
    "stalking_and_harassment": CategoryProfile(
        "harassment", -0.10, 0.02, domestic_abuse=0.12, alcohol=0.02, lag="harassment"
    ),
    "sexual_offences": CategoryProfile(
        "sexual", 0.5, 0.03, domestic_abuse=0.15, organised=0.01, alcohol=0.08, lag="sexual"
    ),
    # October 2018 was the peak month for robbery.
    "robbery": CategoryProfile(
        "robbery", 1.0, 0.05, (("2018-10", 1.06),), organised=0.03, drugs=0.06, lag="property", centre=True
    ),
    # November 2018 was the peak month for burglary, which then fell.
    "domestic_burglary": CategoryProfile(
        "burglary", 0.9, -0.03, (("2018-11", 1.05),), organised=0.02, lag="property"
    ),
    "non_domestic_burglary": CategoryProfile(
        "burglary", 1.0, -0.02, (("2018-11", 1.05),), organised=0.02, lag="property", age=None
    ),
    "theft_from_vehicle": CategoryProfile("vehicle", 1.0, -0.04, lag="property"),
    # March 2022 was the highest theft-of-vehicle month for several years.
    "theft_of_motor_vehicle": CategoryProfile(
        "vehicle", 0.8, -0.03, (("2022-02", 1.06), ("2022-03", 1.22)), organised=0.04, lag="property"
    ),
    "vehicle_interference": CategoryProfile("vehicle", 1.0, -0.02, lag="property"),
    # Pickpocketing needs crowds; February 2022 was the highest month for three years.
    "theft_from_the_person": CategoryProfile(
        "person_theft", 1.6, -0.12, (("2022-02", 1.6),), lag="property", centre=True
    ),
    "bicycle_theft": CategoryProfile("bicycle", 0.5, -0.03, lag="property", centre=True),
    "shoplifting": CategoryProfile("shoplifting", 1.3, 0.22, lag="same_day", centre=True, age=None),
    "other_theft": CategoryProfile("theft", 1.0, 0.03, centre=True),
    "criminal_damage_and_arson": CategoryProfile("damage", 0.4, 0.0, domestic_abuse=0.08, alcohol=0.06),
    "drug_offences": CategoryProfile(
        "drugs", -0.7, -0.02, organised=0.08, drugs=0.98, lag="same_day", centre=True, age=None
    ),
    "possession_of_weapons": CategoryProfile(
        "violence", 0.2, 0.0, organised=0.05, drugs=0.12, alcohol=0.05, lag="same_day", centre=True, age=None
    ),
    "public_order": CategoryProfile(
        "violence", 0.1, 0.02, domestic_abuse=0.05, alcohol=0.20, centre=True, age=None
    ),
    "miscellaneous": CategoryProfile("flat", 0.3, 0.02, organised=0.03, drugs=0.03, age=None),
}


@dataclass(frozen=True)
class SubPopulationProfile:
    """Curve shape of a flagged sub-population (by default a trending share of its parent rows)."""

    post_drift: float = 0.0
    specials: tuple[tuple[str, float], ...] = ()
    # Online crime took off with the lockdowns and then levelled: an S-curve, not a straight trend.
    logistic_mid: str | None = None
    logistic_width: float = 3.0
    season: str = "flat"
    # False: the level curve alone sets the trend. Online crime plateaued in 2021/22 even though
    # stalking and harassment, where most of it sits, kept growing.
    follows_parent: bool = True


SUB_POPULATIONS: dict[str, SubPopulationProfile] = {
    "knife": SubPopulationProfile(),
    "robbery_under_25": SubPopulationProfile(),
    "online": SubPopulationProfile(
        post_drift=-0.06,
        specials=((cal.ONLINE_PEAK_MONTH, 1.12),),
        logistic_mid="2020-06",
        season="online",
        follows_parent=False,
    ),
}

# Rough probability that an offence with this code involved a knife or sharp instrument; used as
# selection weights for the exact knife quota among the ONS selected offences.
KNIFE_PROPENSITY: dict[str, float] = {
    "1": 0.40, "4.1": 0.30, "2": 0.50, "3B": 0.08, "5D": 0.35, "8N": 0.06, "8P": 0.05,
    "34A": 0.25, "34B": 0.15, "19C": 0.01, "19D": 0.01, "19E": 0.005, "19F": 0.01, "19G": 0.005,
    "19H": 0.005, "17A": 0.005, "17B": 0.002, "20A": 0.005, "20B": 0.002,
}
# Knife flag on codes outside the selected offences (not counted as knife crime, but a records
# system still flags possession of a bladed article).
KNIFE_FLAG_OTHER: dict[str, float] = {"10D": 0.97, "90": 0.90, "10C": 0.05, "5E": 0.03, "59": 0.05}
# Rough probability that an offence with this code was committed online (cyber-enabled).
ONLINE_PROPENSITY: dict[str, float] = {
    "8R": 0.70, "8L": 0.30, "8Q": 0.35, "8M": 0.25, "88A": 0.90, "71": 0.40, "22B": 0.20, "88E": 0.15,
    "86": 0.85, "3B": 0.12, "35": 0.60, "105A": 0.01, "49": 0.02, "9A": 0.04, "9B": 0.06, "66": 0.08,
    "99": 0.05, "20A": 0.03, "19C": 0.02, "11A": 0.01, "106": 0.05, "33A": 0.20, "61": 0.05,
}
FIREARM_PROPENSITY: dict[str, float] = {
    "10A": 0.97, "10B": 0.97, "81": 0.95, "1": 0.05, "4.1": 0.03, "2": 0.08, "5D": 0.02, "5E": 0.05,
    "3B": 0.01, "8N": 0.002, "34A": 0.02, "34B": 0.01, "58C": 0.001, "59": 0.003,
}
# Victim age models for codes whose definition fixes the victim's age band.
AGE_MODEL_BY_CODE: dict[str, str | None] = {
    "17B": "under_13", "19E": "under_13", "19H": "under_13", "20B": "under_13", "21": "under_13",
    "19D": "13_to_15", "19G": "13_to_15", "22B": "13_to_15",
    "11A": "child", "13": "child",
    "71": "teen", "88A": "teen", "73": "teen",
    "17A": "13_plus", "20A": "13_plus",
    "19C": "16_plus", "19F": "16_plus",
    "34A": None,
    "34B": "robbery",
}
UNDER_25 = 25


# --- calendar helpers ---------------------------------------------------------------------------------

def _month_number(text: str) -> int:
    """'YYYY-MM' -> months since year 0, so consecutive months are consecutive integers."""
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError as error:
        raise ValueError(f"month must be written YYYY-MM, got {text!r}") from error
    if not 1 <= month <= 12 or not 1900 <= year <= 2100 or len(text) != 7:
        raise ValueError(f"month must be written YYYY-MM, got {text!r}")
    return year * 12 + month - 1


def _month_text(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _month_start(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def _days_in(number: int) -> int:
    return calendar.monthrange(number // 12, number % 12 + 1)[1]


# --- reference data -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Offence:
    code: str
    description: str
    category: str


def _offence_count(text: str) -> int:
    # PRC counts carry padding spaces and write zero as "-00".
    text = text.strip()
    return 0 if text in ("", "-00") else int(text.replace(",", ""))


@cache
def _classification() -> tuple[tuple[Offence, ...], dict[str, dict[str, float]]]:
    """Offences that can be generated, and every force's 2017/18 count per generated code."""
    offences: dict[str, Offence] = {}
    counts: dict[str, dict[str, float]] = {}
    with OFFENCE_CLASSIFICATION_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            group = row["Offence Group"].strip()
            description = row["Offence Description"].strip()
            # Fraud is recorded by Action Fraud, not forces; "(outcome only)" codes expired in 2017.
            if group == "Fraud offences" or "(outcome only)" in description:
                continue
            code = row["Offence Code"].strip()
            subgroup = row["Offence Subgroup"].strip()
            category = "unlawful_driving" if code in cal.UNLAWFUL_DRIVING_CODES else cal.SUBGROUP_CATEGORY[subgroup]
            force_counts = counts.setdefault(row["Force Name"].strip(), {})
            number = _offence_count(row["Number of Offences"])
            if code == cal.COMBINED_HOMICIDE_CODE:
                for single, share in cal.HOMICIDE_CODE_MIX.items():
                    offences.setdefault(single, Offence(single, description, category))
                    force_counts[single] = force_counts.get(single, 0) + number * share
                continue
            offences.setdefault(code, Offence(code, description, category))
            force_counts[code] = force_counts.get(code, 0) + number
    order = {name: index for index, name in enumerate(cal.CATEGORIES)}
    ordered = sorted(offences.values(), key=lambda o: (order[o.category], o.code))
    return tuple(ordered), counts


@cache
def _forces() -> dict[str, dict[str, str]]:
    with FORCES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["slug"]: row for row in csv.DictReader(handle)}


@cache
def _lsoa_lookup() -> dict[str, list[tuple[str, str, str]]]:
    """Force name -> (LSOA code, local authority, MSOA code) for each LSOA of the force area."""
    by_force: dict[str, list[tuple[str, str, str]]] = {}
    with LSOA_LOOKUP_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_force.setdefault(row["Police_force"].strip(), []).append(
                (row["LSOA Code"].strip(), row["Local authority name"].strip(), row["MSOA Code"].strip())
            )
    return by_force


def force_initials(slug: str) -> str:
    """Force initials for crime references: 'west-midlands' -> 'WM', 'kent' -> 'KE'.

    Not unique across forces (West Mercia is also WM); references are only unique within a force.
    """
    words = [w for w in slug.split("-") if w not in ("and", "of", "the")]
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return words[0][:2].upper()


# 2011 census LSOAs split from a 2001 LSOA because its population grew get codes after the 2001 range.
# Splits cluster where flats went up, i.e. city centres: a usable busyness proxy without coordinates.
_LAST_2001_LSOA = "E01032482"


@dataclass(frozen=True)
class ForceData:
    slug: str
    name: str
    initials: str
    key: int
    offences: tuple[Offence, ...]
    # Per category: (offence indices, probabilities) of the force's own 2017/18 mix.
    mix: dict[str, tuple[np.ndarray, np.ndarray]]
    # Per category: force 2017/18 volume / West Midlands 2017/18 volume.
    ratio: dict[str, float]
    lsoa_codes: np.ndarray
    lsoa_units: np.ndarray
    lsoa_weights: np.ndarray
    lsoa_centre_weights: np.ndarray
    extra: dict[str, float] = field(default_factory=dict)


def _category_volume(counts: dict[str, float], offences: tuple[Offence, ...], category: str) -> float:
    return float(sum(counts.get(o.code, 0) for o in offences if o.category == category))


@cache
def load_force(slug: str) -> ForceData:
    forces = _forces()
    if slug not in forces:
        raise ValueError(f"unknown force slug {slug!r}: not in {FORCES_CSV.name}")
    name = forces[slug]["home_office_force_name"]
    offences, all_counts = _classification()
    if name not in all_counts:
        raise ValueError(f"force {name!r} has no counts in {OFFENCE_CLASSIFICATION_CSV.name}")
    counts = all_counts[name]
    reference_counts = all_counts[forces[cal.CALIBRATED_FORCE_SLUG]["home_office_force_name"]]

    mix: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    ratio: dict[str, float] = {}
    for category in cal.CATEGORIES:
        indices = np.array([i for i, o in enumerate(offences) if o.category == category and counts.get(o.code, 0) > 0])
        weights = np.array([counts[offences[i].code] for i in indices], dtype=float)
        mix[category] = (indices.astype(np.int64), weights / weights.sum() if weights.size else weights)
        reference = _category_volume(reference_counts, offences, category)
        ratio[category] = _category_volume(counts, offences, category) / reference if reference else 0.0

    def share_of(codes: set[str]) -> float:
        mine = sum(v for c, v in counts.items() if c in codes)
        theirs = sum(v for c, v in reference_counts.items() if c in codes)
        return mine / theirs if theirs else 0.0

    extra = {
        "knife": share_of(set(cal.KNIFE_SELECTED_OFFENCE_CODES)),
        "online": share_of({o.code for o in offences}),
        "robbery_under_25": share_of({"34B"}),
    }

    lookup = _lsoa_lookup()
    # The lookup writes "London, City of" the natural way round ("City of London").
    natural = " ".join(reversed(name.split(", "))) if ", " in name else name
    lsoas = sorted(lookup.get(name) or lookup.get(natural) or [])
    # A force with no LSOAs in the lookup (Welsh forces, British Transport Police: the lookup covers
    # English territorial forces only) gets empty lsoa_code rather than someone else's geography.
    codes = np.array([code for code, _, _ in lsoas], dtype=str)
    authorities = sorted({la for _, la, _ in lsoas})
    unit_of = {la: (10 * (i + 1) if len(authorities) <= 9 else 10 + i) for i, la in enumerate(authorities)}
    units = np.array([unit_of[la] for _, la, _ in lsoas], dtype=np.int64)
    new_per_msoa: dict[str, int] = {}
    for code, _, msoa in lsoas:
        new_per_msoa[msoa] = new_per_msoa.get(msoa, 0) + (code > _LAST_2001_LSOA)
    size_per_la: dict[str, int] = {}
    for _, la, _ in lsoas:
        size_per_la[la] = size_per_la.get(la, 0) + 1
    core_la = max(size_per_la, key=lambda la: (size_per_la[la], la)) if size_per_la else ""
    key = zlib.crc32(slug.encode("utf-8"))
    rng = np.random.default_rng([key, 7])
    noise = rng.lognormal(0.0, 0.5, size=len(lsoas))
    density = np.array([new_per_msoa[msoa] for _, _, msoa in lsoas], dtype=float)
    core = np.array([1.25 if la == core_la else 1.0 for _, la, _ in lsoas])
    general = noise * (1.0 + 0.5 * density) * core
    centre = general * (1.0 + 1.5 * density**1.25)

    def normalised(w: np.ndarray) -> np.ndarray:
        return w / w.sum() if w.size else w

    return ForceData(
        slug=slug,
        name=name,
        initials=force_initials(slug),
        key=key,
        offences=offences,
        mix=mix,
        ratio=ratio,
        lsoa_codes=codes,
        lsoa_units=units,
        lsoa_weights=normalised(general),
        lsoa_centre_weights=normalised(centre),
        extra=extra,
    )


# --- monthly model ------------------------------------------------------------------------------------

def largest_remainder(values: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers proportional to values that add up to total exactly (ties go to the earlier)."""
    values = np.asarray(values, dtype=float)
    result = np.zeros(values.size, dtype=np.int64)
    if total <= 0 or values.size == 0:
        return result
    weight = values.sum()
    scaled = values * total / weight if weight > 0 else np.full(values.size, total / values.size)
    result = np.floor(scaled).astype(np.int64)
    short = int(total - result.sum())
    if short > 0:
        order = np.lexsort((np.arange(values.size), -(scaled - result)))
        result[order[:short]] += 1
    return result


def round_half_up(value: float) -> int:
    return int(np.floor(value + 0.5))


def integerise(curve: np.ndarray, windows: list[tuple[int, int, float]],
               zero: np.ndarray | None = None) -> np.ndarray:
    """Monthly counts from a curve; each (first, last, total) window of positions sums exactly.

    Narrow windows are settled first so a fixed month (the online peak) sits inside its year.
    Positions marked in `zero` (months a source did not exist) are held at zero.
    """
    counts = np.full(curve.size, -1, dtype=np.int64)
    if zero is not None:
        counts[zero] = 0
    for lo, hi, total in sorted(windows, key=lambda w: w[1] - w[0]):
        inside = np.arange(lo, hi + 1)
        free = inside[counts[inside] < 0]
        remaining = round_half_up(total) - int(counts[inside][counts[inside] >= 0].sum())
        if remaining < 0:
            raise ValueError("calibration windows are inconsistent: a fixed month exceeds its year")
        counts[free] = largest_remainder(curve[free], remaining)
    # The rest, run by run, so rounding never drifts across a long stretch.
    position = 0
    while position < curve.size:
        if counts[position] >= 0:
            position += 1
            continue
        end = position
        while end < curve.size and counts[end] < 0:
            end += 1
        run = np.arange(position, end)
        counts[run] = largest_remainder(curve[run], round_half_up(float(curve[run].sum())))
        position = end
    return counts


@dataclass(frozen=True)
class _Timeline:
    months: np.ndarray
    baseline: np.ndarray  # bool mask
    fy2122: np.ndarray
    progress: np.ndarray  # 0 at the baseline centre, 1 at the 2021/22 centre, frozen outside
    after: np.ndarray  # years after March 2022 (capped), where post-calibration drift applies
    days: np.ndarray

    def window(self, first: str, last: str) -> tuple[int, int]:
        lo = int(np.searchsorted(self.months, _month_number(first)))
        hi = int(np.searchsorted(self.months, _month_number(last)))
        return lo, hi

    def logistic_progress(self, mid: str, width: float) -> np.ndarray:
        frozen = np.clip(self.months, _month_number(cal.DEFAULT_FIRST_MONTH), _month_number(cal.FY2122_WINDOW[1]))

        def s(t: np.ndarray | float) -> np.ndarray:
            return 1.0 / (1.0 + np.exp(-(np.asarray(t, dtype=float) - _month_number(mid)) / width))

        t1 = self.months[self.baseline].mean()
        t2 = self.months[self.fy2122].mean()
        return (s(frozen) - s(t1)) / (s(t2) - s(t1))


def _timeline(first: int, last: int) -> _Timeline:
    start = min(first, _month_number(cal.DEFAULT_FIRST_MONTH))
    end = max(last, _month_number(cal.DEFAULT_LAST_MONTH))
    months = np.arange(start, end + 1)
    base = (months >= _month_number(cal.BASELINE_WINDOW[0])) & (months <= _month_number(cal.BASELINE_WINDOW[1]))
    fy = (months >= _month_number(cal.FY2122_WINDOW[0])) & (months <= _month_number(cal.FY2122_WINDOW[1]))
    t1, t2 = months[base].mean(), months[fy].mean()
    frozen = np.clip(months, _month_number(cal.DEFAULT_FIRST_MONTH), _month_number(cal.FY2122_WINDOW[1]))
    progress = (frozen - t1) / (t2 - t1)
    after = np.clip(months - _month_number(cal.FY2122_WINDOW[1]), 0, 36) / 12.0
    days = np.array([_days_in(m) for m in months], dtype=float)
    return _Timeline(months, base, fy, progress, after, days)


def _shape(timeline: _Timeline, season: str, covid: float, specials: tuple[tuple[str, float], ...]) -> np.ndarray:
    profile = np.array(SEASON_PROFILES[season])
    profile = profile / profile.mean()
    shape = profile[timeline.months % 12] * timeline.days / (365.25 / 12)
    dip = np.array([LOCKDOWN_DIP.get(_month_text(m), 0.0) for m in timeline.months])
    shape = shape * (1.0 - covid * dip)
    for month, factor in specials:
        shape = np.where(timeline.months == _month_number(month), shape * factor, shape)
    return shape


def _fit(shape: np.ndarray, progress: np.ndarray, drift: np.ndarray, timeline: _Timeline,
         base_target: float, fy_target: float) -> np.ndarray:
    """Scale a shape by a log-linear level so both calibrated windows sum to their targets."""
    if base_target <= 0 or fy_target <= 0:
        return np.zeros(shape.size)
    levels = np.zeros(2)
    for _ in range(200):
        curve = shape * np.exp(levels[0] + (levels[1] - levels[0]) * progress + drift)
        step = np.log([base_target / curve[timeline.baseline].sum(), fy_target / curve[timeline.fy2122].sum()])
        levels += step
        if np.abs(step).max() < 1e-13:
            break
    return shape * np.exp(levels[0] + (levels[1] - levels[0]) * progress + drift)


def _noisy(curve: np.ndarray, rng: np.random.Generator, keep: np.ndarray) -> np.ndarray:
    # Poisson-sized wobble plus a little extra; named peak months are left as designed.
    sd = np.sqrt(0.015**2 + 0.5 / np.maximum(curve, 1.0))
    wobble = np.exp(np.clip(rng.standard_normal(curve.size), -2.5, 2.5) * sd)
    return np.where(keep, curve, curve * wobble)


@dataclass(frozen=True)
class MonthlyPlan:
    """Whole monthly counts for every category and quota, over the model's calendar."""

    months: np.ndarray
    counts: dict[str, np.ndarray]
    quotas: dict[str, np.ndarray]
    cancelled: np.ndarray
    sequence_base: np.ndarray
    sequence_block: np.ndarray


def _category_targets(force: ForceData, scale: float) -> dict[str, tuple[float, float]]:
    offences, all_counts = _classification()
    reference = all_counts[_forces()[cal.CALIBRATED_FORCE_SLUG]["home_office_force_name"]]
    base_vehicle_mix = np.array([_category_volume(reference, offences, c) for c in cal.VEHICLE_CATEGORIES])
    base_vehicle = largest_remainder(base_vehicle_mix, cal.BASELINE_VEHICLE_OFFENCES)
    fy_vehicle = largest_remainder(
        np.array([cal.FY2122_VEHICLE_SHARES[c] for c in cal.VEHICLE_CATEGORIES]), cal.FY2122_VEHICLE_OFFENCES
    )
    targets = {c: (float(cal.BASELINE_TARGETS[c]), float(cal.FY2122_TARGETS[c])) for c in cal.BASELINE_TARGETS}
    for category, base, fy in zip(cal.VEHICLE_CATEGORIES, base_vehicle, fy_vehicle, strict=True):
        targets[category] = (float(base), float(fy))
    return {c: (b * force.ratio[c] * scale, f * force.ratio[c] * scale) for c, (b, f) in targets.items()}


def _expected_mass(force: ForceData, propensity: dict[str, float]) -> dict[str, float]:
    """Per category: expected propensity of one row, given the force's code mix."""
    mass = {}
    for category, (indices, probs) in force.mix.items():
        weights = np.array([propensity.get(force.offences[i].code, 0.0) for i in indices])
        mass[category] = float((weights * probs).sum()) if indices.size else 0.0
    return mass


@cache
def build_plan(slug: str, first_month: str, last_month: str, scale: float, seed: int) -> MonthlyPlan:
    """Monthly counts and quotas for a force; cached because tests ask for the same plan repeatedly."""
    force = load_force(slug)
    timeline = _timeline(_month_number(first_month), _month_number(last_month))
    rng = np.random.default_rng([seed, force.key, 0])
    base_lo, base_hi = timeline.window(*cal.BASELINE_WINDOW)
    fy_lo, fy_hi = timeline.window(*cal.FY2122_WINDOW)

    curves: dict[str, np.ndarray] = {}
    counts: dict[str, np.ndarray] = {}
    for category, (base_target, fy_target) in _category_targets(force, scale).items():
        profile = PROFILES[category]
        shape = _shape(timeline, profile.season, profile.covid, profile.specials)
        drift = profile.post_drift * timeline.after
        smooth = _fit(shape, timeline.progress, drift, timeline, base_target, fy_target)
        keep = np.isin(timeline.months, [_month_number(m) for m, _ in profile.specials])
        noisy_shape = _noisy(smooth, rng, keep) / np.maximum(smooth, 1e-300) * shape
        curves[category] = _fit(noisy_shape, timeline.progress, drift, timeline, base_target, fy_target)
        counts[category] = integerise(
            curves[category], [(base_lo, base_hi, base_target), (fy_lo, fy_hi, fy_target)]
        )

    parents = {
        "knife": sum(curves[c] * m for c, m in _expected_mass(force, KNIFE_PROPENSITY).items()),
        "online": sum(curves[c] * m for c, m in _expected_mass(force, ONLINE_PROPENSITY).items()),
        "robbery_under_25": curves["robbery"] * _expected_mass(force, {"34B": 1.0})["robbery"],
    }
    sub_targets = {
        "knife": (cal.BASELINE_KNIFE_CRIME, cal.FY2122_KNIFE_CRIME),
        "online": (cal.BASELINE_ONLINE, cal.FY2122_ONLINE),
        "robbery_under_25": (cal.BASELINE_ROBBERY_UNDER_25, cal.FY2122_ROBBERY_UNDER_25),
    }
    quotas: dict[str, np.ndarray] = {}
    for name, profile in SUB_POPULATIONS.items():
        factor = force.extra[name] * scale
        base_target, fy_target = (t * factor for t in sub_targets[name])
        shape = _shape(timeline, profile.season, 0.0, profile.specials)
        if profile.follows_parent:
            # The parent already carries days in the month.
            shape = shape / _shape(timeline, "flat", 0.0, ()) * parents[name]
        progress = (
            timeline.logistic_progress(profile.logistic_mid, profile.logistic_width)
            if profile.logistic_mid
            else timeline.progress
        )
        drift = profile.post_drift * timeline.after
        smooth = _fit(shape, progress, drift, timeline, base_target, fy_target)
        keep = np.isin(timeline.months, [_month_number(m) for m, _ in profile.specials])
        noisy_shape = _noisy(smooth, rng, keep) / np.maximum(smooth, 1e-300) * shape
        curve = _fit(noisy_shape, progress, drift, timeline, base_target, fy_target)
        windows = [(base_lo, base_hi, base_target), (fy_lo, fy_hi, fy_target)]
        if name == "online":
            peak = timeline.window(cal.ONLINE_PEAK_MONTH, cal.ONLINE_PEAK_MONTH)[0]
            windows.append((peak, peak, cal.ONLINE_PEAK * factor))
        quotas[name] = integerise(curve, windows)

    # Homicide flags: exact for the 2021/22 homicides (spread over its months at random), elsewhere
    # drawn at the same rates.
    homicides = counts["homicide"]
    fy_homicides = int(homicides[fy_lo : fy_hi + 1].sum())
    homicide_targets = {
        **{f"homicide_{flag}": n for flag, n in cal.FY2122_HOMICIDE_FLAGS.items()},
        "homicide_under_25": cal.FY2122_HOMICIDE_VICTIM_UNDER_25,
    }
    for name, target in homicide_targets.items():
        rate = target / cal.FY2122_TARGETS["homicide"]
        quota = rng.binomial(homicides, rate)
        wanted = min(round_half_up(target * force.ratio["homicide"] * scale), fy_homicides)
        quota[fy_lo : fy_hi + 1] = rng.multivariate_hypergeometric(homicides[fy_lo : fy_hi + 1], wanted)
        quotas[name] = quota

    # Suspect ages and priority areas: their own generator, so the draws above (and every file written
    # before these quotas existed) stay as they were.
    extra = np.random.default_rng([seed, force.key, 3])

    def fixed_in_fy(parent: np.ndarray, target: int, ratio: float) -> np.ndarray:
        """A quota at target/parent-in-2021/22 elsewhere; exactly the (scaled) target in 2021/22."""
        fy_parent = int(parent[fy_lo : fy_hi + 1].sum())
        quota = extra.binomial(parent, min(1.0, target / fy_parent)) if fy_parent else parent * 0
        wanted = min(round_half_up(target * ratio * scale), fy_parent)
        quota[fy_lo : fy_hi + 1] = extra.multivariate_hypergeometric(parent[fy_lo : fy_hi + 1], wanted)
        return quota

    known = fixed_in_fy(homicides, FY2122_HOMICIDE_SUSPECT_AGE_KNOWN, force.ratio["homicide"])
    quotas["homicide_suspect_known"] = known
    quotas["homicide_suspect_under_25"] = fixed_in_fy(known, FY2122_HOMICIDE_SUSPECT_UNDER_25,
                                                      force.ratio["homicide"])
    quotas["homicide_impact_areas"] = fixed_in_fy(homicides, FY2122_HOMICIDE_IMPACT_AREAS, force.ratio["homicide"])
    quotas["theft_from_person_city_centre"] = fixed_in_fy(
        counts["theft_from_the_person"], FY2122_THEFT_FROM_PERSON_CITY_CENTRE, force.ratio["theft_from_the_person"])

    recorded = sum(counts.values())
    cancelled = rng.binomial(recorded, cal.CANCELLED_SHARE)
    # Sequence numbers restart each recording year; each month gets a block with ~20% slack, as
    # references are also taken by incidents that never become crimes.
    block = np.ceil((recorded + cancelled) * 1.25).astype(np.int64) + 1
    base = np.zeros_like(block)
    for i in range(1, block.size):
        same_year = timeline.months[i] // 12 == timeline.months[i - 1] // 12
        base[i] = base[i - 1] + block[i - 1] if same_year else 0
    return MonthlyPlan(timeline.months, counts, quotas, cancelled, base + 1, block)


# --- rows ---------------------------------------------------------------------------------------------

def _pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Exactly k row indices, weighted, without replacement.

    Fewer than k only if fewer rows are eligible, which happens at tiny scales, never at 1.0.
    """
    eligible = np.flatnonzero(weights > 0)
    k = min(int(k), eligible.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    # Efraimidis-Spirakis: the k largest log(u)/w are a weighted sample without replacement.
    keys = np.log(1.0 - rng.random(eligible.size)) / weights[eligible]
    if k == eligible.size:
        return eligible
    return eligible[np.argpartition(-keys, k - 1)[:k]]


def _ages(rng: np.random.Generator, model: str, n: int) -> np.ndarray:
    # Gamma tails are open-ended; no recorded victim is older than 99 here.
    return np.minimum(_ages_unclipped(rng, model, n), 99)


def _ages_unclipped(rng: np.random.Generator, model: str, n: int) -> np.ndarray:
    if model == "under_13":
        p = np.array([1, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8, 8], dtype=float)
        return rng.choice(13, size=n, p=p / p.sum())
    if model == "13_to_15":
        return rng.integers(13, 16, size=n)
    if model == "child":
        return rng.integers(0, 16, size=n)
    if model == "teen":
        return rng.integers(11, 17, size=n)
    if model == "13_plus":
        young = rng.random(n) < 0.25
        return np.where(young, rng.integers(13, 18, size=n), 18 + rng.gamma(1.8, 10.0, size=n).astype(int))
    if model == "16_plus":
        return 16 + rng.gamma(1.8, 9.0, size=n).astype(int)
    if model == "under_25":
        p = np.array([1, 2, 4, 7, 10, 12, 13, 13, 12, 11, 10, 9, 8, 7, 6], dtype=float)
        return 10 + rng.choice(15, size=n, p=p / p.sum())
    if model == "homicide_under_25":
        p = np.array([3, 1, 1, 0.5, 0.5] + [0.3] * 9 + [1, 2, 3, 4, 5, 5, 5, 4, 4, 3, 3])
        return rng.choice(25, size=n, p=p / p.sum())
    if model == "25_plus":
        return UNDER_25 + rng.gamma(1.4, 13.0, size=n).astype(int)
    # "adult": most victims are young adults, with some children and a long tail.
    child = rng.random(n) < 0.06
    return np.where(child, rng.integers(0, 16, size=n), 16 + rng.gamma(2.0, 11.0, size=n).astype(int))


def _lags(rng: np.random.Generator, model: np.ndarray) -> np.ndarray:
    """Days between committed and recorded date, per row, from each row's lag model."""
    names = list(LAG_MODELS)
    table = np.array([LAG_MODELS[name][:4] for name in names])
    longest = np.array([LAG_MODELS[name][4] for name in names], dtype=float)
    n = model.size
    cumulative = np.cumsum(table[model], axis=1)
    u = rng.random(n)
    component = (u[:, None] > cumulative).sum(axis=1)
    short = np.minimum(1 + rng.geometric(0.15, size=n), 30)
    long_max = np.maximum(longest[model], 31.0)
    long = np.floor(np.exp(rng.uniform(np.log(31.0), np.log(long_max + 1.0)))).astype(np.int64)
    return np.select([component == 0, component == 1, component == 2], [0, 1, short], default=long)


class _Tables:
    """Everything a month needs that does not change between months, as numpy lookups."""

    def __init__(self, force: ForceData) -> None:
        offences = force.offences
        self.categories = np.array([cal.CATEGORIES.index(o.category) for o in offences])
        # Object arrays: indexing them and turning the result into a list only copies pointers.
        self.code_field = np.array([_field(o.code) for o in offences], dtype=object)
        self.description_field = np.array([_field(o.description) for o in offences], dtype=object)
        codes = [o.code for o in offences]
        self.knife_selected = np.isin(codes, cal.KNIFE_SELECTED_OFFENCE_CODES)
        self.knife = np.array([KNIFE_PROPENSITY.get(c, 0.0) for c in codes]) * self.knife_selected
        self.knife_other = np.array([KNIFE_FLAG_OTHER.get(c, 0.0) for c in codes])
        self.online = np.array([ONLINE_PROPENSITY.get(c, 0.0) for c in codes])
        self.firearm = np.array([FIREARM_PROPENSITY.get(c, 0.0) for c in codes])
        self.is_34b = np.array([c == "34B" for c in codes])
        self.is_infanticide = np.array([c == "4.2" for c in codes])
        profiles = [PROFILES[c] for c in cal.CATEGORIES]
        self.domestic = np.array([p.domestic_abuse for p in profiles])
        self.organised = np.array([p.organised for p in profiles])
        self.drugs = np.array([p.drugs for p in profiles])
        self.alcohol = np.array([p.alcohol for p in profiles])
        self.centre = np.array([p.centre for p in profiles])
        lag_names = list(LAG_MODELS)
        self.lag = np.array([lag_names.index(p.lag) for p in profiles])
        age_models = [
            AGE_MODEL_BY_CODE[o.code] if o.code in AGE_MODEL_BY_CODE else PROFILES[o.category].age
            for o in offences
        ]
        self.age_model_names = sorted({m for m in age_models if m is not None})
        self.age_model = np.array([-1 if m is None else self.age_model_names.index(m) for m in age_models])
        self.homicide = cal.CATEGORIES.index("homicide")
        self.theft_from_person = cal.CATEGORIES.index("theft_from_the_person")
        # Per priority area: a mask over the force's LSOAs (empty when the force has none).
        areas = _priority_area_lsoas(force.slug, force.name)
        self.area_mask = {name: np.isin(force.lsoa_codes, sorted(codes)) for name, codes in areas.items()}
        self.lsoa_field = np.array([*force.lsoa_codes.tolist(), ""], dtype=object)
        self.unit_field = np.array([f"{u:02d}" for u in range(100)])
        self.age_field = np.array([str(a) for a in range(121)] + [""], dtype=object)
        self.flag_field = np.array(["N", "Y", ""], dtype=object)
        self.status_field = np.array(["RECORDED", "CANCELLED"], dtype=object)
        self.year_field = np.array([f"{y:02d}" for y in range(100)])


def _field(value: str) -> str:
    """A CSV field as the records system writes it: quoted only when it has to be."""
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


@cache
def _date_strings(first_ordinal: int, last_ordinal: int) -> np.ndarray:
    start = np.datetime64(date.fromordinal(first_ordinal), "D")
    days = np.arange(start, start + (last_ordinal - first_ordinal + 1))
    return np.datetime_as_string(days, unit="D").astype(object)


def _flag(rng: np.random.Generator, yes: np.ndarray) -> np.ndarray:
    """0 = N, 1 = Y, 2 = unknown (only ever replaces an N)."""
    unknown = rng.random(yes.size) < FLAG_UNKNOWN_SHARE
    return np.where(yes, 1, np.where(unknown, 2, 0))


def _month_rows(force: ForceData, tables: _Tables, plan: MonthlyPlan, position: int, seed: int) -> str:
    """One month's extract as CSV text (without the byte-order mark), rows in reference order."""
    month = int(plan.months[position])
    rng = np.random.default_rng([seed, force.key, 1, month])
    # suspect ages and priority areas draw from their own generator, so every other field is as it was
    extra = np.random.default_rng([seed, force.key, 2, month])

    # Offence codes: counted rows per category, then cancelled rows spread like the month's crimes.
    category_counts = np.array([plan.counts[c][position] for c in cal.CATEGORIES])
    n_cancelled = int(plan.cancelled[position])
    cancelled_counts = (
        rng.multinomial(n_cancelled, category_counts / category_counts.sum())
        if category_counts.sum()
        else np.zeros_like(category_counts)
    )
    pieces = []
    for status, per_category in ((0, category_counts), (1, cancelled_counts)):
        for category, n in zip(cal.CATEGORIES, per_category, strict=True):
            indices, probs = force.mix[category]
            if n and indices.size:
                pieces.append((np.repeat(indices, rng.multinomial(n, probs)), status))
    offence = np.concatenate([p for p, _ in pieces] or [np.zeros(0, dtype=np.int64)])
    status = np.concatenate([np.full(p.size, s) for p, s in pieces] or [np.zeros(0, dtype=np.int64)])
    n = offence.size
    category = tables.categories[offence]
    counted = status == 0

    # Flagged sub-populations: exactly the month's quota among the counted rows.
    knife = np.zeros(n, dtype=bool)
    knife[_pick(rng, tables.knife[offence] * counted, plan.quotas["knife"][position])] = True
    knife |= ~counted & (rng.random(n) < tables.knife[offence])
    knife |= ~tables.knife_selected[offence] & (rng.random(n) < tables.knife_other[offence])
    online = np.zeros(n, dtype=bool)
    online[_pick(rng, tables.online[offence] * counted, plan.quotas["online"][position])] = True
    online |= ~counted & (rng.random(n) < tables.online[offence])
    robbery_young = np.zeros(n, dtype=bool)
    robbery_young[_pick(rng, (tables.is_34b[offence] & counted).astype(float),
                        plan.quotas["robbery_under_25"][position])] = True

    homicide = (category == tables.homicide) & counted
    picked_homicide = {}
    for name in ("organised_crime_group", "domestic_abuse", "drugs_related", "alcohol_related", "under_25"):
        chosen = np.zeros(n, dtype=bool)
        # Infanticide victims are babies, so they are first in line for the under-25 quota.
        weights = homicide * (1.0 + 1e6 * tables.is_infanticide[offence]) if name == "under_25" else homicide
        chosen[_pick(rng, weights.astype(float), plan.quotas[f"homicide_{name}"][position])] = True
        picked_homicide[name] = chosen

    def rate_flag(rates: np.ndarray, name: str) -> np.ndarray:
        yes = rng.random(n) < rates[category]
        return np.where(homicide, picked_homicide[name], yes)

    domestic = rate_flag(tables.domestic, "domestic_abuse")
    organised = rate_flag(tables.organised, "organised_crime_group")
    drugs = rate_flag(tables.drugs, "drugs_related")
    alcohol = rate_flag(tables.alcohol, "alcohol_related")
    firearm = rng.random(n) < tables.firearm[offence]

    # Victim age: -1 for unknown or no personal victim.
    age = np.full(n, -1, dtype=np.int64)
    age_model = tables.age_model[offence]
    for index, name in enumerate(tables.age_model_names):
        rows = np.flatnonzero(age_model == index)
        if name == "robbery":
            young = rows[robbery_young[rows]]
            age[young] = _ages(rng, "under_25", young.size)
            rest = rows[~robbery_young[rows]]
            # Keep robbery's unknown ages at ~10% overall although the young ones are all known.
            unknown_share = min(0.9, VICTIM_AGE_UNKNOWN_SHARE * rows.size / max(rest.size, 1))
            rest = rest[rng.random(rest.size) >= unknown_share]
            age[rest] = _ages(rng, "25_plus", rest.size)
        elif name == "homicide":
            young = rows[picked_homicide["under_25"][rows] | ~counted[rows] & (rng.random(rows.size) < 0.15)]
            age[young] = _ages(rng, "homicide_under_25", young.size)
            age[young[tables.is_infanticide[offence[young]]]] = 0
            rest = np.setdiff1d(rows, young)
            # An infanticide outside the under-25 quota would need an adult victim: leave it unknown.
            rest = rest[~tables.is_infanticide[offence[rest]]]
            age[rest] = _ages(rng, "25_plus", rest.size)
        else:
            known = rows[rng.random(rows.size) >= VICTIM_AGE_UNKNOWN_SHARE]
            age[known] = _ages(rng, name, known.size)
    age = np.where(age >= 0, np.minimum(age, 120), 121)

    # Dates: recorded inside the month (fewer on Sundays, a Monday catch-up), committed before.
    first = _month_start(month)
    days = _days_in(month)
    weekday = np.array([date(first.year, first.month, d + 1).weekday() for d in range(days)])
    day_weight = np.array([1.10, 1.04, 1.00, 1.00, 1.00, 0.95, 0.88])[weekday]
    day = rng.choice(days, size=n, p=day_weight / day_weight.sum())
    recorded_ordinal = first.toordinal() + day
    lag = _lags(rng, tables.lag[category])
    committed_known = rng.random(n) >= COMMITTED_UNKNOWN_SHARE
    earliest = first.toordinal() - 3660
    dates = _date_strings(earliest, first.toordinal() + days)
    recorded_field = dates[recorded_ordinal - earliest]
    committed_field = np.where(committed_known, dates[recorded_ordinal - lag - earliest], "")

    # Place: city-centre categories lean harder on the busy LSOAs.
    n_lsoa = force.lsoa_codes.size
    if n_lsoa:
        centre = tables.centre[category]
        lsoa = np.where(
            centre,
            rng.choice(n_lsoa, size=n, p=force.lsoa_centre_weights),
            rng.choice(n_lsoa, size=n, p=force.lsoa_weights),
        )
        lsoa = np.where(rng.random(n) < LSOA_UNKNOWN_SHARE, n_lsoa, lsoa)
        lsoa = _place_in_priority_areas(force, tables, plan, position, extra, lsoa, category, counted)
        unit = np.where(lsoa < n_lsoa, force.lsoa_units[np.minimum(lsoa, n_lsoa - 1)],
                        force.lsoa_units[rng.integers(0, n_lsoa, size=n)])
    else:
        lsoa = np.full(n, 0)
        unit = np.full(n, 10)

    # Reference order follows recording order; sequence numbers are unique within the year.
    order = np.lexsort((rng.random(n), day))
    slots = np.sort(rng.choice(int(plan.sequence_block[position]), size=n, replace=False))
    sequence = np.empty(n, dtype=np.int64)
    sequence[order] = plan.sequence_base[position] + slots
    reference = np.strings.add(tables.unit_field[unit], force.initials + "/")
    reference = np.strings.add(reference, np.strings.zfill(sequence.astype(str), 7))
    reference = np.strings.add(reference, "/" + tables.year_field[(month // 12) % 100])

    columns = [
        reference,
        recorded_field,
        committed_field,
        tables.code_field[offence],
        tables.description_field[offence],
        tables.lsoa_field[lsoa],
        tables.age_field[age],
        tables.flag_field[_flag(rng, domestic)],
        tables.flag_field[_flag(rng, knife)],
        tables.flag_field[_flag(rng, firearm)],
        tables.flag_field[_flag(rng, online)],
        tables.flag_field[_flag(rng, organised)],
        tables.flag_field[_flag(rng, drugs)],
        tables.flag_field[_flag(rng, alcohol)],
        tables.status_field[status],
    ]
    header = COLUMNS
    if month >= _month_number(SUSPECT_AGE_FROM):
        columns.append(tables.age_field[_suspect_ages(tables, plan, position, extra, category, counted)])
        header = (*COLUMNS, SUSPECT_AGE_COLUMN)
    # Every field is already CSV-safe, so a row is a plain join; map/zip keep the loop in C.
    lines = map(",".join, zip(*(column[order].tolist() for column in columns), strict=True))
    return LINE_END.join([",".join(header), *lines]) + LINE_END


@cache
def _priority_area_lsoas(slug: str, name: str) -> dict[str, frozenset[str]]:
    """Priority area -> the force's LSOAs in it (PRIORITY_AREA_MSOAS); none for a force without areas."""
    areas = PRIORITY_AREA_MSOAS.get(slug, {})
    rows = _lsoa_lookup().get(name, [])
    return {area: frozenset(code for code, _, msoa in rows if msoa in msoas) for area, msoas in areas.items()}


def _place_in_priority_areas(force: ForceData, tables: _Tables, plan: MonthlyPlan, position: int,
                             rng: np.random.Generator, lsoa: np.ndarray, category: np.ndarray,
                             counted: np.ndarray) -> np.ndarray:
    """Exactly the month's quota of counted homicides in the impact areas and of counted thefts from the
    person in the city centre, the rest outside (a theft's unknown place stays unknown); a counted
    homicide always has a known place. Only rows in the wrong place move."""
    n_lsoa = force.lsoa_codes.size
    lsoa = lsoa.copy()
    for area, category_index, quota, known_place in (
            ("impact_areas", tables.homicide, "homicide_impact_areas", True),
            ("city_centre", tables.theft_from_person, "theft_from_person_city_centre", False)):
        mask = tables.area_mask.get(area)
        if mask is None or not mask.any():
            continue
        rows = np.flatnonzero((category == category_index) & counted)
        inside = np.zeros(rows.size, dtype=bool)
        inside[_pick(rng, np.ones(rows.size), plan.quotas[quota][position])] = True
        known = lsoa[rows] < n_lsoa
        in_area = known & mask[np.minimum(lsoa[rows], n_lsoa - 1)]
        weights = force.lsoa_centre_weights if area == "city_centre" else force.lsoa_weights
        for move, allowed in ((rows[inside & ~in_area], mask),
                              (rows[~inside & (in_area | (~known & known_place))], ~mask)):
            if move.size:
                w = weights * allowed
                lsoa[move] = rng.choice(n_lsoa, size=move.size, p=w / w.sum())
    return lsoa


def _suspect_ages(tables: _Tables, plan: MonthlyPlan, position: int, rng: np.random.Generator,
                  category: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """Youngest suspect's age per row as an index into tables.age_field (121: empty). Counted homicides:
    exactly the month's quota with an age, and of those exactly its quota under 25."""
    n = category.size
    ages = np.full(n, 121, dtype=np.int64)
    known = rng.random(n) < SUSPECT_AGE_KNOWN_SHARE
    young_adult = 10 + rng.gamma(2.2, 7.0, size=n).astype(np.int64)
    ages = np.where(known, np.minimum(young_adult, 99), ages)
    homicides = np.flatnonzero((category == tables.homicide) & counted)
    ages[homicides] = 121
    with_age = homicides[_pick(rng, np.ones(homicides.size), plan.quotas["homicide_suspect_known"][position])]
    under_25 = np.zeros(with_age.size, dtype=bool)
    under_25[_pick(rng, np.ones(with_age.size), plan.quotas["homicide_suspect_under_25"][position])] = True
    ages[with_age[under_25]] = rng.integers(14, 25, size=int(under_25.sum()))
    ages[with_age[~under_25]] = np.minimum(25 + rng.gamma(1.6, 9.0, size=int((~under_25).sum())).astype(np.int64), 99)
    return ages


def write_crime_extracts(
    out_dir: Path,
    force_slug: str = cal.CALIBRATED_FORCE_SLUG,
    first_month: str = cal.DEFAULT_FIRST_MONTH,
    last_month: str = cal.DEFAULT_LAST_MONTH,
    scale: float = 1.0,
    seed: int = 20220331,
) -> list[Path]:
    """Write one recorded-crime extract per month to ``out_dir/force/crimes``; return the paths.

    At scale 1.0 for west-midlands the calibrated windows match the published figures exactly;
    other scales multiply every count (proportions hold, exactness does not). Same arguments, same
    bytes.
    """
    first, last = _month_number(first_month), _month_number(last_month)
    if first > last:
        raise ValueError(f"first_month {first_month} is after last_month {last_month}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    force = load_force(force_slug)
    plan = build_plan(force_slug, first_month, last_month, float(scale), int(seed))
    tables = _Tables(force)
    folder = Path(out_dir) / "force" / "crimes"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for position, month in enumerate(plan.months):
        if not first <= month <= last:
            continue
        text = _month_rows(force, tables, plan, position, int(seed))
        path = folder / f"{force_slug}-crimes-{_month_text(int(month))}.csv"
        path.write_bytes((BYTE_ORDER_MARK + text).encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write sample recorded-crime extracts in the landing layout.")
    parser.add_argument("--out", type=Path, required=True, help="landing root; files go to OUT/force/crimes")
    parser.add_argument("--force", default=cal.CALIBRATED_FORCE_SLUG, help="data.police.uk force slug")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count (default 1.0)")
    parser.add_argument("--first-month", default=cal.DEFAULT_FIRST_MONTH)
    parser.add_argument("--last-month", default=cal.DEFAULT_LAST_MONTH)
    parser.add_argument("--seed", type=int, default=20220331)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write_crime_extracts(args.out, args.force, args.first_month, args.last_month, args.scale, args.seed)
    elapsed = time.perf_counter() - started
    total_rows = 0
    total_bytes = 0
    for path in paths:
        rows = path.read_bytes().count(b"\r\n") - 1
        total_rows += rows
        total_bytes += path.stat().st_size
        print(f"{path}  {rows} rows")
    print(f"wrote {len(paths)} files, {total_rows} rows, {total_bytes / 1e6:.1f} MB in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
