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


def test_the_index_lists_the_newest_validations_and_older_results_are_archived(tmp_path: Path, monkeypatch) -> None:
    # GX reads every stored result again to rebuild the index after each validation: the store keeps the newest
    # (two here), so that cost stays flat as the history grows; an older run's page stays on disk
    import assets.lib.validation as validation

    monkeypatch.setattr(validation, "DATA_DOCS_INDEX_RUNS", 2)
    docs = tmp_path / "docs"
    for run_name in ("oldest-run", "middle-run", "newest-run"):
        validate(drug_rows(), "drug_activity", docs_dir=docs, run_name=run_name)
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "newest-run" in index and "middle-run" in index and "oldest-run" not in index
    archive = docs / ".results-archive"
    assert [p.relative_to(archive).parts[:2] for p in archive.rglob("*.json")] == [("drug_activity", "oldest-run")]
    assert sorted(p.name for p in (docs / ".results" / "drug_activity").iterdir()) == ["middle-run", "newest-run"]
    # the oldest run's page stays: the links to it on earlier materializations still open
    assert list((docs / "validations" / "drug_activity" / "oldest-run").rglob("*.html"))


def test_every_validated_suite_keeps_its_expectations_page(tmp_path: Path) -> None:
    # each validation's GX context holds its own suite only: GX's index builder deleted every other suite's page,
    # so the index listed the last suite validated and the earlier validation pages linked to nothing
    from assets.lib.force_csv import read_force_csv
    from assets.recorded_crime.parser import RECORDED_CRIME_COLUMNS
    from tests.conftest import crime, write_extract

    crimes = read_force_csv(write_extract(tmp_path, "2021-03", [crime("A/1", "2021-03-05", "34B")]),
                            RECORDED_CRIME_COLUMNS, ("suspect_age",)).assign(
        force_code="E23000014", file_month="2021-03", recorded_month="2021-03", file_sha256="x",
        crime_reference_in_month="E23000014 2021-03 A/1")
    docs = tmp_path / "docs"
    validate(drug_rows(), "drug_activity", docs_dir=docs, run_name="drugs")
    validate(crimes, "recorded_crime", {"offence_codes": ["34B"]}, docs_dir=docs, run_name="crimes")
    pages = sorted(p.name for p in (docs / "expectations").glob("*.html"))
    assert pages == ["drug_activity.html", "recorded_crime.html"]
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "expectations/drug_activity.html" in index and "expectations/recorded_crime.html" in index
