"""Shared fixtures: the real datasets in ../shared/data, which CI must have; hypothesis derandomised."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

# A test that fails at random is a defect: every hypothesis test draws the same examples on every run
# (seeded from the test itself), with no example database carried from one run to the next.
settings.register_profile("ecosys", derandomize=True, database=None)
settings.load_profile("ecosys")

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data/raw``; skipped where absent (a user's clone), a failure in CI."""
    if not SHARED.is_dir():
        if os.environ.get("ECOSYS_REQUIRE_SHARED") == "1":
            pytest.fail(f"{SHARED} is missing but ECOSYS_REQUIRE_SHARED=1")
        pytest.skip(f"{SHARED} is not here (it is beside the repository in CI)")
    return SHARED
