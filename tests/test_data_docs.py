"""Data Docs that open complete offline: no page fetches a stylesheet or script from a CDN, the project's
stylesheet is inlined, and a failure is shown in the check's metadata as Markdown as well."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from assets.lib.validation import check_results, validate


def drug_rows(activity_type: str = "Drug disruption") -> pd.DataFrame:
    return pd.DataFrame({
        "activity_reference": ["DA/1", "DA/2"], "activity_date": ["2022-01-03", "2022-01-20"],
        "activity_type": ["County line closure", activity_type], "arrests": ["2", "0"], "charges": ["1", "0"],
        "force_code": "E23000014", "file_month": "2022-01", "date_month": "2022-01",
        "source_file": "west-midlands-drug-activity-2022-01.csv", "source_row": [2, 3]})


def test_pages_fetch_nothing_from_the_internet(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    validate(drug_rows("Drug <b>raid</b>"), "drug_activity", docs_dir=docs, run_name="offline")
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) >= 3  # the index, the validation page, the failures page
    for page in pages:
        text = page.read_text(encoding="utf-8")
        remote = re.findall(r"<(?:link|script)\b[^>]*(?:href|src)=[\"']https?://[^>]*>", text)
        assert remote == [], page.name
        assert "The Data Docs' own stylesheet" in text, page.name  # inlined from expectations/data_docs


def test_a_failure_is_summarised_as_markdown_in_the_check(tmp_path: Path) -> None:
    outcomes = validate(drug_rows("Drug | raid"), "drug_activity")
    failed = [o for o in outcomes if not o.success]
    assert [o.check_name for o in failed] == ["activity_type_valid"]
    result = next(r for r in check_results(outcomes, "validated_drug_activity")
                  if r.check_name == "activity_type_valid")
    summary = result.metadata["failures"].value
    # a table of file, rows failing and the first rows, the delivered value's pipe escaped for Markdown
    assert summary.splitlines()[:3] == [
        "| File | Rows failing | First failing rows |",
        "|---|---|---|",
        "| west-midlands-drug-activity-2022-01.csv | 1 | row 3, column 'activity_type': 'Drug \\| raid' |",
    ]
