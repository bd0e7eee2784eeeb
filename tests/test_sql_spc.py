"""marts.measure_spc on a hand-made monthly series, every limit and signal worked out by hand."""

from datetime import date

import duckdb
import pandas as pd
import pytest

from assets.lib.sql import build_table

FORCE = "E23000014"

# Baseline July 2018 to June 2019: 10, 12, 10, 12, ... -> centre 11; the 11 moving ranges are all 2 ->
# limits 11 -/+ 2.66 x 2 = 5.68 and 16.32; two thirds of the way to a limit: 11 -/+ 3.5467 = 7.4533, 14.5467.
BASELINE = [10, 12] * 6
AFTER = {
    "2019-07": 17,                                    # above 16.32: outside the limits
    "2019-08": 11,                                    # on the centre line
    **{f"{y}-{m:02d}": v for (y, m), v in zip(       # 7 points above the centre, inside the limits: a shift
        [(2019, 9), (2019, 10), (2019, 11), (2019, 12), (2020, 1), (2020, 2), (2020, 3)],
        [12, 12.5, 13, 12, 12.5, 13, 12], strict=True)},
    "2020-04": 11,
    **{f"2020-{m:02d}": v for m, v in zip(range(5, 12), [8, 9, 10, 11.5, 12, 13, 14], strict=True)},  # 7 rising
    "2020-12": 11,
    "2021-01": 15,                                    # beyond 14.5467 ...
    "2021-02": 11,
    "2021-03": 15,                                    # ... and again: 2 of 3 beyond two thirds
    # April 2021 not delivered: the gap ends every run. March 2021 (above the centre) and the six
    # months after the gap would be 7 above the centre if the gap were joined across.
    **{f"2021-{m:02d}": 12 for m in range(5, 11)},
}


def month(text: str) -> date:
    return date(int(text[:4]), int(text[5:7]), 1)


def spc_of(rows: list[tuple[str, str, date, float]]) -> pd.DataFrame:
    """marts.measure_spc built over these monthly rows, with the baseline July 2018 to June 2019."""
    conn = duckdb.connect()
    for schema in ("core", "marts"):
        conn.execute(f"create schema {schema}")
    build_table(conn, "dim_measure")
    conn.execute("create table marts.measure_monthly (force_code varchar, measure_id varchar, month date, "
                 "value double)")
    conn.executemany("insert into marts.measure_monthly values (?, ?, ?, ?)", rows)
    conn.register("spc_config", pd.DataFrame([{"baseline_first_month": date(2018, 7, 1),
                                               "baseline_last_month": date(2019, 6, 1),
                                               "min_baseline_points": 12, "run_length": 7}]))
    build_table(conn, "measure_spc")
    frame = conn.execute("select * from marts.measure_spc order by month").df()
    conn.close()
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    return frame.set_index("month")


def baseline_rows(values: list[float]) -> list[tuple[str, str, date, float]]:
    return [(FORCE, "homicide", date(2018 + (6 + i) // 12, (6 + i) % 12 + 1, 1), float(v))
            for i, v in enumerate(values)]


@pytest.fixture(scope="module")
def spc():
    return spc_of([*baseline_rows(BASELINE), *((FORCE, "homicide", month(m), float(v)) for m, v in AFTER.items())])


def test_centre_and_natural_process_limits(spc):
    assert set(spc["centre"]) == {11.0}
    assert spc["lower_limit"].iloc[0] == pytest.approx(5.68)
    assert spc["upper_limit"].iloc[0] == pytest.approx(16.32)


def test_signals_by_rule(spc):
    rules = spc["rule"].where(spc["signal"]).dropna().to_dict()
    expected = {"2019-07": "outside_limits"}
    expected |= {m: "shift" for m in ("2019-09", "2019-10", "2019-11", "2019-12", "2020-01", "2020-02", "2020-03")}
    expected |= {f"2020-{m:02d}": "trend" for m in range(5, 12)}
    expected |= {"2021-01": "two_of_three", "2021-03": "two_of_three"}
    assert rules == expected  # nothing in the baseline year, nothing across the April 2021 gap


def test_variation_follows_polarity(spc):
    # homicide: lower is better, so above the centre and rising are concerns
    assert spc.loc["2019-07", "variation"] == "special_cause_concern"
    assert spc.loc["2020-05", "variation"] == "special_cause_concern"  # the start of a rising run, below centre
    assert spc.loc["2019-08", "variation"] == "common_cause"


def test_a_gap_is_never_joined(spc):
    assert "2021-04" not in spc.index
    assert spc.loc["2021-05", "segment"] == spc.loc["2021-03", "segment"] + 1
    assert not spc.loc["2021-05":"2021-10", "signal"].any()
    assert spc.loc["2021-10", "points_on_this_side"] == 6


def test_a_count_lower_limit_is_floored_at_zero():
    # 1, 3, 1, 3, ... : centre 2, every moving range 2 -> 2 -/+ 5.32 = -3.32 and 7.32; a count of
    # homicides cannot be negative, so the lower limit shows 0
    chart = spc_of(baseline_rows([1, 3] * 6))
    assert set(chart["centre"]) == {2.0}
    assert set(chart["lower_limit"]) == {0.0}
    assert chart["upper_limit"].iloc[0] == pytest.approx(7.32)
