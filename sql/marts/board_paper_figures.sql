-- Every figure of the board paper and the annual report that is not a national measure or a KPI,
-- one row per force, quarter and figure, from the topic models sql/marts/paper_<topic>.sql. Each topic
-- model has exactly these columns (the first branch below fixes their types):
--   force_code, quarter_end   the force and the reporting quarter the figure is reported in
--   section, paper_ref        the paper's heading ('Firearms') and where it is quoted ('paper 10')
--   figure_order, figure_id   the order within the section and a stable id ('lethal_firearms_recovered')
--   label                     what is counted, in the paper's words
--   period_label, period_start, period_end   the figure's own window ('2021/22', '2021-04-01', '2022-03-31')
--   value, unit               the figure ('count' or 'percent'); over the months delivered when some are missing
--   comparison_label, comparison_value   the figure it is set against ('2020/21'), or empty
--   months_missing            months of the window (and of the comparison's) the source did not deliver
--   comparable                both windows complete: only then may a change be stated or coloured
--   quality_flags             what the board must be told ('months_missing=2'), or empty
--   source                    the warehouse table(s) the figure is counted from
select
    cast(null as varchar) as force_code,
    cast(null as date)    as quarter_end,
    cast(null as varchar) as section,
    cast(null as varchar) as paper_ref,
    cast(null as integer) as figure_order,
    cast(null as varchar) as figure_id,
    cast(null as varchar) as label,
    cast(null as varchar) as period_label,
    cast(null as date)    as period_start,
    cast(null as date)    as period_end,
    cast(null as double)  as value,
    cast(null as varchar) as unit,
    cast(null as varchar) as comparison_label,
    cast(null as double)  as comparison_value,
    cast(null as integer) as months_missing,
    cast(null as boolean) as comparable,
    cast(null as varchar) as quality_flags,
    cast(null as varchar) as source
where false
-- one line per topic model: union all by name select * from marts.paper_<topic>
union all by name select * from marts.paper_use_of_force
union all by name select * from marts.paper_firearms
union all by name select * from marts.paper_county_lines
union all by name select * from marts.paper_homicide
union all by name select * from marts.paper_neighbourhood
union all by name select * from marts.paper_online_crime
union all by name select * from marts.paper_recruitment
union all by name select * from marts.paper_drug_treatment
union all by name select * from marts.paper_fraud
