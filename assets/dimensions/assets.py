"""Conformed dimensions: force, offence, geography, date, and the measure catalogue."""


from dagster import AssetCheckResult, AssetKey, MaterializeResult, MetadataValue, asset, asset_check

from assets.homeoffice_prc.assets import PRC_OPEN_DATA
from assets.lib.file_sources import ensure_loaded_files
from assets.lib.reference_data import (
    FORCES_CSV,
    LAD_2022_CSV,
    LAD_CHANGES_CSV,
    LAD_CURRENT_CSV,
    LAD_PFA_LOOKUP_CSV,
    LSOA21_CSV,
    LSOA_LOOKUP_CSV,
    OFFENCE_CLASSIFICATION_CSV,
    PRIORITY_AREAS_CSV,
    WELSH_LSOA_CSV,
    read_board_paper_config,
)
from assets.lib.resources import Warehouse
from assets.lib.sql import CORE_TABLE, build_table, build_table_from, create_staging_view, sql_deps, table_metadata

GROUP = "warehouse"


def _set_reference_paths(conn) -> None:
    for name, path in {
        "forces_csv": FORCES_CSV,
        "offence_classification_csv": OFFENCE_CLASSIFICATION_CSV,
        "lsoa_lookup_csv": LSOA_LOOKUP_CSV,
        "lad_pfa_lookup_csv": LAD_PFA_LOOKUP_CSV,
        "lad_changes_csv": LAD_CHANGES_CSV,
        "lad_current_csv": LAD_CURRENT_CSV,
        "welsh_lsoa_csv": WELSH_LSOA_CSV,
        "lsoa21_csv": LSOA21_CSV,
        "lad_2022_csv": LAD_2022_CSV,
        "priority_areas_csv": PRIORITY_AREAS_CSV,
    }.items():
        conn.execute(f"set variable {name} = ?", [str(path)])


def _build(warehouse: Warehouse, model: str, staging: tuple[str, ...] = ()) -> MaterializeResult:
    with warehouse.transaction() as conn:
        _set_reference_paths(conn)
        for view in staging:
            create_staging_view(conn, view)
        table = build_table(conn, model)
        return MaterializeResult(metadata=table_metadata(conn, table))


@asset(group_name=GROUP, **CORE_TABLE,
       description="Territorial forces of England and Wales plus BTP, keyed by ONS PFA code "
       "(reference/forces.csv).")
def dim_force(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_force", ("stg_forces",))


def _ensure_prc_landed(conn) -> None:
    """The tables stg_offence_classification reads, empty if no PRC file has been loaded yet (dim_offence
    materialized alone on a fresh warehouse): the same definitions the prc_open_data assets create."""
    columns = ", ".join(f"{name} {kind}" for name, kind in PRC_OPEN_DATA.columns.items())
    conn.execute("create schema if not exists landed")
    conn.execute(f"create table if not exists {PRC_OPEN_DATA.landed_table} ({columns}, source_file varchar, "
                 "source_row integer)")
    conn.execute("create schema if not exists meta")
    ensure_loaded_files(conn)


# After fact_prc_offences: a PRC file delivered in the same run as crime extracts using a code it
# introduces is landed before the extracts are checked against this table. The PRC assets depend
# only on dim_force and dim_geography, so this makes no cycle.
@asset(group_name=GROUP, **CORE_TABLE, deps=[AssetKey(PRC_OPEN_DATA.asset_name)],
       description="Home Office offence classification from every PRC open-data classification delivered (the "
       "shipped 2017/18 table and every landed PRC file, any year): code, description, subgroup, group, the "
       "latest financial year's wording winning; the combined homicide code expanded to 1, 4.1, 4.2, 4.10.")
def dim_offence(warehouse: Warehouse) -> MaterializeResult:
    with warehouse.transaction() as conn:
        _set_reference_paths(conn)
        _ensure_prc_landed(conn)
        create_staging_view(conn, "stg_offence_classification")
        table = build_table(conn, "dim_offence")
        classifications = conn.execute(
            f"select classification_year || ' ' || classification_file, count(*) from {table} group by 1 order by 1"
        ).fetchall()
        return MaterializeResult(metadata={
            **table_metadata(conn, table),
            # codes per classification the wording came from, to see what a new PRC delivery brought
            "codes_by_classification": MetadataValue.json(dict(classifications)),
        })


LAD_STAGING = ("stg_lad_pfa_lookup", "stg_lad_changes", "stg_lad_current")


@asset(group_name=GROUP, **CORE_TABLE, deps=sql_deps("dim_local_authority"),
       description="Every local authority district code of England and Wales since 2009, old or current, with "
       "the district that holds it now and its police force area (ONS LAD to CSP to PFA lookup, district code "
       "changes to 2023).")
def dim_local_authority(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_local_authority", LAD_STAGING)


GEOGRAPHY_STAGING = ("stg_lsoa_lookup", "stg_lsoa_wales", "stg_lsoa21", "stg_lad_2022")


@asset(group_name=GROUP, **CORE_TABLE, deps=sql_deps("dim_geography"), description="Every 2011 and 2021 LSOA of "
       "England and Wales to MSOA, local authority (as coded then and now) and force area; in_2011 and in_2021 "
       "say which census's LSOAs each is (ONS list of Census 2021 LSOAs, reference/ons-lsoa21.csv).")
def dim_geography(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_geography", GEOGRAPHY_STAGING)


@asset(group_name=GROUP, **CORE_TABLE,
       description="Days 2010-2030 with calendar and financial (April-March) year and quarter.")
def dim_date(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_date")


@asset(group_name=GROUP, **CORE_TABLE,
       description="core.national_baseline: the national baseline period, the 12 months to June "
       "2019, written once (sql/core/national_baseline.sql) for every model and chart that compares with it.")
def national_baseline(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "national_baseline")


@asset(group_name=GROUP, **CORE_TABLE,
       description="The national measures: name, priority, unit, polarity, source and lag.")
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


@asset_check(asset=dim_local_authority, description="Every district code once with one force; the current "
             "districts are exactly the ONS 2023 list; all 43 territorial forces have a district.")
def dim_local_authority_complete(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, codes, without_force, current, forces = conn.execute(
            "select count(*), count(distinct la_code), count(*) filter (where force_code is null),"
            " count(*) filter (where is_current), count(distinct force_code) from core.dim_local_authority"
        ).fetchone()
        # a district current here but not in the ONS list, or the other way round, means a change
        # of district missing from reference/lad-changes.csv
        unmatched = conn.execute(
            "with listed as (select trim(areacd) as la_code from read_csv(?, header = true, all_varchar = true)"
            " where left(trim(areacd), 1) in ('E', 'W')),"
            " current as (select la_code from core.dim_local_authority where is_current)"
            " select count(*) from ((select * from listed except select * from current)"
            " union all (select * from current except select * from listed))",
            [str(LAD_CURRENT_CSV)],
        ).fetchone()[0]
    return AssetCheckResult(
        passed=rows == codes and without_force == 0 and unmatched == 0 and forces == 43,
        metadata={"codes": codes, "current": current, "without_force": without_force,
                  "not_matching_ons_2023_list": unmatched, "forces": forces},
    )


@asset_check(asset=dim_geography, description="Every LSOA once, every one with a local authority and a force area; "
             "every LSOA of the ONS 2021 list is there (one whose name matches no district is named).")
def dim_geography_unique_lsoas(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, lsoas, with_la, with_force, lsoas_2011, lsoas_2021 = conn.execute(
            "select count(*), count(distinct lsoa_code), count(la_code_current), count(force_code),"
            " count(*) filter (where in_2011), count(*) filter (where in_2021) from core.dim_geography"
        ).fetchone()
        listed_2021 = conn.execute(
            "select count(distinct trim(areacd)) from read_csv(?, header = true, all_varchar = true,"
            " delim = ',', quote = '\"')", [str(LSOA21_CSV)]).fetchone()[0]
        # a 2021 LSOA whose name matches no district is kept without one: named here, never dropped
        unmatched = [f"{code} {name}" for code, name in conn.execute(
            "select lsoa_code, lsoa_name from core.dim_geography where la_code_current is null or force_code is null"
            " order by lsoa_code limit 50").fetchall()]
    return AssetCheckResult(passed=rows == lsoas == with_la == with_force and lsoas_2021 == listed_2021,
                            metadata={"lsoas": lsoas, "lsoas_with_la": with_la, "lsoas_with_force": with_force,
                                      "lsoas_2011": lsoas_2011, "lsoas_2021": lsoas_2021,
                                      "lsoas_in_ons_2021_list": listed_2021,
                                      "lsoas_without_district_or_force": MetadataValue.json(unmatched)})


@asset(group_name=GROUP, **CORE_TABLE, deps=sql_deps("dim_priority_area"),
       description="The named areas a force's board reports on (reference/priority-areas.csv: impact areas, a "
       "city centre), one row per area and 2011 LSOA, with the LSOA's district and force area.")
def dim_priority_area(warehouse: Warehouse) -> MaterializeResult:
    return _build(warehouse, "dim_priority_area", ("stg_priority_areas",))


@asset_check(asset=dim_priority_area, blocking=True,
             description="Every LSOA of reference/priority-areas.csv is a 2011 LSOA of the lookup and lies in the "
             "area of the force the row names; each (force, area, LSOA) once.")
def dim_priority_area_lsoas_in_force(warehouse: Warehouse) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        rows, keys = conn.execute(
            "select count(*), count(distinct (force_code, area_name, lsoa_code)) from core.dim_priority_area"
        ).fetchone()
        bad = conn.execute(
            "select force_code, area_name, lsoa_code, case when not is_lsoa_known then 'not an LSOA of the lookup' "
            "else 'in the area of ' || lsoa_force_code end as problem from core.dim_priority_area "
            "where not is_lsoa_known or lsoa_force_code <> force_code order by all limit 20").fetchall()
    problems = [f"{force} {area} {lsoa}: {problem}" for force, area, lsoa, problem in bad]
    return AssetCheckResult(passed=not bad and rows == keys,
                            metadata={"rows": int(rows), "duplicate_rows": int(rows - keys),
                                      "problems": MetadataValue.json(problems)})


@asset(group_name=GROUP, **CORE_TABLE,
       description="core.board_paper_settings: the board paper's settings from reference/board_paper.toml "
       "(when the annual report reads the workforce, since when the neighbourhood officer increase counts, the "
       "priority areas the paper's shares use).")
def board_paper_settings(warehouse: Warehouse) -> MaterializeResult:
    import pandas as pd

    config = pd.DataFrame([read_board_paper_config()])
    with warehouse.transaction() as conn:
        table = build_table_from(conn, "board_paper_settings", {"board_paper_config": config})
        return MaterializeResult(metadata=table_metadata(conn, table))
