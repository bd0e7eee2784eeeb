"""Issue 14's bad-input corpus: every source's broken files in one landing folder, one main job, one case a test.

Each case (CASES) is a good delivery with one thing wrong, written by the module's `corpus` fixture into one landing
folder that also holds a good file of every source (each case under its own month, period or file name, so cases do
not collide). The main job runs once over it, and once over a control landing holding only the good files; every case
then only inspects the results:

- the run ended with messages, not tracebacks (every problem of the RunReport is a rejection);
- the bad file is in `_quarantine/` with a `.reason.txt` naming the file, where in it (row, or sheet and cell), the
  column as the supplier wrote it and the rule (typed fragments per case);
- the published warehouse has the checksum of the control run, table by table;
- a good file of another source delivered in the same run was loaded.

Cases that need an earlier good delivery (a re-delivery that drops part of it) go into a second run on the same
pipeline, with one more good file (firearm recoveries, held back from the first run) to show that run loads.

Cases accepted by design (markup and formula text in a free-text field of an otherwise valid row: it is what the
force typed, not an error) are delivered in both landings, so the checksum comparison still holds, and are asserted
to be stored as text and escaped wherever the project renders them.

The real publications come from sample_data/real and reference/ (ONS, Home Office, data.police.uk, Census 2011);
the force's own layouts and the HES and Census 2021 files from the sample generators, written into tmp folders.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from assets.lib.landing import QUARANTINE_DIR_NAME
from pipelines.analyst import formula_safe
from pipelines.main import RunReport
from sample_data.census import write_census_ethnicity
from sample_data.force_ops import write_force_ops
from sample_data.hes import write_hes_workbooks
from sample_data.operations import write_operations
from sample_data.partners import write_partners
from sample_data.use_of_force import write_use_of_force
from tests.conftest import (
    ONS_JUNE_2019,
    ONS_MARCH_2019,
    POPULATION,
    PRC,
    REAL,
    REPO,
    STOP_SEARCH,
    STREET,
    Pipeline,
    crime,
)

CENSUS_2011 = REAL / "ons-census" / "census2011-ks201ew-ethnic-group-by-la.subset30.csv"

MARKUP = "<img src=x onerror=\"document.title='X'\">"
# as a reason quotes a delivered value (repr: the quotes inside escaped, so the value's extent is plain)
MARKUP_QUOTED = repr(MARKUP)
FORMULA = '=HYPERLINK("http://example.invalid/?leak","open me")'

# a PDF and a PNG as a supplier's mail client would attach them by mistake: made here, not committed
PDF_BYTES = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


PNG_BYTES = _png_bytes()


# --- writing files ----------------------------------------------------------------------------------------------

def read_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def set_cell(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """A copy with one cell changed; row 1 is the first data row (row 2 as a spreadsheet shows it)."""
    changed = [list(r) for r in rows]
    changed[row][changed[0].index(column)] = value
    return changed


def rename_column(rows: list[list[str]], old: str, new: str) -> list[list[str]]:
    return [[new if c == old else c for c in rows[0]], *rows[1:]]


def drop_column(rows: list[list[str]], column: str) -> list[list[str]]:
    at = rows[0].index(column)
    return [r[:at] + r[at + 1:] for r in rows]


def truncated_text(rows: list[list[str]], keep_rows: int) -> bytes:
    """A CSV cut short mid-row, as an interrupted transfer leaves it: `keep_rows` whole data rows, then half of the
    next one (no line end)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows[:keep_rows + 1])
    partial = io.StringIO()
    csv.writer(partial, lineterminator="").writerow(rows[keep_rows + 1][:2])
    return (buffer.getvalue() + partial.getvalue() + ",").encode("utf-8")


def put(landing: Path, relative: str, content: bytes) -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def crime_rows(month: str, prefix: str, count: int = 3, **fields: str) -> list[dict[str, str]]:
    return [crime(f"{prefix}/{month}/{n}", f"{month}-{n + 4:02d}", "34B", **fields) for n in range(1, count + 1)]


def crime_table(rows: list[dict[str, str]]) -> list[list[str]]:
    columns = list(rows[0])
    return [columns, *[[r[c] for c in columns] for r in rows]]


def half(data: bytes) -> bytes:
    """A binary file cut in half: a download that stopped."""
    return data[: len(data) // 2]


# --- the good files ---------------------------------------------------------------------------------------------

@dataclass
class Bases:
    """Generated and real files the cases are made from (never in a landing folder themselves)."""

    scratch: Path
    ops: dict[str, Path] = field(default_factory=dict)
    hes: dict[str, Path] = field(default_factory=dict)
    census_2021: Path | None = None
    prc: Path | None = None

    def op(self, kind: str, month: str) -> list[list[str]]:
        return read_rows(self.ops[f"{kind}-{month}"])

    def op_path(self, kind: str, month: str) -> Path:
        return self.ops[f"{kind}-{month}"]


def make_bases(scratch: Path) -> Bases:
    bases = Bases(scratch)
    written = [*write_force_ops(scratch / "ops", first_month="2020-01", last_month="2021-03"),
               *write_operations(scratch / "ops", first_month="2020-01", last_month="2021-03"),
               *write_use_of_force(scratch / "ops", first_month="2020-01", last_month="2021-03"),
               *write_partners(scratch / "ops", first_month="2020-01", last_month="2021-03")]
    for path in written:
        stem = path.stem.removeprefix("west-midlands-")
        bases.ops[stem] = path
    for path in write_hes_workbooks(scratch / "hes", first_fy="2017-18", last_fy="2021-22"):
        bases.hes[path.stem.removeprefix("hes-sharp-object-admissions-")] = path
    bases.census_2021 = write_census_ethnicity(scratch / "census")
    # the Home Office open data for three forces: the same real rows, a fraction of the parse
    rows = read_rows(PRC)
    kept = [rows[0], *[r for r in rows[1:] if r[2] in ("West Midlands", "Warwickshire", "Staffordshire")]]
    bases.prc = write_rows(scratch / "prc-pfa-mar2013-onwards-tables201718.csv", kept)
    return bases


CRIMES_GOOD = "force/crimes/west-midlands-crimes-2021-03.csv"
GOOD: dict[str, str] = {
    "recorded_crime": CRIMES_GOOD,
    "firearm_discharges": "force/firearm-discharges/west-midlands-firearm-discharges-2021-03.csv",
    "drug_activity": "force/drug-activity/west-midlands-drug-activity-2021-03.csv",
    "sms_survey": "force/satisfaction/west-midlands-sms-survey-2021-03.csv",
    "workforce": "force/workforce/west-midlands-workforce-2021-03-31.xlsx",
    "use_of_force": "force/use-of-force/west-midlands-use-of-force-2021-03.csv",
    "stop_search_bwv": "force/stop-search-bwv/west-midlands-stop-search-bwv-2021-03.csv",
    "firearm_recoveries": "force/firearm-recoveries/west-midlands-firearm-recoveries-2021-03.csv",
    "operations": "force/operations/west-midlands-operations-2021-03.csv",
    "arrest_referral": "partners/arrest-referral/west-midlands-arrest-referral-2021-03.csv",
    "fraud_reports": "partners/fraud/west-midlands-fraud-reports-2021-03.csv",
    "stop_and_search": "policeuk/2018-08/2018-08-west-midlands-stop-and-search.csv",
    "street_crime": "policeuk/2018-08/2018-08-warwickshire-street.csv",
    "ons_pfa_tables": f"ons/pfa-tables/{ONS_JUNE_2019.name}",
    "ons_population": f"ons/population/{POPULATION.name}",
    "census_2021": "ons/census/census2021-ethnic-group-by-la.csv",
    "census_2011": "ons/census/census2011-ks201ew-ethnic-group-by-la.csv",
    "prc_open_data": f"homeoffice/{PRC.name}",
    "hes_sharp_object": "nhs/hes-sharp-object/hes-sharp-object-admissions-2021-22.xlsx",
}
# delivered only in the second run, so that run has a good file of its own to load
SECOND_RUN_GOOD = "firearm_recoveries"

# Accepted by design: markup and formula text in a free-text field of an otherwise valid row is what the force
# typed (an offence described with "<", an operation named with "="), not a broken rule. It must be kept as text
# and made harmless where the project shows it. (good file key, column as the supplier wrote it, value)
ACCEPTED: dict[str, tuple[str, str, str]] = {
    "crime_offence_description_markup": ("recorded_crime", "offence_description", MARKUP),
    "crime_offence_description_formula": ("recorded_crime", "offence_description", FORMULA),
    "sms_incident_type_markup": ("sms_survey", "incident_type", MARKUP),
    "sms_incident_type_formula": ("sms_survey", "incident_type", FORMULA),
    "operations_operation_markup": ("operations", "operation", MARKUP),
    "operations_operation_formula": ("operations", "operation", FORMULA),
    "use_of_force_tactic_markup": ("use_of_force", "tactic", MARKUP),
    "street_location_markup": ("street_crime", "Location", MARKUP),
    "street_context_formula": ("street_crime", "Context", FORMULA),
}


def write_good(landing: Path, bases: Bases, second_run: bool = False) -> None:
    """Every source's good file (the accepted free text in it); firearm recoveries only with `second_run`."""
    accepted: dict[str, list[tuple[str, str]]] = {}
    for key, column, value in ACCEPTED.values():
        accepted.setdefault(key, []).append((column, value))

    def with_text(key: str, rows: list[list[str]]) -> list[list[str]]:
        for number, (column, value) in enumerate(accepted.get(key, []), start=1):
            rows = set_cell(rows, number, column, value)
        return rows

    rows = crime_table([*crime_rows("2021-03", "W", 4)])
    write_rows(landing / CRIMES_GOOD, with_text("recorded_crime", rows), "utf-8-sig")
    for key, kind in (("firearm_discharges", "firearm-discharges"), ("drug_activity", "drug-activity"),
                      ("sms_survey", "sms-survey"), ("use_of_force", "use-of-force"),
                      ("stop_search_bwv", "stop-search-bwv"), ("firearm_recoveries", "firearm-recoveries"),
                      ("operations", "operations"), ("arrest_referral", "arrest-referral"),
                      ("fraud_reports", "fraud-reports")):
        if key == SECOND_RUN_GOOD and not second_run:
            continue
        write_rows(landing / GOOD[key], with_text(key, bases.op(kind, "2021-03")), "utf-8-sig")
    if second_run:
        return
    put(landing, GOOD["workforce"], bases.op_path("workforce", "2021-03-31").read_bytes())
    put(landing, GOOD["stop_and_search"], STOP_SEARCH.read_bytes())
    write_rows(landing / GOOD["street_crime"], with_text("street_crime", read_rows(STREET)))
    put(landing, GOOD["ons_pfa_tables"], ONS_JUNE_2019.read_bytes())
    put(landing, GOOD["ons_population"], POPULATION.read_bytes())
    assert bases.census_2021 is not None and bases.prc is not None
    put(landing, GOOD["census_2021"], bases.census_2021.read_bytes())
    put(landing, GOOD["census_2011"], CENSUS_2011.read_bytes())
    put(landing, GOOD["prc_open_data"], bases.prc.read_bytes())
    put(landing, GOOD["hes_sharp_object"], bases.hes["2021-22"].read_bytes())


# --- the cases --------------------------------------------------------------------------------------------------
# Rejected or accepted, decided per kind:
# - markup and formula text in a field with a format or a value set (victim_age, status, weapon_type, weapon_class,
#   Role, Crime type, activity_type) breaks that field's rule and is rejected, the reason quoting it as delivered
#   (the Data Docs page escapes it: test_data_docs_show_rejected_markup_escaped); in a free-text field it is accepted
#   (ACCEPTED above);
# - a header-only file is rejected where a period of nothing is impossible (a force's month of crime, a census), and
#   accepted by design where it is a real month of nothing (data.police.uk, firearm recoveries: their own tests);
# - a symbolic link is never read, wherever it points: it is not a delivery, and one pointing outside the landing
#   folder could load any file the service can read;
# - renamed sheets of an ONS edition are not a case: its parser finds a table by its title too, by design (ONS has
#   renamed sheets between editions); a table missing altogether is.

Writer = Callable[[Path, Bases], None]


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    path: str  # where the bad file is delivered, relative to the landing folder
    write: Writer
    # what the reason must say besides the file's name: where (row, or sheet and cell), the column as written
    # and the rule, each a fragment typed here from the rule the case breaks
    expect: tuple[str, ...]
    second_run: bool = False

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def good_of_another_source(self) -> str:
        """A good file of another source delivered in the same run."""
        if self.second_run:
            return GOOD[SECOND_RUN_GOOD]
        return GOOD["hes_sharp_object"] if self.source == "recorded_crime" else CRIMES_GOOD


def csv_case(id: str, source: str, path: str, make: Callable[[Bases], list[list[str]]], expect: tuple[str, ...],
             encoding: str = "utf-8", **kwargs: bool) -> Case:
    return Case(id, source, path, lambda landing, bases: write_rows(landing / path, make(bases), encoding) and None,
                expect, **kwargs)


def bytes_case(id: str, source: str, path: str, make: Callable[[Bases], bytes], expect: tuple[str, ...],
               **kwargs: bool) -> Case:
    return Case(id, source, path, lambda landing, bases: put(landing, path, make(bases)) and None, expect, **kwargs)


def workbook_case(id: str, source: str, path: str, base: Callable[[Bases], Path],
                  edit: Callable[[openpyxl.Workbook], None], expect: tuple[str, ...], **kwargs: bool) -> Case:
    def write(landing: Path, bases: Bases) -> None:
        book = openpyxl.load_workbook(base(bases))
        edit(book)
        (landing / path).parent.mkdir(parents=True, exist_ok=True)
        book.save(landing / path)

    return Case(id, source, path, write, expect, **kwargs)


def symlink_case(id: str, source: str, path: str, inside: bool, make: Callable[[Bases], list[list[str]]],
                 expect: tuple[str, ...]) -> Case:
    """A delivery that is a symbolic link: to a file elsewhere in the landing folder, or outside it (which a
    run must never read into the warehouse: it could be any file the service account can read)."""

    def write(landing: Path, bases: Bases) -> None:
        target = (landing / "incoming" if inside else bases.scratch / "outside") / f"{id}.csv"
        write_rows(target, make(bases), "utf-8-sig")
        link = landing / path
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, link)

    return Case(id, source, path, write, expect)


def crimes(month: str, force: str = "west-midlands") -> str:
    return f"force/crimes/{force}-crimes-{month}.csv"


def ops_path(key: str, month: str) -> str:
    folder = Path(GOOD[key]).parent
    kind = Path(GOOD[key]).name.removeprefix("west-midlands-").removesuffix("-2021-03.csv")
    return f"{folder}/west-midlands-{kind}-{month}.csv"


def ops_kind(key: str) -> str:
    return Path(GOOD[key]).name.removeprefix("west-midlands-").removesuffix("-2021-03.csv")


def op_case(id: str, key: str, month: str, edit: Callable[[list[list[str]]], list[list[str]]],
            expect: tuple[str, ...], encoding: str = "utf-8") -> Case:
    return csv_case(id, key, ops_path(key, month), lambda b: edit(b.op(ops_kind(key), month)), expect, encoding)


def op_bytes_case(id: str, key: str, month: str, make: Callable[[list[list[str]]], bytes],
                  expect: tuple[str, ...]) -> Case:
    return bytes_case(id, key, ops_path(key, month), lambda b: make(b.op(ops_kind(key), month)), expect)


def in_sheet(title: str) -> Callable[[openpyxl.Workbook], openpyxl.worksheet.worksheet.Worksheet]:
    return lambda book: next(s for s in book.worksheets if s.title.strip() == title)


def first_cell(sheet, value: object):
    return next(c for row in sheet.iter_rows() for c in row if c.value == value)


def ons_text_in_count(book: openpyxl.Workbook) -> None:
    sheet = in_sheet("Table P1")(book)
    header = first_cell(sheet, "Area Code")
    # the first number below the header row
    cell = next(c for row in sheet.iter_rows(min_row=header.row + 1) for c in row if isinstance(c.value, (int, float)))
    cell.value = "lots"


def ons_moved_header(book: openpyxl.Workbook) -> None:
    sheet = in_sheet("Table P1")(book)
    first_cell(sheet, "Area Code").value = "Area"


def rename_sheet(old: str, new: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        book[old].title = new

    return edit


def set_workbook_cell(sheet: str, cell: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        book[sheet][cell].value = value

    return edit


def insert_row_above(sheet: str, row: int) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        book[sheet].insert_rows(row)

    return edit


def hes_rows(book: openpyxl.Workbook) -> list:
    sheet = book["Data"]
    header = first_cell(sheet, "Month") if any(c.value == "Month" for row in sheet.iter_rows() for c in row) else None
    assert header is not None
    return [row for row in sheet.iter_rows(min_row=header.row + 1) if row[0].value]


def drop_hes_force(book: openpyxl.Workbook) -> None:
    """The workbook without one police force area's rows (the sheet rebuilt, so footnotes stay after a blank)."""
    sheet = book["Data"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Month")
    codes = [r[1] for r in rows[header + 1:] if r and r[0] and len(r) > 1 and isinstance(r[1], str)
             and r[1].startswith("E23")]
    dropped = codes[0]
    kept = rows[:header + 1] + [r for r in rows[header + 1:] if not (len(r) > 1 and r[1] == dropped)]
    for row in sheet.iter_rows():
        for c in row:
            c.value = None
    for number, values in enumerate(kept, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column).value = value


def drop_workforce_role(book: openpyxl.Workbook) -> None:
    """The snapshot without its PCSO rows, the Total row made the sum of what is left (a consistent file that
    holds less, not a broken one)."""
    sheet = book["Headcount"]
    doomed = [row[0].row for row in sheet.iter_rows(min_row=4) if row[0].value == "PCSO"]
    for number in reversed(doomed):
        sheet.delete_rows(number)
    total = next(row for row in sheet.iter_rows(min_row=4) if row[0].value == "Total")
    total[4].value = sum(row[4].value for row in sheet.iter_rows(min_row=4, max_row=total[0].row - 1)
                         if isinstance(row[4].value, int))


def hes_month_outside(book: openpyxl.Workbook) -> None:
    sheet = book["Data"]
    header = first_cell(sheet, "Month")
    sheet.cell(header.row + 1, header.column).value = "April 2015"


def hes_text_in_count(book: openpyxl.Workbook) -> None:
    sheet = book["Data"]
    header = first_cell(sheet, "Month")
    episodes = next(c for c in sheet[header.row] if isinstance(c.value, str) and "pisodes" in c.value)
    sheet.cell(header.row + 1, episodes.column).value = "lots"


def population_sheet_xlsx(scratch: Path, edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    """The real mid-2019 persons sheet as an .xlsx (the source takes both), with one thing changed."""
    import xlrd

    book = xlrd.open_workbook(POPULATION, on_demand=True)
    sheet = book.sheet_by_name("MYE2 - Persons")
    out = openpyxl.Workbook()
    target = out.active
    target.title = "MYE2 - Persons"
    for r in range(sheet.nrows):
        target.append([None if v == "" else v for v in sheet.row_values(r)])
    edit(out)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def census_2011_rows(_: Bases) -> list[list[str]]:
    return read_rows(CENSUS_2011)


def census_2021_rows(bases: Bases) -> list[list[str]]:
    assert bases.census_2021 is not None
    return read_rows(bases.census_2021)


def stop_search_in(month: str, rows: int = 40) -> list[list[str]]:
    """The first real August 2018 searches moved to another month (same times, same day of the month)."""
    real = read_rows(STOP_SEARCH)
    moved = [real[0], *[[c.replace("2018-08-", f"{month}-") for c in r] for r in real[1:rows + 1]]]
    return moved


def street_in(month: str) -> list[list[str]]:
    real = read_rows(STREET)
    at = real[0].index("Month")
    return [real[0], *[[month if i == at else c for i, c in enumerate(r)] for r in real[1:]]]


def latin1_crimes(_: Bases) -> bytes:
    rows = crime_table(crime_rows("2020-01", "L", 3))
    rows = set_cell(rows, 2, "offence_description", "Criminal damage to caf\u00e9 frontage")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("latin-1")


def encoded(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def good_crimes_refs() -> list[str]:
    return [r["crime_reference"] for r in crime_rows("2021-03", "W", 4)]


CASES: tuple[Case, ...] = (
    # ---- recorded crime (force/crimes) ---------------------------------------------------------------------
    bytes_case("crime_latin1", "recorded_crime", crimes("2020-01"), latin1_crimes,
               ("row 3", "column 'offence_description'", "not UTF-8")),
    bytes_case("crime_utf16", "recorded_crime", crimes("2020-02"),
               lambda b: encoded(crime_table(crime_rows("2020-02", "U")), "utf-16"), ("row 1", "UTF-16")),
    bytes_case("crime_empty", "recorded_crime", crimes("2020-03"), lambda b: b"", ("row 1", "empty")),
    bytes_case("crime_header_only", "recorded_crime", crimes("2020-04"),
               lambda b: ",".join(crime_table(crime_rows("2020-04", "H"))[0]).encode() + b"\r\n",
               ("row 2", "no data rows")),
    bytes_case("crime_truncated_mid_row", "recorded_crime", crimes("2020-05"),
               lambda b: truncated_text(crime_table(crime_rows("2020-05", "T", 4)), 2),
               ("row 4", "column 'ho_offence_code'", "the row is cut short: 3 of the header's 15 fields")),
    bytes_case("crime_pdf_renamed_csv", "recorded_crime", crimes("2020-06"), lambda b: PDF_BYTES,
               ("whole file", "PDF")),
    bytes_case("crime_png_renamed_csv", "recorded_crime", crimes("2020-07"), lambda b: PNG_BYTES,
               ("whole file", "PNG")),
    csv_case("crime_renamed_column", "recorded_crime", crimes("2020-08"),
             lambda b: rename_column(crime_table(crime_rows("2020-08", "R")), "ho_offence_code", "HO Offence Code"),
             ("row 1", "column 'ho_offence_code'", "required column(s) missing")),
    csv_case("crime_missing_column", "recorded_crime", crimes("2020-09"),
             lambda b: drop_column(crime_table(crime_rows("2020-09", "M")), "status"),
             ("row 1", "column 'status'", "required column(s) missing")),
    csv_case("crime_moved_header", "recorded_crime", crimes("2020-10"),
             lambda b: [["West Midlands Police crime extract"], [""], *crime_table(crime_rows("2020-10", "V"))],
             ("row 1", "column 'crime_reference'", "required column(s) missing")),
    csv_case("crime_impossible_date", "recorded_crime", crimes("2020-11"),
             lambda b: set_cell(crime_table(crime_rows("2020-11", "I")), 2, "recorded_date", "2020-11-31"),
             ("row 3", "column 'recorded_date'", "'2020-11-31'", "recorded_date is a date")),
    csv_case("crime_date_outside_month", "recorded_crime", crimes("2020-12"),
             lambda b: set_cell(crime_table(crime_rows("2020-12", "O")), 1, "recorded_date", "2021-01-05"),
             ("row 2", "column 'recorded_date'", "'2021-01-05'", "lies inside the month named in the file name")),
    csv_case("crime_committed_after_recorded", "recorded_crime", crimes("2019-01"),
             lambda b: set_cell(crime_table(crime_rows("2019-01", "A")), 1, "committed_date", "2019-01-20"),
             ("row 2", "column 'committed_date'", "'2019-01-20'", "committed_date is never after recorded_date")),
    csv_case("crime_victim_age_text", "recorded_crime", crimes("2019-02"),
             lambda b: set_cell(crime_table(crime_rows("2019-02", "G")), 1, "victim_age", "thirty"),
             ("row 2", "column 'victim_age'", "'thirty'", "whole years 0 to 120")),
    csv_case("crime_victim_age_markup", "recorded_crime", crimes("2019-03"),
             lambda b: set_cell(crime_table(crime_rows("2019-03", "X")), 1, "victim_age", MARKUP),
             ("row 2", "column 'victim_age'", MARKUP_QUOTED, "whole years 0 to 120")),
    csv_case("crime_status_formula", "recorded_crime", crimes("2019-04"),
             lambda b: set_cell(crime_table(crime_rows("2019-04", "F")), 1, "status", FORMULA),
             ("row 2", "column 'status'", "status is RECORDED or CANCELLED")),
    csv_case("crime_unknown_offence_code", "recorded_crime", crimes("2019-05"),
             lambda b: set_cell(crime_table(crime_rows("2019-05", "K")), 3, "ho_offence_code", "999Z"),
             ("row 4", "column 'ho_offence_code'", "'999Z'", "Home Office offence classification")),
    csv_case("crime_duplicate_within_file", "recorded_crime", crimes("2019-06"),
             lambda b: set_cell(crime_table(crime_rows("2019-06", "D")), 2, "crime_reference", "D/2019-06/1"),
             ("row 3", "column 'crime_reference'", "'D/2019-06/1'", "unique within the force's extract")),
    csv_case("crime_duplicate_across_files", "recorded_crime", crimes("2021-04"),
             lambda b: set_cell(crime_table(crime_rows("2021-04", "N")), 1, "crime_reference", good_crimes_refs()[0]),
             ("row 2", "crime_reference", "already loaded from west-midlands-crimes-2021-03.csv")),
    csv_case("crime_misnamed_force", "recorded_crime", "force/crimes/west-midlandz-crimes-2019-07.csv",
             lambda b: crime_table(crime_rows("2019-07", "Z")),
             ("whole file", "the file name must be", "did you mean west-midlands-crimes-2019-07.csv")),
    csv_case("crime_miscased_name", "recorded_crime", "force/crimes/West-Midlands-crimes-2019-08.CSV",
             lambda b: crime_table(crime_rows("2019-08", "C")),
             ("whole file", "in lower case", "did you mean west-midlands-crimes-2019-08.csv")),
    symlink_case("crime_symlink_inside_landing", "recorded_crime", crimes("2019-09"), True,
                 lambda b: crime_table(crime_rows("2019-09", "S")), ("whole file", "symbolic link")),
    symlink_case("crime_symlink_outside_landing", "recorded_crime", crimes("2019-10"), False,
                 lambda b: crime_table(crime_rows("2019-10", "Q")), ("whole file", "symbolic link")),
    csv_case("crime_other_force_bad_date", "recorded_crime", crimes("2021-03", "greater-manchester"),
             lambda b: crime_table([crime("G/1", "2021-03-3l", "34B")]),
             ("row 2", "column 'recorded_date'", "'2021-03-3l'", "recorded_date is a date")),
    # ---- firearm discharges ------------------------------------------------------------------------------
    op_case("firearm_renamed_column", "firearm_discharges", "2020-01",
            lambda r: rename_column(r, "discharge_date", "Discharge Date"),
            ("row 1", "column 'discharge_date'", "required column(s) missing")),
    op_case("firearm_date_outside_month", "firearm_discharges", "2020-02",
            lambda r: set_cell(r, 1, "discharge_date", "2020-03-01"),
            ("row 2", "column 'discharge_date'", "'2020-03-01'", "lies inside the month named in the file name")),
    op_case("firearm_weapon_type_markup", "firearm_discharges", "2020-04",
            lambda r: set_cell(r, 1, "weapon_type", MARKUP),
            ("row 2", "column 'weapon_type'", MARKUP_QUOTED, "weapon_type is Shotgun")),
    op_bytes_case("firearm_truncated", "firearm_discharges", "2020-05", lambda r: truncated_text(r, 3),
                  ("row 5", "column 'weapon_type'", "the row is cut short: 3 of the header's 7 fields")),
    op_case("firearm_bad_lsoa", "firearm_discharges", "2020-06", lambda r: set_cell(r, 2, "lsoa_code", "B1 1AA"),
            ("row 3", "column 'lsoa_code'", "'B1 1AA'", "LSOA code")),
    # ---- drug activity -----------------------------------------------------------------------------------
    op_case("drug_arrests_text", "drug_activity", "2020-01", lambda r: set_cell(r, 1, "arrests", "two"),
            ("row 2", "column 'arrests'", "'two'", "non-negative whole number")),
    op_case("drug_activity_type_formula", "drug_activity", "2020-02",
            lambda r: set_cell(r, 1, "activity_type", FORMULA),
            ("row 2", "column 'activity_type'", "activity_type is Drug disruption")),
    op_case("drug_utf16", "drug_activity", "2020-03", lambda r: r, ("row 1", "UTF-16"), encoding="utf-16"),
    op_case("drug_duplicate_within_file", "drug_activity", "2020-04",
            lambda r: set_cell(r, 2, "activity_reference", r[1][0]),
            ("row 3", "column 'activity_reference'", "activity_reference is unique")),
    # ---- SMS satisfaction survey ---------------------------------------------------------------------------
    op_case("sms_score_text", "sms_survey", "2020-11", lambda r: set_cell(r, 1, "score", "ten"),
            ("row 2", "column 'score'", "'ten'", "whole number 0 to 10")),
    op_case("sms_missing_column", "sms_survey", "2020-12", lambda r: drop_column(r, "service"),
            ("row 1", "column 'service'", "required column(s) missing")),
    op_bytes_case("sms_pdf_renamed_csv", "sms_survey", "2021-01", lambda r: PDF_BYTES, ("whole file", "PDF")),
    op_case("sms_impossible_date", "sms_survey", "2021-02", lambda r: set_cell(r, 1, "response_date", "2021-02-30"),
            ("row 2", "column 'response_date'", "'2021-02-30'", "response_date is a date")),
    # ---- workforce snapshots (xlsx) ------------------------------------------------------------------------
    workbook_case("workforce_renamed_sheet", "workforce", "force/workforce/west-midlands-workforce-2020-03-31.xlsx",
                  lambda b: b.op_path("workforce", "2020-03-31"), rename_sheet("Headcount", "Sheet1"),
                  ("sheet 'Headcount'", "no sheet named 'Headcount'")),
    bytes_case("workforce_truncated", "workforce", "force/workforce/west-midlands-workforce-2020-06-30.xlsx",
               lambda b: half(b.op_path("workforce", "2020-06-30").read_bytes()),
               ("whole file", "damaged or cut short")),
    workbook_case("workforce_moved_header", "workforce", "force/workforce/west-midlands-workforce-2020-09-30.xlsx",
                  lambda b: b.op_path("workforce", "2020-09-30"), insert_row_above("Headcount", 3),
                  ("sheet 'Headcount'", "cell A4", "the header must be in row 3, found in row 4")),
    workbook_case("workforce_headcount_text", "workforce", "force/workforce/west-midlands-workforce-2020-12-31.xlsx",
                  lambda b: b.op_path("workforce", "2020-12-31"), set_workbook_cell("Headcount", "E4", "lots"),
                  ("sheet 'Headcount'", "cell E4", "Headcount", "'lots'")),
    bytes_case("workforce_png_renamed_xlsx", "workforce", "force/workforce/west-midlands-workforce-2019-12-31.xlsx",
               lambda b: PNG_BYTES, ("whole file", "PNG")),
    workbook_case("workforce_role_markup", "workforce", "force/workforce/west-midlands-workforce-2020-01-31.xlsx",
                  lambda b: b.op_path("workforce", "2020-01-31"), set_workbook_cell("Headcount", "A4", MARKUP),
                  ("sheet 'Headcount'", "cell A4", "unknown Role", MARKUP_QUOTED)),
    bytes_case("workforce_misnamed_date", "workforce", "force/workforce/west-midlands-workforce-2020-2-29.xlsx",
               lambda b: b.op_path("workforce", "2020-02-29").read_bytes(), ("whole file", "file name must be")),
    # ---- use of force ----------------------------------------------------------------------------------------
    op_case("use_of_force_incident_dates_differ", "use_of_force", "2020-01",
            lambda r: set_cell(set_cell(r, 2, "incident_reference", r[1][0]), 2, "incident_date", "2020-01-20"),
            ("row 3", "column 'incident_date'", "the subjects of one incident share its date")),
    op_case("use_of_force_age_band_invalid", "use_of_force", "2020-02",
            lambda r: set_cell(r, 1, "subject_age_band", "17"),
            ("row 2", "column 'subject_age_band'", "'17'", "subject_age_band is Under 18")),
    op_case("use_of_force_latin1", "use_of_force", "2020-03",
            lambda r: set_cell(r, 3, "tactic", "Unarmed skills (d\u00e9fense)"),
            ("row 4", "column 'tactic'", "not UTF-8"), encoding="latin-1"),
    op_case("use_of_force_seriously_not_injured", "use_of_force", "2020-04",
            lambda r: set_cell(set_cell(r, 1, "subject_injured", "N"), 1, "subject_seriously_injured", "Y"),
            ("row 2", "subject_seriously_injured", "is injured")),
    # ---- stop and search body-worn video --------------------------------------------------------------------
    op_case("bwv_duplicate_within_file", "stop_search_bwv", "2020-01",
            lambda r: set_cell(r, 2, "search_reference", r[1][0]),
            ("row 3", "column 'search_reference'", "unique within its file")),
    op_case("bwv_flag_text", "stop_search_bwv", "2020-02", lambda r: set_cell(r, 1, "bwv_recorded", "Yes"),
            ("row 2", "column 'bwv_recorded'", "'Yes'", "bwv_recorded is Y, N or empty")),
    op_bytes_case("bwv_empty", "stop_search_bwv", "2020-03", lambda r: b"", ("row 1", "empty")),
    # ---- firearm recoveries ----------------------------------------------------------------------------------
    op_case("recovery_weapon_class_markup", "firearm_recoveries", "2020-01",
            lambda r: set_cell(r, 1, "weapon_class", MARKUP),
            ("row 2", "column 'weapon_class'", MARKUP_QUOTED, "weapon_class is")),
    op_case("recovery_moved_header", "firearm_recoveries", "2020-02", lambda r: [["Firearm recoveries"], *r],
            ("row 1", "column 'recovery_reference'", "required column(s) missing")),
    # ---- operations ------------------------------------------------------------------------------------------
    op_case("operations_type_missing", "operations", "2020-01", lambda r: set_cell(r, 1, "activity_type", ""),
            ("row 2", "column 'activity_type': empty", "activity_type is required")),
    op_bytes_case("operations_truncated", "operations", "2020-02", lambda r: truncated_text(r, 5),
                  ("row 7", "column 'activity_type'", "the row is cut short: 3 of the header's 4 fields")),
    csv_case("operations_misnamed", "operations", "force/operations/west-midlands-operation-2020-03.csv",
             lambda b: b.op("operations", "2020-03"), ("whole file", "file name must be")),
    # ---- partners: arrest referral and NFIB fraud reports ----------------------------------------------------
    op_case("arrest_referral_unknown_type", "arrest_referral", "2020-01",
            lambda r: set_cell(r, 1, "record_type", "Drugs test"),
            ("row 2", "column 'record_type'", "'Drugs test'", "record_type is Drug test")),
    op_case("arrest_referral_date_outside_month", "arrest_referral", "2020-02",
            lambda r: set_cell(r, 2, "record_date", "2020-03-01"),
            ("row 3", "column 'record_date'", "'2020-03-01'", "lies inside the month named in the file name")),
    op_bytes_case("arrest_referral_truncated", "arrest_referral", "2020-03", lambda r: truncated_text(r, 4),
                  ("row 6", "column 'record_type'", "the row is cut short: 3 of the header's 5 fields")),
    op_case("arrest_referral_missing_column", "arrest_referral", "2020-04", lambda r: drop_column(r, "test_result"),
            ("row 1", "column 'test_result'", "required column(s) missing")),
    op_case("fraud_impossible_date", "fraud_reports", "2020-01", lambda r: set_cell(r, 1, "report_date", "2020-01-32"),
            ("row 2", "column 'report_date'", "'2020-01-32'", "a date written YYYY-MM-DD")),
    op_case("fraud_victim_type_markup", "fraud_reports", "2020-02", lambda r: set_cell(r, 3, "victim_type", MARKUP),
            ("row 4", "column 'victim_type'", MARKUP_QUOTED, "victim_type is Individual or Organisation")),
    op_case("fraud_duplicate_reference", "fraud_reports", "2020-03",
            lambda r: set_cell(r, 2, "report_reference", r[1][r[0].index("report_reference")]),
            ("row 3", "column 'report_reference'", "unique within the force")),
    op_case("fraud_cyber_flag_formula", "fraud_reports", "2020-04", lambda r: set_cell(r, 1, "cyber_enabled", FORMULA),
            ("row 2", "column 'cyber_enabled'", "cyber_enabled is Y, N or empty")),
    # ---- data.police.uk stop and search ------------------------------------------------------------------
    csv_case("stop_search_renamed_column", "stop_and_search",
             "policeuk/2018-09/2018-09-west-midlands-stop-and-search.csv",
             lambda b: rename_column(stop_search_in("2018-09"), "Object of search", "Object"),
             ("row 1", "column 'Object of search'", "missing column")),
    bytes_case("stop_search_date_outside_month", "stop_and_search",
               "policeuk/2018-10/2018-10-west-midlands-stop-and-search.csv", lambda b: STOP_SEARCH.read_bytes(),
               ("row 2", "column 'Date'", "not in the file's month 2018-10")),
    csv_case("stop_search_latin1", "stop_and_search", "policeuk/2018-11/2018-11-west-midlands-stop-and-search.csv",
             lambda b: set_cell(stop_search_in("2018-11"), 5, "Policing operation", "Op\u00e9ration Sceptre"),
             ("row 6", "column 'Policing operation'", "not UTF-8"), encoding="latin-1"),
    bytes_case("stop_search_truncated", "stop_and_search", "policeuk/2018-12/2018-12-west-midlands-stop-and-search.csv",
               lambda b: truncated_text(stop_search_in("2018-12"), 10), ("row 12", "fields")),
    bytes_case("stop_search_png_renamed_csv", "stop_and_search",
               "policeuk/2019-01/2019-01-west-midlands-stop-and-search.csv", lambda b: PNG_BYTES,
               ("whole file", "PNG")),
    bytes_case("stop_search_same_name_other_folder", "stop_and_search",
               "policeuk/2019-02/2018-08-west-midlands-stop-and-search.csv", lambda b: STOP_SEARCH.read_bytes(),
               ("whole file", "in folder 2019-02 but its name is for 2018-08")),
    # ---- data.police.uk street crime ---------------------------------------------------------------------
    csv_case("street_longitude_text", "street_crime", "policeuk/2018-09/2018-09-warwickshire-street.csv",
             lambda b: set_cell(street_in("2018-09"), 2, "Longitude", "west of Coventry"),
             ("row 3", "column 'Longitude'", "'west of Coventry'")),
    csv_case("street_month_outside_file", "street_crime", "policeuk/2018-10/2018-10-warwickshire-street.csv",
             lambda b: set_cell(street_in("2018-10"), 4, "Month", "2018-07"),
             ("row 5", "column 'Month'", "Month is not the file's month 2018-10")),
    csv_case("street_crime_type_markup", "street_crime", "policeuk/2018-11/2018-11-warwickshire-street.csv",
             lambda b: set_cell(street_in("2018-11"), 1, "Crime type", MARKUP),
             ("row 2", "column 'Crime type'", MARKUP_QUOTED, "unknown crime type")),
    bytes_case("street_empty", "street_crime", "policeuk/2018-12/2018-12-warwickshire-street.csv", lambda b: b"",
               ("row 1", "empty")),
    csv_case("street_misnamed_force", "street_crime", "policeuk/2019-01/2019-01-warwickshre-street.csv",
             lambda b: street_in("2019-01"), ("whole file", "unknown force slug 'warwickshre'")),
    # ---- ONS police force area tables ----------------------------------------------------------------------
    # (renamed sheets alone are not a case: the parser finds a table by its title as well, by design, since ONS
    # has renamed them between editions; a table that is missing altogether is)
    workbook_case("ons_missing_sheet", "ons_pfa_tables", "ons/pfa-tables/pfa-tables-march2019-no-p1.xlsx",
                  lambda b: ONS_MARCH_2019, lambda book: book.remove(in_sheet("Table P1")(book)),
                  ("sheet 'Table P1'", "no 'Table P1' sheet with an 'Area Code' header")),
    workbook_case("ons_moved_header", "ons_pfa_tables", "ons/pfa-tables/pfa-tables-march2019-header.xlsx",
                  lambda b: ONS_MARCH_2019, ons_moved_header,
                  ("sheet 'Table P1 '", "cell A7", "no 'Area Code' header")),
    workbook_case("ons_text_in_count", "ons_pfa_tables", "ons/pfa-tables/pfa-tables-march2019-text.xlsx",
                  lambda b: ONS_MARCH_2019, ons_text_in_count,
                  ("sheet 'Table P1 '", "cell C7", "column 'Total recorded crime (excluding fraud)'",
                   "'lots' is neither a number")),
    bytes_case("ons_truncated_xlsx", "ons_pfa_tables", "ons/pfa-tables/pfa-tables-june2019-cut.xlsx",
               lambda b: half(ONS_JUNE_2019.read_bytes()), ("whole file", "damaged or cut short")),
    bytes_case("ons_truncated_xls", "ons_pfa_tables", "ons/pfa-tables/pfa-tables-2012-cut.xls",
               lambda b: half(POPULATION.read_bytes()), ("whole file", "damaged or cut short")),
    bytes_case("ons_pdf_renamed_xlsx", "ons_pfa_tables", "ons/pfa-tables/pfa-tables-release-note.xlsx",
               lambda b: PDF_BYTES, ("whole file", "PDF")),
    bytes_case("ons_duplicate_edition", "ons_pfa_tables", "ons/pfa-tables/pfa-tables-june2019-copy.xlsx",
               lambda b: ONS_JUNE_2019.read_bytes(),
               ("whole file", f"it holds what {ONS_JUNE_2019.name} already holds", "counted twice")),
    # ---- ONS mid-year population -----------------------------------------------------------------------------
    bytes_case("population_truncated_xls", "ons_population", "ons/population/mid-2019-cut.xls",
               lambda b: half(POPULATION.read_bytes()), ("whole file", "damaged or cut short")),
    bytes_case("population_html_renamed_xls", "ons_population", "ons/population/mid-2020-error-page.xls",
               lambda b: b"<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>\n",
               ("whole file", "HTML page")),
    bytes_case("population_renamed_sheet", "ons_population", "ons/population/mid-2019-renamed.xlsx",
               lambda b: population_sheet_xlsx(b.scratch, rename_sheet("MYE2 - Persons", "Persons")),
               ("sheet 'MYE2 - Persons'", "no 'MYE2 - Persons' sheet")),
    # ---- Census 2021 (custom dataset) and 2011 (Nomis KS201EW) ---------------------------------------------
    csv_case("census2021_renamed_column", "census_ethnicity", "ons/census/census2021-renamed.csv",
             lambda b: rename_column(census_2021_rows(b), "Observation", "Count"),
             ("row 1", "column 'Observation'", "required column(s) missing")),
    csv_case("census2021_text_in_count", "census_ethnicity", "ons/census/census2021-text.csv",
             lambda b: set_cell(census_2021_rows(b), 3, "Observation", "n/a"),
             ("row 4", "column 'Observation'", "'n/a' is not a whole number")),
    bytes_case("census2021_utf16", "census_ethnicity", "ons/census/census2021-utf16.csv",
               lambda b: encoded(census_2021_rows(b), "utf-16"), ("row 1", "UTF-16")),
    bytes_case("census2021_header_only", "census_ethnicity", "ons/census/census2021-header.csv",
               lambda b: encoded(census_2021_rows(b)[:1], "utf-8"), ("row 2", "no data rows")),
    csv_case("census2021_duplicate_row", "census_ethnicity", "ons/census/census2021-duplicate.csv",
             lambda b: [*census_2021_rows(b)[:4], census_2021_rows(b)[3], *census_2021_rows(b)[4:]],
             ("row 5", "column 'Ethnic group (20 categories)'", "repeated")),
    csv_case("census2011_missing_column", "census_ethnicity", "ons/census/census2011-missing.csv",
             lambda b: drop_column(census_2011_rows(b), "geography code"),
             ("row 1", "column 'geography code'", "missing")),
    csv_case("census2011_text_in_count", "census_ethnicity", "ons/census/census2011-text.csv",
             lambda b: set_cell(census_2011_rows(b), 2, census_2011_rows(b)[0][6], "171,922x"),
             ("row 3", census_2011_rows(None)[0][6], "'171,922x' is not a whole number")),  # type: ignore[arg-type]
    csv_case("census2011_not_census_year", "census_ethnicity", "ons/census/census2011-year.csv",
             lambda b: set_cell(census_2011_rows(b), 1, "date", "2012"),
             ("row 2", "column 'date'", "'2012' is not a census year")),
    csv_case("census2011_subtotal_mismatch", "census_ethnicity", "ons/census/census2011-sum.csv",
             lambda b: set_cell(census_2011_rows(b), 1, census_2011_rows(b)[0][7], "1"),
             ("row 2", "do not add up")),
    # ---- Home Office police recorded crime open data --------------------------------------------------------
    csv_case("prc_text_in_count", "prc_open_data", "homeoffice/prc-pfa-text.csv",
             lambda b: set_cell(read_rows(b.prc), 3, "Number of Offences", "lots"),  # type: ignore[arg-type]
             ("row 4", "column 'Number of Offences'", "'lots'")),
    csv_case("prc_renamed_column", "prc_open_data", "homeoffice/prc-pfa-renamed.csv",
             lambda b: rename_column(read_rows(b.prc), "Number of Offences", "Offences"),  # type: ignore[arg-type]
             ("row 1", "Number of Offences", "missing")),
    csv_case("prc_latin1", "prc_open_data", "homeoffice/prc-pfa-latin1.csv",
             lambda b: set_cell(read_rows(b.prc), 5, "Offence Description", "Caf\u00e9 disorder"),  # type: ignore[arg-type]
             ("row 6", "column 'Offence Description'", "not UTF-8"), encoding="latin-1"),
    bytes_case("prc_truncated", "prc_open_data", "homeoffice/prc-pfa-cut.csv",
               lambda b: truncated_text(read_rows(b.prc), 20),  # type: ignore[arg-type]
               ("row 22", "column 'Offence Description'", "the row is cut short")),
    bytes_case("prc_png_renamed_xlsx", "prc_open_data", "homeoffice/prc-pfa-chart.xlsx", lambda b: PNG_BYTES,
               ("whole file", "PNG")),
    csv_case("prc_quarter_out_of_range", "prc_open_data", "homeoffice/prc-pfa-quarter.csv",
             lambda b: set_cell(read_rows(b.prc), 2, "Financial Quarter", "5"),  # type: ignore[arg-type]
             ("row 3", "column 'Financial Quarter'", "'5'")),
    # ---- NHS HES sharp-object admissions --------------------------------------------------------------------
    workbook_case("hes_renamed_sheet", "hes_sharp_object",
                  "nhs/hes-sharp-object/hes-sharp-object-admissions-2017-18.xlsx", lambda b: b.hes["2017-18"],
                  rename_sheet("Data", "Table 1"), ("sheet 'Data'", "no sheet named 'Data'")),
    bytes_case("hes_truncated", "hes_sharp_object", "nhs/hes-sharp-object/hes-sharp-object-admissions-2018-19.xlsx",
               lambda b: half(b.hes["2018-19"].read_bytes()), ("whole file", "damaged or cut short")),
    workbook_case("hes_month_outside_year", "hes_sharp_object",
                  "nhs/hes-sharp-object/hes-sharp-object-admissions-2019-20.xlsx", lambda b: b.hes["2019-20"],
                  hes_month_outside, ("sheet 'Data'", "cell A", "April 2015")),
    workbook_case("hes_episodes_text", "hes_sharp_object",
                  "nhs/hes-sharp-object/hes-sharp-object-admissions-2020-21.xlsx", lambda b: b.hes["2020-21"],
                  hes_text_in_count, ("sheet 'Data'", "cell ", "'lots'")),
    bytes_case("hes_misnamed", "hes_sharp_object", "nhs/hes-sharp-object/hes-sharp-object-admissions-2016.xlsx",
               lambda b: b.hes["2017-18"].read_bytes(), ("whole file", "file name must be")),
    # ---- re-deliveries that drop part of what the earlier delivery held (second run) ------------------------
    workbook_case("ons_redelivery_drops_table", "ons_pfa_tables", GOOD["ons_pfa_tables"], lambda b: ONS_JUNE_2019,
                  lambda book: book.remove(in_sheet("Table P4")(book)),
                  ("whole file", "holds less than the delivery it replaces", "table_id P4"), second_run=True),
    workbook_case("hes_redelivery_drops_force", "hes_sharp_object", GOOD["hes_sharp_object"],
                  lambda b: b.hes["2021-22"], drop_hes_force,
                  ("whole file", "holds less than the delivery it replaces", "force_code E23"), second_run=True),
    workbook_case("workforce_redelivery_drops_role", "workforce", GOOD["workforce"],
                  lambda b: b.op_path("workforce", "2021-03-31"), drop_workforce_role,
                  ("whole file", "holds less than the delivery it replaces", "role PCSO"), second_run=True),
    csv_case("census2021_redelivery_drops_authority", "census_ethnicity", GOOD["census_2021"],
             lambda b: [r for r in census_2021_rows(b) if r[0] != "E06000001"],
             ("whole file", "holds less than the delivery it replaces", "la_code E06000001"), second_run=True),
    csv_case("prc_redelivery_drops_quarter", "prc_open_data", GOOD["prc_open_data"],
             lambda b: [r for r in read_rows(b.prc) if r[1] != "4"],  # type: ignore[arg-type]
             ("whole file", "holds less than the delivery it replaces", "financial_quarter 4"), second_run=True),
)


# --- the runs ---------------------------------------------------------------------------------------------------

# Columns that differ between two runs of the same files by design, and only these: when a file was loaded, by
# which Dagster run and the modification time of the copy that was read (meta.loaded_files: the two landing
# folders are written at different times), and the publication's own token and time (meta.publication, one row
# per publication). Every other column of every table must be equal, the file's size and hash included.
VOLATILE_COLUMNS = {"meta.loaded_files": ("loaded_at", "run_id", "file_mtime_ns"),
                    "meta.publication": ("token", "published_at")}


def checksums(pipeline: Pipeline) -> dict[str, str]:
    """Pipeline.table_checksums() without the volatile columns (VOLATILE_COLUMNS: per-run ids and times); a table
    with no other column is compared by its row count."""
    sums = {}
    with duckdb.connect(str(pipeline.warehouse_path), read_only=True) as conn:
        tables = conn.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        for schema, table in tables:
            columns = [c for (c,) in conn.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
                "order by column_index", [schema, table]).fetchall()
                if c not in VOLATILE_COLUMNS.get(f"{schema}.{table}", ())]
            listed = ", ".join(f'"{c}"' for c in columns) or "count(*)"
            rows = conn.execute(f'select {listed} from "{schema}"."{table}"').fetchall()
            text = "\n".join(sorted(repr(r) for r in rows))
            sums[f"{schema}.{table}"] = hashlib.sha256(text.encode()).hexdigest()
    return sums


def loaded_files(pipeline: Pipeline) -> set[str]:
    return {name for (name,) in pipeline.query("select file_name from meta.loaded_files")}


@dataclass
class Run:
    report: RunReport
    loaded: set[str]
    seconds: float


@dataclass
class Corpus:
    pipeline: Pipeline
    control: Pipeline
    runs: dict[bool, Run]  # by Case.second_run
    control_sums: dict[str, str]
    sums: dict[str, str]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("corpus")
    bases = make_bases(root / "bases")
    control = Pipeline(root / "control")
    write_good(control.landing, bases)
    write_good(control.landing, bases, second_run=True)
    control.run()
    pipeline = Pipeline(root / "bad")
    write_good(pipeline.landing, bases)
    for case in CASES:
        if not case.second_run:
            case.write(pipeline.landing, bases)
    started = time.perf_counter()
    first = pipeline.run()
    runs = {False: Run(first, loaded_files(pipeline), time.perf_counter() - started)}
    # the second delivery: the held-back good file, and the re-deliveries that hold less than the first
    write_good(pipeline.landing, bases, second_run=True)
    for case in CASES:
        if case.second_run:
            case.write(pipeline.landing, bases)
    started = time.perf_counter()
    second = pipeline.run()
    runs[True] = Run(second, loaded_files(pipeline), time.perf_counter() - started)
    return Corpus(pipeline, control, runs, checksums(control), checksums(pipeline))


def quarantined(pipeline: Pipeline, case: Case) -> list[Path]:
    """The case's file in quarantine (_quarantine/<time>/<path in the landing folder>)."""
    folder = pipeline.landing / QUARANTINE_DIR_NAME
    return [p for p in folder.rglob(case.name) if not p.is_dir() and p.relative_to(folder).parts[1:] ==
            Path(case.path).parts]


# columns the parsers derive from delivered ones (a month from a date, a reference with its force and month): a
# rule on them must name the delivered column
DERIVED_MONTHS = {"date_month", "recorded_month", "crime_reference_in_month"}


def test_every_rule_on_a_derived_column_names_the_delivered_one() -> None:
    """A date outside the file's month, or a reference repeated within the force (force_code comes from the file
    name), is reported under the column the supplier wrote, not one the parser made."""
    unnamed = []
    for path in sorted((REPO / "expectations").glob("*.json")):
        for expectation in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            kwargs = expectation["kwargs"]
            derived = {kwargs.get("column"), kwargs.get("column_A")} & DERIVED_MONTHS or (
                len(kwargs.get("column_list", [])) == 2 and "force_code" in kwargs["column_list"])
            if derived and "shown_column" not in expectation["meta"]:
                unnamed.append(f"{path.stem}.{expectation['meta']['check_name']}")
    assert unnamed == []


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({c.path for c in CASES if not c.second_run}) == len([c for c in CASES if not c.second_run])
    # every source with a good file has a broken one (the two Census layouts are one source)
    sources = {c.source for c in CASES}
    assert {k for k in GOOD if not k.startswith("census")} | {"census_ethnicity"} == sources


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_is_quarantined_with_its_reason_and_changes_nothing(corpus: Corpus, case: Case) -> None:
    run = corpus.runs[case.second_run]
    # messages, not tracebacks: every problem the run reports is a rejected file (no step failed, no check)
    rejected_names = {q.path.name for q in run.report.rejected}
    others = [p for p in run.report.problems
              if not any(p.startswith(f"{n} rejected, moved to") for n in rejected_names)]
    assert others == []
    assert not any("Traceback" in p for p in run.report.problems)
    # in quarantine, with a reason naming the file, where in it, the column as written and the rule
    found = quarantined(corpus.pipeline, case)
    assert len(found) == 1, f"{case.path} not in quarantine"
    reason = found[0].with_name(found[0].name + ".reason.txt").read_text(encoding="utf-8")
    assert case.name in reason
    for fragment in case.expect:
        assert fragment in reason, f"{fragment!r} not in: {reason}"
    assert any(q.path == found[0] for q in run.report.rejected)
    # the published warehouse is the control's, table by table
    differing = sorted(t for t in corpus.control_sums.keys() | corpus.sums.keys()
                       if corpus.control_sums.get(t) != corpus.sums.get(t))
    assert differing == []
    # a good file of another source delivered in the same run loaded
    good = Path(case.good_of_another_source).name
    assert good in run.loaded
    if case.second_run:
        assert good not in corpus.runs[False].loaded


def _tables_holding(pipeline: Pipeline, value: str) -> list[str]:
    found = []
    with duckdb.connect(str(pipeline.warehouse_path), read_only=True) as conn:
        columns = conn.execute("select schema_name, table_name, column_name from duckdb_columns() "
                               "where data_type = 'VARCHAR' and schema_name in ('landed', 'core')").fetchall()
        for schema, table, column in columns:
            if conn.execute(f'select count(*) from "{schema}"."{table}" where "{column}" = ?', [value]).fetchone()[0]:
                found.append(f"{schema}.{table}.{column}")
    return found


@pytest.mark.parametrize("case", sorted(ACCEPTED), ids=sorted(ACCEPTED))
def test_markup_and_formula_text_in_free_text_is_kept_as_text_and_made_harmless(corpus: Corpus, case: str) -> None:
    key, column, value = ACCEPTED[case]
    # accepted: the good file loaded in both landings, the text stored exactly as delivered
    assert Path(GOOD[key]).name in corpus.runs[False].loaded
    assert _tables_holding(corpus.pipeline, value), f"{value!r} ({column}) is not stored anywhere"
    # Data Docs and every HTML page the project wrote show it escaped, never raw
    pages = [*(corpus.pipeline.exports.parent / "data-docs").rglob("*.html"), *corpus.pipeline.exports.rglob("*.html")]
    assert pages, "no Data Docs were written"
    raw = [p for p in pages if value in p.read_text(encoding="utf-8", errors="replace")]
    if value == MARKUP:
        assert raw == []
    # the analyst's CSV and the board workbook never leave it a live formula
    shown = formula_safe(pd.DataFrame({column: [value]}))[column].iloc[0]
    assert not str(shown).startswith(("=", "+", "-", "@"))
    for workbook in corpus.pipeline.exports.rglob("*.xlsx"):
        book = openpyxl.load_workbook(workbook)
        live = [c.coordinate for s in book.worksheets for row in s.iter_rows() for c in row
                if c.data_type == "f" and "HYPERLINK" in str(c.value)]
        assert live == [], workbook


def test_data_docs_show_rejected_markup_escaped(corpus: Corpus) -> None:
    """The rejected victim_age of crime_victim_age_markup is on a failure page: escaped, so it cannot run."""
    pages = list((corpus.pipeline.exports.parent / "data-docs").rglob("*.html"))
    assert not [p for p in pages if MARKUP in p.read_text(encoding="utf-8", errors="replace")]
    assert any(html.escape(MARKUP, quote=False) in p.read_text(encoding="utf-8", errors="replace") or
               html.escape(MARKUP) in p.read_text(encoding="utf-8", errors="replace") for p in pages)


def test_report_timings(corpus: Corpus) -> None:
    """Both runs of the bad landing finish within the module's budget (the whole module: under 6 minutes)."""
    assert corpus.runs[False].seconds + corpus.runs[True].seconds < 240
