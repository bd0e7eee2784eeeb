-- Local authority dimension: every district code of England and Wales since 2009, old or current,
-- with the district that holds it now and its police force area.
--
-- The force comes from the ONS LAD to CSP to PFA (January 2017) lookup. A police area is made of
-- whole districts and no merger since crossed a force boundary, so a district created later takes
-- the force of the 2017 districts it was made from (and an abolished district that of its
-- successor): all districts that hold the same code now share one force. Where they did not, the
-- force is left null rather than picked, and the dim_local_authority_complete check fails.
with recursive

lad17 as (
    select la_code, la_name, pfa_code from stg_lad_pfa_lookup
),

changes as (
    select * from stg_lad_changes
),

-- a change of name keeps the code, so it takes no part in following a code to its successor
recodes as (
    select old_code, new_code, change_year from changes where old_code <> new_code
),

codes as (
    select la_code from lad17
    union select old_code from changes
    union select new_code from changes
    union select la_code from stg_lad_current
),

successors (la_code, successor, steps) as (
    select la_code, la_code, 0 from codes
    union all
    select successors.la_code, recodes.new_code, successors.steps + 1
    from successors
    inner join recodes on recodes.old_code = successors.successor
),

current_code as (
    select la_code, arg_max(successor, steps) as la_code_current
    from successors
    group by la_code
),

-- a code's latest published name: the 2023 district list, else the newest change that created or
-- renamed it, else the 2017 lookup, else the name it had when it was replaced
names as (
    select
        codes.la_code,
        coalesce(
            any_value(current_list.la_name),
            arg_max(created.new_name, created.change_year),
            any_value(lad17.la_name),
            arg_max(replaced.old_name, replaced.change_year)
        ) as la_name
    from codes
    left join stg_lad_current as current_list using (la_code)
    left join changes as created on created.new_code = codes.la_code
    left join lad17 using (la_code)
    left join changes as replaced on replaced.old_code = codes.la_code
    group by codes.la_code
),

replaced as (
    select old_code as la_code, min(change_year) as replaced_in_year
    from recodes
    group by old_code
),

force_of_current as (
    select
        current_code.la_code_current,
        count(distinct lad17.pfa_code) as forces,
        min(lad17.pfa_code)            as pfa_code
    from current_code
    inner join lad17 using (la_code)
    group by current_code.la_code_current
)

select
    current_code.la_code,
    names.la_name,
    current_code.la_code_current,
    current_names.la_name                          as la_name_current,
    current_code.la_code = current_code.la_code_current as is_current,
    replaced.replaced_in_year,
    dim_force.force_code
from current_code
inner join names using (la_code)
inner join names as current_names on current_names.la_code = current_code.la_code_current
left join replaced using (la_code)
left join force_of_current using (la_code_current)
left join core.dim_force as dim_force
    on dim_force.force_code = force_of_current.pfa_code and force_of_current.forces = 1
order by current_code.la_code
