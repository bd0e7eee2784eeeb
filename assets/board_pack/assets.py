"""The board's documents for every quarter: the scorecard workbook and the draft statement.

`warehouse/`exports/scorecard-<YYYY>-Q<n>.xlsx`` and `statement-<YYYY>-Q<n>.md`, written from the
marts (layout in assets/board_pack/workbook.py, wording in statement.py, charts in charts.py).
Where the landing folder holds several forces, each gets its own files with the force slug in the
name; the force with the most data keeps the plain name the board paper refers to.
"""

import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset

from assets.board_pack.charts import trend_chart_png
from assets.board_pack.digests import MONTH_ROWS, NATIONAL_MEASURES_SQL, QUARTER_ROWS, document_digests
from assets.board_pack.documents import Document, write_all
from assets.board_pack.pending import pending_dir, settle_pending
from assets.board_pack.publication import freeze_documents
from assets.lib.resources import Exports, Warehouse

TREND_MEASURES = ("homicide", "robbery", "burglary", "violence_with_injury", "knife_crime")


def quarter_label(quarter_end: pd.Timestamp) -> str:
    return f"{quarter_end.year}-Q{(quarter_end.month - 1) // 3 + 1}"


def _frames(warehouse: Warehouse) -> dict[str, pd.DataFrame]:
    with warehouse.get_connection() as conn:
        return {name: conn.execute(sql).df() for name, sql in {
            "national": NATIONAL_MEASURES_SQL, **QUARTER_ROWS, **MONTH_ROWS,
            "baseline": "select * from core.national_baseline"}.items()}


def _split(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, pd.DataFrame]:
    """The frame's rows by key, split once (filtering the whole frame for every document took seconds)."""
    return {key: rows for key, rows in frame.groupby(keys, sort=False)}


class DocumentsConfig(Config):
    """Launchpad config of the board documents asset."""

    rewrite_all: bool = False  # rewrite every document, changed or not (e.g. after editing a template by hand)


@asset(group_name="marts", kinds={"excel", "python"}, owners=["team:performance-analysis"],
       # the tables _frames reads
       deps=[AssetKey(name) for name in ("national_measures", "pcp_scorecard", "measure_monthly",
                                         "measure_breakdowns", "measure_spc", "national_baseline", "dim_force",
                                         "dim_measure", "board_paper_figures", "kpi_assurance")],
       description="The board documents for every quarter: `exports/scorecard-<YYYY>-Q<n>.xlsx` (national measures, "
       "PCP KPIs with RAG status, trend charts, notes) and `exports/statement-<YYYY>-Q<n>.md` (one paragraph per "
       "measure, every number from the marts), and the same statement as `statement-<YYYY>-Q<n>.docx` (numbered "
       "paragraphs, ready to paste into the board paper). A document is rewritten only when its figures or the "
       "layout code changed (rewrite_all in the launchpad config rewrites them all). Documents are written to "
       "`exports/.pending/` and moved in by published_warehouse with the warehouse they were written from.")
def scorecard_workbooks(context: AssetExecutionContext, config: DocumentsConfig, warehouse: Warehouse,
                        exports: Exports) -> MaterializeResult:
    # an earlier run's documents are moved in if its warehouse was published, else thrown away
    settled = settle_pending(exports.path, Path(warehouse.published),
                             lambda quarter: freeze_documents(exports, quarter))
    if settled["moved"] or settled["discarded"]:
        context.log.info(f"earlier run's board documents: moved in {settled['moved']}, discarded "
                         f"{settled['discarded']} (their publication never happened)")
    frames = _frames(warehouse)
    national = frames["national"]
    if national.empty:
        return MaterializeResult(metadata={"workbooks": 0})
    main_force = national["force_code"].value_counts().idxmax()
    unchanged = 0
    fingerprints_path = exports.path / FINGERPRINTS
    previous = json.loads(fingerprints_path.read_text(encoding="utf-8")) if fingerprints_path.exists() else {}
    # what changed is written beside the published documents and moved in by the publication, with the warehouse
    pending = pending_dir(exports.path)
    fingerprints = {}
    with warehouse.get_connection() as conn:
        digests = document_digests(conn, _layout_version())
    by_quarter = {name: _split(frames[name], ["force_code", "quarter_end"]) for name in QUARTER_ROWS}
    by_force = {name: _split(frames[name], ["force_code"]) for name in MONTH_ROWS}
    documents = []
    for (force_code, quarter_end), measures in national.groupby(["force_code", "quarter_end"]):
        label = quarter_label(pd.Timestamp(quarter_end))
        suffix = "" if force_code == main_force else f"-{measures['slug'].iloc[0]}"
        workbook = exports.path / f"scorecard-{label}{suffix}.xlsx"
        statement = exports.path / f"statement-{label}{suffix}.md"
        # rewritten only when its figures (or the layout code) changed: a run that loads one month
        # does not rewrite every force's every quarter
        fingerprint = digests[(force_code, pd.Timestamp(quarter_end).date())]
        fingerprints[workbook.name] = fingerprint
        if (not config.rewrite_all and previous.get(workbook.name) == fingerprint and workbook.exists()
                and statement.exists() and statement.with_suffix(".docx").exists()):
            unchanged += 1
            continue
        window_end = pd.to_datetime(measures["window_end"]).max()
        monthly, spc = (rows[pd.to_datetime(rows["month"]) <= window_end] for rows in
                        (by_force[name].get((force_code,), frames[name].iloc[:0]) for name in ("monthly", "spc")))
        documents.append(Document(
            pending / workbook.name, pending / statement.name, f"{measures['force_name'].iloc[0]}: statement, {label}",
            pd.Timestamp(quarter_end).to_pydatetime().replace(hour=0, minute=0, second=0, microsecond=0),
            measures, {name: rows.get((force_code, quarter_end), frames[name].iloc[:0])
                       for name, rows in by_quarter.items()}, monthly, spc, date.today()))
    pending.mkdir(parents=True, exist_ok=True)
    written = write_all(documents)
    (pending / FINGERPRINTS).write_text(json.dumps(fingerprints, indent=1, sort_keys=True), encoding="utf-8")
    latest = national[national["force_code"] == main_force]["quarter_end"].max()
    main_monthly = frames["monthly"][frames["monthly"]["force_code"] == main_force]
    latest_label = quarter_label(pd.Timestamp(latest))
    return MaterializeResult(metadata={
        "workbooks": len(written),
        "workbooks_unchanged": unchanged,
        "written": MetadataValue.json(written),
        "latest_workbook": MetadataValue.path(str(exports.path / f"scorecard-{latest_label}.xlsx")),
        "latest_statement": MetadataValue.md(next(
            path for path in (pending / f"statement-{latest_label}.md", exports.path / f"statement-{latest_label}.md")
            if path.exists()).read_text(encoding="utf-8")),
        "trend": png_metadata(trend_chart_png(main_monthly, TREND_MEASURES, f"Monthly trend, {main_force}",
                                              baseline=tuple(frames["baseline"].iloc[0]))),
    })


# per document, a digest of the mart rows it is written from and of the code that lays it out (digests.py)
FINGERPRINTS = ".fingerprints.json"


def _layout_version() -> str:
    # the modules that lay the documents out and word them
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        if module.name not in ("assets.py", "publication.py", "__init__.py"):
            digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def png_metadata(png: bytes) -> MetadataValue:
    """A PNG the Dagster UI shows inline (markdown image with a data URI)."""
    import base64

    return MetadataValue.md(f"![trend](data:image/png;base64,{base64.b64encode(png).decode()})")
