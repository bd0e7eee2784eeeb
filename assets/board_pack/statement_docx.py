"""The draft statement as a Word document, ready to paste into the board paper: the same text as the Markdown
statement (one wording, written once in statement.py), the measures' paragraphs numbered in the paper's order.

python-docx writes the document; the zip is then rewritten with fixed timestamps so an unchanged quarter gives
the same bytes, as the workbook does.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from assets.board_pack.common import cyclic_gc_paused

BOLD_RUN = re.compile(r"\*\*(.+?)\*\*")


def _run(paragraph: Paragraph, text: str) -> Run:
    """paragraph.add_run(text), quicker: Run.text goes through the text a character at a time for tabs and line
    breaks (each its own element); text without them is one <w:t>, made here directly."""
    if "\t" in text or "\r" in text or "\n" in text:
        return paragraph.add_run(text)
    run = paragraph.add_run()
    if text:
        run._r.add_t(text)
    return run


def _add_runs(paragraph: Paragraph, text: str) -> None:
    # "**Homicide.** Volumes ..." : the bold lead-in the Markdown marks with ** becomes a bold run
    position = 0
    for match in BOLD_RUN.finditer(text):
        if match.start() > position:
            _run(paragraph, text[position:match.start()])
        _run(paragraph, match.group(1)).bold = True
        position = match.end()
    if position < len(text):
        _run(paragraph, text[position:])


@functools.cache
def _style_ids() -> dict[str, str | None]:
    # the paragraph styles' ids in python-docx's default template, looked up once: by name, python-docx scans
    # every style of the template (and again for the default style) on each paragraph
    part = Document().part
    return {name: part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH) for name in ("Title", "Heading 1", "List Number")}


def statement_document(markdown: str, title: str) -> Document:
    """The Word document of a Markdown statement: '#' the title, '##' headings, '-' list items and every other
    paragraph numbered (List Number), as the board paper numbers its paragraphs."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = "policing-scorecard warehouse"
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    style_ids = _style_ids()

    def paragraph(style: str, text: str = "") -> Paragraph:
        # what add_paragraph(text, style) (and so add_heading, with Title or Heading 1) writes: the text a run as
        # it stands, pStyle the style's id
        added = document.add_paragraph()
        if text:
            _run(added, text)
        added._p.style = style_ids[style]
        return added

    for block in markdown.split("\n\n"):
        for line in block.strip().splitlines() if block.lstrip().startswith("- ") else [block.strip()]:
            if not line:
                continue
            if line.startswith("# "):
                paragraph("Title", line[2:])
            elif line.startswith("## "):
                paragraph("Heading 1", line[3:])
            elif line.startswith("- "):
                _add_runs(paragraph("List Number"), line[2:])
            elif line.startswith("Quarter ending"):  # the standfirst under the title is not a paragraph of the paper
                _add_runs(document.add_paragraph(), line)
            else:
                _add_runs(paragraph("List Number"), " ".join(line.splitlines()))
    return document


@cyclic_gc_paused()
def write_statement_docx(path: Path, markdown: str, title: str, stamp: datetime) -> None:
    """Write the statement as .docx with fixed document times (created, modified, zip entries)."""
    document = statement_document(markdown, title)
    document.core_properties.created = stamp
    document.core_properties.modified = stamp
    document.core_properties.last_printed = stamp
    document.core_properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
