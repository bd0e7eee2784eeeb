-- The national baseline of the National Crime and Policing Measures: the 12 months to June 2019
-- (the year ending June 2019 ONS edition). The one place its dates are written: every model that
-- compares with the baseline, and the trend charts' shading, read them from here.
select
    date '2018-07-01' as baseline_start,
    date '2019-06-30' as baseline_end
