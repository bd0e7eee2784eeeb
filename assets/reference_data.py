"""Reference files kept in the repository (reference/), read where Python needs them before load."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"
FORCES_CSV = REFERENCE_DIR / "forces.csv"
LSOA_LOOKUP_CSV = REFERENCE_DIR / "lsoa-force-lookup.csv"
OFFENCE_CLASSIFICATION_CSV = REFERENCE_DIR / "prc-pfa-mar2013-onwards-tables201718.csv"


@cache
def force_codes_by_slug() -> dict[str, str]:
    """data.police.uk slug -> ONS PFA code, for naming the force of a landed file."""
    with FORCES_CSV.open(encoding="utf-8") as handle:
        return {row["slug"]: row["force_code"] for row in csv.DictReader(handle)}
