"""The landing folder: which files are there for a source and period, and quarantine for bad ones.

File names carry the force and the period (SOURCES.md), so discovery never opens a file.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from assets.lib.errors import RejectedFile
from assets.lib.progress import reading
from assets.lib.reference_data import force_codes_by_slug

QUARANTINE_DIR_NAME = "_quarantine"


MONTH, DAY = r"\d{4}-\d{2}", r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class SourceLayout:
    """Where one of the force's own sources sits in the landing folder and how its file names read: the one
    grammar of them all, <force>-<kind>-<period>.<extension> (SOURCES.md), the force a data.police.uk slug."""

    name: str
    folder: str
    kind: str
    period: str = MONTH
    extension: str = "csv"

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<force>[a-z0-9-]+)-{re.escape(self.kind)}-(?P<period>{self.period})\."
                          rf"{re.escape(self.extension)}")

    @property
    def glob(self) -> str:
        """The files to look at, relative to the landing folder (misnamed ones included, to report them)."""
        return f"{self.folder}/*.{self.extension}"

    @property
    def rule(self) -> str:
        period = "<YYYY-MM>" if self.period == MONTH else "<YYYY-MM-DD>"
        return f"<force>-{self.kind}-{period}.{self.extension}"

    def match(self, path: Path) -> re.Match[str] | None:
        return self.pattern.fullmatch(path.name)

    def force_and_period(self, path: Path) -> tuple[str, str]:
        """(ONS PFA code, period as written) from a file's name; a name that breaks the grammar rejects the file."""
        match, forces = self.match(path), force_codes_by_slug()
        if match is None or match["force"] not in forces:
            raise RejectedFile(path, f"the file name must be {self.rule} in lower case, the force a slug of "
                               "reference/forces.csv")
        return forces[match["force"]], match["period"]


FORCE_CRIMES = SourceLayout("recorded_crime", "force/crimes", "crimes")
FIREARM_DISCHARGE_FILES = SourceLayout("firearm_discharges", "force/firearm-discharges", "firearm-discharges")
DRUG_ACTIVITY_FILES = SourceLayout("drug_activity", "force/drug-activity", "drug-activity")
SMS_SURVEY_FILES = SourceLayout("sms_survey", "force/satisfaction", "sms-survey")
WORKFORCE_FILES = SourceLayout("workforce", "force/workforce", "workforce", period=DAY, extension="xlsx")
USE_OF_FORCE_FILES = SourceLayout("use_of_force", "force/use-of-force", "use-of-force")
STOP_SEARCH_BWV_FILES = SourceLayout("stop_search_bwv", "force/stop-search-bwv", "stop-search-bwv")
FIREARM_RECOVERY_FILES = SourceLayout("firearm_recoveries", "force/firearm-recoveries", "firearm-recoveries")
OPERATIONS_FILES = SourceLayout("operations", "force/operations", "operations")
ARREST_REFERRAL_FILES = SourceLayout("arrest_referral", "partners/arrest-referral", "arrest-referral")
FRAUD_REPORT_FILES = SourceLayout("fraud_reports", "partners/fraud", "fraud-reports")


@dataclass(frozen=True)
class LandedFile:
    path: Path
    source: str
    force_slug: str
    force_code: str
    period: date

    @property
    def month(self) -> str:
        return self.period.strftime("%Y-%m")


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a delivered file's content (its SHA-256), with the size and modification time it had
    when hashed, so that the hash of a file not touched since need not be worked out again (None: not
    recorded, as for files loaded before the size and time were kept)."""
    sha256: str
    size: int | None
    mtime_ns: int | None

    def still_holds(self, stat: os.stat_result) -> bool:
        """Whether a file, as `stat` finds it now, is untouched since it was hashed: same size and modification
        time (a fingerprint recorded without them never holds)."""
        return (self.size, self.mtime_ns) == (stat.st_size, stat.st_mtime_ns)


def fingerprint_of(path: Path, known: Fingerprint | None = None) -> Fingerprint:
    """The file's fingerprint. A file whose size and modification time are those `known` was recorded with
    keeps the recorded hash (reading every delivered file on every run would grow with the history kept);
    any other is hashed again, so a file touched but not changed is still found unchanged."""
    stat = path.stat()
    if known is not None and known.still_holds(stat):
        return known
    return Fingerprint(sha256_of(path), stat.st_size, stat.st_mtime_ns)


def fingerprints_of(paths: Sequence[Path], known: Mapping[str, Fingerprint], what: str | None = None
                    ) -> dict[Path, Fingerprint]:
    """fingerprint_of for each path (what was recorded for it looked up by file name), on every core: reading a
    file and hashing it release the GIL, so two threads hash a national history of crime extracts (3,612 files,
    3.8 GB) in about half the 5 s of one. With `what`, a progress bar of the bytes hashed."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        found = pool.map(lambda path: fingerprint_of(path, known.get(path.name)), paths)
        if what is None:
            return dict(zip(paths, found, strict=True))
        return {path: print_ for (path, _), print_ in zip(reading(paths, what), found, strict=True)}


def sha256_of(path: Path) -> str:
    """The content hash that identifies a delivery: same bytes, same file, whatever its timestamp."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _period(text: str) -> date:
    return datetime.strptime(text, "%Y-%m").date()


def _candidates(root: Path, layout: SourceLayout) -> list[Path]:
    folder = root / layout.folder
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def discover(root: Path, layout: SourceLayout) -> list[LandedFile]:
    """Every well-named file of a source in the landing folder, sorted by period then force."""
    forces = force_codes_by_slug()
    found = []
    for path in _candidates(root, layout):
        match = layout.match(path)
        if match is not None and match["force"] in forces:
            slug = match["force"]
            found.append(LandedFile(path, layout.name, slug, forces[slug], _period(match["period"])))
    return sorted(found, key=lambda f: (f.period, f.force_code))


def misnamed(root: Path, layout: SourceLayout) -> list[Path]:
    """Files in a source's folder whose name breaks the layout or names an unknown force.

    They cannot be given a period, so no partition loads them; runs report them so a mistyped
    delivery is noticed rather than silently ignored.
    """
    forces = force_codes_by_slug()
    bad = []
    for path in _candidates(root, layout):
        match = layout.match(path)
        if match is None or match["force"] not in forces:
            bad.append(path)
    return bad


def nearest_valid_name(path: Path, layout: SourceLayout) -> str | None:
    """The well-formed name a misnamed file most likely meant ("West-Midlandz-crimes-2021-03.CSV" ->
    "west-midlands-crimes-2021-03.csv"), or None when it reads as no file of the layout at all."""
    loose = re.fullmatch(rf"(?P<force>.+?)[-_ ]{re.escape(layout.kind)}[-_ ](?P<year>\d{{4}})[-_]?(?P<month>\d{{2}})"
                         rf"\.{re.escape(layout.extension)}", path.name, flags=re.IGNORECASE)
    if loose is None or layout.period != MONTH:
        return None
    slug = loose["force"].lower().replace("_", "-").replace(" ", "-")
    close = difflib.get_close_matches(slug, list(force_codes_by_slug()), n=1, cutoff=0.6)
    return f"{close[0]}-{layout.kind}-{loose['year']}-{loose['month']}.{layout.extension}" if close else None


def quarantine_misnamed(root: Path, layout: SourceLayout) -> list[tuple[Path, str]]:
    """Quarantine every file of a source's folder whose name breaks the layout: a misnamed file cannot be
    given a period, so it would otherwise never load and a force would silently lose a month. The
    reason names the naming rule and the nearest valid name."""
    moved = []
    for path in misnamed(root, layout):
        nearest = nearest_valid_name(path, layout)
        reason = (f"{path.name}: whole file: the file name must be {layout.rule} in lower case, "
                  "the force a slug of reference/forces.csv"
                  + (f"; did you mean {nearest}? Deliver it again under that name." if nearest else "."))
        moved.append((quarantine(root, path, reason), reason))
    return moved


def files_for_month(root: Path, layout: SourceLayout, month: str) -> list[LandedFile]:
    return [f for f in discover(root, layout) if f.month == month]


def quarantine(root: Path, file: Path, reason: str) -> Path:
    """Move a rejected file out of the landing folder, with the reason written beside it.

    Moving (not copying) means the next run sees the period as it was before the bad delivery,
    and a corrected re-delivery under the same name is picked up cleanly.
    """
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    # where the file sits, not where it points: a symbolic link is quarantined as itself (its target, inside
    # the landing folder or outside it, is left alone)
    relative = file.parent.resolve().relative_to(root.resolve()) / file.name
    target = root / QUARANTINE_DIR_NAME / stamp / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(file), target)
    target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
    return target


@dataclass(frozen=True)
class QuarantinedFile:
    path: Path
    reason: str


def quarantined_files(root: Path) -> dict[Path, QuarantinedFile]:
    """Every file in the landing folder's quarantine, with its reason. A run's summary compares the
    set before and after each step to say what that step rejected."""
    folder = root / QUARANTINE_DIR_NAME
    if not folder.is_dir():
        return {}
    found = {}
    for reason in sorted(folder.rglob("*.reason.txt")):
        path = reason.with_name(reason.name.removesuffix(".reason.txt"))
        found[path] = QuarantinedFile(path, reason.read_text(encoding="utf-8").strip())
    return found
