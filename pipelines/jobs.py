"""Jobs: what a data engineer launches from the UI or the CLI, and what schedules and sensors start.

Every job carries the policing/writes-warehouse tag: the instance (pipelines/dagster.yaml) lets one
such run execute at a time.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from assets.lib.partitions import monthly_partitions

WRITES_WAREHOUSE = {"policing/writes-warehouse": "true"}
MONTHLY_ASSETS = ("crime_extracts", "validated_crime_extracts", "fact_recorded_crime")
monthly = AssetSelection.assets(*MONTHLY_ASSETS)

sources = AssetSelection.all() - monthly - AssetSelection.groups("marts")
marts = AssetSelection.groups("marts")

monthly_sources = define_asset_job(
    "monthly_sources",
    selection=monthly,
    partitions_def=monthly_partitions,
    tags=WRITES_WAREHOUSE,
    description="Load force crime extracts: one month (the sensor's runs), or a range of months in one run "
    "(a backfill: every file of the range read and validated once).",
)

sources_refresh = define_asset_job(
    "sources_refresh",
    selection=sources,
    tags=WRITES_WAREHOUSE,
    description="Every reference dimension and file source (only new or changed files are read). The main job "
    "runs it before the month range, so the crime extracts are checked against this delivery's offence codes.",
)

marts_refresh = define_asset_job(
    "marts_refresh",
    selection=marts,
    tags=WRITES_WAREHOUSE,
    description="Rebuild the marts and board documents from the warehouse and publish.",
)

quarterly_refresh = define_asset_job(
    "quarterly_refresh",
    selection=sources | marts,
    tags=WRITES_WAREHOUSE,
    description="sources_refresh then marts_refresh in one run: every dimension and file source, every mart "
    "and board document, then publication (the schedule's run before each board).",
)


def month_range_tags(first: str, last: str) -> dict[str, str]:
    """The tags that make one run of a partitioned job cover a range of months ('2018-04' to '2020-03')."""
    return {ASSET_PARTITION_RANGE_START_TAG: f"{first}-01", ASSET_PARTITION_RANGE_END_TAG: f"{last}-01"}


all_jobs = [monthly_sources, sources_refresh, marts_refresh, quarterly_refresh]
