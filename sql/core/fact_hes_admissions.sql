-- NHS HES admission episodes for assault by a sharp object, per month, force area and age group.
-- A later workbook restates the months it covers: each month is taken from the latest financial
-- year's workbook that holds it (then the latest delivery). Suppressed cells (1 to 7 episodes,
-- published as *) stay null with is_suppressed, never zero.
with landed as (
    select * from landed_deliveries('hes_sharp_object')  -- with each file's load time (sql/macros.sql)
),

ranked as (
    select
        *,
        row_number() over (
            partition by month, force_code, age_group
            order by financial_year desc, loaded_at desc
        ) as recency
    from landed
)

select
    month,
    force_code,
    area_name,
    age_group,
    episodes,
    suppressed as is_suppressed,
    financial_year as workbook_financial_year,
    is_restatement,
    source_file,
    source_row
from ranked
where recency = 1
