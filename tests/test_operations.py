"""Firearm recoveries and operational activity: parsers, suites, the source end to end, the board paper's
firearms and County Lines figures (marts.paper_firearms, marts.paper_county_lines) and the sample.

Parser and suite tests use hand-made files. The marts are run on small hand-built tables whose figures
are worked out by hand in the comments. The sample's calibration is recounted from the generated CSVs
with DuckDB (never through the pipeline's SQL), and the end-to-end tests (test_e2e_*) read the
`calibrated` warehouse and compare with the published numbers typed from the board paper.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from dagster import materialize

from assets.lib.errors import RejectedFile
from assets.lib.file_sources import FileSource
from assets.lib.landing import QUARANTINE_DIR_NAME
from assets.lib.resources import Exports, LandingFolder, make_warehouse
from assets.lib.sql import SQL_DIR, build_table
from assets.lib.validation import SUITES_DIR, rejections_by_file, validate
from assets.operations.assets import FIREARM_RECOVERIES, OPERATIONS, source_assets
from assets.operations.parser import (
    FIREARM_RECOVERY_COLUMNS,
    OPERATION_ACTIVITY_TYPES,
    OPERATIONS_COLUMNS,
    WEAPON_CLASSES,
)
from sample_data.operations import write_operations

WM = "E23000014"
GM = "E23000005"
BOM = b"\xef\xbb\xbf"
RECOVERY_HEADER = b"recovery_reference,recovery_date,weapon_class,lsoa_code"
OPERATIONS_HEADER = b"activity_reference,activity_date,operation,activity_type"


def _csv(path: Path, header: bytes, rows: list[str], *, bom: bool = True, line_end: bytes = b"\r\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((BOM if bom else b"") + line_end.join([header, *(r.encode() for r in rows)]) + line_end)
    return path


# --- parsers ------------------------------------------------------------------------------------------

def test_column_tuples_are_the_sources_md_headers() -> None:
    assert ",".join(FIREARM_RECOVERY_COLUMNS).encode() == RECOVERY_HEADER
    assert ",".join(OPERATIONS_COLUMNS).encode() == OPERATIONS_HEADER


def test_recoveries_bom_crlf_quotes_and_empty_lsoa(tmp_path: Path) -> None:
    path = _csv(tmp_path / "west-midlands-firearm-recoveries-2022-01.csv", RECOVERY_HEADER, [
        "FRWM/0001/22,2022-01-04,Lethal barrelled,E01009450",
        'FRWM/0002/22,2022-01-31,"Imitation or replica",',
        "FRWM/0003/22 , 2022-01-15 ,Other, W01000001",
    ])
    frame = FIREARM_RECOVERIES.read_one(path)
    assert list(frame.columns) == ["recovery_reference", "recovery_date", "weapon_class", "lsoa_code", "date_month",
                                   "source_file", "source_row", "force_code", "file_month"]
    assert frame["recovery_reference"].tolist() == ["FRWM/0001/22", "FRWM/0002/22", "FRWM/0003/22"]  # trimmed
    assert frame["weapon_class"].tolist() == ["Lethal barrelled", "Imitation or replica", "Other"]
    assert frame["lsoa_code"].isna().tolist() == [False, True, False]
    assert frame["source_row"].tolist() == [2, 3, 4]
    assert frame["force_code"].tolist() == ["E23000014"] * 3
    assert frame["file_month"].tolist() == ["2022-01"] * 3
    assert frame["date_month"].tolist() == ["2022-01"] * 3  # of the trimmed date


def test_operations_without_bom_and_lf_quoted_commas_and_empty_operation(tmp_path: Path) -> None:
    path = _csv(tmp_path / "west-midlands-operations-2022-01.csv", OPERATIONS_HEADER, [
        "OPWM/00001/22,2022-01-03,Captiva,Firearms warrant",
        'OPWM/00002/22,2022-01-03,"Captiva, weekly submission",Visit',
        "OPWM/00003/22,2022-01-05,,Drugs warrant",
    ], bom=False, line_end=b"\n")
    frame = OPERATIONS.read_one(path)
    assert list(frame.columns) == ["activity_reference", "activity_date", "operation", "activity_type", "date_month",
                                   "source_file", "source_row", "force_code", "file_month"]
    assert frame["operation"].tolist()[:2] == ["Captiva", "Captiva, weekly submission"]
    assert frame["operation"].isna().tolist() == [False, False, True]
    assert frame["activity_type"].tolist() == ["Firearms warrant", "Visit", "Drugs warrant"]
    assert frame["source_row"].tolist() == [2, 3, 4]


@pytest.mark.parametrize(("source", "columns", "name"), [
    (FIREARM_RECOVERIES, FIREARM_RECOVERY_COLUMNS, "west-midlands-firearm-recoveries-2022-01.csv"),
    (OPERATIONS, OPERATIONS_COLUMNS, "west-midlands-operations-2022-01.csv"),
])
def test_missing_column_names_file_row_and_column(tmp_path: Path, source: FileSource, columns: tuple[str, ...],
                                                  name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BOM + ",".join(columns[:-1]).encode() + b"\r\n")
    with pytest.raises(RejectedFile) as raised:
        source.read_one(path)
    assert str(raised.value) == (f"{name}: row 1, column '{columns[-1]}': "
                                 f"required column(s) missing from the header: {columns[-1]}")


# --- suites over files read as the pipeline reads them ------------------------------------------------

def _suite(name: str) -> dict:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _value_set(suite: str, column: str) -> list[str]:
    return next(e["kwargs"]["value_set"] for e in _suite(suite)["expectations"]
                if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column)


def test_suite_value_sets_match_the_parser_and_sources_md() -> None:
    assert _value_set("firearm_recoveries", "weapon_class") == list(WEAPON_CLASSES) == [
        "Lethal barrelled", "Imitation or replica", "Other"]
    assert _value_set("operations", "activity_type") == list(OPERATION_ACTIVITY_TYPES) == [
        "Firearms warrant", "Drugs warrant", "Visit", "NRM referral", "Safeguarding engagement",
        "Specialist support referral"]
    for name in ("firearm_recoveries", "operations"):
        checks = [e["meta"]["check_name"] for e in _suite(name)["expectations"]]
        assert _suite(name)["name"] == name and len(checks) == len(set(checks))


def test_good_files_pass_every_check(tmp_path: Path) -> None:
    recoveries = _csv(tmp_path / "west-midlands-firearm-recoveries-2022-02.csv", RECOVERY_HEADER, [
        "FR/1,2022-02-01,Lethal barrelled,E01009450", "FR/2,2022-02-28,Other,E01009451"])
    operations = _csv(tmp_path / "west-midlands-operations-2022-02.csv", OPERATIONS_HEADER, [
        "OP/1,2022-02-01,Captiva,Visit", "OP/2,2022-02-28,,Drugs warrant", "OP/3,2022-02-14,County Lines,NRM referral",
        "OP/4,2022-02-14,County Lines,Safeguarding engagement", "OP/5,2022-02-15,Captiva,Firearms warrant"])
    for source, path in ((FIREARM_RECOVERIES, recoveries), (OPERATIONS, operations)):
        outcomes = validate(source.read_one(path), source.name)
        assert [o.message() for o in outcomes if not o.success] == []


BAD_FILES = [
    # (source, file, rows, check that rejects it, text the reason must carry)
    (OPERATIONS, "west-midlands-operations-2022-02.csv",
     ["OP/1,2022-02-01,Captiva,Visit", "OP/2,2022-02-03,Captiva,House visit"], "activity_type_valid",
     "row 3, column 'activity_type': 'House visit'"),
    (OPERATIONS, "west-midlands-operations-2022-02.csv",
     ["OP/1,2022-03-01,Captiva,Visit"], "activity_date_in_file_month", "row 2, column 'activity_date': '2022-03-01'"),
    (OPERATIONS, "west-midlands-operations-2022-02.csv",
     ["OP/1,2022-02-30,Captiva,Visit"], "activity_date_is_a_date", "row 2, column 'activity_date': '2022-02-30'"),
    (OPERATIONS, "west-midlands-operations-2022-02.csv",
     ["OP/1,2022-02-01,Captiva,Visit", "OP/1,2022-02-02,Captiva,Visit"], "activity_reference_unique", "row 3"),
    (FIREARM_RECOVERIES, "west-midlands-firearm-recoveries-2022-02.csv",
     ["FR/1,2022-02-01,Lethal barrelled,E01009450", "FR/2,2022-02-02,Air rifle,E01009450"], "weapon_class_valid",
     "row 3, column 'weapon_class': 'Air rifle'"),
    (FIREARM_RECOVERIES, "west-midlands-firearm-recoveries-2022-02.csv",
     ["FR/1,2022-01-31,Lethal barrelled,E01009450"], "recovery_date_in_file_month",
     "row 2, column 'recovery_date': '2022-01-31'"),
    (FIREARM_RECOVERIES, "west-midlands-firearm-recoveries-2022-02.csv",
     ["FR/1,2022-02-01,,E01009450"], "weapon_class_present", "row 2"),
    (FIREARM_RECOVERIES, "west-midlands-firearm-recoveries-2022-02.csv",
     ["FR/1,2022-02-01,Other,E02000001"], "lsoa_code_format", "row 2, column 'lsoa_code': 'E02000001'"),
]


@pytest.mark.parametrize(("source", "name", "rows", "check", "where"), BAD_FILES)
def test_bad_value_rejects_the_file_naming_row_and_rule(tmp_path: Path, source, name: str, rows: list[str],
                                                        check: str, where: str) -> None:
    header = RECOVERY_HEADER if source is FIREARM_RECOVERIES else OPERATIONS_HEADER
    frame = source.read_one(_csv(tmp_path / name, header, rows))
    rejections = rejections_by_file(validate(frame, source.name))
    assert list(rejections) == [name]
    reason = next(r for r in rejections[name] if r.startswith(f"{check} failed"))
    rule = next(e["meta"]["rule"] for e in _suite(source.name)["expectations"] if e["meta"]["check_name"] == check)
    assert rule in reason and f"{name} {where}" in reason, reason


# --- the source end to end: quarantine, load, re-delivery ---------------------------------------------

def _load(root: Path) -> None:
    resources = {"warehouse": make_warehouse(root / "warehouse.duckdb"),
                 "landing": LandingFolder(root=str(root / "landing")), "exports": Exports(root=str(root / "exports"))}
    assert materialize(source_assets, resources=resources).success


def _query(root: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(root / ".build" / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_bad_file_quarantined_good_one_loads_and_redelivery_replaces(tmp_path: Path) -> None:
    folder = tmp_path / "landing" / "force" / "operations"
    _csv(folder / "west-midlands-operations-2022-01.csv", OPERATIONS_HEADER, [
        "OP/1,2022-01-03,Captiva,Firearms warrant", "OP/2,2022-01-04,Op Captiva,Visit",
        "OP/3,2022-01-05,County Lines,NRM referral"])
    _csv(folder / "west-midlands-operations-2022-02.csv", OPERATIONS_HEADER, [
        "OP/4,2022-02-01,Captiva,Visit", "OP/5,2022-02-02,Captiva,Warrant"])
    _csv(tmp_path / "landing" / "force" / "firearm-recoveries" / "west-midlands-firearm-recoveries-2022-01.csv",
         RECOVERY_HEADER, [])  # a month with no recoveries: delivered, and zero
    _load(tmp_path)
    reasons = list((tmp_path / "landing" / QUARANTINE_DIR_NAME).rglob("*.reason.txt"))
    assert [r.name for r in reasons] == ["west-midlands-operations-2022-02.csv.reason.txt"]
    reason = reasons[0].read_text()
    assert "activity_type_valid failed" in reason
    assert "west-midlands-operations-2022-02.csv row 3, column 'activity_type': 'Warrant'" in reason
    assert _query(tmp_path, "select activity_reference, operation, operation_key, activity_type, source_row "
                            "from core.fact_operations order by 1") == [
        ("OP/1", "Captiva", "captiva", "Firearms warrant", 2), ("OP/2", "Op Captiva", "captiva", "Visit", 3),
        ("OP/3", "County Lines", "county lines", "NRM referral", 4)]
    assert _query(tmp_path, "select source, force_code, period, rows from meta.loaded_files order by 1") == [
        ("firearm_recoveries", WM, dt.date(2022, 1, 1), 0), ("operations", WM, dt.date(2022, 1, 1), 3)]

    # January delivered again, corrected: its rows replace the first delivery's, never add to them
    _csv(folder / "west-midlands-operations-2022-01.csv", OPERATIONS_HEADER, [
        "OP/1,2022-01-03,Captiva,Drugs warrant", "OP/6,2022-01-31,CAPTIVA,Visit"])
    _load(tmp_path)
    assert _query(tmp_path, "select activity_reference, operation_key, activity_type, source_file "
                            "from core.fact_operations order by 1") == [
        ("OP/1", "captiva", "Drugs warrant", "west-midlands-operations-2022-01.csv"),
        ("OP/6", "captiva", "Visit", "west-midlands-operations-2022-01.csv")]
    assert _query(tmp_path, "select count(*), sum(rows) from meta.loaded_files where source = 'operations'") == [
        (1, 2)]


# --- the marts on hand-built tables -------------------------------------------------------------------

def _months(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(f"{first}-01"), dt.date.fromisoformat(f"{last}-01")
    months = []
    while start <= end:
        months.append(start)
        start = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return months


@pytest.fixture(scope="module")
def marts_db() -> duckdb.DuckDBPyConnection:
    """Two forces. West Midlands delivered both sources every month from April 2020 to March 2022.
    Greater Manchester delivered only 2021/22, without June 2021 recoveries and February 2022 activity,
    its January 2022 activity file header only; its quarter ending March 2021 is reported (other sources)
    with nothing of these two sources delivered."""
    conn = duckdb.connect()
    for schema in ("core", "marts", "meta"):
        conn.execute(f"create schema {schema}")
    conn.execute("create table marts.reporting_quarters (force_code varchar, quarter_end date)")
    conn.execute("insert into marts.reporting_quarters values (?, '2022-03-31'), (?, '2021-03-31')", [WM, GM])
    conn.execute("create table meta.loaded_files (source varchar, file_name varchar, force_code varchar, period date, "
                 "sha256 varchar, rows integer, loaded_at timestamp, run_id varchar)")
    delivered = [(s, WM, m) for s in ("firearm_recoveries", "operations") for m in _months("2020-04", "2022-03")]
    delivered += [("firearm_recoveries", GM, m) for m in _months("2021-04", "2022-03") if m != dt.date(2021, 6, 1)]
    delivered += [("operations", GM, m) for m in _months("2021-04", "2022-03") if m != dt.date(2022, 2, 1)]
    conn.executemany("insert into meta.loaded_files values (?, 'f', ?, ?, '', 0, now(), 'r')", delivered)
    conn.execute("create table core.fact_firearm_recoveries (force_code varchar, month date, is_lethal_barrelled "
                 "boolean)")
    recoveries = [
        (WM, "2020-05-01", True), (WM, "2020-05-01", True), (WM, "2021-01-01", True),  # 2020/21: 3
        (WM, "2021-04-01", True), (WM, "2021-12-01", True), (WM, "2021-12-01", True),
        (WM, "2022-03-01", True), (WM, "2022-03-01", False),  # 2021/22: 4 lethal barrelled
        (GM, "2021-05-01", True), (GM, "2022-01-01", True),  # June 2021 not delivered
    ]
    conn.executemany("insert into core.fact_firearm_recoveries values (?, ?, ?)", recoveries)
    conn.execute("create table core.fact_operations (force_code varchar, month date, operation_key varchar, "
                 "activity_type varchar)")
    operations = [
        # January to March 2022, West Midlands: Captiva 2 firearms warrants, 1 drugs warrant, 3 visits
        (WM, "2022-01-01", "captiva", "Firearms warrant"), (WM, "2022-03-01", "captiva", "Firearms warrant"),
        (WM, "2022-02-01", "county lines", "Firearms warrant"), (WM, "2022-02-01", "captiva", "Drugs warrant"),
        (WM, "2022-02-01", None, "Drugs warrant"), (WM, "2022-01-01", "captiva", "Visit"),
        (WM, "2022-01-01", "captiva", "Visit"), (WM, "2022-03-01", "captiva", "Visit"),
        (WM, "2022-03-01", "sceptre", "Visit"), (WM, "2021-12-01", "captiva", "Visit"),  # December: last quarter
        # County Lines, West Midlands 2021/22: 2 NRM referrals, 2 engaged, 1 referred to specialist support
        (WM, "2021-03-01", "county lines", "NRM referral"),  # 2020/21
        (WM, "2021-05-01", "county lines", "NRM referral"), (WM, "2022-02-01", "county lines", "NRM referral"),
        (WM, "2022-02-01", "modern slavery", "NRM referral"),
        (WM, "2021-11-01", "county lines", "Safeguarding engagement"),
        (WM, "2021-11-01", "county lines", "Safeguarding engagement"),
        (WM, "2021-08-01", "guardian", "Safeguarding engagement"),
        (WM, "2022-03-01", "county lines", "Specialist support referral"),
        # Greater Manchester: January 2022 delivered empty, February 2022 not delivered
        (GM, "2022-03-01", "captiva", "Visit"), (GM, "2021-07-01", "county lines", "NRM referral"),
    ]
    conn.executemany("insert into core.fact_operations values (?, ?, ?, ?)", operations)
    build_table(conn, "paper_firearms")
    build_table(conn, "paper_county_lines")
    return conn


def _figures(conn: duckdb.DuckDBPyConnection, table: str, force: str, quarter_end: str) -> dict[str, tuple]:
    rows = conn.execute(
        f"select figure_id, value, comparison_value, months_missing, comparable, quality_flags, period_label, "
        f"comparison_label, period_start, period_end from marts.{table} where force_code = ? and quarter_end = ?",
        [force, quarter_end]).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_paper_marts_have_the_board_paper_figures_columns(marts_db: duckdb.DuckDBPyConnection) -> None:
    contract_sql = (SQL_DIR / "marts" / "board_paper_figures.sql").read_text().split("\nunion all by name")[0]
    contract = [(r[0], r[1]) for r in marts_db.execute(f"describe {contract_sql}").fetchall()]
    assert contract[:3] == [("force_code", "VARCHAR"), ("quarter_end", "DATE"), ("section", "VARCHAR")]
    for table in ("paper_firearms", "paper_county_lines"):
        assert [(r[0], r[1]) for r in marts_db.execute(f"describe marts.{table}").fetchall()] == contract, table


def test_firearms_complete_year_and_quarter(marts_db: duckdb.DuckDBPyConnection) -> None:
    figures = _figures(marts_db, "paper_firearms", WM, "2022-03-31")
    assert figures["lethal_firearms_recovered"] == (4.0, 3.0, 0, True, None, "2021/22", "2020/21",
                                                    dt.date(2021, 4, 1), dt.date(2022, 3, 31))
    quarter = ("January to March 2022", None, dt.date(2022, 1, 1), dt.date(2022, 3, 31))
    # the County Lines firearms warrant, the drugs warrant with no operation and the Sceptre visit are not Captiva's
    assert figures["captiva_firearms_warrants"] == (2.0, None, 0, True, None, *quarter)
    assert figures["captiva_drugs_warrants"] == (1.0, None, 0, True, None, *quarter)
    assert figures["captiva_visits"] == (3.0, None, 0, True, None, *quarter)
    sections = marts_db.execute("select distinct section, unit from marts.paper_firearms").fetchall()
    assert sections == [("Firearms", "count")]


def test_firearms_year_to_date_at_december(marts_db: duckdb.DuckDBPyConnection) -> None:
    # April to December 2021: 1 + 2 = 3; April to December 2020: 2; October to December 2021: one Captiva visit
    figures = _figures(marts_db, "paper_firearms", WM, "2021-12-31")
    assert figures["lethal_firearms_recovered"][:7] == (
        3.0, 2.0, 0, True, None, "April to December 2021 (2021/22 to date)", "April to December 2020 (2020/21 to date)")
    assert figures["captiva_visits"][:6] == (1.0, None, 0, True, None, "October to December 2021")


def test_firearms_with_months_missing(marts_db: duckdb.DuckDBPyConnection) -> None:
    figures = _figures(marts_db, "paper_firearms", GM, "2022-03-31")
    # 2021/22 over the 11 months delivered: 2; June 2021 and all 12 months of 2020/21 missing: 13, no comparison
    assert figures["lethal_firearms_recovered"][:7] == (2.0, None, 13, False, "months_missing=13", "2021/22", "2020/21")
    # January (delivered, empty) and March: one Captiva visit; February missing
    assert figures["captiva_visits"][:5] == (1.0, None, 1, False, "months_missing=1")
    assert figures["captiva_firearms_warrants"][:5] == (0.0, None, 1, False, "months_missing=1")


def test_nothing_delivered_is_null_not_zero(marts_db: duckdb.DuckDBPyConnection) -> None:
    firearms = _figures(marts_db, "paper_firearms", GM, "2021-03-31")
    assert firearms["lethal_firearms_recovered"][:5] == (None, None, 24, False, "months_missing=24")
    assert firearms["captiva_visits"][:5] == (None, None, 3, False, "months_missing=3")
    county_lines = _figures(marts_db, "paper_county_lines", GM, "2021-03-31")
    assert county_lines["county_lines_nrm_referrals"][:5] == (None, None, 12, False, "months_missing=12")


def test_county_lines_year_to_date(marts_db: duckdb.DuckDBPyConnection) -> None:
    figures = _figures(marts_db, "paper_county_lines", WM, "2022-03-31")
    year = ("2021/22", None, dt.date(2021, 4, 1), dt.date(2022, 3, 31))
    # the March 2021 referral is 2020/21's; the modern slavery referral and the Guardian engagement are not County Lines
    assert figures["county_lines_nrm_referrals"] == (2.0, None, 0, True, None, *year)
    assert figures["county_lines_safeguarding_engagements"] == (2.0, None, 0, True, None, *year)
    assert figures["county_lines_specialist_support_referrals"] == (1.0, None, 0, True, None, *year)
    assert _figures(marts_db, "paper_county_lines", WM, "2021-03-31")["county_lines_nrm_referrals"][:6] == (
        1.0, None, 0, True, None, "2020/21")
    # April to September 2021: the May referral only
    assert _figures(marts_db, "paper_county_lines", WM, "2021-09-30")["county_lines_nrm_referrals"][:6] == (
        1.0, None, 0, True, None, "April to September 2021 (2021/22 to date)")
    # Greater Manchester 2021/22: the July referral, February 2022 missing
    assert _figures(marts_db, "paper_county_lines", GM, "2022-03-31")["county_lines_nrm_referrals"][:5] == (
        1.0, None, 1, False, "months_missing=1")
    sections = marts_db.execute("select distinct section, paper_ref from marts.paper_county_lines").fetchall()
    assert sections == [("Drugs", "paper 19")]


# --- the sample ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("operations_sample")
    return out, write_operations(out)


@pytest.fixture(scope="module")
def sample_db(sample: tuple[Path, list[Path]]) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    for table, folder, header in (("recoveries", "firearm-recoveries", RECOVERY_HEADER),
                                  ("operations", "operations", OPERATIONS_HEADER)):
        columns = "{" + ",".join(f"'{c}': 'VARCHAR'" for c in header.decode().split(",")) + "}"
        conn.execute(f"""
            create table {table} as
            select *, regexp_extract(filename, '-(\\d{{4}}-\\d{{2}})\\.csv$', 1) as file_month
            from read_csv('{sample[0]}/force/{folder}/*.csv', header = true, columns = {columns}, delim = ',',
                          quote = '"', auto_detect = false, filename = true)""")
    return conn


def test_sample_files_bom_crlf_and_months(sample: tuple[Path, list[Path]]) -> None:
    paths = sample[1]
    # April 2018 to March 2023, both sources
    assert len(paths) == 120
    for path in paths:
        data = path.read_bytes()
        header = RECOVERY_HEADER if "firearm-recoveries" in path.name else OPERATIONS_HEADER
        assert data.startswith(BOM + header + b"\r\n") and data.count(b"\n") == data.count(b"\r\n"), path.name


def test_sample_lethal_barrelled_recoveries(sample_db: duckdb.DuckDBPyConnection) -> None:
    # paper 10: 140 in 2021/22, 16 more than 2020/21
    counts = sample_db.execute(
        "select count(*) filter (where file_month between '2021-04' and '2022-03'), "
        "count(*) filter (where file_month between '2020-04' and '2021-03') "
        "from recoveries where weapon_class = 'Lethal barrelled'").fetchone()
    assert counts == (140, 124)


# The operation as typed, folded by hand here: case, spaces and an Op/Operation prefix.
FOLDED = "lower(regexp_replace(trim(operation), '^(?i:operation|op)\\s+', ''))"


def test_sample_captiva_quarter_and_county_lines_year(sample_db: duckdb.DuckDBPyConnection) -> None:
    captiva = dict(sample_db.execute(
        f"select activity_type, count(*) from operations where {FOLDED} = 'captiva' "
        "and file_month between '2022-01' and '2022-03' group by 1").fetchall())
    assert captiva == {"Firearms warrant": 38, "Drugs warrant": 46, "Visit": 185}  # paper 11
    county_lines = dict(sample_db.execute(
        f"select activity_type, count(*) from operations where {FOLDED} = 'county lines' "
        "and file_month between '2021-04' and '2022-03' group by 1").fetchall())
    assert {k: county_lines[k] for k in ("NRM referral", "Safeguarding engagement", "Specialist support referral")} \
        == {"NRM referral": 10, "Safeguarding engagement": 80, "Specialist support referral": 24}  # paper 19
    # the quirks are there: other spellings, activity with no operation, the same types under other operations
    spellings = {r[0] for r in sample_db.execute("select distinct operation from operations").fetchall()}
    assert {"Captiva", "Op Captiva", "CAPTIVA", "County Lines", "County lines", None, "Sceptre"} <= spellings
    assert sample_db.execute("select count(*) from operations where activity_date not like file_month || '-%' "
                             "or activity_type not in ('Firearms warrant', 'Drugs warrant', 'Visit', "
                             "'NRM referral', 'Safeguarding engagement', 'Specialist support referral')"
                             ).fetchone() == (0,)


def test_sample_month_passes_its_suite(sample: tuple[Path, list[Path]]) -> None:
    for source, folder, stem in ((FIREARM_RECOVERIES, "firearm-recoveries", "firearm-recoveries"),
                                 (OPERATIONS, "operations", "operations")):
        frame = source.read_one(sample[0] / "force" / folder / f"west-midlands-{stem}-2022-01.csv")
        outcomes = validate(frame, source.name)
        assert [o.message() for o in outcomes if not o.success] == [], source.name


def test_sample_is_deterministic_and_scaled_for_another_force(sample: tuple[Path, list[Path]],
                                                              tmp_path: Path) -> None:
    again = write_operations(tmp_path / "again", first_month="2021-11", last_month="2022-02")
    assert len(again) == 8
    for path in again:
        assert path.read_bytes() == (sample[0] / path.relative_to(tmp_path / "again")).read_bytes(), path.name
    other = write_operations(tmp_path / "gm", force_slug="greater-manchester", first_month="2022-01",
                             last_month="2022-01")
    assert [p.name for p in other] == ["greater-manchester-firearm-recoveries-2022-01.csv",
                                       "greater-manchester-operations-2022-01.csv"]
    assert len(OPERATIONS.read_one(other[1])) > 0 and len(FIREARM_RECOVERIES.read_one(other[0])) > 0
    assert set(OPERATIONS.read_one(other[1])["force_code"]) == {"E23000005"}
    with pytest.raises(ValueError, match="after"):
        write_operations(tmp_path, first_month="2022-03", last_month="2022-01")


# --- end to end: the calibrated sample through the main job -------------------------------------------

def test_e2e_board_paper_firearms_and_county_lines(calibrated) -> None:
    rows = calibrated.query(
        "select figure_id, value, comparison_value, period_label, comparison_label, comparable, quality_flags "
        "from marts.board_paper_figures where force_code = ? and quarter_end = date '2022-03-31' "
        "and figure_id in ('lethal_firearms_recovered', 'captiva_firearms_warrants', 'captiva_drugs_warrants', "
        "'captiva_visits', 'county_lines_nrm_referrals', 'county_lines_safeguarding_engagements', "
        "'county_lines_specialist_support_referrals')", [WM])
    figures = {r[0]: r[1:] for r in rows}
    # paper 10: "140 lethal barrelled firearms have been recovered this year ... an increase of 16 ... 2020/21"
    assert figures["lethal_firearms_recovered"] == (140, 124, "2021/22", "2020/21", True, None)
    # paper 11: "This quarter WMP have completed 38 firearms warrants, 46 drugs warrants and 185 Captiva visits"
    assert figures["captiva_firearms_warrants"] == (38, None, "January to March 2022", None, True, None)
    assert figures["captiva_drugs_warrants"] == (46, None, "January to March 2022", None, True, None)
    assert figures["captiva_visits"] == (185, None, "January to March 2022", None, True, None)
    # paper 19: "10 referrals ... to the National Referral Mechanism ... 80 people were engaged with safeguarding
    # partner agencies, with a further 24 people who were referred to specialist support"
    assert figures["county_lines_nrm_referrals"] == (10, None, "2021/22", None, True, None)
    assert figures["county_lines_safeguarding_engagements"] == (80, None, "2021/22", None, True, None)
    assert figures["county_lines_specialist_support_referrals"] == (24, None, "2021/22", None, True, None)


def test_e2e_fact_tables_keep_their_source_rows(calibrated) -> None:
    recoveries = calibrated.query(
        "select count(*), count(distinct source_file), min(source_row) from core.fact_firearm_recoveries "
        "where force_code = ? and is_lethal_barrelled and recovery_date between '2021-04-01' and '2022-03-31'", [WM])
    assert recoveries == [(140, 12, 2)]
    loaded = calibrated.query("select source, count(*) from meta.loaded_files where source in "
                              "('firearm_recoveries', 'operations') group by 1 order by 1")
    assert loaded == [("firearm_recoveries", 60), ("operations", 60)]


def test_e2e_every_column_of_the_new_tables_is_described(calibrated) -> None:
    undescribed = calibrated.query(
        "select table_name, column_name from duckdb_columns() where table_name in ('fact_firearm_recoveries', "
        "'fact_operations', 'paper_firearms', 'paper_county_lines') and (comment is null or comment = '')")
    assert undescribed == []
    tables = calibrated.query("select count(*) from duckdb_columns() where table_name in ('fact_firearm_recoveries', "
                              "'fact_operations', 'paper_firearms', 'paper_county_lines')")
    assert tables == [(9 + 9 + 18 + 18,)]
