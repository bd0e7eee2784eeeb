"""The sample recorded-crime extracts: landing layout, and the published West Midlands figures.

Counts are taken from the generated CSV files with DuckDB, joined to the Home Office classification
read straight from the PRC reference file, so the generator's own tables are never trusted. Expected
values are the published figures, written out literally.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from sample_data.crimes import write_crime_extracts

ROOT = Path(__file__).resolve().parents[1]
PRC_CSV = ROOT / "reference" / "prc-pfa-mar2013-onwards-tables201718.csv"
LSOA_CSV = ROOT / "reference" / "lsoa-force-lookup.csv"

HEADER = (
    "crime_reference,recorded_date,committed_date,ho_offence_code,offence_description,lsoa_code,victim_age,"
    "domestic_abuse,knife_or_sharp_instrument,firearm,online,organised_crime_group,drugs_related,"
    "alcohol_related,status"
)
SCHEMA = "{" + ",".join(f"'{name}': 'VARCHAR'" for name in HEADER.split(",")) + "}"

BASELINE = ("2018-07", "2019-06")
FY2122 = ("2021-04", "2022-03")
SMALL = 0.02

# ONS "selected offences" for knife or sharp instrument crime (ONS PFA Table P4).
KNIFE_CODES = (
    "'1','4.1','4.2','4.10','2','3B','8N','8P','5D','34A','34B',"
    "'19C','19D','19E','19F','19G','19H','17A','17B','20A','20B'"
)

# ONS Table P1 lines, from the Home Office classification. The unlawful-driving codes sit under
# "Violence with injury" in the PRC 2017/18 file but are their own line in ONS tables.
CATEGORY_SQL = """
    case
        when code in ('4.4', '4.6', '4.8', '4.9', '37.1') then 'unlawful_driving'
        when subgroup = 'Homicide' then 'homicide'
        when subgroup = 'Violence with injury' then 'violence_with_injury'
        when subgroup = 'Violence without injury' then 'violence_without_injury'
        when subgroup = 'Stalking and harassment' then 'stalking_and_harassment'
        when offence_group = 'Sexual offences' then 'sexual_offences'
        when offence_group = 'Robbery' then 'robbery'
        when subgroup = 'Domestic burglary' then 'domestic_burglary'
        when subgroup = 'Non-domestic burglary' then 'non_domestic_burglary'
        when subgroup in ('Theft from a vehicle', 'Theft of a motor vehicle', 'Vehicle interference')
            then 'vehicle_offences'
        when subgroup = 'Theft from the person' then 'theft_from_the_person'
        when subgroup = 'Bicycle theft' then 'bicycle_theft'
        when subgroup = 'Shoplifting' then 'shoplifting'
        when subgroup = 'Other theft offences' then 'other_theft'
        when offence_group = 'Criminal damage and arson' then 'criminal_damage_and_arson'
        when offence_group = 'Drug offences' then 'drug_offences'
        when offence_group = 'Possession of weapons offences' then 'possession_of_weapons'
        when offence_group = 'Public order offences' then 'public_order'
        when offence_group = 'Miscellaneous crimes' then 'miscellaneous'
    end
"""


def _read_extracts(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Load extracts plus the classification into `crimes` (every row) in an in-memory database. Columns are
    matched by name: from April 2021 the extracts add the optional suspect_age column."""
    con.execute(
        f"""
        create or replace table classification as
        with prc as (
            select distinct
                trim("Offence Code") as source_code,
                trim("Offence Description") as description,
                trim("Offence Subgroup") as subgroup,
                trim("Offence Group") as offence_group
            from read_csv('{PRC_CSV}', header = true, all_varchar = true)
        )
        select unnest(string_split(source_code, '/')) as code, description, subgroup, offence_group
        from prc
        """
    )
    con.execute(
        f"""
        create or replace table crimes as
        select
            e.crime_reference,
            e.recorded_date::date as recorded_date,
            e.committed_date::date as committed_date,
            strftime(e.recorded_date::date, '%Y-%m') as month,
            regexp_extract(e.filename, '-crimes-(\\d{{4}}-\\d{{2}})\\.csv$', 1) as file_month,
            e.ho_offence_code as code,
            e.offence_description,
            e.lsoa_code,
            e.victim_age::integer as victim_age,
            e.domestic_abuse, e.knife_or_sharp_instrument, e.firearm, e.online,
            e.organised_crime_group, e.drugs_related, e.alcohol_related,
            e.status,
            c.subgroup, c.offence_group, c.description as classified_description,
            {CATEGORY_SQL.replace("code in", "e.ho_offence_code in")} as category
        from read_csv('{folder}/*.csv', header = true, types = {SCHEMA}, all_varchar = true, delim = ',',
                      quote = '"', union_by_name = true, filename = true) as e
        left join classification as c on c.code = e.ho_offence_code
        """
    )
    con.execute("create or replace view counted as select * from crimes where status = 'RECORDED'")


def _window(first: str, last: str) -> str:
    return f"month between '{first}' and '{last}'"


def _count(con: duckdb.DuckDBPyConnection, where: str) -> int:
    return con.execute(f"select count(*) from counted where {where}").fetchone()[0]


def _monthly(con: duckdb.DuckDBPyConnection, where: str) -> dict[str, int]:
    rows = con.execute(f"select month, count(*) from counted where {where} group by month order by month")
    return dict(rows.fetchall())


@pytest.fixture(scope="session")
def full_extracts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("landing_full")
    return out, write_crime_extracts(out)


@pytest.fixture(scope="session")
def con(full_extracts: tuple[Path, list[Path]]) -> duckdb.DuckDBPyConnection:
    out, _ = full_extracts
    connection = duckdb.connect()
    _read_extracts(connection, out / "force" / "crimes")
    return connection


@pytest.fixture(scope="session")
def small_extracts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("landing_small")
    return out, write_crime_extracts(out, scale=SMALL)


# --- calibration: baseline year (ONS year ending June 2019, Table P1; homicide from the board paper) ---

BASELINE_TARGETS = {
    "homicide": 52,
    "unlawful_driving": 38,
    "violence_with_injury": 32_340,
    "violence_without_injury": 29_811,
    "stalking_and_harassment": 18_300,
    "sexual_offences": 7_737,
    "robbery": 8_945,
    "domestic_burglary": 21_542,
    "non_domestic_burglary": 7_133,
    "vehicle_offences": 36_130,
    "theft_from_the_person": 3_239,
    "bicycle_theft": 2_889,
    "shoplifting": 17_961,
    "other_theft": 23_573,
    "criminal_damage_and_arson": 25_590,
    "drug_offences": 5_000,
    "possession_of_weapons": 2_720,
    "public_order": 15_460,
    "miscellaneous": 4_097,
}

# --- calibration: financial year 2021/22 (Strategic Policing and Crime Board, May 2022) ---

FY2122_TARGETS = {
    "homicide": 53,
    "domestic_burglary": 15_015,
    "non_domestic_burglary": 4_972,
    "robbery": 7_868,
    "violence_with_injury": 38_808,
    "possession_of_weapons": 6_093,
    "vehicle_offences": 32_878,
    "theft_from_the_person": 3_854,
}


@pytest.mark.parametrize(("category", "expected"), sorted(BASELINE_TARGETS.items()))
def test_baseline_category_counts(con: duckdb.DuckDBPyConnection, category: str, expected: int) -> None:
    assert _count(con, f"category = '{category}' and {_window(*BASELINE)}") == expected


def test_baseline_burglary_total(con: duckdb.DuckDBPyConnection) -> None:
    where = f"category in ('domestic_burglary', 'non_domestic_burglary') and {_window(*BASELINE)}"
    assert _count(con, where) == 28_675


@pytest.mark.parametrize(("category", "expected"), sorted(FY2122_TARGETS.items()))
def test_fy2122_category_counts(con: duckdb.DuckDBPyConnection, category: str, expected: int) -> None:
    assert _count(con, f"category = '{category}' and {_window(*FY2122)}") == expected


def test_fy2122_burglary_and_total(con: duckdb.DuckDBPyConnection) -> None:
    burglary = f"category in ('domestic_burglary', 'non_domestic_burglary') and {_window(*FY2122)}"
    assert _count(con, burglary) == 19_987
    assert _count(con, _window(*FY2122)) == 327_000


def test_every_counted_row_has_a_category(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(con, "category is null") == 0


@pytest.mark.parametrize(("window", "expected"), [(BASELINE, 3_560), (FY2122, 4_557)])
def test_knife_crime(con: duckdb.DuckDBPyConnection, window: tuple[str, str], expected: int) -> None:
    where = f"code in ({KNIFE_CODES}) and knife_or_sharp_instrument = 'Y' and {_window(*window)}"
    assert _count(con, where) == expected


@pytest.mark.parametrize(("window", "expected"), [(BASELINE, 3_578), (FY2122, 2_970)])
def test_robbery_victim_under_25(con: duckdb.DuckDBPyConnection, window: tuple[str, str], expected: int) -> None:
    where = f"category = 'robbery' and victim_age < 25 and {_window(*window)}"
    assert _count(con, where) == expected


@pytest.mark.parametrize(("window", "expected"), [(BASELINE, 5_900), (FY2122, 29_500)])
def test_online_crime(con: duckdb.DuckDBPyConnection, window: tuple[str, str], expected: int) -> None:
    assert _count(con, f"online = 'Y' and {_window(*window)}") == expected


def test_online_february_2022_is_the_series_peak(con: duckdb.DuckDBPyConnection) -> None:
    monthly = _monthly(con, "online = 'Y'")
    assert monthly["2022-02"] == 2_836
    assert max(monthly, key=monthly.get) == "2022-02"
    assert sorted(monthly.values())[-2] < 2_836


def test_fy2122_homicide_flags(con: duckdb.DuckDBPyConnection) -> None:
    homicides = f"category = 'homicide' and {_window(*FY2122)}"
    assert _count(con, f"{homicides} and organised_crime_group = 'Y'") == 7
    assert _count(con, f"{homicides} and domestic_abuse = 'Y'") == 14
    assert _count(con, f"{homicides} and drugs_related = 'Y'") == 25
    assert _count(con, f"{homicides} and alcohol_related = 'Y'") == 13
    assert _count(con, f"{homicides} and victim_age < 25") == 8


# --- shape of the series -------------------------------------------------------------------------------

def test_homicide_codes_are_the_individual_codes_mostly_murder(con: duckdb.DuckDBPyConnection) -> None:
    codes = dict(con.execute("select code, count(*) from counted where category = 'homicide' group by code").fetchall())
    assert set(codes) <= {"1", "4.1", "4.2", "4.10"}
    assert codes["1"] > 0.7 * sum(codes.values())
    monthly = _monthly(con, "category = 'homicide'")
    assert 4.0 <= sum(monthly.values()) / len(monthly) <= 5.0


def test_about_25000_crimes_a_month(con: duckdb.DuckDBPyConnection) -> None:
    monthly = _monthly(con, "true")
    assert len(monthly) == 60
    assert 23_500 <= sum(monthly.values()) / 60 <= 26_500


def test_covid_dip_in_acquisitive_crime(con: duckdb.DuckDBPyConnection) -> None:
    acquisitive = (
        "category in ('robbery', 'domestic_burglary', 'non_domestic_burglary', 'vehicle_offences', "
        "'theft_from_the_person', 'bicycle_theft', 'shoplifting', 'other_theft')"
    )
    monthly = _monthly(con, acquisitive)
    for month in ("2020-04", "2020-05"):
        before = monthly[month.replace("2020", "2019")]
        assert 0.60 <= monthly[month] / before <= 0.85, month
    # The January-February 2021 lockdown shows too.
    assert monthly["2021-01"] < 0.9 * monthly["2020-01"]
    assert monthly["2021-02"] < 0.9 * monthly["2020-02"]


def test_burglary_peaks_in_november_2018(con: duckdb.DuckDBPyConnection) -> None:
    monthly = _monthly(con, "category in ('domestic_burglary', 'non_domestic_burglary')")
    assert max(monthly, key=monthly.get) == "2018-11"
    assert monthly["2022-11"] < monthly["2018-11"] * 0.8


def test_robbery_peaks_in_october_2018(con: duckdb.DuckDBPyConnection) -> None:
    monthly = _monthly(con, "category = 'robbery'")
    assert max(monthly, key=monthly.get) == "2018-10"


def test_theft_of_a_motor_vehicle_highest_in_march_2022(con: duckdb.DuckDBPyConnection) -> None:
    monthly = _monthly(con, "subgroup = 'Theft of a motor vehicle'")
    assert max(monthly, key=monthly.get) == "2022-03"


def test_theft_from_the_person_february_2022_highest_for_three_years(con: duckdb.DuckDBPyConnection) -> None:
    monthly = _monthly(con, "category = 'theft_from_the_person'")
    since = {m: n for m, n in monthly.items() if m >= "2019-02"}
    assert max(since, key=since.get) == "2022-02"


def test_domestic_abuse_share_of_violence_against_the_person(con: duckdb.DuckDBPyConnection) -> None:
    for window in (BASELINE, FY2122):
        vap = f"offence_group = 'Violence against the person' and {_window(*window)}"
        share = _count(con, f"{vap} and domestic_abuse = 'Y'") / _count(con, vap)
        assert 0.15 <= share <= 0.20, window


# --- the record layout -------------------------------------------------------------------------------

def test_one_file_per_month_named_by_the_layout(full_extracts: tuple[Path, list[Path]]) -> None:
    out, paths = full_extracts
    assert len(paths) == 60
    assert paths[0].name == "west-midlands-crimes-2018-04.csv"
    assert paths[-1].name == "west-midlands-crimes-2023-03.csv"
    assert all(p.parent == out / "force" / "crimes" for p in paths)
    assert all(re.fullmatch(r"west-midlands-crimes-\d{4}-\d{2}\.csv", p.name) for p in paths)


def test_bom_header_and_crlf(full_extracts: tuple[Path, list[Path]]) -> None:
    _, paths = full_extracts
    for path in (paths[0], paths[35]):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
        assert data.endswith(b"\r\n")
        assert data.count(b"\n") == data.count(b"\r\n")
        assert b"\r\r" not in data
        # Standard CSV: every row has all fields, quoted only where needed.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert all(len(row) == 15 for row in rows)
        assert any("," in row[4] for row in rows[1:])


def test_crime_reference_unique_and_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    total, distinct, bad = con.execute(
        r"""
        select count(*), count(distinct crime_reference),
               count(*) filter (where not regexp_full_match(crime_reference, '\d{2}WM/\d{7}/\d{2}')
                                 or right(crime_reference, 2) <> strftime(recorded_date, '%y'))
        from crimes
        """
    ).fetchone()
    assert total == distinct
    assert bad == 0


def test_dates(con: duckdb.DuckDBPyConnection) -> None:
    total, after, outside, empty, within_30 = con.execute(
        """
        select count(*),
               count(*) filter (where committed_date > recorded_date),
               count(*) filter (where month <> file_month or recorded_date is null),
               count(*) filter (where committed_date is null),
               count(*) filter (where recorded_date - committed_date between 0 and 30)
        from crimes
        """
    ).fetchone()
    assert after == 0
    assert outside == 0
    assert 0.06 <= empty / total <= 0.10
    assert within_30 / (total - empty) > 0.85


def test_cancelled_rows_are_about_one_and_a_half_percent(con: duckdb.DuckDBPyConnection) -> None:
    recorded, cancelled, other = con.execute(
        """
        select count(*) filter (where status = 'RECORDED'), count(*) filter (where status = 'CANCELLED'),
               count(*) filter (where status not in ('RECORDED', 'CANCELLED'))
        from crimes
        """
    ).fetchone()
    assert other == 0
    assert 0.012 <= cancelled / recorded <= 0.018


def test_offence_codes_and_descriptions_come_from_the_classification(con: duckdb.DuckDBPyConnection) -> None:
    unknown, mismatched, fraud, outcome_only = con.execute(
        """
        select count(*) filter (where subgroup is null),
               count(*) filter (where offence_description is distinct from classified_description),
               count(*) filter (where offence_group = 'Fraud offences'),
               count(*) filter (where offence_description ilike '%outcome only%')
        from crimes
        """
    ).fetchone()
    assert (unknown, mismatched, fraud, outcome_only) == (0, 0, 0, 0)


def test_lsoas_come_from_the_force_area(con: duckdb.DuckDBPyConnection) -> None:
    total, empty, foreign, busiest_share = con.execute(
        f"""
        with area as (
            select "LSOA Code" as lsoa from read_csv('{LSOA_CSV}', header = true, all_varchar = true)
            where "Police_force" = 'West Midlands'
        ),
        per_lsoa as (select lsoa_code, count(*) as n from crimes where lsoa_code is not null group by 1)
        select
            (select count(*) from crimes),
            (select count(*) from crimes where lsoa_code is null),
            (select count(*) from crimes where lsoa_code is not null and lsoa_code not in (select lsoa from area)),
            (select sum(n) from (select n from per_lsoa order by n desc limit 84)) / (select sum(n) from per_lsoa)
        """
    ).fetchone()
    assert foreign == 0
    assert 0.01 <= empty / total <= 0.03
    # Uneven: the busiest 5% of LSOAs carry well over 5% of crime.
    assert busiest_share > 0.15


def test_victim_age_rules(con: duckdb.DuckDBPyConnection) -> None:
    no_victim, out_of_range, empty_share = con.execute(
        """
        select
            count(*) filter (where victim_age is not null and (
                offence_group in ('Drug offences', 'Possession of weapons offences', 'Public order offences',
                                  'Miscellaneous crimes')
                or subgroup in ('Shoplifting', 'Non-domestic burglary') or code = '34A')),
            count(*) filter (where victim_age not between 0 and 120),
            avg((victim_age is null)::int) filter (where subgroup in ('Violence with injury', 'Domestic burglary',
                                                                      'Theft from the person'))
        from crimes
        """
    ).fetchone()
    assert no_victim == 0
    assert out_of_range == 0
    assert 0.07 <= empty_share <= 0.13


def test_flags_are_y_n_or_empty(con: duckdb.DuckDBPyConnection) -> None:
    columns = (
        "domestic_abuse", "knife_or_sharp_instrument", "firearm", "online", "organised_crime_group",
        "drugs_related", "alcohol_related",
    )
    for column in columns:
        values = {v for (v,) in con.execute(f"select distinct {column} from crimes").fetchall()}
        assert values <= {"Y", "N", None}, column
        assert None in values, column
    firearm_share = _count(con, "firearm = 'Y'") / _count(con, "true")
    assert 0 < firearm_share < 0.01


# --- reproducibility, scale and other forces ---------------------------------------------------------

def test_same_arguments_give_identical_bytes(small_extracts: tuple[Path, list[Path]], tmp_path: Path) -> None:
    _, first_run = small_extracts
    # A fresh interpreter (new hash seed, nothing cached) must write the same bytes.
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "sample_data.crimes", "--out", str(tmp_path), "--scale", str(SMALL)],
        check=True, cwd=ROOT, env=env, capture_output=True,
    )
    second_run = sorted((tmp_path / "force" / "crimes").iterdir())
    assert [p.name for p in second_run] == [p.name for p in first_run]
    for a, b in zip(first_run, second_run, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_different_seed_gives_different_rows(tmp_path: Path, small_extracts: tuple[Path, list[Path]]) -> None:
    _, default = small_extracts
    other = write_crime_extracts(tmp_path, scale=SMALL, first_month="2019-01", last_month="2019-01", seed=1)
    assert other[0].read_bytes() != next(p for p in default if p.name == other[0].name).read_bytes()


def test_small_scale_keeps_proportions(small_extracts: tuple[Path, list[Path]]) -> None:
    out, paths = small_extracts
    con = duckdb.connect()
    _read_extracts(con, out / "force" / "crimes")
    monthly = _monthly(con, "true")
    assert len(paths) == 60
    assert 400 <= sum(monthly.values()) / len(monthly) <= 600
    assert abs(_count(con, f"{_window(*FY2122)}") - 327_000 * SMALL) <= 30
    assert abs(_count(con, f"online = 'Y' and {_window(*FY2122)}") - 29_500 * SMALL) <= 15


@pytest.mark.parametrize(
    ("slug", "initials", "lookup_name"),
    [
        ("cumbria", "CU", "Cumbria"),
        ("city-of-london", "CL", "City of London"),
        ("metropolitan", "ME", "Metropolitan Police"),
    ],
)
def test_another_force(tmp_path: Path, slug: str, initials: str, lookup_name: str) -> None:
    paths = write_crime_extracts(tmp_path, force_slug=slug, scale=SMALL, first_month="2021-01", last_month="2021-06")
    assert [p.name for p in paths] == [f"{slug}-crimes-2021-0{m}.csv" for m in range(1, 7)]
    con = duckdb.connect()
    _read_extracts(con, tmp_path / "force" / "crimes")
    total, located, foreign, bad_reference = con.execute(
        f"""
        with area as (
            select "LSOA Code" as lsoa from read_csv('{LSOA_CSV}', header = true, all_varchar = true)
            where "Police_force" = '{lookup_name}'
        )
        select count(*),
               count(lsoa_code),
               count(*) filter (where lsoa_code is not null and lsoa_code not in (select lsoa from area)),
               count(*) filter (where not regexp_full_match(crime_reference, '\\d{{2}}{initials}/\\d{{7}}/21'))
        from crimes
        """
    ).fetchone()
    assert total > 0
    assert located > 0.9 * total
    assert foreign == 0
    assert bad_reference == 0
    assert _count(con, "category is null") == 0


def test_force_outside_the_lsoa_lookup_still_generates(tmp_path: Path) -> None:
    # The lookup covers English forces only: a Welsh force gets crimes without an LSOA.
    paths = write_crime_extracts(tmp_path, force_slug="south-wales", scale=SMALL, first_month="2021-01",
                                 last_month="2021-01")
    with paths[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert all(row["lsoa_code"] == "" for row in rows)
    assert all(row["crime_reference"].endswith("/21") and "SW/" in row["crime_reference"] for row in rows)


def test_a_single_month_matches_the_same_month_of_a_full_run(
    tmp_path: Path, small_extracts: tuple[Path, list[Path]]
) -> None:
    _, full_run = small_extracts
    (single,) = write_crime_extracts(tmp_path, scale=SMALL, first_month="2020-11", last_month="2020-11")
    assert single.read_bytes() == next(p for p in full_run if p.name == single.name).read_bytes()


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown force"):
        write_crime_extracts(tmp_path, force_slug="gotham")
    with pytest.raises(ValueError, match="YYYY-MM"):
        write_crime_extracts(tmp_path, first_month="2018-4")
    with pytest.raises(ValueError, match="after"):
        write_crime_extracts(tmp_path, first_month="2020-01", last_month="2019-12")
