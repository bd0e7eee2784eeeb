"""Use of force and body-worn video on stop and search (agreed layouts in SOURCES.md).

Both are plain force CSVs read by :func:`assets.recorded_crime.parser.read_force_csv` (every field kept
as text, plus source_file and source_row). The value rules live in the Great Expectations suites
(``expectations/use_of_force.json``, ``expectations/stop_search_bwv.json``) so a bad value is reported
with its file and row; the value sets here mirror those suites for the tests, and a test keeps the two
in step. One rule no single-column expectation can state is checked here: the rows of one incident
(one row per subject, the same reference) describe one incident, so they carry one date.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assets.lib.errors import RejectedFile
from assets.recorded_crime.parser import read_force_csv

USE_OF_FORCE_COLUMNS: tuple[str, ...] = (
    "incident_reference",
    "incident_date",
    "subject_age_band",
    "subject_ethnicity",
    "tactic",
    "subject_injured",
    "subject_seriously_injured",
    "bwv_recorded",
)
STOP_SEARCH_BWV_COLUMNS: tuple[str, ...] = ("search_reference", "search_date", "bwv_recorded")

AGE_BANDS: tuple[str, ...] = ("Under 18", "18-34", "35-49", "50 and over", "Unknown")
SUBJECT_ETHNICITIES: tuple[str, ...] = ("White", "Black", "Asian", "Mixed", "Other", "Not stated")
FLAG_COLUMNS: tuple[str, ...] = ("subject_injured", "subject_seriously_injured", "bwv_recorded")


def read_use_of_force(path: Path) -> pd.DataFrame:
    """One month of use-of-force records, one row per subject, as text columns plus source_file and
    source_row. Two rows of one incident with different dates reject the file, naming the second row."""
    frame = read_force_csv(path, USE_OF_FORCE_COLUMNS)
    known = frame.dropna(subset=["incident_reference", "incident_date"])
    first_date = known.groupby("incident_reference")["incident_date"].transform("first")
    clash = known[known["incident_date"] != first_date]
    if len(clash):
        row = clash.iloc[0]
        raise RejectedFile(path, f"incident {row['incident_reference']} has rows with different dates "
                           f"({first_date.loc[clash.index[0]]} and {row['incident_date']}): the subjects of one "
                           "incident share its date", row=int(row["source_row"]), column="incident_date")
    return frame


def read_stop_search_bwv(path: Path) -> pd.DataFrame:
    """One month of body-worn video flags per stop and search, as text plus source_file and source_row."""
    return read_force_csv(path, STOP_SEARCH_BWV_COLUMNS)
