-- Where the force stands: per ONS PFA tables edition delivered and offence group, each force's rate of
-- offences per 1,000 residents as ONS publishes it, the England and Wales rate, the force's rank
-- among all forces (1 = the highest rate) and its quartile (1 = the highest quarter), and the
-- average rate of its peer group (reference/peer_groups.toml, registered as peer_groups).
-- The rate table of an edition is found by its content, not its number: the table that publishes
-- the population its rates are taken over ("Population figures (mid-2018) ...").
with rate_tables as (
    select distinct edition_period_end, table_id
    from core.ons_pfa_values
    where measure ilike 'population%'
),

rates as (
    select values.edition_period_end, values.table_id, values.area_code, values.area_type, values.measure,
           values.value, values.marker
    from core.ons_pfa_values as values
    inner join rate_tables using (edition_period_end, table_id)
    where values.measure not ilike 'population%' and values.measure not ilike 'household%'
),

force_rates as (
    -- every force published with a rate; a force ONS marks not available ([x], ..) is left unranked
    select * from rates where area_type = 'force' and value is not null
),

ranked as (
    select
        force_rates.*,
        rank() over (partition by edition_period_end, measure order by value desc) as rank_among_forces,
        count(*) over (partition by edition_period_end, measure)                   as forces_ranked,
        ntile(4) over (partition by edition_period_end, measure order by value desc) as quartile
    from force_rates
),

england_wales as (
    select edition_period_end, measure, value as england_wales_rate
    from rates
    where area_code = 'K04000001'
),

peers as (
    select peer_groups.force_code, peer_groups.peer_code, ranked.edition_period_end, ranked.measure, ranked.value
    from peer_groups
    inner join ranked on ranked.area_code = peer_groups.peer_code
),

peer_average as (
    select force_code, edition_period_end, measure, avg(value) as peer_average_rate, count(*) as peers_with_rate
    from peers
    group by all
)

select
    ranked.area_code                                          as force_code,
    ranked.edition_period_end,
    ranked.table_id,
    ranked.measure                                            as offence_group,
    ranked.value                                              as rate_per_1000,
    england_wales.england_wales_rate,
    ranked.value - england_wales.england_wales_rate           as difference_from_england_wales,
    cast(ranked.rank_among_forces as integer)                 as rank_among_forces,
    cast(ranked.forces_ranked as integer)                     as forces_ranked,
    cast(ranked.quartile as integer)                          as quartile,
    peer_average.peer_average_rate,
    cast(peer_average.peers_with_rate as integer)             as peers_with_rate
from ranked
left join england_wales using (edition_period_end, measure)
left join peer_average
    on peer_average.force_code = ranked.area_code and peer_average.edition_period_end = ranked.edition_period_end
   and peer_average.measure = ranked.measure
order by ranked.area_code, ranked.edition_period_end, ranked.measure
