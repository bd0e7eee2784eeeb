"""Seeded generator of a force's use-of-force records and body-worn video flags on stop and search.

Writes, in the agreed landing layout (SOURCES.md, "Force extracts"), every month:

* ``force/use-of-force/<force>-use-of-force-<YYYY-MM>.csv``: one row per subject; an incident with two or
  three subjects has that many rows with the same reference and date;
* ``force/stop-search-bwv/<force>-stop-search-bwv-<YYYY-MM>.csv``: one row per stop and search.

CSVs are UTF-8 with a byte-order mark and CRLF line ends; tactics with a comma are quoted. Same
arguments, same bytes.

Published West Midlands figures, reproduced exactly for ``west-midlands`` (annual report 2021/22 of the
Police and Crime Commissioner, ``seeds/003_20bbf2954df2ebf6.txt``, "Stop and Search Performance"):

* body-worn video used in 95% of stops and searches and 82% of uses of force in 2021/22 (rows with the
  flag Y over rows with it Y or N): 20,235 of 21,300 searches and 9,430 of 11,500 subjects;
* uses of force where the subject was seriously injured: 26 in 2021/22, 42 in 2020/21, 59 in 2019/20.

The annual report gives 2020/21 as a band (stop and search 92-95%, use of force 78-80%); the sample
puts 2020/21 inside it: 94% (26,461 of 28,150) and 79% (9,401 of 11,900). ASSUMPTION.

Everything else is ASSUMPTION, chosen to be plausible: subjects a year (9,600 to 12,400), searches a
year (the sample's data.police.uk totals, ``sample_data/policeuk.py``: 13,200, 19,800, 28,400, 21,480,
17,600), rows with the flag empty (unknown), the other years' percentages and serious injuries (2018/19:
64, 2022/23: 24), the age bands, tactics, injuries short of serious (about 9% of subjects) and the
subjects' ethnic groups. 2021/22 subjects by group are White 5,200, Asian 2,881, Black 2,291, Mixed 650,
Other 280, Not stated 598: with the Census in force for 2021/22, Census 2011 (the real KS201EW figures of
the seven authorities: White 1,919,138, Asian 514,981, Black 164,069), that is a use-of-force ratio of 2.06
for Asian and 5.15 for Black people against White.
Other forces get the West Midlands model scaled by their 2017/18 recorded-crime volume relative to West
Midlands (as ``sample_data/force_ops.py`` does); only West Midlands is exact.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sample_data import calibration as cal
from sample_data.crimes import ForceData, largest_remainder, load_force, round_half_up
from sample_data.force_ops import (
    _days,
    _days_in,
    _month_number,
    _month_text,
    _scale,
    generator_main,
    write_monthly_csvs,
)

USE_OF_FORCE_DIR = Path("force/use-of-force")
BWV_DIR = Path("force/stop-search-bwv")

# Exact SOURCES.md headers and value sets (typed here, not read from the parser the files feed).
USE_OF_FORCE_COLUMNS = ("incident_reference", "incident_date", "subject_age_band", "subject_ethnicity", "tactic",
                        "subject_injured", "subject_seriously_injured", "bwv_recorded")
BWV_COLUMNS = ("search_reference", "search_date", "bwv_recorded")
AGE_BANDS = ("Under 18", "18-34", "35-49", "50 and over", "Unknown")
ETHNICITIES = ("White", "Asian", "Black", "Mixed", "Other", "Not stated")


@dataclass(frozen=True)
class FlagPlan:
    """A year's rows and their body-worn video flag: `unknown` rows empty, `recorded` of the rest Y."""

    rows: int
    unknown: int
    recorded: int


@dataclass(frozen=True)
class UseOfForcePlan:
    bwv: FlagPlan
    seriously_injured: int
    ethnic: tuple[int, int, int, int, int, int] | None = None  # ETHNICITIES order; None: the shares below


# Financial years by first month.
UOF_PLANS: dict[str, UseOfForcePlan] = {
    "2018-04": UseOfForcePlan(FlagPlan(9_600, 600, 6_480), 64),        # ASSUMPTION: 72%
    "2019-04": UseOfForcePlan(FlagPlan(10_800, 550, 7_790), 59),       # 76% ASSUMPTION; 59 published
    "2020-04": UseOfForcePlan(FlagPlan(12_400, 500, 9_401), 42),       # 79%, inside 78-80%; 42 published
    "2021-04": UseOfForcePlan(FlagPlan(11_900, 400, 9_430), 26,        # 82% and 26 published
                              (5_200, 2_881, 2_291, 650, 280, 598)),
    "2022-04": UseOfForcePlan(FlagPlan(11_500, 300, 9_408), 24),       # ASSUMPTION: 84%
}
BWV_PLANS: dict[str, FlagPlan] = {
    "2018-04": FlagPlan(13_200, 400, 11_264),  # ASSUMPTION: 88%
    "2019-04": FlagPlan(19_800, 600, 17_472),  # ASSUMPTION: 91%
    "2020-04": FlagPlan(28_400, 250, 26_461),  # 94%, inside 92-95%
    "2021-04": FlagPlan(21_480, 180, 20_235),  # 95% published
    "2022-04": FlagPlan(17_600, 150, 16_752),  # ASSUMPTION: 96%
}

# ASSUMPTION: the mix of subjects outside 2021/22 and of every year's other columns.
ETHNIC_SHARES = (0.44, 0.24, 0.19, 0.055, 0.024, 0.051)
AGE_SHARES = (0.09, 0.52, 0.27, 0.09, 0.03)
INJURED_RATE = 0.09  # injured (seriously or not) among subjects whose injury is recorded
INJURY_UNKNOWN_RATE = 0.01  # both injury flags empty
TACTICS = (("Handcuffing, compliant", 0.30), ("Handcuffing, non-compliant", 0.22), ("Unarmed skills", 0.18),
           ("Limb or body restraints", 0.06), ("Taser drawn", 0.07), ("Taser red-dotted", 0.04),
           ("Taser fired", 0.01), ("Irritant spray drawn", 0.02), ("Irritant spray used", 0.02),
           ("Baton drawn", 0.01), ("Spit and bite guard", 0.04), ("Dog deployed", 0.01),
           ("Firearm aimed", 0.02))
# subjects per incident: most incidents have one
SUBJECTS_PER_INCIDENT = ((1, 0.86), (2, 0.11), (3, 0.03))
SEASON = (0.96, 1.00, 1.04, 1.08, 1.06, 1.00, 0.98, 0.97, 1.00, 0.95, 0.96, 1.00)  # April first
WEEKDAYS = (0.95, 0.95, 0.97, 1.00, 1.10, 1.15, 1.05)

DEFAULT_SEED = 20220331
_STREAMS = {"use_of_force": 21, "bwv": 22}


def _months_of_year(first: str) -> list[int]:
    start = _month_number(first)
    return list(range(start, start + 12))


def _monthly(total: int, months: list[int]) -> np.ndarray:
    weights = np.asarray(SEASON) * np.array([_days_in(m) for m in months])
    return largest_remainder(weights, total)


def _pool(counts: dict[str, int], rng: np.random.Generator) -> np.ndarray:
    values = np.array([v for v, n in counts.items() for _ in range(n)], dtype=object)
    return values[rng.permutation(values.size)]


def _scaled(plan: FlagPlan, scale: float) -> FlagPlan:
    if scale == 1.0:
        return plan
    rows = round_half_up(plan.rows * scale)
    unknown = round_half_up(plan.unknown * scale)
    return FlagPlan(rows, unknown, round_half_up(plan.recorded / (plan.rows - plan.unknown) * (rows - unknown)))


def _flags(plan: FlagPlan, rng: np.random.Generator) -> np.ndarray:
    return _pool({"Y": plan.recorded, "N": plan.rows - plan.unknown - plan.recorded, "": plan.unknown}, rng)


def _use_of_force_year(plan: UseOfForcePlan, scale: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    bwv = _scaled(plan.bwv, scale)
    n = bwv.rows
    ethnic = (plan.ethnic if plan.ethnic is not None and scale == 1.0
              else tuple(largest_remainder(np.asarray(ETHNIC_SHARES), n)))
    if sum(ethnic) != n:
        ethnic = tuple(largest_remainder(np.asarray(ethnic, dtype=float), n))
    serious = min(round_half_up(plan.seriously_injured * scale), n)
    unknown = round_half_up(INJURY_UNKNOWN_RATE * n)
    injured = max(round_half_up(INJURED_RATE * (n - unknown)), serious)
    # injury: seriously (Y, Y), injured only (Y, N), not injured (N, N), unknown (empty, empty)
    injury = _pool({"YY": serious, "YN": injured - serious, "NN": n - unknown - injured, "--": unknown}, rng)
    tactic_names = np.array([t for t, _ in TACTICS], dtype=object)
    tactic_p = np.array([p for _, p in TACTICS])
    return {
        "subject_age_band": _pool(dict(zip(AGE_BANDS, largest_remainder(np.asarray(AGE_SHARES), n).tolist(),
                                           strict=True)), rng),
        "subject_ethnicity": _pool(dict(zip(ETHNICITIES, ethnic, strict=True)), rng),
        "tactic": tactic_names[rng.choice(tactic_names.size, size=n, p=tactic_p / tactic_p.sum())],
        "subject_injured": np.array([s[0].replace("-", "") for s in injury], dtype=object),
        "subject_seriously_injured": np.array([s[1].replace("-", "") for s in injury], dtype=object),
        "bwv_recorded": _flags(bwv, rng),
    }


def _incident_dates(rng: np.random.Generator, month: int, n: int) -> tuple[list[int], np.ndarray]:
    """Group sizes (subjects per incident, summing to n) and each incident's day of the month."""
    sizes = []
    choices, probs = zip(*SUBJECTS_PER_INCIDENT, strict=True)
    while sum(sizes) < n:
        sizes.append(min(int(rng.choice(choices, p=probs)), n - sum(sizes)))
    return sizes, _days(rng, month, len(sizes), WEEKDAYS)


def _use_of_force_files(force: ForceData, months: list[int], seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["use_of_force"]])
    scale = _scale(force)
    files: dict[int, list[list[str]]] = {}
    for first, plan in UOF_PLANS.items():
        year_months = _months_of_year(first)
        year = _use_of_force_year(plan, scale, rng)
        counts = _monthly(len(year["bwv_recorded"]), year_months)
        start = 0
        for month, n in zip(year_months, counts.tolist(), strict=True):
            if month not in months:
                start += n
                continue
            sizes, days = _incident_dates(rng, month, n)
            yy = f"{(month // 12) % 100:02d}"
            refs = [f"UF{force.initials}/{month % 12 + 1:02d}{i + 1:05d}/{yy}" for i, size in enumerate(sizes)
                    for _ in range(size)]
            dates = [f"{_month_text(month)}-{d:02d}" for d, size in zip(days.tolist(), sizes, strict=True)
                     for _ in range(size)]
            rows = slice(start, start + n)
            files[month] = [refs, dates, *[list(year[c][rows]) for c in USE_OF_FORCE_COLUMNS[2:]]]
            start += n
    return files


def _bwv_files(force: ForceData, months: list[int], seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["bwv"]])
    scale = _scale(force)
    files: dict[int, list[list[str]]] = {}
    for first, plan in BWV_PLANS.items():
        year_months = _months_of_year(first)
        flags = _flags(_scaled(plan, scale), rng)
        counts = _monthly(flags.size, year_months)
        start = 0
        for month, n in zip(year_months, counts.tolist(), strict=True):
            if month in months:
                days = _days(rng, month, n, WEEKDAYS)
                yy = f"{(month // 12) % 100:02d}"
                files[month] = [[f"SS{force.initials}/{month % 12 + 1:02d}{i + 1:05d}/{yy}" for i in range(n)],
                                [f"{_month_text(month)}-{d:02d}" for d in days.tolist()],
                                list(flags[start:start + n])]
            start += n
    return files


def write_use_of_force(
    out_dir: Path,
    force_slug: str = cal.CALIBRATED_FORCE_SLUG,
    first_month: str = cal.DEFAULT_FIRST_MONTH,
    last_month: str = cal.DEFAULT_LAST_MONTH,
    seed: int = DEFAULT_SEED,
) -> list[Path]:
    """Write the use-of-force and body-worn video files of a force for first_month to last_month (inside
    April 2018 to March 2023, the years planned); return the paths. For west-midlands the published
    figures of the module docstring come out exactly."""
    first, last = _month_number(first_month), _month_number(last_month)
    if first > last:
        raise ValueError(f"first_month {first_month} is after last_month {last_month}")
    force = load_force(force_slug)
    months = list(range(first, last + 1))
    return write_monthly_csvs(Path(out_dir), force_slug, first, last, (
        (USE_OF_FORCE_DIR, "use-of-force", USE_OF_FORCE_COLUMNS, _use_of_force_files(force, months, seed)),
        (BWV_DIR, "stop-search-bwv", BWV_COLUMNS, _bwv_files(force, months, seed)),
    ))


def main(argv: list[str] | None = None) -> int:
    return generator_main(write_use_of_force, "Write sample use-of-force and body-worn video extracts.",
                          "force", DEFAULT_SEED, argv)


if __name__ == "__main__":
    sys.exit(main())
