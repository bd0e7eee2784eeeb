"""Great Expectations suites (stored as JSON in expectations/) run over a landed DataFrame.

GX 1.x runs here, inside our own Dagster code, not through dagster-ge (built for GX < 1 and
pandas < 3). Each expectation carries in its `meta` the Dagster check name, a severity and the rule
in words; `critical` expectations become blocking asset checks, so a failure stops the load.
"""

from __future__ import annotations

import copy
import html
import json
import math
import re
import shutil
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue

SUITES_DIR = Path(__file__).resolve().parents[2] / "expectations"
# Great Expectations' plugins folder: custom_data_docs/styles holds the stylesheet the pages inline
DATA_DOCS_PLUGINS = SUITES_DIR / "data_docs"
# <link ...href="https://..."> and <script src="https://..."></script>: what a page would fetch from a CDN
_REMOTE_ASSET = re.compile(r"""<link\b[^>]*\bhref=["']https?://[^>]*>|<script\b[^>]*\bsrc=["']https?://[^>]*>\s*</script>""",
                           re.IGNORECASE)
INDEX_COLUMNS = ["source_file", "source_row"]
# GX's page views with their compiled templates kept for the process (assets/lib/data_docs_views.py)
_DATA_DOCS_VIEWS = {kind: {"module_name": "assets.lib.data_docs_views", "class_name": name}
                    for kind, name in (("page", "PageView"), ("index", "IndexPageView"))}
EXAMPLES_SHOWN = 5
# The Data Docs index links the newest this many validations (of every suite); older results move to
# .results-archive beside the store and their pages stay where they are (data_docs_views.IndexKeepingPages).
# GX lists and reads every stored result again whenever a validation updates the site, so a store that kept
# everything made each validation slower as the history grew (0.19 s with one result stored, 0.55 s with 200;
# about 2 ms a result listed).
DATA_DOCS_INDEX_RUNS = 50


@cache
def load_suite(name: str) -> dict[str, Any]:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def check_specs(suite_name: str, asset: str) -> list[AssetCheckSpec]:
    """One Dagster check per expectation; critical ones block downstream assets."""
    return [
        AssetCheckSpec(
            name=exp["meta"]["check_name"],
            asset=AssetKey(asset),
            description=exp["meta"]["rule"],
            blocking=exp["meta"]["severity"] == "critical",
        )
        for exp in load_suite(suite_name)["expectations"]
    ]


@dataclass
class ExpectationOutcome:
    check_name: str
    rule: str
    critical: bool
    success: bool
    element_count: int
    unexpected_count: int
    rows_failing_by_file: dict[str, int] = field(default_factory=dict)
    examples_by_file: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None

    @property
    def failing_files(self) -> list[str]:
        return sorted(self.rows_failing_by_file)

    def message(self, file: str | None = None) -> str:
        """The rule and the first failing rows (of one file, or of all)."""
        if self.success:
            return f"{self.check_name}: passed ({self.rule})"
        if self.error:
            return f"{self.check_name} could not run: {self.error}"
        files = [file] if file else self.failing_files
        examples = [e for name in files for e in self.examples_by_file.get(name, [])][:EXAMPLES_SHOWN]
        failing = sum(self.rows_failing_by_file.get(name, 0) for name in files) or self.unexpected_count
        more = failing - len(examples)
        tail = f"; and {more} more row(s)" if more > 0 else ""
        return f"{self.check_name} failed: {self.rule}. {'; '.join(examples)}{tail}"


def _describe(index_row: Mapping[str, Any], column: str | None) -> str:
    where = f"{index_row.get('source_file')} row {index_row.get('source_row')}"
    if column is None:
        return where
    value = index_row.get(column)
    if hasattr(value, "item"):  # a NumPy scalar reads as its value (2012), not np.int64(2012)
        value = value.item()
    shown = "empty" if value is None or (isinstance(value, float) and math.isnan(value)) else repr(value)
    return f"{where}, column '{column}': {shown}"


@dataclass(frozen=True)
class DuckDBTable:
    """A table (or view) of a DuckDB connection, validated where it is: GX's SQL engine runs every rule
    as a query on `conn`, and no row is copied into a DataFrame."""

    conn: duckdb.DuckDBPyConnection
    name: str  # "scratch.crime_extracts", or the name of a frame registered on conn

    def rows(self) -> int:
        return int(self.conn.execute(f"select count(*) from {self.name}").fetchone()[0])

    def text_columns(self) -> list[str]:
        return [row[0] for row in self.conn.execute(f"describe {self.name}").fetchall() if row[1] == "VARCHAR"]


# html.escape(value, quote=True) in SQL: & first, then < > " and '
_HTML_ESCAPE = ("replace(replace(replace(replace(replace({}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
                "'\"', '&quot;'), '''', '&#x27;')")


# the temporary views GX reads on the delivery's connection (dropped after each validation)
_DELIVERY_VIEW, _ESCAPED_VIEW = "gx_delivery", "gx_delivery_escaped"


def _temp_view(data: DuckDBTable, name: str, escaped: bool = False) -> str:
    """A temporary view of `data` on its connection, which is the one GX queries: GX names the table without a
    schema (`landed.`), and the view needs none. `escaped`: every text value HTML-escaped, for rendering pages
    of it."""
    columns = [f'{_HTML_ESCAPE.format(chr(34) + c + chr(34))} as "{c}"' for c in data.text_columns()] if escaped else []
    replace = f" replace ({', '.join(columns)})" if columns else ""
    data.conn.execute(f"create or replace temp view {name} as select *{replace} from {data.name}")
    return name


def _repeated_rows(data: DuckDBTable, columns: Sequence[str], shown: str | None) -> list[dict[str, Any]]:
    """The rows that break a uniqueness rule GX's SQL engine does not list: compound columns' (it counts them
    and returns a query instead) and a column's proportion of unique values (a measure of the whole table).
    Every row whose values of `columns` another row repeats, rows with all of them empty left out as GX
    leaves them out."""
    keys = ", ".join(f'"{c}"' for c in columns)
    picked = ", ".join(f'"{c}"' for c in dict.fromkeys([*INDEX_COLUMNS, *([shown] if shown else [])]))
    all_empty = " and ".join(f'"{c}" is null' for c in columns)
    cursor = data.conn.execute(f"select {picked} from {data.name} where not ({all_empty}) "
                               f"qualify count(*) over (partition by {keys}) > 1 order by source_file, source_row")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# the uniqueness rules whose failing rows _repeated_rows lists (on their column_list, or their column)
_UNIQUENESS_UNLISTED = {"expect_compound_columns_to_be_unique",
                        "expect_column_proportion_of_unique_values_to_be_between"}


def _raised(exception_info: Any) -> str | None:
    """The message of an exception GX caught while evaluating an expectation, if it caught one: its
    exception_info is one record, or (for a metric that failed) a record per metric."""
    if not isinstance(exception_info, dict):
        return None
    records = [exception_info, *(v for v in exception_info.values() if isinstance(v, dict))]
    return next((str(r.get("exception_message")) for r in records if r.get("raised_exception")), None)


def validate(
    data: pd.DataFrame | pa.Table | DuckDBTable,
    suite_name: str,
    parameters: Mapping[str, Any] | None = None,
    docs_dir: Path | None = None,
    run_name: str | None = None,
) -> list[ExpectationOutcome]:
    """Run a stored suite over rows that carry source_file and source_row columns: a frame, or a table of a
    DuckDB connection. Either way Great Expectations runs the rules as SQL in DuckDB (gx_duckdb).

    With `docs_dir`, every run is also rendered as Great Expectations Data Docs there, under
    `run_name`; the results are kept in docs_dir/.results so the site lists every run, not only the
    last (the newest page: `latest_docs_page`)."""
    if isinstance(data, DuckDBTable):
        try:
            return _validate_table(data, suite_name, parameters, docs_dir, run_name)
        finally:
            for view in (_DELIVERY_VIEW, _ESCAPED_VIEW):
                data.conn.execute(f"drop view if exists temp.{view}")
    with duckdb.connect() as conn:
        conn.register("delivery", data)
        return _validate_table(DuckDBTable(conn, "delivery"), suite_name, parameters, docs_dir, run_name)


def _validate_table(
    data: DuckDBTable,
    suite_name: str,
    parameters: Mapping[str, Any] | None,
    docs_dir: Path | None,
    run_name: str | None,
) -> list[ExpectationOutcome]:
    rows = data.rows()
    if not rows:
        # nothing delivered (every file unchanged): every rule holds over no rows, as Great Expectations
        # would say after a second or so of setting up a context per source
        return [ExpectationOutcome(check_name=e["meta"]["check_name"], rule=e["meta"]["rule"],
                                   critical=e["meta"]["severity"] == "critical", success=True, element_count=0,
                                   unexpected_count=0) for e in load_suite(suite_name)["expectations"]]
    import great_expectations as gx  # import costs seconds and 100 MB: only when validating
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    from assets.lib import gx_duckdb

    suite_json = load_suite(suite_name)
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(),
                               plugins_directory=str(DATA_DOCS_PLUGINS))
    started = time.time()
    actions = []
    if docs_dir is not None:
        config.stores["validation_results_store"] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir / ".results")},
        }
        config.data_docs_sites = {"policing": {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"module_name": "assets.lib.data_docs_views", "class_name": "IndexKeepingPages",
                                   "view": _DATA_DOCS_VIEWS["index"]},
            "site_section_builders": {section: {"view": _DATA_DOCS_VIEWS["page"]}
                                      for section in ("expectations", "validations", "profiling")},
        }}
        actions = [gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=["policing"])]
        # room for this validation's result among the newest the index lists
        archive_old_results(docs_dir, DATA_DOCS_INDEX_RUNS - 1)
    context = gx.get_context(project_config=config, mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_sql("landing", connection_string=gx_duckdb.URL,
                                          kwargs=gx_duckdb.engine_kwargs(data.conn))

    def batch_of(name: str, view: str):
        return source.add_table_asset(name=name, table_name=view).add_batch_definition_whole_table("whole_delivery")

    batch_definition = batch_of(suite_name, _temp_view(data, _DELIVERY_VIEW))
    expectation_parameters = dict(parameters or {})

    def run(name: str, suite: dict[str, Any], result_format: Any, batch: Any, docs: bool) -> list:
        definition = context.validation_definitions.add(gx.ValidationDefinition(
            name=name, data=batch, suite=context.suites.add(gx.ExpectationSuite(**copy.deepcopy(suite)))))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=name, validation_definitions=[definition], actions=actions if docs else [],
            result_format=result_format))
        result = checkpoint.run(expectation_parameters=expectation_parameters,
                                run_id=RunIdentifier(run_name=run_name or suite_name))
        return [item for run_result in result.run_results.values() for item in run_result.results]

    # A pass/fail run costs about half of one that lists failing rows; only the expectations that
    # failed are run again to name the files and rows. The pass/fail run shows no values, so its
    # Data Docs page is safe as it is.
    quick = run(suite_name, suite_json, "BOOLEAN_ONLY", batch_definition, docs=True)
    failed = {item.expectation_config.meta["check_name"] for item in quick if not item.success}
    results = [item for item in quick if item.success]
    if failed:
        detail_json = dict(suite_json, name=f"{suite_name}_failures",
                           expectations=[e for e in suite_json["expectations"] if e["meta"]["check_name"] in failed])
        # a rule on a derived column (recorded_month) names the delivered one (meta.shown_column)
        shown = sorted({e["meta"]["shown_column"] for e in detail_json["expectations"] if "shown_column" in e["meta"]})
        detail_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [*INDEX_COLUMNS, *shown]}
        # the reasons name the values as delivered; the failure page is rendered from an HTML-escaped
        # view, because Great Expectations writes failing values into its pages raw and a delivered
        # value such as <img onerror=...> would run in the browser of whoever opens them
        results += run(f"{suite_name}_failures", detail_json, detail_format, batch_definition, docs=False)
        if docs_dir is not None:
            # the checkpoint stores every result and the site renders every stored one: the raw result
            # must not stay in the store (nor a page of it from an earlier release)
            for kept in (docs_dir / ".results" / f"{suite_name}_failures",
                         docs_dir / "validations" / f"{suite_name}_failures"):
                shutil.rmtree(kept, ignore_errors=True)
            run(f"{suite_name}_failures_page", dict(detail_json, name=f"{suite_name}_failures_page"), detail_format,
                batch_of(f"{suite_name}_failures_page", _temp_view(data, _ESCAPED_VIEW, escaped=True)),
                docs=True)
    if docs_dir is not None:
        offline_pages(docs_dir, run_name or suite_name, since=started)
    outcomes = []
    for item in results:
        meta = item.expectation_config.meta
        kwargs = item.expectation_config.kwargs
        details = item.result or {}
        column = meta.get("shown_column") or kwargs.get("column") or kwargs.get("column_A")
        index_rows: Sequence[Mapping[str, Any]] = details.get("unexpected_index_list") or []
        raised = _raised(item.exception_info)
        if (not item.success and not raised and not index_rows
                and item.expectation_config.type in _UNIQUENESS_UNLISTED):
            index_rows = _repeated_rows(data, kwargs.get("column_list") or [kwargs["column"]], column)
        outcome = ExpectationOutcome(
            check_name=meta["check_name"],
            rule=meta["rule"],
            critical=meta["severity"] == "critical",
            success=bool(item.success),
            element_count=int(details.get("element_count") or rows),
            unexpected_count=int(details.get("unexpected_count") or len(index_rows)),
        )
        if raised:
            outcome.success = False
            outcome.error = raised
        for index_row in index_rows:
            name = str(index_row.get("source_file"))
            outcome.rows_failing_by_file[name] = outcome.rows_failing_by_file.get(name, 0) + 1
            examples = outcome.examples_by_file.setdefault(name, [])
            if len(examples) < EXAMPLES_SHOWN:
                examples.append(_describe(index_row, column))
        outcomes.append(outcome)
    return outcomes


def archive_old_results(docs_dir: Path, keep: int) -> list[Path]:
    """Move all but the newest `keep` stored validation results, by run time, from
    docs_dir/.results to docs_dir/.results-archive (same relative paths), so the index GX rebuilds after each
    validation lists a bounded number; their pages stay. A result is stored as
    <suite>/<run name>/<run time, e.g. 20261206T205501.233664Z>/<batch>.json. Returns the results moved."""
    store, archive = docs_dir / ".results", docs_dir / ".results-archive"
    results = sorted(store.glob("*/*/*/*.json"), key=lambda path: (path.parent.name, str(path)), reverse=True)
    moved = []
    for result in results[keep:]:
        target = archive / result.relative_to(store)
        target.parent.mkdir(parents=True, exist_ok=True)
        result.replace(target)
        moved.append(target)
        for folder in (result.parent, result.parent.parent):
            if not any(folder.iterdir()):
                folder.rmdir()
    return moved


def offline_pages(docs_dir: Path, run_name: str, since: float = 0.0) -> int:
    """Take the CDN stylesheets and scripts out of the Data Docs pages a validation named `run_name` wrote (since
    `since`, epoch seconds), so a page opens complete on a machine or network that cannot reach them: the
    project's stylesheet (expectations/data_docs) is inlined in each page instead. Only the index, the suites'
    pages and the run's own are looked at, not every page of the history. Returns the pages changed."""
    validations = docs_dir / "validations"
    pages = [docs_dir / "index.html", *(docs_dir / "expectations").rglob("*.html"),
             *(page for suite in (validations.iterdir() if validations.is_dir() else ())
               for page in (suite / run_name).rglob("*.html"))]
    changed = 0
    for page in pages:
        if not page.exists() or page.stat().st_mtime < since - 1:
            continue
        text = page.read_text(encoding="utf-8")
        offline = _REMOTE_ASSET.sub("", text)
        if offline != text:
            page.write_text(offline, encoding="utf-8")
            changed += 1
    return changed


def map_text(frame: pd.DataFrame, transform: Callable[[str], str]) -> pd.DataFrame:
    """A copy of the frame with `transform` applied to every text value (other values untouched): how a
    frame is made safe for a page (HTML-escaped) or a spreadsheet (formula text neutralised)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: transform(v) if isinstance(v, str) else v)
    return safe


def latest_docs_page(docs_dir: Path, suite_name: str) -> Path | None:
    """The Data Docs page of the latest validation of a suite, if any was rendered."""
    pages = sorted((docs_dir / "validations" / suite_name).rglob("*.html"), key=lambda p: p.stat().st_mtime)
    return pages[-1] if pages else None


def docs_metadata(docs_dir: Path, suite_name: str) -> dict[str, MetadataValue]:
    """Links to the Data Docs of a suite's latest validation, for the asset's metadata."""
    page = latest_docs_page(docs_dir, suite_name)
    if page is None:
        return {}
    # browsers will not open a file:// link from the UI's http:// page: the path is there to copy as well
    return {"data_docs": MetadataValue.url(page.as_uri()), "data_docs_index": MetadataValue.url(
        (docs_dir / "index.html").as_uri()), "data_docs_path": MetadataValue.path(str(page))}


def check_results(
    outcomes: Sequence[ExpectationOutcome], asset: str, quarantined: Collection[str] = ()
) -> list[AssetCheckResult]:
    """One check result per expectation.

    A critical failure blocks what follows (severity ERROR) unless every file that broke it was
    quarantined and its rows taken out of the asset's output: then what moves on passed, the check
    still shows the failure (severity WARN) and names the files, and the other files of the delivery
    load. One bad file is one rejected file, never a blocked source."""
    results = []
    for outcome in outcomes:
        # a table-level failure, or one that could not run, condemns every file (rejections_by_file)
        failing = set(outcome.failing_files) or {"*"}
        contained = not outcome.success and bool(quarantined) and (
            failing <= set(quarantined) or "*" in quarantined)
        severity = AssetCheckSeverity.ERROR if outcome.critical and not contained else AssetCheckSeverity.WARN
        description = outcome.message()
        if contained:
            named = ", ".join(sorted(failing - {"*"})) or "every file of the delivery"
            description += f" Quarantined (the rest of the delivery loaded): {named}."
        results.append(AssetCheckResult(
            asset_key=AssetKey(asset),
            check_name=outcome.check_name,
            passed=outcome.success,
            severity=severity,
            description=description,
            metadata={
                "rule": outcome.rule,
                "rows_checked": outcome.element_count,
                "rows_failing": outcome.unexpected_count,
                "rows_failing_by_file": MetadataValue.json(outcome.rows_failing_by_file),
                "files_quarantined": MetadataValue.json(sorted(set(quarantined) - {"*"})),
                **({} if outcome.success else {"failures": MetadataValue.md(failures_markdown(outcome))}),
            },
        ))
    return results


def _markdown_cell(text: object) -> str:
    # a delivered value must not break the table (|, line ends) nor be read as markup (<, >)
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def failures_markdown(outcome: ExpectationOutcome) -> str:
    """A failed expectation as a Markdown table for the check's page in the Dagster UI: each failing file, its
    rows failing and the first of them, so the data engineer need not open the Data Docs."""
    if outcome.error:
        return f"**{outcome.check_name}** could not run: {_markdown_cell(outcome.error)}"
    lines = ["| File | Rows failing | First failing rows |", "|---|---|---|"]
    for name in outcome.failing_files:
        examples = [e.removeprefix(f"{name} ") for e in outcome.examples_by_file.get(name, [])]
        lines.append(f"| {_markdown_cell(name)} | {outcome.rows_failing_by_file[name]:,} | "
                     f"{'; '.join(_markdown_cell(e) for e in examples)} |")
    if not outcome.failing_files:
        lines.append(f"| (the whole delivery) | {outcome.unexpected_count:,} | |")
    return "\n".join([*lines, "", f"Rule: {_markdown_cell(outcome.rule)}"])


def quarantine_rejected(
    rows: pd.DataFrame,
    rejections: Mapping[str, Sequence[str]],
    locate: Callable[[str], Path | None],
    quarantine: Callable[[Path, str], Path],
    log: Callable[[str], None],
) -> set[str]:
    """Move every file that broke a critical expectation to quarantine, its reasons beside it.

    Returns the names taken out of the delivery; "*" among them when a table-level failure condemned
    every file."""
    moved: set[str] = set()
    for file_name, reasons in rejections.items():
        names = rows["source_file"].unique() if file_name == "*" else [file_name]
        for name in names:
            path = locate(str(name))
            if path is not None and path.exists():
                where = quarantine(path, "\n".join(reasons))
                log(f"{name} rejected, moved to {where}:\n" + "\n".join(reasons))
            moved.add(str(name))
        if file_name == "*":
            moved.add("*")
    return moved


def without_files(frame: pd.DataFrame, names: Collection[str], column: str = "source_file") -> pd.DataFrame:
    """The rows of a delivery that did not come from the named (rejected) files."""
    if not len(names) or not len(frame):
        return frame
    return frame[~frame[column].isin(list(names))].reset_index(drop=True)


def rejections_by_file(outcomes: Sequence[ExpectationOutcome]) -> dict[str, list[str]]:
    """For each file that broke a critical expectation, the messages that say where and why."""
    reasons: dict[str, list[str]] = {}
    for outcome in outcomes:
        if outcome.critical and not outcome.success:
            # An expectation that could not run (or a table-level one) condemns every file.
            for name in outcome.failing_files or ["*"]:
                reasons.setdefault(name, []).append(outcome.message(None if name == "*" else name))
    return reasons
