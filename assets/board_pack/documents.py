"""Writing the board's documents: one force and quarter's workbook, statement and Word copy, on every core when
there are many (a force's first load, or a change of layout, rewrites them all: 1,204 at national scale)."""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from assets.board_pack.statement import draft_statement, measure_commentary
from assets.board_pack.statement_docx import write_statement_docx
from assets.board_pack.workbook import latest_variation, write_scorecard_workbook


@dataclass(frozen=True)
class Document:
    """One force and quarter's workbook, statement and its Word copy, and the mart rows they are written from."""
    workbook: Path
    statement: Path
    title: str
    stamp: datetime
    measures: pd.DataFrame
    of_quarter: dict[str, pd.DataFrame]
    monthly: pd.DataFrame
    spc: pd.DataFrame
    # the cover's date is the day the figures were written: a document is rewritten only when they change
    prepared: date


def write_document(document: Document) -> str:
    """Write one document's three files; returns the workbook's name."""
    of_quarter = document.of_quarter
    # one commentary for both documents: the workbook prints it beside each measure, the statement under it
    commentary = measure_commentary(document.measures, of_quarter["breakdowns"], document.spc, document.monthly)
    write_scorecard_workbook(document.workbook, document.measures, of_quarter["kpis"], document.monthly,
                             paper_figures=of_quarter["paper"], prepared=document.prepared, spc=document.spc,
                             variation=latest_variation(document.spc, document.measures),
                             assurance=dict(zip(of_quarter["assurance"]["kpi_id"],
                                                of_quarter["assurance"]["assurance"], strict=True)),
                             commentary=commentary)
    text = draft_statement(document.measures, of_quarter["breakdowns"], document.spc, document.monthly,
                           paper_figures=of_quarter["paper"], commentary=commentary)
    document.statement.write_text(text, encoding="utf-8")
    write_statement_docx(document.statement.with_suffix(".docx"), text, document.title, document.stamp)
    return document.workbook.name


# below this many documents, starting worker processes (each imports pandas, openpyxl and matplotlib, about 2 s)
# costs more than it saves
_PARALLEL_FROM = 24


def write_all(documents: list[Document], workers: int | None = None) -> list[str]:
    """Every document written (the workbooks' names, in order), on every core when there are many (a force's
    first load, or a layout change, rewrites all of them: 1,204 at national scale, about a quarter of a second
    each), or by `workers` processes. Worker processes are spawned, not forked: the run's process holds
    DuckDB's threads and connections. The files are the same bytes whichever process writes them."""
    if workers is None:
        workers = min(os.cpu_count() or 1, len(documents) // _PARALLEL_FROM)
    if workers < 2:
        return [write_document(document) for document in documents]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(write_document, documents, chunksize=8))
