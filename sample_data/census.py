"""Sample Census 2021 ethnic group by local authority, in the ONS custom-dataset CSV layout.

Writes ``<landing>/ons/census/census2021-ethnic-group-by-la.csv`` with the columns ONS's
"create a custom dataset" service gives for TS021 at lower-tier local authority level:
``Lower tier local authorities Code, Lower tier local authorities, Ethnic group (20 categories)
Code, Ethnic group (20 categories), Observation``, one row per authority and category, including
the ``Does not apply`` category (code -8, always 0 for usual residents).

The seven West Midlands Police authorities are written from fixed figures that approximate the
published Census 2021 TS021 results (usual residents, Census Day 21 March 2021): the totals are
the published populations rounded to the nearest hundred and the category shares are the
published percentages to one decimal place as recalled by the author, not copied from the ONS
release. They are close enough for search ratios in the right range, not for publication; load
the real ONS download for that. Every other authority in ``reference/lsoa-force-lookup.csv`` gets
a plausible synthetic profile: its population from its LSOA count, its ethnic mix from its
region's Census 2021 mix, made more or less diverse at random.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"
CENSUS_RELATIVE_PATH = Path("ons/census/census2021-ethnic-group-by-la.csv")

COLUMNS: tuple[str, ...] = (
    "Lower tier local authorities Code",
    "Lower tier local authorities",
    "Ethnic group (20 categories) Code",
    "Ethnic group (20 categories)",
    "Observation",
)

# (code, label, broad group) for the 20 categories, in the order ONS lists them.
CATEGORIES: tuple[tuple[int, str, str | None], ...] = (
    (-8, "Does not apply", None),
    (1, "Asian, Asian British or Asian Welsh: Bangladeshi", "Asian"),
    (2, "Asian, Asian British or Asian Welsh: Chinese", "Asian"),
    (3, "Asian, Asian British or Asian Welsh: Indian", "Asian"),
    (4, "Asian, Asian British or Asian Welsh: Pakistani", "Asian"),
    (5, "Asian, Asian British or Asian Welsh: Other Asian", "Asian"),
    (6, "Black, Black British, Black Welsh, Caribbean or African: African", "Black"),
    (7, "Black, Black British, Black Welsh, Caribbean or African: Caribbean", "Black"),
    (8, "Black, Black British, Black Welsh, Caribbean or African: Other Black", "Black"),
    (9, "Mixed or Multiple ethnic groups: White and Asian", "Mixed"),
    (10, "Mixed or Multiple ethnic groups: White and Black African", "Mixed"),
    (11, "Mixed or Multiple ethnic groups: White and Black Caribbean", "Mixed"),
    (12, "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups", "Mixed"),
    (13, "White: English, Welsh, Scottish, Northern Irish or British", "White"),
    (14, "White: Irish", "White"),
    (15, "White: Gypsy or Irish Traveller", "White"),
    (16, "White: Roma", "White"),
    (17, "White: Other White", "White"),
    (18, "Other ethnic group: Arab", "Other"),
    (19, "Other ethnic group: Any other ethnic group", "Other"),
)

# Approximate Census 2021 figures (see the module docstring): total usual residents and the
# percentage in categories 1..19. White British (13) is written as the remainder so each
# authority adds up to its total exactly.
WEST_MIDLANDS_LAS: dict[str, tuple[str, int, tuple[float, ...]]] = {
    # code: (name, total,
    #   (Bangladeshi, Chinese, Indian, Pakistani, Other Asian, African, Caribbean, Other Black,
    #    White and Asian, White and Black African, White and Black Caribbean, Other Mixed,
    #    White British, Irish, Gypsy or Irish Traveller, Roma, Other White, Arab, Any other))
    "E08000025": ("Birmingham", 1_144_900, (
        4.1, 0.6, 5.9, 17.0, 3.4, 5.0, 3.8, 2.1, 1.0, 0.5, 2.0, 1.3, 43.0, 1.0, 0.1, 0.3, 4.3, 2.0, 2.6)),
    "E08000026": ("Coventry", 345_300, (
        1.4, 1.4, 9.0, 3.5, 3.2, 7.0, 0.9, 1.0, 0.9, 0.5, 1.2, 0.9, 55.2, 0.8, 0.1, 0.5, 8.9, 1.2, 2.4)),
    "E08000027": ("Dudley", 323_500, (
        0.6, 0.3, 3.1, 4.2, 0.8, 0.9, 1.2, 0.4, 0.6, 0.2, 1.5, 0.6, 81.0, 0.4, 0.1, 0.2, 3.0, 0.3, 0.6)),
    "E08000028": ("Sandwell", 341_900, (
        3.3, 0.3, 11.5, 7.3, 3.2, 4.5, 2.8, 1.7, 0.7, 0.4, 1.9, 0.9, 50.9, 0.5, 0.1, 0.6, 5.9, 0.8, 2.7)),
    "E08000029": ("Solihull", 216_200, (
        0.4, 0.5, 5.3, 2.2, 0.9, 0.8, 0.8, 0.3, 0.9, 0.2, 1.0, 0.6, 81.6, 1.2, 0.1, 0.1, 2.3, 0.2, 0.6)),
    "E08000030": ("Walsall", 284_100, (
        3.3, 0.2, 6.7, 7.9, 1.1, 1.8, 1.5, 0.6, 0.6, 0.2, 1.5, 0.6, 68.4, 0.4, 0.1, 0.5, 3.5, 0.3, 0.8)),
    "E08000031": ("Wolverhampton", 263_700, (
        0.4, 0.5, 15.0, 1.6, 4.1, 4.1, 3.7, 1.5, 0.8, 0.4, 2.9, 0.9, 53.5, 0.6, 0.1, 0.9, 5.1, 0.6, 3.3)),
}  # fmt: skip

# Approximate Census 2021 regional mix (percent White, Asian, Black, Mixed, Other) that the
# synthetic authorities scatter around; keyed by the lookup's upper-case region names.
_REGION_MIX: dict[str, tuple[float, float, float, float, float]] = {
    "NORTH EAST": (93.0, 3.7, 1.0, 1.3, 1.0),
    "NORTH WEST": (85.6, 8.3, 2.1, 2.3, 1.7),
    "YORKSHIRE AND THE HUMBER": (85.3, 8.8, 1.9, 2.2, 1.8),
    "EAST MIDLANDS": (85.7, 8.4, 2.5, 2.4, 1.0),
    "WEST MIDLANDS": (77.0, 12.4, 4.5, 3.5, 2.6),
    "EAST": (86.5, 5.6, 3.3, 2.9, 1.7),
    "LONDON": (53.8, 20.7, 13.5, 5.7, 6.3),
    "SOUTH EAST": (86.3, 7.0, 2.4, 3.0, 1.3),
    "SOUTH WEST": (93.1, 2.3, 1.1, 2.2, 1.3),
}

# How each broad group splits into its categories (codes in CATEGORIES order within group).
_WITHIN_GROUP: dict[str, tuple[float, ...]] = {
    "Asian": (0.11, 0.08, 0.33, 0.30, 0.18),
    "Black": (0.58, 0.26, 0.16),
    "Mixed": (0.28, 0.13, 0.30, 0.29),
    "White": (0.90, 0.012, 0.002, 0.004, 0.082),
    "Other": (0.40, 0.60),
}

_PEOPLE_PER_LSOA = 1_760  # England and Wales 2021: 59.6 million usual residents over ~33,800 LSOAs


def _west_midlands_counts(shares: tuple[float, ...], total: int) -> list[int]:
    counts = [round(total * share / 100) for share in shares]
    british = 12  # index of category 13 among categories 1..19
    counts[british] = total - (sum(counts) - counts[british])
    return counts


def west_midlands_group_populations() -> dict[str, int]:
    """Usual residents of the West Midlands Police area by broad ethnic group (White, Asian,
    Black, Mixed, Other), exactly as ``write_census_ethnicity`` writes them."""
    totals = dict.fromkeys(("White", "Asian", "Black", "Mixed", "Other"), 0)
    for _name, total, shares in WEST_MIDLANDS_LAS.values():
        counts = _west_midlands_counts(shares, total)
        for (_code, _label, group), count in zip(CATEGORIES[1:], counts, strict=True):
            totals[str(group)] += count
    return totals


def _synthetic_counts(rng: np.random.Generator, region: str, total: int) -> list[int]:
    white, *minorities = _REGION_MIX[region]
    # Diversity varies far more between authorities than within a region: scale the minority
    # share log-normally, keeping at least a quarter of residents White as everywhere in 2021.
    factor = float(np.exp(rng.normal(0.0, 0.6)))
    minority = np.array(minorities) * factor * rng.uniform(0.8, 1.25, size=4)
    minority *= min(1.0, 75.0 / minority.sum())
    group_share = dict(zip(("Asian", "Black", "Mixed", "Other"), minority / 100, strict=True))
    group_share["White"] = 1.0 - sum(group_share.values())
    counts = [0] * (len(CATEGORIES) - 1)
    index = 0
    for group in ("Asian", "Black", "Mixed", "White", "Other"):
        within = np.array(_WITHIN_GROUP[group]) * rng.uniform(0.7, 1.3, size=len(_WITHIN_GROUP[group]))
        within /= within.sum()
        for share in within:
            counts[index] = int(round(total * group_share[group] * share))
            index += 1
    return counts


def write_census_ethnicity(out_dir: str | Path, *, seed: int = 2021) -> Path:
    """Write the Census 2021 ethnic group by local authority CSV under ``out_dir`` (the landing
    folder) and return its path. Deterministic for a given seed; the West Midlands authorities
    do not depend on the seed."""
    rng = np.random.default_rng(seed)
    lookup = pd.read_csv(
        REFERENCE_DIR / "lsoa-force-lookup.csv",
        dtype=str,
        keep_default_na=False,
        usecols=["Region name", "Local authority code", "Local authority name", "LSOA Code"],
    )
    authorities = (
        lookup.groupby(["Local authority code", "Local authority name", "Region name"], sort=True)
        .agg(lsoas=("LSOA Code", "nunique"))
        .reset_index()
    )
    rows: list[tuple[str, str, int, str, int]] = []
    for la in authorities.itertuples(index=False):
        code = la[0]
        # The lookup marks unitary authorities with a " UA" suffix that ONS names do not carry.
        name = la[1].removesuffix(" UA")
        if code in WEST_MIDLANDS_LAS:
            name, total, shares = WEST_MIDLANDS_LAS[code]
            counts = _west_midlands_counts(shares, total)
        else:
            total = int(round(la[3] * _PEOPLE_PER_LSOA * rng.uniform(0.93, 1.07)))
            counts = _synthetic_counts(rng, la[2], total)
        rows.append((code, name, -8, "Does not apply", 0))
        for (cat_code, label, _group), count in zip(CATEGORIES[1:], counts, strict=True):
            rows.append((code, name, cat_code, label, count))

    path = Path(out_dir) / CENSUS_RELATIVE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(path, index=False, lineterminator="\n")
    return path
