"""Shared fixtures: the real datasets in ../shared/data, which CI must have; hypothesis derandomised;
headless Chromium for the tests of pages."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# A test that fails at random is a defect: every hypothesis test draws the same examples on every run
# (seeded from the test itself), with no example database carried from one run to the next.
settings.register_profile("ecosys", derandomize=True, database=None)
settings.load_profile("ecosys")



def pytest_configure(config):
    """Templates compiled by the tests (and the commands they run) go to a folder of this run, not ``~/.cache``."""
    config.ecosys_cache = (os.environ.get("XDG_CACHE_HOME"), tempfile.mkdtemp(prefix="ecosys-tests-cache-"))
    os.environ["XDG_CACHE_HOME"] = config.ecosys_cache[1]


def pytest_unconfigure(config):
    before, folder = config.ecosys_cache
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
    shutil.rmtree(folder, ignore_errors=True)


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data/raw``; skipped where absent (a user's clone), a failure in CI."""
    if not SHARED.is_dir():
        if os.environ.get("ECOSYS_REQUIRE_SHARED") == "1":
            pytest.fail(f"{SHARED} is missing but ECOSYS_REQUIRE_SHARED=1")
        pytest.skip(f"{SHARED} is not here (it is beside the repository in CI)")
    return SHARED


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No background requests: the machines CI runs on refuse them, and a page test must see only the page's own.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]


def _unavailable(reason: str):
    if os.environ.get("ECOSYS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ECOSYS_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by playwright; skipped where absent, a failure in CI."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found (looked for 'chromium' on PATH and {CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
