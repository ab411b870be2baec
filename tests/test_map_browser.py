"""The interactive map in a real (headless) Chromium.

``ecosys analyze`` writes ``map.html``; these tests open it from disk the way a
coordinator would and check that it draws every node, stays offline, treats
hostile names from the spreadsheet as plain text, and that search, the details
panel, neighbour buttons, the legend and Escape work.

Chromium is found on PATH (``chromium``) or at /usr/bin/chromium. Without it the
tests skip, unless ``ECOSYS_REQUIRE_BROWSER=1`` (set in CI), where they fail.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1366, "height": 768}
LOCAL_URL = re.compile(r"^(file|data|blob):")

XSS_IMG = "<img src=x onerror=alert(1) alt=href>"
XSS_SCRIPT = "</script><script>window.__pwned=1</script>"
XSS_PROJECT = '"><svg onload=alert(2)>'
HINT = "Click a node or search to see its details"

# partner, project, role: 6 partners, 3 projects, 9 participations.
ROWS = [
    ("Comune di Torino", "Orti Urbani", "coordinator"),
    ("Cooperativa Sociale Aurora", "Orti Urbani", "partner"),
    (XSS_IMG, "Orti Urbani", "partner"),
    (XSS_IMG, XSS_PROJECT, "coordinator"),
    (XSS_SCRIPT, XSS_PROJECT, "partner"),
    ("Fondazione Comunità", XSS_PROJECT, "partner"),
    ("Fondazione Comunità", "Scuola Aperta", "coordinator"),
    ("Associazione Ponte", "Scuola Aperta", "partner"),
    ("Comune di Torino", "Scuola Aperta", "partner"),
]
PARTNERS = sorted({r[0] for r in ROWS})
PROJECTS = sorted({r[1] for r in ROWS})


def linked_to(name: str) -> set[str]:
    """The names a partner or project is linked to in ROWS."""
    return {b for a, b, _ in ROWS if a == name} | {a for a, b, _ in ROWS if b == name}


def hex_to_rgb(colour: str) -> str:
    """``#E69F00`` -> ``rgb(230, 159, 0)``, the way getComputedStyle reports it."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


# -- browser, CLI and page helpers ---------------------------------------------------


def _unavailable(reason: str):
    if os.environ.get("ECOSYS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ECOSYS_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found (looked for 'chromium' on PATH and {CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def run_analyze(csv_path: Path, out_dir: Path) -> tuple[Path, dict]:
    """Run ``ecosys analyze CSV --out OUT`` in-process; return (out_dir, summary.json)."""
    from click.testing import CliRunner

    from ecosys.cli import cli

    result = CliRunner().invoke(cli, ["analyze", str(csv_path), "--out", str(out_dir)])
    assert result.exit_code == 0, (
        f"ecosys analyze exited with {result.exit_code}:\n{result.output}\n{result.exception!r}"
    )
    assert (out_dir / "map.html").is_file()
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    return out_dir, summary


@dataclass
class MapPage:
    """An open map and everything it did: requests, errors and dialogs."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    _checked: dict = field(default_factory=dict)  # how far assert_clean has looked

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def node_id(self, name: str):
        node_id = self.js("l => (window.ecosys.payload.nodes.find(n => n.name === l) || {}).id", name)
        assert node_id is not None, f"no node named {name!r} in the payload"
        return node_id

    def selected(self) -> list:
        return self.js("window.ecosys.network.getSelectedNodes()")

    def search(self, text: str):
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")

    def neighbours(self) -> list[str]:
        """The names in the "Connected to" list (without the participation's role)."""
        return self.page.locator("#neighbors button").evaluate_all(
            "bs => bs.map(b => b.querySelector('.neighbour-name').firstChild.textContent)"
        )

    def roles(self) -> list[str]:
        return self.page.locator("#neighbors .edge-info").all_text_contents()

    def assert_clean(self):
        """No request off the machine, no error and no dialog since the last check (or the load)."""
        new = {}
        for name in ("requests", "errors", "dialogs"):
            seen = getattr(self, name)
            new[name] = seen[self._checked.get(name, 0) :]
            self._checked[name] = len(seen)
        remote = [u for u in new["requests"] if not LOCAL_URL.match(u)]
        assert remote == [], f"the map made requests off the machine: {remote}"
        assert new["errors"] == [], f"console errors or page errors: {new['errors']}"
        assert new["dialogs"] == [], f"a dialog opened: {new['dialogs']}"


def open_map(context, html: Path) -> MapPage:
    """Open *html* in a new page, recording requests, errors and dialogs."""
    page = context.new_page()
    m = MapPage(page)
    page.on("request", lambda request: m.requests.append(request.url))
    page.on("console", lambda msg: m.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: m.errors.append(f"pageerror: {exc}"))

    def on_dialog(dialog):
        m.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(html.resolve().as_uri())
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    return m


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("map")
    csv_path = root / "hostile-names.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["partner", "project", "role"])
        writer.writerows(ROWS)
    return run_analyze(csv_path, root / "out")


@pytest.fixture(scope="module")
def map_page(browser, analysed) -> MapPage:
    out_dir, _ = analysed
    context = browser.new_context(viewport=VIEWPORT)
    # Belt and braces: nothing may leave the machine even if the page tried.
    context.route(re.compile(r"^(https?|wss?|ftp):"), lambda route: route.abort())
    m = open_map(context, out_dir / "map.html")
    yield m
    context.close()


@pytest.fixture
def m(map_page) -> MapPage:
    """The shared map, reset to its opening state; checked for stray requests, errors and
    dialogs after each test (the first test also answers for the page load)."""
    map_page.page.keyboard.press("Escape")
    map_page.page.fill("#search", "")
    map_page.js("window.ecosys.network.fit({animation: false})")
    yield map_page
    map_page.assert_clean()


# -- tests --------------------------------------------------------------------------


def test_every_node_is_drawn_and_hostile_names_stay_inert(m, analysed):
    out_dir, summary = analysed
    assert (summary["partners"], summary["projects"]) == (len(PARTNERS), len(PROJECTS))
    assert summary["participations"] == len(ROWS)
    expected = summary["partners"] + summary["projects"]

    assert m.js("window.ecosys.payload.nodes.length") == expected
    assert m.js("window.ecosys.network.body.data.nodes.length") == expected
    assert m.js("Object.keys(window.ecosys.network.getPositions()).length") == expected
    names = m.js("window.ecosys.payload.nodes.map(n => n.name)")
    assert sorted(names) == sorted(PARTNERS + PROJECTS)
    # the canvas draws every label, long ones shortened with an ellipsis
    labels = m.js("window.ecosys.nodes.get().map(n => n.label)")
    assert len(labels) == len(names) and all(len(label) <= 28 for label in labels)
    assert "</script><script>window.__p…" in labels

    # The hostile names never reach the HTML as markup ...
    html = (out_dir / "map.html").read_text(encoding="utf-8")
    for name in (XSS_IMG, XSS_SCRIPT, XSS_PROJECT):
        assert name not in html
    # ... nothing ran and no element was injected ...
    assert m.js("typeof window.__pwned") == "undefined"
    assert m.dialogs == []
    assert m.js("document.querySelectorAll('img').length") == 0
    assert m.js("[...document.querySelectorAll('svg')].filter(s => s.hasAttribute('onload')).length") == 0
    assert m.js("document.querySelectorAll('[onload], [onerror]').length") == 0
    # ... yet they are offered, literally, as search suggestions.
    options = m.js("[...document.querySelectorAll('#search-options option')].map(o => o.value)")
    assert {XSS_IMG, XSS_SCRIPT, XSS_PROJECT} <= set(options)
    m.assert_clean()


def test_header_shows_title_and_subtitle(m):
    payload = m.js("window.ecosys.payload")
    assert m.page.text_content("#map-title") == payload["title"]
    assert m.page.text_content("#map-subtitle") == payload["subtitle"]
    assert m.page.is_visible("#map-note") == bool(payload["note"])


@pytest.mark.parametrize("name", [XSS_IMG, XSS_SCRIPT, XSS_PROJECT])
def test_search_selects_node_and_shows_details(m, name):
    m.search(name)

    node_id = m.node_id(name)
    assert node_id in m.selected()
    assert m.page.text_content("#details h2") == name
    assert name in m.page.text_content("#details")
    assert set(m.neighbours()) == linked_to(name)
    assert m.page.text_content("#search-status").strip() == ""
    # Centred and zoomed on the node.
    assert m.js("window.ecosys.network.getScale()") == pytest.approx(1.2, abs=0.01)
    centre = m.js(
        """id => { const n = window.ecosys.network, c = document.getElementById('network');
                   const p = n.canvasToDOM(n.getPositions([id])[id]);
                   return [p.x - c.clientWidth / 2, p.y - c.clientHeight / 2]; }""",
        node_id,
    )
    assert max(abs(v) for v in centre) < 3


def test_search_is_forgiving_about_case_and_partial_names(m):
    m.search("comune di torino")
    assert m.selected() == [m.node_id("Comune di Torino")]
    m.search("AURORA")
    assert m.selected() == [m.node_id("Cooperativa Sociale Aurora")]


def test_details_list_the_role_of_each_participation(m):
    m.search("Comune di Torino")
    assert m.neighbours() == ["Orti Urbani", "Scuola Aperta"]
    assert m.roles() == [" · coordinator", " · partner"]
    m.search(XSS_PROJECT)
    assert dict(zip(m.neighbours(), m.roles())) == {
        XSS_SCRIPT: " · partner", "Fondazione Comunità": " · partner", XSS_IMG: " · coordinator"
    }


def test_neighbour_button_moves_selection(m):
    m.search(XSS_IMG)
    buttons = m.page.locator("#neighbors button")
    buttons.nth(m.neighbours().index(XSS_PROJECT)).click()

    assert m.selected() == [m.node_id(XSS_PROJECT)]
    assert m.page.text_content("#details h2") == XSS_PROJECT
    assert set(m.neighbours()) == linked_to(XSS_PROJECT)


def test_search_without_match_says_so(m):
    m.search("Nobody by this name 42")
    status = m.page.text_content("#search-status")
    assert "No node matches" in status
    assert "Nobody by this name 42" in status


def test_legend_has_a_swatch_for_every_colour(m):
    legend = m.js("window.ecosys.payload.legend")
    swatches = m.js(
        "[...document.querySelectorAll('#legend-colors .swatch')].map(s => getComputedStyle(s).backgroundColor)"
    )
    assert len(swatches) == len(legend["colors"])
    assert swatches == [hex_to_rgb(c["color"]) for c in legend["colors"]]
    labels = m.page.locator("#legend-colors li").all_text_contents()
    assert [t.strip() for t in labels] == [c["label"] for c in legend["colors"]]

    node_colours = {hex_to_rgb(c) for c in m.js("window.ecosys.payload.nodes.map(n => n.color)")}
    assert node_colours <= set(swatches)
    assert m.page.locator("#legend-shapes li").count() == len(legend["shapes"])
    assert m.page.text_content("#legend-size") == legend["size"]


def test_escape_clears_selection(m):
    m.search(XSS_SCRIPT)
    assert m.selected() == [m.node_id(XSS_SCRIPT)]

    m.page.keyboard.press("Escape")
    assert m.selected() == []
    assert m.page.text_content("#details").strip() == HINT


def test_clicking_a_node_then_empty_canvas(m):
    box = m.page.locator("#network").bounding_box()
    target = m.node_id("Comune di Torino")
    point = m.js(
        "id => { const n = window.ecosys.network; return n.canvasToDOM(n.getPositions([id])[id]); }", target
    )
    hit = m.js("p => window.ecosys.network.getNodeAt(p)", point)  # the top node at that spot
    m.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert m.selected() == [hit]
    assert m.page.text_content("#details h2") == m.js(
        "id => window.ecosys.payload.nodes.find(n => n.id === id).name", hit
    )

    empty = m.js(
        """() => { const n = window.ecosys.network, c = document.getElementById('network');
                   for (let y = 12; y < c.clientHeight - 12; y += 8)
                     for (let x = 12; x < c.clientWidth - 12; x += 8)
                       if (n.getNodeAt({x, y}) === undefined && n.getEdgeAt({x, y}) === undefined) return {x, y};
                   return null; }"""
    )
    assert empty is not None, "no empty spot on the canvas"
    m.page.mouse.click(box["x"] + empty["x"], box["y"] + empty["y"])
    assert m.selected() == []
    assert m.page.text_content("#details").strip() == HINT


def test_committed_demo_map_draws_every_node_offline(browser):
    """graphs/<demo>/map.html, as a coordinator opens it from a checkout."""
    out = Path(__file__).resolve().parents[1] / "graphs" / "italian-social-innovation"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    context = browser.new_context(viewport=VIEWPORT)
    try:
        m = open_map(context, out / "map.html")
        drawn = m.js("Object.keys(window.ecosys.network.getPositions()).length")
        assert drawn == summary["partners"] + summary["projects"] == 56
        assert m.js("window.ecosys.edges.length") == summary["participations"] == 52
        m.search("Formez")
        assert m.selected() == [m.node_id("Formez")]
        assert len(m.neighbours()) == 16
        m.assert_clean()
    finally:
        context.close()


def test_a_capped_map_says_how_many_neighbours_it_shows(browser, tmp_path):
    """With --max-nodes, a hub's details say that not all of its neighbours are drawn."""
    rows = [("Hub", f"P{i}") for i in range(6)] + [(f"A{i}", f"P{i}") for i in range(6)]
    path = tmp_path / "hub.csv"
    path.write_text("partner,project\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    from click.testing import CliRunner

    from ecosys.cli import cli

    result = CliRunner().invoke(cli, ["analyze", str(path), "--out", str(tmp_path / "out"), "--max-nodes", "5"])
    assert result.exit_code == 0, result.output
    context = browser.new_context(viewport=VIEWPORT)
    try:
        m = open_map(context, tmp_path / "out" / "map.html")
        assert m.js("Object.keys(window.ecosys.network.getPositions()).length") == 5
        assert "Showing the 5 nodes with the highest PageRank of 13" in m.page.locator("#map-note").inner_text()
        m.search("Hub")
        shown = len(m.neighbours())
        assert shown == 4  # the hub and the four projects with the highest PageRank
        assert m.page.locator("#details h3").inner_text() == f"Connected to ({shown} of 6 shown on this map)"
        m.assert_clean()
    finally:
        context.close()
