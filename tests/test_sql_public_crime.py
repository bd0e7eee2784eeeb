"""core.fact_public_crime: which force's area a street crime's LSOA is in, and so whether the force
recorded it outside its own area, taken from core.dim_geography.

The model is built over hand-made landed.street_crime and core.dim_geography tables, and over the
real dimension (built as the pipeline builds it, see tests/test_geography.py) for the real
Warwickshire file and a hand-made Met file. Every expected force code and flag is typed by hand:
for the real dimension, from the LSOA's district in reference/lsoa-force-lookup.csv (Welsh: the
district named in the LSOA name, reference/lsoa11-wales.csv) and that district's PFA in
reference/ons-lad17-csp17-pfa17-lookup.csv, never computed with the pipeline's code.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.lib.sql import build_table
from assets.policeuk.assets import STREET_CRIME
from assets.policeuk.parser import parse_street_crime
from sample_data.policeuk import write_policeuk_files
from tests.conftest import STREET, build_geography

METROPOLITAN = "E23000001"
CUMBRIA = "E23000002"
WEST_MIDLANDS = "E23000014"
WEST_MERCIA = "E23000016"
WARWICKSHIRE = "E23000017"
LEICESTERSHIRE = "E23000021"
THAMES_VALLEY = "E23000029"
CITY_OF_LONDON = "E23000034"
NORTH_WALES = "W15000001"
SOUTH_WALES = "W15000003"

# The model's columns, in order: those of the model before the force came from the dimension.
COLUMNS = [
    "force_code", "month", "crime_id", "crime_type", "is_anti_social_behaviour", "last_outcome_category",
    "lsoa_code", "lsoa_name", "lsoa_force_code", "is_out_of_area", "longitude", "latitude", "location",
    "reported_by", "falls_within", "context", "source_file", "source_row",
]  # fmt: skip


def create_landed(conn: duckdb.DuckDBPyConnection) -> None:
    """landed.street_crime as the pipeline creates it: the source's columns, source_file, source_row."""
    conn.execute("create schema if not exists landed")
    columns = ", ".join(f"{name} {kind}" for name, kind in STREET_CRIME.columns.items())
    conn.execute(f"create table landed.street_crime ({columns}, source_file varchar, source_row integer)")


def land(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    """One file, parsed and landed as the pipeline lands it (only the source's columns), then the fact rebuilt."""
    frame = parse_street_crime(path).assign(source_file=path.name)
    conn.register("parsed", frame)
    try:
        conn.execute(f"insert into landed.street_crime by name select {', '.join(STREET_CRIME.columns)}, "
                     "source_file, source_row from parsed")
    finally:
        conn.unregister("parsed")
    build_table(conn, "fact_public_crime")


def flags(conn: duckdb.DuckDBPyConnection, source_file: str) -> list[tuple]:
    return conn.execute(
        "select lsoa_code, lsoa_force_code, is_out_of_area from core.fact_public_crime where source_file = ? "
        "order by source_row", [source_file]).fetchall()


# --- hand-made landed rows and dimension ---------------------------------------------------------------

# (file, file's force, row, LSOA): the LSOA codes are made up, their forces are the hand-made dimension's
LANDED = [
    ("2018-08-warwickshire-street.csv", WARWICKSHIRE, 2, "E01000010"),  # its own force
    ("2018-08-warwickshire-street.csv", WARWICKSHIRE, 3, "E01000020"),  # West Midlands
    ("2018-08-warwickshire-street.csv", WARWICKSHIRE, 4, None),         # no location
    ("2018-08-warwickshire-street.csv", WARWICKSHIRE, 5, "E01999999"),  # not in the dimension
    ("2018-08-warwickshire-street.csv", WARWICKSHIRE, 6, "W01000030"),  # Welsh, North Wales
    ("2018-08-warwickshire-street.csv", WARWICKSHIRE, 7, "E01000040"),  # in the dimension without a force
    ("2018-08-west-midlands-street.csv", WEST_MIDLANDS, 2, "E01000020"),  # its own force
    ("2018-08-west-midlands-street.csv", WEST_MIDLANDS, 3, "E01000010"),  # Warwickshire
]
GEOGRAPHY = [
    ("E01000010", WARWICKSHIRE),
    ("E01000020", WEST_MIDLANDS),
    ("W01000030", NORTH_WALES),
    ("E01000040", None),
    ("E01000050", CUMBRIA),  # no crime here: brings no row
]


@pytest.fixture(scope="module")
def hand():
    con = duckdb.connect()
    con.execute("create schema core")
    create_landed(con)
    con.executemany(
        "insert into landed.street_crime (source_file, force_code, source_row, lsoa_code, lsoa_name, month, "
        "crime_type, is_anti_social_behaviour) values (?, ?, ?, ?, ?, date '2018-08-01', 'Burglary', false)",
        [(file, force, row, lsoa, lsoa and f"name of {lsoa}") for file, force, row, lsoa in LANDED])
    con.execute("create table core.dim_geography (lsoa_code varchar, lsoa_name varchar, la_code varchar, "
                "force_code varchar, force_inferred_from_la boolean)")
    con.executemany("insert into core.dim_geography values (?, null, null, ?, false)", GEOGRAPHY)
    build_table(con, "fact_public_crime")
    yield con
    con.close()


def test_force_area_of_the_lsoa_from_the_dimension(hand):
    assert flags(hand, "2018-08-warwickshire-street.csv") == [
        ("E01000010", WARWICKSHIRE, False),
        ("E01000020", WEST_MIDLANDS, True),
        (None, None, None),
        ("E01999999", None, None),
        ("W01000030", NORTH_WALES, True),
        ("E01000040", None, None),
    ]


def test_out_of_area_is_against_each_rows_own_force(hand):
    assert flags(hand, "2018-08-west-midlands-street.csv") == [
        ("E01000020", WEST_MIDLANDS, False),
        ("E01000010", WARWICKSHIRE, True),
    ]


def test_every_landed_row_once_and_the_columns_unchanged(hand):
    assert hand.execute("select count(*) from core.fact_public_crime").fetchone()[0] == 8
    columns = hand.execute(
        "select column_name, data_type from duckdb_columns() where schema_name = 'core' "
        "and table_name = 'fact_public_crime' order by column_index").fetchall()
    assert [name for name, _ in columns] == COLUMNS
    kinds = dict(columns)
    assert (kinds["lsoa_force_code"], kinds["is_out_of_area"]) == ("VARCHAR", "BOOLEAN")
    # the rest passes through: one row checked field by field
    row = hand.execute(
        "select force_code, month::varchar, crime_type, lsoa_name, source_file, source_row "
        "from core.fact_public_crime where source_file like '%west-midlands%' and source_row = 3").fetchone()
    assert row == (WEST_MIDLANDS, "2018-08-01", "Burglary", "name of E01000010", "2018-08-west-midlands-street.csv", 3)


def test_descriptions_name_the_dimension(hand):
    table = hand.execute("select comment from duckdb_tables() where table_name = 'fact_public_crime'").fetchone()[0]
    assert "core.dim_geography" in table and "lsoa-force-lookup" not in table
    comments = dict(hand.execute(
        "select column_name, comment from duckdb_columns() where table_name = 'fact_public_crime' "
        "and column_name in ('lsoa_force_code', 'is_out_of_area')").fetchall())
    assert all("core.dim_geography" in text for text in comments.values()) and len(comments) == 2


# --- the real dimension ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    """The real core.dim_geography, built as the pipeline builds it, and an empty landed.street_crime."""
    con = duckdb.connect()
    build_geography(con)
    create_landed(con)
    yield con
    con.close()


def test_real_warwickshire_file(real):
    land(real, STREET)
    rows = flags(real, STREET.name)
    assert len(rows) == 20
    # Each LSOA's district (column "Local authority code" of reference/lsoa-force-lookup.csv) and that
    # district's PFA17CD in reference/ons-lad17-csp17-pfa17-lookup.csv, looked up by hand with grep:
    #   Birmingham E08000025 and Coventry E08000026 -> E23000014 West Midlands (3 + 10 rows)
    #   Blaby E07000129 -> E23000021 Leicestershire (1), Carlisle E07000028 -> E23000002 Cumbria (1),
    #   Cherwell E07000177 -> E23000029 Thames Valley (1),
    #   Bromsgrove E07000234 -> E23000016 West Mercia (2: E01032177, E01032123),
    #   North Warwickshire E07000218 -> E23000017 Warwickshire (2, both E01031035), the file's own force.
    # Every row has an LSOA, so none is unknown: 18 out of area, 2 in it. Bromsgrove's force is blank
    # in the third-party lookup, where the parser used to leave those two rows unknown.
    by_name = dict(real.execute(
        "select lsoa_code, any_value(lsoa_name) from core.fact_public_crime where source_file = ? group by 1",
        [STREET.name]).fetchall())
    district_force = {
        "Birmingham": WEST_MIDLANDS, "Coventry": WEST_MIDLANDS, "Blaby": LEICESTERSHIRE, "Carlisle": CUMBRIA,
        "Cherwell": THAMES_VALLEY, "Bromsgrove": WEST_MERCIA, "North Warwickshire": WARWICKSHIRE,
    }  # fmt: skip
    for lsoa, force, out_of_area in rows:
        expected = district_force[by_name[lsoa].rsplit(" ", 1)[0]]
        assert (force, out_of_area) == (expected, expected != WARWICKSHIRE), lsoa
    assert sum(out is True for *_, out in rows) == 18 and sum(out is False for *_, out in rows) == 2
    counts = dict(real.execute(
        "select lsoa_force_code, count(*) from core.fact_public_crime where source_file = ? group by 1",
        [STREET.name]).fetchall())
    assert counts == {WEST_MIDLANDS: 13, LEICESTERSHIRE: 1, CUMBRIA: 1, THAMES_VALLEY: 1, WEST_MERCIA: 2,
                      WARWICKSHIRE: 2}
    assert [r for r in rows if r[0] in ("E01032177", "E01032123")] == [
        ("E01032177", WEST_MERCIA, True), ("E01032123", WEST_MERCIA, True)]


STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
MET_ROWS = [
    ",2016-06,Metropolitan Police Service,Metropolitan Police Service,0.13,51.54,On or near Park,E01000006,"
    "Barking and Dagenham 016A,Anti-social behaviour,,",
    ",2016-06,Metropolitan Police Service,Metropolitan Police Service,,,No Location,,,Anti-social behaviour,,",
    "3c4d,2016-06,Metropolitan Police Service,Metropolitan Police Service,-0.09,51.52,On or near Moor Lane,"
    "E01000001,City of London 001A,Other theft,Investigation complete; no suspect identified,",
    "5e6f,2016-06,Metropolitan Police Service,Metropolitan Police Service,-3.18,51.48,On or near High Street,"
    "W01001777,Cardiff 001A,Burglary,Under investigation,",
    "7a8b,2016-06,Metropolitan Police Service,Metropolitan Police Service,-0.1,51.5,On or near Nowhere,"
    "E01999999,Made up 001A,Burglary,Under investigation,",
]


def test_met_file_with_city_welsh_missing_and_unknown_lsoas(real, tmp_path: Path):
    path = tmp_path / "2016-06-metropolitan-street.csv"
    path.write_text(STREET_HEADER + "\n" + "\n".join(MET_ROWS) + "\n", encoding="utf-8")
    land(real, path)
    # E01000006 is in Barking and Dagenham (E09000002 -> E23000001 Metropolitan Police), the Met's own;
    # E01000001 in the City of London (E09000001 -> E23000034); W01001777 "Cardiff 001A" in Cardiff
    # (W06000015 -> W15000003 South Wales); no LSOA, and an LSOA that does not exist, are unknown.
    assert flags(real, path.name) == [
        ("E01000006", METROPOLITAN, False),
        (None, None, None),
        ("E01000001", CITY_OF_LONDON, True),
        ("W01001777", SOUTH_WALES, True),
        ("E01999999", None, None),
    ]


def test_sample_street_file_out_of_area_share(real, tmp_path: Path):
    # One month of the sample at full volume. The generator puts about 0.4% of rows at no location,
    # 2.3% in the neighbouring forces, 0.7% further away and 0.2% in districts next to the West Midlands
    # (Bromsgrove, Redditch, Warwick, ...; West Mercia or Warwickshire) and the rest in the force's own
    # LSOAs (sample_data/policeuk.py): about 3.2% of located rows out of area.
    paths = write_policeuk_files(tmp_path, first_month="2021-06", last_month="2021-06")
    path = next(p for p in paths if p.name.endswith("-street.csv"))
    land(real, path)
    total, no_lsoa, unknown, out, share = real.execute(
        "select count(*), count(*) filter (lsoa_code is null), count(*) filter (is_out_of_area is null), "
        "count(*) filter (is_out_of_area), avg(is_out_of_area::int) from core.fact_public_crime "
        "where source_file = ?", [path.name]).fetchone()
    assert total > 20_000 and no_lsoa > 0
    # every sample LSOA is a real 2011 LSOA, so only the rows with no location are unknown
    assert unknown == no_lsoa
    assert out > 0 and 0.02 <= share <= 0.04
