"""marts.force_comparison on the real year-ending-June-2019 ONS edition, checked against its Table P3 read here
cell by cell with openpyxl (not through the project's parser), and on hand-made rows."""

from __future__ import annotations

import re

import duckdb
import openpyxl
import pandas as pd
import pytest

from assets.lib.sql import build_table
from assets.ons_pfa.parser import read_ons_pfa_workbook
from tests.conftest import ONS_JUNE_2019

EDITION = ONS_JUNE_2019
WM, GMP, MERSEYSIDE = "E23000014", "E23000005", "E23000006"
FORCE_CODE = re.compile(r"^(E23|W15)\d{6}$")


def published_rates(measure: str) -> tuple[dict[str, float], float]:
    """{force code: rate} and the England and Wales rate of one offence group, from Table P3 as published."""
    sheet = openpyxl.load_workbook(EDITION, read_only=True)["Table P3"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "Area Code")
    column = next(i for i, label in enumerate(header) if isinstance(label, str) and label.strip() == measure)
    forces = {row[0]: float(row[column]) for row in rows
              if isinstance(row[0], str) and FORCE_CODE.match(row[0].strip()) and isinstance(row[column], int | float)}
    england_wales = next(float(row[column]) for row in rows if row[0] == "K04000001")
    return forces, england_wales


def comparison(peers: list[tuple[str, str]], values: pd.DataFrame) -> pd.DataFrame:
    conn = duckdb.connect()
    conn.execute("create schema core")
    conn.execute("create schema marts")
    conn.register("ons_values", values)
    conn.execute("create table core.ons_pfa_values as select * from ons_values")
    conn.register("peer_groups", pd.DataFrame(peers, columns=["force_code", "peer_code"], dtype="str"))
    build_table(conn, "force_comparison")
    frame = conn.execute("select * from marts.force_comparison").df()
    conn.close()
    return frame


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return comparison([(WM, GMP), (WM, MERSEYSIDE)], read_ons_pfa_workbook(EDITION))


@pytest.mark.parametrize(("published", "measure"), [
    ("Homicide", "Homicide"), ("Robbery", "Robbery"),
    ("Total recorded crime (excluding fraud5)", "Total recorded crime (excluding fraud)"),  # footnote 5 as printed
])
def test_rank_rate_and_england_wales_rate_equal_table_p3(real, published, measure):
    forces, england_wales = published_rates(published)
    assert len(forces) >= 42  # the territorial forces ONS rates (BTP has no population)
    row = real[(real["force_code"] == WM) & (real["offence_group"] == measure)].iloc[0]
    assert row["rate_per_1000"] == pytest.approx(forces[WM])
    assert row["england_wales_rate"] == pytest.approx(england_wales)
    assert row["rank_among_forces"] == 1 + sum(rate > forces[WM] for rate in forces.values())
    assert row["forces_ranked"] == len(forces)
    assert row["peer_average_rate"] == pytest.approx((forces[GMP] + forces[MERSEYSIDE]) / 2)
    assert row["table_id"] == "P3"  # found by its population column, not by number


def test_quartiles_and_missing_rates_on_hand_made_rows():
    # eight forces with rates 8, 7, ..., 1 and one marked not available: quartiles of two, the marked one unranked
    rows = [("2022-03-31", "P9", "W15000001", "Wales force", "force", "Population figures (mid-2020)", 1000.0, None)]
    codes = [f"E230000{n:02d}" for n in range(1, 10)]
    rows += [("2022-03-31", "P9", code, code, "force", "Robbery", float(8 - i), None)
             for i, code in enumerate(codes[:8])]
    rows += [("2022-03-31", "P9", codes[8], codes[8], "force", "Robbery", None, "[x]"),
             ("2022-03-31", "P9", "K04000001", "England and Wales", "country", "Robbery", 4.4, None),
             ("2022-03-31", "P1", codes[0], codes[0], "force", "Robbery", 5000.0, None)]  # counts, not rates
    values = pd.DataFrame(rows, columns=["edition_period_end", "table_id", "area_code", "area_name", "area_type",
                                         "measure", "value", "marker"])
    values["edition_period_end"] = pd.to_datetime(values["edition_period_end"]).dt.date
    frame = comparison([], values).set_index("force_code")
    assert list(frame["quartile"]) == [1, 1, 2, 2, 3, 3, 4, 4]
    assert list(frame["rank_among_forces"]) == list(range(1, 9))
    assert set(frame["forces_ranked"]) == {8} and codes[8] not in frame.index
    assert frame.loc[codes[0], "difference_from_england_wales"] == pytest.approx(8 - 4.4)
    assert frame["peer_average_rate"].isna().all()  # no peer group configured
