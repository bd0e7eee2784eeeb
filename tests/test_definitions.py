"""What the Dagster UI shows: the asset graph by layer, descriptions, checks; and that it loads."""

import subprocess
import sys

from pipelines.definitions import defs
from tests.conftest import REPO


def test_assets_are_grouped_by_layer_and_described():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["crime_extracts"] == "ingest"
    assert groups["validated_crime_extracts"] == "validation"
    assert groups["fact_recorded_crime"] == "warehouse"
    assert groups["dim_offence"] == "warehouse"
    assert groups["national_measures"] == "marts"
    assert set(groups.values()) == {"ingest", "validation", "warehouse", "marts"}
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, key


def test_every_expectation_is_a_check_and_critical_ones_block():
    checks = {key.name: key for key in defs.resolve_asset_graph().asset_check_keys}
    assert {"recorded_date_is_a_date", "offence_code_known", "status_valid", "national_measures_grain",
            "fact_recorded_crime_unique_references"} <= set(checks)
    validated = next(a for a in defs.assets if a.key.to_user_string() == "validated_crime_extracts")
    specs = {spec.name: spec for spec in validated.check_specs}
    assert specs["recorded_date_is_a_date"].blocking
    assert not specs["lsoa_code_mostly_present"].blocking


def test_dagster_cli_validates_the_workspace():
    result = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lineage_comes_from_the_sql_models():
    # read off sql/marts/measure_breakdowns.sql and sql/core/fact_prc_offences.sql by hand
    graph = defs.resolve_asset_graph()
    from dagster import AssetKey

    def parents(name: str) -> set[str]:
        return {key.to_user_string() for key in graph.get(AssetKey(name)).parent_keys}

    assert parents("measure_breakdowns") == {"dim_offence", "fact_firearm_discharges", "fact_recorded_crime",
                                             "national_measures"}
    assert parents("fact_prc_offences") == {"dim_force", "validated_prc_open_data"}
    assert parents("national_measures") == {"dim_measure", "ons_pfa_values", "measure_counts", "reporting_quarters",
                                            "national_baseline"}
