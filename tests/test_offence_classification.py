"""core.dim_offence from every Home Office PRC classification delivered, not only the shipped 2017/18 table.

A code introduced after 2017/18 (8U, controlling or coercive behaviour, is not in the shipped table)
must be known once a PRC file of a later year has landed; a code no classification knows is still
rejected, naming the code and the row. Every expected value is typed by hand.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from assets.dimensions.assets import dim_offence
from assets.lib.resources import make_warehouse
from tests.conftest import crime, write_extract

SEED = "prc-pfa-mar2013-onwards-tables201718.csv"
WORKBOOK_1920 = "prc-pfa-mar2013-onwards-tables-201920.xlsx"
WORKBOOK_2021 = "prc-pfa-mar2013-onwards-tables-202021.ods"
OLD_1617 = "prc-pfa-mar2013-onwards-tables201617.csv"

VAP = "Violence against the person"

# (financial_year, quarter, offence_code, description, subgroup, group, file)
LANDED = [
    # a code the 2017/18 table does not have
    ("2019/20", 1, "8U", "Controlling or coercive behaviour", "Stalking and harassment", VAP, WORKBOOK_1920),
    ("2019/20", 2, "8U", "Controlling or coercive behaviour", "Stalking and harassment", VAP, WORKBOOK_1920),
    # a code of the 2017/18 table reworded later: the later wording wins
    ("2019/20", 1, "8R", "Malicious communications (reworded)", "Stalking and harassment", VAP, WORKBOOK_1920),
    # the same year re-published in a later workbook, loaded later, reworded again: that file wins
    ("2019/20", 4, "8R", "Malicious communications (2020/21 workbook)", "Stalking and harassment", VAP,
     WORKBOOK_2021),
    # an older year than the seed: the seed's 2017/18 wording wins
    ("2016/17", 4, "8L", "Harassment (2016/17 wording)", "Harassment", VAP, OLD_1617),
    # the combined homicide code, written with spaces, in a later year
    ("2019/20", 1, "1 / 4.1 / 4.10 / 4.2", "Homicide (2019/20)", "Homicide", VAP, WORKBOOK_1920),
    # an unlawful-driving code in a later year keeps the ONS subgroup
    ("2019/20", 1, "4.4", "Causing death or serious injury by dangerous driving", "Violence with injury", VAP,
     WORKBOOK_1920),
]
LOADED_AT = {OLD_1617: datetime(2024, 1, 1), WORKBOOK_1920: datetime(2024, 1, 2), WORKBOOK_2021: datetime(2024, 1, 3)}


def build_dim_offence(root: Path, landed: list[tuple] | None) -> dict[str, dict]:
    """Run the dim_offence asset on a throwaway warehouse; landed None means no PRC table at all."""
    warehouse = make_warehouse(root / "warehouse.duckdb")
    if landed is not None:
        with warehouse.transaction() as conn:
            conn.execute("create schema if not exists landed")
            conn.execute(
                "create table landed.prc_open_data (financial_year varchar, financial_quarter integer, "
                "quarter_start date, force_name varchar, offence_code varchar, offence_description varchar, "
                "offence_group varchar, offence_subgroup varchar, offences integer, is_force boolean, "
                "source_file varchar, source_row integer)")
            conn.executemany(
                "insert into landed.prc_open_data values (?, ?, null, 'West Midlands', ?, ?, ?, ?, 5, true, ?, ?)",
                [[year, quarter, code, description, group, subgroup, file, row]
                 for row, (year, quarter, code, description, subgroup, group, file) in enumerate(landed, start=2)])
            conn.execute("create table meta.loaded_files (source varchar, file_name varchar, force_code varchar, "
                         "period date, sha256 varchar, rows integer, loaded_at timestamp, run_id varchar)")
            conn.executemany("insert into meta.loaded_files values ('prc_open_data', ?, null, null, 'x', 1, ?, 'r')",
                             list(LOADED_AT.items()))
    dim_offence(warehouse=warehouse)
    with warehouse.get_connection() as conn:
        frame = conn.execute("select * from core.dim_offence").df()
    return {row["offence_code"]: row for row in frame.to_dict("records")}


@pytest.fixture(scope="module")
def offences(tmp_path_factory) -> dict[str, dict]:
    return build_dim_offence(tmp_path_factory.mktemp("dim_offence"), LANDED)


def test_code_introduced_after_2017_18_is_known_with_its_wording(offences):
    row = offences["8U"]
    assert (row["offence_description"], row["offence_subgroup"], row["offence_group"]) == (
        "Controlling or coercive behaviour", "Stalking and harassment", VAP)
    assert (row["classification_year"], row["classification_file"], row["source_code"]) == (
        "2019/20", WORKBOOK_1920, "8U")
    assert not row["is_knife_selected_offence"] and not row["is_fraud"] and not row["is_outcome_only"]


def test_latest_year_wording_wins_then_the_file_loaded_last(offences):
    assert offences["8R"]["offence_description"] == "Malicious communications (2020/21 workbook)"
    assert offences["8R"]["classification_file"] == WORKBOOK_2021
    # 2016/17 is older than the shipped 2017/18 table
    assert offences["8L"]["offence_description"] == "Harassment"
    assert offences["8L"]["offence_subgroup"] == "Stalking and harassment"
    assert (offences["8L"]["classification_year"], offences["8L"]["classification_file"]) == ("2017/18", SEED)
    # a code no later file lists keeps the seed's wording
    assert offences["34B"]["offence_description"] == "Robbery of personal property"
    assert offences["34B"]["classification_year"] == "2017/18"


def test_codes_stay_text_and_homicide_is_expanded(offences):
    homicide = {code: row for code, row in offences.items() if row["offence_subgroup"] == "Homicide"}
    assert sorted(homicide) == ["1", "4.1", "4.10", "4.2"]  # '4.10' is not '4.1'
    assert {row["offence_description"] for row in homicide.values()} == {"Homicide (2019/20)"}
    assert {row["source_code"] for row in homicide.values()} == {"1 / 4.1 / 4.10 / 4.2"}
    assert offences["4.10"]["is_knife_selected_offence"] and offences["4.1"]["is_knife_selected_offence"]
    assert offences["4.4"]["offence_subgroup"] == "Death or serious injury caused by unlawful driving"
    assert offences["4.4"]["classification_year"] == "2019/20"
    # the 134 codes of the 2017/18 table with homicide as four, plus 8U
    assert len(offences) == 136


def test_warehouse_without_prc_delivery_knows_the_2017_18_codes(tmp_path):
    offences = build_dim_offence(tmp_path, None)
    assert len(offences) == 135
    assert "8U" not in offences
    assert {(row["classification_year"], row["classification_file"]) for row in offences.values()} == {
        ("2017/18", SEED)}
    assert offences["4.10"]["offence_subgroup"] == "Homicide" and offences["AF"]["is_fraud"]
    assert offences["28A"]["is_outcome_only"]


# The real PRC CSV layout (header of reference/prc-pfa-mar2013-onwards-tables201718.csv, counts padded
# with spaces as published), a later year with the new code.
PRC_2019_20 = "".join(line + "\n" for line in [
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,"
    "Number of Offences",
    "2019/20,1,West Midlands,Controlling or coercive behaviour,Violence against the person,Stalking and harassment,"
    "8U, 412 ",
    "2019/20,1,West Midlands,Robbery of personal property,Robbery,Robbery of personal property,34B, 1204 ",
    "2019/20,2,West Midlands,Controlling or coercive behaviour,Violence against the person,Stalking and harassment,"
    "8U, 398 ",
])


def test_prc_file_delivered_with_the_extracts_makes_its_new_code_known(pipeline):
    prc = pipeline.landing / "homeoffice" / "prc-pfa-mar2013-onwards-tables-201920.csv"
    prc.parent.mkdir(parents=True)
    prc.write_text(PRC_2019_20, encoding="utf-8")
    write_extract(pipeline.landing, "2019-04", [
        crime("A/1", "2019-04-02", "8U"),
        crime("A/2", "2019-04-03", "34B"),
        crime("A/3", "2019-04-04", "8U"),
    ])
    write_extract(pipeline.landing, "2019-05", [
        crime("M/1", "2019-05-02", "8U"),
        crime("M/2", "2019-05-03", "8Z"),  # in no classification delivered
    ])
    report = pipeline.run()
    assert "2019-04" not in report.failed_months
    assert "west-midlands-crimes-2019-05.csv row 3, column 'ho_offence_code': '8Z'" in "\n".join(report.problems)

    assert pipeline.query("select offence_description, classification_year, classification_file "
                          "from core.dim_offence where offence_code = '8U'") == [
        ("Controlling or coercive behaviour", "2019/20", "prc-pfa-mar2013-onwards-tables-201920.csv")]
    assert pipeline.query("select month, offence_code, count(*) from core.fact_recorded_crime "
                          "group by all order by all") == [
        (datetime(2019, 4, 1).date(), "34B", 1), (datetime(2019, 4, 1).date(), "8U", 2)]
    # the month with the unknown code is rejected whole, the code and its row named
    assert not (pipeline.landing / "force" / "crimes" / "west-midlands-crimes-2019-05.csv").exists()
    quarantined = list((pipeline.landing / "_quarantine").rglob("west-midlands-crimes-2019-05.csv"))
    assert len(quarantined) == 1
    reason = quarantined[0].with_name(quarantined[0].name + ".reason.txt").read_text()
    assert "west-midlands-crimes-2019-05.csv row 3" in reason and "'8Z'" in reason
    assert "8U" not in reason
