"""Publication: freeze newly published quarters, then swap the checked working copy in for analysts."""

import calendar
import re
import shutil
from datetime import date

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from assets.board_pack.pending import new_token, record_publication, settle_pending, write_commit_record
from assets.lib.resources import Exports, Warehouse
from assets.lib.sql import build_table, table_columns, table_metadata

FROZEN_TABLES = ("national_measures", "pcp_scorecard")


# The run tag that makes a run a publication for the board: the quarterly schedule sets it to the
# quarter just closed; `bash run.sh publish <YYYY>-Q<n>` sets it for a named quarter. Other runs
# (ad hoc, backfills, sensors, partial loads) publish current figures and never freeze.
BOARD_QUARTER_TAG = "policing/quarter_end"


@asset(
    kinds={"duckdb"},
    owners=["team:data-engineering"],
    group_name="marts",
    deps=[AssetKey(name) for name in ("national_measures", "measure_monthly", "measure_breakdowns", "pcp_scorecard",
                                      "baseline_reconciliation", "measure_spc", "force_comparison",
                                      "scorecard_workbooks")],
    description="The published warehouse analysts read (POLICING_WAREHOUSE_PATH): the run's working copy, "
    "swapped in atomically once every upstream check has passed. A publication for the board (the quarterly "
    "schedule's run, or `bash run.sh publish <YYYY>-Q<n>`) also freezes that quarter (snapshots.*, "
    "exports/published/) when every measure's window for it is complete; marts.restatements shows later "
    "changes beside the frozen figures.",
)
def published_warehouse(context: AssetExecutionContext, warehouse: Warehouse, exports: Exports) -> MaterializeResult:
    board_quarter = context.run.tags.get(BOARD_QUARTER_TAG)
    token = new_token()
    with warehouse.transaction() as conn:
        record_publication(conn, token)
        conn.execute("create schema if not exists snapshots")
        for table in FROZEN_TABLES:
            conn.execute(f"create table if not exists snapshots.{table} as "
                         f"select cast(null as timestamp) as published_at, * from marts.{table} limit 0")
            # a column the mart gained since the first freeze (pcp_scorecard: baseline_low, baseline_high) is
            # added to the snapshot, empty for the quarters frozen before it; rows are then copied by name
            for name, kind, _ in table_columns(conn, f"marts.{table}"):
                conn.execute(f'alter table snapshots.{table} add column if not exists "{name}" {kind}')
        complete, incomplete = _quarter_completeness(conn, board_quarter) if board_quarter else ([], [])
        frozen = {}
        for table in FROZEN_TABLES:
            frozen[table] = conn.execute(
                f"insert into snapshots.{table} by name select now() as published_at, current_table.* "
                f"from marts.{table} as current_table "
                "where current_table.quarter_end = ?::date and list_contains(?::varchar[], current_table.force_code) "
                f"and not exists (select 1 from snapshots.{table} as frozen where frozen.force_code = "
                "current_table.force_code and frozen.quarter_end = current_table.quarter_end)",
                [board_quarter or "1900-01-01", complete]).fetchone()[0]
        build_table(conn, "restatements")
        restated = conn.execute("select count(*) from marts.restatements").fetchone()[0]
        metadata = table_metadata(conn, "marts.national_measures")
    if board_quarter and incomplete:
        context.log.warning(f"quarter ending {board_quarter} not frozen for {', '.join(incomplete)}: some measure "
                            "windows are incomplete (see quality_flags); current figures published only")
    # two-phase: the documents' commit record names the token the warehouse carries, then the warehouse is swapped
    # in, then the documents follow it (assets/board_pack/pending.py); a failure between them is settled by the
    # next run, so the documents never run ahead of the warehouse nor stay behind it
    write_commit_record(exports.path, token, board_quarter if board_quarter and complete and not incomplete else None)
    published = warehouse.publish()
    frozen_documents = settle_pending(exports.path, published, lambda quarter: freeze_documents(exports, quarter))[
        "frozen"]
    return MaterializeResult(metadata={
        "published": MetadataValue.path(str(published)),
        "board_quarter": board_quarter or "none (not a board publication: nothing frozen)",
        "forces_frozen": MetadataValue.json(complete),
        "forces_not_frozen_incomplete": MetadataValue.json(incomplete),
        "rows_frozen": MetadataValue.json(frozen),
        "documents_frozen": MetadataValue.json(frozen_documents),
        "restated_figures": restated,
        "dagster/row_count": metadata["dagster/row_count"],
    })


def _quarter_completeness(conn, quarter_end: str) -> tuple[list[str], list[str]]:
    """(forces whose every measure window for the quarter is complete, forces with an incomplete one),
    among the forces that deliver their own files."""
    rows = conn.execute(
        "select force_code, bool_and(months_missing = 0 and suppressed_months = 0) from marts.national_measures "
        "where quarter_end = ?::date and force_code in (select force_code from meta.loaded_files) "
        "group by force_code order by force_code", [quarter_end]).fetchall()
    return [code for code, ok in rows if ok], [code for code, ok in rows if not ok]


def quarter_end_of(label: str) -> str:
    """'2022-Q1' -> '2022-03-31', the form of the board-quarter tag."""
    match = re.fullmatch(r"(\d{4})-Q([1-4])", label.strip())
    if match is None:
        raise ValueError(f"quarter {label!r}: expected <YYYY>-Q<n>, e.g. 2022-Q1")
    year, number = int(match[1]), int(match[2])
    month = 3 * number
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def freeze_documents(exports: Exports, quarter_end: str) -> list[str]:
    """The board's workbook and statement for the quarter, kept as first published, never replaced."""
    end = date.fromisoformat(quarter_end)
    label = f"{end.year}-Q{(end.month - 1) // 3 + 1}"
    frozen_dir = exports.path / "published"
    frozen_dir.mkdir(parents=True, exist_ok=True)
    frozen = []
    for document in sorted(exports.path.glob(f"*-{label}*.*")):
        target = frozen_dir / document.name
        if document.is_file() and not target.exists():
            shutil.copyfile(document, target)
            frozen.append(document.name)
    return frozen
