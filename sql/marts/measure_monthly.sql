-- The monthly series behind the scorecard (contract: force_code, measure_id, month, value).
-- Percent measures are recomputed from their monthly counts; a suppressed month has no value.
select
    counts.force_code,
    counts.measure_id,
    counts.month,
    case
        when measures.unit = 'percent' then 100.0 * counts.numerator / nullif(counts.denominator, 0)
        else counts.numerator
    end as value
from marts.measure_counts as counts
inner join core.dim_measure as measures using (measure_id)
order by counts.force_code, measures.display_order, counts.month
