"""The force's operational extracts: firearm discharges, drug and county lines activity, the SMS
satisfaction survey (monthly CSVs) and workforce headcount snapshots (xlsx)."""

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from assets.force_operations.parser import DRUG_ACTIVITY_COLUMNS, FIREARM_DISCHARGE_COLUMNS, SMS_SURVEY_COLUMNS
from assets.force_operations.workforce import read_workforce_snapshot
from assets.lib.errors import RejectedFile
from assets.lib.file_sources import FileSource, ReadFiles, file_source_assets
from assets.lib.force_csv import ForceCsv, read_force_frames
from assets.lib.landing import (
    DRUG_ACTIVITY_FILES,
    FIREARM_DISCHARGE_FILES,
    SMS_SURVEY_FILES,
    WORKFORCE_FILES,
    SourceLayout,
)


def identify_monthly(layout: SourceLayout) -> Callable[[Path], tuple[str, str]]:
    def identify(path: Path) -> tuple[str, str]:
        force_code, month = layout.force_and_period(path)
        return force_code, f"{month}-01"

    return identify


def monthly_force_csv(columns: tuple[str, ...], layout: SourceLayout, date_column: str,
                      check: Callable[[Path, pd.DataFrame], None] | None = None) -> ReadFiles:
    """A reader of a folder of monthly force CSVs (one DuckDB statement for them all) that adds the force and
    month each file's name gives, and the month of each row's date, so the suite can check every row belongs
    to its file's month; `check` holds a file to a rule of its own (it raises RejectedFile)."""

    def read_files(paths: Sequence[Path]) -> list[tuple[Path, pd.DataFrame | RejectedFile]]:
        named, outcomes = [], []
        for path in paths:
            try:
                force_code, month = layout.force_and_period(path)
                named.append(ForceCsv(path, {"force_code": force_code, "file_month": month}))
            except RejectedFile as error:
                outcomes.append((path, error))
        for path, frame in read_force_frames(named, columns, ("force_code", "file_month"),
                                             {"date_month": f'substr("{date_column}", 1, 7)'}):
            if check is not None and not isinstance(frame, RejectedFile):
                try:
                    check(path, frame)
                except RejectedFile as error:
                    frame = error
            outcomes.append((path, frame))
        return sorted(outcomes, key=lambda outcome: outcome[0])  # in the folder's order, as one at a time

    return read_files


def read_workforce_file(path: Path) -> pd.DataFrame:
    force_code, _ = WORKFORCE_FILES.force_and_period(path)
    return read_workforce_snapshot(path).assign(force_code=force_code)


MONTHLY_COLUMNS = {"force_code": "varchar", "file_month": "varchar", "date_month": "varchar"}

FIREARM_DISCHARGES = FileSource(
    name="firearm_discharges",
    globs=(FIREARM_DISCHARGE_FILES.glob,),
    read_files=monthly_force_csv(FIREARM_DISCHARGE_COLUMNS, FIREARM_DISCHARGE_FILES, "discharge_date"),
    columns={"incident_reference": "varchar", "discharge_date": "varchar", "lsoa_code": "varchar",
             "weapon_type": "varchar", "injury": "varchar", "gang_related": "varchar", "drugs_related": "varchar",
             **MONTHLY_COLUMNS},
    models=("fact_firearm_discharges",),
    description="core.fact_firearm_discharges: the force's firearm discharge log, one row per discharge.",
    identify=identify_monthly(FIREARM_DISCHARGE_FILES),
)

DRUG_ACTIVITY = FileSource(
    name="drug_activity",
    globs=(DRUG_ACTIVITY_FILES.glob,),
    read_files=monthly_force_csv(DRUG_ACTIVITY_COLUMNS, DRUG_ACTIVITY_FILES, "activity_date"),
    columns={"activity_reference": "varchar", "activity_date": "varchar", "activity_type": "varchar",
             "arrests": "varchar", "charges": "varchar", **MONTHLY_COLUMNS},
    models=("fact_drug_activity",),
    description="core.fact_drug_activity: drug and county lines disruptions and closures, with arrests and charges.",
    identify=identify_monthly(DRUG_ACTIVITY_FILES),
)

SMS_SURVEY = FileSource(
    name="sms_survey",
    globs=(SMS_SURVEY_FILES.glob,),
    read_files=monthly_force_csv(SMS_SURVEY_COLUMNS, SMS_SURVEY_FILES, "response_date"),
    columns={"response_id": "varchar", "response_date": "varchar", "service": "varchar",
             "incident_type": "varchar", "score": "varchar", **MONTHLY_COLUMNS},
    models=("fact_sms_responses",),
    description="core.fact_sms_responses: SMS satisfaction survey responses (score 0-10, or unanswered).",
    identify=identify_monthly(SMS_SURVEY_FILES),
)

WORKFORCE = FileSource(
    name="workforce",
    globs=(WORKFORCE_FILES.glob,),
    read=read_workforce_file,
    columns={"snapshot_date": "date", "role": "varchar", "neighbourhood": "boolean", "ethnicity": "varchar",
             "sex": "varchar", "headcount": "integer", "force_code": "varchar"},
    models=("fact_workforce",),
    coverage=("role",),
    description="core.fact_workforce: headcount snapshots by role, neighbourhood, ethnicity and sex.",
    identify=WORKFORCE_FILES.force_and_period,
)

SOURCES = (FIREARM_DISCHARGES, DRUG_ACTIVITY, SMS_SURVEY, WORKFORCE)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
