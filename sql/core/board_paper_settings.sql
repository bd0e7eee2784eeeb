-- The board paper's settings, one row (reference/board_paper.toml, [board_paper], registered as
-- board_paper_config by the asset): when the annual report reads the workforce, since when the
-- neighbourhood officer increase counts, which priority areas the paper's shares use.
select
    cast(report_months_after_quarter_end as integer) as report_months_after_quarter_end,
    cast(neighbourhood_officers_since as date)       as neighbourhood_officers_since,
    cast(impact_areas as varchar)                    as impact_areas,
    cast(city_centre as varchar)                     as city_centre
from board_paper_config
