"""Firearm recoveries and operational activity: two monthly force CSVs, each a FileSource built like the
drug activity source (assets/force_operations/assets.py): ingest, the Great Expectations suite as asset
checks, quarantine of a bad file, re-delivery replacing its month, and its core fact table."""

from assets.force_operations.assets import MONTHLY_COLUMNS, identify_monthly, monthly_force_csv
from assets.lib.file_sources import FileSource, file_source_assets
from assets.lib.landing import FIREARM_RECOVERY_FILES, OPERATIONS_FILES
from assets.operations.parser import FIREARM_RECOVERY_COLUMNS, OPERATIONS_COLUMNS

FIREARM_RECOVERIES = FileSource(
    name="firearm_recoveries",
    globs=(FIREARM_RECOVERY_FILES.glob,),
    read_files=monthly_force_csv(FIREARM_RECOVERY_COLUMNS, FIREARM_RECOVERY_FILES, "recovery_date"),
    columns={"recovery_reference": "varchar", "recovery_date": "varchar", "weapon_class": "varchar",
             "lsoa_code": "varchar", **MONTHLY_COLUMNS},
    models=("fact_firearm_recoveries",),
    description="core.fact_firearm_recoveries: firearms recovered by the force, one row per weapon, by class.",
    identify=identify_monthly(FIREARM_RECOVERY_FILES),
)

OPERATIONS = FileSource(
    name="operations",
    globs=(OPERATIONS_FILES.glob,),
    read_files=monthly_force_csv(OPERATIONS_COLUMNS, OPERATIONS_FILES, "activity_date"),
    columns={"activity_reference": "varchar", "activity_date": "varchar", "operation": "varchar",
             "activity_type": "varchar", **MONTHLY_COLUMNS},
    models=("fact_operations",),
    description="core.fact_operations: operational activity (warrants, visits, NRM referrals, safeguarding "
    "engagements, specialist support referrals), one row per activity, with the operation it was under.",
    identify=identify_monthly(OPERATIONS_FILES),
)

SOURCES = (FIREARM_RECOVERIES, OPERATIONS)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
