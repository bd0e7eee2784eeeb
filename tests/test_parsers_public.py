"""Parsers for the public statistical sources, tested against the real published files.

The real files are bundled in ``sample_data/real/`` (the Home Office file in ``reference/``); the
figures asserted are read off the publications (MANIFEST.md). Rejections are tested on copies of
the real files edited in ``tmp_path``, each checking the message names file, place and rule.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlrd

from assets.homeoffice_prc.parser import SOURCE_COLUMNS, offence_classification, read_prc_pfa
from assets.lib.errors import RejectedFile
from assets.ons_pfa.parser import (
    ONS_OFFENCE_MEASURES,
    ons_measure_for_offence_group,
    read_ons_pfa_editions,
    read_ons_pfa_workbook,
    strip_footnotes,
)
from assets.ons_population.census import ethnicity_by_la, read_census_ethnicity
from assets.ons_population.parser import read_mye_persons, read_mye_persons_wide

REPO = Path(__file__).resolve().parents[1]
# Real publications bundled with the repository; the Home Office file doubles as the offence
# classification the warehouse is built from, so it lives in reference/.
REAL_DATA_DIRS = (REPO / "sample_data" / "real", REPO / "reference")

ONS_JUNE_2019 = "ons-pfa-tables/policeforceareatablesyearendingjune2019.xlsx"
ONS_MARCH_2019 = "ons-pfa-tables/policeforceareatablesyeendingmarch2019.xlsx"
PRC_2017_18 = "prc-pfa-mar2013-onwards-tables201718.csv"
MYE_2019 = "ons-population/ukmidyearestimates20192019ladcodes.xls"

WEST_MIDLANDS = "E23000014"
WEST_MIDLANDS_REGION = "E12000005"


def real_file(relative: str) -> Path:
    """A real published file bundled with the repository."""
    for base in REAL_DATA_DIRS:
        if (base / relative).is_file():
            return base / relative
    pytest.fail(f"real file {relative} not found in {', '.join(map(str, REAL_DATA_DIRS))}")


@pytest.fixture(scope="module")
def ons_june() -> pd.DataFrame:
    return read_ons_pfa_workbook(real_file(ONS_JUNE_2019))


@pytest.fixture(scope="module")
def ons_march() -> pd.DataFrame:
    return read_ons_pfa_workbook(real_file(ONS_MARCH_2019))


@pytest.fixture(scope="module")
def prc() -> pd.DataFrame:
    return read_prc_pfa(real_file(PRC_2017_18))


def assert_rejected(error: pytest.ExceptionInfo[RejectedFile], path: Path, *, rule: str, **where: object) -> None:
    """The message names the file, the place (sheet/cell or row/column) and the rule broken."""
    message = str(error.value)
    assert message.startswith(f"{path.name}: "), message
    assert re.search(rule, message), message
    for key, expected in where.items():
        assert getattr(error.value, key) == expected, message
    if "sheet" in where:
        assert f"sheet '{where['sheet']}'" in message
    if "cell" in where:
        assert f"cell {where['cell']}" in message
    if "row" in where:
        assert f"row {where['row']}" in message


# --- ONS PFA data tables --------------------------------------------------------------------------


def value(frame: pd.DataFrame, area_code: str, table_id: str, measure: str) -> float:
    cells = frame[(frame.area_code == area_code) & (frame.table_id == table_id) & (frame.measure == measure)]
    assert len(cells) == 1, (area_code, table_id, measure, len(cells))
    return cells.value.iloc[0]


def test_ons_june_2019_west_midlands_baseline(ons_june: pd.DataFrame) -> None:
    p1 = {
        "Homicide": 53,
        "Robbery": 8_945,
        "Burglary": 28_675,
        "Residential burglary": 21_542,
        "Total recorded crime (excluding fraud)": 262_558,
        "Violence with injury": 32_340,
    }
    for measure, expected in p1.items():
        assert value(ons_june, WEST_MIDLANDS, "P1", measure) == expected, measure
    knife = "Total of selected serious offences: Number of offences involving a knife"
    assert value(ons_june, WEST_MIDLANDS, "P4", knife) == 3_560
    assert value(ons_june, WEST_MIDLANDS, "P3", "Population figures (mid-2018) rounded to 100") == 2_916_500
    # The region shares the force's name; keyed by code they stay apart.
    assert value(ons_june, WEST_MIDLANDS_REGION, "P1", "Homicide") == 79
    names = ons_june[ons_june.area_code.isin([WEST_MIDLANDS, WEST_MIDLANDS_REGION])]
    assert set(names.area_name) == {"West Midlands"}
    assert set(names[names.area_code == WEST_MIDLANDS_REGION].area_type) == {"region"}
    assert set(names[names.area_code == WEST_MIDLANDS].area_type) == {"force"}


def test_ons_offence_group_mapping_reads_the_baseline(ons_june: pd.DataFrame) -> None:
    expected = {
        "homicide": 53,
        "violence_with_injury": 32_340,
        "knife_crime": 3_560,
        "possession_of_weapons": 2_720,
        "burglary": 28_675,
        "residential_burglary": 21_542,
        "robbery": 8_945,
        "vehicle_offences": 36_130,
        "theft_from_person": 3_239,
        "total_excluding_fraud": 262_558,
    }
    assert set(ONS_OFFENCE_MEASURES) == set(expected)
    for measure_id, number in expected.items():
        table_id, measure = ons_measure_for_offence_group(measure_id)
        assert value(ons_june, WEST_MIDLANDS, table_id, measure) == number, measure_id
    table_id, measure = ons_measure_for_offence_group("total_excluding_fraud", percentage_change=True)
    assert table_id == "P2"
    assert value(ons_june, WEST_MIDLANDS, table_id, measure) == pytest.approx(10.4735, abs=1e-4)
    with pytest.raises(KeyError):
        ons_measure_for_offence_group("knife_crime", percentage_change=True)


def test_ons_edition_period_comes_from_the_titles(ons_june: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    assert set(ons_june.edition_period_end) == {date(2019, 6, 30)}
    assert set(ons_march.edition_period_end) == {date(2019, 3, 31)}
    both = read_ons_pfa_editions([real_file(ONS_MARCH_2019), real_file(ONS_JUNE_2019)])
    assert both.groupby("edition_period_end").size().to_dict() == {
        date(2019, 3, 31): len(ons_march),
        date(2019, 6, 30): len(ons_june),
    }
    assert list(both.columns) == [
        "edition_period_end", "table_id", "area_code", "area_name", "area_type", "measure", "value", "marker",
    ]


def test_ons_tables_read_per_edition(ons_june: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    assert sorted(ons_june.table_id.unique()) == ["P1", "P2", "P3", "P4", "P5"]
    # P7/P8 (anti-social behaviour incidents) have no Area Code header: not area tables here.
    assert sorted(ons_march.table_id.unique()) == ["P1", "P2", "P3", "P4", "P5", "P6"]


def test_ons_british_transport_police_has_no_code(ons_june: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    for frame in (ons_june, ons_march):
        btp = frame[frame.area_name == "British Transport Police"]
        assert set(btp.table_id) >= {"P1", "P2", "P4", "P5"}
        assert btp.area_code.isna().all()
        assert set(btp.area_type) == {"force"}
    btp_p1 = ons_june[(ons_june.area_name == "British Transport Police") & (ons_june.table_id == "P1")]
    assert btp_p1.set_index("measure").value["Total recorded crime (excluding fraud)"] == 68_561


def test_ons_area_types(ons_june: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    for frame in (ons_june, ons_march):
        coded = frame.dropna(subset=["area_code"]).drop_duplicates("area_code").set_index("area_code").area_type
        assert coded["K04000001"] == "country"
        assert coded["E92000001"] == "nation"
        assert coded["W92000004"] == "nation"
        assert coded["E12000007"] == "region"
        assert coded["W15000003"] == "force"
        forces = frame[(frame.table_id == "P1") & (frame.area_type == "force")]
        assert forces.area_code.nunique() == 43  # plus BTP, without a code
        assert (frame[frame.area_code.notna()].area_code.str.fullmatch(r"[A-Z]\d{8}")).all()


def test_ons_names_and_headers_lose_footnotes(ons_june: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    for frame in (ons_june, ons_march):
        assert not frame.area_name.str.contains(r"\d\s*$").any()
        assert not (frame.area_name != frame.area_name.str.strip()).any()
        assert not frame.measure.str.contains(r"\n|\s{2}|\[note", regex=True).any()
        names = set(frame.area_name)
        assert {"Cheshire", "Lancashire", "ENGLAND AND WALES", "North West", "Avon and Somerset"} <= names
        p1 = set(frame[frame.table_id == "P1"].measure)
        assert {"Stalking and harassment", "Residential burglary", "Total recorded crime (excluding fraud)",
                "Death or serious injury - unlawful driving"} <= p1
    p4 = set(ons_june[ons_june.table_id == "P4"].measure)
    assert "Homicide: Number of offences involving a knife" in p4
    assert "Assault with injury and assault with intent to cause serious harm: % involving a knife" in p4
    p5 = set(ons_june[ons_june.table_id == "P5"].measure)
    assert "Apr '10 to Mar '11: Number of selected offences involving a knife" in p5
    assert "% change Jul 2018 to Jun 2019 compared with: Jul '17 to Jun '18" in p5
    p3 = set(ons_march[ons_march.table_id == "P3"].measure)
    assert {"Population figures (mid-2017) rounded to 100", "Residential burglary (households)"} <= p3
    # Footnote digits glued to area codes ('E230000118') are stripped too.
    p2 = ons_march[(ons_march.table_id == "P2") & (ons_march.area_name == "South Yorkshire")]
    assert set(p2.area_code) == {"E23000011"}


def test_ons_markers_are_kept_without_a_value(ons_june: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    for frame in (ons_june, ons_march):
        marked = frame[frame.marker.notna()]
        assert marked.value.isna().all()
        assert set(marked.marker) <= {"-", "+", "N/A", ":", "*", "*↑"}
    homicide_change = ons_june[(ons_june.area_code == WEST_MIDLANDS) & (ons_june.table_id == "P2")
                               & (ons_june.measure == "Homicide")]
    assert homicide_change.marker.tolist() == ["-"]
    city_rates = ons_june[(ons_june.area_code == "E23000034") & (ons_june.table_id == "P3")]
    assert "+" in set(city_rates.marker)
    assert set(ons_june[ons_june.marker == "N/A"].table_id) == {"P5"}


def _expected_table_shape(path: Path) -> dict[str, tuple[int, int, float]]:
    """Independently of the parser: per area table, (data rows, measure columns, sum of numbers)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    shapes = {}
    for worksheet in workbook.worksheets:
        rows = list(worksheet.iter_rows(values_only=True))
        header = next((i for i, r in enumerate(rows)
                       if any(isinstance(v, str) and v.strip() in ("Area Code", "Area Codes") for v in r)), None)
        if header is None:
            continue
        table_id = worksheet.title.strip().split()[-1]
        columns = {j for r in (rows[header - 1], rows[header]) for j, v in enumerate(r)
                   if j > 1 and isinstance(v, str) and v.strip()}
        count, total = 0, 0.0
        for r in rows[header + 1:]:
            first = r[0] if r else None
            if isinstance(first, str) and first.startswith("Source"):
                break
            is_area = (isinstance(first, str) and re.match(r"[A-Z]\d{8}", first)) or (
                len(r) > 1 and isinstance(r[1], str) and r[1].strip())
            if is_area:
                count += 1
                total += sum(v for v in r[2:] if isinstance(v, (int, float)))
        shapes[table_id] = (count, len(columns), total)
    workbook.close()
    return shapes


@pytest.mark.parametrize("edition", [ONS_JUNE_2019, ONS_MARCH_2019])
def test_ons_every_table_loads_completely(edition: str, ons_june: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    frame = ons_june if edition == ONS_JUNE_2019 else ons_march
    expected = _expected_table_shape(real_file(edition))
    assert set(expected) == set(frame.table_id)
    for table_id, (rows, measures, total) in expected.items():
        table = frame[frame.table_id == table_id]
        assert table.measure.nunique() == measures, table_id
        assert len(table) == rows * measures, table_id
        assert len(table[["area_code", "area_name"]].drop_duplicates()) == rows, table_id
        assert math.isclose(table.value.sum(), total, rel_tol=1e-12), table_id
    # e.g. June P1: 55 coded areas and BTP.
    assert expected.get("P1", (0,))[0] == 56


@pytest.mark.parametrize(
    ("published", "clean"),
    [
        ("Cheshire7", "Cheshire"),
        ("Lancashire 8", "Lancashire"),
        ("ENGLAND AND WALES6", "ENGLAND AND WALES"),
        ("ENGLAND AND WALES4,5,6,7,8,9,10", "ENGLAND AND WALES"),
        ("North West 7,8", "North West"),
        ("West Midlands ", "West Midlands"),
        ("London 10", "London"),
        ("Stalking and harassment 4", "Stalking and harassment"),
        ("Residential burglary5", "Residential burglary"),
        ("Total recorded crime (excluding fraud3)", "Total recorded crime (excluding fraud)"),
        ("Population figures\n (mid-2018)3  rounded to 100", "Population figures (mid-2018) rounded to 100"),
        ("Residential burglary\n(households)6,8", "Residential burglary (households)"),
        ("Number of\n offences\n involving a\n knife6", "Number of offences involving a knife"),
        ("Apr '11 to Mar '126,7,8", "Apr '11 to Mar '12"),
        ("Apr '10 to Mar '11", "Apr '10 to Mar '11"),
        ("Statistically significantly different from Apr '17 to     Mar '182",
         "Statistically significantly different from Apr '17 to Mar '18"),
        ("year ending June 20191,2", "year ending June 2019"),
        ("Homicide [note 3]", "Homicide"),
        ("Knife or sharp instrument offences [note 4] [note 5]", "Knife or sharp instrument offences"),
        ("Aged 16-24", "Aged 16-24"),
    ],
)
def test_strip_footnotes(published: str, clean: str) -> None:
    assert strip_footnotes(published) == clean


def test_ons_newer_edition_layout(tmp_path: Path) -> None:
    """Bracketed markers, [note N] headers, a single header row lower down: same rules, no branch."""
    path = tmp_path / "pfa-tables-december-2023.xlsx"
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "Cover sheet"
    cover["A1"] = "Crime in England and Wales: Police Force Area data tables"
    sheet = workbook.create_sheet("Table P1")
    sheet["A1"] = "Table P1: Police recorded crime by offence group, year ending December 2023 [note 1]"
    sheet["A2"] = "This worksheet contains one table."
    sheet.append([])
    sheet.append(["Area Code", "Area Name", "Homicide [note 3]", "Robbery", "Residential burglary [note 5]"])
    sheet.append(["K04000001", "England and Wales [note 2]", 590, 77_000, 200_000])
    sheet.append(["E23000014", "West Midlands", 40, "[x]", "12,345"])
    sheet.append([None, "British Transport Police", "[c]", 300, "[z]"])
    workbook.save(path)

    frame = read_ons_pfa_workbook(path)
    assert set(frame.edition_period_end) == {date(2023, 12, 31)}
    assert sorted(frame.measure.unique()) == ["Homicide", "Residential burglary", "Robbery"]
    assert set(frame.area_name) == {"England and Wales", "West Midlands", "British Transport Police"}
    wm = frame[frame.area_code == WEST_MIDLANDS].set_index("measure")
    assert wm.value["Homicide"] == 40
    assert wm.value["Residential burglary"] == 12_345
    assert wm.marker["Robbery"] == "[x]" and math.isnan(wm.value["Robbery"])
    btp = frame[frame.area_name == "British Transport Police"].set_index("measure")
    assert btp.area_code.isna().all() and set(btp.area_type) == {"force"}
    assert btp.marker["Homicide"] == "[c]" and btp.marker["Residential burglary"] == "[z]"
    assert pd.isna(btp.marker["Robbery"]) and btp.value["Robbery"] == 300


def _edit_ons_copy(tmp_path: Path, edit: Callable[[openpyxl.Workbook], object]) -> Path:
    path = tmp_path / Path(ONS_JUNE_2019).name
    shutil.copy(real_file(ONS_JUNE_2019), path)
    workbook = openpyxl.load_workbook(path, keep_links=False)
    edit(workbook)
    workbook.save(path)
    return path


def test_ons_rejects_missing_table_p1(tmp_path: Path) -> None:
    path = _edit_ons_copy(tmp_path, lambda wb: wb.remove(wb["Table P1"]))
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, rule=r"no 'Table P1' sheet", sheet="Table P1")


def test_ons_rejects_codes_without_area_code_header(tmp_path: Path) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Table P1"]["A5"] = "Area"

    path = _edit_ons_copy(tmp_path, edit)
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, rule=r"no 'Area Code' header", sheet="Table P1", cell="A7")


def test_ons_rejects_renamed_area_name_column(tmp_path: Path) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Table P4 "]["B5"] = "Police force area"

    path = _edit_ons_copy(tmp_path, edit)
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, rule=r"no 'Area Name' header", sheet="Table P4 ", cell="B5")


def test_ons_rejects_text_in_a_count_cell(tmp_path: Path) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Table P1"]["F34"] = "fifty-three"  # West Midlands homicide

    path = _edit_ons_copy(tmp_path, edit)
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, rule=r"'fifty-three' is neither a number nor a known ONS marker",
                    sheet="Table P1", cell="F34")


def test_ons_rejects_a_workbook_without_a_period(tmp_path: Path) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        for sheet in workbook.worksheets[1:]:
            sheet["A1"] = "Table " + sheet.title.strip().split()[-1] + ": Police recorded crime"

    path = _edit_ons_copy(tmp_path, edit)
    with pytest.raises(RejectedFile) as error:
        read_ons_pfa_workbook(path)
    assert_rejected(error, path, rule=r"no 'year ending <Month> <YYYY>'", sheet="Table P1", cell="A1")


# --- Home Office PRC PFA open data ----------------------------------------------------------------


def test_prc_west_midlands_total_excluding_fraud(prc: pd.DataFrame, ons_march: pd.DataFrame) -> None:
    wm = prc[(prc.force_name == "West Midlands") & (prc.financial_year == "2017/18")]
    total = wm[wm.offence_group != "Fraud offences"].offences.sum()
    assert total == 233_393
    # The same figure is ONS Table P1 for the year ending March 2018, which the March 2019 edition
    # gives back through its P1 count and P2 % change.
    p1 = value(ons_march, WEST_MIDLANDS, "P1", "Total recorded crime (excluding fraud)")
    p2 = value(ons_march, WEST_MIDLANDS, "P2", "Total recorded crime (excluding fraud)")
    assert round(p1 / (1 + p2 / 100)) == total


def test_prc_counts_and_types(prc: pd.DataFrame) -> None:
    path = real_file(PRC_2017_18)
    with path.open(encoding="utf-8", newline="") as handle:
        raw = [row["Number of Offences"] for row in csv.DictReader(handle)]
    assert len(prc) == len(raw) == 23_068
    published = pd.Series(raw).str.strip()
    assert (published == "-00").sum() == 5_792
    assert (prc.offences[published == "-00"] == 0).all()
    negatives = prc[prc.offences < 0]
    assert len(negatives) == 36 and prc.offences.min() == -45
    assert (negatives.offences.astype(str).values == published[prc.offences < 0].values).all()
    assert prc.dtypes["offences"] == "int64"
    assert prc.dtypes["financial_quarter"] == "int64"
    assert prc.groupby("financial_quarter").quarter_start.first().to_dict() == {
        1: date(2017, 4, 1), 2: date(2017, 7, 1), 3: date(2017, 10, 1), 4: date(2018, 1, 1),
    }
    assert "1/4.1/4.10/4.2" in set(prc.offence_code)


def test_prc_forces(prc: pd.DataFrame) -> None:
    assert "London, City of" in set(prc.force_name)
    by_force = prc.drop_duplicates("force_name").set_index("force_name").is_force
    assert by_force["London, City of"] and by_force["West Midlands"] and by_force["British Transport Police"]
    for body in ("Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK"):
        assert not by_force[body], body
    assert by_force.sum() == 44  # 43 territorial forces and BTP


def test_prc_offence_classification(prc: pd.DataFrame) -> None:
    classification = offence_classification(prc)
    assert list(classification.columns) == [
        "offence_code", "offence_description", "offence_subgroup", "offence_group", "source_code",
    ]
    assert classification.offence_code.is_unique
    assert not classification.offence_code.str.contains("/").any()
    homicide = classification[classification.source_code == "1/4.1/4.10/4.2"]
    assert sorted(homicide.offence_code) == ["1", "4.1", "4.10", "4.2"]
    assert set(homicide.offence_subgroup) == {"Homicide"}
    assert set(homicide.offence_group) == {"Violence against the person"}
    codes = classification.set_index("offence_code")
    assert codes.loc["28E", "offence_subgroup"] == "Domestic burglary"
    assert codes.loc["8N", "offence_group"] == "Violence against the person"
    assert len(classification) == 135  # 132 distinct published rows, homicide split into four


def _prc_slice() -> pd.DataFrame:
    """Real rows (text as published) from two quarters and a few forces, -00 and a -1 among them."""
    frame = pd.read_csv(real_file(PRC_2017_18), dtype=str, keep_default_na=False)
    forces = ["Action Fraud", "London, City of", "West Midlands", "Dorset"]
    return frame[frame["Force Name"].isin(forces) & frame["Financial Quarter"].isin(["1", "4"])]


def test_prc_workbooks_parse_like_the_csv(tmp_path: Path) -> None:
    rows = _prc_slice()
    quarter = rows["Financial Quarter"]
    halves = {"2017-18 Q1": rows[quarter == "1"], "2017-18 Q4": rows[quarter == "4"]}
    csv_path = tmp_path / "prc-pfa-slice.csv"
    rows.to_csv(csv_path, index=False)
    expected = read_prc_pfa(csv_path)
    assert (expected.offences == 0).any() and (expected.offences < 0).any()

    for suffix, engine in ((".xlsx", "openpyxl"), (".ods", "odf")):
        path = tmp_path / f"prc-pfa-slice{suffix}"
        with pd.ExcelWriter(path, engine=engine) as writer:
            pd.DataFrame({"Notes": ["Police recorded crime by PFA, see the user guide"]}).to_excel(
                writer, sheet_name="Notes", index=False
            )
            for sheet, half in halves.items():
                # As a workbook publishes them: counts and quarters are numbers, codes stay text.
                half = half.assign(
                    **{"Financial Quarter": half["Financial Quarter"].astype(int),
                       "Number of Offences": half["Number of Offences"].str.strip().astype(int)}
                )
                half.to_excel(writer, sheet_name=sheet, index=False)
        parsed = read_prc_pfa(path)
        pd.testing.assert_frame_equal(parsed, expected, check_dtype=False)
        assert "1/4.1/4.10/4.2" in set(parsed.offence_code)


def _write_prc_csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _prc_rows(n: int = 5) -> list[dict[str, str]]:
    with real_file(PRC_2017_18).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [next(reader) for _ in range(n)]


def test_prc_rejects_missing_column(tmp_path: Path) -> None:
    columns = [c for c in SOURCE_COLUMNS if c != "Offence Code"]
    path = _write_prc_csv(tmp_path / "prc-pfa-missing.csv", _prc_rows(), columns)
    with pytest.raises(RejectedFile) as error:
        read_prc_pfa(path)
    assert_rejected(error, path, rule=r"required column\(s\) missing.*Offence Code", row=1)


def test_prc_rejects_renamed_column(tmp_path: Path) -> None:
    rows = [{("Force" if k == "Force Name" else k): v for k, v in r.items()} for r in _prc_rows()]
    columns = ["Force" if c == "Force Name" else c for c in SOURCE_COLUMNS]
    path = _write_prc_csv(tmp_path / "prc-pfa-renamed.csv", rows, columns)
    with pytest.raises(RejectedFile) as error:
        read_prc_pfa(path)
    assert_rejected(error, path, rule=r"missing from the header: Force Name", row=1)


def test_prc_rejects_text_count_naming_the_row(tmp_path: Path) -> None:
    rows = _prc_rows()
    rows[3]["Number of Offences"] = " twelve "
    path = _write_prc_csv(tmp_path / "prc-pfa-text.csv", rows, list(SOURCE_COLUMNS))
    with pytest.raises(RejectedFile) as error:
        read_prc_pfa(path)
    assert_rejected(error, path, rule=r"'twelve' is not a whole number", row=5, column="Number of Offences")


def test_prc_rejects_unknown_quarter(tmp_path: Path) -> None:
    rows = _prc_rows()
    rows[1]["Financial Quarter"] = "5"
    path = _write_prc_csv(tmp_path / "prc-pfa-quarter.csv", rows, list(SOURCE_COLUMNS))
    with pytest.raises(RejectedFile) as error:
        read_prc_pfa(path)
    assert_rejected(error, path, rule=r"unknown financial quarter '5'", row=3, column="Financial Quarter")


def test_prc_workbook_rejections_name_sheet_and_cell(tmp_path: Path) -> None:
    rows = pd.DataFrame(_prc_rows(), columns=list(SOURCE_COLUMNS))
    path = tmp_path / "prc-pfa-bad.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        rows.assign(**{"Number of Offences": ["1", "2", "n/a", "4", "5"]}).to_excel(
            writer, sheet_name="2017_18", index=False)
    with pytest.raises(RejectedFile) as error:
        read_prc_pfa(path)
    assert_rejected(error, path, rule=r"'n/a' is not a whole number", sheet="2017_18", cell="H4")

    missing = tmp_path / "prc-pfa-no-year-sheet.xlsx"
    with pd.ExcelWriter(missing, engine="openpyxl") as writer:
        pd.DataFrame({"Notes": ["see the user guide"]}).to_excel(writer, sheet_name="Notes", index=False)
    with pytest.raises(RejectedFile) as error:
        read_prc_pfa(missing)
    assert_rejected(error, missing, rule=r"no sheet with the PRC header")


# --- ONS mid-year population estimates ------------------------------------------------------------


@pytest.fixture(scope="module")
def mye() -> pd.DataFrame:
    return read_mye_persons(real_file(MYE_2019))


def test_mye_2019_west_midlands(mye: pd.DataFrame) -> None:
    assert set(mye.mid_year) == {2019}
    wm = mye[mye.area_code == "E11000005"]
    assert set(wm.geography) == {"Metropolitan County"}
    assert wm.persons.sum() == 2_928_592
    wide = read_mye_persons_wide(real_file(MYE_2019)).set_index("area_code")
    assert wide.loc["E11000005", "all_ages"] == 2_928_592
    ages = [str(a) for a in range(90)] + ["90+"]
    assert list(wm.age) == ages
    assert (wide[ages].sum(axis=1) == wide.all_ages).all()
    assert "E08000025" in set(mye.area_code)
    assert wide.loc["E08000025", "area_name"] == "Birmingham"
    assert list(mye.columns) == ["mid_year", "area_code", "area_name", "geography", "age", "persons"]


def _mye_rows(limit: int | None = None) -> list[list]:
    book = xlrd.open_workbook(real_file(MYE_2019), on_demand=True)
    sheet = book.sheet_by_name("MYE2 - Persons")
    rows = [sheet.row_values(r) for r in range(sheet.nrows)]
    book.release_resources()
    if limit is not None:
        rows = rows[:limit] + rows[-2:]  # keep the footnote
    return [[None if v == "" else v for v in row] for row in rows]


def _write_mye_xlsx(path: Path, rows: list[list], sheet: str = "MYE2 - Persons") -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Contents"
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def test_mye_xlsx_with_the_header_lower_down(tmp_path: Path) -> None:
    rows = _mye_rows()
    header = next(i for i, r in enumerate(rows) if r[0] == "Code")
    shifted = rows[:header] + [["Figures may not sum because of rounding."], []] + rows[header:]
    path = _write_mye_xlsx(tmp_path / "mye-2019.xlsx", shifted)
    parsed = read_mye_persons(path)
    pd.testing.assert_frame_equal(parsed, read_mye_persons(real_file(MYE_2019)))


def _mye_rejection(
    tmp_path: Path, edit: Callable[[list[list]], object], sheet: str = "MYE2 - Persons"
) -> tuple[Path, pytest.ExceptionInfo[RejectedFile]]:
    rows = _mye_rows(limit=20)
    edit(rows)
    path = _write_mye_xlsx(tmp_path / "mye-bad.xlsx", rows, sheet)
    with pytest.raises(RejectedFile) as error:
        read_mye_persons(path)
    return path, error


def test_mye_rejects_missing_sheet(tmp_path: Path) -> None:
    path, error = _mye_rejection(tmp_path, lambda rows: None, sheet="MYE2 - Males")
    assert_rejected(error, path, rule=r"no 'MYE2 - Persons' sheet", sheet="MYE2 - Persons")


def test_mye_rejects_header_without_code(tmp_path: Path) -> None:
    def edit(rows: list[list]) -> None:
        rows[4][0] = "Area code"

    path, error = _mye_rejection(tmp_path, edit)
    assert_rejected(error, path, rule=r"no cell reads 'Code'", sheet="MYE2 - Persons", cell="A1")


def test_mye_rejects_renamed_column(tmp_path: Path) -> None:
    def edit(rows: list[list]) -> None:
        rows[4][3] = "Total"

    path, error = _mye_rejection(tmp_path, edit)
    assert_rejected(error, path, rule=r"no 'All ages' column", sheet="MYE2 - Persons", cell="A5")


def test_mye_rejects_text_in_a_count(tmp_path: Path) -> None:
    def edit(rows: list[list]) -> None:
        rows[9][6] = "n/a"  # row 10, age 2

    path, error = _mye_rejection(tmp_path, edit)
    assert_rejected(error, path, rule=r"'n/a' is not a whole number", sheet="MYE2 - Persons", cell="G10")


def test_mye_rejects_ages_not_adding_up(tmp_path: Path) -> None:
    def edit(rows: list[list]) -> None:
        rows[7][3] += 1  # England and Wales all ages

    path, error = _mye_rejection(tmp_path, edit)
    assert_rejected(error, path, rule=r"add up to .* not the All ages", sheet="MYE2 - Persons", cell="D8")


# --- Census 2021 ethnic group by local authority --------------------------------------------------

CENSUS_HEADER = (
    "Lower tier local authorities Code,Lower tier local authorities,"
    "Ethnic group (20 categories) Code,Ethnic group (20 categories),Observation"
)
# (code, category, Birmingham, Solihull): small hand-picked numbers, so group totals can be added up
# by eye.
CENSUS_ROWS = (
    (-8, "Does not apply", 0, 0),
    (1, "Asian, Asian British or Asian Welsh: Bangladeshi", 10, 1),
    (2, "Asian, Asian British or Asian Welsh: Chinese", 20, 2),
    (3, "Asian, Asian British or Asian Welsh: Indian", 30, 3),
    (4, "Asian, Asian British or Asian Welsh: Pakistani", 40, 4),
    (5, "Asian, Asian British or Asian Welsh: Other Asian", 5, 0),
    (6, "Black, Black British, Black Welsh, Caribbean or African: African", 11, 1),
    (7, "Black, Black British, Black Welsh, Caribbean or African: Caribbean", 12, 2),
    (8, "Black, Black British, Black Welsh, Caribbean or African: Other Black", 3, 0),
    (9, "Mixed or Multiple ethnic groups: White and Asian", 4, 1),
    (10, "Mixed or Multiple ethnic groups: White and Black African", 2, 0),
    (11, "Mixed or Multiple ethnic groups: White and Black Caribbean", 6, 1),
    (12, "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups", 1, 0),
    (13, "White: English, Welsh, Scottish, Northern Irish or British", 100, 50),
    (14, "White: Irish", 7, 2),
    (15, "White: Gypsy or Irish Traveller", 1, 0),
    (16, "White: Roma", 1, 0),
    (17, "White: Other White", 9, 3),
    (18, "Other ethnic group: Arab", 8, 0),
    (19, "Other ethnic group: Any other ethnic group", 4, 1),
)


def _write_census(path: Path, rows: tuple = CENSUS_ROWS, header: str = CENSUS_HEADER) -> Path:
    lines = [header]
    for code, category, birmingham, solihull in rows:
        lines.append(f'E08000025,Birmingham,{code},"{category}",{birmingham}')
        lines.append(f'E08000029,Solihull,{code},"{category}",{solihull}')
    # As ONS ships it: a byte-order mark and CRLF line ends.
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def test_census_maps_twenty_categories_to_five(tmp_path: Path) -> None:
    frame = read_census_ethnicity(_write_census(tmp_path / "census2021-ethnic-group-by-la.csv"))
    assert list(frame.columns) == ["la_code", "la_name", "ethnic_group_20", "ethnic_group", "persons", "census_year"]
    assert set(frame.census_year) == {2021}  # the custom dataset's layout is Census 2021's
    assert "Does not apply" not in set(frame.ethnic_group_20)
    assert len(frame) == 2 * 19
    mapped = frame.drop_duplicates("ethnic_group_20").set_index("ethnic_group_20").ethnic_group
    assert mapped["Asian, Asian British or Asian Welsh: Bangladeshi"] == "Asian"
    assert mapped["Black, Black British, Black Welsh, Caribbean or African: African"] == "Black"
    assert mapped["Mixed or Multiple ethnic groups: White and Asian"] == "Mixed"
    assert mapped["White: English, Welsh, Scottish, Northern Irish or British"] == "White"
    assert mapped["White: Gypsy or Irish Traveller"] == "White"
    assert mapped["Other ethnic group: Arab"] == "Other"

    totals = ethnicity_by_la(frame).set_index(["la_code", "ethnic_group"]).persons
    # Birmingham: Asian 10+20+30+40+5, Black 11+12+3, Mixed 4+2+6+1, White 100+7+1+1+9, Other 8+4.
    assert totals["E08000025"].to_dict() == {"Asian": 105, "Black": 26, "Mixed": 13, "Other": 12, "White": 118}
    # Solihull: Asian 1+2+3+4+0, Black 1+2+0, Mixed 1+0+1+0, White 50+2+0+0+3, Other 0+1.
    assert totals["E08000029"].to_dict() == {"Asian": 10, "Black": 3, "Mixed": 2, "Other": 1, "White": 55}
    assert frame.groupby("la_code").persons.sum().to_dict() == {"E08000025": 274, "E08000029": 71}


def test_census_rejects_missing_column(tmp_path: Path) -> None:
    header = CENSUS_HEADER.replace(",Observation", ",Count")
    path = _write_census(tmp_path / "census-renamed.csv", header=header)
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"missing from the header: Observation", row=1, column="Observation")


def test_census_rejects_header_not_on_the_first_line(tmp_path: Path) -> None:
    path = _write_census(tmp_path / "census-title.csv", header="Census 2021 ethnic group\r\n" + CENSUS_HEADER)
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"required column\(s\) missing", row=1)


def test_census_rejects_text_in_a_count(tmp_path: Path) -> None:
    rows = list(CENSUS_ROWS)
    rows[2] = (2, "Asian, Asian British or Asian Welsh: Chinese", "c", 2)  # Birmingham's, on line 6
    path = _write_census(tmp_path / "census-text.csv", rows=tuple(rows))
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"Observation 'c' is not a whole number", row=6, column="Observation")


def test_census_rejects_an_unknown_category(tmp_path: Path) -> None:
    rows = (*CENSUS_ROWS, (20, "Prefer not to say", 1, 1))
    path = _write_census(tmp_path / "census-unknown.csv", rows=rows)
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"'Prefer not to say' is not under a known Census 2021 heading",
                    row=42, column="Ethnic group (20 categories)")


CENSUS_2011 = REPO / "sample_data" / "real" / "ons-census" / "census2011-ks201ew-ethnic-group-by-la.subset30.csv"


def test_census_2011_nomis_bulk_file_as_published(tmp_path: Path) -> None:
    # 30 real rows of KS201EW (the West Midlands, Warwickshire, West Mercia and Staffordshire authorities)
    frame = read_census_ethnicity(CENSUS_2011)
    assert set(frame.census_year) == {2011} and len(frame) == 30 * 18  # 18 categories, no subtotals
    birmingham = frame[frame.la_code == "E08000025"].groupby("ethnic_group").persons.sum().to_dict()
    # the published subtotals of Birmingham's row
    assert birmingham == {"White": 621_636, "Mixed": 47_605, "Asian": 285_640, "Black": 96_360, "Other": 21_804}
    chinese = frame[(frame.la_code == "E08000025") & frame.ethnic_group_20.str.endswith("Chinese")]
    assert chinese[["ethnic_group", "persons"]].values.tolist() == [["Asian", 12_712]]
    metropolitan = ("E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031")
    assert frame[frame.la_code.isin(metropolitan)].persons.sum() == 2_736_460  # West Midlands county, 2011


def _edited_2011(tmp_path: Path, edit) -> Path:
    lines = CENSUS_2011.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "census2011-edited.csv"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def test_census_2011_rejects_categories_that_do_not_add_up(tmp_path: Path) -> None:
    # Birmingham (line 19): White: Irish 22021 -> 22020, one short of the White subtotal
    path = _edited_2011(tmp_path, lambda lines: [line.replace(",570217,22021,", ",570217,22020,") for line in lines])
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"White categories do not add up to the published White subtotal", row=19,
                    column="Ethnic Group: White; measures: Value")


def test_census_2011_rejects_text_in_a_count_and_a_missing_subtotal(tmp_path: Path) -> None:
    path = _edited_2011(tmp_path, lambda lines: [line.replace(",1073045,", ",x,") for line in lines])
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"'x' is not a whole number", row=19,
                    column="Ethnic Group: All categories: Ethnic group; measures: Value")
    path = _edited_2011(tmp_path, lambda lines: [lines[0].replace("Ethnic Group: Black; measures", "Black; measures"),
                                                 *lines[1:]])
    with pytest.raises(RejectedFile) as error:
        read_census_ethnicity(path)
    assert_rejected(error, path, rule=r"Census 2011 \(Nomis KS201EW\) column\(s\) missing from the header: "
                    r"Ethnic Group: Black; measures: Value", row=1)
