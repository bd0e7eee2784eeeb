"""Jobs: what a data engineer launches from the UI or the CLI."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from assets.partitions import monthly_partitions

monthly_sources = define_asset_job(
    "monthly_sources",
    selection=AssetSelection.groups("ingest", "validation") | AssetSelection.assets("fact_recorded_crime"),
    partitions_def=monthly_partitions,
    description="Load one month of force extracts (or a backfill of a month range) into the warehouse.",
)

reference_and_marts = define_asset_job(
    "reference_and_marts",
    selection=AssetSelection.all() - AssetSelection.groups("ingest", "validation")
    - AssetSelection.assets("fact_recorded_crime"),
    description="Rebuild the dimensions and every mart from what the warehouse holds.",
)

all_jobs = [monthly_sources, reference_and_marts]
