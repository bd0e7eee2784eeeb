-- The board paper's drug treatment and testing figures (paper 16-17) at every quarter end, in the
-- board_paper_figures shape, from the arrest referral service's records: referrals into drug treatment
-- over the latest financial year ended by the quarter end against the year before ("increased over the
-- last financial year from 1,315 to 1,723"); the Drug Rehabilitation and Alcohol Treatment Requirements
-- granted over the same year; and drug tests in custody since testing resumed, with their positive rate.
-- "Since testing resumed" is found, not typed: the start of the latest run of delivered months with drug
-- tests that follows a delivered month with none. A month not delivered is unknown: it neither breaks the
-- run nor ends a pause, and it is counted in months_missing.
-- A window is counted over the months the source delivered (meta.loaded_files); months not delivered are
-- months_missing and make the figure not comparable; a window with no month delivered has no value.
with delivered_months as (
    select force_code, month from delivered_months(['arrest_referral'])
),

quarters as (
    -- the quarters the force is reported for, and every quarter whose last month this source delivered
    -- (sql/macros.sql; the asset graph reads marts.reporting_quarters through the macro)
    select force_code, quarter_end from paper_quarters(['arrest_referral'])
),

monthly as (
    -- every delivered month with what its file holds: zero when it has none of a kind
    select
        delivered.force_code,
        delivered.month,
        count(records.record_reference) filter (where records.record_type = 'Treatment referral')
            as treatment_referrals,
        count(records.record_reference) filter (where records.record_type = 'Drug Rehabilitation Requirement')
            as drug_rehabilitation_requirements,
        count(records.record_reference) filter (where records.record_type = 'Alcohol Treatment Requirement')
            as alcohol_treatment_requirements,
        count(records.record_reference) filter (where records.is_drug_test)     as drug_tests,
        count(records.record_reference) filter (where records.is_positive_test) as positive_tests
    from delivered_months as delivered
    left join core.fact_arrest_referral as records
        on records.force_code = delivered.force_code and records.month = delivered.month
    group by all
),

monthly_measures as (
    -- one row per delivered month and measure
    unpivot monthly
    on treatment_referrals, drug_rehabilitation_requirements, alcohol_treatment_requirements, drug_tests,
       positive_tests
    into name measure value events
),

figures (figure_order, figure_id, paper_ref, label, measure, denominator_measure, unit, period_rule, compared) as (
    values
        (1, 'drug_treatment_referrals', 'paper 16', 'referrals from the arrest referral service into drug treatment',
         'treatment_referrals', null, 'count', 'last_financial_year', true),
        (2, 'drug_rehabilitation_requirements', 'paper 16', 'Drug Rehabilitation Requirements (DRR) granted',
         'drug_rehabilitation_requirements', null, 'count', 'last_financial_year', false),
        (3, 'alcohol_treatment_requirements', 'paper 16', 'Alcohol Treatment Requirements (ATR) granted',
         'alcohol_treatment_requirements', null, 'count', 'last_financial_year', false),
        (4, 'drug_tests_in_custody', 'paper 17', 'drug tests in custody since testing resumed',
         'drug_tests', null, 'count', 'since_testing_resumed', false),
        (5, 'drug_tests_positive_rate', 'paper 17', 'positive rate of drug tests in custody since testing resumed',
         'positive_tests', 'drug_tests', 'percent', 'since_testing_resumed', false)
),

financial_years as (
    -- the latest financial year (April to March) ended by the quarter end: at the end of March 2022 that is
    -- 2021/22, at the end of June 2022 still 2021/22 ("the last financial year")
    select
        force_code,
        quarter_end,
        year(quarter_end) - case when quarter_end < make_date(year(quarter_end), 3, 31) then 1 else 0 end
            as end_year
    from quarters
),

testing_pauses as (
    -- at each quarter end: the last delivered month with no drug test in it, and the first month delivered
    select
        quarters.force_code,
        quarters.quarter_end,
        max(monthly.month) filter (where monthly.drug_tests = 0) as last_month_without_tests,
        min(monthly.month)                                       as first_delivered_month
    from quarters
    left join monthly
        on monthly.force_code = quarters.force_code and monthly.month <= quarters.quarter_end
    group by all
),

testing_resumed as (
    -- testing resumed in the first delivered month with tests after the last month without; with no month
    -- without tests, the run starts at the first delivered month (and testing may have begun before it)
    select
        pauses.force_code,
        pauses.quarter_end,
        any_value(pauses.last_month_without_tests) as last_month_without_tests,
        any_value(pauses.first_delivered_month)    as first_delivered_month,
        min(monthly.month) filter (where monthly.drug_tests > 0
                                     and monthly.month > coalesce(pauses.last_month_without_tests, date '0001-01-01'))
            as resumed_month
    from testing_pauses as pauses
    left join monthly
        on monthly.force_code = pauses.force_code and monthly.month <= pauses.quarter_end
    group by all
),

windows as (
    -- each figure's own window at each quarter end ...
    select
        years.force_code,
        years.quarter_end,
        figures.figure_id,
        'figure' as part,
        make_date(years.end_year - 1, 4, 1) as window_start,
        make_date(years.end_year, 3, 31)    as window_end
    from financial_years as years
    cross join figures
    where figures.period_rule = 'last_financial_year'
    union all
    -- ... the year before, where the paper sets the figure against it ...
    select
        years.force_code,
        years.quarter_end,
        figures.figure_id,
        'comparison',
        make_date(years.end_year - 2, 4, 1),
        make_date(years.end_year - 1, 3, 31)
    from financial_years as years
    cross join figures
    where figures.period_rule = 'last_financial_year' and figures.compared
    union all
    -- ... and since testing resumed: counted from the month after the last month without tests, so the
    -- months between the pause and the first delivered month with tests are months missing
    select
        resumed.force_code,
        resumed.quarter_end,
        figures.figure_id,
        'figure',
        coalesce(cast(resumed.last_month_without_tests + interval 1 month as date), resumed.resumed_month),
        resumed.quarter_end
    from testing_resumed as resumed
    cross join figures
    where figures.period_rule = 'since_testing_resumed' and resumed.resumed_month is not null
),

window_months as (
    select
        windows.*,
        cast(unnest(range(windows.window_start, windows.window_end + interval 1 day, interval 1 month)) as date)
            as month
    from windows
),

window_values as (
    select
        window_months.force_code,
        window_months.quarter_end,
        window_months.figure_id,
        window_months.part,
        figures.measure,
        figures.denominator_measure,
        any_value(window_months.window_start)                                      as window_start,
        any_value(window_months.window_end)                                        as window_end,
        count(distinct window_months.month)                                        as months_in_window,
        count(distinct counts.month)                                               as months_delivered,
        sum(counts.events) filter (where counts.measure = figures.measure)             as numerator,
        sum(counts.events) filter (where counts.measure = figures.denominator_measure) as denominator
    from window_months
    inner join figures using (figure_id)
    left join monthly_measures as counts
        on counts.force_code = window_months.force_code
        and counts.month = window_months.month
        and counts.measure in (figures.measure, figures.denominator_measure)
    group by all
),

valued as (
    select
        window_values.*,
        months_in_window - months_delivered as months_not_delivered,
        -- unknown is not zero: no month delivered, no value
        case when months_delivered = 0 then null
             when denominator_measure is null then coalesce(numerator, 0)
             else 100.0 * coalesce(numerator, 0) / nullif(denominator, 0) end as value,
        financial_year_label(window_start) as year_label
    from window_values
),

figure_rows as (
    -- every figure at every quarter, with or without a window
    select
        quarters.force_code,
        quarters.quarter_end,
        figures.*,
        own.window_start,
        own.window_end,
        own.value,
        own.year_label,
        own.months_not_delivered,
        compared.year_label           as comparison_year_label,
        compared.value                as comparison_value,
        compared.months_not_delivered as comparison_months_not_delivered,
        resumed.resumed_month,
        resumed.last_month_without_tests,
        resumed.first_delivered_month
    from quarters
    cross join figures
    left join valued as own
        on own.part = 'figure' and own.force_code = quarters.force_code
        and own.quarter_end = quarters.quarter_end and own.figure_id = figures.figure_id
    left join valued as compared
        on compared.part = 'comparison' and compared.force_code = quarters.force_code
        and compared.quarter_end = quarters.quarter_end and compared.figure_id = figures.figure_id
    left join testing_resumed as resumed
        on resumed.force_code = quarters.force_code and resumed.quarter_end = quarters.quarter_end
),

flagged as (
    select
        *,
        case when period_rule = 'since_testing_resumed' and resumed_month is null then null
             else months_not_delivered + coalesce(comparison_months_not_delivered, 0) end as months_missing,
        case when period_rule <> 'since_testing_resumed' then null
             -- nothing delivered up to the quarter end: when testing resumed is not known
             when first_delivered_month is null then 'no_month_delivered'
             -- the latest delivered month has no tests: testing is paused, there is no run to count
             when resumed_month is null then 'testing_paused'
             -- no delivered month without tests: the run may have begun before the first delivery
             when last_month_without_tests is null then 'testing_start_not_seen' end as testing_flag
    from figure_rows
)

select
    force_code,
    quarter_end,
    'Drugs'                                                   as section,
    paper_ref,
    cast(figure_order as integer)                             as figure_order,
    figure_id,
    label,
    case when period_rule = 'last_financial_year' then year_label
         when resumed_month is not null then 'since ' || strftime(resumed_month, '%B %Y')
         when testing_flag = 'testing_paused' then 'testing paused at the quarter end'
         else 'since testing resumed (not known: no month delivered)' end as period_label,
    case when period_rule = 'since_testing_resumed' then resumed_month else window_start end as period_start,
    coalesce(window_end, quarter_end)                         as period_end,
    cast(value as double)                                     as value,
    unit,
    case when compared then comparison_year_label end         as comparison_label,
    cast(comparison_value as double)                          as comparison_value,
    cast(months_missing as integer)                           as months_missing,
    coalesce(months_missing = 0 and testing_flag is null, false) as comparable,
    nullif(concat_ws('; ',
        case when months_missing > 0 then 'months_missing=' || months_missing end,
        testing_flag), '')                                    as quality_flags,
    'core.fact_arrest_referral'                               as source
from flagged
order by force_code, quarter_end, figure_order
