-- SMS satisfaction survey responses. score is the 0-10 answer to "did we help with your issue";
-- null when the question was not answered (such responses are not counted as answered).
select
    force_code,
    cast(date_trunc('month', cast(response_date as date)) as date) as month,
    response_id,
    cast(response_date as date) as response_date,
    service,
    incident_type,
    cast(score as integer)      as score,
    score is not null           as is_answered,
    cast(score as integer) >= 8 as is_satisfied,
    source_file,
    source_row
from landed.sms_survey
