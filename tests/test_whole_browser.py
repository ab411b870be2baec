"""The whole-graph page (``whole.html``, ecosys/whole.py) in real Chromium, with software WebGL.

A generated graph of 1,200 participations (about 900 nodes), analysed with ``--max-nodes 100`` so
that ``map.html`` is an overview and ``whole.html`` is written beside it; among the partners, names
that would run as script or as a spreadsheet formula. The page must open from ``file://`` without a
single request, draw every node, rank search as map-core.js does, never overlap two names, and keep
every name as text.
"""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest

HOSTILE = ["<img src=x onerror=window.__pwned=1>", "=HYPERLINK(\"http://x\",\"y\")", "</script><b>bold</b>"]
VIEWPORTS = ({"width": 1400, "height": 900}, {"width": 390, "height": 844})


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    root = tmp_path_factory.mktemp("whole")
    rng = random.Random(7)
    partners = [f"Università di Città {k}" if k % 7 == 0 else f"Partner {k}" for k in range(500)] + HOSTILE
    rows = []
    for p in range(400):
        size = 1 + min(8, int(rng.expovariate(0.45)))
        for who in rng.sample(partners[: 120 + p], size):
            rows.append((who, f"Project {p}", "partner"))
    rows += [(name, "Project 0", "partner") for name in HOSTILE]
    path = root / "participations.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["partner", "project", "role"])
        writer.writerows(rows)
    from click.testing import CliRunner

    from ecosys.cli import cli

    out = root / "out"
    result = CliRunner().invoke(cli, ["analyze", str(path), "--out", str(out), "--max-nodes", "100", "-q"])
    assert result.exit_code == 0, result.output
    return out, pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def page(browser, analysed):
    out, _ = analysed
    context = browser.new_context(viewport=VIEWPORTS[0])
    seen = {"requests": [], "errors": []}
    # Every request is routed: the page's own file goes on, anything else is recorded and refused.
    url = (out / "whole.html").resolve().as_uri()

    def route(r):
        seen["requests"].append(r.request.url)
        r.continue_() if r.request.url == url else r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("console", lambda msg: seen["errors"].append(msg.text) if msg.type == "error" else None)
    p.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    p.goto(url)
    p.wait_for_function("document.body.dataset.ready === '1'", timeout=60_000)
    yield p, seen
    context.close()


def test_the_overview_and_the_report_link_to_the_whole_graph(analysed):
    out, table = analysed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["map"]["kind"] == "overview" and summary["map"]["whole"] == "whole.html"
    assert '<p id="map-whole"><a href="whole.html"' in (out / "map.html").read_text(encoding="utf-8")
    assert 'href="whole.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_report_no_whole_leaves_it_out_and_a_graph_past_the_limit_gets_a_warning(analysed, tmp_path, monkeypatch):
    """`ecosys report DIR --no-whole` removes the folder's whole.html; past WHOLE_NODES none is written, with a warning."""
    import shutil

    from click.testing import CliRunner

    import ecosys.report
    from ecosys.cli import cli

    out, _ = analysed
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    result = CliRunner().invoke(cli, ["report", str(folder), "--max-nodes", "100", "--no-whole", "-q"])
    assert result.exit_code == 0, result.output
    assert not (folder / "whole.html").exists()  # (summary.json is analyze's: report leaves it as it was)
    assert 'href="whole.html"' not in (folder / "map.html").read_text(encoding="utf-8")
    monkeypatch.setattr(ecosys.report, "WHOLE_NODES", 50)
    result = CliRunner().invoke(cli, ["report", str(folder), "--max-nodes", "100"])
    assert result.exit_code == 0, result.output
    assert "whole.html not written: " in result.output and "(50)" in result.output
    assert not (folder / "whole.html").exists()


def test_the_page_opens_from_file_without_any_request(page, analysed):
    p, seen = page
    out, _ = analysed
    assert seen["requests"] == [(out / "whole.html").resolve().as_uri()]
    assert seen["errors"] == []
    assert p.evaluate("document.body.dataset.ready") == "1"


def test_every_node_is_drawn(page, analysed):
    p, _ = page
    _, table = analysed
    shown = p.evaluate("window.ecosys.shown()")
    assert len(shown) == table["partner"].nunique() + table["project"].nunique()
    assert sorted(shown) == list(range(len(shown)))
    assert p.evaluate("document.getElementById('whole-status').textContent").startswith(f"{len(shown):,} nodes")


def test_search_ranks_as_the_map_does(page):
    p, _ = page
    for query in ("partner 1", "universita di citta", "project 3", "4"):
        found = p.evaluate("(q) => window.ecosys.search(q)", query)
        # map-core's own ranking over the same names, weights and order
        ranked = p.evaluate(
            """(q) => {
              const data = JSON.parse(document.getElementById('ecosys-data').textContent);
              const metric = data.metrics.find((m) => m.key === data.size_by);
              const nodes = data.names.map((name, id) => ({ id, name, w: metric.values[id] || 0 }));
              return window.ecosysCore.rankMatches(nodes, q, (n) => n.w).map((n) => n.id);
            }""",
            query,
        )
        assert [h["id"] for h in found] == ranked and ranked, query
    accents = p.evaluate("window.ecosys.search('UNIVERSITA DI CITTA 7')")
    assert accents[0]["name"] == "Università di Città 7"


def _overlaps(boxes):
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]


def test_labels_never_overlap_at_any_zoom(page):
    p, _ = page
    p.evaluate("window.ecosys.select(null)")
    counts = []
    for factor in (1, 3, 3, 1 / 9):
        if factor != 1:
            p.evaluate(f"window.ecosys.zoom({factor})")
        boxes = p.evaluate("window.ecosys.labelBoxes()")
        assert _overlaps(boxes) == [], factor
        width, height = p.evaluate("[document.getElementById('graph').clientWidth, "
                                   "document.getElementById('graph').clientHeight]")
        assert all(b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= width and b["y"] + b["height"] <= height
                   for b in boxes)
        counts.append(len(boxes))
    assert counts[0] >= 20 and counts[-1] >= 20  # seen whole, many names (the centre zoomed in may be empty)


def test_clicking_a_result_opens_its_details_and_hostile_names_stay_text(page):
    p, _ = page
    for name in HOSTILE:
        p.fill("#search", name)
        p.press("#search", "Enter")
        p.wait_for_function("(n) => (document.querySelector('#details h3') || {}).textContent === n",
                            arg=name, timeout=10_000)
        assert p.evaluate("document.querySelectorAll('#details img, #details b, #search-results img').length") == 0
        first = p.evaluate("document.querySelector('#search-results button').textContent")
        assert first == name
    assert p.evaluate("window.__pwned") is None
    dl = p.evaluate("Array.from(document.querySelectorAll('#details dt')).map((d) => d.textContent)")
    assert dl[:2] == ["Kind", "Community"] and "PageRank" in dl
    assert re.match(r"Linked to \d+", p.evaluate("document.querySelectorAll('#details h3')[1].textContent"))
    # a neighbour's button selects it
    neighbour = p.evaluate("document.querySelector('#details ul button').textContent")
    p.click("#details ul button")
    assert p.evaluate("document.querySelector('#details h3').textContent") == neighbour


def test_screenshots_at_both_widths(browser, analysed, tmp_path):
    out, _ = analysed
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        context.route(re.compile(r"^(https?|wss?|ftp):"), lambda route: route.abort())
        p = context.new_page()
        p.goto((out / "whole.html").resolve().as_uri())
        p.wait_for_function("document.body.dataset.ready === '1'", timeout=60_000)
        shot = tmp_path / f"whole-{viewport['width']}.png"
        p.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        # the panel is beside the graph on a wide screen, below it on a phone
        graph = p.evaluate("document.getElementById('graph').getBoundingClientRect().toJSON()")
        panels = p.evaluate("document.getElementById('panels').getBoundingClientRect().toJSON()")
        beside = panels["left"] >= graph["right"] - 1
        below = panels["top"] >= graph["bottom"] - 1
        assert beside if viewport["width"] > 760 else below
        assert graph["height"] > 250
        context.close()
