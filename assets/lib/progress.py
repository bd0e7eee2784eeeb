"""Progress bars for the person watching the main job in a terminal (tqdm, on stderr).

Off when stderr is not a terminal (the Dagster UI's captured logs, CI, tests) or when
POLICING_PROGRESS=0: a bar there would only be noise in a log."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from tqdm import tqdm


def reading(paths: Sequence[Path], what: str) -> Iterator[tuple[Path, tqdm]]:
    """Each path in turn, with a bar of bytes read (MB/s) that the caller gives the rows read to."""
    enabled = sys.stderr.isatty() and os.environ.get("POLICING_PROGRESS", "1") != "0"
    total = sum(p.stat().st_size for p in paths if p.exists()) if enabled else 0
    with tqdm(total=total, desc=f"    {what}", unit="B", unit_scale=True, disable=not enabled, leave=False,
              file=sys.stderr) as bar:
        for path in paths:
            yield path, bar
            if enabled and path.exists():
                bar.update(path.stat().st_size)


def rows_read(bar: tqdm, rows: int) -> None:
    bar.set_postfix(rows=f"{rows:,}", refresh=False)
