"""Read-only access to the published warehouse, for analysts.

    bash run.sh sql "select * from marts.national_measures where quarter_end = '2022-03-31'"
    python -m pipelines.analyst                      # an interactive Python prompt with `conn` open

The published file is only ever replaced whole (pipelines/resources.py: Warehouse.publish), so an
open connection keeps answering from the state it opened, whatever a run is doing; reconnect to see
a newer publication. Nothing here can write, attach another file or copy data out to a file.
"""

from __future__ import annotations

import argparse
import code
import sys
from pathlib import Path

import duckdb
import pandas as pd

from assets.board_pack.workbook import FORMULA_PREFIXES
from assets.lib.resources import warehouse_path
from assets.lib.validation import map_text

CSV_FORMULA_PREFIXES = (*FORMULA_PREFIXES, "\t", "\r")


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse that can only read it.

    The file is attached to a private in-memory database, so every new connection sees the latest
    publication even while an older connection to the previous file is still open in this process
    (DuckDB shares one instance per open path). External access is then switched off and the
    configuration locked: no ATTACH of another file (the runs' working copy included), no COPY TO,
    no reading or writing files elsewhere."""
    published = path or warehouse_path()
    if not published.exists():
        raise FileNotFoundError(f"no published warehouse at {published}: run `bash run.sh pipeline` first")
    conn = duckdb.connect(":memory:")
    conn.execute("attach ? as warehouse (read_only)", [str(published)])
    conn.execute("use warehouse")
    conn.execute("set enable_external_access = false")
    conn.execute("set lock_configuration = true")
    return conn


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first) gets a
    leading apostrophe, as the board workbook stores it: opening the CSV in Excel never runs it."""
    return map_text(frame, lambda v: "'" + v if v.startswith(CSV_FORMULA_PREFIXES) else v)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("query", nargs="?", help="SQL to run; without it, an interactive prompt")
    parser.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    args = parser.parse_args(argv)
    conn = connect()
    if args.query is None:
        code.interact(banner=f"read-only connection to {warehouse_path()} as `conn`; e.g. "
                            "conn.sql('show all tables').show()", local={"conn": conn})
        return 0
    result = conn.sql(args.query)
    if args.csv:
        formula_safe(result.df()).to_csv(sys.stdout, index=False)
    else:
        result.show(max_rows=200, max_width=200)
    return 0


if __name__ == "__main__":
    sys.exit(main())
