"""Marts: the measures' monthly counts and series, and the national measures scorecard."""


from dagster import AssetCheckResult, AssetKey, MaterializeResult, asset, asset_check

from assets.recorded_crime import ensure_fact_table, fact_recorded_crime
from assets.reference import dim_measure, dim_offence
from assets.sql import build_table, table_metadata
from pipelines.resources import Warehouse

GROUP = "marts"


def _build(warehouse: Warehouse, model: str) -> MaterializeResult:
    with warehouse.transaction() as conn:
        table = build_table(conn, model)
        return MaterializeResult(metadata=table_metadata(conn, table))


@asset(group_name=GROUP, deps=[fact_recorded_crime, dim_offence, dim_measure, AssetKey("fact_hes_admissions")],
       description="Monthly numerator and denominator of every measure per force; where each measure is "
       "defined (sql/marts/measure_counts.sql).")
def measure_counts(warehouse: Warehouse) -> MaterializeResult:
    with warehouse.transaction() as conn:
        ensure_fact_table(conn)
        table = build_table(conn, "measure_counts")
        return MaterializeResult(metadata=table_metadata(conn, table))


@asset(group_name=GROUP, deps=[measure_counts],
       description="marts.measure_monthly: force_code, measure_id, month, value, the trend behind each measure.")
def measure_monthly(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "measure_monthly")


@asset(group_name=GROUP, deps=[measure_counts, dim_measure, AssetKey("ons_pfa_values")],
       description="marts.national_measures: each measure over the latest 12 months against the year to "
       "June 2019 baseline (the force's own records, else the ONS published figure), per force and quarter, "
       "with the England and Wales change where ONS publishes it.")
def national_measures(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "national_measures")


@asset(group_name=GROUP, deps=[measure_counts, AssetKey("ons_pfa_values")],
       description="marts.baseline_reconciliation: the baseline year as the force's records count it beside the "
       "ONS published figure, for every offence group both have.")
def baseline_reconciliation(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "baseline_reconciliation")


@asset_check(asset=national_measures, blocking=True,
             description="One row per force, quarter and measure; windows of at most 12 months.")
def national_measures_grain(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, keys, long_windows = conn.execute(
            "select count(*), count(distinct (force_code, quarter_end, measure_id)),"
            " count(*) filter (where date_diff('month', window_start, window_end) > 11)"
            " from marts.national_measures"
        ).fetchone()
    return AssetCheckResult(passed=rows == keys and long_windows == 0,
                            metadata={"rows": rows, "distinct_keys": keys, "windows_over_12_months": long_windows})
