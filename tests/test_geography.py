"""The geography dimensions built from the shipped ONS lookups (reference/README.md), every expected
code typed by hand from the ONS lookup and reference/forces.csv. The 2021 LSOA examples are typed from
their names in reference/ons-lsoa21.csv, the district of that name in reference/ons-ltla22.csv and its
PFA in reference/ons-lad17-csp17-pfa17-lookup.csv (a district created later: its predecessors' PFA)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from assets.lib.reference_data import FORCES_CSV, REFERENCE_DIR
from assets.lib.sql import build_table
from assets.ons_population.census import SOURCE_COLUMNS, read_census_ethnicity
from assets.ons_population.parser import read_mye_persons, read_mye_persons_wide
from tests.conftest import build_geography

REPO = Path(__file__).resolve().parents[1]
MYE_2019 = REPO / "sample_data" / "real" / "ons-population" / "ukmidyearestimates20192019ladcodes.xls"

THAMES_VALLEY = "E23000029"
NORTHUMBRIA = "E23000007"
NORTH_YORKSHIRE = "E23000009"
CUMBRIA = "E23000002"
AVON_AND_SOMERSET = "E23000036"
NORTHAMPTONSHIRE = "E23000022"
DORSET = "E23000039"
SUFFOLK = "E23000025"
CITY_OF_LONDON = "E23000034"
METROPOLITAN = "E23000001"
NORTH_WALES, GWENT, SOUTH_WALES, DYFED_POWYS = "W15000001", "W15000002", "W15000003", "W15000004"
WEST_MIDLANDS = "E23000014"
HUMBERSIDE = "E23000012"
WEST_MERCIA = "E23000016"


@pytest.fixture(scope="module")
def conn():
    con = duckdb.connect()
    build_geography(con)
    yield con
    con.close()


def authority(conn, la_code: str) -> dict:
    rows = conn.execute("select * from core.dim_local_authority where la_code = ?", [la_code]).df()
    assert len(rows) == 1, la_code
    return rows.iloc[0].to_dict()


def force_of(conn, la_code: str) -> str:
    return authority(conn, la_code)["force_code"]


def ons_districts(file_name: str) -> dict[str, str]:
    """England and Wales districts of an ONS district list in reference/."""
    with (REFERENCE_DIR / file_name).open(encoding="utf-8", newline="") as handle:
        return {r["areacd"]: r["areanm"] for r in csv.DictReader(handle) if r["areacd"][0] in "EW"}


def territorial_forces() -> set[str]:
    with FORCES_CSV.open(encoding="utf-8", newline="") as handle:
        return {r["force_code"] for r in csv.DictReader(handle) if r["force_code"] != "BTP"}


# --- districts -----------------------------------------------------------------------------------


def test_buckinghamshire_and_the_four_districts_it_replaced_are_thames_valley(conn):
    bucks = authority(conn, "E06000060")
    assert (bucks["la_name"], bucks["is_current"], bucks["force_code"]) == ("Buckinghamshire", True, THAMES_VALLEY)
    for old in ("E07000004", "E07000005", "E07000006", "E07000007"):  # Aylesbury Vale, Chiltern, South Bucks, Wycombe
        row = authority(conn, old)
        assert (row["la_code_current"], row["replaced_in_year"], row["force_code"]) == (
            "E06000060", 2020, THAMES_VALLEY)


def test_welsh_authorities_map_to_the_four_welsh_forces(conn):
    assert force_of(conn, "W06000015") == SOUTH_WALES  # Cardiff
    by_force = dict(conn.execute(
        "select force_code, list(la_code order by la_code) from core.dim_local_authority"
        " where la_code like 'W06%' and is_current group by 1").fetchall())
    assert by_force == {
        NORTH_WALES: ["W06000001", "W06000002", "W06000003", "W06000004", "W06000005", "W06000006"],
        DYFED_POWYS: ["W06000008", "W06000009", "W06000010", "W06000023"],
        SOUTH_WALES: ["W06000011", "W06000012", "W06000013", "W06000014", "W06000015", "W06000016", "W06000024"],
        GWENT: ["W06000018", "W06000019", "W06000020", "W06000021", "W06000022"],
    }


def test_northumberland_and_gateshead_are_northumbria_under_old_and_new_codes(conn):
    # the 2011 lookup still has the pre-2013 codes, with no force
    assert authority(conn, "E06000048")["la_code_current"] == "E06000057"
    assert authority(conn, "E08000020")["la_code_current"] == "E08000037"
    for code in ("E06000057", "E08000037", "E06000048", "E08000020"):
        assert force_of(conn, code) == NORTHUMBRIA, code


def test_north_yorkshire_unitary_and_its_seven_former_districts(conn):
    assert authority(conn, "E06000065")["la_name"] == "North Yorkshire"
    assert force_of(conn, "E06000065") == NORTH_YORKSHIRE
    for number in range(163, 170):  # E07000163 Craven .. E07000169 Selby
        row = authority(conn, f"E07000{number}")
        assert (row["la_code_current"], row["replaced_in_year"], row["force_code"]) == (
            "E06000065", 2023, NORTH_YORKSHIRE)
    assert force_of(conn, "E06000014") == NORTH_YORKSHIRE  # York stays a unitary of its own


@pytest.mark.parametrize(("la_code", "current", "force"), [
    ("E06000058", "E06000058", DORSET),             # Bournemouth, Christchurch and Poole (2019)
    ("E07000048", "E06000058", DORSET),             # Christchurch
    ("E07000052", "E06000059", DORSET),             # West Dorset -> Dorset
    ("E07000205", "E07000244", SUFFOLK),            # Suffolk Coastal -> East Suffolk
    ("E07000201", "E07000245", SUFFOLK),            # Forest Heath -> West Suffolk
    ("E07000150", "E06000061", NORTHAMPTONSHIRE),   # Corby -> North Northamptonshire (2021)
    ("E07000154", "E06000062", NORTHAMPTONSHIRE),   # Northampton -> West Northamptonshire
    ("E07000190", "E06000066", AVON_AND_SOMERSET),  # Taunton Deane -> Somerset West and Taunton -> Somerset
    ("E07000246", "E06000066", AVON_AND_SOMERSET),
    ("E07000026", "E06000063", CUMBRIA),            # Allerdale -> Cumberland (2023)
    ("E07000031", "E06000064", CUMBRIA),            # South Lakeland -> Westmorland and Furness
    ("E07000097", "E07000242", "E23000027"),        # East Hertfordshire recoded 2013, Hertfordshire
    ("E07000112", "E07000112", "E23000032"),        # Shepway renamed Folkestone and Hythe, Kent
])
def test_district_changes_since_2011_keep_their_force(conn, la_code, current, force):
    row = authority(conn, la_code)
    assert (row["la_code_current"], row["force_code"]) == (current, force)


def test_city_of_london_is_its_own_force_area_not_the_met(conn):
    assert force_of(conn, "E09000001") == CITY_OF_LONDON
    assert force_of(conn, "E09000033") == METROPOLITAN  # Westminster
    assert authority(conn, "E07000112")["la_name"] == "Folkestone and Hythe"


def test_every_district_code_once_with_exactly_one_force(conn):
    rows, codes, without_force = conn.execute(
        "select count(*), count(distinct la_code), count(*) filter (where force_code is null)"
        " from core.dim_local_authority").fetchone()
    assert rows == codes and without_force == 0
    # the 2017 lookup's 348 districts, and every code that replaced or was replaced since 2009
    assert codes == 404


def test_current_districts_are_exactly_the_ons_2023_list(conn):
    current = dict(conn.execute(
        "select la_code, la_name from core.dim_local_authority where is_current").fetchall())
    assert current == ons_districts("ons-ltla23.csv")
    assert len(current) == 318  # 296 in England, 22 in Wales
    assert conn.execute("select count(*) from core.dim_local_authority where la_code_current not in "
                        "(select la_code from core.dim_local_authority where is_current)").fetchone() == (0,)


def test_all_43_territorial_forces_have_a_current_district(conn):
    forces = {f for (f,) in conn.execute(
        "select distinct force_code from core.dim_local_authority where is_current").fetchall()}
    assert forces == territorial_forces()
    assert len(forces) == 43


def test_every_census_2021_authority_maps_to_exactly_one_force(conn):
    # Census 2021 is published for the December 2022 districts
    census_areas = ons_districts("ons-ltla22.csv")
    assert len(census_areas) == 331
    found = dict(conn.execute(
        "select la_code, force_code from core.dim_local_authority where list_contains(?, la_code)",
        [sorted(census_areas)]).fetchall())
    assert sorted(found) == sorted(census_areas)
    assert None not in found.values()
    assert len(set(found.values())) == 43


# --- LSOAs ---------------------------------------------------------------------------------------


def test_every_2011_lsoa_of_england_and_wales_has_a_district_and_force(conn):
    by_country = dict(conn.execute(
        "select left(lsoa_code, 1), count(*) from core.dim_geography"
        " where in_2011 and la_code_current is not null and force_code is not null group by 1").fetchall())
    assert by_country == {"E": 32_844, "W": 1_909}  # all 34,753 LSOAs of the 2011 Census
    assert conn.execute("select count(*) from core.dim_geography where in_2011").fetchone() == (34_753,)
    assert conn.execute("select count(*) = count(distinct lsoa_code) from core.dim_geography").fetchone() == (True,)


@pytest.mark.parametrize(("lsoa_code", "la_code", "la_code_current", "force", "inferred"), [
    ("W01001777", "W06000015", "W06000015", SOUTH_WALES, True),       # Cardiff 001A
    ("E01027376", "E06000048", "E06000057", NORTHUMBRIA, True),       # Northumberland 001A: blank in the lookup
    ("E01008246", "E08000020", "E08000037", NORTHUMBRIA, True),       # Gateshead 001A
    ("E01027558", "E07000163", "E06000065", NORTH_YORKSHIRE, True),   # Craven 001A
    ("E01000001", "E09000001", "E09000001", CITY_OF_LONDON, False),   # City of London 001A
])
def test_lsoa_examples(conn, lsoa_code, la_code, la_code_current, force, inferred):
    row = conn.execute(
        "select la_code, la_code_current, force_code, force_inferred_from_la from core.dim_geography"
        " where lsoa_code = ?", [lsoa_code]).fetchone()
    assert row == (la_code, la_code_current, force, inferred)


def test_welsh_lsoas_take_msoa_and_district_from_the_ons_name(conn):
    row = conn.execute("select lsoa_name, msoa_code, msoa_name, la_name, region_code from core.dim_geography"
                       " where lsoa_code = 'W01001777'").fetchone()
    assert row == ("Cardiff 001A", None, "Cardiff 001", "Cardiff", "W92000004")
    # "The Vale of Glamorgan 001A" in the ONS file, district "Vale of Glamorgan"
    assert conn.execute("select count(*) from core.dim_geography where la_code = 'W06000014'"
                        " and in_2011").fetchone() == (79,)


def test_the_lookups_own_force_agrees_with_the_district_force_wherever_it_has_one(conn):
    disagreements, compared = conn.execute(
        "select count(*) filter (where forces.force_code is distinct from geography.force_code), count(*)"
        " from stg_lsoa_lookup as lookup"
        " inner join core.dim_geography as geography using (lsoa_code)"
        # the lookup writes the City's force 'City of London', the Home Office 'London, City of'
        " left join core.dim_force as forces on forces.home_office_force_name ="
        "   case lookup.home_office_force_name when 'City of London' then 'London, City of'"
        "   else lookup.home_office_force_name end"
        " where lookup.home_office_force_name is not null").fetchone()
    assert (disagreements, compared) == (0, 32_844 - 3_335)


def lsoas_2021() -> dict[str, str]:
    """code -> name of every LSOA of the ONS Census 2021 list."""
    with (REFERENCE_DIR / "ons-lsoa21.csv").open(encoding="utf-8", newline="") as handle:
        return {r["areacd"]: r["areanm"] for r in csv.DictReader(handle)}


def test_every_2021_lsoa_of_the_ons_list_has_a_district_and_force(conn):
    listed = lsoas_2021()
    assert len(listed) == 35_672  # 33,755 in England, 1,917 in Wales
    found = dict(conn.execute(
        "select lsoa_code, force_code from core.dim_geography"
        " where in_2021 and la_code_current is not null and force_code is not null").fetchall())
    assert sorted(found) == sorted(listed)
    assert len(set(found.values())) == 43


def test_one_row_per_lsoa_of_2011_or_2021(conn):
    # distinct codes of the three files, counted in the shell:
    # cat reference/lsoa-force-lookup.csv reference/lsoa11-wales.csv reference/ons-lsoa21.csv
    #   | grep -oE '\b[EW]01[0-9]{6}\b' | sort -u | wc -l
    rows, codes, both, only_2011, only_2021 = conn.execute(
        "select count(*), count(distinct lsoa_code), count(*) filter (where in_2011 and in_2021),"
        " count(*) filter (where in_2011 and not in_2021), count(*) filter (where in_2021 and not in_2011)"
        " from core.dim_geography").fetchone()
    assert rows == codes == 36_778
    # comm of the sorted 2011 and 2021 code lists: 33,647 in both, 1,106 only 2011, 2,025 only 2021
    assert (both, only_2011, only_2021) == (33_647, 1_106, 2_025)
    assert conn.execute("select count(*) from core.dim_geography where not in_2011 and not in_2021").fetchone() == (0,)


@pytest.mark.parametrize(("lsoa_code", "lsoa_name", "la_code", "la_code_current", "force"), [
    ("E01034913", "Birmingham 014F", "E08000025", "E08000025", WEST_MIDLANDS),
    ("E01033951", "Buckinghamshire 001C", "E06000060", "E06000060", THAMES_VALLEY),  # a district of 2020
    ("E01034956", "Craven 006E", "E07000163", "E06000065", NORTH_YORKSHIRE),  # North Yorkshire since 2023
    ("E01034958", "Hambleton 007F", "E07000164", "E06000065", NORTH_YORKSHIRE),
    ("W01001959", "Merthyr Tydfil 005E", "W06000024", "W06000024", SOUTH_WALES),
    # the list writes the name in quotes, a comma in it
    ("E01034271", "Bournemouth, Christchurch and Poole 038E", "E06000058", "E06000058", DORSET),
    # named not as the ONS district list names the district ("Kingston upon Hull, City of", ...)
    ("E01035463", "Kingston upon Hull 011F", "E06000010", "E06000010", HUMBERSIDE),
    ("E01035055", "Herefordshire 011E", "E06000019", "E06000019", WEST_MERCIA),
    ("E01033902", "Bristol 054F", "E06000023", "E06000023", AVON_AND_SOMERSET),
])
def test_2021_lsoa_examples(conn, lsoa_code, lsoa_name, la_code, la_code_current, force):
    row = conn.execute(
        "select lsoa_name, msoa_code, msoa_name, la_code, la_code_current, force_code, force_inferred_from_la,"
        " in_2011, in_2021 from core.dim_geography where lsoa_code = ?", [lsoa_code]).fetchone()
    assert row == (lsoa_name, None, lsoa_name[:-1], la_code, la_code_current, force, True, False, True)


def test_2021_lsoas_take_the_region_of_their_district(conn):
    assert conn.execute("select region_code, region_name from core.dim_geography where lsoa_code = 'E01034913'"
                        ).fetchone() == ("E12000005", "WEST MIDLANDS")  # Birmingham 014F
    assert conn.execute("select region_code from core.dim_geography where lsoa_code = 'W01001959'"
                        ).fetchone() == ("W92000004",)
    assert conn.execute("select count(*) from core.dim_geography where region_code is null").fetchone() == (0,)


def test_an_lsoa_of_both_censuses_is_its_2011_row(conn):
    # E01000147 is "Barnet 030A" in the 2011 lookup and "Barnet 043F" in the 2021 list: same LSOA, one row
    row = conn.execute("select lsoa_name, msoa_code, la_code, in_2011, in_2021 from core.dim_geography"
                       " where lsoa_code = 'E01000147'").fetchone()
    assert row == ("Barnet 030A", "E02000053", "E09000003", True, True)


def test_a_2021_lsoa_named_for_no_district_is_kept_and_named_by_the_check(tmp_path):
    from assets.dimensions.assets import _set_reference_paths, dim_geography_unique_lsoas
    from assets.lib.resources import make_warehouse
    from assets.lib.sql import create_staging_view

    listed = tmp_path / "lsoa21.csv"
    text = (REFERENCE_DIR / "ons-lsoa21.csv").read_text(encoding="utf-8")
    listed.write_text(text + "\nE01099999,Nowhere 001A", encoding="utf-8")
    warehouse = make_warehouse(tmp_path / "w.duckdb")
    with warehouse.transaction() as con:
        build_geography(con)
        _set_reference_paths(con)
        con.execute("set variable lsoa21_csv = ?", [str(listed)])
        create_staging_view(con, "stg_lsoa21")
        build_table(con, "dim_geography")
        assert con.execute("select la_code, force_code, in_2021 from core.dim_geography"
                           " where lsoa_code = 'E01099999'").fetchone() == (None, None, True)
    result = dim_geography_unique_lsoas(warehouse=warehouse)
    assert not result.passed
    assert result.metadata["lsoas_without_district_or_force"].value == ["E01099999 Nowhere 001A"]


def test_the_check_passes_on_the_shipped_files(tmp_path):
    from assets.dimensions.assets import dim_geography_unique_lsoas
    from assets.lib.resources import make_warehouse

    warehouse = make_warehouse(tmp_path / "w.duckdb")
    with warehouse.transaction() as con:
        build_geography(con)
    result = dim_geography_unique_lsoas(warehouse=warehouse)
    assert result.passed
    assert result.metadata["lsoas_without_district_or_force"].value == []
    assert (result.metadata["lsoas_2021"].value, result.metadata["lsoas_in_ons_2021_list"].value) == (
        35_672, 35_672)


# --- populations summed to force areas -----------------------------------------------------------


def test_mid_2019_district_populations_add_up_to_england_and_wales(conn):
    """The real ONS mid-2019 estimates (sample_data/real): every district maps to one force, and the
    force areas add up to the England and Wales total the release publishes."""
    wide = read_mye_persons_wide(MYE_2019)
    districts = wide[wide.area_code.str[0].isin(["E", "W"]) & wide.geography.isin(
        ["Unitary Authority", "Non-metropolitan District", "Metropolitan District", "London Borough"])]
    con = conn.cursor()
    con.register("mye_districts", districts[["area_code", "all_ages"]])
    matched, forces, persons = con.execute(
        "select count(*), count(distinct force_code), sum(all_ages) from mye_districts"
        " inner join core.dim_local_authority on la_code = area_code").fetchone()
    assert (matched, len(districts)) == (339, 339)
    assert forces == 43
    assert persons == 59_439_840 == int(wide.set_index("area_code").loc["K04000001", "all_ages"])


def test_force_population_model_sums_each_district_once(conn):
    frame = read_mye_persons(MYE_2019)
    frame["source_file"] = MYE_2019.name
    con = conn.cursor()
    con.execute("create schema if not exists landed")
    con.execute("create schema if not exists meta")
    con.register("mye", frame)
    con.execute("create or replace table landed.ons_population as select * from mye")
    con.execute("create or replace table meta.loaded_files as select 'ons_population' as source,"
                " ? as file_name, timestamp '2020-06-24 09:30' as loaded_at", [MYE_2019.name])
    build_table(con, "population_by_age")
    build_table(con, "force_population")
    total, authorities, forces = con.execute(
        "select sum(persons), sum(local_authorities), count(*) from core.force_population"
        " where mid_year = 2019").fetchone()
    assert (total, authorities, forces) == (59_439_840, 339, 43)
    assert con.execute("select persons from core.force_population where force_code = 'E23000014'").fetchone() == (
        2_928_592,)  # West Midlands, the metropolitan county's published total


def test_census_ethnicity_by_force_counts_every_census_authority_once(conn, tmp_path):
    """A Census 2021 TS021 file in the ONS layout for all 331 authorities (10 persons in each of the
    19 categories, the real per-authority figures not being shipped): nothing is lost or doubled."""
    path = tmp_path / "census2021-ethnic-group-by-la.csv"
    areas = ons_districts("ons-ltla22.csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SOURCE_COLUMNS)
        for code, name in areas.items():
            writer.writerow([code, name, -8, "Does not apply", 0])
            for number, label in enumerate(CENSUS_CATEGORIES, start=1):
                writer.writerow([code, name, number, label, 10])
    census = read_census_ethnicity(path)
    con = conn.cursor()
    con.execute("create schema if not exists landed")
    con.register("census", census)
    con.execute("create or replace table landed.census_ethnicity as select * from census")
    build_table(con, "census_ethnicity_by_force")
    persons, authorities, forces = con.execute(
        "select sum(persons), count(distinct force_code), count(*) from core.census_ethnicity_by_force").fetchone()
    assert persons == 331 * 19 * 10 == 62_890
    assert authorities == 43 and forces == 43 * 5
    per_force = dict(con.execute(
        "select force_code, max(local_authorities) from core.census_ethnicity_by_force group by 1").fetchall())
    assert sum(per_force.values()) == 331
    assert per_force[NORTH_YORKSHIRE] == 8  # York and the seven districts of 2021
    assert per_force[CUMBRIA] == 6


CENSUS_CATEGORIES = (
    "Asian, Asian British or Asian Welsh: Bangladeshi",
    "Asian, Asian British or Asian Welsh: Chinese",
    "Asian, Asian British or Asian Welsh: Indian",
    "Asian, Asian British or Asian Welsh: Pakistani",
    "Asian, Asian British or Asian Welsh: Other Asian",
    "Black, Black British, Black Welsh, Caribbean or African: African",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "Mixed or Multiple ethnic groups: White and Asian",
    "Mixed or Multiple ethnic groups: White and Black African",
    "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other White",
    "Other ethnic group: Arab",
    "Other ethnic group: Any other ethnic group",
)
