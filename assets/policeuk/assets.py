"""data.police.uk monthly archive files (SOURCES.md): street-level crime and anti-social behaviour,
and stop and search, every vintage of their layouts."""

from assets.lib.file_sources import FileSource, file_source_assets
from assets.policeuk.parser import parse_file_name, parse_stop_and_search, parse_street_crime


def identify_policeuk(kind: str):
    """(force code, month) of a data.police.uk archive file, from its name: a delivered month with no
    rows (no searches that month) is still a delivered month."""

    def identify(path):
        month, _, force_code = parse_file_name(path, kind)
        return force_code, month.isoformat()

    return identify


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
             "force_code": "varchar", "file_month": "date"},
    models=("fact_public_crime",),
    description="core.fact_public_crime: data.police.uk street-level crimes and anti-social behaviour, with "
    "crimes a force recorded outside its own area identified.",
    identify=identify_policeuk("street"),
)

SOURCES = (STOP_AND_SEARCH, STREET_CRIME)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
