"""Force extracts (agreed layouts in SOURCES.md): CSV read by DuckDB as text, every field kept as delivered.

Typing happens in the staging SQL and the rules in the Great Expectations suites, so a bad value is
reported with its file and row instead of failing a cast halfway through a load.

Every force source reads its files here. A range of files is one DuckDB statement (a month range of
crime extracts is read in parallel, straight into a warehouse table); a file DuckDB cannot read is
found by reading each file on its own, only on that error path, and rejected with the row and column
a person can find in a spreadsheet. Each file's header is read first, in Python, because the header
decides the columns: a missing required column, an empty file or another kind of file is rejected
before DuckDB opens it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from assets.lib.errors import RejectedFile, read_delivered_file
from assets.lib.sql import drop_relation

# Row numbers as a spreadsheet shows them: the header is row 1.
FIRST_DATA_ROW = 2
# What is trimmed from both ends of every value: Unicode's White_Space characters (a pasted no-break space
# or em space is as invisible to a supplier as an ordinary one). Trimming copies every value, a third of the
# cost of reading them, so only the values of rows that need it are trimmed.
WHITE_SPACE = "".join(map(chr, (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                0x2028, 0x2029, 0x202F, 0x205F, 0x3000)))
# How DuckDB reads the contract's CSV: comma separated, double quotes doubled inside a quoted field, an
# empty field (quoted or not) is null; no sniffing, so a file reads the same whatever its first rows hold.
_CSV_OPTIONS = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', filename = true"


@dataclass(frozen=True)
class ForceCsv:
    """One delivered file to read: where it is, and values to put on each of its rows (force, month, hash)."""

    path: Path
    constants: Mapping[str, str] = field(default_factory=dict)


def _header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise RejectedFile(path, "file is empty: a header row is required", row=1)
    return [name.strip() for name in header]


def checked_header(path: Path, columns: Sequence[str]) -> list[str]:
    """The file's header (names trimmed), the file rejected when a required column is missing from it."""
    header = _header(path)
    missing = [c for c in columns if c not in header]
    if missing:
        raise RejectedFile(path, f"required column(s) missing from the header: {', '.join(missing)}",
                           row=1, column=missing[0])
    return header


def _bad_record(path: Path, header: list[str]) -> tuple[int | None, str | None, str]:
    """The row a CSV parse error refers to, the column it names and why, in the header's words; only runs on
    the error path."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        for number, record in enumerate(csv.reader(handle), start=1):
            if len(record) < len(header):
                return number, header[len(record)], (
                    f"the row is cut short: {len(record)} of the header's {len(header)} fields, no value from "
                    f"column '{header[len(record)]}' on")
            if len(record) > len(header):
                return number, header[-1], (
                    f"the row has {len(record)} fields, the header {len(header)}: a value past the last column "
                    f"'{header[-1]}' (an unquoted comma?)")
    return None, None, "the file does not parse as CSV"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _trimmed(column: str) -> str:
    return f"case when padded then trim({column}, '{WHITE_SPACE}') else {column} end"


def _group_query(paths: Sequence[Path], header: tuple[str, ...], columns: Sequence[str],
                 optional: Sequence[str]) -> str:
    """The rows of files that share one header: the wanted columns by position (a header's names are only
    trusted once trimmed), each optional one with its `_supplied` flag, and the file each row came from."""
    positions = {name: f"c{i}" for i, name in reversed(list(enumerate(header)))}  # the first of a repeated name
    kinds = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    fields = [f"{_trimmed(positions[c])} as \"{c}\"" for c in columns]
    for column in optional:
        present = column in positions
        fields.append(f"{_trimmed(positions[column]) if present else 'null::varchar'} as \"{column}\"")
        fields.append(f"'{'Y' if present else 'N'}' as \"{column}_supplied\"")
    files = "[" + ", ".join(_literal(str(p)) for p in paths) + "]"
    # a row with a value that starts or ends with white space: found by one regex over its values joined by
    # the unit separator (U+001F), which a delivered value does not hold
    wanted = "concat_ws(chr(31), " + ", ".join(positions[c] for c in (*columns, *optional) if c in positions) + ")"
    return (f"select {', '.join(fields)}, filename from ("
            f"select *, regexp_matches({wanted}, '(^|\x1f)[{WHITE_SPACE}]|[{WHITE_SPACE}](\x1f|$)') as padded "
            f"from read_csv({files}, columns = {kinds}, {_CSV_OPTIONS}))")


def _rejection(path: Path, header: list[str], error: duckdb.Error) -> RejectedFile:
    """Why DuckDB could not read the file, at the row and column Python's csv module finds; what Python's own
    reading of the file runs into (text that is not UTF-8) becomes, through read_delivered_file, the precise
    rejection any file gets."""
    def explain(_: Path) -> None:
        row, column, why = _bad_record(path, header)
        raise RejectedFile(path, f"not a well-formed CSV: {why} ({str(error).splitlines()[0]})", row=row,
                           column=column)
    try:
        read_delivered_file(explain, path)
    except RejectedFile as rejection:
        return rejection
    raise AssertionError("explain always raises")


def source_rows(conn: duckdb.DuckDBPyConnection, table: str) -> tuple[str, dict[str, int]]:
    """How to number the rows of `table` (rows read, with the file each came from in `filename`) as their rows
    in their files (the header is row 1): an SQL expression over the table as `read` and the registered
    `delivered_files` (whose `first_row_id` column this fills), and each file's first row id.

    DuckDB numbering rows as it reads (row_number() over the scan) makes the read one ordered stream: the
    read, the trimming and the writing all on one core, half the speed of the read itself. Instead the
    files are read in parallel, in order (DuckDB keeps insertion order), each header's files in one
    statement, so a file's rows are consecutive row ids and its first row is the lowest. Where that does not
    hold (a file's row ids are not one run), the rows are numbered by row id within each file instead."""
    runs = conn.execute(f"select filename, min(rowid), max(rowid) - min(rowid) + 1 = count(*) from {table} "
                        "group by filename").fetchall()
    firsts = {name: int(first) for name, first, _ in runs}
    if all(one_run for *_, one_run in runs):
        return f"read.rowid - delivered_files.first_row_id + {FIRST_DATA_ROW}", firsts
    return f"row_number() over (partition by read.filename order by read.rowid) + {FIRST_DATA_ROW - 1}", firsts


def load_force_csvs(conn: duckdb.DuckDBPyConnection, table: str, files: Sequence[ForceCsv],
                    columns: Sequence[str], optional: Sequence[str] = (), constants: Sequence[str] = (),
                    derived: Mapping[str, str] | None = None) -> tuple[dict[str, int], list[RejectedFile]]:
    """Make `table` the rows of every readable file and return the rows read per file name and the
    rejected files (a file with no rows under its header has no entry in the counts).

    `table` is a view, over the rows as read (`<table>_as_read`) and a row per file (`<table>_files`), which
    `drop_force_csvs` drops with it. It holds every column as text (an empty field null), the optional
    columns after the required ones, each followed by its `<column>_supplied` ('Y': the file had the
    column, 'N': it did not, so an empty value is told apart from a file that never carried it), then the
    `derived` columns (name: SQL over the columns), source_file, source_row and the values each file puts
    on its rows (`constants` names them).

    Call it outside a transaction (autocommit): a file DuckDB cannot read fails the statement reading it,
    which in autocommit costs that statement only, while in an open transaction DuckDB would abort the whole
    transaction and the other files could not be read after it. The three are working relations, made
    again by the next call, so what a crash between its statements leaves behind does no harm."""
    derived = dict(derived or {})
    headed, rejected = [], []
    for file in files:
        try:
            headed.append((file, read_delivered_file(lambda path: checked_header(path, columns), file.path)))
        except RejectedFile as error:
            rejected.append(error)
    read_columns = [*columns, *(name for column in optional for name in (column, f"{column}_supplied"))]
    definitions = ", ".join(f'"{name}" varchar' for name in (*read_columns, "filename"))
    # the rows as read, before they are numbered and named (the working table `table` is made from it)
    read = f"{table}_as_read"

    def create(readable: list[tuple[ForceCsv, list[str]]]) -> None:
        conn.execute(f"create or replace table {read} ({definitions})")
        by_header: dict[tuple[str, ...], list[Path]] = {}
        for file, header in readable:
            by_header.setdefault(tuple(header), []).append(file.path)
        for header, paths in by_header.items():
            conn.execute(f"insert into {read} by name {_group_query(paths, header, columns, optional)}")

    try:
        create(headed)
    except duckdb.Error:
        # a file DuckDB could not read: reading each on its own (on a connection of its own, which nothing
        # else shares) finds which, then the rest are read
        readable = []
        with duckdb.connect() as probe:
            for file, header in headed:
                try:
                    alone = _group_query([file.path], tuple(header), columns, optional)
                    probe.execute(f"select count(*) from ({alone})")
                    readable.append((file, header))
                except duckdb.Error as error:
                    rejected.append(_rejection(file.path, header, error))
        headed = readable
        create(headed)
    # the file's name, its row numbers and its constants put on the rows by a view, not a copy: copying the
    # rows into a table of their own cost a third of the read again (2.7 to 4.2 s of 7.6 to 10.4 s for 3.4 M
    # rows), and a scan of the view (the suite's queries, the load) joins the few rows of `{table}_files` at
    # a fraction of that
    numbering, firsts = source_rows(conn, read)
    named = [(file, header) for file, header in headed if str(file.path) in firsts]
    delivered = pa.table({"filename": pa.array([str(file.path) for file, _ in named], pa.string()),
                          "first_row_id": pa.array([firsts[str(file.path)] for file, _ in named], pa.int64()),
                          "source_file": pa.array([file.path.name for file, _ in named], pa.string()),
                          **{name: pa.array([file.constants[name] for file, _ in named], pa.string())
                             for name in constants}})
    conn.register("delivered_files", delivered)
    try:
        conn.execute(f"create or replace table {table}_files as select * from delivered_files")
    finally:
        conn.unregister("delivered_files")
    fields = [*(f'read."{name}"' for name in read_columns),
              *(f'{expression} as "{name}"' for name, expression in derived.items()),
              "delivered_files.source_file", f"{numbering} as source_row",
              *(f'delivered_files."{name}"' for name in constants)]
    drop_relation(conn, table)
    conn.execute(f"create view {table} as select {', '.join(fields)} from {read} as read "
                 f"inner join {table}_files as delivered_files using (filename)")
    counts = conn.execute(f"select source_file, count(*) from {read} inner join {table}_files using (filename) "
                          "group by source_file").fetchall()
    return {name: int(rows) for name, rows in counts}, rejected


def drop_force_csvs(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop what `load_force_csvs` made for `table` (the view and the two tables under it), if it is there."""
    drop_relation(conn, table)
    for part in ("files", "as_read"):
        conn.execute(f"drop table if exists {table}_{part}")


def read_force_frames(files: Sequence[ForceCsv], columns: Sequence[str], constants: Sequence[str] = (),
                      derived: Mapping[str, str] | None = None) -> list[tuple[Path, pd.DataFrame | RejectedFile]]:
    """The files of a small source (a folder of monthly logs), read in one DuckDB statement: each file's rows
    as a DataFrame (`load_force_csvs`' columns), or why it was rejected. One statement for the folder, as
    a statement's own cost is several times that of reading a file of a few hundred rows."""
    with duckdb.connect() as conn:
        _, rejected = load_force_csvs(conn, "delivery", files, columns, (), constants, derived)
        frame = conn.sql("select * from delivery order by source_file, source_row").to_arrow_table().to_pandas()
    by_file = {name: rows.reset_index(drop=True) for name, rows in frame.groupby("source_file", sort=False)}
    outcomes: list[tuple[Path, pd.DataFrame | RejectedFile]] = [(error.path, error) for error in rejected]
    failed = {error.path for error in rejected}
    return outcomes + [(file.path, by_file.get(file.path.name, frame.iloc[0:0].reset_index(drop=True)))
                       for file in files if file.path not in failed]


def read_force_table(path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> pa.Table:
    """One force file as an Arrow table: every column as text, then source_file and source_row. Extra
    columns are ignored; a missing one, or a row DuckDB cannot read, rejects the file (RejectedFile)."""
    with duckdb.connect() as conn:
        _, rejected = load_force_csvs(conn, "delivery", [ForceCsv(path)], columns, optional)
        if rejected:
            raise rejected[0]
        return conn.sql("select * from delivery order by source_row").to_arrow_table()


def read_force_csv(path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """`read_force_table` as a DataFrame."""
    return read_force_table(path, columns, optional).to_pandas()
