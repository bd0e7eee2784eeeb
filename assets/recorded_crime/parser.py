"""Recorded crime extracts: the columns of the agreed layout (SOURCES.md, "Recorded crime").

The files are read by the force-CSV reader every force source shares (assets/lib/force_csv.py).
"""

RECORDED_CRIME_COLUMNS = (
    "crime_reference",
    "recorded_date",
    "committed_date",
    "ho_offence_code",
    "offence_description",
    "lsoa_code",
    "victim_age",
    "domestic_abuse",
    "knife_or_sharp_instrument",
    "firearm",
    "online",
    "organised_crime_group",
    "drugs_related",
    "alcohol_related",
    "status",
)
# Optional columns (SOURCES.md, "Recorded crime, optional columns"): an extract may add them; an older
# one without them is still valid. Each is read as delivered when present, all empty when not, and
# `<column>_supplied` says which ('Y': the file had the column, 'N': it did not), so an empty value in
# a file that has the column (no suspect) is told apart from a file that never carried it.
OPTIONAL_RECORDED_CRIME_COLUMNS = ("suspect_age",)
