"""The public and partner sources, each parsed as its publisher ships it (SOURCES.md)."""

from dagster import AssetKey

from assets.file_sources import FileSource, file_source_assets
from assets.parsers.census_ethnicity import read_census_ethnicity
from assets.parsers.hes import parse_hes_workbook
from assets.parsers.homeoffice_prc import read_prc_pfa
from assets.parsers.ons_pfa import read_ons_pfa_workbook
from assets.parsers.ons_population import read_mye_persons
from assets.parsers.policeuk import parse_file_name, parse_stop_and_search, parse_street_crime

DIMENSIONS = (AssetKey("dim_force"), AssetKey("dim_geography"))


def identify_policeuk(kind: str):
    """(force code, month) of a data.police.uk archive file, from its name: a delivered month with no
    rows (no searches that month) is still a delivered month."""

    def identify(path):
        month, _, force_code = parse_file_name(path, kind)
        return force_code, month.isoformat()

    return identify

ONS_PFA_TABLES = FileSource(
    name="ons_pfa_tables",
    globs=("ons/pfa-tables/*.xlsx",),
    read=read_ons_pfa_workbook,
    columns={"edition_period_end": "date", "table_id": "varchar", "area_code": "varchar", "area_name": "varchar",
             "area_type": "varchar", "measure": "varchar", "value": "double", "marker": "varchar"},
    models=("ons_pfa_values",),
    coverage=("table_id",),
    description="core.ons_pfa_values: every cell of every ONS Police Force Area data table, every edition "
    "(the year-ending-June-2019 edition is the national baseline).",
)

HES_SHARP_OBJECT = FileSource(
    name="hes_sharp_object",
    globs=("nhs/hes-sharp-object/*.xlsx",),
    read=parse_hes_workbook,
    columns={"month": "date", "force_code": "varchar", "area_name": "varchar", "age_group": "varchar",
             "episodes": "integer", "suppressed": "boolean", "workbook": "varchar", "financial_year": "varchar",
             "is_restatement": "boolean"},
    models=("fact_hes_admissions",),
    coverage=("month", "force_code"),
    description="core.fact_hes_admissions: NHS HES admission episodes for assault by a sharp object by month, "
    "force area and age group; restatements resolved to the latest workbook, suppression kept.",
)

PRC_OPEN_DATA = FileSource(
    name="prc_open_data",
    globs=("homeoffice/prc-pfa-*.csv", "homeoffice/prc-pfa-*.xlsx", "homeoffice/prc-pfa-*.ods"),
    read=read_prc_pfa,
    columns={"financial_year": "varchar", "financial_quarter": "integer", "quarter_start": "date",
             "force_name": "varchar", "offence_code": "varchar", "offence_description": "varchar",
             "offence_group": "varchar", "offence_subgroup": "varchar", "offences": "integer", "is_force": "boolean"},
    models=("fact_prc_offences",),
    coverage=("financial_year", "financial_quarter", "force_name"),
    description="core.fact_prc_offences: Home Office police recorded crime open data, offences per force, "
    "financial quarter and offence code (non-geographic fraud bodies kept, without a force).",
    upstream=DIMENSIONS,
)

ONS_POPULATION = FileSource(
    name="ons_population",
    globs=("ons/population/*.xls", "ons/population/*.xlsx"),
    read=read_mye_persons,
    columns={"mid_year": "integer", "area_code": "varchar", "area_name": "varchar", "geography": "varchar",
             "age": "varchar", "persons": "bigint"},
    models=("population_by_age", "force_population"),
    coverage=("mid_year", "area_code"),
    description="core.population_by_age (ONS mid-year estimates, persons by single year of age, every area) and "
    "core.force_population (force areas, all ages and under 25, from local authorities).",
    upstream=DIMENSIONS,
)

CENSUS_ETHNICITY = FileSource(
    name="census_ethnicity",
    globs=("ons/census/*.csv",),
    read=read_census_ethnicity,
    columns={"la_code": "varchar", "la_name": "varchar", "ethnic_group_20": "varchar", "ethnic_group": "varchar",
             "persons": "bigint"},
    models=("census_ethnicity_by_force",),
    coverage=("la_code",),
    description="core.census_ethnicity_by_force: Census 2021 population per force area in the five ethnic "
    "groups used for stop and search.",
    upstream=DIMENSIONS,
)

STOP_AND_SEARCH = FileSource(
    name="stop_and_search",
    globs=("policeuk/*/*-stop-and-search.csv",),
    read=parse_stop_and_search,
    columns={"type": "varchar", "date": "varchar", "part_of_a_policing_operation": "boolean",
             "policing_operation": "varchar", "latitude": "double", "longitude": "double", "gender": "varchar",
             "age_range": "varchar", "self_defined_ethnicity": "varchar", "officer_defined_ethnicity": "varchar",
             "legislation": "varchar", "object_of_search": "varchar", "outcome": "varchar",
             "outcome_linked_to_object_of_search": "boolean", "removal_of_more_than_just_outer_clothing": "boolean",
             "searched_at": "timestamptz", "month": "date", "force_slug": "varchar", "force_code": "varchar",
             "file_month": "date", "ethnic_group": "varchar", "is_section_60": "boolean",
             "outcome_recorded": "boolean", "is_positive_outcome": "boolean"},
    models=("fact_stop_search",),
    description="core.fact_stop_search: data.police.uk stop and search records, months in Europe/London time.",
    upstream=DIMENSIONS,
    identify=identify_policeuk("stop-and-search"),
)

STREET_CRIME = FileSource(
    name="street_crime",
    globs=("policeuk/*/*-street.csv",),
    read=parse_street_crime,
    columns={"crime_id": "varchar", "month": "date", "reported_by": "varchar", "falls_within": "varchar",
             "longitude": "double", "latitude": "double", "location": "varchar", "lsoa_code": "varchar",
             "lsoa_name": "varchar", "crime_type": "varchar", "last_outcome_category": "varchar",
             "context": "varchar", "is_anti_social_behaviour": "boolean", "force_slug": "varchar",
             "force_code": "varchar", "file_month": "date", "lsoa_force_code": "varchar",
             "is_out_of_area": "boolean"},
    models=("fact_public_crime",),
    description="core.fact_public_crime: data.police.uk street-level crimes and anti-social behaviour, with "
    "crimes a force recorded outside its own area identified.",
    upstream=DIMENSIONS,
    identify=identify_policeuk("street"),
)

SOURCES = (ONS_PFA_TABLES, HES_SHARP_OBJECT, PRC_OPEN_DATA, ONS_POPULATION, CENSUS_ETHNICITY, STOP_AND_SEARCH,
           STREET_CRIME)

public_source_assets = [a for source in SOURCES for a in file_source_assets(source)]
