"""The evolution page in a real (headless) Chromium, at a desktop width (1400 px) and a phone's (390 px).

It must load nothing (no request leaves the page, no console error), run no script (hostile names from
the spreadsheet show as text), draw its charts, show the figures of periods.csv, and fit the phone's
width (wide tables and the alluvial scroll inside their own box). The screenshots are saved beside the
page (set ECOSYS_SCREENSHOTS to a folder to keep them).

Chromium is found on PATH (``chromium``) or at /usr/bin/chromium. Without it the tests skip, unless
``ECOSYS_REQUIRE_BROWSER=1`` (set in CI), where they fail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_evolution import PLANTED

from ecosys.cli import cli

LOCAL_URL = re.compile(r"^(file|data|blob):")
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>window.__pwned=1</script>"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """The planted example over two years, its largest partner renamed as hostile markup."""
    folder = tmp_path_factory.mktemp("evolution")
    data = PLANTED.replace("x0,", f'"{XSS_IMG}",').replace("y0,", f'"{XSS_SCRIPT}",')
    (folder / "planted.csv").write_text(data, encoding="utf-8")
    result = CliRunner().invoke(cli, ["evolution", str(folder / "planted.csv"), "--out", str(folder / "out"),
                                      "--min-community", "3", "--threshold", "0.3", "-q"])
    assert result.exit_code == 0, result.output
    return folder / "out"


@pytest.mark.parametrize("width", [1400, 390])
def test_the_page_loads_nothing_runs_nothing_and_fits(browser, written, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto((written / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert [u for u in requests if not LOCAL_URL.match(u)] == [] and problems == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0 and page.locator("script").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = Path(os.environ.get("ECOSYS_SCREENSHOTS", written))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"evolution-{width}.png"), full_page=True)
    page.close()


def test_the_page_shows_the_tables_figures_and_draws_the_charts(browser, written):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto((written / "index.html").as_uri())
    periods = pd.read_csv(written / "periods.csv", dtype={"period": str})
    rows = page.locator("#periods tbody tr")
    assert rows.count() == len(periods)
    for i, r in enumerate(periods.itertuples(index=False)):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[:3] == [r.period, f"{r.partners:,}", f"{r.projects:,}"]
    # five trend charts, the core, the events, the alluvial: each an SVG with something drawn
    for chart in ("partners", "projects", "density", "giant_share", "newcomers", "core", "events"):
        assert page.locator(f"#chart-{chart} svg").count() == 1
        assert page.locator(f"#chart-{chart} svg :is(polyline, rect)").count() > 0
    bands = page.locator("#alluvial path.band")
    titles = bands.locator("title").all_text_contents()
    # 2019 X (6 partners) splits in two communities of 3; Y and Z (5 each) merge
    assert sum(t.endswith(": 3 partners") for t in titles) >= 2 and sum(t.endswith(": 5 partners") for t in titles) >= 2
    hostile = page.locator("#alluvial rect title").all_text_contents()
    assert any(XSS_IMG in t for t in hostile)  # shown as text, in a title, never as markup
    events = page.locator("#events tbody tr").all_inner_texts()
    assert any("split" in e for e in events) and any("merge" in e for e in events)
    page.close()
