"""marts.kpi_assurance on hand-built tables: Making Data Count's assurance of a KPI's target from the XmR
limits of its monthly values, worked by hand."""

from __future__ import annotations

import duckdb
import pytest

from assets.lib.sql import build_table

WM = "E23000014"
MONTHS = [f"2021-{m:02d}-01" for m in range(4, 13)] + [f"2022-{m:02d}-01" for m in range(1, 4)]


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema core; create schema marts")
    conn.execute("create table marts.pcp_scorecard (force_code varchar, quarter_end date, kpi_id varchar, "
                 "metric varchar, target_kind varchar, target double, baseline_low double)")
    conn.execute("insert into marts.pcp_scorecard values "
                 f"('{WM}', '2022-03-31', 'pcsos', 'pcsos', 'at_least', 464, null), "
                 f"('{WM}', '2022-03-31', 'positive', 'stop_search_positive_outcome_rate', 'at_least', 50, null), "
                 f"('{WM}', '2022-03-31', 'bwv', 'bwv_stop_search_pct', 'baseline_band', null, 92), "
                 f"('{WM}', '2022-03-31', 'injuries', 'use_of_force_serious_injuries', 'at_most', 42, null), "
                 f"('{WM}', '2022-03-31', 'ratio', 'search_ratio_black', 'monitor', null, null)")
    conn.execute("create table core.fact_workforce (force_code varchar, snapshot_date date, role varchar, "
                 "headcount integer)")
    # PCSOs at each month end, and an earlier snapshot in April that the month-end one supersedes
    pcsos = [470, 472, 468, 474] * 3
    conn.executemany("insert into core.fact_workforce values (?, last_day(?::date), 'PCSO', ?)",
                     [(WM, month, n) for month, n in zip(MONTHS, pcsos, strict=True)])
    conn.execute(f"insert into core.fact_workforce values ('{WM}', '2021-04-10', 'PCSO', 300)")
    conn.execute("create table core.fact_stop_search (force_code varchar, month date, outcome_recorded boolean, "
                 "is_positive_outcome boolean)")
    # four searches with an outcome a month, one positive: 25% every month
    conn.executemany("insert into core.fact_stop_search values (?, ?, true, ?)",
                     [(WM, month, n == 0) for month in MONTHS for n in range(4)])
    conn.execute("create table core.fact_stop_search_bwv (force_code varchar, month date, is_bwv_recorded boolean)")
    # video in 19 of 20 searches (95%) in six months only
    conn.executemany("insert into core.fact_stop_search_bwv values (?, ?, ?)",
                     [(WM, month, n > 0) for month in MONTHS[6:] for n in range(20)])
    conn.execute("create table core.fact_use_of_force (force_code varchar, month date, is_bwv_recorded boolean)")
    build_table(conn, "kpi_assurance")
    return conn


def assurance(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = conn.execute("select kpi_id, months, round(centre, 4), round(lower_limit, 4), round(upper_limit, 4), "
                        "assurance from marts.kpi_assurance").fetchall()
    return {row[0]: row[1:] for row in rows}


def test_a_target_inside_the_limits_is_hit_and_miss(conn) -> None:
    # 470 472 468 474 x3: mean 471; moving ranges 2 4 6 4 2 4 6 4 2 4 6 = 44 / 11 = 4; limits 471 +/- 10.64
    assert assurance(conn)["pcsos"] == (12, 471.0, 460.36, 481.64, "hit_and_miss")


def test_a_target_above_the_upper_limit_is_consistently_missed(conn) -> None:
    # 25% every month: no variation, limits 25 and 25, the 50% target above both
    assert assurance(conn)["positive"] == (12, 25.0, 25.0, 25.0, "consistently_missed")


def test_too_few_months_and_targets_without_a_monthly_chart(conn) -> None:
    rows = assurance(conn)
    assert rows["bwv"][0] == 6 and rows["bwv"][-1] == "not_enough_data"  # six months of twelve needed
    # a 12-month count (serious injuries) and a KPI without a target have no monthly judgement at all
    assert "injuries" not in rows and "ratio" not in rows


def test_a_lower_limit_above_the_target_is_consistently_met(conn) -> None:
    conn.execute("update marts.pcp_scorecard set target = 450 where kpi_id = 'pcsos'")
    build_table(conn, "kpi_assurance")
    assert assurance(conn)["pcsos"][-1] == "consistently_met"  # 460.36 > 450


def test_a_missing_month_is_a_gap_the_moving_range_never_crosses(conn) -> None:
    # without May 2021 (472): April 470, (gap), June 468, 474 470 472 468 474 470 472 468 474; no range across the
    # gap, so ranges June to March 6 4 2 4 6 4 2 4 6 = 38 / 9; mean of the 11 values 5,180 / 11
    conn.execute("delete from core.fact_workforce where snapshot_date = '2021-05-31'")
    build_table(conn, "kpi_assurance")
    months, centre, lower, upper, verdict = assurance(conn)["pcsos"]
    assert months == 11 and centre == pytest.approx(round(5_180 / 11, 4))
    assert upper - centre == pytest.approx(2.66 * 38 / 9, abs=1e-3)
