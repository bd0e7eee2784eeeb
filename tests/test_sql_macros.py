"""The SQL macros every model may use (sql/macros.sql), on hand-worked dates and deliveries: the one definition
of a financial year, of a window in words, of a delivered month and of the quarters a figure is reported for."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from assets.lib.sql import macros_sql


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema meta; create schema marts")
    conn.execute("create table meta.loaded_files (source varchar, file_name varchar, force_code varchar, "
                 "period date, sha256 varchar, rows integer, loaded_at timestamp, run_id varchar)")
    conn.execute("create table marts.reporting_quarters (force_code varchar, quarter_end date)")
    conn.execute(macros_sql())
    return conn


@pytest.mark.parametrize(("day", "start", "label"), [
    ("2022-03-31", "2021-04-01", "2021/22"),  # the last day of a financial year
    ("2022-04-01", "2022-04-01", "2022/23"),  # the first day of the next
    ("2021-12-31", "2021-04-01", "2021/22"),
    ("1999-06-30", "1999-04-01", "1999/00"),  # the century turns: two digits, not "/100"
])
def test_financial_year(conn, day: str, start: str, label: str) -> None:
    assert conn.execute("select financial_year_start(?::date), financial_year_label(?::date)",
                        [day, day]).fetchone() == (dt.date.fromisoformat(start), label)


@pytest.mark.parametrize(("first", "last", "months", "year_to_date"), [
    ("2021-04-01", "2022-03-31", "April 2021 to March 2022", "2021/22"),
    ("2021-04-01", "2021-06-30", "April to June 2021", "April to June 2021 (2021/22 to date)"),
    ("2021-04-01", "2021-12-31", "April to December 2021", "April to December 2021 (2021/22 to date)"),
    ("2022-02-01", "2022-02-28", "February 2022", "February 2022 (2021/22 to date)"),
    ("2021-12-01", "2022-02-28", "December 2021 to February 2022", "December 2021 to February 2022 (2021/22 to date)"),
])
def test_windows_in_words(conn, first: str, last: str, months: str, year_to_date: str) -> None:
    assert conn.execute("select months_label(?::date, ?::date), year_to_date_label(?::date, ?::date)",
                        [first, last, first, last]).fetchone() == (months, year_to_date)


def test_delivered_months_and_the_quarters_a_figure_is_reported_for(conn) -> None:
    conn.execute("insert into meta.loaded_files (source, file_name, force_code, period) values "
                 "('operations', 'a', 'E1', '2022-03-01'), ('operations', 'b', 'E1', '2022-03-01'), "
                 "('operations', 'c', 'E1', '2022-05-01'), ('operations', 'd', null, '2022-06-01'), "
                 "('fraud_reports', 'e', 'E2', '2022-06-01'), ('census', 'f', 'E1', null)")
    conn.execute("insert into marts.reporting_quarters values ('E1', '2021-12-31')")
    # a month delivered twice is one month; a file without a force or a period is no month of anyone's
    assert conn.execute("select * from delivered_months(['operations']) order by all").fetchall() == [
        ("operations", "E1", dt.date(2022, 3, 1)), ("operations", "E1", dt.date(2022, 5, 1))]
    # the reporting quarter, and March (a quarter's last month) but not May
    assert conn.execute("select * from paper_quarters(['operations']) order by all").fetchall() == [
        ("E1", dt.date(2021, 12, 31)), ("E1", dt.date(2022, 3, 31))]
    assert conn.execute("select * from paper_quarters(['operations', 'fraud_reports']) order by all").fetchall() == [
        ("E1", dt.date(2021, 12, 31)), ("E1", dt.date(2022, 3, 31)), ("E2", dt.date(2022, 6, 30))]


def test_a_table_read_through_a_macro_is_in_the_models_lineage() -> None:
    from assets.lib.sql import macro_inputs, model_inputs

    # paper_quarters reads marts.reporting_quarters: every model that calls it depends on that asset
    assert macro_inputs()["paper_quarters"] == frozenset({"reporting_quarters"})
    assert "reporting_quarters" not in open_model("paper_firearms")  # not named in the model itself ...
    assert "reporting_quarters" in model_inputs("paper_firearms")  # ... yet upstream of it


def open_model(model: str) -> str:
    from assets.lib.sql import model_sql

    return model_sql(model)
