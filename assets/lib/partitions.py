"""Partitions shared by the assets of month-by-month sources."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from dagster import AssetExecutionContext, MonthlyPartitionsDefinition

from assets.lib.sql import TABLE_NAMED

# The national baseline starts July 2018; forces usually hold a few years before it. Earlier
# deliveries need POLICING_FIRST_MONTH set (read when the definitions load).
FIRST_MONTH = os.environ.get("POLICING_FIRST_MONTH", "2015-04-01")

monthly_partitions = MonthlyPartitionsDefinition(start_date=FIRST_MONTH, end_offset=0)


def month_of(partition_key: str) -> str:
    """'2022-03-01' -> '2022-03', the period written in file names."""
    return partition_key[:7]


def describe_range(context: AssetExecutionContext, metadata: Mapping[str, Any], rows_by_month: Mapping[str, int],
                   on_every_month: Sequence[str] = ()) -> None:
    """Put a run's `metadata` on the materialization of each month of its range (`context.partition_keys`).

    Dagster copies a result's metadata onto every partition's event, so a five-year range wrote the table's
    column schema, preview and file lists 60 times (18 KB an event, 180 events, each stored twice: about a
    second of a nine-second run spent serialising them). Here each month's event carries the table's name
    and row count, the keys in `on_every_month` and its own rows (`dagster/partition_row_count`, from
    `rows_by_month` by 'YYYY-MM'); the rest (the table's schema, preview, file lists) goes on the last month's
    only: the asset's latest materialization, the one the UI shows for the asset."""
    everywhere = {key: value for key, value in metadata.items() if key in (*TABLE_NAMED, *on_every_month)}
    keys = context.partition_keys
    for key in keys:
        context.add_asset_metadata(
            {**(metadata if key == keys[-1] else everywhere),
             "dagster/partition_row_count": int(rows_by_month.get(month_of(key), 0))}, partition_key=key)
