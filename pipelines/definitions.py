"""The one Definitions object: every asset, check, job and resource of the project."""

from __future__ import annotations

from dagster import Definitions, load_asset_checks_from_modules, load_assets_from_modules

from assets import exports, marts, publication, recorded_crime, reference
from assets.force_operations import force_operations_assets
from assets.public_sources import public_source_assets
from pipelines.jobs import all_jobs
from pipelines.resources import Exports, LandingFolder, exports_path, landing_path, make_warehouse
from pipelines.schedules import quarterly_refresh_schedule
from pipelines.sensors import landing_files_sensor, marts_after_monthly_load

ASSET_MODULES = [reference, recorded_crime, marts, exports, publication]

defs = Definitions(
    assets=[*load_assets_from_modules(ASSET_MODULES), *public_source_assets, *force_operations_assets],
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
