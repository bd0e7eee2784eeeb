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

# Row numbers as a spreadsheet shows them: the header is row 1.
FIRST_DATA_ROW = 2


def _header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise RejectedFile(path, "file is empty: a header row is required", row=1)
    return [name.strip() for name in header]


def _line_of_bad_record(path: Path, expected_fields: int) -> int | None:
    """Find the row a CSV parse error refers to; only runs on the error path."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        for number, record in enumerate(csv.reader(handle), start=1):
            if len(record) != expected_fields:
                return number
    return None


def read_force_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read a force extract with every column as text, plus source_file and source_row.

    Empty fields become nulls. Extra columns are ignored; a missing one rejects the file.
    """
    return read_force_table(path, columns).to_pandas()


def read_force_table(path: Path, columns: tuple[str, ...]) -> pa.Table:
    """`read_force_csv` as an Arrow table, which DuckDB takes without a copy."""
    header = _header(path)
    missing = [c for c in columns if c not in header]
    if missing:
        raise RejectedFile(path, f"required column(s) missing from the header: {', '.join(missing)}",
                           row=1, column=missing[0])
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf8"),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                include_columns=list(columns),
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as error:
        row = _line_of_bad_record(path, len(header))
        raise RejectedFile(path, f"not a well-formed CSV ({error})", row=row) from error
    rows = table.num_rows
    table = pa.table({column: pc.utf8_trim_whitespace(table[column]) for column in columns})
    table = table.append_column("source_file", pa.array([path.name] * rows, pa.string()))
    return table.append_column("source_row", pa.array(range(FIRST_DATA_ROW, FIRST_DATA_ROW + rows), pa.int64()))
