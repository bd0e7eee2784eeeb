"""Partner extracts: the arrest referral service's records (custody drug tests, treatment referrals,
Drug Rehabilitation and Alcohol Treatment Requirements) and Action Fraud / NFIB fraud reports, both
monthly CSVs under ``partners/``, each a FileSource like the drug activity log."""

from assets.force_operations.assets import MONTHLY_COLUMNS, identify_monthly, monthly_force_csv
from assets.lib.file_sources import FileSource, file_source_assets
from assets.lib.landing import ARREST_REFERRAL_FILES, FRAUD_REPORT_FILES
from assets.partners.parser import ARREST_REFERRAL_COLUMNS, FRAUD_REPORT_COLUMNS

ARREST_REFERRAL = FileSource(
    name="arrest_referral",
    globs=(ARREST_REFERRAL_FILES.glob,),
    read_files=monthly_force_csv(ARREST_REFERRAL_COLUMNS, ARREST_REFERRAL_FILES, "record_date"),
    columns={"record_reference": "varchar", "record_date": "varchar", "custody_suite": "varchar",
             "record_type": "varchar", "test_result": "varchar", **MONTHLY_COLUMNS},
    models=("fact_arrest_referral",),
    description="core.fact_arrest_referral: the arrest referral service's records: drug tests in custody with "
    "their result, referrals into drug treatment, Drug Rehabilitation and Alcohol Treatment Requirements.",
    identify=identify_monthly(ARREST_REFERRAL_FILES),
)

FRAUD_REPORTS = FileSource(
    name="fraud_reports",
    globs=(FRAUD_REPORT_FILES.glob,),
    read_files=monthly_force_csv(FRAUD_REPORT_COLUMNS, FRAUD_REPORT_FILES, "report_date"),
    columns={"report_reference": "varchar", "report_date": "varchar", "nfib_category": "varchar",
             "cyber_enabled": "varchar", "victim_type": "varchar", **MONTHLY_COLUMNS},
    models=("fact_fraud_reports",),
    description="core.fact_fraud_reports: Action Fraud / NFIB fraud reports for the force area, one row per "
    "report, with its NFIB category, whether it was cyber enabled and the kind of victim.",
    identify=identify_monthly(FRAUD_REPORT_FILES),
)

SOURCES = (ARREST_REFERRAL, FRAUD_REPORTS)

source_assets = [a for source in SOURCES for a in file_source_assets(source)]
