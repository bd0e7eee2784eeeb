-- data.police.uk stop and search, one row per search. month is the Europe/London month of the
-- search (the published Date is UTC); file_month the archive month the file was published under.
select
    force_code,
    month,
    file_month,
    searched_at,
    type                                      as search_type,
    part_of_a_policing_operation,
    policing_operation,
    latitude,
    longitude,
    gender,
    age_range,
    self_defined_ethnicity,
    officer_defined_ethnicity,
    ethnic_group,
    legislation,
    is_section_60,
    object_of_search,
    outcome,
    outcome_recorded,
    is_positive_outcome,
    outcome_linked_to_object_of_search,
    removal_of_more_than_just_outer_clothing,
    source_file,
    source_row
from landed.stop_and_search
