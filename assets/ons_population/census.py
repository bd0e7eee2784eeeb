"""Census 2021 ethnic group by local authority: ONS custom-dataset CSV (SOURCES.md).

The 20 published categories are mapped to the five groups data.police.uk stop-and-search uses
(White, Black, Asian, Mixed, Other) by their high-level heading, the text before the colon, which
is how ONS itself nests them. ``Does not apply`` (no usual residents in scope) is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from assets.lib.errors import RejectedFile

SOURCE_COLUMNS = (
    "Lower tier local authorities Code",
    "Lower tier local authorities",
    "Ethnic group (20 categories) Code",
    "Ethnic group (20 categories)",
    "Observation",
)
OUTPUT_COLUMNS = ("la_code", "la_name", "ethnic_group_20", "ethnic_group", "persons")

# Census 2021 high-level ethnic group heading -> stop-and-search group.
ETHNIC_GROUP_5_BY_HEADING: dict[str, str] = {
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Mixed or Multiple ethnic groups": "Mixed",
    "White": "White",
    "Other ethnic group": "Other",
}
EXCLUDED_CATEGORIES = frozenset({"Does not apply"})
ETHNIC_GROUPS_5 = ("White", "Black", "Asian", "Mixed", "Other")

# The header is line 1 of the CSV.
FIRST_DATA_ROW = 2


def read_census_ethnicity(path: str | Path) -> pd.DataFrame:
    """Census 2021 ethnic group (20 categories) by lower-tier local authority.

    Columns: ``la_code``, ``la_name``, ``ethnic_group_20`` (published category),
    ``ethnic_group`` (White/Black/Asian/Mixed/Other), ``persons`` (int). ``Does not apply`` rows
    are excluded; a category under an unknown heading rejects the file rather than being guessed.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise RejectedFile(path, f"not a well-formed CSV ({str(error).strip()})", row=_error_line(error)) from error
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in SOURCE_COLUMNS if c not in frame.columns]
    if missing:
        raise RejectedFile(
            path, f"required column(s) missing from the header: {', '.join(missing)}", row=1, column=missing[0]
        )
    frame = frame.loc[:, list(SOURCE_COLUMNS)].apply(lambda column: column.str.strip())
    lines = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))

    observation = frame["Observation"]
    is_count = observation.str.fullmatch(r"\d+|\d{1,3}(?:,\d{3})+").fillna(False).astype(bool)
    if not is_count.all():
        at = int((~is_count.to_numpy()).argmax())
        raise RejectedFile(
            path,
            f"Observation '{observation.iloc[at]}' is not a whole number of persons",
            row=int(lines[at]),
            column="Observation",
        )
    for column in ("Lower tier local authorities Code", "Ethnic group (20 categories)"):
        empty = frame[column].eq("")
        if empty.any():
            at = int(empty.to_numpy().argmax())
            raise RejectedFile(path, f"{column} is empty", row=int(lines[at]), column=column)

    category = frame["Ethnic group (20 categories)"]
    kept = ~category.isin(EXCLUDED_CATEGORIES)
    heading = category.str.split(":", n=1).str[0].str.strip()
    group = heading.map(ETHNIC_GROUP_5_BY_HEADING)
    unknown = kept & group.isna()
    if unknown.any():
        at = int(unknown.to_numpy().argmax())
        raise RejectedFile(
            path,
            f"ethnic group '{category.iloc[at]}' is not under a known Census 2021 heading "
            f"({'; '.join(ETHNIC_GROUP_5_BY_HEADING)})",
            row=int(lines[at]),
            column="Ethnic group (20 categories)",
        )

    duplicated = frame.duplicated(subset=["Lower tier local authorities Code", "Ethnic group (20 categories)"])
    if duplicated.any():
        at = int(duplicated.to_numpy().argmax())
        raise RejectedFile(
            path,
            "local authority and ethnic group repeated: each pair is published once",
            row=int(lines[at]),
            column="Ethnic group (20 categories)",
        )

    out = pd.DataFrame(
        {
            "la_code": frame["Lower tier local authorities Code"],
            "la_name": frame["Lower tier local authorities"],
            "ethnic_group_20": category,
            "ethnic_group": group,
            "persons": pd.to_numeric(observation.str.replace(",", "", regex=False)).astype("int64"),
        }
    ).loc[kept.to_numpy()]
    return out.reset_index(drop=True).astype({c: "str" for c in OUTPUT_COLUMNS if c != "persons"})


def ethnicity_by_la(df: pd.DataFrame) -> pd.DataFrame:
    """Persons per local authority and five-way group: ``la_code, la_name, ethnic_group, persons``.

    Every authority gets all five groups (0 where none), so ratios downstream never miss a row.
    """
    wide = df.pivot_table(
        index=["la_code", "la_name"], columns="ethnic_group", values="persons", aggfunc="sum", fill_value=0
    ).reindex(columns=list(ETHNIC_GROUPS_5), fill_value=0)
    wide.columns.name = None
    long = wide.reset_index().melt(id_vars=["la_code", "la_name"], var_name="ethnic_group", value_name="persons")
    long["persons"] = long["persons"].astype("int64")
    return long.sort_values(["la_code", "ethnic_group"], kind="stable").reset_index(drop=True)


def _error_line(error: Exception) -> int | None:
    """The line pandas names in a CSV parse error ("Expected 5 fields in line 7, saw 6")."""
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None
