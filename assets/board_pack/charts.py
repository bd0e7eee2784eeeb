"""PNG charts for Dagster metadata: a measure's monthly trend, and its XmR (SPC) chart."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure


def trend_chart_png(monthly: pd.DataFrame, measure_ids: Sequence[str], title: str, *,
                    baseline: tuple[date, date] | None = None) -> bytes:
    """A PNG line chart of the given measures' monthly values, the baseline year shaded.

    monthly: marts.measure_monthly rows (measure_id, month, value), optionally with measure_name for the legend.
    baseline: (first day, last day) to shade (core.national_baseline); nothing shaded when not given.
    """
    figure = Figure(figsize=(8, 3.5), dpi=100)
    FigureCanvasAgg(figure)  # Agg draws without a display and without pyplot's global state
    axes = figure.add_subplot()
    if baseline is not None:
        start, end = baseline
        axes.axvspan(pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1), color="#d9d9d9", alpha=0.6,
                     label="Baseline year", linewidth=0)
    plotted = 0
    for measure in measure_ids:
        series = monthly[monthly["measure_id"] == measure].sort_values("month")
        if series.empty:
            continue
        label = measure
        if "measure_name" in series.columns and series["measure_name"].notna().any():
            label = str(series["measure_name"].dropna().iloc[0])
        axes.plot(pd.to_datetime(series["month"]).to_numpy(), series["value"].astype(float).to_numpy(),
                  marker=".", linewidth=1.5, label=label)
        plotted += 1
    if not plotted:
        axes.text(0.5, 0.5, "No monthly data", transform=axes.transAxes, ha="center", va="center")
    axes.set_title(title)
    axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    axes.grid(axis="y", alpha=0.3)
    if plotted or baseline is not None:  # an empty legend box is matplotlib's warning, and noise on the chart
        axes.legend(loc="best", fontsize="small")
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    # no Software key: the bytes then depend on the data, not on the matplotlib version
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def spc_chart_png(series: pd.DataFrame, title: str) -> bytes:
    """An XmR chart of one measure as a PNG: the monthly values, the centre line and the natural process limits,
    signals marked, a missing month left as a gap; the legend below the plot, clear of the lines.

    series: marts.measure_spc rows of one force and measure."""
    figure = Figure(figsize=(8, 3.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    frame = series.assign(month=pd.to_datetime(series["month"])).sort_values("month")
    if frame.empty:
        axes.text(0.5, 0.5, "No chart: too few baseline months", transform=axes.transAxes, ha="center", va="center")
    else:
        # one line per segment: a gap (missing month) is never drawn across
        for number, (_, segment) in enumerate(frame.groupby("segment")):
            axes.plot(segment["month"].to_numpy(), segment["value"].astype(float).to_numpy(), color="#1F3864",
                      marker=".", linewidth=1.2, label="Monthly value" if number == 0 else None)
        months = frame["month"].to_numpy()
        axes.plot(months, frame["centre"].astype(float).to_numpy(), color="#595959", linewidth=1, label="Centre")
        axes.plot(months, frame["upper_limit"].astype(float).to_numpy(), color="#9C0006", linewidth=1,
                  linestyle="--", label="Process limits")
        axes.plot(months, frame["lower_limit"].astype(float).to_numpy(), color="#9C0006", linewidth=1,
                  linestyle="--")
        signals = frame[frame["signal"].astype(bool)]
        if len(signals):
            axes.scatter(signals["month"].to_numpy(), signals["value"].astype(float).to_numpy(), color="#E46C0A",
                         zorder=3, s=28, label="Signal")
    axes.set_title(title)
    axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, fontsize="small", frameon=False)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
