"""ONS Police Force Area data tables, every edition as ONS publishes it (SOURCES.md): the
recorded-crime counts and rates per force that the national baseline and the force comparison read."""

from assets.lib.file_sources import FileSource, file_source_assets
from assets.ons_pfa.parser import read_ons_pfa_workbook

ONS_PFA_TABLES = FileSource(
    name="ons_pfa_tables",
    globs=("ons/pfa-tables/*.xlsx", "ons/pfa-tables/*.xls"),
    read=read_ons_pfa_workbook,
    columns={"edition_period_end": "date", "table_id": "varchar", "area_code": "varchar", "area_name": "varchar",
             "area_type": "varchar", "measure": "varchar", "value": "double", "marker": "varchar"},
    models=("ons_pfa_values",),
    coverage=("table_id",),
    # an edition is one file: the same edition under a second name would double every figure
    unique_across_files=("edition_period_end", "table_id"),
    description="core.ons_pfa_values: every cell of every ONS Police Force Area data table, every edition "
    "(the year-ending-June-2019 edition is the national baseline).",
)

SOURCES = (ONS_PFA_TABLES,)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
