"""Seeded generator of the partner extracts: the arrest referral service's records and fraud reports.

Writes, in the agreed landing layout (SOURCES.md, "Arrest referral" and "Fraud reports"), every month
from April 2018 to March 2023:

* ``partners/arrest-referral/<force>-arrest-referral-<YYYY-MM>.csv``: drug tests in custody (with
  their result), referrals into drug treatment, Drug Rehabilitation and Alcohol Treatment Requirements;
* ``partners/fraud/<force>-fraud-reports-<YYYY-MM>.csv``: Action Fraud / NFIB reports, one a row.

CSVs are UTF-8 with a byte-order mark and CRLF line ends, like the force's own extracts; fields with a
comma (an NFIB category such as ``Cheque, Plastic Card and Online Bank Accounts (not PSP)``) are quoted.
Same arguments, same bytes.

Published West Midlands figures, reproduced exactly for ``west-midlands`` (constants below), from the
board paper, Strategic Policing and Crime Board, May 2022 (``seeds/000_1da0f269c3f01b60.txt``):

* para 16: referrals into drug treatment 1,315 in 2020/21 and 1,723 in 2021/22 ("increased over the last
  financial year from 1,315 to 1,723"); 199 Drug Rehabilitation Requirements and 157 Alcohol Treatment
  Requirements granted, read as 2021/22, the year of the sentence before;
* para 17: drug testing in custody "paused for most of 2021, but recommenced in November 2021. Since
  then, 1,784 tests ... with a positive rate of 64%": 1,784 tests from November 2021 to March 2022, of
  which round(0.64 x 1,784) = 1,142 positive (64.01%);
* para 32: fraud victimisation 13,331 reports in 2020 and 15,555 in 2021, and the NFIB categories with
  the greatest increase 2021 on 2020: Share sales or Boiler Room Fraud +46% (150 to 219), Dating Scam
  +44% (410 to 590, +43.90%), Rental Fraud +43% (230 to 329, +43.04%), Advance Fee Fraud +42% (620 to 880,
  +41.94%), Ticket Fraud +30% (270 to 351). The counts are ASSUMPTION; each percent is at least 0.1 from
  a half, so rounding either way gives the paper's whole percent.

ASSUMPTIONS (plausible, never to be read as published facts):

* Testing paused: no drug tests from January 2021 (the third national lockdown) to October 2021, the
  paper's "paused for most of 2021"; the files for those months are delivered and hold the other
  record types. Before the pause tests ran at a pandemic-reduced level through 2020.
* Every count outside the windows above (other years, months within a year, the other NFIB categories,
  the positive rate outside November 2021 to March 2022, custody suite names and mix, cyber-enabled and
  organisation shares). The other categories all grow by less than 30%, except one small category
  (``Pyramid or Ponzi Schemes``, 40 to 70, +75%) below the 1% weight the ranking asks for, so the
  ranked table's rule is exercised by the sample.
* Requirements are granted in court, so their custody_suite is empty; tests and referrals name one of
  the force's four custody suites.

Other forces get the West Midlands model scaled (arrest referral by their 2017/18 drug offences, fraud by
their 2017/18 recorded crime, relative to West Midlands; :func:`sample_data.force_ops._scale`); only
West Midlands is exact.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from sample_data import calibration as cal
from sample_data.crimes import ForceData, largest_remainder, load_force, round_half_up
from sample_data.force_ops import (
    _Calendar,
    _date_texts,
    _days,
    _display_name,
    _month_number,
    _month_text,
    _monthly_counts,
    _scale,
    _shape,
    generator_main,
    write_monthly_csvs,
)

ARREST_REFERRAL_DIR = Path("partners/arrest-referral")
FRAUD_DIR = Path("partners/fraud")

# Exact SOURCES.md headers and value sets (kept literal here so the generator does not lean on the parser).
ARREST_REFERRAL_COLUMNS = ("record_reference", "record_date", "custody_suite", "record_type", "test_result")
FRAUD_COLUMNS = ("report_reference", "report_date", "nfib_category", "cyber_enabled", "victim_type")
DRUG_TEST, TREATMENT_REFERRAL = "Drug test", "Treatment referral"
DRR, ATR = "Drug Rehabilitation Requirement", "Alcohol Treatment Requirement"

# --- published targets (West Midlands) ---------------------------------------------------------------

FY2021 = ("2020-04", "2021-03")
FY2122 = ("2021-04", "2022-03")
TESTING_RESUMED = ("2021-11", "2022-03")

# Board paper para 16.
TREATMENT_REFERRALS_FY2021 = 1_315
TREATMENT_REFERRALS_FY2122 = 1_723
DRR_FY2122 = 199
ATR_FY2122 = 157

# Board paper para 17.
TESTS_SINCE_RESUMED = 1_784
POSITIVE_RATE_SINCE_RESUMED = 0.64
POSITIVE_SINCE_RESUMED = round_half_up(POSITIVE_RATE_SINCE_RESUMED * TESTS_SINCE_RESUMED)  # 1,142

# Board paper para 32: (2020, 2021) reports per NFIB category. The five the paper names, then the rest
# (ASSUMPTION); "Other Fraud (Not covered elsewhere)" takes what makes the published totals add up.
FRAUD_REPORTS_2020 = 13_331
FRAUD_REPORTS_2021 = 15_555
FRAUD_CATEGORIES: dict[str, tuple[int, int]] = {
    "Share sales or Boiler Room Fraud": (150, 219),
    "Dating Scam": (410, 590),
    "Rental Fraud": (230, 329),
    "Advance Fee Fraud": (620, 880),
    "Ticket Fraud": (270, 351),
    # ASSUMPTION from here on
    "Online Shopping and Auctions": (3_900, 4_480),
    "Cheque, Plastic Card and Online Bank Accounts (not PSP)": (2_350, 2_610),
    "Computer Software Service Fraud": (620, 700),
    "Hacking - Social Media and Email": (780, 960),
    "Mandate Fraud": (310, 330),
    "Application Fraud (excluding Mortgages)": (450, 470),
    "Lender Loan Fraud": (380, 440),
    "Other Financial Investment": (290, 355),
    "Door to Door Sales and Bogus Tradesmen": (240, 230),
    "Retail Fraud": (410, 450),
    "Lottery Scams": (160, 150),
    "Hacking - Personal": (290, 340),
    "Computer Virus / Malware / Spyware": (200, 190),
    "Pension Fraud by Pension Liberation": (60, 75),
    "Pyramid or Ponzi Schemes": (40, 70),
}
OTHER_FRAUD = "Other Fraud (Not covered elsewhere)"
FRAUD_CATEGORIES[OTHER_FRAUD] = (FRAUD_REPORTS_2020 - sum(v[0] for v in FRAUD_CATEGORIES.values()),
                                 FRAUD_REPORTS_2021 - sum(v[1] for v in FRAUD_CATEGORIES.values()))

# --- assumptions ----------------------------------------------------------------------------------------

# Financial years: treatment referrals, DRR, ATR. 2020/21 referrals and all of 2021/22 are published.
ARREST_REFERRAL_BY_YEAR: dict[tuple[str, str], tuple[int, int, int]] = {
    ("2018-04", "2019-03"): (1_090, 150, 118),
    ("2019-04", "2020-03"): (1_160, 162, 126),
    FY2021: (TREATMENT_REFERRALS_FY2021, 121, 95),  # courts closed in the first lockdown
    FY2122: (TREATMENT_REFERRALS_FY2122, DRR_FY2122, ATR_FY2122),
    ("2022-04", "2023-03"): (1_840, 214, 166),
}
# Drug tests: windows between which testing ran, and the positive rate in each; paused January to
# October 2021. November 2021 to March 2022 is published.
TESTING_PAUSED = ("2021-01", "2021-10")
DRUG_TESTS_BY_WINDOW: dict[tuple[str, str], tuple[int, float]] = {
    ("2018-04", "2019-03"): (3_900, 0.58),
    ("2019-04", "2020-03"): (4_100, 0.60),
    ("2020-04", "2020-12"): (2_350, 0.61),
    TESTING_RESUMED: (TESTS_SINCE_RESUMED, POSITIVE_RATE_SINCE_RESUMED),
    ("2022-04", "2023-03"): (4_450, 0.63),
}
# Arrests fell in the lockdowns; custody work follows them.
CUSTODY_SEASON = (0.97, 0.97, 1.03, 1.00, 1.02, 0.99, 1.03, 1.02, 0.98, 1.01, 0.99, 0.99)
CUSTODY_COVID = 0.5
# WMP's four custody suites (the paper: "each of the four custody suites") and their share of the work.
WEST_MIDLANDS_SUITES = ("Perry Barr", "Oldbury", "Coventry", "Wolverhampton")
SUITE_SHARES = (0.34, 0.24, 0.22, 0.20)
# Calendar years of fraud reports against 2020 and 2021 (2018 and 2023 partial: April to December, and
# January to March); fraud rose through the pandemic.
FRAUD_YEARS: dict[tuple[str, str], tuple[int, float]] = {  # (window, (reference year, factor))
    ("2018-04", "2018-12"): (2020, 0.60),
    ("2019-01", "2019-12"): (2020, 0.83),
    ("2020-01", "2020-12"): (2020, 1.00),
    ("2021-01", "2021-12"): (2021, 1.00),
    ("2022-01", "2022-12"): (2021, 1.03),
    ("2023-01", "2023-03"): (2021, 0.27),
}
# How far a category's year outside 2020 and 2021 strays from the overall factor (log sd).
FRAUD_CATEGORY_DRIFT_SD = 0.12
FRAUD_SEASON = (1.02, 0.95, 1.04, 0.99, 1.00, 0.97, 0.98, 0.98, 0.99, 1.03, 1.06, 0.99)
# Share of reports cyber enabled, and of organisation victims, by category (default otherwise).
CYBER_RATES = {"Online Shopping and Auctions": 0.93, "Hacking - Social Media and Email": 1.0,
               "Hacking - Personal": 1.0, "Computer Virus / Malware / Spyware": 1.0, "Dating Scam": 0.85,
               "Ticket Fraud": 0.82, "Rental Fraud": 0.70, "Door to Door Sales and Bogus Tradesmen": 0.03,
               "Computer Software Service Fraud": 0.60}
CYBER_DEFAULT, CYBER_UNKNOWN_RATE = 0.45, 0.03
ORGANISATION_RATES = {"Mandate Fraud": 0.55, "Computer Virus / Malware / Spyware": 0.35, "Retail Fraud": 0.40,
                      "Hacking - Social Media and Email": 0.08}
ORGANISATION_DEFAULT = 0.05

DEFAULT_SEED = 20220331
_STREAMS = {"arrest_referral": 21, "fraud": 22}


def _suites(force: ForceData) -> tuple[str, ...]:
    if force.slug == cal.CALIBRATED_FORCE_SLUG:
        return WEST_MIDLANDS_SUITES
    return tuple(f"{_display_name(force.slug)} custody suite {letter}" for letter in "ABCD")


# --- arrest referral ----------------------------------------------------------------------------------

def _arrest_referral_files(force: ForceData, months: _Calendar, seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["arrest_referral"]])
    scale = _scale(force, ("drug_offences",))
    shape = _shape(months, CUSTODY_SEASON, CUSTODY_COVID)
    kinds = (TREATMENT_REFERRAL, DRR, ATR)
    counts = {kind: _monthly_counts(months, [(*months.window(*span), totals[k] * scale)
                                             for span, totals in ARREST_REFERRAL_BY_YEAR.items()], shape, rng, 0.08)
              for k, kind in enumerate(kinds)}
    paused = np.array([TESTING_PAUSED[0] <= _month_text(int(m)) <= TESTING_PAUSED[1] for m in months.months])
    tests = _monthly_counts(months, [(*months.window(*span), total * scale)
                                     for span, (total, _) in DRUG_TESTS_BY_WINDOW.items()], shape, rng, 0.06,
                            active=~paused)
    positive = np.zeros_like(tests)
    for span, (_, rate) in DRUG_TESTS_BY_WINDOW.items():
        lo, hi = months.window(*span)
        in_window = tests[lo:hi + 1]
        monthly_rate = np.clip(rate + rng.normal(0.0, 0.015, in_window.size), 0.3, 0.9)
        positive[lo:hi + 1] = largest_remainder(in_window * monthly_rate, round_half_up(rate * int(in_window.sum())))
    suites = _suites(force)
    files: dict[int, list[list[str]]] = {}
    for position, month in enumerate(months.months.tolist()):
        n_tests, n_positive = int(tests[position]), int(positive[position])
        types = [DRUG_TEST] * n_tests + [kind for kind in kinds for _ in range(int(counts[kind][position]))]
        results = ["Positive"] * n_positive + ["Negative"] * (n_tests - n_positive) + [""] * (len(types) - n_tests)
        order = rng.permutation(len(types))
        types, results = [types[i] for i in order], [results[i] for i in order]
        suite = np.array(suites, dtype=object)[rng.choice(len(suites), size=len(types), p=SUITE_SHARES)]
        # requirements are granted in court: no custody suite
        suite_text = ["" if kind in (DRR, ATR) else s for kind, s in zip(types, suite.tolist(), strict=True)]
        days = _days(rng, month, len(types), (1.10, 1.05, 1.05, 1.05, 1.05, 0.85, 0.85))
        compact = _month_text(month).replace("-", "")
        files[month] = [[f"CARS-{force.initials}-{compact}-{i + 1:05d}" for i in range(len(types))],
                        _date_texts(month, days), suite_text, types, results]
    return files


# --- fraud reports ------------------------------------------------------------------------------------

def _fraud_files(force: ForceData, months: _Calendar, seed: int) -> dict[int, list[list[str]]]:
    rng = np.random.default_rng([seed, force.key, _STREAMS["fraud"]])
    scale = _scale(force)
    shape = _shape(months, FRAUD_SEASON, 0.0)
    names = list(FRAUD_CATEGORIES)
    # each category drifts its own way outside 2020 and 2021 (those two are the published years), the
    # year's total kept at its factor
    drift = {}
    for span, (year, factor) in FRAUD_YEARS.items():
        weights = np.array([FRAUD_CATEGORIES[name][year - 2020] for name in names], dtype=float)
        step = np.exp(rng.normal(0.0, FRAUD_CATEGORY_DRIFT_SD, len(names))) if factor != 1.0 else np.ones(len(names))
        drift[span] = step * weights.sum() / (weights * step).sum()
    counts = np.stack([
        _monthly_counts(months, [(*months.window(*span), FRAUD_CATEGORIES[name][year - 2020] * factor
                                  * drift[span][index] * scale)
                                 for span, (year, factor) in FRAUD_YEARS.items()], shape, rng, 0.10)
        for index, name in enumerate(names)
    ])  # (category, month)
    cyber = np.array([CYBER_RATES.get(name, CYBER_DEFAULT) for name in names])
    organisation = np.array([ORGANISATION_RATES.get(name, ORGANISATION_DEFAULT) for name in names])
    files: dict[int, list[list[str]]] = {}
    for position, month in enumerate(months.months.tolist()):
        category = np.repeat(np.arange(len(names)), counts[:, position])
        category = category[rng.permutation(category.size)]
        u = rng.random(category.size)
        flags = np.where(u < CYBER_UNKNOWN_RATE, "",
                         np.where(rng.random(category.size) < cyber[category], "Y", "N")).astype(object)
        victim = np.where(rng.random(category.size) < organisation[category], "Organisation", "Individual")
        days = _days(rng, month, category.size, (1.15, 1.10, 1.05, 1.05, 1.00, 0.80, 0.85))
        compact = _month_text(month).replace("-", "")[2:]
        files[month] = [[f"NFRC{compact}{i + 1:06d}" for i in range(category.size)], _date_texts(month, days),
                        [names[c] for c in category.tolist()], flags.tolist(), victim.tolist()]
    return files


# --- entry point --------------------------------------------------------------------------------------

def write_partners(
    out_dir: Path,
    force_slug: str = cal.CALIBRATED_FORCE_SLUG,
    first_month: str = cal.DEFAULT_FIRST_MONTH,
    last_month: str = cal.DEFAULT_LAST_MONTH,
    seed: int = DEFAULT_SEED,
) -> list[Path]:
    """Write the arrest referral and fraud report files for a force, months first_month to last_month
    inclusive; return the paths. For west-midlands the published figures of the module docstring come
    out exactly."""
    first, last = _month_number(first_month), _month_number(last_month)
    if first > last:
        raise ValueError(f"first_month {first_month} is after last_month {last_month}")
    force = load_force(force_slug)
    months = _Calendar.covering(first, last)
    return write_monthly_csvs(Path(out_dir), force_slug, first, last, (
        (ARREST_REFERRAL_DIR, "arrest-referral", ARREST_REFERRAL_COLUMNS, _arrest_referral_files(force, months, seed)),
        (FRAUD_DIR, "fraud-reports", FRAUD_COLUMNS, _fraud_files(force, months, seed)),
    ))


def main(argv: list[str] | None = None) -> int:
    return generator_main(write_partners, "Write sample arrest referral and fraud report extracts.",
                          "partners", DEFAULT_SEED, argv)


if __name__ == "__main__":
    sys.exit(main())
