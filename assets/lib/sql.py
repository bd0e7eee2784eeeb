"""Run the SQL models in sql/: one model per file, named for the table (or view) it produces.

Staging models become temporary views for the transaction that uses them; core and marts models
become tables. Every build happens inside the caller's transaction, so a failure leaves the
previous table in place.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from dagster import AssetKey, MetadataValue, TableColumn, TableSchema

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
# what a table asset says about itself in the Dagster UI: what it is made with and who answers for it
CORE_TABLE = {"kinds": {"duckdb", "sql"}, "owners": ["team:data-engineering"]}
MART_TABLE = {"kinds": {"duckdb", "sql"}, "owners": ["team:performance-analysis"]}
LAYERS = ("staging", "core", "marts")
PREVIEW_ROWS = 10


def _model_files(model: str) -> list[Path]:
    return [SQL_DIR / layer / f"{model}.sql" for layer in LAYERS if (SQL_DIR / layer / f"{model}.sql").exists()]


@cache
def model_path(model: str) -> Path:
    matches = _model_files(model)
    if len(matches) != 1:
        raise FileNotFoundError(f"expected exactly one sql/<layer>/{model}.sql, found {matches}")
    return matches[0]


def model_sql(model: str) -> str:
    return model_path(model).read_text(encoding="utf-8")


_TABLE_REFERENCE = re.compile(r"\b(?:core|marts)\.([a-z_][a-z0-9_]*)\b")
_STAGING_REFERENCE = re.compile(r"\b(stg_[a-z0-9_]+)\b")


_MACRO = re.compile(r"create or replace temp macro ([a-z_][a-z0-9_]*)\(", re.IGNORECASE)


@cache
def macro_inputs() -> dict[str, frozenset[str]]:
    """The core and marts tables each macro of sql/macros.sql reads (paper_quarters: marts.reporting_quarters),
    including through the macros it calls, so a model that reads a table through a macro still depends on it."""
    sql = re.sub(r"--[^\n]*", "", macros_sql())
    starts = [(match.group(1), match.start()) for match in _MACRO.finditer(sql)]
    bodies = {name: sql[start:end] for (name, start), (_, end) in zip(starts, [*starts[1:], ("", len(sql))],
                                                                        strict=True)}
    inputs = {name: set(_TABLE_REFERENCE.findall(body)) for name, body in bodies.items()}
    for _ in bodies:  # macros calling macros: a few passes settle it
        for name, body in bodies.items():
            for other in bodies:
                if other != name and re.search(rf"\b{other}\(", body):
                    inputs[name] |= inputs[other]
    return {name: frozenset(tables) for name, tables in inputs.items()}


@cache
def model_inputs(model: str) -> frozenset[str]:
    """The core and marts tables a model reads, directly, through the staging views it selects from or through
    the macros it calls (comments aside)."""
    sql = re.sub(r"--[^\n]*", "", model_sql(model))
    found = set(_TABLE_REFERENCE.findall(sql))
    for view in set(_STAGING_REFERENCE.findall(sql)) - {model}:
        found |= model_inputs(view)
    for macro, tables in macro_inputs().items():
        if re.search(rf"\b{macro}\(", sql):
            found |= tables
    return frozenset(found - {model})


def sql_deps(*models: str) -> list[AssetKey]:
    """The assets the models of one asset depend on, read from their SQL: every table is the asset of the
    same name. Lineage comes from the models, never from a hand-written list that can drift from them."""
    return [AssetKey(table) for table in sorted(set().union(*(model_inputs(m) for m in models)) - set(models))]


def schema_of(model: str) -> str:
    return model_path(model).parent.name


def create_staging_view(conn: duckdb.DuckDBPyConnection, model: str) -> None:
    conn.execute(f"create or replace temp view {model} as {model_sql(model)}")


def build_table(conn: duckdb.DuckDBPyConnection, model: str) -> str:
    """(Re)build a core or marts model as a table, described in the warehouse; returns its qualified name."""
    table = f"{schema_of(model)}.{model}"
    conn.execute(macros_sql())
    conn.execute(f"create or replace table {table} as {model_sql(model)}")
    describe_table(conn, table, model)
    return table


# the SQL each incrementally built table was last built from in full: a model edited since is built in full again
INCREMENTAL_MODELS = "meta.incremental_models"


def build_incremental_table(conn: duckdb.DuckDBPyConnection, model: str, keys: Sequence[str], stamp: str,
                            stamps: str) -> tuple[str, int | None]:
    """Build a model's table again only for the keys whose stamp changed. `stamps` is a query of every key the
    table should hold and its stamp (a month and the hash of the file it was loaded from); the keys whose stamp
    the table does not hold, or that it holds and `stamps` does not, lose their rows and are selected again from
    the model. The table is built in full when it does not exist or its model's SQL (or sql/macros.sql) is not
    the one it was built from. Returns the table and how many keys were built again (None: the whole table)."""
    table = f"{schema_of(model)}.{model}"
    conn.execute(macros_sql())
    # the macros too: the model may read through one (recorded_crime_loads)
    digest = hashlib.sha256((macros_sql() + model_sql(model)).encode()).hexdigest()
    conn.execute(f"create table if not exists {INCREMENTAL_MODELS} (model varchar, sql_sha256 varchar)")
    built = conn.execute(f"select sql_sha256 from {INCREMENTAL_MODELS} where model = ?", [model]).fetchone()
    if not table_exists(conn, table) or built is None or built[0] != digest:
        build_table(conn, model)
        conn.execute(f"delete from {INCREMENTAL_MODELS} where model = ?", [model])
        conn.execute(f"insert into {INCREMENTAL_MODELS} (model, sql_sha256) values (?, ?)", [model, digest])
        describe_table(conn, INCREMENTAL_MODELS, "incremental_models")
        return table, None
    listed, held = ", ".join(keys), f"select distinct {', '.join(keys)}, {stamp} from {table}"
    conn.execute(f"""
        create or replace temp table changed_keys as
        select distinct {listed} from (
            ({held} except select {listed}, {stamp} from ({stamps}))
            union all
            (select {listed}, {stamp} from ({stamps}) except {held})
        )""")
    changed = conn.execute("select count(*) from changed_keys").fetchone()[0]
    if changed:
        conn.execute(f"delete from {table} using changed_keys where "
                     + " and ".join(f"{table}.{key} = changed_keys.{key}" for key in keys))
        conn.execute(f"insert into {table} by name select * from ({model_sql(model)}) semi join changed_keys "
                     f"using ({listed})")
    conn.execute("drop table changed_keys")
    return table, int(changed)


@cache
def macros_sql() -> str:
    """sql/macros.sql, read once: created on the connection before each build."""
    return (SQL_DIR / "macros.sql").read_text(encoding="utf-8")


def write_frame(conn: duckdb.DuckDBPyConnection, table: str, frame: Any, *, append: bool = False) -> None:
    """A DataFrame or Arrow table into a warehouse table: replacing it, or appended to it."""
    conn.register("frame_to_write", frame)
    try:
        conn.execute(f"insert into {table} select * from frame_to_write" if append
                     else f"create or replace table {table} as select * from frame_to_write")
    finally:
        conn.unregister("frame_to_write")


def model_description(model: str) -> str:
    """What a model holds: the comment lines that open its SQL file."""
    lines = []
    for line in model_sql(model).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


@cache
def column_descriptions() -> dict[str, dict[str, str]]:
    """model -> column -> description, from sql/columns.toml (the one place columns are described)."""
    path = SQL_DIR / "columns.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def describe_table(conn: duckdb.DuckDBPyConnection, table: str, model: str) -> None:
    """COMMENT ON the table (its model's opening comment) and its columns (sql/columns.toml), so an analyst
    sees them in the warehouse (duckdb_tables(), duckdb_columns()) and the Dagster UI in the column schema."""
    if _model_files(model):  # meta tables have no model file
        conn.execute(f"comment on table {table} is {_quoted(model_description(model))}")
    columns = {name for name, *_ in table_columns(conn, table)}
    for column, text in column_descriptions().get(model, {}).items():
        if column in columns:
            conn.execute(f'comment on column {table}."{column}" is {_quoted(text)}')


def build_table_from(conn: duckdb.DuckDBPyConnection, model: str, inputs: dict[str, Any]) -> str:
    """Build a model that also reads in-memory inputs (configuration read from reference/ as DataFrames),
    registered under the names the model's SQL uses for as long as the build takes."""
    for name, frame in inputs.items():
        conn.register(name, frame)
    try:
        return build_table(conn, model)
    finally:
        for name in inputs:
            conn.unregister(name)


def quoted_list(values: Sequence[str]) -> str:
    """Values as a SQL list of string literals, for the places a parameter cannot go (a view, an IN list
    built once); an empty list is a list holding only '' so that `in (...)` stays valid."""
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values) or "''"


# `table` as DuckDB resolves a name: schema.table of the connection's database (core.dim_force), else an attached
# database's main schema (scratch.crime_extracts); a bare name in the current schema. {name}: the catalog
# function's column for the relation's name
_NAMED = ("((database_name = current_database() and schema_name || '.' || {name} = $table) "
          "or (schema_name = 'main' and database_name || '.' || {name} = $table) "
          "or (database_name = current_database() and schema_name = current_schema() and {name} = $table))")


def _is_view(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(conn.execute(f"select count(*) from duckdb_views() where not internal and "
                             f"{_NAMED.format(name='view_name')}", {"table": table}).fetchall()[0][0])


def table_exists(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `schema.table` (a table or a view) is in the connection's database, or `database.table` in an
    attached one."""
    return _is_view(conn, table) or bool(conn.execute(
        f"select count(*) from duckdb_tables() where {_NAMED.format(name='table_name')}", {"table": table}
    ).fetchall()[0][0])


def drop_relation(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop `table` (named as table_exists names it) if it exists, whether a table or a view: DuckDB's DROP
    must name the kind, and a working table an earlier release made as a table may be a view now."""
    conn.execute(f"drop {'view' if _is_view(conn, table) else 'table'} if exists {table}")


def table_columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    """The table's columns in order (named as table_exists names it): name, data type, comment (None: none)."""
    return conn.execute(f"select column_name, data_type, comment from duckdb_columns() where "
                        f"{_NAMED.format(name='table_name')} "
                        "order by column_index", {"table": table}).fetchall()


def frame_of(conn: duckdb.DuckDBPyConnection, query: str) -> pd.DataFrame:
    """A query's rows as a DataFrame, through Arrow (five times faster than `.df()` for text columns)."""
    return conn.sql(query).to_arrow_table().to_pandas()


# the keys of table_metadata that name the table and count its rows (the rest describe it: schema, preview)
TABLE_NAMED = ("table", "dagster/table_name", "dagster/row_count")


def table_metadata(conn: duckdb.DuckDBPyConnection, table: str, where: str = "") -> dict[str, Any]:
    """Row count and a preview, the metadata every materialization carries."""
    clause = f" where {where}" if where else ""
    rows = conn.execute(f"select count(*) from {table}{clause}").fetchone()[0]
    preview = conn.execute(f"select * from {table}{clause} limit {PREVIEW_ROWS}").df()
    columns = table_columns(conn, table)
    return {
        "table": table,
        "dagster/table_name": table,
        "dagster/row_count": int(rows),
        "dagster/column_schema": TableSchema(columns=[
            TableColumn(name=name, type=kind, description=comment or None) for name, kind, comment in columns]),
        "preview": MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "(empty)"),
    }
