"""Reference files kept in the repository (reference/), read where Python needs them before load."""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"
FORCES_CSV = REFERENCE_DIR / "forces.csv"
LSOA_LOOKUP_CSV = REFERENCE_DIR / "lsoa-force-lookup.csv"
# The geography beyond that lookup (reference/README.md says where each file comes from): the ONS
# district to police force area lookup, district code changes since 2009, the ONS list of current
# (2023) districts, the Welsh 2011 LSOAs the lookup lacks, and the ONS lists of Census 2021 LSOAs and
# of the December 2022 districts their names are made from.
LAD_PFA_LOOKUP_CSV = REFERENCE_DIR / "ons-lad17-csp17-pfa17-lookup.csv"
LAD_CHANGES_CSV = REFERENCE_DIR / "lad-changes.csv"
LAD_CURRENT_CSV = REFERENCE_DIR / "ons-ltla23.csv"
WELSH_LSOA_CSV = REFERENCE_DIR / "lsoa11-wales.csv"
LSOA21_CSV = REFERENCE_DIR / "ons-lsoa21.csv"
LAD_2022_CSV = REFERENCE_DIR / "ons-ltla22.csv"
OFFENCE_CLASSIFICATION_CSV = REFERENCE_DIR / "prc-pfa-mar2013-onwards-tables201718.csv"


@cache
def forces() -> tuple[dict[str, str], ...]:
    """reference/forces.csv, read once for every parser: per force its ONS PFA code, data.police.uk slug,
    names (own, Home Office, ONS), region and country, each stripped."""
    with FORCES_CSV.open(encoding="utf-8") as handle:
        return tuple({key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle))


@cache
def force_codes_by_slug() -> dict[str, str]:
    """data.police.uk slug -> ONS PFA code, for naming the force of a landed file."""
    return {row["slug"]: row["force_code"] for row in forces()}
TARGET_KINDS = ("at_least", "at_most", "increase_on_baseline", "monitor", "baseline_band")


def kpi_config_path() -> Path:
    """The Police and Crime Plan KPIs and their targets, edited by the performance team."""
    return Path(os.environ.get("POLICING_KPI_CONFIG", REFERENCE_DIR / "pcp_kpis.toml"))


def read_kpi_config(path: Path | None = None) -> list[dict]:
    """The KPI definitions, checked field by field so a typo names the KPI and the field."""
    import tomllib

    path = path or kpi_config_path()
    kpis = tomllib.loads(path.read_text(encoding="utf-8")).get("kpi", [])
    for number, kpi in enumerate(kpis, start=1):
        where = f"{path.name}: KPI {number} ({kpi.get('id', 'no id')})"
        for field in ("id", "name", "metric", "report", "target_kind", "baseline_date"):
            if not kpi.get(field):
                raise ValueError(f"{where}: '{field}' is required")
        if kpi["target_kind"] not in TARGET_KINDS:
            raise ValueError(f"{where}: target_kind must be one of {', '.join(TARGET_KINDS)}")
        if kpi["report"] not in ("level", "change"):
            raise ValueError(f"{where}: report must be 'level' or 'change'")
        if kpi["target_kind"] in ("at_least", "at_most") and kpi.get("target") is None:
            raise ValueError(f"{where}: target_kind {kpi['target_kind']} needs a target")
        band = (kpi.get("baseline_low"), kpi.get("baseline_high"))
        if kpi["target_kind"] == "baseline_band" and band != (None, None) and not (
                all(isinstance(v, int | float) for v in band) and band[0] <= band[1]):
            # no band at all is allowed (the KPI is then monitored); half a band or an inverted one is a typo
            raise ValueError(f"{where}: target_kind baseline_band needs both baseline_low <= baseline_high, or neither")
    return kpis


# the [stop_and_search] settings of the KPI config and their defaults
KPI_SETTINGS_DEFAULTS = {"find_rate_min_link_coverage_pct": 95.0, "officer_defined_when_not_stated": False,
                         "census_2021_from": "2023-03-31"}


def read_kpi_settings(path: Path | None = None) -> dict[str, object]:
    """The [stop_and_search] section of the KPI config: how the stop-and-search KPIs are defined."""
    import tomllib

    path = path or kpi_config_path()
    section = tomllib.loads(path.read_text(encoding="utf-8")).get("stop_and_search", {})
    unknown = sorted(set(section) - set(KPI_SETTINGS_DEFAULTS))
    if unknown:
        raise ValueError(f"{path.name}: [stop_and_search] has unknown settings {unknown}")
    settings = {**KPI_SETTINGS_DEFAULTS, **section}
    coverage = float(settings["find_rate_min_link_coverage_pct"])
    if not 0 <= coverage <= 100:
        raise ValueError(f"{path.name}: [stop_and_search] find_rate_min_link_coverage_pct must be 0 to 100")
    if not isinstance(settings["officer_defined_when_not_stated"], bool):
        raise ValueError(f"{path.name}: [stop_and_search] officer_defined_when_not_stated must be true or false")
    import datetime as dt

    cut_over = settings["census_2021_from"]
    try:
        cut_over = cut_over if isinstance(cut_over, dt.date) else dt.date.fromisoformat(str(cut_over))
    except ValueError as error:
        raise ValueError(f"{path.name}: [stop_and_search] census_2021_from must be a date (2023-03-31)") from error
    return {"find_rate_min_link_coverage_pct": coverage,
            "officer_defined_when_not_stated": settings["officer_defined_when_not_stated"],
            "census_2021_from": cut_over}


SPC_CONFIG = REFERENCE_DIR / "spc.toml"


def read_spc_config(path: Path | None = None) -> dict[str, object]:
    """The statistical process control settings (reference/spc.toml), checked."""
    import datetime as dt
    import tomllib

    path = path or Path(os.environ.get("POLICING_SPC_CONFIG", SPC_CONFIG))
    settings = tomllib.loads(path.read_text(encoding="utf-8"))
    first = dt.date.fromisoformat(str(settings["baseline_first_month"]))
    last = dt.date.fromisoformat(str(settings["baseline_last_month"]))
    if first.day != 1 or last.day != 1 or last < first:
        raise ValueError(f"{path.name}: baseline months must be first days of months, first before last")
    return {"baseline_first_month": first, "baseline_last_month": last,
            "min_baseline_points": int(settings["min_baseline_points"]), "run_length": int(settings["run_length"])}


PEER_GROUPS = REFERENCE_DIR / "peer_groups.toml"


def read_peer_groups(path: Path | None = None) -> list[tuple[str, str]]:
    """(force code, peer force code) pairs of reference/peer_groups.toml, checked against forces.csv."""
    import tomllib

    path = path or Path(os.environ.get("POLICING_PEER_GROUPS", PEER_GROUPS))
    peers = tomllib.loads(path.read_text(encoding="utf-8")).get("peers", {})
    known = set(force_codes_by_slug().values())
    pairs = []
    for force_code, group in peers.items():
        for code in [force_code, *group]:
            if code not in known:
                raise ValueError(f"{path.name}: {code!r} is not a force code of reference/forces.csv")
        pairs += [(force_code, peer) for peer in group if peer != force_code]
    return pairs


PRIORITY_AREAS_CSV = REFERENCE_DIR / "priority-areas.csv"
BOARD_PAPER_CONFIG = REFERENCE_DIR / "board_paper.toml"
# the [board_paper] settings of reference/board_paper.toml, each with the type it must have
BOARD_PAPER_SETTINGS = {"report_months_after_quarter_end": int, "neighbourhood_officers_since": str,
                        "impact_areas": str, "city_centre": str}


def read_board_paper_config(path: Path | None = None) -> dict[str, object]:
    """The [board_paper] section of reference/board_paper.toml (the report's dates, the priority areas its
    shares use), checked so a typo names the setting."""
    import datetime as dt
    import tomllib

    path = path or Path(os.environ.get("POLICING_BOARD_PAPER_CONFIG", BOARD_PAPER_CONFIG))
    section = tomllib.loads(path.read_text(encoding="utf-8")).get("board_paper", {})
    unknown = sorted(set(section) - set(BOARD_PAPER_SETTINGS))
    missing = sorted(set(BOARD_PAPER_SETTINGS) - set(section))
    if unknown or missing:
        raise ValueError(f"{path.name}: [board_paper] unknown settings {unknown}, missing settings {missing}")
    for name, kind in BOARD_PAPER_SETTINGS.items():
        if not isinstance(section[name], kind) or isinstance(section[name], bool):
            raise ValueError(f"{path.name}: [board_paper] {name} must be a {kind.__name__}")
    if not 0 <= section["report_months_after_quarter_end"] <= 12:
        raise ValueError(f"{path.name}: [board_paper] report_months_after_quarter_end must be 0 to 12")
    since = dt.date.fromisoformat(section["neighbourhood_officers_since"])
    return {**section, "neighbourhood_officers_since": since}
