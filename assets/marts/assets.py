"""Marts: the measures' monthly counts and series, and the national measures scorecard."""


import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, MaterializeResult, MetadataValue, asset, asset_check

from assets.lib.reference_data import (
    PEER_GROUPS,
    SPC_CONFIG,
    kpi_config_path,
    read_kpi_config,
    read_kpi_settings,
    read_peer_groups,
    read_spc_config,
)
from assets.lib.resources import Warehouse
from assets.lib.sql import (
    MART_TABLE,
    build_incremental_table,
    build_table,
    build_table_from,
    sql_deps,
    table_metadata,
)
from assets.recorded_crime.assets import ensure_fact_table

GROUP = "marts"


def _build(warehouse: Warehouse, model: str) -> MaterializeResult:
    with warehouse.transaction() as conn:
        table = build_table(conn, model)
        return MaterializeResult(metadata=table_metadata(conn, table))


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("recorded_crime_counts"),
       description="marts.recorded_crime_counts: crime records counted by force, month, offence code and the flags "
       "the measures split on. Only the months loaded since the last build are counted again (all of them when "
       "sql/marts/recorded_crime_counts.sql changed), so the cost follows the months loaded, not the history held.")
def recorded_crime_counts(warehouse: Warehouse) -> MaterializeResult:
    with warehouse.transaction() as conn:
        ensure_fact_table(conn)
        table, months = build_incremental_table(conn, "recorded_crime_counts", ["force_code", "month"],
                                                "file_sha256", "select * from recorded_crime_loads()")
        return MaterializeResult(metadata={**table_metadata(conn, table),
                                           "months_counted": "all" if months is None else months})


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("measure_counts"),
       description="Monthly numerator and denominator of every measure per force; where each measure is "
       "defined (sql/marts/measure_counts.sql).")
def measure_counts(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "measure_counts")


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("measure_monthly"),
       description="marts.measure_monthly: force_code, measure_id, month, value, the trend behind each measure.")
def measure_monthly(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "measure_monthly")


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("reporting_quarters"),
       description="marts.reporting_quarters: every quarter each force has data for, from any source it "
       "delivers (the quarters of the national measures and the KPI scorecard).")
def reporting_quarters(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "reporting_quarters")


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("kpi_assurance"),
       description="marts.kpi_assurance: whether each KPI with a target will meet it (NHS Making Data Count): the XmR "
       "limits of its metric month by month over the 24 months to the quarter end, and where the target falls "
       "against them: consistently met, consistently missed, or hit and miss.")
def kpi_assurance(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "kpi_assurance")


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("measure_spc"),
       description="marts.measure_spc: an XmR chart per force and measure (NHS Making Data Count): centre line and "
       "natural process limits from the baseline months of reference/spc.toml, and the signal rules (outside the "
       "limits, a shift of 7, a trend of 7, 2 of 3 beyond two thirds) with the variation they show.")
def measure_spc(warehouse: Warehouse) -> MaterializeResult:
    from assets.board_pack.assets import TREND_MEASURES, png_metadata
    from assets.board_pack.charts import spc_chart_png

    config = pd.DataFrame([read_spc_config()])
    with warehouse.transaction() as conn:
        table = build_table_from(conn, "measure_spc", {"spc_config": config})
        metadata = table_metadata(conn, table)
        # the charts of the force with the most data, one measure a chart, as the UI shows them
        charts = conn.execute(
            "select spc.*, m.measure_name from marts.measure_spc spc join core.dim_measure m using (measure_id) "
            "where force_code = (select force_code from marts.measure_spc group by 1 order by count(*) desc, 1 "
            "limit 1) and list_contains(?, measure_id)", [list(TREND_MEASURES)]).df()
    for measure_id, series in charts.groupby("measure_id"):
        title = f"{series['measure_name'].iloc[0]}, {series['force_code'].iloc[0]}: XmR chart"
        metadata[f"spc_{measure_id}"] = png_metadata(spc_chart_png(series, title))
    return MaterializeResult(metadata={**metadata, "spc_config": MetadataValue.path(str(SPC_CONFIG))})


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("force_comparison"),
       description="marts.force_comparison: where each force stands, per ONS PFA tables edition and offence group: "
       "rate per 1,000 residents, the England and Wales rate, rank among all forces, quartile and the peer "
       "group's average (reference/peer_groups.toml).")
def force_comparison(warehouse: Warehouse) -> MaterializeResult:
    peers = pd.DataFrame(read_peer_groups(), columns=["force_code", "peer_code"], dtype="str")
    with warehouse.transaction() as conn:
        table = build_table_from(conn, "force_comparison", {"peer_groups": peers})
        return MaterializeResult(metadata={**table_metadata(conn, table),
                                           "peer_groups": MetadataValue.path(str(PEER_GROUPS))})


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("national_measures"),
       description="marts.national_measures: each measure over the latest 12 months against the year to "
       "June 2019 baseline (the force's own records, else the ONS published figure), per force and quarter, "
       "with the England and Wales change where ONS publishes it.")
def national_measures(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "national_measures")


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("baseline_reconciliation"),
       description="marts.baseline_reconciliation: the baseline year as the force's records count it beside the "
       "ONS published figure, for every offence group both have.")
def baseline_reconciliation(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "baseline_reconciliation")


@asset(group_name=GROUP, **MART_TABLE, deps=sql_deps("measure_breakdowns"),
       description="marts.measure_breakdowns: the shares the board paper quotes beside homicide (12-month window) "
       "and firearm discharges (the quarter).")
def measure_breakdowns(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "measure_breakdowns")


@asset(group_name=GROUP, **MART_TABLE,
       deps=sql_deps("pcp_scorecard"),
       description="marts.pcp_scorecard: the Police and Crime Plan KPIs per force and quarter, with targets and "
       "status from reference/pcp_kpis.toml (edit it, then re-materialize this asset alone).")
def pcp_scorecard(warehouse: Warehouse) -> MaterializeResult:
    config = pd.DataFrame(read_kpi_config())
    for column in ("target", "baseline_low", "baseline_high"):
        if column not in config:
            config[column] = None
        config[column] = pd.to_numeric(config[column])
    settings = pd.DataFrame([read_kpi_settings()])
    with warehouse.transaction() as conn:
        table = build_table_from(conn, "pcp_scorecard", {"pcp_kpi_config": config, "pcp_kpi_settings": settings})
        metadata = table_metadata(conn, table)
    return MaterializeResult(metadata={**metadata, "kpi_config": MetadataValue.path(str(kpi_config_path()))})


@asset_check(asset=pcp_scorecard, description="Every KPI of the config file is on the latest quarter's scorecard "
             "(a misspelt metric would otherwise drop out silently).")
def pcp_scorecard_complete(warehouse: Warehouse) -> AssetCheckResult:
    configured = {kpi["id"] for kpi in read_kpi_config()}
    with warehouse.get_connection() as conn:
        present = {row[0] for row in conn.execute(
            "select distinct kpi_id from marts.pcp_scorecard where quarter_end = "
            "(select max(quarter_end) from marts.pcp_scorecard)").fetchall()}
    missing = sorted(configured - present)
    # a warning: a force that does not deliver, say, workforce snapshots still gets the rest
    return AssetCheckResult(passed=not missing, severity=AssetCheckSeverity.WARN,
                            metadata={"missing_kpis": MetadataValue.json(missing)})


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
