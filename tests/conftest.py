"""Shared fixtures: the real datasets in ../shared/data, which CI must have."""

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data/raw``; skipped where absent (a user's clone), a failure in CI."""
    if not SHARED.is_dir():
        if os.environ.get("ECOSYS_REQUIRE_SHARED") == "1":
            pytest.fail(f"{SHARED} is missing but ECOSYS_REQUIRE_SHARED=1")
        pytest.skip(f"{SHARED} is not here (it is beside the repository in CI)")
    return SHARED
