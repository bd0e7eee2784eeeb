"""Home Office police recorded crime open data tables by force area (SOURCES.md): offences per force
and quarter, and the offence classification each edition carries."""

from assets.homeoffice_prc.parser import read_prc_pfa
from assets.lib.file_sources import FileSource, file_source_assets

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
)

SOURCES = (PRC_OPEN_DATA,)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
