"""Operational force extracts (agreed layouts in SOURCES.md): firearm discharges, drug activity, SMS survey.

These are plain force CSVs, so reading them is :func:`assets.recorded_crime.parser.read_force_csv`
(every field kept as text, plus source_file and source_row); this module only names their columns and
value sets. The rules themselves live in the Great Expectations suites (``expectations/*.json``) so a
bad value is reported with its file and row; the value sets here mirror those suites for the sample
generator and the tests, and a test keeps the two in step.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assets.recorded_crime.parser import read_force_csv

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


def read_firearm_discharges(path: Path) -> pd.DataFrame:
    """One firearm discharge log, as text columns plus source_file and source_row."""
    return read_force_csv(path, FIREARM_DISCHARGE_COLUMNS)


def read_drug_activity(path: Path) -> pd.DataFrame:
    """One drug and county lines activity log, as text columns plus source_file and source_row."""
    return read_force_csv(path, DRUG_ACTIVITY_COLUMNS)


def read_sms_survey(path: Path) -> pd.DataFrame:
    """One month of SMS satisfaction survey responses, as text columns plus source_file and source_row."""
    return read_force_csv(path, SMS_SURVEY_COLUMNS)
