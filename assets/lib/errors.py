"""The one error a parser raises for a file that breaks the landing contract."""

from __future__ import annotations

import codecs
import csv
import zipfile
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


# What a delivered file really is, told by its first bytes, for the files a reader could not make sense of:
# a supplier's mail client attaches the wrong file, a download stops halfway, Excel saves "Unicode text".
FOREIGN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
WORKBOOK_SIGNATURES: tuple[bytes, ...] = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
UTF16_MARKS: tuple[bytes, ...] = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _first_non_utf8(path: Path) -> RejectedFile | None:
    """The first line that is not UTF-8, and the column (as the header names it) its first bad byte falls in.
    Streams the file a line at a time: only runs on the error path, on files of any size."""
    header: list[str] = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                before = line[: error.start].decode("utf-8", errors="replace")
                fields = len(next(csv.reader([before]), [])) or 1
                column = header[fields - 1] if 0 < fields <= len(header) else None
                return RejectedFile(path, f"the file is not UTF-8 text (byte 0x{line[error.start]:02x} is not UTF-8; "
                                    "it was probably saved as Latin-1 or Windows-1252): save it as CSV UTF-8",
                                    row=number, column=column)
            if number == 1:
                header = [name.strip() for name in next(csv.reader([text]), [])]
    return None


def diagnose(path: Path) -> RejectedFile | None:
    """A precise rejection for a file its reader failed on as a whole: another type of file under this name,
    UTF-16 or Latin-1 text (with the row and column of the first byte that is not UTF-8), a damaged workbook;
    None when the first bytes say nothing more than the reader did."""
    with path.open("rb") as handle:
        head = handle.read(16)
    suffix = path.suffix.lower()
    for signature, kind in FOREIGN_SIGNATURES:
        if head.startswith(signature):
            return RejectedFile(path, f"the file is {kind}, not the {suffix} file its name says: deliver the data "
                                "file itself")
    if suffix != ".csv":
        if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
            return RejectedFile(path, f"the file is an HTML page (a download that saved the website's page), not "
                                f"the {suffix} workbook its name says: download it again")
        if head.startswith(WORKBOOK_SIGNATURES[0]) and not zipfile.is_zipfile(path):
            return RejectedFile(path, "not a readable workbook: it is damaged or cut short (the end of its zip "
                                "archive is missing): deliver it again")
        return None
    if head.startswith(WORKBOOK_SIGNATURES):
        return RejectedFile(path, "the file is an Excel workbook, not CSV text: save it as CSV UTF-8")
    if head.startswith(UTF16_MARKS):
        return RejectedFile(path, "the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: "
                            "save it as CSV UTF-8", row=1)
    return _first_non_utf8(path)


def read_delivered_file(read: Callable[[Path], T], path: Path) -> T:
    """Read a delivered file; any failure of the reader becomes a rejection of that file.

    Parsers raise RejectedFile for the rules they know; anything else a real delivery can throw at
    them (another encoding, a truncated workbook, a file of another type) must still end as a named,
    quarantined file rather than a crashed run that fails the same way every time after. A rejection of the
    whole file is made precise where the file's bytes say more (`diagnose`). A symbolic link is not read at
    all: it is not a delivery, and one pointing outside the landing folder could load any file the service
    can read into the warehouse."""
    if path.is_symlink():
        raise RejectedFile(path, "the file is a symbolic link, not a delivered file: deliver the file itself")
    try:
        return read(path)
    except RejectedFile as error:
        if error.location != "whole file":
            raise
        raise (diagnose(path) or error) from error
    except Exception as error:  # noqa: BLE001 - the file, not the run, is what failed
        precise = diagnose(path)
        if precise is not None:
            raise precise from error
        kind = {UnicodeDecodeError: "the file is not UTF-8 text"}.get(type(error), type(error).__name__)
        with path.open("rb") as handle:
            damaged = handle.read(8).startswith(WORKBOOK_SIGNATURES)
        rule = (f"not a readable workbook: it is damaged or cut short ({kind}: {error})" if damaged
                else f"the file could not be read ({kind}: {error})")
        raise RejectedFile(path, rule) from error
