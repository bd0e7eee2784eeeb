"""What the agreed workbook layouts (HES, workforce) share: a fixed header row, checked cell by cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assets.lib.errors import RejectedFile

HEADER_SEARCH_ROWS = 30


def cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def check_fixed_header(
    rows: list[tuple], header: Sequence[str], header_row: int, reject: Callable[..., RejectedFile]
) -> None:
    """The header must sit exactly at `header_row` with exactly these columns; a header found
    elsewhere is reported where it is, so the supplier knows it moved rather than vanished."""
    header_at = next(
        (i + 1 for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
         if cell_text(row[0]) == header[0] and cell_text(row[1]) == header[1]),
        None,
    )
    if header_at is not None and header_at != header_row:
        raise reject(f"the header must be in row {header_row}, found in row {header_at}", header_at)
    if len(rows) < header_row:
        raise reject(f"the header must be in row {header_row}; the sheet has {len(rows)} row(s)", header_row)
    found = rows[header_row - 1]
    for column, expected in enumerate(header, start=1):
        if cell_text(found[column - 1]) != expected:
            raise reject(f"header must be {expected!r} (found {found[column - 1]!r})", header_row, column)
    if cell_text(found[len(header)]):
        raise reject(f"unexpected column {found[len(header)]!r} after '{header[-1]}'", header_row, len(header) + 1)
