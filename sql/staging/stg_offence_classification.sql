-- Every (code, description, subgroup, group) the Home Office PRC open data uses: the official
-- offence classification. Codes stay text: '4.10' is not '4.1'.
select distinct
    trim("Offence Code")        as source_code,
    trim("Offence Description") as offence_description,
    trim("Offence Subgroup")    as offence_subgroup,
    trim("Offence Group")       as offence_group
from read_csv(getvariable('offence_classification_csv'), header = true, all_varchar = true)
where "Offence Code" is not null
