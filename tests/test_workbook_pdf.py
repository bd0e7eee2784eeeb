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


@pytest.fixture(scope="module")
def printed(calibrated, tmp_path_factory) -> tuple[list[str], list[tuple[float, float]]]:
    assert Path(SOFFICE).exists(), "LibreOffice is needed: apt-get install libreoffice-calc-nogui (run.sh test does it)"
    out = tmp_path_factory.mktemp("pdf")
    workbook = calibrated.exports / "scorecard-2022-Q1.xlsx"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{out / 'profile'}", "--convert-to", "pdf",
                    "--outdir", str(out), str(workbook)], check=True, timeout=300, capture_output=True)
    reader = PdfReader(out / "scorecard-2022-Q1.pdf")
    return ([page.extract_text() for page in reader.pages],
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
    # a chart split by a page would print its title on one page and its axis labels alone on the next; a whole
    # chart prints its title and its months together. Titles can wrap, so compare without spaces.
    for page in trends:
        squashed = re.sub(r"\s+", "", page)
        on_page = [title for title in charts if re.sub(r"\s+", "", title) in squashed]
        assert 1 <= len(on_page) <= 2, on_page
        assert squashed.count("Mar22") >= len(on_page)
