-- The baseline year (July 2018 to June 2019) as the force's own records count it, beside the
-- figure ONS published for the same offence group and force (year ending June 2019 edition).
-- Differences are real: ONS counts crimes as held by the Home Office at its extract date.
with baseline as (
    select * from core.national_baseline
),

own_baseline as (
    select
        counts.force_code,
        counts.measure_id,
        sum(counts.numerator) as force_computed,
        count(*)              as months
    from marts.measure_counts as counts
    cross join baseline
    where counts.month between baseline.baseline_start and baseline.baseline_end
    group by all
),

published as (
    select measures.measure_id, measures.measure_name, ons.area_code as force_code, ons.value as ons_published,
           ons.table_id, ons.measure as ons_measure, ons.source_file
    from core.ons_pfa_values as ons
    inner join core.dim_measure as measures
        on ons.table_id = measures.ons_table_id and ons.measure = measures.ons_measure
    cross join baseline
    where ons.edition_period_end = baseline.baseline_end
)

select
    published.force_code,
    published.measure_id,
    published.measure_name,
    baseline.baseline_start,
    baseline.baseline_end,
    own_baseline.force_computed,
    published.ons_published,
    own_baseline.force_computed - published.ons_published   as difference,
    100.0 * (own_baseline.force_computed - published.ons_published) / nullif(published.ons_published, 0)
                                                            as pct_difference,
    published.table_id                                      as ons_table_id,
    published.ons_measure,
    published.source_file                                   as ons_source_file
from published
inner join own_baseline using (force_code, measure_id)
cross join baseline
where own_baseline.months = 12
order by published.force_code, published.measure_id
