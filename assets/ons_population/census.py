"""Census ethnic group by local authority, as ONS and Nomis ship it:

- Census 2021 (TS021), the ONS custom-dataset CSV (SOURCES.md): one row per authority and category,
  ``Lower tier local authorities Code, Lower tier local authorities, Ethnic group (20 categories) Code,
  Ethnic group (20 categories), Observation``;
- Census 2021 (TS021), the Nomis bulk CSV, ``census2021-ts021-ltla.csv`` from
  https://www.nomisweb.co.uk/output/census/2021/census2021-ts021.zip (the download most users find):
  one row per authority, 28 columns, ``date, geography, geography code``, the total (``Ethnic group: Total:
  All usual residents``), then for each high-level group in turn its subtotal (``Ethnic group: White``) and
  its categories (``Ethnic group: White: Irish``): Asian 5, Black 3, Mixed 4, White 5, Other 2, 19 in all,
  no ``Does not apply``;
- Census 2011 (KS201EW), the Nomis bulk CSV: one row per authority, ``date, geography, geography code,
  Rural Urban``, the total (``Ethnic Group: All categories: Ethnic group; measures: Value``), then each
  group's subtotal (``Ethnic Group: White; measures: Value``) and its categories (``Ethnic Group: White:
  Irish; measures: Value``).

The TS021 bulk column labels were confirmed verbatim against a copy of the Nomis LSOA file kept in a
public repository (Bobbert2121/NHSEgraphs, ``CORE20_Ethnic_Groups/Ethnic_Group_LSOA_IMD_2021Census.csv``:
the 28 Nomis columns with IMD columns appended, its rows adding up as described), and their positions
against a public replication script reading ``census2021-ts021-lsoa.csv`` (the 19 categories at columns
6-10, 12-14, 16-19, 21-25, 27-28 and the 5 subtotals at 5, 11, 15, 20, 26, checked there to add up to the
total). The zip's ``-lsoa``, ``-msoa``, ``-utla``, ``-rgn`` and ``-ctry`` files have the same columns for
other areas; only ``-ltla`` is read (any other geography code is rejected, since adding up small areas
is not what the warehouse was given).

A file is read by the layout its header shows, never by its name; the two Nomis editions are one reader
told apart by the pattern of their measure columns. The published categories (20 in the custom dataset,
19 in the 2021 bulk file, 18 in 2011) are mapped to the five groups data.police.uk stop-and-search uses
(White, Black, Asian, Mixed, Other) by their high-level heading, the text before the colon, which is how
ONS itself nests them (so Chinese is Asian in both censuses). ``Does not apply`` (no usual residents in
scope) is dropped; a Nomis row whose categories do not add up to its published subtotals and total is
rejected. Both 2021 layouts give the same rows for the same figures: ``ethnic_group_20`` is the category
as the custom dataset names it (``Asian, Asian British or Asian Welsh: Bangladeshi``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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

# The id columns of both Nomis bulk editions (2011 adds Rural Urban, "Total" in the published file; not read)
NOMIS_ID_COLUMNS = ("date", "geography", "geography code")
# Census 2011 (Nomis KS201EW bulk CSV): the heading of each category -> stop-and-search group
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
# Census 2021 (Nomis TS021 bulk CSV): the measure columns are "Ethnic group: <label>" (lower-case "group", no
# measures suffix, so neither edition's pattern matches the other's columns)
_NOMIS_2021_MEASURE = re.compile(r"^Ethnic group: (?P<label>.+)$")
NOMIS_2021_TOTAL = "Total: All usual residents"
ETHNIC_GROUPS_5 = ("White", "Black", "Asian", "Mixed", "Other")

# The header is line 1 of the CSV.
FIRST_DATA_ROW = 2

# Local authority district codes (unitary E06, non-metropolitan E07, metropolitan E08, London borough E09,
# Welsh principal area W06): the areas the warehouse maps to forces. LSOAs (E01/W01), MSOAs (E02/W02),
# counties (E10), regions (E12) and countries (E92/W92) are other files of the same Nomis download.
_LA_DISTRICT_CODE = re.compile(r"^(?:E0[6-9]|W06)\d{6}$")


@dataclass(frozen=True)
class NomisEdition:
    """What tells one Nomis bulk ethnic group table from another, and what it must hold."""

    table: str
    census_year: int
    measure: re.Pattern[str]  # matches a measure column; its named group "label" is the category or total
    column_format: str  # a label -> its column, to name a column the header lacks
    total: str
    subtotals: dict[str, str]  # stop-and-search group -> label of its published subtotal, in header order
    headings: dict[str, str]  # category heading (text before the first colon) -> stop-and-search group
    categories: tuple[str, ...]  # the published categories, in header order
    local_authority_file: str  # where the authority-level file is, for a file of other areas

    @property
    def name(self) -> str:
        return f"Census {self.census_year} (Nomis {self.table})"

    def group(self, category: str) -> str | None:
        return self.headings.get(category.split(":", 1)[0].strip())


KS201EW = NomisEdition(
    table="KS201EW",
    census_year=2011,
    measure=_NOMIS_MEASURE,
    column_format="Ethnic Group: {}; measures: Value",
    total=NOMIS_TOTAL,
    subtotals={group: group for group in NOMIS_SUBTOTALS},
    headings=ETHNIC_GROUP_5_BY_HEADING_2011,
    categories=(
        "White: English/Welsh/Scottish/Northern Irish/British",
        "White: Irish",
        "White: Gypsy or Irish Traveller",
        "White: Other White",
        "Mixed/multiple ethnic group: White and Black Caribbean",
        "Mixed/multiple ethnic group: White and Black African",
        "Mixed/multiple ethnic group: White and Asian",
        "Mixed/multiple ethnic group: Other Mixed",
        "Asian/Asian British: Indian",
        "Asian/Asian British: Pakistani",
        "Asian/Asian British: Bangladeshi",
        "Asian/Asian British: Chinese",
        "Asian/Asian British: Other Asian",
        "Black/African/Caribbean/Black British: African",
        "Black/African/Caribbean/Black British: Caribbean",
        "Black/African/Caribbean/Black British: Other Black",
        "Other ethnic group: Arab",
        "Other ethnic group: Any other ethnic group",
    ),
    local_authority_file="deliver KS201EW for local authority districts, not for other areas",
)
TS021 = NomisEdition(
    table="TS021",
    census_year=2021,
    measure=_NOMIS_2021_MEASURE,
    column_format="Ethnic group: {}",
    total=NOMIS_2021_TOTAL,
    # in 2021 a group's subtotal is labelled with its heading itself ("Ethnic group: White")
    subtotals={group: heading for heading, group in ETHNIC_GROUP_5_BY_HEADING.items()},
    headings=ETHNIC_GROUP_5_BY_HEADING,
    categories=(
        "Asian, Asian British or Asian Welsh: Bangladeshi",
        "Asian, Asian British or Asian Welsh: Chinese",
        "Asian, Asian British or Asian Welsh: Indian",
        "Asian, Asian British or Asian Welsh: Pakistani",
        "Asian, Asian British or Asian Welsh: Other Asian",
        "Black, Black British, Black Welsh, Caribbean or African: African",
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
        "Black, Black British, Black Welsh, Caribbean or African: Other Black",
        "Mixed or Multiple ethnic groups: White and Asian",
        "Mixed or Multiple ethnic groups: White and Black African",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
        "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
        "White: English, Welsh, Scottish, Northern Irish or British",
        "White: Irish",
        "White: Gypsy or Irish Traveller",
        "White: Roma",
        "White: Other White",
        "Other ethnic group: Arab",
        "Other ethnic group: Any other ethnic group",
    ),
    local_authority_file="deliver the lower-tier local authority file of the Nomis bulk download "
    "(census2021-ts021-ltla.csv), not its -lsoa, -msoa, -utla, -rgn or -ctry file",
)
NOMIS_EDITIONS = (KS201EW, TS021)


def read_census_ethnicity(path: str | Path) -> pd.DataFrame:
    """Census ethnic group by local authority district, in any of the layouts above.

    Columns: ``la_code``, ``la_name``, ``ethnic_group_20`` (published category),
    ``ethnic_group`` (White/Black/Asian/Mixed/Other), ``persons`` (int), ``census_year`` (2011 or 2021).
    ``Does not apply`` rows are excluded; a category under an unknown heading rejects the file rather
    than being guessed.
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
    # a Nomis file is told by its measure columns too, so one that lost an id column is reported as the Nomis
    # file it is (naming that column), not as a custom dataset missing every column
    editions = [e for e in NOMIS_EDITIONS if any(e.measure.match(c) for c in frame.columns)]
    if editions or all(c in frame.columns for c in NOMIS_ID_COLUMNS):
        if len(editions) != 1:
            tables = " and ".join(e.table for e in NOMIS_EDITIONS)
            rule = (f"the header mixes the measure columns of {tables}" if editions else
                    f"a Nomis bulk header (date, geography, geography code) without the ethnic group columns of "
                    f"{tables} ({'; '.join(e.column_format.format('...') for e in NOMIS_EDITIONS)})")
            raise RejectedFile(path, rule, row=1)
        edition = editions[0]
        absent = [c for c in NOMIS_ID_COLUMNS if c not in frame.columns]
        if absent:
            raise RejectedFile(path, f"{edition.name} column(s) missing from the header: " + ", ".join(absent),
                               row=1, column=absent[0])
        return _read_nomis(path, frame, edition)
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


def _read_nomis(path: Path, frame: pd.DataFrame, edition: NomisEdition) -> pd.DataFrame:
    """A Nomis bulk ethnic group table (KS201EW or TS021): one row per area, a column per category and subtotal."""
    measures = {column: match["label"] for column in frame.columns if (match := edition.measure.match(column))}
    by_label = {label: column for column, label in measures.items()}
    # the whole published table must be there: a category column lost on the way would otherwise only show as a
    # subtotal that does not add up, and not at all where that category is 0
    expected = [edition.total, *edition.subtotals.values(), *edition.categories]
    missing = [label for label in expected if label not in by_label]
    if missing:
        raise RejectedFile(path, f"{edition.name} column(s) missing from the header: "
                           + ", ".join(edition.column_format.format(label) for label in missing), row=1,
                           column=edition.column_format.format(missing[0]))
    known = set(expected)
    for label, column in by_label.items():
        if label in known:
            continue
        if ":" in label and edition.group(label) is None:
            rule = (f"ethnic group '{label}' is not under a known Census {edition.census_year} heading "
                    f"({'; '.join(edition.headings)})")
        else:
            # a column the table does not publish: counting it, or leaving it out, would both be a guess
            rule = f"'{label}' is not a published category of {edition.table}"
        raise RejectedFile(path, rule, row=1, column=column)

    frame = frame.apply(lambda column: column.str.strip())
    lines = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    for column in ("geography code", "date"):
        empty = frame[column].eq("")
        if empty.any():
            at = int(empty.to_numpy().argmax())
            raise RejectedFile(path, f"{column} is empty", row=int(lines[at]), column=column)
    # the year is the file's own statement of which census it is: a TS021 header over 2011 figures (or KS201EW
    # over 2021) is another table or a hand edit, named by the column the file has (the suite's check is on the
    # derived census_year, which no supplier ever sees)
    year = frame["date"].eq(str(edition.census_year))
    if not year.all():
        at = int((~year.to_numpy()).argmax())
        raise RejectedFile(path, f"date '{frame['date'].iloc[at]}' is not a census year of this table: the header "
                           f"is {edition.table}'s, Census {edition.census_year}", row=int(lines[at]),
                           column="date")
    district = frame["geography code"].str.fullmatch(_LA_DISTRICT_CODE.pattern).astype(bool)
    if not district.all():
        at = int((~district.to_numpy()).argmax())
        raise RejectedFile(path, f"geography code '{frame['geography code'].iloc[at]}' is not a local authority "
                           f"district code (E06, E07, E08, E09 or W06): {edition.local_authority_file}",
                           row=int(lines[at]), column="geography code")
    counts = {}
    for label, column in by_label.items():
        values = frame[column]
        is_count = values.str.fullmatch(r"\d+").fillna(False).astype(bool)
        if not is_count.all():
            at = int((~is_count.to_numpy()).argmax())
            raise RejectedFile(path, f"'{values.iloc[at]}' is not a whole number of persons", row=int(lines[at]),
                               column=column)
        counts[label] = values.astype("int64")
    duplicated = frame["geography code"].duplicated()
    if duplicated.any():
        at = int(duplicated.to_numpy().argmax())
        raise RejectedFile(path, "local authority repeated: each is published once", row=int(lines[at]),
                           column="geography code")
    # the categories must add up to each group's subtotal, and the subtotals to the total: a file cut or
    # edited by hand is caught here rather than loaded short
    zero = pd.Series(0, index=frame.index)
    for group, subtotal in edition.subtotals.items():
        members = [label for label in edition.categories if edition.group(label) == group]
        short = sum((counts[label] for label in members), start=zero) != counts[subtotal]
        if short.any():
            at = int(short.to_numpy().argmax())
            raise RejectedFile(path, f"the {group} categories do not add up to the published {group} subtotal",
                               row=int(lines[at]), column=by_label[subtotal])
    off = sum((counts[subtotal] for subtotal in edition.subtotals.values()), start=zero) != counts[edition.total]
    if off.any():
        at = int(off.to_numpy().argmax())
        raise RejectedFile(path, "the group subtotals do not add up to the published total", row=int(lines[at]),
                           column=by_label[edition.total])
    out = pd.concat([
        pd.DataFrame({"la_code": frame["geography code"], "la_name": frame["geography"], "ethnic_group_20": label,
                      "ethnic_group": edition.group(label), "persons": counts[label],
                      "census_year": edition.census_year})
        for label in edition.categories], ignore_index=True)
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
