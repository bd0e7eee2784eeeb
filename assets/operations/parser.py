"""Firearm recoveries and operational activity (agreed layouts in SOURCES.md).

Plain force CSVs, read by :func:`assets.recorded_crime.parser.read_force_csv` (every field kept as text,
plus source_file and source_row); this module only names their columns and value sets. The rules live in
the Great Expectations suites (``expectations/firearm_recoveries.json``, ``expectations/operations.json``)
so a bad value is reported with its file, row and rule; the value sets here mirror those suites for the
tests, and a test keeps the two in step.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assets.recorded_crime.parser import read_force_csv

FIREARM_RECOVERY_COLUMNS: tuple[str, ...] = ("recovery_reference", "recovery_date", "weapon_class", "lsoa_code")
OPERATIONS_COLUMNS: tuple[str, ...] = ("activity_reference", "activity_date", "operation", "activity_type")

WEAPON_CLASSES: tuple[str, ...] = ("Lethal barrelled", "Imitation or replica", "Other")
OPERATION_ACTIVITY_TYPES: tuple[str, ...] = (
    "Firearms warrant",
    "Drugs warrant",
    "Visit",
    "NRM referral",
    "Safeguarding engagement",
    "Specialist support referral",
)


def read_firearm_recoveries(path: Path) -> pd.DataFrame:
    """One month of firearm recoveries, as text columns plus source_file and source_row."""
    return read_force_csv(path, FIREARM_RECOVERY_COLUMNS)


def read_operations(path: Path) -> pd.DataFrame:
    """One month of operational activity, as text columns plus source_file and source_row."""
    return read_force_csv(path, OPERATIONS_COLUMNS)
