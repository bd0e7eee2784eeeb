-- Home Office police recorded crime open data: offences per force, financial quarter and offence
-- code. A file re-delivered replaces its rows; where several files hold the same quarter (the
-- workbook is re-published each year) the one loaded last wins. Non-geographic bodies (Action
-- Fraud, CIFAS, UK Finance) have no force_code.
with landed as (
    -- the latest file per quarter (sql/macros.sql)
    select * from landed_deliveries('prc_open_data')
    qualify source_file = arg_max(source_file, loaded_at) over (partition by quarter_start)
)

select
    forces.force_code,
    landed.force_name,
    landed.is_force,
    landed.financial_year,
    landed.financial_quarter,
    landed.quarter_start,
    landed.offence_code,
    landed.offence_description,
    landed.offence_subgroup,
    landed.offence_group,
    landed.offences,
    landed.source_file,
    landed.source_row
from landed
left join core.dim_force as forces on forces.home_office_force_name = landed.force_name
