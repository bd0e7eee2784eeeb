"""The one Definitions object: every asset, check, job and resource of the project."""

from __future__ import annotations

import warnings

from dagster import (
    BetaWarning,
    Definitions,
    load_asset_checks_from_modules,
    load_assets_from_modules,
    with_source_code_references,
)

from assets.board_pack import assets as board_pack
from assets.board_pack import publication
from assets.dimensions import assets as dimensions
from assets.lib.resources import Exports, LandingFolder, exports_path, landing_path, make_warehouse
from assets.marts import assets as marts
from assets.marts import board_paper
from assets.recorded_crime import assets as recorded_crime
from pipelines.jobs import all_jobs
from pipelines.run_storage import keep_event_log_connections
from pipelines.schedules import quarterly_refresh_schedule
from pipelines.sensors import landing_files_sensor, marts_after_monthly_load
from pipelines.sources import file_source_assets

# one folder per source (pipelines/sources.py lists the file sources), then the marts and the board pack
# code references are marked beta in Dagster 1.13; the console is for the data engineer, not for them
warnings.filterwarnings("ignore", category=BetaWarning)
# the processes that load these definitions write the run's events: with Dagster's SQLite event log keeping
# its connections (pipelines/run_storage.py)
keep_event_log_connections()

ASSET_MODULES = [dimensions, recorded_crime, marts, board_paper, board_pack, publication]

defs = Definitions(
    # each asset links to the code that defines it (shown in the UI beside its definition)
    assets=with_source_code_references([*load_assets_from_modules(ASSET_MODULES), *file_source_assets]),
    asset_checks=load_asset_checks_from_modules(ASSET_MODULES),
    jobs=all_jobs,
    schedules=[quarterly_refresh_schedule],
    sensors=[landing_files_sensor, marts_after_monthly_load],
    resources={
        "warehouse": make_warehouse(),
        "landing": LandingFolder(root=str(landing_path())),
        "exports": Exports(root=str(exports_path())),
    },
)
