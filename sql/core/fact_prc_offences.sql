-- Home Office police recorded crime open data: offences per force, financial quarter and offence
-- code. A file re-delivered replaces its rows; where several files hold the same quarter (the
-- workbook is re-published each year) the one loaded last wins. Non-geographic bodies (Action
-- Fraud, CIFAS, UK Finance) have no force_code.
with landed as (
    select landed.*, loads.loaded_at
    from landed.prc_open_data as landed
    left join meta.loaded_files as loads
        on loads.source = 'prc_open_data' and loads.file_name = landed.source_file
),

latest_file_per_quarter as (
    select quarter_start, arg_max(source_file, loaded_at) as source_file
    from landed
    group by quarter_start
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
inner join latest_file_per_quarter using (quarter_start, source_file)
left join core.dim_force as forces on forces.home_office_force_name = landed.force_name
