"""Public sources through the pipeline into the warehouse, from the real published files."""

import csv
import shutil

import openpyxl
import pytest

from tests.conftest import (
    ONS_JUNE_2019,
    ONS_MARCH_2019,
    POPULATION,
    PRC,
    REPO,
    STOP_SEARCH,
    Pipeline,
    crime,
    write_extract,
)

WM = "E23000014"


def deliver(pipeline: Pipeline, source, folder: str, name: str | None = None):
    target = pipeline.landing / folder / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    pipeline = Pipeline(tmp_path_factory.mktemp("public"))
    deliver(pipeline, ONS_JUNE_2019, "ons/pfa-tables")
    deliver(pipeline, ONS_MARCH_2019, "ons/pfa-tables")
    deliver(pipeline, POPULATION, "ons/population")
    deliver(pipeline, PRC, "homeoffice")
    deliver(pipeline, STOP_SEARCH, "policeuk/2018-08")
    for month in ("2018-07", "2018-08", "2018-09"):  # puts the quarter ending September 2018 on the scorecards
        write_extract(pipeline.landing, month, [crime(f"{month}/1", f"{month}-03", "34B")])
    report = pipeline.run()
    assert report.problems == []
    return pipeline


def ons(pipeline, table, measure, area=WM, edition="2019-06-30"):
    return pipeline.query("select value from core.ons_pfa_values where edition_period_end = ? and table_id = ? "
                          "and measure = ? and area_code = ?", [edition, table, measure, area])


def test_ons_baseline_edition_from_the_real_file(public):
    assert ons(public, "P1", "Homicide") == [(53.0,)]
    assert ons(public, "P1", "Robbery") == [(8945.0,)]
    assert ons(public, "P1", "Burglary") == [(28675.0,)]
    assert ons(public, "P1", "Total recorded crime (excluding fraud)") == [(262558.0,)]
    assert ons(public, "P4", "Total of selected serious offences: Number of offences involving a knife") == [(3560.0,)]
    population = public.query("select value from core.ons_pfa_values where edition_period_end = '2019-06-30' "
                              "and table_id = 'P3' and area_code = ? and measure like 'Population%'", [WM])
    assert population == [(2916500.0,)]


def test_both_editions_load_with_regions_and_btp(public):
    editions = public.query("select edition_period_end, count(distinct table_id) from core.ons_pfa_values "
                            "group by 1 order by 1")
    assert [str(e) for e, _ in editions] == ["2019-03-31", "2019-06-30"]
    assert public.query("select distinct area_type from core.ons_pfa_values where area_code = 'E12000005'") == [
        ("region",)]
    assert public.query("select count(*) > 0 from core.ons_pfa_values where area_name = 'British Transport Police' "
                        "and area_code is null") == [(True,)]


def test_home_office_prc_matches_ons_year_ending_march_2018(public):
    total = public.query("select sum(offences) from core.fact_prc_offences where force_code = ? "
                         "and financial_year = '2017/18' and offence_group <> 'Fraud offences'", [WM])
    assert total == [(233393,)]
    assert public.query("select count(*) from core.fact_prc_offences where force_code is null and is_force") == [(0,)]


def test_population_of_the_force_area_from_local_authorities(public):
    # West Midlands (met county) at mid-2019, the sum of its seven local authorities
    assert public.query("select persons, local_authorities from core.force_population "
                        "where mid_year = 2019 and force_code = ?", [WM]) == [(2928592, 7)]


def test_real_stop_and_search_rows_get_london_months(public):
    rows = public.query("select month, count(*) from core.fact_stop_search group by 1")
    assert [(str(m), n) for m, n in rows] == [("2018-08-01", 1085)]


def test_baseline_falls_back_to_ons_when_records_start_later(tmp_path):
    pipeline = Pipeline(tmp_path)
    deliver(pipeline, ONS_JUNE_2019, "ons/pfa-tables")
    for month in ("2021-01", "2021-02", "2021-03"):
        write_extract(pipeline.landing, month, [crime(f"{month}/1", f"{month}-05", "1")])
    assert pipeline.run().problems == []
    row = pipeline.query("select value, baseline_value, source, quality_flags from marts.national_measures "
                         "where measure_id = 'homicide' and quarter_end = '2021-03-31'")
    assert row == [(3.0, 53.0, "Force recorded crime; baseline: ONS PFA data tables, year ending June 2019",
                    "months_missing=9")]


def test_reconciliation_sets_own_baseline_beside_ons(tmp_path):
    pipeline = Pipeline(tmp_path)
    deliver(pipeline, ONS_JUNE_2019, "ons/pfa-tables")
    for number in range(12):
        year, month = (2018, 7 + number) if number < 6 else (2019, number - 5)
        key = f"{year}-{month:02d}"
        write_extract(pipeline.landing, key,
                      [crime(f"{key}/1", f"{key}-05", "1"), crime(f"{key}/2", f"{key}-06", "34B")])
    assert pipeline.run().problems == []
    rows = pipeline.query("select measure_id, force_computed, ons_published, difference from marts"
                          ".baseline_reconciliation where force_code = ? and measure_id in ('homicide', 'robbery')",
                          [WM])
    assert sorted(rows) == [("homicide", 12.0, 53.0, -41.0), ("robbery", 12.0, 8945.0, -8933.0)]


def test_england_and_wales_change_from_a_later_edition(tmp_path):
    pipeline = Pipeline(tmp_path)
    deliver(pipeline, ONS_JUNE_2019, "ons/pfa-tables")
    # a later edition: the real workbook re-titled to the year ending March 2021, E&W homicide set to 700
    later = openpyxl.load_workbook(ONS_JUNE_2019)
    for sheet in later.worksheets:
        title = sheet["A1"].value
        if isinstance(title, str):
            sheet["A1"] = title.replace("year ending June 2019", "year ending March 2021")
    p1 = later["Table P1"]
    homicide_column = next(c.column for c in p1[5] if c.value == "Homicide")
    england_wales_row = next(c.row for c in p1["A"] if c.value == "K04000001")
    p1.cell(england_wales_row, homicide_column, 700)
    later.save(pipeline.landing / "ons" / "pfa-tables" / "later-edition.xlsx")
    for month in ("2021-01", "2021-02", "2021-03"):
        write_extract(pipeline.landing, month, [crime(f"{month}/1", f"{month}-05", "1")])
    assert pipeline.run().problems == []
    row = pipeline.query("select england_wales_pct_change, england_wales_source from marts.national_measures "
                         "where measure_id = 'homicide' and quarter_end = '2021-03-31'")
    assert row[0][0] == pytest.approx(100 * (700 - 681) / 681)
    assert row[0][1] == "ONS PFA data tables, year ending March 2021 against year ending June 2019"


def test_broken_workbook_rejected_naming_file_and_sheet_and_keeping_data(tmp_path):
    pipeline = Pipeline(tmp_path)
    deliver(pipeline, ONS_JUNE_2019, "ons/pfa-tables")
    assert pipeline.run().problems == []
    before = pipeline.table_checksums()
    broken = openpyxl.load_workbook(ONS_MARCH_2019)
    p1 = next(sheet for sheet in broken.worksheets if sheet.title.strip() == "Table P1")  # published as 'Table P1 '
    header = next(cell for cell in p1["A"] if cell.value == "Area Code")
    header.value = "Area"  # the header cell the parser finds the table by
    broken.save(pipeline.landing / "ons" / "pfa-tables" / "policeforceareatablesyeendingmarch2019.xlsx")
    report = pipeline.run()
    message = "\n".join(report.problems)
    assert "policeforceareatablesyeendingmarch2019.xlsx" in message and "Table P1" in message
    assert pipeline.table_checksums() == before
    assert list((pipeline.landing / "_quarantine").rglob("*.xlsx"))


def test_stop_and_search_kpis_on_the_real_rows(public):
    # computed here from the published file with the csv module: positive = any recorded outcome
    # other than no further action; find rate = outcome linked to the object searched for
    with STOP_SEARCH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with_outcome = [r for r in rows if r["Outcome"].strip()]
    positive = [r for r in with_outcome if r["Outcome"] not in ("A no further action disposal",
                                                                 "Nothing found - no further action")]
    drugs = [r for r in rows if r["Object of search"] == "Controlled drugs"]
    drugs_linked = [r for r in drugs if r["Outcome linked to object of search"] in ("True", "False")]
    section_60 = [r for r in rows if r["Legislation"] == "Criminal Justice and Public Order Act 1994 (section 60)"]
    scored = {r[0]: r[1] for r in public.query(
        "select kpi_id, value from marts.pcp_scorecard where force_code = ? and quarter_end = '2018-09-30'", [WM])}
    assert scored["stop_search_positive_outcome_rate"] == pytest.approx(100 * len(positive) / len(with_outcome))
    # the link is blank for most drug searches: no find rate (blanks are unknown, not "not found"),
    # and the coverage in its flags
    assert scored["find_rate_drugs"] is None
    assert len(drugs_linked) < 0.95 * len(drugs)
    assert public.query("select status, quality_flags from marts.pcp_scorecard where force_code = ? and "
                        "quarter_end = '2018-09-30' and kpi_id = 'find_rate_drugs'", [WM]) == [
        ("no_data", f"months_missing=11; link recorded for {len(drugs_linked)} of {len(drugs)} drug searches")]
    assert scored["section_60_searches"] == len(section_60)
    assert len(with_outcome) > 1000 and len(drugs) > 100  # the real month, not a vacuous match


def test_a_landed_table_takes_a_column_its_source_gained(tmp_path):
    """A warehouse whose landed.census_ethnicity predates census_year: the next delivery loads, the new column
    added, the rows already landed keeping it empty (unknown, not guessed)."""
    import duckdb

    from assets.lib.resources import working_copy_of

    pipeline = Pipeline(tmp_path)
    working = working_copy_of(pipeline.warehouse_path)
    working.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(working)) as conn:
        conn.execute("create schema landed")
        conn.execute("create table landed.census_ethnicity (la_code varchar, la_name varchar, ethnic_group_20 "
                     "varchar, ethnic_group varchar, persons bigint, source_file varchar, source_row integer)")
        conn.execute("insert into landed.census_ethnicity values ('E06000019', 'Herefordshire, County of', "
                     "'White: Irish', 'White', 709, 'an-earlier-file.csv', 2)")
    census = pipeline.landing / "ons" / "census"
    census.mkdir(parents=True)
    shutil.copyfile(REPO / "sample_data" / "real" / "ons-census" / "census2011-ks201ew-ethnic-group-by-la.subset30.csv",
                    census / "census2011-ks201ew.csv")
    report = pipeline.run()
    assert report.problems == []
    rows = pipeline.query("select source_file, census_year, count(*) from landed.census_ethnicity group by all "
                          "order by all")
    assert rows == [("an-earlier-file.csv", None, 1), ("census2011-ks201ew.csv", 2011, 540)]
    assert pipeline.query("select persons from core.census_ethnicity_by_force where census_year = 2011 and "
                          "force_code = 'E23000014' and ethnic_group = 'Black'") == [(164_069,)]
