"""Faults as an operator meets them: the main job killed while it loads changed months.

Each case starts from the same published quarter (three months), delivers three more months and runs
the main job with a pause point armed in one phase (tests/faults.py). The test reads the run's events
until the phase's step is the one in progress, asserts it is the phase intended, and kills the
process with SIGKILL. Then: the published warehouse is byte for byte what it was, the board documents
on disk are the ones it was published with, and the next run, with no manual step, fails the run the
dead process left started (so the one-writer queue never blocks), loads the months and publishes.
The later phases (marts, board documents, publication) and a full disk: test_faults_publishing.py.
"""

from pathlib import Path

import pytest

from tests.faults import (
    kill_inside_and_recover,
    publish_first_quarter,
)


@pytest.fixture(scope="module")
def published_quarter(tmp_path_factory) -> Path:
    return publish_first_quarter(tmp_path_factory.mktemp("published"))


@pytest.mark.parametrize("phase", ["ingest", "validation", "fact load"])
def test_killed_inside_a_phase_leaves_the_publication_and_the_next_run_recovers(published_quarter, tmp_path,
                                                                                phase):
    kill_inside_and_recover(published_quarter, tmp_path, phase)
