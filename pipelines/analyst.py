"""Read-only access to the published warehouse, for analysts.

    bash run.sh sql "select * from marts.national_measures where quarter_end = '2022-03-31'"
    python -m pipelines.analyst                      # an interactive Python prompt with `conn` open

The published file is only ever replaced whole (pipelines/resources.py: Warehouse.publish), so an
open connection keeps answering from the state it opened, whatever a run is doing; reconnect to see
a newer publication. Nothing here can write.
"""

from __future__ import annotations

import argparse
import code
import sys
from pathlib import Path

import duckdb

from pipelines.resources import warehouse_path


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse."""
    published = path or warehouse_path()
    if not published.exists():
        raise FileNotFoundError(f"no published warehouse at {published}: run `bash run.sh pipeline` first")
    return duckdb.connect(str(published), read_only=True)


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
        result.df().to_csv(sys.stdout, index=False)
    else:
        result.show(max_rows=200, max_width=200)
    return 0


if __name__ == "__main__":
    sys.exit(main())
