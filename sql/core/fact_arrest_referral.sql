-- The arrest referral service's records, one row per record, typed from the validated monthly files:
-- drug tests in custody with their result, referrals into drug treatment, and the Drug Rehabilitation
-- and Alcohol Treatment Requirements granted (SOURCES.md: Arrest referral).
select
    force_code,
    cast(date_trunc('month', cast(record_date as date)) as date) as month,
    record_reference,
    cast(record_date as date)                as record_date,
    custody_suite,
    record_type,
    test_result,
    record_type = 'Drug test'                as is_drug_test,
    -- only a test has a result: null on the other record types, never false
    case when record_type = 'Drug test' then test_result = 'Positive' end as is_positive_test,
    source_file,
    source_row
from landed.arrest_referral
