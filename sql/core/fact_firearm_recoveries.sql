-- Firearms recovered by the force, one row per weapon, typed from the validated monthly log.
-- "Lethal barrelled firearms recovered" (board paper 10) counts the Lethal barrelled class only.
-- lsoa_code is kept as delivered (the suite checks its format), as in core.fact_firearm_discharges.
select
    force_code,
    cast(date_trunc('month', cast(recovery_date as date)) as date) as month,
    recovery_reference,
    cast(recovery_date as date)            as recovery_date,
    weapon_class,
    weapon_class = 'Lethal barrelled'      as is_lethal_barrelled,
    lsoa_code,
    source_file,
    source_row
from landed.firearm_recoveries
