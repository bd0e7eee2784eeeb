"""Great Expectations' SQL execution engine over a DuckDB connection we already hold.

GX 1.x validates a SQL table by compiling each expectation's metrics to queries, so the rows never
leave DuckDB (no DataFrame copied per rule, as its pandas engine does). Two things stand in the way
with duckdb-engine, both fixed by the dialect below rather than by changing GX:
- GX returns a query's result after leaving `with engine.connect()`, and SQLAlchemy rolls the
  connection back there. A DuckDB connection is its own cursor, so the rollback discards the rows GX
  then reads ("IndexError: list index out of range", GX issues #10738 and #11579). Validation only
  reads, so this dialect runs without transactions: begin, commit and rollback do nothing.
- GX writes a regex rule only for dialects it knows. DuckDB takes PostgreSQL's `~` (a search, as
  pandas' `str.contains` is), so the dialect names PostgreSQL for that purpose only.
"""

from __future__ import annotations

from typing import Any

import duckdb
import duckdb_engine
import sqlalchemy.dialects.postgresql as postgresql
from sqlalchemy.dialects import registry

URL = "duckdb+validation:///:memory:"


class ValidationDialect(duckdb_engine.Dialect):
    """duckdb-engine for reads only: no transactions, and PostgreSQL's regex operator for GX."""

    supports_statement_cache = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # get_dialect_regex_expression asks `issubclass(dialect.dialect, postgresql.dialect)`: on the
        # instance, because SQLAlchemy reads a class attribute of that name as the dialect to load
        self.dialect = postgresql.dialect

    def do_begin(self, dbapi_connection: Any) -> None:
        pass

    def do_commit(self, dbapi_connection: Any) -> None:
        pass

    def do_rollback(self, dbapi_connection: Any) -> None:
        pass


class _Borrowed(duckdb_engine.ConnectionWrapper):
    """A connection lent to GX: it is the caller's to close, not SQLAlchemy's pool's."""

    def close(self) -> None:
        pass


registry.register("duckdb.validation", __name__, "ValidationDialect")


def engine_kwargs(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """create_engine arguments (GX's SQL data source `kwargs`) that make every GX query run on `conn`, so GX
    sees the tables and registered frames of that connection."""
    return {"creator": lambda: _Borrowed(conn)}
