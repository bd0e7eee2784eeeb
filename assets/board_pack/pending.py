"""Board documents are published with the warehouse, never ahead of it.

The documents asset writes what changed into ``exports/.pending/``; the publication asset writes a commit
record there naming a token it also stores in the warehouse (``meta.publication``), swaps the warehouse in,
then moves the pending documents over the published ones and freezes the board's quarter. Whatever stops
it, the next run settles the folder first (:func:`settle_pending`): documents whose warehouse was published
are moved in; documents whose publication never happened are thrown away, and the previous documents,
snapshots and warehouse stay together.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import duckdb

PENDING = ".pending"
COMMIT_RECORD = ".commit.json"
PUBLICATION_TABLE = "meta.publication"


def pending_dir(exports: Path) -> Path:
    return exports / PENDING


def new_token() -> str:
    return uuid.uuid4().hex


def record_publication(conn: duckdb.DuckDBPyConnection, token: str) -> None:
    """Store the publication's token in the warehouse about to be published."""
    conn.execute("create schema if not exists meta")
    conn.execute(f"create or replace table {PUBLICATION_TABLE} as select ? as token, now() as published_at",
                 [token])


def write_commit_record(exports: Path, token: str, freeze_quarter: str | None) -> None:
    """Say which publication the pending documents belong to, before the warehouse is swapped in."""
    folder = pending_dir(exports)
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / COMMIT_RECORD
    temporary = record.with_suffix(".tmp")
    temporary.write_text(json.dumps({"token": token, "freeze_quarter": freeze_quarter}), encoding="utf-8")
    os.replace(temporary, record)


def _published_token(published: Path) -> str | None:
    if not published.exists():
        return None
    with duckdb.connect(":memory:") as conn:
        conn.execute("attach ? as published (read_only)", [str(published)])
        exists = conn.execute("select count(*) from duckdb_tables() where database_name = 'published' and "
                              "schema_name = 'meta' and table_name = 'publication'").fetchone()[0]
        if not exists:
            return None
        row = conn.execute("select token from published.meta.publication").fetchone()
        return row[0] if row else None


def settle_pending(exports: Path, published: Path, freeze) -> dict[str, list[str]]:
    """Finish or undo an earlier publication's documents: move them in when the published warehouse carries
    their token, else discard them. `freeze(quarter_end)` freezes a board quarter's documents once they are
    in place. Returns the documents moved in, discarded and frozen."""
    folder = pending_dir(exports)
    outcome: dict[str, list[str]] = {"moved": [], "discarded": [], "frozen": []}
    if not folder.exists():
        return outcome
    record_path = folder / COMMIT_RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else None
    documents = sorted(p for p in folder.iterdir() if p.is_file() and p.name != COMMIT_RECORD
                       and not p.name.endswith(".tmp"))
    if record is not None and record["token"] == _published_token(published):
        # the fingerprints last: until they move, the next run would rewrite these documents anyway
        for path in sorted(documents, key=lambda p: p.name.startswith(".")):
            os.replace(path, exports / path.name)
            outcome["moved"].append(path.name)
        if record.get("freeze_quarter"):
            outcome["frozen"] = freeze(record["freeze_quarter"])
    else:
        outcome["discarded"] = [p.name for p in documents]
    shutil.rmtree(folder, ignore_errors=True)
    return outcome
