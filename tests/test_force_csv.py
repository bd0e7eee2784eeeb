"""The force-CSV reader (assets/lib/force_csv.py) on hand-made files: the quirks a spreadsheet export or a
hand edit puts into a delivery, and a range of files read in one statement."""

from pathlib import Path

import duckdb
import pytest

from assets.lib.errors import RejectedFile
from assets.lib.force_csv import (
    ForceCsv,
    drop_force_csvs,
    load_force_csvs,
    read_force_csv,
    read_force_frames,
    source_rows,
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_unicode_white_space_is_trimmed_and_quoting_is_undone(tmp_path: Path):
    path = _write(tmp_path / "a.csv",
                  "ref,name,note\r\n"
                  "A/1,\u00a0Bob\u2003,\"two\nlines\"\r\n"   # a no-break space and an em space pasted around a name
                  "A/2,   ,\"\"\r\n"                          # white space only; a quoted empty field
                  "A/3,\tx ,\"say \"\"hi\"\"\"\r\n")          # a tab; doubled quotes inside a quoted field
    frame = read_force_csv(path, ("ref", "name", "note"))
    assert frame["name"].tolist() == ["Bob", "", "x"]  # white space only is an empty value, not a missing one
    assert frame["note"].tolist()[0] == "two\nlines"
    assert frame["note"].isna().tolist() == [False, True, False]  # an empty field, quoted or not, is missing
    assert frame["note"].tolist()[2] == 'say "hi"'
    # a quoted field over two lines is one row: the rows are numbered as records, the header row 1
    assert frame["source_row"].tolist() == [2, 3, 4]


def test_blank_lines_are_not_rows(tmp_path: Path):
    path = _write(tmp_path / "a.csv", "ref,name\nA/1,x\n\nA/2,y\n\n")
    frame = read_force_csv(path, ("ref", "name"))
    assert frame["ref"].tolist() == ["A/1", "A/2"]
    assert frame["source_row"].tolist() == [2, 3]


def test_a_range_reads_every_layout_and_rejects_only_the_broken_file(tmp_path: Path):
    first = _write(tmp_path / "first.csv", "ref,name,note\nA/1,a,n1\nA/2,b,\nA/3,c,n3\n")
    # columns in another order, an extra column, the optional one absent
    second = _write(tmp_path / "second.csv", "name,extra,ref\nq,z,B/1\nr,z,B/2\n")
    # the same header as the first, cut short on its third line
    broken = _write(tmp_path / "broken.csv", "ref,name,note\nC/1,a,b\nC/2,c\n")
    # the first file's header again: read in the same statement as the first
    fourth = _write(tmp_path / "fourth.csv", "ref,name,note\nD/1,d,n\n")
    files = [ForceCsv(first, {"month": "2021-01"}), ForceCsv(second, {"month": "2021-02"}),
             ForceCsv(broken, {"month": "2021-03"}), ForceCsv(fourth, {"month": "2021-04"})]
    with duckdb.connect() as conn:
        counts, rejected = load_force_csvs(conn, "delivery", files, ("ref", "name"), ("note",), ("month",),
                                           {"ref_prefix": "substr(ref, 1, 1)"})
        rows = conn.execute("select ref, name, note, note_supplied, ref_prefix, source_file, source_row, month "
                            "from delivery order by ref").fetchall()
        columns = [c[0] for c in conn.execute("describe delivery").fetchall()]
    assert counts == {"first.csv": 3, "second.csv": 2, "fourth.csv": 1}
    assert [str(r) for r in rejected] == [
        "broken.csv: row 3, column 'note': not a well-formed CSV: the row is cut short: 2 of the header's 3 "
        "fields, no value from column 'note' on (Invalid Input Error: CSV Error on Line: 3)"]
    assert rows == [
        ("A/1", "a", "n1", "Y", "A", "first.csv", 2, "2021-01"),
        ("A/2", "b", None, "Y", "A", "first.csv", 3, "2021-01"),
        ("A/3", "c", "n3", "Y", "A", "first.csv", 4, "2021-01"),
        ("B/1", "q", None, "N", "B", "second.csv", 2, "2021-02"),
        ("B/2", "r", None, "N", "B", "second.csv", 3, "2021-02"),
        ("D/1", "d", "n", "Y", "D", "fourth.csv", 2, "2021-04"),
    ]
    assert columns == ["ref", "name", "note", "note_supplied", "ref_prefix", "source_file", "source_row", "month"]


def test_text_that_is_not_utf8_is_rejected_at_its_row(tmp_path: Path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("ref,name\nA/1,Smith\nA/2,Beyonc\u00e9\n".encode("latin-1"))
    with pytest.raises(RejectedFile) as raised:
        read_force_csv(path, ("ref", "name"))
    assert raised.value.row == 3
    assert "UTF-8" in str(raised.value)


def test_a_header_with_padded_names_is_read_by_its_trimmed_names(tmp_path: Path):
    path = _write(tmp_path / "a.csv", "\ufeff ref , name\nA/1,x\n")
    frame = read_force_csv(path, ("ref", "name"))
    assert frame[["ref", "name"]].values.tolist() == [["A/1", "x"]]


def test_rows_are_numbered_within_each_file_when_row_ids_are_not_one_run():
    # a table whose files' rows interleave (not what a load writes, but what source_rows must still number)
    with duckdb.connect() as conn:
        conn.execute("create table t as select * from (values ('b.csv', 'b1'), ('a.csv', 'a1'), ('b.csv', 'b2'), "
                     "('a.csv', 'a2'), ('a.csv', 'a3')) as v(filename, value)")
        numbering, firsts = source_rows(conn, "t")
        assert firsts == {"b.csv": 0, "a.csv": 1}
        assert conn.execute(f"select value, {numbering} from t as read order by value").fetchall() == [
            ("a1", 2), ("a2", 3), ("a3", 4), ("b1", 2), ("b2", 3)]


def test_a_range_with_no_readable_file_is_an_empty_table(tmp_path: Path):
    header_only = _write(tmp_path / "header-only.csv", "ref,name\n")
    broken = _write(tmp_path / "broken.csv", "ref,name\nA/1\n")
    with duckdb.connect() as conn:
        counts, rejected = load_force_csvs(conn, "delivery", [ForceCsv(header_only, {"k": "h"}),
                                                              ForceCsv(broken, {"k": "b"})], ("ref", "name"),
                                           constants=("k",))
        assert (counts, [r.path.name for r in rejected]) == ({}, ["broken.csv"])
        assert conn.execute("select count(*) from delivery").fetchone() == (0,)
        assert [c[0] for c in conn.execute("describe delivery").fetchall()] == [
            "ref", "name", "source_file", "source_row", "k"]
        # the delivery is a view over the rows as read and the files; dropping it leaves nothing of the read
        assert conn.execute("select view_name from duckdb_views() where not internal").fetchall() == [("delivery",)]
        assert sorted(conn.execute("select table_name from duckdb_tables()").fetchall()) == [
            ("delivery_as_read",), ("delivery_files",)]
        drop_force_csvs(conn, "delivery")
        assert conn.execute("select count(*) from duckdb_tables()").fetchone() == (0,)
        assert conn.execute("select count(*) from duckdb_views() where not internal").fetchone() == (0,)


def test_small_files_come_back_one_frame_each_in_the_order_given(tmp_path: Path):
    empty = _write(tmp_path / "empty.csv", "ref,name\n")
    one = _write(tmp_path / "one.csv", "ref,name\nA/1,x\nA/2,y\n")
    missing = _write(tmp_path / "missing.csv", "ref\nB/1\n")
    outcomes = read_force_frames([ForceCsv(empty, {"k": "e"}), ForceCsv(one, {"k": "o"}),
                                  ForceCsv(missing, {"k": "m"})], ("ref", "name"), ("k",))
    by_path = dict(outcomes)
    assert isinstance(by_path[missing], RejectedFile) and by_path[missing].column == "name"
    assert len(by_path[empty]) == 0
    assert by_path[one][["ref", "name", "k", "source_row"]].values.tolist() == [["A/1", "x", "o", 2],
                                                                                ["A/2", "y", "o", 3]]
