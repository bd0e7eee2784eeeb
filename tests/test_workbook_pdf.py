"""The board's workbook as it prints: the calibrated sample's 2022 Q1 workbook rendered to PDF by LibreOffice
(headless, Debian's libreoffice-calc-nogui, installed by `bash run.sh test` as Chromium is), read back with pypdf.
Every page A4 landscape and numbered, every chart whole on one page, two charts to a Trends page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
A4_LANDSCAPE_POINTS = (841.9, 595.3)
EVERYWHERE = (-1e9, -1e9, 1e9, 1e9)


def visible_text(page) -> str:
    """The text a reader sees on the page: LibreOffice draws a whole chart on each page it touches and clips it
    to the page's rows, so text outside the clipping rectangle in force (q/Q, re W) is left out."""
    saved: list[tuple[float, ...]] = []
    clip, rectangle, seen = [EVERYWHERE], [None], []

    def operator(op, args, cm, tm) -> None:
        if op == b"q":
            saved.append(clip[0])
        elif op == b"Q":
            clip[0] = saved.pop() if saved else EVERYWHERE
        elif op == b"re":
            x, y, w, h = (float(a) for a in args)
            corners = [(px * cm[0] + py * cm[2] + cm[4], px * cm[1] + py * cm[3] + cm[5])
                       for px, py in ((x, y), (x + w, y + h))]
            rectangle[0] = (min(c[0] for c in corners), min(c[1] for c in corners),
                            max(c[0] for c in corners), max(c[1] for c in corners))
        elif op in (b"W", b"W*") and rectangle[0] is not None:
            a, b = clip[0], rectangle[0]
            clip[0] = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))

    def text(content, cm, tm, font, size) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        left, bottom, right, top = clip[0]
        if left <= x <= right and bottom <= y <= top:
            seen.append(content)

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return "".join(seen)


@pytest.fixture(scope="module")
def printed(calibrated, tmp_path_factory) -> tuple[list[str], list[tuple[float, float]]]:
    assert Path(SOFFICE).exists(), "LibreOffice is needed: apt-get install libreoffice-calc-nogui (run.sh test does it)"
    out = tmp_path_factory.mktemp("pdf")
    workbook = calibrated.exports / "scorecard-2022-Q1.xlsx"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{out / 'profile'}", "--convert-to", "pdf",
                    "--outdir", str(out), str(workbook)], check=True, timeout=300, capture_output=True)
    reader = PdfReader(out / "scorecard-2022-Q1.pdf")
    return ([visible_text(page) for page in reader.pages],
            [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages])


def test_every_page_is_a4_landscape_and_numbered(printed) -> None:
    texts, sizes = printed
    assert all(size == pytest.approx(A4_LANDSCAPE_POINTS, abs=1) for size in sizes)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    # the cover, then each sheet in order: the board's documents start with the cover page
    assert texts[0].startswith("Cover ")


def test_each_trend_chart_is_whole_on_one_page_two_to_a_page(calibrated, printed) -> None:
    from openpyxl import load_workbook

    texts, _ = printed
    trends = [text for text in texts if text.startswith("Trends ")]
    charts = [chart.title.tx.rich.p[0].r[0].t
              for chart in load_workbook(calibrated.exports / "scorecard-2022-Q1.xlsx")["Trends"]._charts]
    assert len(charts) >= 20  # the national measures of the sample, each charted
    assert len(trends) == -(-len(charts) // 2)
    # a chart split by a page would show its title on one page and its axis alone on the next; a whole chart
    # shows its title and its months together, on one page. Titles can wrap, so compare without spaces.
    pages_of = {title: [] for title in charts}
    for number, page in enumerate(trends):
        squashed = re.sub(r"\s+", "", page)
        on_page = [title for title in charts if re.sub(r"\s+", "", title) in squashed]
        assert 1 <= len(on_page) <= 2, on_page
        assert squashed.count("Feb22") == len(on_page)  # each chart's axis, once: no part of another chart
        for title in on_page:
            pages_of[title].append(number)
    assert all(len(pages) == 1 for pages in pages_of.values()), pages_of
