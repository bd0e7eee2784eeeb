"""Analysts read, and only read: the read-only connection and the CSV output of `bash run.sh sql`."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from pipelines.analyst import connect, main


def _warehouse(path: Path, value: int) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.t as select ? as value, '=HYPERLINK(\"http://x\",\"y\")' as label", [value])


def test_the_analyst_connection_cannot_write_attach_or_copy_out(tmp_path):
    published = tmp_path / "policing.duckdb"
    _warehouse(published, 1)
    working_copy = tmp_path / ".build" / "policing.duckdb"
    working_copy.parent.mkdir()
    _warehouse(working_copy, 1)
    conn = connect(published)
    assert conn.execute("select value from marts.t").fetchall() == [(1,)]
    refused = [
        f"attach '{working_copy}' as b (read_only false)",  # the runs' working copy
        f"copy marts.t to '{tmp_path / 'out.csv'}'",
        f"select * from read_csv('{tmp_path / 'out.csv'}')",
        "set enable_external_access = true",
        "delete from marts.t",
    ]
    for statement in refused:
        with pytest.raises(duckdb.Error):
            conn.execute(statement)
    assert not (tmp_path / "out.csv").exists()
    with duckdb.connect(str(working_copy), read_only=True) as check:
        assert check.execute("select count(*) from marts.t").fetchall() == [(1,)]


def test_a_new_connection_sees_the_latest_publication_while_an_old_one_is_open(tmp_path):
    published = tmp_path / "policing.duckdb"
    _warehouse(published, 1)
    old = connect(published)
    newer = tmp_path / ".policing.duckdb.publishing"
    _warehouse(newer, 2)
    os.replace(newer, published)  # what Warehouse.publish does
    assert connect(published).execute("select value from marts.t").fetchall() == [(2,)]
    assert old.execute("select value from marts.t").fetchall() == [(1,)]  # the state it opened


def test_csv_output_neutralises_formula_text(tmp_path, monkeypatch, capsys):
    published = tmp_path / "policing.duckdb"
    _warehouse(published, 7)
    monkeypatch.setenv("POLICING_WAREHOUSE_PATH", str(published))
    assert main(["select value, label from marts.t", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["value,label", '7,"\'=HYPERLINK(""http://x"",""y"")"']
