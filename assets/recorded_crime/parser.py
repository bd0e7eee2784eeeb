"""Force extracts (agreed layouts in SOURCES.md): CSV read as text, every field kept as delivered.

Typing happens in the staging SQL and the rules in the Great Expectations suites, so a bad value
is reported with its file and row instead of failing a cast halfway through a load.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from assets.lib.errors import RejectedFile

RECORDED_CRIME_COLUMNS = (
    "crime_reference",
    "recorded_date",
    "committed_date",
    "ho_offence_code",
    "offence_description",
    "lsoa_code",
    "victim_age",
    "domestic_abuse",
    "knife_or_sharp_instrument",
    "firearm",
    "online",
    "organised_crime_group",
    "drugs_related",
    "alcohol_related",
    "status",
)
# Optional columns (SOURCES.md, "Recorded crime, optional columns"): an extract may add them; an older
# one without them is still valid. Each is read as delivered when present, all empty when not, and
# `<column>_supplied` says which ('Y': the file had the column, 'N': it did not), so an empty value in
# a file that has the column (no suspect) is told apart from a file that never carried it.
OPTIONAL_RECORDED_CRIME_COLUMNS = ("suspect_age",)

# Row numbers as a spreadsheet shows them: the header is row 1.
FIRST_DATA_ROW = 2


def _header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise RejectedFile(path, "file is empty: a header row is required", row=1)
    return [name.strip() for name in header]


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


def read_force_csv(path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a force extract with every column as text, plus source_file and source_row.

    Empty fields become nulls. Extra columns are ignored; a missing one rejects the file. Each
    `optional` column is read when the header has it and is all nulls when not, followed by its
    `<column>_supplied` column ('Y' or 'N', the same on every row of the file).
    """
    return read_force_table(path, columns, optional).to_pandas()


def read_force_table(path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> pa.Table:
    """`read_force_csv` as an Arrow table, which DuckDB takes without a copy."""
    header = _header(path)
    missing = [c for c in columns if c not in header]
    if missing:
        raise RejectedFile(path, f"required column(s) missing from the header: {', '.join(missing)}",
                           row=1, column=missing[0])
    present = tuple(c for c in optional if c in header)
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf8"),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                include_columns=[*columns, *present],
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as error:
        row, column, why = _bad_record(path, header)
        raise RejectedFile(path, f"not a well-formed CSV: {why} ({error})", row=row, column=column) from error
    rows = table.num_rows
    fields = {column: pc.utf8_trim_whitespace(table[column]) for column in (*columns, *present)}
    for column in optional:
        if column not in present:
            fields[column] = pa.nulls(rows, pa.string())
        fields[f"{column}_supplied"] = pa.array(["Y" if column in present else "N"] * rows, pa.string())
    # the optional columns after the required ones, each followed by its _supplied column
    order = [*columns, *(name for column in optional for name in (column, f"{column}_supplied"))]
    table = pa.table({name: fields[name] for name in order})
    table = table.append_column("source_file", pa.array([path.name] * rows, pa.string()))
    return table.append_column("source_row", pa.array(range(FIRST_DATA_ROW, FIRST_DATA_ROW + rows), pa.int64()))
