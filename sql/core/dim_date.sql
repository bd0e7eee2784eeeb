-- Calendar and financial (April to March) date dimension, one row a day.
with days as (
    select cast(d as date) as date
    from range(date '2010-01-01', date '2031-01-01', interval 1 day) as t(d)
)

select
    cast(strftime(date, '%Y%m%d') as integer)               as date_key,
    date,
    year(date)                                             as calendar_year,
    month(date)                                            as month_of_year,
    strftime(date, '%B')                                   as month_name,
    cast(date_trunc('month', date) as date)                as month_start,
    last_day(date)                                         as month_end,
    quarter(date)                                          as calendar_quarter,
    last_day(cast(date_trunc('quarter', date) as date) + interval 2 month) as quarter_end,
    -- the financial year macros of sql/macros.sql, the one definition of "2021/22"
    year(financial_year_start(date))                       as financial_year_start,
    financial_year_label(date)                             as financial_year,
    ((month(date) + 8) % 12) // 3 + 1                      as financial_quarter
from days
