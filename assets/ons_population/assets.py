"""ONS mid-year population estimates and Census 2021 ethnic groups (SOURCES.md): the denominators of
rates per resident and of the stop-and-search ratios."""

from assets.lib.file_sources import FileSource, file_source_assets
from assets.ons_population.census import read_census_ethnicity
from assets.ons_population.parser import read_mye_persons

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
)

CENSUS_ETHNICITY = FileSource(
    name="census_ethnicity",
    globs=("ons/census/*.csv",),
    read=read_census_ethnicity,
    columns={"la_code": "varchar", "la_name": "varchar", "ethnic_group_20": "varchar", "ethnic_group": "varchar",
             "persons": "bigint", "census_year": "integer"},
    models=("census_ethnicity_by_force",),
    coverage=("la_code",),
    description="core.census_ethnicity_by_force: Census population (2011 from the Nomis KS201EW file, 2021 from "
    "the ONS custom dataset or the Nomis TS021 bulk file, census2021-ts021-ltla.csv) per force area in the five "
    "ethnic groups used for stop and search.",
)

SOURCES = (ONS_POPULATION, CENSUS_ETHNICITY)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
