-- Statistical process control on every monthly series, as NHS England's "Making Data Count" does it:
-- an XmR (individuals) chart per force and measure. The centre line is the mean of the baseline
-- months (reference/spc.toml, registered as spc_config), the natural process limits the centre
-- +/- 2.66 x the mean moving range of those months. A moving range is taken only between two
-- consecutive calendar months: a missing or suppressed month leaves a gap, never a join across it,
-- and no run below crosses a gap either.
-- Signals (rule, in this order when a point breaks several):
--   outside_limits  a point above the upper or below the lower limit
--   shift           a run of run_length (7) or more points on one side of the centre (a point on
--                   the centre line ends a run)
--   trend           a run of run_length (7) or more points each rising, or each falling
--   two_of_three    2 of 3 consecutive points beyond two thirds of the way to a limit, same side
with config as (
    select * from spc_config
),

series as (
    select monthly.force_code, monthly.measure_id, monthly.month, monthly.value, measures.polarity, measures.unit
    from marts.measure_monthly as monthly
    inner join core.dim_measure as measures using (measure_id)
    where monthly.value is not null
),

with_previous as (
    select
        *,
        lag(month) over w as previous_month,
        lag(value) over w as previous_value
    from series
    window w as (partition by force_code, measure_id order by month)
),

ranged as (
    select
        *,
        -- consecutive calendar months only: a gap starts a new segment
        coalesce(previous_month <> cast(month - interval 1 month as date), true) as starts_segment,
        case when previous_month = cast(month - interval 1 month as date) then abs(value - previous_value) end
            as moving_range
    from with_previous
),

limits as (
    select
        ranged.force_code,
        ranged.measure_id,
        avg(ranged.value)        as centre,
        avg(ranged.moving_range) as mean_moving_range,
        count(*)                 as baseline_points
    from ranged
    cross join config
    where ranged.month between config.baseline_first_month and config.baseline_last_month
    group by all
    having count(*) >= any_value(config.min_baseline_points)
),

charted as (
    select
        ranged.*,
        limits.centre,
        -- a count cannot fall below zero: its lower limit is floored there (a percent's is not)
        case when ranged.unit = 'count' then greatest(0, limits.centre - 2.66 * limits.mean_moving_range)
             else limits.centre - 2.66 * limits.mean_moving_range end as lower_limit,
        limits.centre + 2.66 * limits.mean_moving_range as upper_limit,
        -- a third of the way from the centre to a limit is one sigma (2.66 / 3 = 0.887 mR)
        limits.centre + 2.0 / 3.0 * 2.66 * limits.mean_moving_range as upper_two_thirds,
        limits.centre - 2.0 / 3.0 * 2.66 * limits.mean_moving_range as lower_two_thirds,
        sign(ranged.value - limits.centre) as side,
        case when ranged.starts_segment then 0 else sign(ranged.value - ranged.previous_value) end as step,
        sum(case when ranged.starts_segment then 1 else 0 end)
            over (partition by ranged.force_code, ranged.measure_id order by ranged.month) as segment
    from ranged
    inner join limits using (force_code, measure_id)
),

side_runs as (
    -- islands of consecutive points on the same side of the centre within a segment
    select
        *,
        row_number() over (partition by force_code, measure_id, segment order by month)
          - row_number() over (partition by force_code, measure_id, segment, side order by month) as side_island
    from charted
),

side_run_lengths as (
    select
        *,
        count(*) over (partition by force_code, measure_id, segment, side, side_island) as side_run_length
    from side_runs
),

steps as (
    -- islands of consecutive rises (or falls); a point belongs to the run its step ends, and the
    -- point the run starts from belongs to it too
    select
        *,
        row_number() over (partition by force_code, measure_id, segment order by month)
          - row_number() over (partition by force_code, measure_id, segment, step order by month) as step_island
    from side_run_lengths
),

step_runs as (
    select
        *,
        case when step <> 0
             then count(*) over (partition by force_code, measure_id, segment, step, step_island) end as steps_in_run,
        -- the first step of each run, to mark the point it starts from
        case when step <> 0
             then min(month) over (partition by force_code, measure_id, segment, step, step_island) end
            as run_first_step_month
    from steps
),

trend_points as (
    -- every point of a run of rises (or falls) long enough: the run's steps and the point before
    -- them, with the way the run goes
    select force_code, measure_id, month, max(direction) as direction
    from (
        select force_code, measure_id, month, step as direction from step_runs, config
        where steps_in_run + 1 >= config.run_length
        union all
        select force_code, measure_id, cast(run_first_step_month - interval 1 month as date), step
        from step_runs, config
        where steps_in_run + 1 >= config.run_length
    )
    group by all
),

outer_thirds as (
    select
        *,
        case when value > upper_two_thirds then 1 when value < lower_two_thirds then -1 else 0 end as outer_side
    from step_runs
),

two_of_three_points as (
    select distinct windows.force_code, windows.measure_id, windows.month
    from (
        select a.force_code, a.measure_id, a.month as window_end, b.month, b.outer_side,
               count(*) over (partition by a.force_code, a.measure_id, a.month, b.outer_side) as in_window
        from outer_thirds as a
        inner join outer_thirds as b
            on b.force_code = a.force_code and b.measure_id = a.measure_id and b.segment = a.segment
           and b.month between cast(a.month - interval 2 month as date) and a.month
        where b.outer_side <> 0
          -- a full window of three consecutive months
          and exists (select 1 from outer_thirds as first
                      where first.force_code = a.force_code and first.measure_id = a.measure_id
                        and first.segment = a.segment and first.month = cast(a.month - interval 2 month as date))
    ) as windows
    where windows.in_window >= 2
),

flagged as (
    select
        points.*,
        points.value > points.upper_limit or points.value < points.lower_limit as is_outside_limits,
        points.side <> 0 and points.side_run_length >= config.run_length     as is_shift,
        trend.month is not null                                               as is_trend,
        trend.direction                                                       as trend_direction,
        two.month is not null                                                 as is_two_of_three
    from outer_thirds as points
    cross join config
    left join trend_points as trend using (force_code, measure_id, month)
    left join two_of_three_points as two using (force_code, measure_id, month)
)

select
    force_code,
    measure_id,
    month,
    value,
    centre,
    lower_limit,
    upper_limit,
    is_outside_limits or is_shift or is_trend or is_two_of_three as signal,
    case
        when is_outside_limits then 'outside_limits'
        when is_shift then 'shift'
        when is_trend then 'trend'
        when is_two_of_three then 'two_of_three'
    end                                                          as rule,
    -- which way the signal points for the board: above the centre is a concern when lower is better
    -- (a trend points the way it runs; the other rules the side of the centre the point is on)
    case
        when not (is_outside_limits or is_shift or is_trend or is_two_of_three) then 'common_cause'
        when (case when is_trend and not (is_outside_limits or is_shift) then trend_direction else side end > 0)
             = (polarity = 'lower_is_better') then 'special_cause_concern'
        else 'special_cause_improvement'
    end                                                          as variation,
    cast(side_run_length as integer)                             as points_on_this_side,
    cast(segment as integer)                                     as segment
from flagged
order by force_code, measure_id, month
