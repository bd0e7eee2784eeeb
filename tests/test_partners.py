"""Partner extracts (arrest referral, fraud reports): parsers, suites, re-delivery, the drug treatment and
fraud marts on hand-built tables, the sample generator, and the board paper's figures end to end.

Parser tests use constructed files with each quirk and each rejection. Mart tests build the landed tables
and meta.loaded_files by hand and compare with values worked out by hand in the comments. The end-to-end
test reads the calibrated sample's warehouse and compares with the paper's figures, typed here.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance, materialize

from assets.lib.errors import RejectedFile
from assets.lib.file_sources import FileSource, ensure_loaded_files
from assets.lib.landing import ARREST_REFERRAL_FILES, FRAUD_REPORT_FILES, nearest_valid_name
from assets.lib.resources import Exports, LandingFolder, make_warehouse
from assets.lib.sql import build_table
from assets.lib.validation import SUITES_DIR, ExpectationOutcome, rejections_by_file, validate
from assets.partners.assets import ARREST_REFERRAL, FRAUD_REPORTS
from assets.partners.assets import source_assets as partner_assets
from assets.partners.parser import (
    ARREST_REFERRAL_COLUMNS,
    FRAUD_REPORT_COLUMNS,
    RECORD_TYPES,
    TEST_RESULTS,
    VICTIM_TYPES,
)
from sample_data.partners import write_partners

WM, GM, KENT, DURHAM = "E23000014", "E23000005", "E23000032", "E23000008"
SLUGS = {WM: "west-midlands", GM: "greater-manchester", KENT: "kent", DURHAM: "durham"}
BOM = b"\xef\xbb\xbf"
AR_HEADER = b"record_reference,record_date,custody_suite,record_type,test_result\r\n"
FR_HEADER = b"report_reference,report_date,nfib_category,cyber_enabled,victim_type\r\n"


# --- file names: the partners/ folders follow the one grammar ------------------------------------------

def test_layouts_under_partners() -> None:
    assert ARREST_REFERRAL_FILES.glob == "partners/arrest-referral/*.csv"
    assert FRAUD_REPORT_FILES.glob == "partners/fraud/*.csv"
    assert ARREST_REFERRAL_FILES.force_and_period(Path("west-midlands-arrest-referral-2021-11.csv")) == (
        WM, "2021-11")
    assert FRAUD_REPORT_FILES.force_and_period(Path("greater-manchester-fraud-reports-2020-01.csv")) == (
        GM, "2020-01")
    assert ARREST_REFERRAL.identify(Path("kent-arrest-referral-2022-03.csv")) == (KENT, "2022-03-01")
    assert nearest_valid_name(Path("West-Midlandz_fraud-reports_202103.CSV"), FRAUD_REPORT_FILES) == (
        "west-midlands-fraud-reports-2021-03.csv")


@pytest.mark.parametrize("name", ["west-midlands-fraud-2021-03.csv", "west-midlands-fraud-reports-2021-3.csv",
                                  "gotham-fraud-reports-2021-03.csv", "West-Midlands-fraud-reports-2021-03.csv"])
def test_misnamed_fraud_file_is_rejected(name: str) -> None:
    with pytest.raises(RejectedFile, match="the file name must be <force>-fraud-reports-<YYYY-MM>.csv"):
        FRAUD_REPORT_FILES.force_and_period(Path(name))


# --- parsers ------------------------------------------------------------------------------------------

def test_column_tuples_are_the_sources_md_headers() -> None:
    assert ",".join(ARREST_REFERRAL_COLUMNS) == "record_reference,record_date,custody_suite,record_type,test_result"
    assert ",".join(FRAUD_REPORT_COLUMNS) == "report_reference,report_date,nfib_category,cyber_enabled,victim_type"


def test_arrest_referral_bom_crlf_quotes_and_empty_fields(tmp_path: Path) -> None:
    path = tmp_path / "west-midlands-arrest-referral-2021-11.csv"
    path.write_bytes(BOM + AR_HEADER
                     + b"CARS-1,2021-11-02,Perry Barr,Drug test,Positive\r\n"
                     + b'CARS-2,2021-11-03,"Oldbury, Sandwell",Treatment referral,\r\n'
                     + b"CARS-3,2021-11-30,,Drug Rehabilitation Requirement,\r\n")
    frame = ARREST_REFERRAL.read_one(path)
    assert frame["record_reference"].tolist() == ["CARS-1", "CARS-2", "CARS-3"]
    assert frame["custody_suite"].tolist()[:2] == ["Perry Barr", "Oldbury, Sandwell"]
    assert frame["custody_suite"].isna().tolist() == [False, False, True]
    assert frame["test_result"].isna().tolist() == [False, True, True]
    assert frame["source_row"].tolist() == [2, 3, 4]
    assert set(frame["force_code"]) == {WM} and set(frame["file_month"]) == {"2021-11"}
    assert frame["date_month"].tolist() == ["2021-11"] * 3


def test_fraud_reports_without_bom_lf_and_extra_column(tmp_path: Path) -> None:
    path = tmp_path / "west-midlands-fraud-reports-2021-01.csv"
    path.write_bytes(b"report_reference,report_date,nfib_category,cyber_enabled,victim_type,notes\n"
                     b'NFRC1,2021-01-04,"Cheque, Plastic Card and Online Bank Accounts (not PSP)",Y,Individual,x\n'
                     b"NFRC2,2021-01-05, Dating Scam ,,Organisation,\n")
    frame = FRAUD_REPORTS.read_one(path)
    assert list(frame.columns) == ["report_reference", "report_date", "nfib_category", "cyber_enabled", "victim_type",
                                   "date_month", "source_file", "source_row", "force_code", "file_month"]
    assert frame["nfib_category"].tolist() == ["Cheque, Plastic Card and Online Bank Accounts (not PSP)",
                                               "Dating Scam"]  # trimmed
    assert frame["cyber_enabled"].isna().tolist() == [False, True]  # empty is unknown, never N
    assert frame["source_row"].tolist() == [2, 3]
    assert frame[["force_code", "file_month", "date_month"]].values.tolist() == [
        ["E23000014", "2021-01", "2021-01"], ["E23000014", "2021-01", "2021-01"]]


@pytest.mark.parametrize(("source", "columns", "name"), [
    (ARREST_REFERRAL, ARREST_REFERRAL_COLUMNS, "west-midlands-arrest-referral-2022-01.csv"),
    (FRAUD_REPORTS, FRAUD_REPORT_COLUMNS, "west-midlands-fraud-reports-2022-01.csv"),
])
def test_missing_column_names_file_row_and_column(tmp_path: Path, source: FileSource, columns: tuple[str, ...],
                                                  name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BOM + ",".join(columns[:-1]).encode() + b"\r\n")
    with pytest.raises(RejectedFile) as raised:
        source.read_one(path)
    assert str(raised.value) == (f"{name}: row 1, column '{columns[-1]}': "
                                 f"required column(s) missing from the header: {columns[-1]}")


def test_ragged_row_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "west-midlands-arrest-referral-2022-01.csv"
    path.write_bytes(BOM + AR_HEADER + b"CARS-1,2022-01-02,Perry Barr,Drug test,Positive\r\n"
                     b"CARS-2,2022-01-02,Perry Barr,Drug test,Positive,extra\r\n")
    with pytest.raises(RejectedFile) as raised:
        ARREST_REFERRAL.read_one(path)
    assert raised.value.row == 3


# --- suites -------------------------------------------------------------------------------------------

def _suite(name: str) -> dict:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _value_set(suite: str, column: str) -> list:
    return next(e["kwargs"]["value_set"] for e in _suite(suite)["expectations"]
                if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column)


def test_suite_value_sets_match_the_parsers() -> None:
    assert _value_set("arrest_referral", "record_type") == list(RECORD_TYPES)
    assert _value_set("arrest_referral", "test_result") == list(TEST_RESULTS)
    assert _value_set("fraud_reports", "victim_type") == list(VICTIM_TYPES)
    for name in ("arrest_referral", "fraud_reports"):
        checks = [e["meta"]["check_name"] for e in _suite(name)["expectations"]]
        assert len(checks) == len(set(checks)) and all(c.isidentifier() for c in checks)


def _frame(rows: list[dict], file: str, date_column: str) -> pd.DataFrame:
    """Rows as the source's reader hands them to the suite (force, file month and each row's month)."""
    frame = pd.DataFrame(rows)
    frame["force_code"] = WM
    frame["source_file"] = file
    frame["source_row"] = range(2, 2 + len(frame))
    frame["file_month"] = file[-11:-4]
    frame["date_month"] = frame[date_column].str[:7]
    return frame


def _with_bad_values(good, changes: list[tuple[str, dict]]) -> tuple[list[dict], dict[str, int]]:
    rows, expected = [], {}
    for number, (check, change) in enumerate(changes):
        rows.append({**good(number), **change})
        expected.setdefault(check, len(rows) + 1)
    return rows, expected


def _assert_each_fails_at(outcomes: list[ExpectationOutcome], file: str, expected_rows: dict[str, int]) -> None:
    by_name = {o.check_name: o for o in outcomes}
    assert set(expected_rows) == set(by_name), "every check of the suite has a bad row in the test"
    for check, row in expected_rows.items():
        assert not by_name[check].success, check
        assert by_name[check].error is None, by_name[check].error
        assert f"{file} row {row}" in by_name[check].message(), (check, by_name[check].message())


AR_FILE = "west-midlands-arrest-referral-2021-11.csv"
FR_FILE = "west-midlands-fraud-reports-2021-11.csv"


def _record(number: int) -> dict:
    return {"record_reference": f"CARS-{number}", "record_date": "2021-11-15", "custody_suite": "Perry Barr",
            "record_type": "Drug test", "test_result": "Negative"}


def _report(number: int) -> dict:
    return {"report_reference": f"NFRC-{number}", "report_date": "2021-11-15", "nfib_category": "Dating Scam",
            "cyber_enabled": "Y", "victim_type": "Individual"}


def test_arrest_referral_suite_passes_good_rows() -> None:
    rows = [_record(1), {**_record(2), "test_result": "Positive", "record_date": "2021-11-30"},
            {**_record(3), "record_type": "Treatment referral", "test_result": None},
            {**_record(4), "record_type": DRR, "test_result": None, "custody_suite": None},
            {**_record(5), "record_type": ATR, "test_result": None, "custody_suite": None}]
    outcomes = validate(_frame(rows, AR_FILE, "record_date"), "arrest_referral")
    assert [o.message() for o in outcomes if not o.success] == []


def test_arrest_referral_suite_names_each_bad_row() -> None:
    changes = [
        ("record_reference_present", {"record_reference": None}),
        ("record_reference_unique", {"record_reference": "CARS-DUP"}),
        ("record_reference_unique", {"record_reference": "CARS-DUP"}),
        ("record_date_present", {"record_date": None}),
        ("record_date_is_a_date", {"record_date": "2021-11-31"}),
        ("record_date_in_file_month", {"record_date": "2021-12-01"}),
        ("record_type_present", {"record_type": None, "test_result": None}),
        ("record_type_valid", {"record_type": "Drug Test"}),
        ("test_result_valid", {"test_result": "Inconclusive"}),
        ("test_result_on_every_drug_test", {"test_result": None}),
        ("test_result_only_on_drug_tests", {"record_type": "Treatment referral", "test_result": "Positive"}),
        # a warning at 95%: two tests of this small frame without a suite is well below it
        ("custody_suite_mostly_on_drug_tests", {"custody_suite": None}),
        ("custody_suite_mostly_on_drug_tests", {"custody_suite": None}),
    ]
    rows, expected = _with_bad_values(_record, changes)
    outcomes = validate(_frame(rows, AR_FILE, "record_date"), "arrest_referral")
    _assert_each_fails_at(outcomes, AR_FILE, expected)
    rejected = rejections_by_file(outcomes)
    assert list(rejected) == [AR_FILE]
    assert not any("custody_suite" in reason for reason in rejected[AR_FILE])  # a warning rejects nothing


def test_fraud_suite_names_each_bad_row() -> None:
    changes = [
        ("report_reference_present", {"report_reference": None}),
        ("report_reference_unique", {"report_reference": "NFRC-DUP"}),
        ("report_reference_unique", {"report_reference": "NFRC-DUP"}),
        ("report_date_present", {"report_date": None}),
        ("report_date_is_a_date", {"report_date": "15/11/2021"}),
        ("report_date_in_file_month", {"report_date": "2021-10-31"}),
        ("nfib_category_present", {"nfib_category": None}),
        ("cyber_enabled_flag_valid", {"cyber_enabled": "Yes"}),
        ("victim_type_present", {"victim_type": None}),
        ("victim_type_valid", {"victim_type": "Business"}),
        ("nfib_category_known", {"nfib_category": "Romance Fraud"}),
    ]
    rows, expected = _with_bad_values(_report, changes)
    _assert_each_fails_at(validate(_frame(rows, FR_FILE, "report_date"), "fraud_reports"), FR_FILE, expected)


def test_a_new_nfib_category_wording_is_shown_but_loads() -> None:
    # NFIB categories are an open set (assets/partners/parser.py): a reworded category is counted as
    # delivered, and the non-blocking check names it so the wording can be checked
    rows = [_report(1), {**_report(2), "nfib_category": "Romance Fraud"}, {**_report(3), "cyber_enabled": None}]
    outcomes = validate(_frame(rows, FR_FILE, "report_date"), "fraud_reports")
    failed = {o.check_name: o for o in outcomes if not o.success}
    assert list(failed) == ["nfib_category_known"]
    assert not failed["nfib_category_known"].critical
    assert f"{FR_FILE} row 3, column 'nfib_category': 'Romance Fraud'" in failed["nfib_category_known"].message()
    assert rejections_by_file(outcomes) == {}


# --- re-delivery replaces its month ---------------------------------------------------------------------

def test_redelivery_replaces_its_month_and_a_bad_file_is_quarantined(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "partners" / "arrest-referral"
    folder.mkdir(parents=True)
    november, december = folder / "west-midlands-arrest-referral-2021-11.csv", folder / \
        "west-midlands-arrest-referral-2021-12.csv"
    november.write_bytes(BOM + AR_HEADER + b"CARS-1,2021-11-02,Perry Barr,Drug test,Positive\r\n"
                         b"CARS-2,2021-11-03,Perry Barr,Drug test,Negative\r\n")
    december.write_bytes(BOM + AR_HEADER + b"CARS-3,2021-12-01,Oldbury,Treatment referral,\r\n")
    resources = {"warehouse": make_warehouse(tmp_path / "warehouse.duckdb"),
                 "landing": LandingFolder(root=str(landing)), "exports": Exports(root=str(tmp_path / "exports"))}
    instance = DagsterInstance.ephemeral()
    selection = [a for a in partner_assets if a.key.path[-1] in
                 ("arrest_referral_files", "validated_arrest_referral", "fact_arrest_referral")]

    def load() -> list[tuple]:
        assert materialize(selection, resources=resources, instance=instance).success
        with duckdb.connect(resources["warehouse"].database, read_only=True) as conn:
            return conn.execute("select month, record_reference, is_positive_test from core.fact_arrest_referral "
                                "order by record_reference").fetchall()

    first = load()
    assert [r[1] for r in first] == ["CARS-1", "CARS-2", "CARS-3"]
    # November delivered again with one record: it replaces November, December untouched
    november.write_bytes(BOM + AR_HEADER + b"CARS-9,2021-11-20,Coventry,Drug test,Negative\r\n")
    second = load()
    assert [(str(r[0]), r[1], r[2]) for r in second] == [("2021-12-01", "CARS-3", None),
                                                        ("2021-11-01", "CARS-9", False)]
    # a December re-delivery with a result on a referral is quarantined: December keeps its last good rows
    december.write_bytes(BOM + AR_HEADER + b"CARS-3,2021-12-01,Oldbury,Treatment referral,Positive\r\n")
    assert load() == second
    reasons = list((landing / "_quarantine").rglob("*.reason.txt"))
    assert len(reasons) == 1
    assert "test_result_only_on_drug_tests" in reasons[0].read_text() and "row 2" in reasons[0].read_text()
    with duckdb.connect(resources["warehouse"].database, read_only=True) as conn:
        loaded = conn.execute("select file_name, force_code, period, rows from meta.loaded_files "
                              "where source = 'arrest_referral' order by file_name").fetchall()
    assert [(f, c, str(p), n) for f, c, p, n in loaded] == [
        ("west-midlands-arrest-referral-2021-11.csv", WM, "2021-11-01", 1),
        ("west-midlands-arrest-referral-2021-12.csv", WM, "2021-12-01", 1)]


# --- the marts on hand-built tables ---------------------------------------------------------------------

def _warehouse(deliveries: dict[str, dict[str, list[str]]], rows: dict[str, list[tuple]],
               quarters: list[tuple[str, str]] = ()) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse: meta.loaded_files for the delivered months (source -> force -> months),
    landed rows (source -> tuples in the source's column order, force code first), the core models built
    from them as the pipeline builds them, and marts.reporting_quarters."""
    conn = duckdb.connect()
    for schema in ("meta", "landed", "core", "marts"):
        conn.execute(f"create schema {schema}")
    ensure_loaded_files(conn)
    for source in (ARREST_REFERRAL, FRAUD_REPORTS):
        columns = ", ".join(f"{name} {kind}" for name, kind in source.columns.items())
        conn.execute(f"create table {source.landed_table} ({columns}, source_file varchar, source_row integer)")
        stem = "arrest-referral" if source is ARREST_REFERRAL else "fraud-reports"
        for force, months in deliveries.get(source.name, {}).items():
            for month in months:
                conn.execute("insert into meta.loaded_files (source, file_name, force_code, period, sha256, rows, "
                             "loaded_at, run_id) values (?, ?, ?, ?::date, 'sha', 0, now(), 'run')",
                             [source.name, f"{SLUGS[force]}-{stem}-{month}.csv", force, f"{month}-01"])
        names = list(source.columns)[:5]
        for number, (force, *values) in enumerate(rows.get(source.name, [])):
            record = dict(zip(names, values, strict=True))
            conn.execute(f"insert into {source.landed_table} by name select ?::varchar as force_code, "
                         + ", ".join(f"?::varchar as {n}" for n in names)
                         + ", ? as source_file, ? as source_row",
                         [force, *record.values(), f"{SLUGS[force]}-{record[names[1]][:7]}.csv", number + 2])
        build_table(conn, source.models[0])
    conn.execute("create table marts.reporting_quarters (force_code varchar, quarter_end date)")
    for force, quarter_end in quarters:
        conn.execute("insert into marts.reporting_quarters values (?, ?)", [force, quarter_end])
    return conn


def _months(first: str, last: str) -> list[str]:
    return [str(m)[:7] for m in pd.period_range(first, last, freq="M")]


def _figures(conn: duckdb.DuckDBPyConnection, model: str, force: str, quarter_end: str) -> dict[str, tuple]:
    build_table(conn, model)
    return {r[0]: r[1:] for r in conn.execute(
        f"select figure_id, value, comparison_value, period_label, period_start::varchar, period_end::varchar, "
        f"comparison_label, months_missing, comparable, quality_flags from marts.{model} "
        f"where force_code = ? and quarter_end = ?", [force, quarter_end]).fetchall()}


_REFERENCES = itertools.count(1)


def _ar(force: str, month: str, record_type: str, result: str | None = None, day: str = "15") -> tuple:
    """One landed arrest referral row (a fresh reference each)."""
    return (force, f"R{next(_REFERENCES)}", f"{month}-{day}", "Perry Barr", record_type, result)


TEST, REFERRAL = "Drug test", "Treatment referral"
DRR, ATR = "Drug Rehabilitation Requirement", "Alcohol Treatment Requirement"


@pytest.fixture(scope="module")
def drug_marts() -> duckdb.DuckDBPyConnection:
    rows = [
        # West Midlands, every month April 2020 to March 2022 delivered.
        # Referrals: 2020/21 = 2 + 1 = 3; 2021/22 = 1 + 2 + 1 = 4. DRR 2021/22 = 1; ATR 2021/22 = 2 (July 2020's
        # is 2020/21).
        _ar(WM, "2020-05", REFERRAL), _ar(WM, "2020-05", REFERRAL), _ar(WM, "2021-02", REFERRAL),
        _ar(WM, "2021-04", REFERRAL), _ar(WM, "2021-12", REFERRAL), _ar(WM, "2021-12", REFERRAL),
        _ar(WM, "2022-03", REFERRAL), _ar(WM, "2021-06", DRR), _ar(WM, "2021-09", ATR), _ar(WM, "2021-09", ATR),
        _ar(WM, "2020-07", ATR),
        # Tests: June 2020 three (two positive); August 2021 one; September 2021 none (its file holds only the
        # ATRs): the last month without tests. October 2021 on, every month has tests: the run since October.
        _ar(WM, "2020-06", TEST, "Positive"), _ar(WM, "2020-06", TEST, "Positive"),
        _ar(WM, "2020-06", TEST, "Negative"),
        _ar(WM, "2021-08", TEST, "Positive"),
        _ar(WM, "2021-10", TEST, "Positive"), _ar(WM, "2021-10", TEST, "Negative"),
        _ar(WM, "2021-11", TEST, "Positive"), _ar(WM, "2021-12", TEST, "Negative"),
        _ar(WM, "2022-01", TEST, "Positive"),
        _ar(WM, "2022-02", TEST, "Positive"), _ar(WM, "2022-03", TEST, "Negative"),
        # Greater Manchester, April 2021 to March 2022 but December 2021 missing: one negative test a month
        # April to September, none in October, then November two positive, January one negative, February and
        # March one positive each. Referrals October (its only record) and May 2021, February 2022.
        *[_ar(GM, month, TEST, "Negative") for month in _months("2021-04", "2021-09")],
        _ar(GM, "2021-10", REFERRAL, day="01"),
        _ar(GM, "2021-11", TEST, "Positive"), _ar(GM, "2021-11", TEST, "Positive"),
        _ar(GM, "2022-01", TEST, "Negative"),
        _ar(GM, "2022-02", TEST, "Positive"), _ar(GM, "2022-03", TEST, "Positive"),
        _ar(GM, "2021-05", REFERRAL), _ar(GM, "2022-02", REFERRAL),
        # Kent, July 2021 to March 2022 but October 2021 missing: September without tests, one positive test
        # in each of November, December and January, none in February or March.
        _ar(KENT, "2021-11", TEST, "Positive"), _ar(KENT, "2021-12", TEST, "Positive"),
        _ar(KENT, "2022-01", TEST, "Positive"),
    ]
    deliveries = {"arrest_referral": {
        WM: _months("2020-04", "2022-03"),
        GM: [m for m in _months("2021-04", "2022-03") if m != "2021-12"],
        KENT: [m for m in _months("2021-07", "2022-03") if m != "2021-10"],
    }}
    # Durham delivers no arrest referral file but is reported on (its crimes, say)
    return _warehouse(deliveries, {"arrest_referral": rows}, [(DURHAM, "2022-03-31")])


def test_drug_treatment_complete_year(drug_marts: duckdb.DuckDBPyConnection) -> None:
    figures = _figures(drug_marts, "paper_drug_treatment", WM, "2022-03-31")
    assert figures["drug_treatment_referrals"] == (4, 3, "2021/22", "2021-04-01", "2022-03-31", "2020/21", 0, True,
                                                   None)
    assert figures["drug_rehabilitation_requirements"][:7] == (1, None, "2021/22", "2021-04-01", "2022-03-31",
                                                               None, 0)
    assert figures["alcohol_treatment_requirements"][0] == 2
    # since October 2021: 2 + 1 + 1 + 1 + 1 + 1 = 7 tests, 1 + 1 + 0 + 1 + 1 + 0 = 4 positive
    assert figures["drug_tests_in_custody"] == (7, None, "since October 2021", "2021-10-01", "2022-03-31", None, 0,
                                                True, None)
    rate = figures["drug_tests_positive_rate"]
    assert rate[0] == pytest.approx(100 * 4 / 7) and rate[2:] == figures["drug_tests_in_custody"][2:]


def test_drug_treatment_earlier_quarters(drug_marts: duckdb.DuckDBPyConnection) -> None:
    # December 2021: the last financial year ended is 2020/21 (3 referrals), its year before not delivered
    december = _figures(drug_marts, "paper_drug_treatment", WM, "2021-12-31")
    assert december["drug_treatment_referrals"] == (3, None, "2020/21", "2020-04-01", "2021-03-31", "2019/20", 12,
                                                    False, "months_missing=12")
    assert december["drug_tests_in_custody"][:3] == (4, None, "since October 2021")  # 2 + 1 + 1
    assert december["drug_tests_positive_rate"][0] == 50.0  # 2 of 4
    # June 2020: 2019/20 not delivered at all: no value. Tests: April and May without, June three.
    june = _figures(drug_marts, "paper_drug_treatment", WM, "2020-06-30")
    assert june["drug_treatment_referrals"][:2] == (None, None) and june["drug_treatment_referrals"][6:] == (
        24, False, "months_missing=24")
    assert june["drug_tests_in_custody"][:3] == (3, None, "since June 2020")
    assert june["drug_tests_positive_rate"][0] == pytest.approx(200 / 3)


def test_drug_testing_run_across_a_missing_month(drug_marts: duckdb.DuckDBPyConnection) -> None:
    # Greater Manchester: October without tests, December missing (unknown, not a pause): since November,
    # 2 + 1 + 1 + 1 = 5 tests, 4 positive; December is a month missing
    figures = _figures(drug_marts, "paper_drug_treatment", GM, "2022-03-31")
    assert figures["drug_tests_in_custody"] == (5, None, "since November 2021", "2021-11-01", "2022-03-31", None, 1,
                                                False, "months_missing=1")
    assert figures["drug_tests_positive_rate"][0] == 80.0
    # referrals over the 11 months delivered (3), against a year not delivered
    assert figures["drug_treatment_referrals"][:2] == (3, None) and figures["drug_treatment_referrals"][6:] == (
        13, False, "months_missing=13")
    # September 2021: tests every delivered month from April, none without: the start was not seen
    september = _figures(drug_marts, "paper_drug_treatment", GM, "2021-09-30")
    assert september["drug_tests_in_custody"] == (6, None, "since April 2021", "2021-04-01", "2021-09-30", None, 0,
                                                  False, "testing_start_not_seen")
    assert september["drug_tests_positive_rate"][0] == 0.0


def test_drug_testing_missing_month_before_resumption_and_a_pause(drug_marts: duckdb.DuckDBPyConnection) -> None:
    # Kent, December 2021: September without tests, October missing, November and December one each: since
    # November, and October (when testing may have resumed) is a month missing
    december = _figures(drug_marts, "paper_drug_treatment", KENT, "2021-12-31")
    assert december["drug_tests_in_custody"] == (2, None, "since November 2021", "2021-11-01", "2021-12-31", None, 1,
                                                 False, "months_missing=1")
    # March 2022: February and March without tests: testing is paused, there is nothing to count
    march = _figures(drug_marts, "paper_drug_treatment", KENT, "2022-03-31")
    assert march["drug_tests_in_custody"] == (None, None, "testing paused at the quarter end", None, "2022-03-31",
                                              None, None, False, "testing_paused")


def test_drug_treatment_nothing_delivered(drug_marts: duckdb.DuckDBPyConnection) -> None:
    figures = _figures(drug_marts, "paper_drug_treatment", DURHAM, "2022-03-31")
    assert figures["drug_treatment_referrals"][:2] == (None, None)
    assert figures["drug_treatment_referrals"][6:] == (24, False, "months_missing=24")
    assert figures["drug_rehabilitation_requirements"][6:] == (12, False, "months_missing=12")
    assert figures["drug_tests_in_custody"][0] is None
    assert figures["drug_tests_in_custody"][6:] == (None, False, "no_month_delivered")


def test_drug_treatment_has_the_contract_columns(drug_marts: duckdb.DuckDBPyConnection) -> None:
    build_table(drug_marts, "paper_drug_treatment")
    build_table(drug_marts, "paper_fraud")
    contract = duckdb.connect()
    contract.execute("create schema marts")
    from assets.lib.sql import model_sql
    head = model_sql("board_paper_figures").split("\nunion all by name")[0]
    expected = contract.execute(f"describe {head}").fetchall()
    for model in ("paper_drug_treatment", "paper_fraud"):
        assert [r[:2] for r in drug_marts.execute(f"describe marts.{model}").fetchall()] == [r[:2] for r in expected]


def _fr(force: str, month: str, category: str, n: int) -> list[tuple]:
    """n landed fraud reports of one category in one month."""
    return [(force, f"N{next(_REFERENCES)}", f"{month}-10", category, "Y", "Individual") for _ in range(n)]


@pytest.fixture(scope="module")
def fraud_marts() -> duckdb.DuckDBPyConnection:
    rows = [
        # West Midlands, January 2020 to March 2022 all delivered (most months header-only).
        # 2020: Online 100, Dating 10, Ticket 20, Rental 4, Tiny 1 = 135; 1% of it is 1.35, so Tiny (1) is not
        # ranked. 2021: Online 110 (+10%), Dating 15 (+50%), Ticket 22 (+10%), Rental 2 (fell: not ranked), New
        # 3 (none the year before: not ranked), Tiny 5 = 157. Ranked: Dating, then Online and Ticket tied at
        # +10% (by name: Online first).
        *_fr(WM, "2020-03", "Online Shopping and Auctions", 100), *_fr(WM, "2020-11", "Dating Scam", 10),
        *_fr(WM, "2020-12", "Ticket Fraud", 20), *_fr(WM, "2020-01", "Rental Fraud", 4),
        *_fr(WM, "2020-06", "Tiny Fraud", 1),
        *_fr(WM, "2021-07", "Online Shopping and Auctions", 110), *_fr(WM, "2021-01", "Dating Scam", 15),
        *_fr(WM, "2021-12", "Ticket Fraud", 22), *_fr(WM, "2021-02", "Rental Fraud", 2),
        *_fr(WM, "2021-05", "New Scam", 3), *_fr(WM, "2021-05", "Tiny Fraud", 5),
        *_fr(WM, "2022-02", "Dating Scam", 7),  # 2022: not in the year reported at March 2022
        # Greater Manchester, January 2020 to December 2021 but June 2021 missing: Dating 10 then 12
        *_fr(GM, "2020-04", "Dating Scam", 10), *_fr(GM, "2021-08", "Dating Scam", 12),
    ]
    deliveries = {"fraud_reports": {WM: _months("2020-01", "2022-03"),
                                    GM: [m for m in _months("2020-01", "2021-12") if m != "2021-06"]}}
    return _warehouse(deliveries, {"fraud_reports": rows})


def test_fraud_complete_year_and_ranked_categories(fraud_marts: duckdb.DuckDBPyConnection) -> None:
    figures = _figures(fraud_marts, "paper_fraud", WM, "2022-03-31")
    assert figures["fraud_victimisation"] == (157, 135, "2021", "2021-01-01", "2021-12-31", "2020", 0, True, None)
    ranked = fraud_marts.execute(
        "select figure_order, figure_id, label, value, comparison_value, period_label from marts.paper_fraud "
        "where force_code = ? and quarter_end = '2022-03-31' and unit = 'percent' order by figure_order",
        [WM]).fetchall()
    assert ranked == [
        (2, "fraud_category_increase_1", "increase in reports of Dating Scam", pytest.approx(50.0), None,
         "2021 on 2020"),
        (3, "fraud_category_increase_2", "increase in reports of Online Shopping and Auctions", pytest.approx(10.0),
         None, "2021 on 2020"),
        (4, "fraud_category_increase_3", "increase in reports of Ticket Fraud", pytest.approx(10.0), None,
         "2021 on 2020"),
    ]
    # at the end of 2021 the latest complete year is 2021 itself; in 2021's first quarter it is 2020
    assert _figures(fraud_marts, "paper_fraud", WM, "2021-12-31")["fraud_victimisation"][:3] == (157, 135, "2021")
    march_2021 = _figures(fraud_marts, "paper_fraud", WM, "2021-03-31")["fraud_victimisation"]
    assert march_2021 == (135, None, "2020", "2020-01-01", "2020-12-31", "2019", 12, False, "months_missing=12")


def test_fraud_year_with_a_missing_month(fraud_marts: duckdb.DuckDBPyConnection) -> None:
    # Greater Manchester 2021 without June: 12 reports over 11 months, not complete, not comparable
    figures = _figures(fraud_marts, "paper_fraud", GM, "2021-12-31")
    assert figures["fraud_victimisation"] == (12, 10, "2021", "2021-01-01", "2021-12-31", "2020", 1, False,
                                              "months_missing=1")
    assert figures["fraud_category_increase_1"][:2] == (pytest.approx(20.0), None)
    assert figures["fraud_category_increase_1"][6:] == (1, False, "months_missing=1")
    # March 2020: the latest year ended, 2019, was not delivered: no value, and nothing to rank
    march_2020 = _figures(fraud_marts, "paper_fraud", GM, "2020-03-31")
    assert march_2020 == {"fraud_victimisation": (None, None, "2019", "2019-01-01", "2019-12-31", "2018", 24, False,
                                                  "months_missing=24")}


# --- the generated sample: West Midlands, exact to the published figures ------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("partners")
    return out, write_partners(out)


@pytest.fixture(scope="module")
def sample_db(sample: tuple[Path, list[Path]]) -> duckdb.DuckDBPyConnection:
    """The generated CSVs read straight with DuckDB (not through the parsers), with each file's month."""
    conn = duckdb.connect()
    for table, folder in (("referral", "arrest-referral"), ("fraud", "fraud")):
        conn.execute(f"""
            create table {table} as
            select *, regexp_extract(filename, '-(\\d{{4}}-\\d{{2}})\\.csv$', 1) as file_month
            from read_csv('{sample[0]}/partners/{folder}/*.csv', header = true, all_varchar = true,
                          delim = ',', quote = '"', filename = true)""")
    return conn


def test_generated_files_have_bom_crlf_and_the_agreed_header(sample: tuple[Path, list[Path]]) -> None:
    out, paths = sample
    assert len(paths) == 120  # April 2018 to March 2023, two sources
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(BOM + (AR_HEADER if "arrest-referral" in path.name else FR_HEADER)), path.name
        assert data.count(b"\n") == data.count(b"\r\n"), path.name


def test_sample_treatment_referrals_and_requirements(sample_db: duckdb.DuckDBPyConnection) -> None:
    # paper 16: "from 1,315 to 1,723. 199 Drug Rehabilitation Requirements ... 157 Alcohol Treatment Requirements"
    counts = dict(sample_db.execute(
        "select record_type, count(*) from referral where file_month between '2021-04' and '2022-03' "
        "group by 1").fetchall())
    assert (counts["Treatment referral"], counts["Drug Rehabilitation Requirement"],
            counts["Alcohol Treatment Requirement"]) == (1723, 199, 157)
    assert sample_db.execute("select count(*) from referral where record_type = 'Treatment referral' "
                             "and file_month between '2020-04' and '2021-03'").fetchone() == (1315,)


def test_sample_drug_testing_paused_then_resumed(sample_db: duckdb.DuckDBPyConnection) -> None:
    # paper 17: "paused for most of 2021, but recommenced in November 2021. Since then, 1,784 tests ... 64%"
    tests = dict(sample_db.execute(
        "select file_month, count(*) filter (where record_type = 'Drug test') from referral group by 1").fetchall())
    assert len(tests) == 60  # every month delivered, the paused ones too
    assert [m for m, n in sorted(tests.items()) if n == 0] == _months("2021-01", "2021-10")
    assert sample_db.execute(
        "select count(*), count(*) filter (where test_result = 'Positive') from referral "
        "where record_type = 'Drug test' and file_month between '2021-11' and '2022-03'").fetchone() == (1784, 1142)
    assert round(100 * 1142 / 1784) == 64
    assert sample_db.execute("select count(*) from referral where (record_type = 'Drug test') "
                             "<> (test_result is not null)").fetchone() == (0,)


def test_sample_fraud_victimisation_and_categories(sample_db: duckdb.DuckDBPyConnection) -> None:
    # paper 32: "from 13,331 to 15,555", and the five categories with the greatest increase
    assert sample_db.execute("select count(*) filter (where file_month like '2020-%'), "
                             "count(*) filter (where file_month like '2021-%') from fraud").fetchone() == (13331, 15555)
    by_category = {c: (a, b) for c, a, b in sample_db.execute(
        "select nfib_category, count(*) filter (where file_month like '2020-%'), "
        "count(*) filter (where file_month like '2021-%') from fraud group by 1").fetchall()}
    named = {"Share sales or Boiler Room Fraud": 46, "Dating Scam": 44, "Rental Fraud": 43, "Advance Fee Fraud": 42,
             "Ticket Fraud": 30}
    for category, percent in named.items():
        before, after = by_category[category]
        change = 100 * (after - before) / before
        assert round(change) == percent and abs(change - round(change)) <= 0.4, category
    # every other category of at least 1% of 2020's reports grew by less than Ticket Fraud's 30%
    others = [100 * (b - a) / a for c, (a, b) in by_category.items() if c not in named and a >= 0.01 * 13331]
    assert max(others) < 30
    assert sample_db.execute("select count(*) - count(distinct report_reference) from fraud").fetchone() == (0,)


def test_generated_months_pass_their_suites(sample: tuple[Path, list[Path]]) -> None:
    out = sample[0]
    for source, name in ((ARREST_REFERRAL, "arrest-referral/west-midlands-arrest-referral-2021-11.csv"),
                         (ARREST_REFERRAL, "arrest-referral/west-midlands-arrest-referral-2021-06.csv"),
                         (FRAUD_REPORTS, "fraud/west-midlands-fraud-reports-2021-03.csv")):
        outcomes = validate(source.read_one(out / "partners" / name), source.name)
        assert [o.message() for o in outcomes if not o.success] == [], name


def test_same_arguments_same_bytes_and_a_short_range(sample: tuple[Path, list[Path]], tmp_path: Path) -> None:
    paths = write_partners(tmp_path, first_month="2021-10", last_month="2021-12")
    assert len(paths) == 6
    for path in paths:
        assert path.read_bytes() == (sample[0] / path.relative_to(tmp_path)).read_bytes(), path.name
    other_seed = write_partners(tmp_path / "seed", first_month="2021-11", last_month="2021-11", seed=7)
    assert other_seed[0].read_bytes() != (sample[0] / other_seed[0].relative_to(tmp_path / "seed")).read_bytes()


@pytest.mark.parametrize("slug", ["greater-manchester", "dyfed-powys"])
def test_another_force_is_scaled_and_valid(tmp_path: Path, slug: str) -> None:
    paths = write_partners(tmp_path, force_slug=slug, first_month="2021-11", last_month="2021-11")
    assert [p.name for p in paths] == [f"{slug}-arrest-referral-2021-11.csv", f"{slug}-fraud-reports-2021-11.csv"]
    for source, path in zip((ARREST_REFERRAL, FRAUD_REPORTS), paths, strict=True):
        frame = source.read_one(path)
        assert len(frame) > 0
        assert [o.message() for o in validate(frame, source.name) if not o.success] == []


def test_generator_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="after"):
        write_partners(tmp_path, first_month="2022-03", last_month="2022-01")
    with pytest.raises(ValueError, match="unknown force"):
        write_partners(tmp_path, force_slug="gotham")


# --- end to end: the calibrated sample through the main job ---------------------------------------------

@pytest.fixture(scope="module")
def paper(calibrated) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in calibrated.query(
        "select figure_id, label, value, comparison_value, period_label, period_start::varchar, period_end::varchar, "
        "comparison_label, months_missing, comparable, quality_flags from marts.board_paper_figures "
        "where force_code = ? and quarter_end = date '2022-03-31' and section in ('Drugs', 'Cyber and fraud')",
        [WM])}


def test_board_paper_drug_treatment_figures(paper: dict[str, tuple]) -> None:
    # paper 16: "Referrals ... into Drug Treatment have increased over the last financial year from 1,315 to
    # 1,723. 199 Drug Rehabilitation Requirements (DRR) / and 157 Alcohol Treatment Requirements (ATR)"
    assert paper["drug_treatment_referrals"][1:] == (1723, 1315, "2021/22", "2021-04-01", "2022-03-31", "2020/21",
                                                     0, True, None)
    assert paper["drug_rehabilitation_requirements"][1] == 199
    assert paper["alcohol_treatment_requirements"][1] == 157
    # paper 17: "recommenced in November 2021. Since then, 1,784 tests ... with a positive rate of 64%"
    assert paper["drug_tests_in_custody"][1:] == (1784, None, "since November 2021", "2021-11-01", "2022-03-31",
                                                  None, 0, True, None)
    assert round(paper["drug_tests_positive_rate"][1]) == 64


def test_board_paper_fraud_figures(paper: dict[str, tuple]) -> None:
    # paper 32: "Between 2020 and 2021 ... fraud victimisation in WMP from 13,331 to 15,555"
    assert paper["fraud_victimisation"][1:] == (15555, 13331, "2021", "2021-01-01", "2021-12-31", "2020", 0, True,
                                                None)
    ranked = [(paper[f"fraud_category_increase_{rank}"][0], round(paper[f"fraud_category_increase_{rank}"][1]))
              for rank in range(1, 6)]
    assert ranked == [("increase in reports of Share sales or Boiler Room Fraud", 46),
                      ("increase in reports of Dating Scam", 44), ("increase in reports of Rental Fraud", 43),
                      ("increase in reports of Advance Fee Fraud", 42), ("increase in reports of Ticket Fraud", 30)]
