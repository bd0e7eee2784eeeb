-- Operational activity, one row per warrant, visit, referral or engagement, with the operation it was
-- under, typed from the validated monthly log.
-- operation is free text typed by officers ('Captiva', 'Op Captiva', 'CAPTIVA'): operation_key folds
-- case, spacing and an 'Operation'/'Op' prefix so the figures count one operation under one name.
select
    force_code,
    cast(date_trunc('month', cast(activity_date as date)) as date) as month,
    activity_reference,
    cast(activity_date as date)            as activity_date,
    operation,
    nullif(lower(regexp_replace(regexp_replace(trim(operation), '^(operation|op)\.?\s+', '', 'i'),
                                '\s+', ' ', 'g')), '') as operation_key,
    activity_type,
    source_file,
    source_row
from landed.operations
