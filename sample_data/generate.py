"""The bundled sample landing folder: generated, deterministic, calibrated (see each module).

    python -m sample_data.generate --out DIR [--scale 0.02]

The main job calls ensure_sample_landing() on the default folder: it regenerates only when the
generator code changed, so repeated runs reuse the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

from assets.lib.reference_data import OFFENCE_CLASSIFICATION_CSV
from sample_data.census import write_census_ethnicity
from sample_data.crimes import write_crime_extracts
from sample_data.force_ops import write_force_ops
from sample_data.hes import write_hes_workbooks
from sample_data.operations import write_operations
from sample_data.partners import write_partners
from sample_data.policeuk import write_policeuk_files
from sample_data.use_of_force import write_use_of_force

SAMPLE_DIR = Path(__file__).resolve().parent
REAL_DIR = SAMPLE_DIR / "real"
STAMP = ".sample-version"
# data.police.uk street-level files at full volume would add about 380 MB; a tenth keeps the
# layout, the mix and the out-of-area rows at a size the sample can carry.
STREET_SCALE = 0.1

# Real publications copied into the landing folder unchanged, as the publishers ship them.
REAL_FILES = {
    REAL_DIR / "ons-pfa-tables" / "policeforceareatablesyearendingjune2019.xlsx": "ons/pfa-tables",
    REAL_DIR / "ons-pfa-tables" / "policeforceareatablesyeendingmarch2019.xlsx": "ons/pfa-tables",
    REAL_DIR / "ons-population" / "ukmidyearestimates20192019ladcodes.xls": "ons/population",
    REAL_DIR / "ons-census" / "census2011-ks201ew-ethnic-group-by-la.subset30.csv": "ons/census",
    OFFENCE_CLASSIFICATION_CSV: "homeoffice",
}


def generator_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(SAMPLE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(SAMPLE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def write_sample_landing(out: Path, scale: float = 1.0, force_slug: str = "west-midlands") -> None:
    """Every source of the landing contract that the sample covers, for one force."""
    write_crime_extracts(out, force_slug=force_slug, scale=scale)
    write_force_ops(out, force_slug=force_slug)
    write_operations(out, force_slug=force_slug)
    for source, folder in REAL_FILES.items():
        (out / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / folder / source.name)
    write_hes_workbooks(out)
    write_policeuk_files(out, force_slug=force_slug, scale=STREET_SCALE * scale)
    write_census_ethnicity(out)
    write_use_of_force(out, force_slug=force_slug)
    write_partners(out, force_slug=force_slug)


def ensure_sample_landing(out: Path) -> bool:
    """(Re)generate the sample landing folder if absent or stale; True when it wrote files."""
    version = generator_version()
    stamp = out / STAMP
    if stamp.exists() and stamp.read_text().strip() == version:
        return False
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write_sample_landing(out)
    stamp.write_text(version + "\n")
    return True


def main() -> None:
    import time

    from assets.lib.resources import DEFAULT_LANDING

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_LANDING)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--force", default="west-midlands")
    parser.add_argument("--ensure", action="store_true",
                        help="write the folder only if it is absent or was written by an older generator (run.sh)")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.ensure:
        if ensure_sample_landing(args.out):
            print(f"  sample landing folder written to {args.out} in {time.perf_counter() - started:.0f} s")
        else:
            print(f"  sample landing folder up to date at {args.out}")
        return
    write_sample_landing(args.out, scale=args.scale, force_slug=args.force)
    print(f"sample landing folder written to {args.out}")


if __name__ == "__main__":
    main()
