"""Shared test helpers: throwaway warehouses and landing folders, hand-made crime extracts."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from assets.lib.resources import Exports, LandingFolder, make_warehouse
from assets.recorded_crime.parser import RECORDED_CRIME_COLUMNS
from pipelines.main import RunReport, run_pipeline

REPO = Path(__file__).resolve().parents[1]

# real publications bundled with the sample (sample_data/real, from ../shared/data/real) and the
# Home Office classification shipped under reference/
REAL = REPO / "sample_data" / "real"
ONS_JUNE_2019 = REAL / "ons-pfa-tables" / "policeforceareatablesyearendingjune2019.xlsx"
ONS_MARCH_2019 = REAL / "ons-pfa-tables" / "policeforceareatablesyeendingmarch2019.xlsx"
POPULATION = REAL / "ons-population" / "ukmidyearestimates20192019ladcodes.xls"
PRC = REPO / "reference" / "prc-pfa-mar2013-onwards-tables201718.csv"
STOP_SEARCH = REAL / "policeuk" / "2018-08-west-midlands-stop-and-search.csv"
STREET = REAL / "policeuk" / "2018-08-warwickshire-street.subset20.csv"


def build_geography(con: duckdb.DuckDBPyConnection) -> None:
    """core.dim_force, dim_local_authority and dim_geography from the shipped reference files, built as the
    pipeline builds them."""
    from assets.dimensions.assets import GEOGRAPHY_STAGING, LAD_STAGING, _set_reference_paths
    from assets.lib.sql import build_table, create_staging_view

    con.execute("create schema if not exists core")
    _set_reference_paths(con)
    for view in ("stg_forces", *LAD_STAGING, *GEOGRAPHY_STAGING):
        create_staging_view(con, view)
    for model in ("dim_force", "dim_local_authority", "dim_geography"):
        build_table(con, model)


def crime(ref: str, recorded: str, code: str, **fields: str) -> dict[str, str]:
    """One crime extract row; flags default to N, status to RECORDED."""
    row = {c: "" for c in RECORDED_CRIME_COLUMNS}
    row.update(crime_reference=ref, recorded_date=recorded, ho_offence_code=code,
               offence_description=f"offence {code}", lsoa_code="E01009450", victim_age="30", status="RECORDED")
    for flag in ("domestic_abuse", "knife_or_sharp_instrument", "firearm", "online", "organised_crime_group",
                 "drugs_related", "alcohol_related"):
        row[flag] = "N"
    row.update(fields)
    return row


def write_extract(landing: Path, month: str, rows: list[dict[str, str]], force: str = "west-midlands",
                  columns: tuple[str, ...] = RECORDED_CRIME_COLUMNS) -> Path:
    path = landing / "force" / "crimes" / f"{force}-crimes-{month}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def deliver_months(landing: Path, months: tuple[str, ...], rows: int) -> None:
    """A crime extract for each month: `rows` robberies (34B) recorded on days 1 to 28 of the month."""
    for month in months:
        write_extract(landing, month,
                      [crime(f"{month}/{n}", f"{month}-{n % 28 + 1:02d}", "34B") for n in range(rows)])


class Pipeline:
    """A warehouse and landing folder in tmp, and the real graph run over them."""

    def __init__(self, root: Path) -> None:
        self.landing = root / "landing"
        self.landing.mkdir(parents=True, exist_ok=True)
        self.warehouse_path = root / "warehouse.duckdb"
        self.instance = DagsterInstance.ephemeral()
        self.exports = root / "exports"
        self.resources = {"warehouse": make_warehouse(self.warehouse_path),
                          "landing": LandingFolder(root=str(self.landing)),
                          "exports": Exports(root=str(self.exports))}

    def run(self, months: list[str] | None = None, board_quarter: str | None = None) -> RunReport:
        """The main job; with board_quarter ('2021-03-31') a publication for the board, which freezes it."""
        return run_pipeline(self.resources, self.instance, months, say=lambda _: None, board_quarter=board_quarter)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Query the published warehouse, as an analyst would."""
        with duckdb.connect(str(self.warehouse_path), read_only=True) as conn:
            return conn.execute(sql, params or []).fetchall()

    def table_checksums(self) -> dict[str, str]:
        """A fingerprint of every table's full contents, to prove a run changed nothing."""
        sums = {}
        with duckdb.connect(str(self.warehouse_path), read_only=True) as conn:
            tables = conn.execute(
                "select schema_name || '.' || table_name from duckdb_tables() order by 1").fetchall()
            for (table,) in tables:
                if table == "meta.publication":  # the publication's own token and time: new with every publication
                    continue
                rows = conn.execute(f"select * from {table}").fetchall()
                text = "\n".join(sorted(repr(r) for r in rows))
                sums[table] = hashlib.sha256(text.encode()).hexdigest()
        return sums


@pytest.fixture(scope="session")
def calibrated(tmp_path_factory) -> Pipeline:
    """The whole bundled sample through the main job, once for the session: every module that checks a
    published figure reads this one warehouse (read only), so the heavy run is paid once."""
    from sample_data.generate import write_sample_landing

    pipeline = Pipeline(tmp_path_factory.mktemp("calibrated"))
    write_sample_landing(pipeline.landing)
    report = pipeline.run()
    assert report.problems == []
    return pipeline


@pytest.fixture
def pipeline(tmp_path: Path) -> Pipeline:
    return Pipeline(tmp_path)
