"""Partner extracts (agreed layouts in SOURCES.md): the arrest referral service's custody drug tests,
treatment referrals and court requirements, and the Action Fraud / NFIB fraud reports for the force area.

Both are plain monthly CSVs like the force's own extracts, read by the shared force-CSV reader
(assets/lib/force_csv.py) through each source's FileSource (ARREST_REFERRAL, FRAUD_REPORTS in
assets/partners/assets.py: every field kept as text, plus source_file, source_row, the force and the
months); this module only names their columns and value sets. The rules live in the Great
Expectations suites (``expectations/arrest_referral.json``, ``expectations/fraud_reports.json``) so a
bad value is reported with its file and row; the value sets here mirror those suites and a test keeps
the two in step.

NFIB categories are an open set: the suite requires one on every report but does not list them.
NFIB revises its classification (categories are added, split and renamed) and SOURCES.md gives the
categories as examples ("..."); a closed list would reject a whole month of reports, and with it the
month's victimisation total, the first time NFIB words a category differently. A wording the project
has not seen before is shown by the non-blocking ``nfib_category_known`` check instead, and the
category is counted as delivered.
"""

from __future__ import annotations

ARREST_REFERRAL_COLUMNS: tuple[str, ...] = (
    "record_reference",
    "record_date",
    "custody_suite",
    "record_type",
    "test_result",
)
FRAUD_REPORT_COLUMNS: tuple[str, ...] = (
    "report_reference",
    "report_date",
    "nfib_category",
    "cyber_enabled",
    "victim_type",
)

RECORD_TYPES: tuple[str, ...] = (
    "Drug test",
    "Treatment referral",
    "Drug Rehabilitation Requirement",
    "Alcohol Treatment Requirement",
)
TEST_RESULTS: tuple[str, ...] = ("Positive", "Negative")
VICTIM_TYPES: tuple[str, ...] = ("Individual", "Organisation")

