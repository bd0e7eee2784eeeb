"""Published West Midlands figures the sample recorded-crime extracts are calibrated to.

Two windows are calibrated exactly (at scale 1.0, counting RECORDED rows by recorded_date):

* the baseline year, July 2018 to June 2019, from the ONS police force area data tables for the year
  ending June 2019 (Table P1 offence groups, Table P4 knife or sharp instrument offences) and the
  baselines quoted in the Strategic Policing and Crime Board paper;
* the financial year April 2021 to March 2022, from the West Midlands Strategic Policing and Crime
  Board performance paper of May 2022.

The figures were transcribed from those publications as given in the project brief; they have not
been re-checked against the source documents here. Values that no publication gives (how the
vehicle-offence total splits into its subgroups, the 2021/22 level of the offence groups the board
paper does not report) are marked ASSUMPTION: they are chosen to be plausible and to make the
published totals add up, and nothing downstream should treat them as facts.

Counting categories follow the ONS offence breakdown of Table P1. They are built from the Home Office
classification in reference/prc-pfa-mar2013-onwards-tables201718.csv (offence subgroup, or group),
with one difference: the PRC 2017/18 classification still files the unlawful-driving codes under
"Violence with injury", while ONS reports "Death or serious injury caused by unlawful driving" as
its own line. Here those codes are their own category, so violence with injury (32,340) excludes
them; counting the PRC subgroup "Violence with injury" as published gives 32,340 + 38 = 32,378.
"""

from __future__ import annotations

BASELINE_WINDOW = ("2018-07", "2019-06")
FY2122_WINDOW = ("2021-04", "2022-03")

# The calendar the generator covers unless told otherwise: five financial years, 2018/19 to 2022/23.
DEFAULT_FIRST_MONTH = "2018-04"
DEFAULT_LAST_MONTH = "2023-03"

# The force whose PRC 2017/18 counts and published figures these are.
CALIBRATED_FORCE_SLUG = "west-midlands"

# ONS "selected offences" for knife or sharp instrument crime (ONS PFA Table P4 footnotes): homicide,
# attempted murder, threats to kill, assault with injury and with intent to cause serious harm,
# robbery, rape and sexual assault. Must match core.dim_offence in the pipeline.
KNIFE_SELECTED_OFFENCE_CODES: tuple[str, ...] = (
    "1", "4.1", "4.2", "4.10", "2", "3B", "8N", "8P", "5D", "34A", "34B",
    "19C", "19D", "19E", "19F", "19G", "19H", "17A", "17B", "20A", "20B",
)

# The PRC tables publish homicide only as this combined code; force records carry the individual
# Home Office codes (murder, manslaughter, infanticide, corporate manslaughter).
COMBINED_HOMICIDE_CODE = "1/4.1/4.10/4.2"
HOMICIDE_CODES: tuple[str, ...] = ("1", "4.1", "4.2", "4.10")

# ASSUMPTION: the split of recorded homicide by individual code. Most homicides are recorded as
# murder until charge; the PRC data does not publish the split.
HOMICIDE_CODE_MIX: dict[str, float] = {"1": 0.85, "4.1": 0.13, "4.2": 0.01, "4.10": 0.01}

# ONS "Death or serious injury caused by unlawful driving" (Table P1 and its user guide): the
# causing-death/serious-injury driving offences plus causing death by aggravated vehicle taking.
UNLAWFUL_DRIVING_CODES: tuple[str, ...] = ("4.4", "4.6", "4.8", "4.9", "37.1")

# Home Office offence subgroup (PRC column "Offence Subgroup") -> counting category.
SUBGROUP_CATEGORY: dict[str, str] = {
    "Homicide": "homicide",
    "Violence with injury": "violence_with_injury",
    "Violence without injury": "violence_without_injury",
    "Stalking and harassment": "stalking_and_harassment",
    "Rape offences": "sexual_offences",
    "Other sexual offences": "sexual_offences",
    "Robbery of business property": "robbery",
    "Robbery of personal property": "robbery",
    "Domestic burglary": "domestic_burglary",
    "Non-domestic burglary": "non_domestic_burglary",
    "Theft from a vehicle": "theft_from_vehicle",
    "Theft of a motor vehicle": "theft_of_motor_vehicle",
    "Vehicle interference": "vehicle_interference",
    "Theft from the person": "theft_from_the_person",
    "Bicycle theft": "bicycle_theft",
    "Shoplifting": "shoplifting",
    "Other theft offences": "other_theft",
    "Arson": "criminal_damage_and_arson",
    "Criminal damage": "criminal_damage_and_arson",
    "Possession of drugs": "drug_offences",
    "Trafficking of drugs": "drug_offences",
    "Possession of weapons offences": "possession_of_weapons",
    "Public order offences": "public_order",
    "Miscellaneous crimes": "miscellaneous",
}

# The ONS "vehicle offences" line is the sum of three subgroups.
VEHICLE_CATEGORIES: tuple[str, ...] = ("theft_from_vehicle", "theft_of_motor_vehicle", "vehicle_interference")

CATEGORIES: tuple[str, ...] = (
    "homicide",
    "unlawful_driving",
    "violence_with_injury",
    "violence_without_injury",
    "stalking_and_harassment",
    "sexual_offences",
    "robbery",
    "domestic_burglary",
    "non_domestic_burglary",
    *VEHICLE_CATEGORIES,
    "theft_from_the_person",
    "bicycle_theft",
    "shoplifting",
    "other_theft",
    "criminal_damage_and_arson",
    "drug_offences",
    "possession_of_weapons",
    "public_order",
    "miscellaneous",
)

# --- Baseline year, July 2018 to June 2019 ---------------------------------------------------------

# ONS, Police force area data tables, year ending June 2019, Table P1 (West Midlands), except homicide.
BASELINE_TARGETS: dict[str, int] = {
    # Strategic Policing and Crime Board paper (May 2022) baseline; ONS Table P1 gives 53. The
    # difference is real (later reclassification) and is meant to show in the reconciliation table.
    "homicide": 52,
    "unlawful_driving": 38,
    "violence_with_injury": 32_340,
    "violence_without_injury": 29_811,
    "stalking_and_harassment": 18_300,
    "sexual_offences": 7_737,
    "robbery": 8_945,
    "domestic_burglary": 21_542,
    "non_domestic_burglary": 7_133,
    "theft_from_the_person": 3_239,
    "bicycle_theft": 2_889,
    "shoplifting": 17_961,
    "other_theft": 23_573,
    "criminal_damage_and_arson": 25_590,
    "drug_offences": 5_000,
    "possession_of_weapons": 2_720,
    "public_order": 15_460,
    "miscellaneous": 4_097,
}
# ONS Table P1 "Vehicle offences" (theft from + theft of a motor vehicle + vehicle interference).
BASELINE_VEHICLE_OFFENCES = 36_130
# ASSUMPTION: the baseline split of vehicle offences follows West Midlands' own 2017/18 PRC counts
# (computed from the reference file, not fixed here).

# ONS Table P4, knife or sharp instrument offences (selected offences above), year ending June 2019.
BASELINE_KNIFE_CRIME = 3_560
# Board paper baseline: robbery where the victim was under 25 (40% of robbery).
BASELINE_ROBBERY_UNDER_25 = 3_578
# Board paper baseline: crimes flagged as online (cyber-enabled).
BASELINE_ONLINE = 5_900

# --- Financial year April 2021 to March 2022 --------------------------------------------------------

# Strategic Policing and Crime Board, May 2022, year-end performance against the Police and Crime
# Plan baselines. Changes quoted are against the baseline year above.
FY2122_TARGETS: dict[str, int] = {
    "homicide": 53,
    "violence_with_injury": 38_808,  # +20%
    "robbery": 7_868,
    "domestic_burglary": 15_015,  # -30.3%
    "non_domestic_burglary": 4_972,  # -30.3%
    "theft_from_the_person": 3_854,  # +19%
    "possession_of_weapons": 6_093,  # +124%
    # ASSUMPTION from here on: the board paper does not report these groups. Levels are set from
    # the direction of travel of West Midlands recorded crime (violence without injury and stalking
    # and harassment grew fastest, shoplifting and other theft had not recovered from the
    # lockdowns) so that all categories add up to the paper's total of about 327,000.
    "unlawful_driving": 46,
    "violence_without_injury": 49_000,
    "stalking_and_harassment": 58_500,
    "sexual_offences": 11_400,
    "bicycle_theft": 2_000,
    "shoplifting": 14_900,
    "other_theft": 19_100,
    "criminal_damage_and_arson": 26_900,
    "drug_offences": 7_100,
    "public_order": 24_000,
    "miscellaneous": 4_513,
}
# Board paper: vehicle offences -9%.
FY2122_VEHICLE_OFFENCES = 32_878
# ASSUMPTION: theft of a motor vehicle rose while theft from vehicles fell (the paper reports March
# 2022 as the highest theft-of-vehicle month for several years), so its share grows.
FY2122_VEHICLE_SHARES: dict[str, float] = {
    "theft_from_vehicle": 0.49,
    "theft_of_motor_vehicle": 0.355,
    "vehicle_interference": 0.155,
}
# Board paper: burglary (residential + business and community) -30.3%.
FY2122_BURGLARY = 19_987
# Board paper: online crime 29,500, a five-fold increase and 9% of all crime, which puts total
# recorded crime (excluding fraud) at about 327,000.
FY2122_TOTAL_RECORDED_CRIME = 327_000
# Board paper: knife crime +28%.
FY2122_KNIFE_CRIME = 4_557
# Board paper: robbery of victims under 25, -17%.
FY2122_ROBBERY_UNDER_25 = 2_970
FY2122_ONLINE = 29_500
# Board paper: February 2022 had the highest monthly online crime figure in the series.
ONLINE_PEAK_MONTH = "2022-02"
ONLINE_PEAK = 2_836

# Board paper, homicide 2021/22: flags on the 53 homicides (13%, 26%, 47%, 24% of 53) and victims
# under 25 (15%).
FY2122_HOMICIDE_FLAGS: dict[str, int] = {
    "organised_crime_group": 7,
    "domestic_abuse": 14,
    "drugs_related": 25,
    "alcohol_related": 13,
}
FY2122_HOMICIDE_VICTIM_UNDER_25 = 8

# ASSUMPTION: records later cancelled (transferred, duplicate, no crime) sit in the extracts with
# status CANCELLED on top of the counted crimes; about 1.5% is typical of a force's audit findings.
CANCELLED_SHARE = 0.015

# The figures above must add up the way the paper says they do; fail on import if an edit breaks it.
if sum(FY2122_TARGETS.values()) + FY2122_VEHICLE_OFFENCES != FY2122_TOTAL_RECORDED_CRIME:
    raise AssertionError("2021/22 category targets do not add up to the total recorded crime")
if FY2122_TARGETS["domestic_burglary"] + FY2122_TARGETS["non_domestic_burglary"] != FY2122_BURGLARY:
    raise AssertionError("2021/22 residential + business burglary does not add up to burglary")
if set(BASELINE_TARGETS) | set(VEHICLE_CATEGORIES) != set(CATEGORIES) or set(FY2122_TARGETS) != set(
    BASELINE_TARGETS
):
    raise AssertionError("every category needs a baseline and a 2021/22 target")
if abs(sum(FY2122_VEHICLE_SHARES.values()) - 1.0) > 1e-9:
    raise AssertionError("vehicle subgroup shares must sum to 1")
