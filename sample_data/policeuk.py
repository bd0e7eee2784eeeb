"""Sample data.police.uk archive files for one force: stop and search and street-level crime.

Writes, under the landing folder ``out_dir``::

    policeuk/<YYYY-MM>/<YYYY-MM>-<force>-stop-and-search.csv
    policeuk/<YYYY-MM>/<YYYY-MM>-<force>-street.csv

in the real published layouts (see ``assets/policeuk/parser.py``).

Stop and search
---------------
Searches are generated per financial year from an exact plan (``FY_PLANS``), so that the
West Midlands Police figures in the PCC annual report 2021/22 come out of the files when
searches are counted by Europe/London month. Files are cut by UTC month, which is how the
local-month rule shows: a search at 00:30 BST on 1 April 2021 is written as
``2021-03-31T23:30:00+00:00`` in the March 2021 file but counts for April, so for 2021/22.
Every month from April to October (British Summer Time) gets a few such searches.

Definitions the plan satisfies (each financial year, April to March, by local month):

- positive outcome rate = searches with a recorded outcome other than no further action /
  searches with a recorded outcome;
- section 60 = searches under Criminal Justice and Public Order Act 1994 (section 60); they are
  searches for ``Offensive weapons``;
- find rate for an object = searches for that object with "Outcome linked to object of search"
  True / all searches for that object (drugs = ``Controlled drugs``, knives = ``Offensive
  weapons`` including section 60 searches, firearms = ``Firearms``);
- search ratio for a group = (searches of the group / residents of the group in the seven West
  Midlands authorities) / (the same for White), the group being self-defined ethnicity,
  officer-defined where self-defined is empty; vehicle-only searches are Not stated. The
  populations are the Census in force for the year (the KPI config's census_2021_from,
  2023-03-31): up to 2021/22 the real Census 2011 KS201EW figures bundled in
  ``sample_data/real/ons-census/`` (White 1,919,138, Asian 514,981, Black 164,069), from 2022/23
  ``sample_data.census.west_midlands_group_populations()`` (Census 2021, approximate: White
  1,806,317, Asian 667,054, Black 234,100).

Exact counts chosen (N searches, V vehicle-only, E without an outcome, P positive of N - E,
S section 60; find = linked True / searches for the object; ethnic group counts):

========  ======  =====  =====  =====  ===  ====================  ====================  ================
FY        N       V      E      P      S    drugs                 weapons (incl. s60)   firearms
========  ======  =====  =====  =====  ===  ====================  ====================  ================
2018/19   13,200    924    792  3,350  120  2,090/6,942  = 30.1%  359/2,364  = 15.2%    74/924    = 8.0%
2019/20   19,800  1,386  1,188  4,932  334  3,180/10,259 = 31.0%  574/3,700  = 15.5%    97/1,386  = 7.0%
2020/21   28,400  1,988  1,704  7,074   95  4,877/15,099 = 32.3%  827/4,923  = 16.8%   153/1,988  = 7.7%
2021/22   21,480  1,504  1,289  5,492  535  3,769/10,956 = 34.4%  565/4,187  = 13.5%   143/1,504  = 9.5%
2022/23   17,600  1,232  1,056  4,732  210  3,222/9,206  = 35.0%  448/3,202  = 14.0%   126/1,232  = 10.2%
========  ======  =====  =====  =====  ===  ====================  ====================  ================

Positive outcome rate P / (N - E): 2018/19 3,350/12,408 = 27.0%; 2019/20 4,932/18,612 = 26.5%;
2020/21 7,074/26,696 = 26.5%; 2021/22 5,492/20,191 = 27.2%; 2022/23 4,732/16,544 = 28.6%.

Ethnic groups (White, Asian, Black, Mixed, Other; the rest Not stated) and ratios Asian, Black:
2018/19 4,559, 2,814, 1,403, 614, 368 -> 2.3, 3.6; 2019/20 6,694, 4,311, 2,117, 921, 552 -> 2.4,
3.7; 2020/21 9,213, 6,428, 3,072, 1,321, 792 -> 2.6, 3.9; 2021/22 6,692, 4,848, 2,517, 999, 599
-> 2.7, 4.4 (Census 2011); 2022/23 5,705, 5,267, 3,105, 818, 491 -> 2.5, 4.2 (Census 2021).

Published (annual report) figures reproduced: 2021/22 27.2%, 535, 34.4%, 13.5%, 9.5%, Asian 2.7,
Black 4.4; 2020/21 26.5%, 95, 32.3%, 16.8%, 7.7%, Asian 2.6, Black 3.9; 2019/20 26.5%, 334.
2018/19 and 2022/23 are not published there and are plausible values only.

The West Midlands files mirror the real 2018 ones: Gender is empty for every search before
April 2019 (and for some after), officer-defined ethnicity is often empty, and some searches
are vehicle-only with every person field empty.

Street-level crime
------------------
About 21,000 to 27,000 crimes a month (the force's recorded-crime volume) plus about 4,000
anti-social behaviour reports (more in the spring 2020 lockdown), across the force's LSOAs;
about 3% of rows with a location fall in another force's LSOA (mostly the neighbouring forces),
a few are in LSOAs the third-party LSOA lookup gives no force (the warehouse's geography gives
them their district's force), and a few have no location at all.
``scale`` multiplies the street-level volume only (for quick runs); stop and search is never
scaled, because its counts are the calibration. At the default full volume the street files are
about 6.5 MB a month: the 60 default months are about 380 MB and take about 50 seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from assets.lib.reference_data import FORCES_CSV, LSOA_LOOKUP_CSV
from assets.policeuk.parser import STOP_AND_SEARCH_COLUMNS, STREET_COLUMNS
from sample_data.census import west_midlands_group_populations

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

# The published layouts, as the pipeline's parser reads them.
STOP_AND_SEARCH_HEADER = list(STOP_AND_SEARCH_COLUMNS)
STREET_HEADER = list(STREET_COLUMNS)


@dataclass(frozen=True)
class FyPlan:
    """Exact counts of one financial year's searches (see the module docstring)."""

    searches: int
    vehicle_only: int
    outcome_missing: int
    positive: int
    objects: dict[str, int]  # "section 60" is a search for Offensive weapons under section 60
    linked: dict[str, int]  # "Offensive weapons" counts section 60 searches too
    ethnic: dict[str, int]  # person searches; the rest are Not stated


_OBJECTS = (
    "Controlled drugs",
    "Offensive weapons",
    "section 60",
    "Firearms",
    "Stolen goods",
    "Article for use in theft",
    "Articles for use in criminal damage",
)


def _plan(
    n: int, v: int, e: int, p: int, objects: tuple[int, ...], linked: tuple[int, ...], ethnic: tuple[int, ...]
) -> FyPlan:
    linked_objects = tuple(name for name in _OBJECTS if name != "section 60")
    return FyPlan(
        searches=n,
        vehicle_only=v,
        outcome_missing=e,
        positive=p,
        objects=dict(zip(_OBJECTS, objects, strict=True)),
        linked=dict(zip(linked_objects, linked, strict=True)),
        ethnic=dict(zip(("White", "Asian", "Black", "Mixed", "Other"), ethnic, strict=True)),
    )


FY_PLANS: dict[str, FyPlan] = {
    # fy: N, V, E, P, objects (drugs, weapons PACE, s60, firearms, stolen, theft, damage),
    #     linked True (drugs, weapons incl. s60, firearms, stolen, theft, damage),
    #     ethnic (White, Asian, Black, Mixed, Other)
    "2018-19": _plan(13200, 924, 792, 3350, (6942, 2244, 120, 924, 1452, 1320, 198),
                     (2090, 359, 74, 116, 79, 10), (4559, 2814, 1403, 614, 368)),
    "2019-20": _plan(19800, 1386, 1188, 4932, (10259, 3366, 334, 1386, 2178, 1980, 297),
                     (3180, 574, 97, 174, 119, 15), (6694, 4311, 2117, 921, 552)),
    "2020-21": _plan(28400, 1988, 1704, 7074, (15099, 4828, 95, 1988, 3124, 2840, 426),
                     (4877, 827, 153, 250, 170, 21), (9213, 6428, 3072, 1321, 792)),
    "2021-22": _plan(21480, 1504, 1289, 5492, (10956, 3652, 535, 1504, 2363, 2148, 322),
                     (3769, 565, 143, 189, 129, 16), (6692, 4848, 2517, 999, 599)),
    "2022-23": _plan(17600, 1232, 1056, 4732, (9206, 2992, 210, 1232, 1936, 1760, 264),
                     (3222, 448, 126, 155, 106, 13), (5705, 5267, 3105, 818, 491)),
}  # fmt: skip

_LEGISLATION = {
    "Controlled drugs": "Misuse of Drugs Act 1971 (section 23)",
    "Offensive weapons": "Police and Criminal Evidence Act 1984 (section 1)",
    "section 60": "Criminal Justice and Public Order Act 1994 (section 60)",
    "Firearms": "Firearms Act 1968 (section 47)",
    "Stolen goods": "Police and Criminal Evidence Act 1984 (section 1)",
    "Article for use in theft": "Police and Criminal Evidence Act 1984 (section 1)",
    "Articles for use in criminal damage": "Police and Criminal Evidence Act 1984 (section 1)",
}

# Self-defined categories (the 2011 Census list as data.police.uk writes it) and their weights
# within each group; West Midlands' Asian searches are mostly of Pakistani people.
_SELF_DEFINED: dict[str, tuple[tuple[str, float], ...]] = {
    "White": (
        ("White - English/Welsh/Scottish/Northern Irish/British", 0.80),
        ("White - Irish", 0.02),
        ("White - Gypsy or Irish Traveller", 0.01),
        ("White - Any other White background", 0.17),
    ),
    "Asian": (
        ("Asian/Asian British - Pakistani", 0.50),
        ("Asian/Asian British - Indian", 0.17),
        ("Asian/Asian British - Bangladeshi", 0.08),
        ("Asian/Asian British - Chinese", 0.02),
        ("Asian/Asian British - Any other Asian background", 0.23),
    ),
    "Black": (
        ("Black/African/Caribbean/Black British - Caribbean", 0.46),
        ("Black/African/Caribbean/Black British - African", 0.34),
        ("Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", 0.20),
    ),
    "Mixed": (
        ("Mixed/Multiple ethnic groups - White and Black Caribbean", 0.55),
        ("Mixed/Multiple ethnic groups - White and Asian", 0.14),
        ("Mixed/Multiple ethnic groups - White and Black African", 0.09),
        ("Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", 0.22),
    ),
    "Other": (
        ("Other ethnic group - Any other ethnic group", 0.65),
        ("Other ethnic group - Arab", 0.35),
    ),
}
_OFFICER_SEEN_AS = {  # what an officer records for a person of each self-defined group
    "White": (("White", 0.97), ("Other", 0.03)),
    "Asian": (("Asian", 0.93), ("Other", 0.05), ("White", 0.02)),
    "Black": (("Black", 0.97), ("Other", 0.03)),
    "Mixed": (("Black", 0.45), ("White", 0.25), ("Mixed", 0.20), ("Asian", 0.10)),
    "Other": (("Other", 0.55), ("Asian", 0.25), ("White", 0.20)),
}
_POSITIVE_OUTCOMES = (
    ("Arrest", 0.44),
    ("Community resolution", 0.22),
    ("Summons / charged by post", 0.10),
    ("Penalty Notice for Disorder", 0.06),
    ("Caution (simple or conditional)", 0.05),
    ("Khat or Cannabis warning", 0.13),
)
_AGE_RANGES = (("under 10", 0.002), ("10-17", 0.13), ("18-24", 0.31), ("25-34", 0.25), ("over 34", 0.17), ("", 0.138))
# Searches peak in the evening; weights per local hour 0..23.
_HOUR_WEIGHTS = np.array([5, 4, 3, 2, 1, 1, 1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 8, 8, 8, 8, 7, 6], dtype=float)

# Recorded crime per month and the share of each data.police.uk category (West Midlands-like).
_CRIME_MIX = (
    ("Violence and sexual offences", 0.395),
    ("Public order", 0.105),
    ("Vehicle crime", 0.095),
    ("Criminal damage and arson", 0.085),
    ("Other theft", 0.075),
    ("Burglary", 0.07),
    ("Shoplifting", 0.06),
    ("Robbery", 0.04),
    ("Other crime", 0.03),
    ("Drugs", 0.02),
    ("Theft from the person", 0.012),
    ("Possession of weapons", 0.008),
    ("Bicycle theft", 0.005),
)
_OUTCOMES_STREET = (
    ("Investigation complete; no suspect identified", 0.38),
    ("Unable to prosecute suspect", 0.30),
    ("Under investigation", 0.06),
    ("Status update unavailable", 0.05),
    ("Awaiting court outcome", 0.03),
    ("Court result unavailable", 0.03),
    ("Local resolution", 0.03),
    ("Further investigation is not in the public interest", 0.02),
    ("Action to be taken by another organisation", 0.02),
    ("Offender given a caution", 0.015),
    ("Formal action is not in the public interest", 0.015),
    ("Offender given community sentence", 0.01),
    ("Offender sent to prison", 0.01),
    ("Offender fined", 0.008),
    ("Suspect charged as part of another case", 0.007),
    ("Offender given a drugs possession warning", 0.005),
    ("Offender given penalty notice", 0.005),
)
_PLACES = (
    "Supermarket", "Parking Area", "Petrol Station", "Shopping Area", "Sports/Recreation Area",
    "Nightclub", "Bus/Coach Station", "Further/Higher Educational Building", "Hospital", "Park/Open Space",
    "Conference/Exhibition Centre", "Theatre/Concert Hall", "Pedestrian Subway", "Police Station",
)  # fmt: skip
_STREET_STEMS = (
    "Grove", "Church", "Station", "Park", "Mill", "High", "Victoria", "Albert", "Oak", "Elm", "Birch", "Cedar",
    "Willow", "Meadow", "Springfield", "Green", "Brook", "Hill", "Chapel", "School", "Coventry", "Stratford",
    "Warwick", "Soho", "Lodge", "Moor", "Heath", "Wood", "Farm", "Queens", "Kings", "Windsor", "York",
    "Clarence", "Stanley", "Holly", "Hawthorn", "Beech", "Rose", "Sandy", "Bristol", "Pershore", "Alcester",
    "Moseley", "Washwood", "Bordesley", "Dudley", "Walsall", "Wolverhampton", "Tettenhall", "Bilston",
)  # fmt: skip
_STREET_KINDS = ("Road", "Street", "Lane", "Close", "Avenue", "Drive", "Way", "Crescent", "Grove", "Place")

# Approximate centroids (latitude, longitude) to place LSOAs; the lookup has no coordinates.
_LA_CENTROIDS = {
    "Birmingham": (52.48, -1.89), "Coventry": (52.41, -1.51), "Dudley": (52.50, -2.09),
    "Sandwell": (52.51, -2.00), "Solihull": (52.41, -1.76), "Walsall": (52.59, -1.98),
    "Wolverhampton": (52.59, -2.13), "Cannock Chase": (52.69, -2.03), "East Staffordshire": (52.80, -1.75),
    "Lichfield": (52.68, -1.83), "Newcastle-under-Lyme": (53.00, -2.28), "South Staffordshire": (52.62, -2.18),
    "Stafford": (52.80, -2.12), "Staffordshire Moorlands": (53.10, -2.02), "Stoke-on-Trent UA": (53.00, -2.18),
    "Tamworth": (52.63, -1.69), "North Warwickshire": (52.57, -1.60), "Nuneaton and Bedworth": (52.52, -1.47),
    "Rugby": (52.37, -1.26), "Herefordshire, County of UA": (52.06, -2.72), "Shropshire UA": (52.62, -2.80),
    "Telford and Wrekin UA": (52.68, -2.45), "Bromsgrove": (52.33, -2.06), "Redditch": (52.30, -1.94),
    "Worcester": (52.19, -2.22), "Wyre Forest": (52.39, -2.25), "Warwick": (52.28, -1.58),
    "Stratford-on-Avon": (52.19, -1.71),
}  # fmt: skip
_REGION_CENTROIDS = {
    "NORTH EAST": (54.9, -1.6), "NORTH WEST": (53.6, -2.6), "YORKSHIRE AND THE HUMBER": (53.7, -1.3),
    "EAST MIDLANDS": (52.9, -1.1), "WEST MIDLANDS": (52.5, -2.0), "EAST": (52.2, 0.4),
    "LONDON": (51.5, -0.12), "SOUTH EAST": (51.3, -0.8), "SOUTH WEST": (50.9, -3.2),
}  # fmt: skip
_WEST_MIDLANDS_NEIGHBOURS = ("Staffordshire", "Warwickshire", "West Mercia")
# Authorities next to the West Midlands whose LSOAs the lookup leaves without a force.
_NEARBY_NO_FORCE_LAS = ("Bromsgrove", "Redditch", "Warwick", "Stratford-on-Avon", "Worcester", "Wyre Forest")


def _months(first_month: str, last_month: str) -> list[dt.date]:
    start = dt.datetime.strptime(first_month, "%Y-%m").date()
    end = dt.datetime.strptime(last_month, "%Y-%m").date()
    months = []
    while start <= end:
        months.append(start)
        start = _next_month(start)
    return months


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _financial_year(month: dt.date) -> str:
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _local_midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def _pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...], size: int) -> np.ndarray:
    labels = np.array([label for label, _ in options], dtype=object)
    weights = np.array([weight for _, weight in options], dtype=float)
    return labels[rng.choice(len(labels), size=size, p=weights / weights.sum())]


@dataclass
class _Force:
    slug: str
    code: str
    name: str
    home_office_name: str


def _force(slug: str) -> _Force:
    forces = pd.read_csv(FORCES_CSV, dtype=str, keep_default_na=False)
    row = forces[forces["slug"] == slug]
    if row.empty:
        raise ValueError(f"unknown force slug {slug!r}")
    first = row.iloc[0]
    return _Force(slug, first["force_code"], first["force_name"], first["home_office_force_name"])


def _lsoas() -> pd.DataFrame:
    lookup = pd.read_csv(LSOA_LOOKUP_CSV, dtype=str, keep_default_na=False)
    lookup = lookup.rename(
        columns={
            "Region name": "region",
            "Local authority name": "la",
            "LSOA Code": "lsoa_code",
            "LSOA Name": "lsoa_name",
            "Police_force": "force",
        }
    )[["region", "la", "lsoa_code", "lsoa_name", "force"]]
    return lookup.sort_values("lsoa_code", kind="stable").reset_index(drop=True)


def _place_lsoas(lsoas: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Give every LSOA a fixed pseudo-centroid near its authority (or region) centre."""
    centre = [
        _LA_CENTROIDS.get(la, _REGION_CENTROIDS.get(region, (52.5, -1.9)))
        for la, region in zip(lsoas["la"], lsoas["region"], strict=True)
    ]
    spread = np.where(lsoas["la"].isin(list(_LA_CENTROIDS)).to_numpy(), 0.035, 0.25)
    lsoas = lsoas.copy()
    lsoas["lat"] = np.array([c[0] for c in centre]) + rng.normal(0, 1, len(lsoas)) * spread
    lsoas["lon"] = np.array([c[1] for c in centre]) + rng.normal(0, 1, len(lsoas)) * spread * 1.6
    return lsoas


# --------------------------------------------------------------------------------------------
# Stop and search


def _fy_months(fy: str) -> list[dt.date]:
    start = int(fy[:4])
    return [dt.date(start + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def _plan_for(fy: str) -> FyPlan:
    if fy in FY_PLANS:
        return FY_PLANS[fy]
    # Outside the planned years: reuse the nearest planned year's profile.
    keys = sorted(FY_PLANS)
    return FY_PLANS[keys[0] if fy < keys[0] else keys[-1]]


def _fy_searches(plan: FyPlan, rng: np.random.Generator) -> pd.DataFrame:
    """One financial year's searches with exactly the plan's counts, in random order."""
    n = plan.searches
    objects = np.concatenate([np.full(count, name, dtype=object) for name, count in plan.objects.items()])
    if len(objects) != n:
        raise ValueError("plan objects do not add up to the searches")
    objects = objects[rng.permutation(n)]
    is_s60 = objects == "section 60"
    object_of_search = np.where(is_s60, "Offensive weapons", objects)

    linked = np.zeros(n, dtype=bool)
    for name, count in plan.linked.items():
        candidates = np.flatnonzero(object_of_search == name)
        linked[rng.choice(candidates, size=count, replace=False)] = True

    # Outcomes: every linked find is positive; the other positives, the no-further-action
    # searches and those without an outcome are spread over the remaining searches.
    outcome_kind = np.full(n, "nfa", dtype=object)
    outcome_kind[linked] = "positive"
    unlinked = rng.permutation(np.flatnonzero(~linked))
    extra_positive = plan.positive - int(linked.sum())
    if extra_positive < 0:
        raise ValueError("plan has more finds than positive outcomes")
    outcome_kind[unlinked[: plan.outcome_missing]] = "missing"
    outcome_kind[unlinked[plan.outcome_missing : plan.outcome_missing + extra_positive]] = "positive"

    # Section 60 searches are of people, so vehicle-only searches come from the others.
    vehicle_only = np.zeros(n, dtype=bool)
    vehicle_only[rng.choice(np.flatnonzero(~is_s60), size=plan.vehicle_only, replace=False)] = True

    group = np.full(n, "Not stated", dtype=object)
    person = rng.permutation(np.flatnonzero(~vehicle_only))
    start = 0
    for name, count in plan.ethnic.items():
        group[person[start : start + count]] = name
        start += count
    if start > len(person):
        raise ValueError("plan has more person searches by group than person searches")

    return pd.DataFrame(
        {
            "object": objects,
            "object_of_search": object_of_search,
            "linked": linked,
            "outcome_kind": outcome_kind,
            "vehicle_only": vehicle_only,
            "group": group,
        }
    )


def _search_times(local_months: np.ndarray, rng: np.random.Generator, earliest_utc: dt.datetime) -> list[dt.datetime]:
    """A UTC time for each search inside its local month, a few of them within an hour of the
    month's edges so that UTC and local months differ."""
    times: list[dt.datetime] = [earliest_utc] * len(local_months)
    for month in sorted(set(local_months.tolist())):
        rows = np.flatnonzero(local_months == month)
        start = max(_local_midnight_utc(month), earliest_utc)
        end = _local_midnight_utc(_next_month(month))
        day = rng.integers(0, (_next_month(month) - month).days, size=len(rows))
        hour = rng.choice(24, size=len(rows), p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
        minute = np.where(rng.random(len(rows)) < 0.3, 0, rng.integers(0, 60, size=len(rows)))
        month_start_local = dt.datetime(month.year, month.month, 1)
        for i, row in enumerate(rows):
            local = month_start_local + dt.timedelta(days=int(day[i]), hours=int(hour[i]), minutes=int(minute[i]))
            instant = local.replace(tzinfo=LONDON).astimezone(UTC)
            if not start <= instant < end:  # fell past the month end (or before the earliest)
                instant = start + dt.timedelta(minutes=int(rng.integers(0, int((end - start).total_seconds() // 60))))
            times[row] = instant
        # Edge cases on purpose: the first local hour of the month (the previous UTC day in
        # summer time) and the last local hour of the month.
        edge = rng.choice(rows, size=min(len(rows), 6), replace=False)
        last_hour = end - dt.timedelta(hours=1)
        for k, row in enumerate(edge):
            base = _local_midnight_utc(month) if k < 3 else last_hour
            instant = base + dt.timedelta(minutes=int(rng.integers(0, 60)))
            if instant >= earliest_utc:
                times[row] = instant
    return times


def _render_searches(frame: pd.DataFrame, rng: np.random.Generator, lsoas: pd.DataFrame) -> pd.DataFrame:
    n = len(frame)
    person = ~frame["vehicle_only"].to_numpy()
    group = frame["group"].to_numpy()
    local_month = frame["local_month"].to_numpy()

    search_type = np.where(
        person, np.where(rng.random(n) < 0.16, "Person and Vehicle search", "Person search"), "Vehicle search"
    )
    gender = _pick(rng, (("Male", 0.89), ("Female", 0.10), ("Other", 0.01)), n)
    # West Midlands published no Gender before 2019/20 (as in the real 2018 files).
    no_gender = (local_month < dt.date(2019, 4, 1)) | (rng.random(n) < 0.02) | ~person
    gender = np.where(no_gender, "", gender)
    age = np.where(person, _pick(rng, _AGE_RANGES, n), "")

    self_defined = np.full(n, "", dtype=object)
    officer = np.full(n, "", dtype=object)
    for name, options in _SELF_DEFINED.items():
        rows = np.flatnonzero(group == name)
        self_defined[rows] = _pick(rng, options, len(rows))
        seen = _pick(rng, _OFFICER_SEEN_AS[name], len(rows))
        # Officer-defined is filled for about half the searches; where self-defined is empty
        # (about 5%) it is the only ethnicity and decides the group.
        fallback = rng.random(len(rows)) < 0.05
        with_officer = fallback | (rng.random(len(rows)) < 0.5)
        officer[rows] = np.where(with_officer, np.where(fallback, name, seen), "")
        self_defined[rows[fallback]] = ""
    not_stated = np.flatnonzero((group == "Not stated") & person)
    self_defined[not_stated] = np.where(rng.random(len(not_stated)) < 0.55, "Other ethnic group - Not stated", "")

    kind = frame["outcome_kind"].to_numpy()
    obj = frame["object_of_search"].to_numpy()
    positive_outcome = _pick(rng, _POSITIVE_OUTCOMES, n)
    not_drugs = (obj != "Controlled drugs") & (positive_outcome == "Khat or Cannabis warning")
    positive_outcome = np.where(not_drugs, "Arrest", positive_outcome)
    outcome = np.select(
        [kind == "positive", kind == "nfa"], [positive_outcome, "A no further action disposal"], default=""
    )
    linked = frame["linked"].to_numpy()
    # The sample force records the link for every search (True or False): find rates are reported only
    # where it is recorded for 95% of the searches, as the annual report's figures for the force are.
    # The draw that once blanked 40% of the no-further-action links is kept so the rest of the random
    # stream, and every other calibrated figure, stays as it was.
    rng.random(n)
    linked_text = np.where(linked, "True", "False")
    removal = np.where(person, _pick(rng, (("False", 0.88), ("True", 0.03), ("", 0.09)), n), "")

    places = lsoas.iloc[rng.integers(0, len(lsoas), size=n)]
    located = rng.random(n) >= 0.04
    lat = places["lat"].to_numpy() + rng.normal(0, 0.004, n)
    lon = places["lon"].to_numpy() + rng.normal(0, 0.006, n)

    return pd.DataFrame(
        {
            "Type": search_type,
            "Date": frame["searched_at"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_numpy(),
            "Part of a policing operation": "",
            "Policing operation": "",
            "Latitude": np.where(located, np.char.mod("%.6f", lat), ""),
            "Longitude": np.where(located, np.char.mod("%.6f", lon), ""),
            "Gender": gender,
            "Age range": age,
            "Self-defined ethnicity": self_defined,
            "Officer-defined ethnicity": officer,
            "Legislation": [_LEGISLATION[o] for o in frame["object"]],
            "Object of search": obj,
            "Outcome": outcome,
            "Outcome linked to object of search": linked_text,
            "Removal of more than just outer clothing": removal,
        }
    )


def _write_csv(path: Path, header: list[str], frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, columns=header, index=False, lineterminator="\n", encoding="utf-8")


def _write_stop_and_search(
    out_dir: Path, force: _Force, months: list[dt.date], rng: np.random.Generator, lsoas: pd.DataFrame
) -> list[Path]:
    earliest = dt.datetime(months[0].year, months[0].month, 1, tzinfo=UTC)
    wanted = set(months)
    parts = []
    for fy in sorted({_financial_year(m) for m in months}):
        plan = _plan_for(fy)
        frame = _fy_searches(plan, rng)
        fy_months = _fy_months(fy)
        # More searches in the summer; the plan fixes the year's totals, not the months'.
        weights = 1.0 + 0.12 * np.sin((np.arange(12) - 1) / 12 * 2 * np.pi)
        month_index = rng.choice(12, size=len(frame), p=weights / weights.sum())
        frame["local_month"] = np.array(fy_months, dtype=object)[month_index]
        frame = frame[frame["local_month"].isin(wanted)].reset_index(drop=True)
        frame["searched_at"] = _search_times(frame["local_month"].to_numpy(), rng, earliest)
        parts.append(_render_searches(frame, rng, lsoas).assign(_at=frame["searched_at"]))
    searches = pd.concat(parts, ignore_index=True).sort_values("_at", kind="stable")
    file_month = searches["_at"].map(lambda t: dt.date(t.year, t.month, 1))
    paths = []
    for month in months:
        path = out_dir / "policeuk" / f"{month:%Y-%m}" / f"{month:%Y-%m}-{force.slug}-stop-and-search.csv"
        _write_csv(path, STOP_AND_SEARCH_HEADER, searches[file_month == month])
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------
# Street-level crime


def _monthly_volume(month: dt.date) -> tuple[float, float]:
    """Expected recorded crimes and anti-social behaviour reports in a month."""
    index = (month.year - 2018) * 12 + month.month - 4
    crimes = 21_000 + 100 * index  # recorded crime rose steadily (better recording, CONNECT)
    crimes *= 1.0 + 0.05 * np.sin((month.month - 4) / 12 * 2 * np.pi)
    asb = 4_000.0
    if dt.date(2020, 4, 1) <= month <= dt.date(2020, 6, 1):  # first lockdown: crime down, ASB up
        crimes *= 0.78
        asb = 8_500.0
    elif dt.date(2021, 1, 1) <= month <= dt.date(2021, 2, 1):
        crimes *= 0.88
        asb = 6_000.0
    return crimes, asb


def _write_street(
    out_dir: Path,
    force: _Force,
    months: list[dt.date],
    rng: np.random.Generator,
    lsoas: pd.DataFrame,
    scale: float,
) -> list[Path]:
    own = lsoas[lsoas["force"] == force.home_office_name].reset_index(drop=True)
    if own.empty:
        raise ValueError(f"no LSOAs for {force.home_office_name!r} in the lookup")
    # City-centre and deprived LSOAs carry far more crime than the rest.
    own_weight = rng.lognormal(0.0, 0.7, len(own))
    own_weight /= own_weight.sum()
    others = lsoas[(lsoas["force"] != "") & (lsoas["force"] != force.home_office_name)]
    near = others[others["force"].isin(_WEST_MIDLANDS_NEIGHBOURS)].reset_index(drop=True)
    far = others[~others["force"].isin(_WEST_MIDLANDS_NEIGHBOURS)].reset_index(drop=True)
    unknown = lsoas[(lsoas["force"] == "") & lsoas["la"].isin(_NEARBY_NO_FORCE_LAS)].reset_index(drop=True)
    street_names = np.array(
        [f"{stem} {kind}" for stem in _STREET_STEMS for kind in _STREET_KINDS] + list(_PLACES), dtype=object
    )
    reported_by = force.name

    paths = []
    for month in months:
        crimes, asb = _monthly_volume(month)
        n_crime = int(rng.poisson(crimes * scale))
        n_asb = int(rng.poisson(asb * scale))
        n = n_crime + n_asb
        crime_type = np.concatenate([_pick(rng, _CRIME_MIX, n_crime), np.full(n_asb, "Anti-social behaviour")])
        crime_type = crime_type[rng.permutation(n)]

        where = rng.random(n)
        # ~0.4% no location, ~2.3% neighbouring forces, ~0.7% further away, ~0.2% LSOAs the
        # lookup has no force for; the rest in the force's own LSOAs.
        source = np.select(
            [where < 0.004, where < 0.027, where < 0.034, where < 0.036], ["none", "near", "far", "unknown"], "own"
        )
        chosen = pd.DataFrame(index=range(n), columns=["lsoa_code", "lsoa_name", "lat", "lon"], dtype=object)
        for label, pool, weights in (
            ("own", own, own_weight),
            ("near", near, None),
            ("far", far, None),
            ("unknown", unknown, None),
        ):
            rows = np.flatnonzero(source == label)
            if len(rows) == 0 or pool.empty:
                continue
            picks = pool.iloc[rng.choice(len(pool), size=len(rows), p=weights)]
            chosen.loc[rows, ["lsoa_code", "lsoa_name", "lat", "lon"]] = picks[
                ["lsoa_code", "lsoa_name", "lat", "lon"]
            ].to_numpy()
        located = chosen["lsoa_code"].notna().to_numpy()
        lat = np.where(located, chosen["lat"].fillna(0).astype(float) + rng.normal(0, 0.004, n), 0.0)
        lon = np.where(located, chosen["lon"].fillna(0).astype(float) + rng.normal(0, 0.006, n), 0.0)

        is_asb = crime_type == "Anti-social behaviour"
        ids = rng.bytes(32 * n).hex()
        crime_id = np.array([ids[i * 64 : (i + 1) * 64] for i in range(n)], dtype=object)
        location = "On or near " + street_names[rng.integers(0, len(street_names), size=n)]
        frame = pd.DataFrame(
            {
                "Crime ID": np.where(is_asb, "", crime_id),
                "Month": f"{month:%Y-%m}",
                "Reported by": reported_by,
                "Falls within": reported_by,
                "Longitude": np.where(located, np.char.mod("%.6f", lon), ""),
                "Latitude": np.where(located, np.char.mod("%.6f", lat), ""),
                "Location": np.where(located, location, "No Location"),
                "LSOA code": chosen["lsoa_code"].fillna("").to_numpy(),
                "LSOA name": chosen["lsoa_name"].fillna("").to_numpy(),
                "Crime type": crime_type,
                "Last outcome category": np.where(is_asb, "", _pick(rng, _OUTCOMES_STREET, n)),
                "Context": "",
            }
        )
        # data.police.uk lists a month's file LSOA by LSOA; no-location rows come last.
        frame = frame.assign(_key=np.where(located, chosen["lsoa_name"].fillna(""), "\uffff")).sort_values(
            ["_key", "Crime type"], kind="stable"
        )
        path = out_dir / "policeuk" / f"{month:%Y-%m}" / f"{month:%Y-%m}-{force.slug}-street.csv"
        _write_csv(path, STREET_HEADER, frame)
        paths.append(path)
    return paths


def write_policeuk_files(
    out_dir: str | Path,
    force_slug: str = "west-midlands",
    first_month: str = "2018-04",
    last_month: str = "2023-03",
    seed: int = 20220331,
    *,
    scale: float = 1.0,
) -> list[Path]:
    """Write monthly stop-and-search and street-level files for one force under ``out_dir``
    (the landing folder) and return their paths. Deterministic: the same arguments give
    byte-identical files. The stop-and-search plan is West Midlands Police's (see the module
    docstring); other forces get the same plan and their own LSOAs. A range that cuts a
    financial year writes only that year's months, so only whole years match the plan.
    ``scale`` shrinks the street-level files only."""
    out_dir = Path(out_dir)
    force = _force(force_slug)
    months = _months(first_month, last_month)
    if not months:
        raise ValueError("first_month is after last_month")
    rng = np.random.default_rng(seed)
    lsoas = _place_lsoas(_lsoas(), rng)
    own = lsoas[lsoas["force"] == force.home_office_name]
    paths = _write_stop_and_search(out_dir, force, months, rng, own)
    paths += _write_street(out_dir, force, months, rng, lsoas, scale)
    return paths


# Census 2011 KS201EW, the seven West Midlands authorities (sample_data/real/ons-census/, typed from the file)
WEST_MIDLANDS_CENSUS_2011 = {"White": 1_919_138, "Asian": 514_981, "Black": 164_069}
# the first financial year whose ratios use Census 2021 (the KPI config's census_2021_from, 2023-03-31)
CENSUS_2021_FROM_FY = "2022-23"


def check_plans() -> dict[str, dict[str, float]]:
    """The published rates each plan produces (rounded to one decimal as published), computed
    from the plan with the Census populations; used by tests and as a guard when editing."""
    out = {}
    for fy, plan in FY_PLANS.items():
        pops = WEST_MIDLANDS_CENSUS_2011 if fy < CENSUS_2021_FROM_FY else west_midlands_group_populations()
        recorded = plan.searches - plan.outcome_missing
        weapons = plan.objects["Offensive weapons"] + plan.objects["section 60"]
        white_rate = plan.ethnic["White"] / pops["White"]
        out[fy] = {
            "positive_outcome_rate": round(100 * plan.positive / recorded, 1),
            "section_60": plan.objects["section 60"],
            "drugs_find_rate": round(100 * plan.linked["Controlled drugs"] / plan.objects["Controlled drugs"], 1),
            "weapons_find_rate": round(100 * plan.linked["Offensive weapons"] / weapons, 1),
            "firearms_find_rate": round(100 * plan.linked["Firearms"] / plan.objects["Firearms"], 1),
            "asian_ratio": round(plan.ethnic["Asian"] / pops["Asian"] / white_rate, 1),
            "black_ratio": round(plan.ethnic["Black"] / pops["Black"] / white_rate, 1),
        }
    return out
