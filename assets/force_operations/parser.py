"""Operational force extracts (agreed layouts in SOURCES.md): firearm discharges, drug activity, SMS survey.

These are plain monthly force CSVs, read by the shared force-CSV reader (assets/lib/force_csv.py) through
each source's FileSource (FIREARM_DISCHARGES, DRUG_ACTIVITY, SMS_SURVEY in assets/force_operations/assets.py:
every field kept as text, plus source_file, source_row, the force and the months); this module only names
their columns and value sets. The rules themselves live in the Great Expectations suites
(``expectations/*.json``) so a bad value is reported with its file and row; the value sets here mirror
those suites for the sample generator and the tests, and a test keeps the two in step.
"""

from __future__ import annotations

FIREARM_DISCHARGE_COLUMNS: tuple[str, ...] = (
    "incident_reference",
    "discharge_date",
    "lsoa_code",
    "weapon_type",
    "injury",
    "gang_related",
    "drugs_related",
)
DRUG_ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity_reference",
    "activity_date",
    "activity_type",
    "arrests",
    "charges",
)
SMS_SURVEY_COLUMNS: tuple[str, ...] = (
    "response_id",
    "response_date",
    "service",
    "incident_type",
    "score",
)

WEAPON_TYPES: tuple[str, ...] = ("Shotgun", "Handgun", "Rifle", "Converted or modified", "Unknown")
INJURIES: tuple[str, ...] = ("None", "Non-fatal", "Fatal")
ACTIVITY_TYPES: tuple[str, ...] = ("Drug disruption", "County line disruption", "County line closure")
SMS_SERVICES: tuple[str, ...] = ("Force Contact", "Force Response")

