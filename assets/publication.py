"""Publication: freeze newly published quarters, then swap the checked working copy in for analysts."""

import shutil

from dagster import AssetKey, MaterializeResult, MetadataValue, asset

from assets.sql import build_table, table_metadata
from pipelines.resources import Exports, Warehouse

FROZEN_TABLES = ("national_measures", "pcp_scorecard")


@asset(
    group_name="marts",
    deps=[AssetKey(name) for name in ("national_measures", "measure_monthly", "measure_breakdowns", "pcp_scorecard",
                                      "baseline_reconciliation", "scorecard_workbooks")],
    description="The published warehouse analysts read (POLICING_WAREHOUSE_PATH): the run's working copy, "
    "swapped in atomically once every upstream check has passed. Each quarter is frozen the first time it "
    "is published (snapshots.*, exports/published/), and marts.restatements shows later changes beside it.",
)
def published_warehouse(warehouse: Warehouse, exports: Exports) -> MaterializeResult:
    with warehouse.transaction() as conn:
        conn.execute("create schema if not exists snapshots")
        frozen = {}
        for table in FROZEN_TABLES:
            conn.execute(f"create table if not exists snapshots.{table} as "
                         f"select cast(null as timestamp) as published_at, * from marts.{table} limit 0")
            frozen[table] = conn.execute(
                f"insert into snapshots.{table} select now(), current_table.* from marts.{table} as current_table "
                f"anti join (select distinct force_code, quarter_end from snapshots.{table}) using "
                "(force_code, quarter_end)").fetchone()[0]
        build_table(conn, "restatements")
        restated = conn.execute("select count(*) from marts.restatements").fetchone()[0]
        metadata = table_metadata(conn, "marts.national_measures")
    frozen_documents = _freeze_documents(exports)
    published = warehouse.publish()
    return MaterializeResult(metadata={
        "published": MetadataValue.path(str(published)),
        "rows_frozen": MetadataValue.json(frozen),
        "documents_frozen": MetadataValue.json(frozen_documents),
        "restated_figures": restated,
        "dagster/row_count": metadata["dagster/row_count"],
    })


def _freeze_documents(exports: Exports) -> list[str]:
    """The first workbook and statement written for a quarter are the board's: kept, never replaced."""
    frozen_dir = exports.path / "published"
    frozen_dir.mkdir(parents=True, exist_ok=True)
    frozen = []
    for document in sorted(exports.path.glob("*-Q[1-4].*")):
        target = frozen_dir / document.name
        if not target.exists():
            shutil.copyfile(document, target)
            frozen.append(document.name)
    return frozen
