-- Action Fraud / NFIB fraud reports for the force area, one row per report, typed from the validated
-- monthly files (SOURCES.md: Fraud reports). NFIB categories are kept as delivered (an open set).
select
    force_code,
    cast(date_trunc('month', cast(report_date as date)) as date) as month,
    report_reference,
    cast(report_date as date)      as report_date,
    nfib_category,
    -- an empty flag is unknown (null), never N
    cyber_enabled = 'Y'            as is_cyber_enabled,
    victim_type,
    source_file,
    source_row
from landed.fraud_reports
