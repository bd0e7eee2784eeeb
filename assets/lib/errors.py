"""The one error a parser raises for a file that breaks the landing contract."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class RejectedFile(Exception):
    """A landed file broke the landing contract.

    The message always names the file, where in it (row and column for CSV, sheet and cell
    for workbooks) and the rule broken, because the person reading it is a data engineer
    who has to go back to the supplier with exactly that.
    """

    def __init__(
        self,
        path: str | Path,
        rule: str,
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.rule = rule
        self.row = row
        self.column = column
        self.sheet = sheet
        self.cell = cell
        super().__init__(f"{self.path.name}: {self.location}: {rule}")

    @property
    def location(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts) or "whole file"


def read_delivered_file(read: Callable[[Path], T], path: Path) -> T:
    """Read a delivered file; any failure of the reader becomes a rejection of that file.

    Parsers raise RejectedFile for the rules they know; anything else a real delivery can throw at
    them (another encoding, a truncated workbook, a file of another type) must still end as a named,
    quarantined file rather than a crashed run that fails the same way every time after."""
    try:
        return read(path)
    except RejectedFile:
        raise
    except Exception as error:  # noqa: BLE001 - the file, not the run, is what failed
        kind = {UnicodeDecodeError: "the file is not UTF-8 text"}.get(type(error), type(error).__name__)
        raise RejectedFile(path, f"the file could not be read ({kind}: {error})") from error
