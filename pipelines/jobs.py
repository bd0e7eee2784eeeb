"""Jobs: what a data engineer launches from the UI or the CLI, and what schedules and sensors start.

Every job carries the policing/writes-warehouse tag: the instance (pipelines/dagster.yaml) lets one
such run execute at a time.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from assets.partitions import monthly_partitions

WRITES_WAREHOUSE = {"policing/writes-warehouse": "true"}
MONTHLY_ASSETS = ("crime_extracts", "validated_crime_extracts", "fact_recorded_crime")
monthly = AssetSelection.assets(*MONTHLY_ASSETS)

monthly_sources = define_asset_job(
    "monthly_sources",
    selection=monthly,
    partitions_def=monthly_partitions,
    tags=WRITES_WAREHOUSE,
    description="Load one month of force crime extracts (or a backfill of a month range, one run a month).",
)

quarterly_refresh = define_asset_job(
    "quarterly_refresh",
    selection=AssetSelection.all() - monthly,
    tags=WRITES_WAREHOUSE,
    description="Every dimension and file source (only new or changed files are read), every mart and board "
    "document, then publication.",
)

marts_refresh = define_asset_job(
    "marts_refresh",
    selection=AssetSelection.groups("marts"),
    tags=WRITES_WAREHOUSE,
    description="Rebuild the marts and board documents from the warehouse and publish.",
)

all_jobs = [monthly_sources, quarterly_refresh, marts_refresh]
