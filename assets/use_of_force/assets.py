"""The force's use-of-force records (one row per subject) and body-worn video on stop and search, both
monthly CSVs, each a FileSource like the drug activity log."""

from assets.force_operations.assets import MONTHLY_COLUMNS, identify_monthly, monthly_force_csv
from assets.lib.file_sources import FileSource, file_source_assets
from assets.lib.landing import STOP_SEARCH_BWV_FILES, USE_OF_FORCE_FILES
from assets.use_of_force.parser import STOP_SEARCH_BWV_COLUMNS, USE_OF_FORCE_COLUMNS, check_one_date_per_incident

USE_OF_FORCE = FileSource(
    name="use_of_force",
    globs=(USE_OF_FORCE_FILES.glob,),
    read_files=monthly_force_csv(USE_OF_FORCE_COLUMNS, USE_OF_FORCE_FILES, "incident_date",
                                  check_one_date_per_incident),
    columns={"incident_reference": "varchar", "incident_date": "varchar", "subject_age_band": "varchar",
             "subject_ethnicity": "varchar", "tactic": "varchar", "subject_injured": "varchar",
             "subject_seriously_injured": "varchar", "bwv_recorded": "varchar", **MONTHLY_COLUMNS},
    models=("fact_use_of_force",),
    description="core.fact_use_of_force: uses of force, one row per subject (an incident with two subjects has "
    "two rows), with injury and body-worn video flags.",
    identify=identify_monthly(USE_OF_FORCE_FILES),
)

STOP_SEARCH_BWV = FileSource(
    name="stop_search_bwv",
    globs=(STOP_SEARCH_BWV_FILES.glob,),
    read_files=monthly_force_csv(STOP_SEARCH_BWV_COLUMNS, STOP_SEARCH_BWV_FILES, "search_date"),
    columns={"search_reference": "varchar", "search_date": "varchar", "bwv_recorded": "varchar",
             **MONTHLY_COLUMNS},
    models=("fact_stop_search_bwv",),
    description="core.fact_stop_search_bwv: whether body-worn video recorded each stop and search.",
    identify=identify_monthly(STOP_SEARCH_BWV_FILES),
)

SOURCES = (USE_OF_FORCE, STOP_SEARCH_BWV)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
