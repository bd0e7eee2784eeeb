"""Partitions shared by the assets of month-by-month sources."""

from __future__ import annotations

import os

from dagster import MonthlyPartitionsDefinition

# The national baseline starts July 2018; forces usually hold a few years before it. Earlier
# deliveries need POLICING_FIRST_MONTH set (read when the definitions load).
FIRST_MONTH = os.environ.get("POLICING_FIRST_MONTH", "2015-04-01")

monthly_partitions = MonthlyPartitionsDefinition(start_date=FIRST_MONTH, end_offset=0)


def month_of(partition_key: str) -> str:
    """'2022-03-01' -> '2022-03', the period written in file names."""
    return partition_key[:7]
