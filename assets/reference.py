"""Conformed dimensions: force, offence, geography, date, and the measure catalogue."""


from dagster import AssetCheckResult, MaterializeResult, asset, asset_check

from assets.reference_data import FORCES_CSV, LSOA_LOOKUP_CSV, OFFENCE_CLASSIFICATION_CSV
from assets.sql import build_table, create_staging_view, table_metadata
from pipelines.resources import Warehouse

GROUP = "warehouse"


def _set_reference_paths(conn) -> None:
    for name, path in {
        "forces_csv": FORCES_CSV,
        "offence_classification_csv": OFFENCE_CLASSIFICATION_CSV,
        "lsoa_lookup_csv": LSOA_LOOKUP_CSV,
    }.items():
        conn.execute(f"set variable {name} = ?", [str(path)])


def _build(warehouse: Warehouse, model: str, staging: tuple[str, ...] = ()) -> MaterializeResult:
    with warehouse.transaction() as conn:
        _set_reference_paths(conn)
        for view in staging:
            create_staging_view(conn, view)
        table = build_table(conn, model)
        return MaterializeResult(metadata=table_metadata(conn, table))


@asset(group_name=GROUP, description="Territorial forces of England and Wales plus BTP, keyed by ONS PFA code "
       "(reference/forces.csv).")
def dim_force(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_force", ("stg_forces",))


@asset(group_name=GROUP, description="Home Office offence classification from the PRC open data: code, "
       "description, subgroup, group; the combined homicide code expanded to 1, 4.1, 4.2, 4.10.")
def dim_offence(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_offence", ("stg_offence_classification",))


@asset(group_name=GROUP, deps=[dim_force], description="LSOA (2011) to local authority to force area.")
def dim_geography(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_geography", ("stg_lsoa_lookup",))


@asset(group_name=GROUP, description="Days 2010-2030 with calendar and financial (April-March) year and quarter.")
def dim_date(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_date")


@asset(group_name=GROUP, description="The national measures: name, priority, unit, polarity, source and lag.")
def dim_measure(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_measure")


@asset_check(asset=dim_force, description="43 territorial forces plus BTP, unique codes and slugs.")
def dim_force_complete(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        forces, codes, slugs, territorial = conn.execute(
            "select count(*), count(distinct force_code), count(distinct slug),"
            " count(*) filter (where not is_non_territorial) from core.dim_force"
        ).fetchone()
    return AssetCheckResult(
        passed=forces == codes == slugs == 44 and territorial == 43,
        metadata={"forces": forces, "territorial": territorial},
    )


@asset_check(asset=dim_offence, description="One row per offence code; homicide expanded to its four codes.")
def dim_offence_unique_codes(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, codes, homicide = conn.execute(
            "select count(*), count(distinct offence_code),"
            " count(*) filter (where offence_subgroup = 'Homicide') from core.dim_offence"
        ).fetchone()
    return AssetCheckResult(passed=rows == codes and homicide == 4,
                            metadata={"codes": codes, "homicide_codes": homicide})


@asset_check(asset=dim_geography, description="Every LSOA once; share of LSOAs with a force area.")
def dim_geography_unique_lsoas(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, lsoas, with_force = conn.execute(
            "select count(*), count(distinct lsoa_code), count(force_code) from core.dim_geography"
        ).fetchone()
    return AssetCheckResult(passed=rows == lsoas, metadata={"lsoas": lsoas, "lsoas_with_force": with_force})
