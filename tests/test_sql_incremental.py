"""marts.recorded_crime_counts is kept up to date month by month (assets/lib/sql.py: build_incremental_table):
a month is counted again only when its load changed, a month withdrawn loses its counts, and an edited model is
built in full. Worked on a hand-made fact table of six records."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from assets.lib.sql import build_incremental_table

APR, MAY = dt.date(2019, 4, 1), dt.date(2019, 5, 1)
FIRST_FILE, SECOND_FILE = "a1" * 32, "b2" * 32  # the SHA-256 of the file a month was loaded from
FORCE = "E23000014"


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema meta; create schema marts; create schema core")
    conn.execute("create table meta.loaded_files (source varchar, file_name varchar, force_code varchar, "
                 "period date, sha256 varchar, rows integer, loaded_at timestamp, run_id varchar)")
    conn.executemany("insert into meta.loaded_files (source, force_code, period, sha256) values (?, ?, ?, ?)", [
        ("recorded_crime", FORCE, APR, FIRST_FILE), ("recorded_crime", FORCE, MAY, FIRST_FILE),
        # another source's month is not a month of recorded crime
        ("drug_activity", FORCE, APR, FIRST_FILE)])
    conn.execute("create table core.fact_recorded_crime (force_code varchar, month date, offence_code varchar, "
                 "is_counted boolean, victim_age integer, is_knife_or_sharp_instrument boolean, is_online boolean)")
    conn.executemany("insert into core.fact_recorded_crime values (?, ?, ?, ?, ?, ?, ?)", [
        (FORCE, APR, "1", True, 20, False, False),
        (FORCE, APR, "1", True, 30, False, False),
        (FORCE, APR, "1", True, 19, False, False),
        (FORCE, APR, "1", False, 20, False, False),  # cancelled
        (FORCE, MAY, "39", True, None, None, True),  # age not recorded: not under 25
        (FORCE, MAY, "39", True, None, None, True),
    ])
    return conn


def build(conn) -> int | None:
    _, months = build_incremental_table(conn, "recorded_crime_counts", ["force_code", "month"], "file_sha256",
                                        "select * from recorded_crime_loads()")
    return months


def counts(conn) -> set[tuple]:
    return set(conn.execute("select month, file_sha256, offence_code, is_counted, is_victim_under_25, "
                            "is_knife_or_sharp_instrument, is_online, records from marts.recorded_crime_counts"
                            ).fetchall())


# April's counts of the first build: three counted homicides (two victims under 25) and one cancelled
APRIL = {
    (APR, FIRST_FILE, "1", True, True, False, False, 2),
    (APR, FIRST_FILE, "1", True, False, False, False, 1),
    (APR, FIRST_FILE, "1", False, True, False, False, 1),
}


def change_april_without_a_load(conn) -> None:
    """The 19-year-old victim's age changed in the fact table while meta.loaded_files says nothing was loaded."""
    conn.execute(f"update core.fact_recorded_crime set victim_age = 40 where month = '{APR}' and victim_age = 19")


def test_the_first_build_counts_every_month(conn):
    assert build(conn) is None  # built in full
    assert counts(conn) == {
        *APRIL,
        (MAY, FIRST_FILE, "39", True, None, None, True, 2),
    }


def test_only_a_month_loaded_again_is_counted_again(conn):
    build(conn)
    assert build(conn) == 0  # nothing loaded since: nothing counted
    # May re-delivered: its rows replaced, and the file it was loaded from recorded
    conn.execute(f"delete from core.fact_recorded_crime where month = '{MAY}'")
    conn.execute(f"insert into core.fact_recorded_crime values ('{FORCE}', '{MAY}', '39', true, 12, true, false)")
    conn.execute("update meta.loaded_files set sha256 = ? where source = 'recorded_crime' and period = ?",
                 [SECOND_FILE, MAY])
    # a record changed in April without a load: not seen, which shows that April was not counted again
    change_april_without_a_load(conn)
    assert build(conn) == 1
    assert counts(conn) == {
        *APRIL,
        (MAY, SECOND_FILE, "39", True, True, True, False, 1),
    }


def test_a_month_withdrawn_loses_its_counts(conn):
    build(conn)
    conn.execute(f"delete from core.fact_recorded_crime where month = '{MAY}'")
    conn.execute(f"delete from meta.loaded_files where period = '{MAY}'")
    assert build(conn) == 1
    assert {row[0] for row in counts(conn)} == {APR}


def test_an_edited_model_is_built_in_full(conn):
    build(conn)
    change_april_without_a_load(conn)
    conn.execute("update meta.incremental_models set sql_sha256 = 'the sql of an earlier release'")
    assert build(conn) is None
    assert (APR, FIRST_FILE, "1", True, True, False, False, 1) in counts(conn)
    assert (APR, FIRST_FILE, "1", True, False, False, False, 2) in counts(conn)


def test_a_month_recorded_twice_in_loaded_files_is_still_counted_once(conn):
    # a load replaces its month's row, so this never happens; if it did, the join must not double the records
    conn.execute("insert into meta.loaded_files (source, force_code, period, sha256) values "
                 "('recorded_crime', ?, ?, ?)", [FORCE, APR, "0f" * 32])
    build(conn)
    assert {row for row in counts(conn) if row[0] == APR} == APRIL  # each record once
