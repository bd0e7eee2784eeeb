"""The draft statement: one paragraph per measure in the board paper's style, with the SPC verdict and
highest/lowest-since sentences; every number from the mart frames passed in."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from assets.board_pack.common import (
    force_of,
    in_board_order,
    months_between,
    not_comparable_reason,
    paper_in_order,
    plain,
    sentence_case,
    single_value,
    timestamp_of,
    window_text,
)

# The six National Crime and Policing Measures as the Home Office words them (the board paper's headings)
PRIORITY_HEADINGS = {
    "Homicide": "Reduce murder and other homicide",
    "Serious violence": "Reduce serious violence",
    "Drugs and county lines": "Disrupt drugs supply and county lines",
    "Neighbourhood crime": "Reduce neighbourhood crime",
    "Satisfaction": "Improve satisfaction among victims",
    "Cyber crime": "Tackle cyber crime",
}


# (singular, plural) of what a count measure counts, as the board paper says it ("53 homicides", "160 episodes")
MEASURE_NOUNS = {
    "homicide": ("homicide", "homicides"),
    "hospital_admissions_sharp_object_u25": ("episode", "episodes"),
    "violence_with_injury": ("offence", "offences"),
    "knife_crime": ("offence", "offences"),
    "possession_of_weapons": ("offence", "offences"),
    "firearm_discharges": ("discharge", "discharges"),
    "drug_disruptions": ("positive drug disruption", "positive drug disruptions"),
    "county_lines_disruptions": ("County Lines disruption", "County Lines disruptions"),
    "county_lines_closed": ("County Line closed", "County Lines closed"),
    "drug_arrests": ("arrest", "arrests"),
    "drug_charges": ("charge", "charges"),
    "neighbourhood_crime": ("neighbourhood crime", "neighbourhood crimes"),
    "burglary": ("burglary", "burglaries"),
    "residential_burglary": ("residential burglary", "residential burglaries"),
    "robbery": ("robbery", "robberies"),
    "robbery_u25_victims": ("robbery", "robberies"),
    "vehicle_offences": ("offence", "offences"),
    "theft_from_person": ("offence", "offences"),
    "satisfaction_responses": ("answered survey response", "answered survey responses"),
    "online_crime": ("offence", "offences"),
}


DEFAULT_NOUN = ("recorded", "recorded")


# Why a measure has no baseline, where the reason is known (the SMS survey started in late 2020); {baseline} is the
# baseline period's end month, taken from the frame.
NO_BASELINE_REASONS = {
    "satisfaction_rate": "the survey began after {baseline}",
    "satisfaction_responses": "the survey began after {baseline}",
}


# Homicide breakdowns: each completes "13% (7) ..." in the order the board paper gives them
HOMICIDE_BREAKDOWNS = {
    "organised_crime_group": "were linked to organised crime groups",
    "domestic_abuse": "were domestic-related",
    "drugs_related": "were drug-related",
    "alcohol_related": "were alcohol-related",
    "victim_under_25": "had a victim under 25",
}


FIREARM_WEAPONS = {
    "weapon_shotgun": ("shotgun", "Shotguns"),
    "weapon_handgun": ("handgun", "Handguns"),
    "weapon_rifle": ("rifle", "Rifles"),
    "weapon_converted_or_modified": ("converted or modified firearm", "Converted or modified firearms"),
}


# Sentence fragments for the statement: "{n} {fragment}"
QUALITY_FLAG_SENTENCES = {
    "months_missing": ("month of the 12 has no data", "months of the 12 have no data"),
    "suppressed_months": ("month of the 12 is suppressed by disclosure control",
                          "months of the 12 are suppressed by disclosure control"),
    "baseline_months_missing": ("month of the baseline year has no data", "months of the baseline year have no data"),
    "baseline_suppressed_months": ("month of the baseline year is suppressed by disclosure control",
                                   "months of the baseline year are suppressed by disclosure control"),
}


def _number(value: float) -> str:
    """Counts as the board paper prints them: whole numbers with thousands separators, else one decimal."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _level(value: float, unit: object) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}"
    return _number(value)


def _noun(measure_id: str, value: float) -> str:
    singular, plural = MEASURE_NOUNS.get(measure_id, DEFAULT_NOUN)
    return singular if value == 1 else plural


def _direction_word(change: float) -> str:
    return "increase" if change > 0 else "reduction" if change < 0 else "no change"


def _relative(pct_change: float, change: float) -> str:
    """"a 1.9% increase", or "no change"."""
    word = _direction_word(change)
    if word == "no change":
        return word
    if round(abs(pct_change), 1) == 0:
        return f"an {word} of less than 0.1%" if word == "increase" else f"a {word} of less than 0.1%"
    return f"a {abs(pct_change):.1f}% {word}"


def _absolute(change: float, unit: object) -> str:
    """"a reduction of 55", "an increase of 6.8 percentage points", or "no change"."""
    word = _direction_word(change)
    if word == "no change":
        return word
    article = "an" if word == "increase" else "a"
    if unit == "percent":
        return f"{article} {word} of {abs(change):.1f} percentage points"
    return f"{article} {word} of {_level(abs(change), unit)}"


def _flag_sentence(flags: object) -> str | None:
    parts = []
    for flag in str(plain(flags) or "").split(";"):
        flag = flag.strip()
        if not flag or flag == "no_baseline":  # the baseline sentence already says so
            continue
        name, _, count = flag.partition("=")
        if name in QUALITY_FLAG_SENTENCES and count.strip().isdigit():
            singular, plural = QUALITY_FLAG_SENTENCES[name]
            parts.append(f"{count.strip()} {singular if count.strip() == '1' else plural}")
        else:
            parts.append(f"quality flag {flag}")
    if not parts:
        return None
    text = "; ".join(parts)
    return f"Data quality: {text}."


def _breakdowns_for(breakdowns: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    if breakdowns is None or breakdowns.empty or "measure_id" not in breakdowns.columns:
        return pd.DataFrame(columns=["breakdown_id", "count", "total", "share_pct"])
    return breakdowns[breakdowns["measure_id"] == measure_id]


def _share(row: Mapping[str, object]) -> str:
    share = plain(row.get("share_pct"))
    return "" if share is None else f"{share:.0f}%"


def _homicide_breakdown(rows: pd.DataFrame) -> str | None:
    if rows.empty:
        return None
    by_id = {record["breakdown_id"]: record for record in rows.to_dict("records")}
    total = plain(rows["total"].iloc[0])
    if not total:
        return None
    known = [key for key in HOMICIDE_BREAKDOWNS if key in by_id]
    others = sorted(key for key in by_id if key not in HOMICIDE_BREAKDOWNS)
    parts = []
    for key in known + others:
        record = by_id[key]
        phrase = HOMICIDE_BREAKDOWNS.get(key, f"were {key.replace('_', ' ')}")
        parts.append(f"{_share(record)} ({_number(record['count'])}) {phrase}")
    return f"Of the {_number(total)} {_noun('homicide', total)}, " + ", ".join(parts[:-1]) + (
        f" and {parts[-1]}." if len(parts) > 1 else f"{parts[-1]}.")


def _firearm_breakdown(rows: pd.DataFrame) -> str | None:
    if rows.empty:
        return None
    by_id = {record["breakdown_id"]: record for record in rows.to_dict("records")}
    first = rows.iloc[0]
    total = plain(first["total"])
    start, end = timestamp_of(first.get("period_start")), timestamp_of(first.get("period_end"))
    period = "" if start is None or end is None else f" ({start:%B} to {end:%B %Y})"
    if not total:
        return f"In the last quarter{period}, no discharges took place."
    total_text = _number(total)
    sentences = [f"In the last quarter{period}, a total of {total_text} {_noun('firearm_discharges', total)} "
                 "took place"]
    if "injury" in by_id:
        injury = by_id["injury"]["count"]
        clause = f", with injury caused in {_number(injury)}"
        if "fatal" in by_id:
            clause += f" (of which {_number(by_id['fatal']['count'])} fatal)"
        sentences[0] += clause
    sentences[0] += "."
    links = (("gang_related", "gang activity"), ("drugs_related", "drug dealing or County Lines activity"))
    linked = [(by_id[key]["count"], phrase) for key, phrase in links if key in by_id]
    if linked:
        (count, phrase), *more = linked
        sentences.append(f"{_number(count)} of the {total_text} discharges were linked to {phrase}"
                         + "".join(f" and {_number(n)} to {p}" for n, p in more) + ".")
    weapons = [(by_id[key]["count"], key) for key in FIREARM_WEAPONS if key in by_id and by_id[key]["count"]]
    if weapons:
        # ties go to the order of FIREARM_WEAPONS so the sentence is stable
        count, key = max(weapons, key=lambda item: (item[0], -list(FIREARM_WEAPONS).index(item[1])))
        singular, plural = FIREARM_WEAPONS[key]
        sentences.append(f"{plural} were the most commonly used firearm this quarter, a {singular} being discharged "
                         f"in {_number(count)} of the {total_text} discharges ({_share(by_id[key])}).")
    return " ".join(sentences)


def _measure_paragraph(record: Mapping[str, object], breakdowns: pd.DataFrame) -> str:
    measure_id = str(record["measure_id"])
    unit = record.get("unit")
    value = plain(record["value"])
    baseline = plain(record.get("baseline_value"))
    change = plain(record.get("change"))
    pct_change = plain(record.get("pct_change"))
    quarter_end = timestamp_of(record["quarter_end"])
    window_start, window_end = timestamp_of(record["window_start"]), timestamp_of(record["window_end"])
    baseline_end = timestamp_of(record.get("baseline_end"))
    baseline_year = "the baseline year" if baseline_end is None else f"the year ending {baseline_end:%B %Y}"
    window = window_text(window_start, window_end, month="%B")
    lag = 0 if quarter_end is None or window_end is None else months_between(window_end, quarter_end)
    incomparable = not_comparable_reason(record)
    if change is None and value is not None and baseline is not None and incomparable is None:
        change = value - baseline

    no_baseline = ""
    if baseline is None:
        reason = NO_BASELINE_REASONS.get(measure_id, "the source has no figures for {baseline}")
        no_baseline = "; no baseline: " + reason.format(
            baseline="the baseline year" if baseline_end is None else f"{baseline_end:%B %Y}")

    sentences: list[str] = []
    if value is None:
        sentences.append(f"There is no figure for {window}{no_baseline}.")
    elif incomparable is not None:
        # the sum over the months delivered is a figure, but not one to set against a full baseline year
        quantity = _level(value, unit) if unit == "percent" else f"{_level(value, unit)} {_noun(measure_id, value)}"
        sentences.append(f"The months delivered for {window} give {quantity}; this is not comparable with the "
                         f"baseline ({incomparable}), so no change is reported.")
    elif unit == "percent":
        lead = f"The last 12 months ({window}) stood at" if lag else f"From {window} this stood at"
        if baseline is None:
            sentences.append(f"{lead} {_level(value, unit)}{no_baseline}.")
        else:
            sentences.append(f"{lead} {_level(value, unit)}, compared to {_level(baseline, unit)} in "
                             f"{baseline_year} baseline, {_absolute(change, unit)}.")
    else:
        quantity = f"{_level(value, unit)} {_noun(measure_id, value)}"
        if baseline is None:
            lead = f"The last 12 months ({window})" if lag else f"Volumes from {window}"
            sentences.append(f"{lead} saw {quantity}{no_baseline}.")
        elif lag:
            # a lagged source: the paper gives the absolute change and names the window, as for HES admissions
            relative = "" if pct_change is None else f"; {_relative(pct_change, change)}"
            sentences.append(f"The last 12 months ({window}) saw {quantity}, {_absolute(change, unit)} compared to "
                             f"the national baseline {baseline_year.removeprefix('the ')} ({_level(baseline, unit)}"
                             f"{relative}).")
        else:
            comparison = _relative(pct_change, change) if pct_change is not None else _absolute(change, unit)
            sentences.append(f"Volumes from {window} saw {quantity}, compared to {_level(baseline, unit)} in "
                             f"{baseline_year} baseline, {comparison}.")
    if lag and window_end is not None and quarter_end is not None:
        sentences.append(f"The latest month available is {window_end:%B %Y}, {lag} month{'s' if lag != 1 else ''} "
                         f"before the quarter end.")

    source = str(plain(record.get("source")) or "")
    if baseline is not None and "; baseline: " in source:
        # national_measures appends the ONS fallback to source; the reader should know the baseline is published
        sentences.append(f"The baseline is the published figure ({source.split('; baseline: ', 1)[1]}).")

    previous = plain(record.get("previous_value"))
    if measure_id == "firearm_discharges" and previous is not None and value is not None and window_end is not None:
        sentences.append(f"The previous 12 months saw {_level(previous, unit)}, so the year ending "
                         f"{window_end:%B %Y} shows {_absolute(value - previous, unit)}.")

    england_wales = plain(record.get("england_wales_pct_change"))
    if england_wales is not None:
        sentences.append(f"Across England and Wales the same comparison shows "
                         f"{_relative(england_wales, england_wales)}.")

    if measure_id == "homicide":
        sentences.append(_homicide_breakdown(_breakdowns_for(breakdowns, measure_id)) or "")
    elif measure_id == "firearm_discharges":
        sentences.append(_firearm_breakdown(_breakdowns_for(breakdowns, measure_id)) or "")

    flags = _flag_sentence(record.get("quality_flags"))
    if flags:
        sentences.append(flags)
    body = " ".join(sentence for sentence in sentences if sentence)
    return f"**{record['measure_name']}.** {body}"


SPC_RULE_WORDS = {"outside_limits": "is outside the natural process limits",
                  "two_of_three": "is one of two of the last three months beyond two thirds of the way to the {side} "
                                  "limit"}


def _month_order(months: np.ndarray) -> np.ndarray:
    """The positions of months in the order DataFrame.sort_values("month") puts them (numpy's quicksort of the
    months that are not NaT, then the NaT), so a repeated month keeps the order pandas gives it."""
    missing = np.isnat(months)
    positions = np.arange(len(months))
    return np.concatenate([positions[~missing][months[~missing].argsort(kind="quicksort")], positions[missing]])


def _trailing_run(same: np.ndarray) -> int:
    """How many of the last entries are True, counting back from the end."""
    misses = np.flatnonzero(~same)
    return len(same) if not len(misses) else len(same) - 1 - int(misses[-1])


# A measure's rows of a mart frame as numpy columns by name (_series_by_measure): the two sentences below run for
# every measure of every quarter, and filtering and sorting a frame each time (pandas' per-call cost) was most of
# the documents' time. They give what those frame operations (the measure's rows, sort_values("month"), then the
# rows to the window's end) give, to the character.
MeasureSeries = Mapping[str, np.ndarray]


def _series_by_measure(frame: pd.DataFrame, figures: Sequence[str],
                       others: Sequence[str] = ()) -> Callable[[object], MeasureSeries]:
    """Each measure's rows of the frame as numpy columns, in the frame's order (the rows frame[frame["measure_id"]
    == measure] holds; none: empty columns): month as datetime64, the figures as floats (missing: NaN), the others
    as they are (a column the frame lacks is left out). The frame is converted and split once."""
    columns = {"month": pd.to_datetime(frame["month"]).to_numpy(),
               **{name: frame[name].to_numpy(dtype=float, na_value=np.nan) for name in figures if name in frame},
               **{name: frame[name].to_numpy() for name in others if name in frame}}
    positions = frame.groupby("measure_id", sort=False).indices if len(frame) else {}
    none = np.array([], dtype=np.intp)
    return lambda measure: {name: column[positions.get(measure, none)] for name, column in columns.items()}


def _spc_sentence(series: MeasureSeries, window_end: pd.Timestamp | None) -> str | None:
    """The SPC verdict on a measure's latest month in the window, in words: "a run of 8 months above the
    average since August 2021: a real increase, not noise" or "within the natural limits: no signal".

    series: marts.measure_spc rows of one force and measure."""
    if not len(series["month"]) or window_end is None:
        return None
    months = series["month"]
    order = _month_order(months)
    months = months[order]
    kept = months <= window_end.to_datetime64()  # sorted, NaT last: the rows to the window's end
    order, months = order[kept], months[kept]
    if not len(months) or months[-1] != window_end.to_period("M").to_timestamp().to_datetime64():
        return None  # the window's last month has no point (missing or suppressed): no verdict
    values, centres = series["value"][order], series["centre"][order]
    label = f"{pd.Timestamp(months[-1]):%B %Y}"
    if not bool(series["signal"][order[-1]]):
        return (f"On the statistical process control chart, {label} is within the natural limits of the "
                "baseline year's variation: no signal of real change.")
    above = values[-1] > centres[-1]
    rule = str(series["rule"][order[-1]])
    if rule in ("shift", "trend"):
        segments = series["segment"][order]
        in_segment = segments == segments[-1]
        values, centres, months = values[in_segment], centres[in_segment], months[in_segment]
        if rule == "shift":
            same = (values > centres) if above else (values < centres)
            what = "above the average" if above else "below the average"
        else:
            steps = np.concatenate([[np.nan], np.diff(values)])  # Series.diff: the first month has no step
            above = bool(steps[-1] > 0)
            same = (steps > 0) if above else (steps < 0)
            what = "rising" if above else "falling"
        run = _trailing_run(same)
        run += 1 if rule == "trend" else 0  # a run of rises counts the month it starts from
        start = pd.Timestamp(months[-run])
        signal = f"shows a run of {run} months {what} since {start:%B %Y}"
    else:
        signal = SPC_RULE_WORDS[rule].format(side="upper" if above else "lower")
    change = "increase" if above else "reduction"
    return f"On the statistical process control chart, {label} {signal}: a real {change}, not noise."


def _extreme_sentence(series: MeasureSeries, window_end: pd.Timestamp | None) -> str | None:
    """"March 2022 is the highest month since May 2019" (or lowest), when the window's last month is.

    series: marts.measure_monthly rows of one force and measure."""
    if not len(series["month"]) or window_end is None:
        return None
    values = series["value"]
    valued = ~np.isnan(values)  # the months with a value (dropna), then sorted
    months, values = series["month"][valued], values[valued]
    order = _month_order(months)
    months, values = months[order], values[order]
    kept = months <= window_end.to_datetime64()
    months, values = months[kept], values[kept]
    if len(months) < 13 or months[-1] != window_end.to_period("M").to_timestamp().to_datetime64():
        return None  # at least a year before it to be a highest or lowest of note
    latest, earlier = values[-1], values[:-1]
    label = f"{pd.Timestamp(months[-1]):%B %Y}"
    for word, beaten in (("highest", earlier >= latest), ("lowest", earlier <= latest)):
        if not beaten[-12:].any():
            if not beaten.any():
                return f"{label} is the {word} month in the series (since {pd.Timestamp(months[0]):%B %Y})."
            since = pd.Timestamp(months[:-1][beaten][-1])
            return f"{label} is the {word} month since {since:%B %Y}."
    return None


def _paper_level(value: float, unit: object) -> str:
    # the paper gives its shares and rates as whole percents ("64% positive")
    return f"{value:.0f}%" if unit == "percent" else _number(value)


def _paper_flags(flags: object) -> str | None:
    # a paper figure's period is its own (a year to date, a quarter), not "the 12" of a national measure
    parts = []
    for flag in str(plain(flags) or "").split(";"):
        name, _, count = flag.strip().partition("=")
        if name == "months_missing" and count.strip().isdigit():
            parts.append(f"{count.strip()} month{'' if count.strip() == '1' else 's'} of the period "
                         f"{'has' if count.strip() == '1' else 'have'} no data delivered")
        elif name:
            parts.append(flag.strip())
    return f"Data quality: {'; '.join(parts)}." if parts else None


def _paper_sentence(record: Mapping[str, object]) -> str:
    """One figure of marts.board_paper_figures in words: "Lethal barrelled firearms recovered, 2021/22: 140,
    16 more than the 124 of 2020/21 (+13%)." A change is stated only when both periods are complete."""
    label, period, unit = sentence_case(record["label"]), record.get("period_label"), record.get("unit")
    value, against = plain(record.get("value")), plain(record.get("comparison_value"))
    if value is None:
        return f"{label}, {period}: no data delivered."
    text = f"{label}, {period}: {_paper_level(value, unit)}"
    if against is not None and plain(record.get("comparable")) is True:
        change = value - against
        if unit == "percent":
            text += f", against {_paper_level(against, unit)} in {record['comparison_label']}"
        elif change == 0:
            text += f", the same as in {record['comparison_label']}"
        else:
            pct = f" ({change / against * 100:+.0f}%)" if against else ""
            text += (f", {_number(abs(change))} {'more' if change > 0 else 'fewer'} than the "
                     f"{_number(against)} of {record['comparison_label']}{pct}")
    elif against is not None:
        missing = plain(record.get("months_missing")) or 0
        text += (f" over the months delivered ({missing} month{'s' if missing != 1 else ''} missing), so not "
                 f"compared with {record['comparison_label']}")
    flags = _paper_flags(record.get("quality_flags"))
    return f"{text}." + (f" {flags}" if flags else "")


def paper_sections(figures: pd.DataFrame) -> list[str]:
    """The statement's closing sections: the board paper's other figures, a heading per section and a line
    per figure, in the paper's order."""
    lines: list[str] = []
    previous = None
    for record in paper_in_order(figures).to_dict("records"):
        if record["section"] != previous:
            lines += ([""] if lines else []) + [f"## {record['section']}", ""]
            previous = record["section"]
        lines.append(f"- {_paper_sentence(record)}")
    return lines


def measure_commentary(national: pd.DataFrame, breakdowns: pd.DataFrame, spc: pd.DataFrame | None = None,
                       monthly: pd.DataFrame | None = None) -> dict[str, str]:
    """Each measure's paragraph of the statement without its bold name, by measure_id: the statement prints
    them under the priorities' headings, the workbook beside each measure."""
    commentary = {}
    # each frame converted and split by measure once, not filtered per measure and sentence
    monthly_of = None if monthly is None else _series_by_measure(monthly, ("value",))
    spc_of = None if spc is None else _series_by_measure(spc, ("value", "centre"), ("signal", "rule", "segment"))
    for record in national.to_dict("records"):
        paragraph = _measure_paragraph(record, breakdowns).removeprefix(f"**{record['measure_name']}.** ")
        window_end = timestamp_of(record.get("window_end"))
        month_start = None if window_end is None else window_end.to_period("M").to_timestamp()
        extra = [
            None if monthly_of is None else _extreme_sentence(monthly_of(record["measure_id"]), month_start),
            None if spc_of is None else _spc_sentence(spc_of(record["measure_id"]), month_start),
        ]
        commentary[record["measure_id"]] = " ".join([paragraph, *(sentence for sentence in extra if sentence)])
    return commentary


def draft_statement(national: pd.DataFrame, breakdowns: pd.DataFrame, spc: pd.DataFrame | None = None,
                    monthly: pd.DataFrame | None = None, paper_figures: pd.DataFrame | None = None,
                    commentary: Mapping[str, str] | None = None) -> str:
    """The draft National Crime and Policing Measures statement as markdown: a heading per priority and one
    paragraph per measure, in the board paper's wording, every figure taken from the frames.

    national: marts.national_measures rows for one force and quarter (force_name and display_order optional).
    breakdowns: marts.measure_breakdowns rows for the same force and quarter.
    spc, monthly: marts.measure_spc and marts.measure_monthly rows of the force (optional): each paragraph then
    says whether the latest month is a highest or lowest of note and what the SPC chart shows.
    paper_figures: marts.board_paper_figures rows of the force and quarter (optional): the paper's other
    figures (firearms recovered, warrants, drug treatment, fraud, ...), a section each after the measures.
    commentary: measure_commentary of the same frames, when the caller has it already (the workbook prints it
    too); computed here otherwise.
    """
    if national.empty:
        raise ValueError("national: no rows for the statement")
    quarter_end = pd.Timestamp(single_value(national, "quarter_end", "national"))
    force = force_of(national)
    lines = [f"# National Crime and Policing Measures: {force} statement", "",
             f"Quarter ending {quarter_end.day} {quarter_end:%B %Y}. Draft: every figure is taken from the "
             "warehouse's marts (national measures, measure breakdowns and the board paper's other figures).", ""]
    paragraphs = commentary if commentary is not None else measure_commentary(national, breakdowns, spc, monthly)
    previous_priority = None
    for record in in_board_order(national).to_dict("records"):
        if record["priority"] != previous_priority:
            heading = PRIORITY_HEADINGS.get(str(record["priority"]), str(record["priority"]))
            lines += [f"## Measure: {heading}", ""]
            previous_priority = record["priority"]
        lines += [f"**{record['measure_name']}.** {paragraphs[record['measure_id']]}", ""]
    if paper_figures is not None and len(paper_figures):
        lines += paper_sections(paper_figures)
    return "\n".join(lines).rstrip() + "\n"
