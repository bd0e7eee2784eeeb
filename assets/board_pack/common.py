"""What the workbook and the statement share: the wording of codes (status, direction, flags), the
national baseline period, and helpers over mart frames."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pandas as pd


def plain(value: object) -> object:
    """A cell- or text-ready Python value: NaN, NaT and pd.NA become None, numpy scalars become Python ones."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # list-likes are not scalars; leave them be
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def timestamp_of(value: object) -> pd.Timestamp | None:
    value = plain(value)
    return None if value is None else pd.Timestamp(value)


def in_board_order(national: pd.DataFrame) -> pd.DataFrame:
    """National rows in board order: priorities in the order of their first measure, measures by display_order
    (or as given when the caller has no display_order)."""
    frame = national.reset_index(drop=True)
    frame["_position"] = range(len(frame))
    key = "display_order" if "display_order" in frame.columns else "_position"
    frame = frame.sort_values([key, "_position"], kind="stable")
    first = {priority: rank for rank, priority in enumerate(dict.fromkeys(frame["priority"]))}
    frame["_priority_rank"] = frame["priority"].map(first)
    return frame.sort_values(["_priority_rank", key, "_position"], kind="stable").drop(
        columns=["_position", "_priority_rank"])


def single_value(frame: pd.DataFrame, column: str, what: str) -> object:
    """The one value a column must hold across the frame (one force, one quarter)."""
    values = frame[column].dropna().unique() if column in frame.columns else []
    if len(values) != 1:
        raise ValueError(f"{what}: expected exactly one {column}, found {len(values)}")
    return values[0]


def force_of(national: pd.DataFrame) -> object:
    """The force's name, or its code where the caller did not join dim_force."""
    return single_value(national, "force_name" if "force_name" in national.columns else "force_code", "national")


def months_between(earlier: pd.Timestamp, later: pd.Timestamp) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def window_text(start: object, end: object, month: str = "%b") -> str | None:
    start, end = timestamp_of(start), timestamp_of(end)
    if start is None or end is None:
        return None
    return f"{start.strftime(month)} {start.year} to {end.strftime(month)} {end.year}"


def not_comparable_reason(record: Mapping[str, object]) -> str | None:
    """Why a measure's window cannot be compared with its baseline ("9 months missing"), or None when it
    can. Rows from marts.national_measures say so in is_comparable; frames without it are comparable."""
    if plain(record.get("is_comparable")) is not False:
        return None
    parts = []
    missing = plain(record.get("months_missing"))
    suppressed = plain(record.get("suppressed_months"))
    if missing:
        parts.append(f"{int(missing)} month{'s' if missing != 1 else ''} missing")
    if suppressed:
        parts.append(f"{int(suppressed)} month{'s' if suppressed != 1 else ''} suppressed")
    if not parts:
        parts.append("baseline incomplete" if plain(record.get("baseline_value")) is not None else "no baseline")
    return ", ".join(parts)


# The board paper's sections in the order the paper takes them (homicide para 6, firearms 10, drugs 16,
# neighbourhood crime 24, cyber crime and fraud 30), then the annual report's KPI tables; a section not listed
# comes after these, alphabetically
PAPER_SECTIONS = ("Homicide", "Firearms", "Drugs", "Neighbourhood crime", "Cyber crime", "Cyber and fraud",
                  "Stop and search and use of force", "Recruitment")


def paper_in_order(figures: pd.DataFrame) -> pd.DataFrame:
    """marts.board_paper_figures rows in the paper's order: by section, then figure_order within it."""
    if figures.empty:
        return figures
    rank = figures["section"].map({section: i for i, section in enumerate(PAPER_SECTIONS)}).fillna(len(PAPER_SECTIONS))
    return (figures.assign(_rank=rank).sort_values(["_rank", "section", "figure_order", "figure_id"], kind="stable")
            .drop(columns="_rank"))


def sentence_case(text: object) -> str:
    """A label as the start of a sentence or a table cell: its first letter a capital, the rest as written
    ("lethal barrelled firearms recovered" -> "Lethal barrelled firearms recovered"; "NRM referrals" kept)."""
    text = str(text)
    return text[:1].upper() + text[1:]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while one document is built and saved. A workbook is some 100,000
    objects that live until it is saved (cells, styles, chart parts); made in a run, they set off full collections
    again and again, each going over every object of the process (Dagster's and pandas' too): over a second of a
    21-quarter run. Nothing is lost: reference counting frees as usual, and the collector, back on after the
    document, collects its cycles. It stays off if the caller had turned it off. A decorator too
    (@cyclic_gc_paused()), as any contextmanager is."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
