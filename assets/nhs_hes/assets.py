"""NHS Hospital Episode Statistics: admissions for assault by a sharp object, by month, force area
and age group, from the NHS Digital workbooks (SOURCES.md)."""

from assets.lib.file_sources import FileSource, file_source_assets
from assets.nhs_hes.parser import parse_hes_workbook

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

SOURCES = (HES_SHARP_OBJECT,)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
