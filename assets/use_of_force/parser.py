"""Use of force and body-worn video on stop and search (agreed layouts in SOURCES.md).

Both are plain monthly force CSVs, read by the shared force-CSV reader (assets/lib/force_csv.py) through
each source's FileSource (USE_OF_FORCE, STOP_SEARCH_BWV in assets/use_of_force/assets.py: every field kept as
text, plus source_file, source_row, the force and the months). The value rules live in the Great
Expectations suites (``expectations/use_of_force.json``, ``expectations/stop_search_bwv.json``) so a bad
value is reported with its file and row; the value sets here mirror those suites for the tests, and a
test keeps the two in step. One rule no single-column expectation can state is checked here, by
:func:`check_one_date_per_incident`, which USE_OF_FORCE's reader runs on each file: the rows of one incident
(one row per subject, the same reference) describe one incident, so they carry one date.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assets.lib.errors import RejectedFile

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


def check_one_date_per_incident(path: Path, frame: pd.DataFrame) -> None:
    """The subjects of one incident share its date: a second date rejects the file, naming its row."""
    known = frame.dropna(subset=["incident_reference", "incident_date"])
    first_date = known.groupby("incident_reference")["incident_date"].transform("first")
    clash = known[known["incident_date"] != first_date]
    if len(clash):
        row = clash.iloc[0]
        raise RejectedFile(path, f"incident {row['incident_reference']} has rows with different dates "
                           f"({first_date.loc[clash.index[0]]} and {row['incident_date']}): the subjects of one "
                           "incident share its date", row=int(row["source_row"]), column="incident_date")

