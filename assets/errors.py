"""The one error a parser raises for a file that breaks the landing contract."""

from __future__ import annotations

from pathlib import Path


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
