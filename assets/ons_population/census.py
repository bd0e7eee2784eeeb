"""Census ethnic group by local authority, as ONS ships it for each census:

- Census 2021 (TS021): the ONS custom-dataset CSV (SOURCES.md), one row per authority and category,
  ``Lower tier local authorities Code, ..., Ethnic group (20 categories), Observation``;
- Census 2011 (KS201EW): the Nomis bulk CSV, one row per authority, ``date, geography, geography
  code, Rural Urban``, the total (``Ethnic Group: All categories: Ethnic group; measures: Value``),
  then each group's subtotal and its categories (``Ethnic Group: White: Irish; measures: Value``).

A file is read by the layout its header shows, never by its name. The published categories (20 in
2021, 18 in 2011) are mapped to the five groups data.police.uk stop-and-search uses (White, Black,
Asian, Mixed, Other) by their high-level heading, the text before the colon, which is how ONS itself
nests them (so Chinese is Asian in both). ``Does not apply`` (no usual residents in scope) is dropped;
a 2011 row whose categories do not add up to its published subtotals and total is rejected.
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
OUTPUT_COLUMNS = ("la_code", "la_name", "ethnic_group_20", "ethnic_group", "persons", "census_year")

# Census 2021 high-level ethnic group heading -> stop-and-search group.
ETHNIC_GROUP_5_BY_HEADING: dict[str, str] = {
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Mixed or Multiple ethnic groups": "Mixed",
    "White": "White",
    "Other ethnic group": "Other",
}
EXCLUDED_CATEGORIES = frozenset({"Does not apply"})

# Census 2011 (Nomis KS201EW bulk CSV): the heading of each category -> stop-and-search group, and each
# group's published subtotal column
NOMIS_2011_ID_COLUMNS = ("date", "geography", "geography code")
NOMIS_TOTAL = "All categories: Ethnic group"
ETHNIC_GROUP_5_BY_HEADING_2011: dict[str, str] = {
    "White": "White",
    "Mixed/multiple ethnic group": "Mixed",
    "Asian/Asian British": "Asian",
    "Black/African/Caribbean/Black British": "Black",
    "Other ethnic group": "Other",
}
NOMIS_SUBTOTALS = ("White", "Mixed", "Asian", "Black", "Other")  # each group's subtotal, labelled as the group
_NOMIS_MEASURE = re.compile(r"^Ethnic Group: (?P<label>.+); measures: Value$")
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
    if frame.empty:
        # a header and nothing under it: an export that failed, never a census with no people
        raise RejectedFile(path, "no data rows under the header: the file holds no authority", row=FIRST_DATA_ROW)
    # a Nomis 2011 file is told by its measure columns too, so one that lost an id column is reported as the
    # 2011 file it is (naming that column), not as a 2021 file missing every column
    if all(c in frame.columns for c in NOMIS_2011_ID_COLUMNS) or any(_NOMIS_MEASURE.match(c) for c in frame.columns):
        absent = [c for c in NOMIS_2011_ID_COLUMNS if c not in frame.columns]
        if absent:
            raise RejectedFile(path, "Census 2011 (Nomis KS201EW) column(s) missing from the header: "
                               + ", ".join(absent), row=1, column=absent[0])
        return _read_nomis_2011(path, frame)
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
            "census_year": 2021,
        }
    ).loc[kept.to_numpy()]
    return _typed(out)


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    return out.reset_index(drop=True).astype(
        {c: "str" for c in OUTPUT_COLUMNS if c not in ("persons", "census_year")} | {"census_year": "int64"})


def _read_nomis_2011(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """Census 2011 KS201EW as Nomis ships it: one row per authority, a column per category and subtotal."""
    measures = {column: match["label"] for column in frame.columns if (match := _NOMIS_MEASURE.match(column))}
    by_label = {label: column for column, label in measures.items()}
    expected = [NOMIS_TOTAL, *NOMIS_SUBTOTALS]
    missing = [label for label in expected if label not in by_label]
    if missing:
        raise RejectedFile(path, "Census 2011 (Nomis KS201EW) column(s) missing from the header: "
                           + ", ".join(f"Ethnic Group: {label}; measures: Value" for label in missing), row=1)
    categories = {label: column for label, column in by_label.items() if ":" in label and label != NOMIS_TOTAL}
    unknown = [label for label in categories if label.split(":", 1)[0].strip() not in ETHNIC_GROUP_5_BY_HEADING_2011]
    if unknown:
        raise RejectedFile(path, f"ethnic group '{unknown[0]}' is not under a known Census 2011 heading "
                           f"({'; '.join(ETHNIC_GROUP_5_BY_HEADING_2011)})", row=1,
                           column=f"Ethnic Group: {unknown[0]}; measures: Value")
    frame = frame.apply(lambda column: column.str.strip())
    lines = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    counts = {}
    for label, column in by_label.items():
        values = frame[column]
        is_count = values.str.fullmatch(r"\d+").fillna(False).astype(bool)
        if not is_count.all():
            at = int((~is_count.to_numpy()).argmax())
            raise RejectedFile(path, f"'{values.iloc[at]}' is not a whole number of persons", row=int(lines[at]),
                               column=column)
        counts[label] = values.astype("int64")
    for column in ("geography code", "date"):
        empty = frame[column].eq("")
        if empty.any():
            at = int(empty.to_numpy().argmax())
            raise RejectedFile(path, f"{column} is empty", row=int(lines[at]), column=column)
    duplicated = frame["geography code"].duplicated()
    if duplicated.any():
        at = int(duplicated.to_numpy().argmax())
        raise RejectedFile(path, "local authority repeated: each is published once", row=int(lines[at]),
                           column="geography code")
    # the categories must add up to each group's subtotal, and the subtotals to the total: a file cut or
    # edited by hand is caught here rather than loaded short
    zero = pd.Series(0, index=frame.index)
    for group in NOMIS_SUBTOTALS:
        members = [label for label in categories if ETHNIC_GROUP_5_BY_HEADING_2011[label.split(":", 1)[0]] == group]
        short = sum((counts[label] for label in members), start=zero) != counts[group]
        if short.any():
            at = int(short.to_numpy().argmax())
            raise RejectedFile(path, f"the {group} categories do not add up to the published {group} subtotal",
                               row=int(lines[at]), column=by_label[group])
    off = sum((counts[group] for group in NOMIS_SUBTOTALS), start=zero) != counts[NOMIS_TOTAL]
    if off.any():
        at = int(off.to_numpy().argmax())
        raise RejectedFile(path, "the group subtotals do not add up to the published total", row=int(lines[at]),
                           column=by_label[NOMIS_TOTAL])
    # KS201EW is a Census 2011 table: any other year is a typo or another table, named here by the column the
    # file has (the suite's check is on the derived census_year, which no supplier ever sees)
    year = frame["date"].eq("2011")
    if not year.all():
        at = int((~year.to_numpy()).argmax())
        raise RejectedFile(path, f"date '{frame['date'].iloc[at]}' is not a census year of this table (KS201EW is "
                           "Census 2011)", row=int(lines[at]), column="date")
    out = pd.concat([
        pd.DataFrame({"la_code": frame["geography code"], "la_name": frame["geography"], "ethnic_group_20": label,
                      "ethnic_group": ETHNIC_GROUP_5_BY_HEADING_2011[label.split(":", 1)[0]],
                      "persons": counts[label], "census_year": frame["date"].astype("int64")})
        for label in categories], ignore_index=True)
    return _typed(out.sort_values(["la_code", "ethnic_group_20"], kind="stable"))


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
