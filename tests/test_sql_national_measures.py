"""marts.national_measures on hand-made monthly counts, every expected figure worked out by hand."""

from datetime import date

import duckdb
import pandas as pd
import pytest

from assets.lib.sql import build_table

FORCE = "E23000014"


def months(first: str, last: str) -> list[date]:
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    out = []
    while (y, m) <= (ly, lm):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def in_range(month: date, first: str, last: str) -> bool:
    return month in months(first, last)


@pytest.fixture(scope="module")
def conn():
    con = duckdb.connect()
    for schema in ("core", "marts"):
        con.execute(f"create schema {schema}")
    build_table(con, "dim_measure")
    build_table(con, "national_baseline")
    con.execute("create table core.ons_pfa_values (edition_period_end date, table_id varchar, area_code varchar, "
                "area_name varchar, area_type varchar, measure varchar, value double, marker varchar)")
    rows = []
    for month in months("2018-04", "2022-03"):
        # homicide: 2 a month in the baseline year, 3 a month in 2021/22, 1 otherwise; June 2021 missing
        if month == date(2021, 6, 1):
            pass
        else:
            homicides = 2 if in_range(month, "2018-07", "2019-06") else 3 if month >= date(2021, 4, 1) else 1
            rows.append((FORCE, "homicide", month, homicides, None, False, "recorded_crime"))
        # online share: 1 in 50 in the baseline year, 5 in 50 from April 2021, 2 in 50 otherwise
        online = 1 if in_range(month, "2018-07", "2019-06") else 5 if month >= date(2021, 4, 1) else 2
        rows.append((FORCE, "online_crime_share", month, online, 50, False, "recorded_crime"))
    # HES, published a month behind: data to February 2022, 10 a month, 20 in the baseline year,
    # August 2021 suppressed
    for month in months("2018-04", "2022-02"):
        if month == date(2021, 8, 1):
            rows.append((FORCE, "hospital_admissions_sharp_object_u25", month, None, None, True, "hes"))
        else:
            value = 20 if in_range(month, "2018-07", "2019-06") else 10
            rows.append((FORCE, "hospital_admissions_sharp_object_u25", month, value, None, False, "hes"))
    con.execute(
        "create table marts.measure_counts (force_code varchar, measure_id varchar, month date, "
        "numerator double, denominator double, is_suppressed boolean, source_id varchar)"
    )
    con.executemany("insert into marts.measure_counts values (?, ?, ?, ?, ?, ?, ?)", rows)
    # sources this force never delivered: empty tables, as the pipeline leaves them
    con.execute("create schema meta")
    con.execute("create table meta.loaded_files (source varchar, file_name varchar, force_code varchar, "
                "period date, sha256 varchar, rows integer, loaded_at timestamp, run_id varchar)")
    con.execute("create table core.fact_stop_search (force_code varchar, month date)")
    con.execute("create table core.fact_workforce (force_code varchar, snapshot_date date)")
    con.execute("create table core.fact_use_of_force (force_code varchar, month date)")
    con.execute("create table core.fact_stop_search_bwv (force_code varchar, month date)")
    build_table(con, "reporting_quarters")
    build_table(con, "national_measures")
    yield con
    con.close()


def row(conn, measure: str, quarter_end: str) -> dict:
    frame = conn.execute(
        "select * from marts.national_measures where force_code = ? and measure_id = ? and quarter_end = ?",
        [FORCE, measure, quarter_end],
    ).df()
    assert len(frame) <= 1, frame
    return frame.iloc[0].to_dict() if len(frame) else None


def test_quarters_run_from_first_month_to_last_complete_quarter(conn):
    quarters = [r[0] for r in conn.execute(
        "select distinct quarter_end from marts.national_measures where measure_id = 'homicide' order by 1"
    ).fetchall()]
    assert quarters[0] == date(2018, 6, 30)
    assert quarters[-1] == date(2022, 3, 31)
    assert len(quarters) == 16  # four years of quarters, 2018/19 to 2021/22


def test_count_measure_window_baseline_previous_and_last_quarter(conn):
    r = row(conn, "homicide", "2022-03-31")
    assert (r["window_start"].date(), r["window_end"].date()) == (date(2021, 4, 1), date(2022, 3, 31))
    assert r["value"] == 33  # 11 months x 3, June 2021 missing
    assert r["baseline_value"] == 24  # 12 x 2
    assert (r["baseline_start"].date(), r["baseline_end"].date()) == (date(2018, 7, 1), date(2019, 6, 30))
    # one month missing: the sum over the 11 delivered is reported, never compared with a full year
    assert pd.isna(r["change"]) and pd.isna(r["pct_change"]) and r["direction"] is None
    assert not r["is_comparable"] and r["months_missing"] == 1
    assert r["previous_value"] == 12  # April 2020 to March 2021, 12 x 1
    assert r["last_quarter_value"] == 9  # January to March 2022
    assert r["quality_flags"] == "months_missing=1"


def test_complete_window_is_compared(conn):
    r = row(conn, "homicide", "2021-03-31")  # April 2020 to March 2021, 12 x 1, all delivered
    assert r["value"] == 12 and r["baseline_value"] == 24
    assert r["change"] == -12 and r["pct_change"] == pytest.approx(-50.0)
    assert r["direction"] == "improving" and r["is_comparable"]
    r = row(conn, "homicide", "2022-06-30")  # not a quarter: the data end in March 2022
    assert r is None


def test_previous_year_is_left_empty_when_incomplete(conn):
    r = row(conn, "homicide", "2021-12-31")
    assert (r["window_start"].date(), r["window_end"].date()) == (date(2021, 1, 1), date(2021, 12, 31))
    assert r["value"] == 3 * 1 + 8 * 3  # Jan-Mar 2021 at 1, Apr-Dec 2021 at 3 less June
    assert r["previous_value"] == 1 * 12
    r = row(conn, "homicide", "2019-06-30")
    assert r["value"] == 24 and r["pct_change"] == 0 and r["direction"] == "stable"
    assert pd.isna(r["previous_value"])  # the data start in April 2018: no complete previous year


def test_percent_measure_recomputed_from_window_counts(conn):
    r = row(conn, "online_crime_share", "2022-03-31")
    assert r["unit"] == "percent"
    assert r["value"] == pytest.approx(100 * 60 / 600)  # 10.0%
    assert r["baseline_value"] == pytest.approx(100 * 12 / 600)  # 2.0%
    assert r["pct_change"] == pytest.approx(400.0)
    assert r["direction"] == "worsening"


def test_lagged_source_window_and_suppression_flag(conn):
    r = row(conn, "hospital_admissions_sharp_object_u25", "2022-03-31")
    assert (r["window_start"].date(), r["window_end"].date()) == (date(2021, 3, 1), date(2022, 2, 28))
    assert r["value"] == 110  # 11 published months of 10, August 2021 suppressed
    assert r["baseline_value"] == 240
    assert r["quality_flags"] == "suppressed_months=1"
    # a suppressed month is not a zero: the window is incomplete, so neither compared nor coloured
    assert pd.isna(r["change"]) and pd.isna(r["pct_change"]) and r["direction"] is None
    assert r["suppressed_months"] == 1 and not r["is_comparable"]
    assert r["previous_value"] == 120  # March 2020 to February 2021: 12 published months of 10
    r = row(conn, "hospital_admissions_sharp_object_u25", "2021-06-30")  # June 2020 to May 2021, all published
    assert r["value"] == 120 and r["change"] == -120 and r["pct_change"] == pytest.approx(-50.0)
    assert r["direction"] == "improving"


def test_first_quarter_flags_missing_months_and_baseline(conn):
    r = row(conn, "homicide", "2018-06-30")
    assert r["value"] == 3  # April to June 2018
    assert r["quality_flags"] == "months_missing=9"
    assert r["months_missing"] == 9 and pd.isna(r["pct_change"]) and r["direction"] is None


def test_england_and_wales_change_says_which_edition_is_missing(conn):
    # no ONS editions in this fixture at all
    r = row(conn, "homicide", "2022-03-31")
    assert pd.isna(r["england_wales_pct_change"])
    assert r["england_wales_source"] == ("not available: no ONS PFA tables edition for the year ending June 2019 "
                                         "delivered")
    assert row(conn, "online_crime_share", "2022-03-31")["england_wales_source"] is None  # ONS has no such figure
    # with the baseline edition but none for the window's year: the missing edition is named
    conn.execute("insert into core.ons_pfa_values values ('2019-06-30', 'P1', 'K04000001', 'England and Wales', "
                 "'Country', 'Homicide', 681, null)")
    build_table(conn, "national_measures")
    try:
        assert row(conn, "homicide", "2022-03-31")["england_wales_source"] == (
            "not available: no ONS PFA tables edition for the year ending March 2022 delivered")
    finally:
        conn.execute("delete from core.ons_pfa_values")
        build_table(conn, "national_measures")
