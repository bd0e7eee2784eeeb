"""Publication as analysts and operators live it: other processes, restated data. (A killed run: test_faults.py.)"""

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Pipeline, crime, deliver_months, write_extract

ANALYST = """
import json, sys, time, duckdb
from pathlib import Path
conn = duckdb.connect(sys.argv[1], read_only=True)   # opened before the run, held throughout
ready, stop = Path(sys.argv[2]), Path(sys.argv[3])
seen, first, last = set(), None, None
while True:
    stopping = stop.exists()
    seen.add(conn.execute("select count(*) from core.fact_recorded_crime").fetchone()[0])
    last = time.time()
    if first is None:
        first = last
        ready.touch()
    if stopping:
        break
    time.sleep(0.05)
print(json.dumps({"seen": sorted(seen), "first": first, "last": last}))
"""


def quarter(pipeline: Pipeline, months=("2021-01", "2021-02", "2021-03"), rows: int = 3) -> None:
    deliver_months(pipeline.landing, months, rows)


def test_analyst_keeps_the_published_state_while_a_run_writes(tmp_path):
    pipeline = Pipeline(tmp_path)
    quarter(pipeline)
    assert pipeline.run().problems == []
    before = pipeline.query("select count(*) from core.fact_recorded_crime")[0][0]
    ready, stop = tmp_path / "reader-ready", tmp_path / "reader-stop"
    analyst = subprocess.Popen([sys.executable, "-c", ANALYST, str(pipeline.warehouse_path), str(ready), str(stop)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not ready.exists() and time.time() < deadline and analyst.poll() is None:
        time.sleep(0.05)
    assert ready.exists(), analyst.communicate()[1]
    quarter(pipeline, months=("2021-04", "2021-05", "2021-06"))
    run_started = time.time()
    assert pipeline.run().problems == []  # writes and publishes while the analyst's session is open
    run_ended = time.time()
    stop.touch()
    out, err = analyst.communicate(timeout=120)
    assert analyst.returncode == 0, err
    reader = json.loads(out)
    # the reader's session spans the whole run, publication included ...
    assert reader["first"] < run_started and reader["last"] > run_ended
    assert pipeline.query("select epoch(published_at) from meta.publication")[0][0] > run_started
    # ... and every answer in it came from the state it opened, without an error
    assert reader["seen"] == [before]
    assert pipeline.query("select count(*) from core.fact_recorded_crime") == [(before + 9,)]  # a new session


def test_restated_month_shown_beside_the_published_figures(pipeline):
    import duckdb

    from assets.lib.resources import working_copy_of

    # a warehouse whose snapshot of the measures predates some of their columns: the freeze adds them
    working = working_copy_of(pipeline.warehouse_path)
    working.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(working)) as conn:
        conn.execute("create schema snapshots")
        conn.execute("create table snapshots.national_measures (published_at timestamp, force_code varchar, "
                     "quarter_end date, measure_id varchar, value double)")
    # twelve complete months to March 2021: a board publication of 2021-Q1 freezes it
    quarter(pipeline, months=tuple(f"{year}-{month:02d}" for year, month in
                                   [(2020, m) for m in range(4, 13)] + [(2021, m) for m in range(1, 4)]))
    assert pipeline.run(board_quarter="2021-03-31").problems == []
    frozen = pipeline.query("select count(*), count(polarity), count(window_start) from snapshots.national_measures")
    assert frozen[0][0] > 0 and frozen[0][0] == frozen[0][1] == frozen[0][2]  # every column, by name
    write_extract(pipeline.landing, "2021-02", [crime("2021-02/9", "2021-02-09", "34B")])  # 3 robberies -> 1
    assert pipeline.run().problems == []
    frozen = pipeline.query("select value from snapshots.national_measures where measure_id = 'robbery' "
                            "and quarter_end = '2021-03-31'")
    assert frozen == [(36.0,)]  # what the board saw: 12 months of 3 robberies
    assert pipeline.query("select published_value, current_value, value_difference from marts.restatements "
                          "where measure_id = 'robbery' and quarter_end = '2021-03-31'") == [(36.0, 34.0, -2.0)]
    assert (pipeline.exports / "published" / "scorecard-2021-Q1.xlsx").exists()


def test_partial_and_ad_hoc_runs_never_freeze(pipeline):
    # three months on an empty warehouse: current documents are written, nothing is frozen
    quarter(pipeline)
    assert pipeline.run().problems == []
    assert (pipeline.exports / "scorecard-2021-Q1.xlsx").exists()
    assert pipeline.query("select count(*) from snapshots.national_measures") == [(0,)]
    assert not list((pipeline.exports / "published").glob("*"))
    # even a board publication of that quarter does not freeze a window with 9 months missing
    assert pipeline.run(board_quarter="2021-03-31").problems == []
    assert pipeline.query("select count(*) from snapshots.national_measures") == [(0,)]
    assert pipeline.query("select count(*) from snapshots.pcp_scorecard") == [(0,)]
    assert not list((pipeline.exports / "published").glob("*"))


def test_board_documents_are_rewritten_only_where_figures_changed(pipeline):
    quarter(pipeline, months=("2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06"))
    assert pipeline.run().problems == []
    documents = {name: pipeline.exports / name for name in ("scorecard-2021-Q1.xlsx", "statement-2021-Q1.md",
                                                            "scorecard-2021-Q2.xlsx", "statement-2021-Q2.md")}
    written = {name: path.stat().st_mtime_ns for name, path in documents.items()}
    assert pipeline.run().problems == []  # nothing changed: nothing rewritten
    assert {name: path.stat().st_mtime_ns for name, path in documents.items()} == written
    write_extract(pipeline.landing, "2021-05", [crime("2021-05/9", "2021-05-09", "34B")])  # May: 3 robberies -> 1
    assert pipeline.run().problems == []
    after = {name: path.stat().st_mtime_ns for name, path in documents.items()}
    assert after["scorecard-2021-Q1.xlsx"] == written["scorecard-2021-Q1.xlsx"]  # its window ends in March
    assert after["statement-2021-Q1.md"] == written["statement-2021-Q1.md"]
    assert after["scorecard-2021-Q2.xlsx"] > written["scorecard-2021-Q2.xlsx"]
    assert after["statement-2021-Q2.md"] > written["statement-2021-Q2.md"]


def _published_with_token(path: Path, token: str | None) -> Path:
    import duckdb

    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema meta")
        if token:
            conn.execute("create table meta.publication as select ? as token, now() as published_at", [token])
    return path


def _pending(exports: Path, documents: dict[str, str], token: str | None, freeze: str | None = None) -> None:
    from assets.board_pack.pending import write_commit_record

    folder = exports / ".pending"
    folder.mkdir(parents=True)
    for name, text in documents.items():
        (folder / name).write_text(text)
    if token:
        write_commit_record(exports, token, freeze)


def test_documents_follow_the_warehouse_they_were_written_from(tmp_path):
    from assets.board_pack.pending import settle_pending

    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "statement-2021-Q1.md").write_text("old")
    frozen = []
    # the warehouse carrying the documents' token was published: they move in, fingerprints with them
    published = _published_with_token(tmp_path / "a.duckdb", "t1")
    _pending(exports, {"statement-2021-Q1.md": "new", ".fingerprints.json": "{}"}, "t1", freeze="2021-03-31")
    outcome = settle_pending(exports, published, lambda quarter: frozen.append(quarter) or ["x"])
    assert (exports / "statement-2021-Q1.md").read_text() == "new"
    assert outcome == {"moved": ["statement-2021-Q1.md", ".fingerprints.json"], "discarded": [], "frozen": ["x"]}
    assert frozen == ["2021-03-31"] and not (exports / ".pending").exists()


def test_documents_of_a_publication_that_never_happened_are_discarded(tmp_path):
    from assets.board_pack.pending import settle_pending

    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "statement-2021-Q1.md").write_text("old")
    published = _published_with_token(tmp_path / "a.duckdb", "t0")  # the previous publication
    for token in ("t1", None):  # a commit record the warehouse does not carry; no commit record at all
        _pending(exports, {"statement-2021-Q1.md": "new"}, token, freeze="2021-03-31")
        outcome = settle_pending(exports, published, lambda quarter: ["never"])
        assert outcome == {"moved": [], "discarded": ["statement-2021-Q1.md"], "frozen": []}
        assert (exports / "statement-2021-Q1.md").read_text() == "old" and not (exports / ".pending").exists()


def test_a_failed_publication_leaves_documents_and_warehouse_together(pipeline, monkeypatch):
    from assets.lib.resources import Warehouse

    quarter(pipeline)
    assert pipeline.run().problems == []
    statement = pipeline.exports / "statement-2021-Q1.md"
    before_text, before_tables = statement.read_text(), pipeline.table_checksums()
    assert "9 robberies" in before_text  # three robberies a month
    write_extract(pipeline.landing, "2021-02", [crime("2021-02/9", "2021-02-09", "34B")])  # 3 robberies -> 1

    def disk_full(self):
        raise OSError(28, "publication failed, the published warehouse is unchanged: the disk is full")

    monkeypatch.setattr(Warehouse, "publish", disk_full)
    assert pipeline.run().problems  # the run fails at publication
    assert statement.read_text() == before_text  # the documents stay with the warehouse they came from
    assert pipeline.table_checksums() == before_tables
    monkeypatch.undo()
    assert pipeline.run().problems == []  # the next run, with no manual step
    assert "7 robberies" in statement.read_text()
    assert pipeline.query("select value from marts.national_measures where measure_id = 'robbery' and "
                          "quarter_end = '2021-03-31'") == [(7.0,)]
    assert not (pipeline.exports / ".pending").exists()
