"""Force CSV reading and landing discovery on hand-made files."""

from pathlib import Path

import pytest

from assets.lib.errors import RejectedFile
from assets.lib.force_csv import read_force_csv
from assets.lib.landing import FORCE_CRIMES, discover, misnamed, quarantine, quarantine_misnamed
from assets.recorded_crime.parser import RECORDED_CRIME_COLUMNS
from tests.conftest import crime, write_extract


def test_bom_crlf_quotes_and_empty_fields(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_bytes(
        b"\xef\xbb\xbfcrime_reference,offence_description,lsoa_code,extra\r\n"
        b'A/1,"Theft, from the person",,ignored\r\n'
        b"A/2, Burglary ,E01009450,\r\n"
    )
    frame = read_force_csv(path, ("crime_reference", "offence_description", "lsoa_code"))
    assert list(frame.columns) == ["crime_reference", "offence_description", "lsoa_code", "source_file", "source_row"]
    assert frame["offence_description"].tolist() == ["Theft, from the person", "Burglary"]
    assert frame["lsoa_code"].isna().tolist() == [True, False]
    assert frame["source_row"].tolist() == [2, 3]  # the header is row 1
    assert set(frame["source_file"]) == {"x.csv"}


def test_offence_codes_stay_text(tmp_path: Path):
    path = write_extract(tmp_path, "2021-03", [crime("A/1", "2021-03-01", "4.10"), crime("A/2", "2021-03-01", "4.1")])
    frame = read_force_csv(path, RECORDED_CRIME_COLUMNS)
    assert frame["ho_offence_code"].tolist() == ["4.10", "4.1"]


def test_missing_column_is_named_with_the_header_row(tmp_path: Path):
    columns = tuple(c for c in RECORDED_CRIME_COLUMNS if c != "status")
    path = write_extract(tmp_path, "2021-03", [crime("A/1", "2021-03-01", "1")], columns=columns)
    with pytest.raises(RejectedFile) as raised:
        read_force_csv(path, RECORDED_CRIME_COLUMNS)
    assert str(raised.value) == ("west-midlands-crimes-2021-03.csv: row 1, column 'status': "
                                 "required column(s) missing from the header: status")


def test_ragged_row_is_named(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4,5\n6,7\n", encoding="utf-8")
    with pytest.raises(RejectedFile) as raised:
        read_force_csv(path, ("a", "b"))
    assert raised.value.row == 3


def test_empty_file_is_rejected(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(RejectedFile, match="header row is required"):
        read_force_csv(path, ("a",))


def test_discovery_reads_force_and_month_from_names(tmp_path: Path):
    write_extract(tmp_path, "2021-03", [], force="greater-manchester")
    write_extract(tmp_path, "2021-02", [], force="west-midlands")
    (tmp_path / "force" / "crimes" / "gotham-crimes-2021-03.csv").write_text("x")
    (tmp_path / "force" / "crimes" / "west-midlands-crimes-March.csv").write_text("x")
    files = discover(tmp_path, FORCE_CRIMES)
    assert [(f.force_code, f.month) for f in files] == [("E23000014", "2021-02"), ("E23000005", "2021-03")]
    assert sorted(p.name for p in misnamed(tmp_path, FORCE_CRIMES)) == [
        "gotham-crimes-2021-03.csv", "west-midlands-crimes-March.csv"]


def test_quarantine_moves_the_file_with_its_reason(tmp_path: Path):
    path = write_extract(tmp_path, "2021-03", [])
    moved = quarantine(tmp_path, path, "row 7: bad date")
    assert not path.exists() and moved.exists()
    assert moved.relative_to(tmp_path).parts[0] == "_quarantine"
    assert moved.with_name(moved.name + ".reason.txt").read_text().strip() == "row 7: bad date"


def test_misnamed_files_are_quarantined_with_the_rule_and_the_nearest_valid_name(tmp_path: Path):
    folder = tmp_path / "force" / "crimes"
    write_extract(tmp_path, "2021-03", [])
    for name in ("west-midlandz-crimes-2021-03.csv", "West-Midlands-crimes-2021-04.CSV", "gotham-crimes-2021-03.csv",
                 "notes.txt"):
        (folder / name).write_text("crime_reference\n", encoding="utf-8")
    moved = {where.name: reason for where, reason in quarantine_misnamed(tmp_path, FORCE_CRIMES)}
    assert sorted(moved) == ["West-Midlands-crimes-2021-04.CSV", "gotham-crimes-2021-03.csv", "notes.txt",
                             "west-midlandz-crimes-2021-03.csv"]
    assert "did you mean west-midlands-crimes-2021-03.csv?" in moved["west-midlandz-crimes-2021-03.csv"]
    assert "did you mean west-midlands-crimes-2021-04.csv?" in moved["West-Midlands-crimes-2021-04.CSV"]
    assert "did you mean" not in moved["notes.txt"]
    for reason in moved.values():
        assert "<force>-crimes-<YYYY-MM>.csv" in reason
    assert [p.name for p in folder.iterdir()] == ["west-midlands-crimes-2021-03.csv"]  # the good one stays
    reasons = sorted((tmp_path / "_quarantine").rglob("*.reason.txt"))
    assert len(reasons) == 4


def test_data_docs_escape_delivered_values(tmp_path: Path):
    # a victim_age of markup fails the whole-years rule; its failure page must show it, not run it
    from assets.lib.validation import validate

    markup = '<img src=x onerror="document.title=\'X\'">'
    rows = read_force_csv(write_extract(tmp_path, "2021-03", [crime("A/1", "2021-03-05", "34B", victim_age=markup)]),
                          RECORDED_CRIME_COLUMNS, ("suspect_age",)).assign(
        force_code="E23000014", file_month="2021-03", recorded_month="2021-03", file_sha256="x",
        crime_reference_in_month="E23000014 2021-03 A/1")
    docs = tmp_path / "docs"
    outcomes = validate(rows, "recorded_crime", {"offence_codes": ["34B"]}, docs_dir=docs, run_name="markup")
    failed = [o for o in outcomes if not o.success]
    assert [o.check_name for o in failed] == ["victim_age_whole_years"]
    assert "<img src=x onerror=" in failed[0].message()  # the reason names the value as delivered
    pages = list(docs.rglob("*.html"))
    assert pages and all("<img src=x" not in page.read_text(encoding="utf-8") for page in pages)
    assert any("&lt;img src=x" in page.read_text(encoding="utf-8") for page in pages)
