"""Firearm recoveries and operational activity (agreed layouts in SOURCES.md).

Plain monthly force CSVs, read by the shared force-CSV reader (assets/lib/force_csv.py) through each
source's FileSource (FIREARM_RECOVERIES, OPERATIONS in assets/operations/assets.py: every field kept as text,
plus source_file, source_row, the force and the months); this module only names their columns and value
sets. The rules live in the Great Expectations suites (``expectations/firearm_recoveries.json``,
``expectations/operations.json``) so a bad value is reported with its file, row and rule; the value sets
here mirror those suites for the tests, and a test keeps the two in step.
"""

from __future__ import annotations

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

