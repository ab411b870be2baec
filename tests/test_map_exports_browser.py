"""The map's exports in a real (headless) Chromium: the table of what is shown, its CSV, the SVG.

A small map whose partners include a spreadsheet formula (``=cmd|' /C calc'!A0``) and markup:
the table lists exactly the nodes the map shows (``window.ecosys.shown()``) through a filter, a
period of the time slider and a focus; a click on a name focuses that node; the CSV downloaded
through the page reads back (UTF-8 with a byte-order mark) as the table, the formula guarded as
ecosys.safe.guard_formula guards it; the SVG downloaded parses back with xml.etree, with one shape
per node shown, one line per edge drawn and one text per label painted, the names as text.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_map_browser import open_map, run_analyze

from ecosys.safe import guard_formula

FORMULA = "=cmd|' /C calc'!A0"
MARKUP = "</text><script>alert(1)</script>"
ROWS = [  # partner, project, role, start
    ("Comune di Torino", "Orti Urbani", "coordinator", "2018-03-01"),
    (FORMULA, "Orti Urbani", "partner", "2018-03-01"),
    ("Città di Bari", "Orti Urbani", "partner", "2018-03-01"),
    (MARKUP, "Scuola Aperta", "coordinator", "2021-09-01"),
    ("Comune di Torino", "Scuola Aperta", "partner", "2021-09-01"),
    ("Fondazione Ponte", "Lab", "coordinator", "2020-01-15"),
    ("Città di Bari", "Lab", "partner", "2020-01-15"),
    ("-3.70", "Lab", "partner", "2020-01-15"),
]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("exports")
    path = root / "exports.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["partner", "project", "role", "start"])
        writer.writerows(ROWS)
    out, _ = run_analyze(path, root / "out")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    context.route(re.compile(r"^(https?|wss?|ftp):"), lambda route: route.abort())
    m = open_map(context, out / "map.html")
    yield m
    m.assert_clean()
    context.close()


def table_ids(m) -> list:
    return sorted(m.page.locator("#shown-table tbody tr").evaluate_all("rs => rs.map(r => Number(r.dataset.nodeId))"))


def table_cells(m) -> list[list[str]]:
    """The table as shown: the header's labels, then each row's texts (numbers: their exact values)."""
    return m.js("""() => {
        const t = document.querySelector('#shown-table');
        const head = [...t.tHead.rows[0].cells].map(c => c.textContent);
        const rows = [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.dataset.value !== undefined ? c.dataset.value : c.textContent));
        return [head, ...rows];
    }""")


def download(m, button: str) -> tuple[str, bytes]:
    with m.page.expect_download() as info:
        m.page.click(button)
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def test_the_table_follows_filters_period_and_focus(page):
    m = page
    m.page.click("#table-panel > summary")
    assert m.js("document.querySelector('#table-panel').open") is True
    assert table_ids(m) == m.js("window.ecosys.shown()") and len(table_ids(m)) == 9
    # a filter: partners only
    m.page.uncheck(".kind-filter[value=project]")
    assert table_ids(m) == m.js("window.ecosys.shown()") and len(table_ids(m)) == 6
    assert {r[1] for r in table_cells(m)[1:]} == {"partner"}
    m.page.click("#clear-filters")
    # a period: 2020 only (Lab and its three partners)
    m.js("window.ecosys.setPeriod(2020, 2020, false)")
    assert table_ids(m) == m.js("window.ecosys.shown()")
    assert sorted(r[0] for r in table_cells(m)[1:]) == sorted(["-3.70", "Città di Bari", "Fondazione Ponte", "Lab"])
    m.page.click("#time-all")
    # sorted by the size metric, largest first; a click on a header sorts by it
    head, *rows = table_cells(m)
    assert head[:4] == ["Name", "Kind", "Community", "PageRank"]
    values = [float(r[3]) for r in rows]
    assert values == sorted(values, reverse=True)
    m.page.click("#shown-table thead th:nth-child(1) button")
    names = [r[0] for r in table_cells(m)[1:]]
    assert names == sorted(names, key=lambda s: s.casefold().replace("à", "a"))
    # a click on a name focuses it: the table lists its neighbourhood, the focus marked
    bari = m.js("window.ecosys.payload.nodes.find(n => n.name === 'Città di Bari').id")
    m.page.click(f"#shown-table tbody tr[data-node-id='{bari}'] button")
    assert m.js("window.ecosys.state.focus") == bari and m.selected() == [bari]
    assert sorted(r[0] for r in table_cells(m)[1:]) == ["Città di Bari", "Lab", "Orti Urbani"]
    assert m.page.locator("#shown-table tr.focus").count() == 1
    assert "Città di Bari" in m.page.text_content("#table-count")
    m.page.keyboard.press("Escape")
    assert len(table_ids(m)) == 9
    # names are text: no element was made of one
    assert m.js("document.querySelectorAll('#shown-table script').length") == 0
    assert MARKUP in [r[0] for r in table_cells(m)[1:]]


def test_the_csv_is_the_table_guarded(page):
    m = page
    if not m.js("document.querySelector('#table-panel').open"):
        m.page.click("#table-panel > summary")
    m.page.uncheck(".kind-filter[value=project]")
    name, data = download(m, "#table-csv")
    assert name == "exports.csv"
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads the accents
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    shown = table_cells(m)
    assert len(read) == len(shown) == 7 and read[0] == shown[0]
    for got, row in zip(read[1:], shown[1:]):
        assert got[:3] == [guard_formula(v) for v in row[:3]]
        assert [float(v) for v in got[3:]] == pytest.approx([float(v) for v in row[3:]], rel=1e-5)
    names = [r[0] for r in read[1:]]
    assert "'" + FORMULA in names and FORMULA not in names
    assert "-3.70" in names and "Città di Bari" in names and MARKUP in names
    m.page.click("#clear-filters")


def test_the_svg_is_the_view_drawn(page):
    m = page
    m.page.click("#clear-filters")
    m.js("window.ecosys.network.fit({animation: false})")
    hostile = m.js(f"window.ecosys.payload.nodes.find(n => n.name === {MARKUP!r}).id")
    m.js(f"window.ecosys.select({hostile}, false)")  # the focus is always named
    name, data = download(m, "#save-svg")
    assert name == "exports.svg"
    root = ET.fromstring(data)  # well-formed XML
    assert root.tag == SVG + "svg"
    groups = {g.get("class"): g for g in root.iter(SVG + "g")}
    nodes, edges, labels = groups["nodes"], groups["edges"], groups["labels"]
    shown = m.js("window.ecosys.shown()")
    kinds = m.js("window.ecosys.payload.nodes.map(n => n.kind)")
    assert sorted(int(e.get("data-id")) for e in nodes) == shown
    assert len(nodes.findall(SVG + "circle")) == sum(kinds[i] == "partner" for i in shown)
    assert len(nodes.findall(SVG + "rect")) == sum(kinds[i] == "project" for i in shown)
    assert len(edges.findall(SVG + "line")) == m.js("window.ecosys.edges.get({filter: e => !e.hidden}).length") == len(ROWS)
    boxes = m.js("window.ecosys.labelBoxes()")
    assert [t.text for t in labels.findall(SVG + "text")] == [b["text"] for b in boxes] and boxes
    assert hostile in [b["id"] for b in boxes]
    # the node's place and size on screen, as vis-network draws it
    first = nodes[0]
    where = m.js(f"""(() => {{ const n = window.ecosys.network, b = n.body.nodes[{first.get("data-id")}];
        const p = n.canvasToDOM({{x: b.x, y: b.y}}); return [p.x, p.y, b.options.size * n.getScale()]; }})()""")
    if first.tag == SVG + "circle":
        assert [float(first.get(k)) for k in ("cx", "cy", "r")] == pytest.approx(where, abs=0.1)
    # title, legend and credit; hostile names stay text
    texts = [t.text for t in root.iter(SVG + "text")]
    assert root.find(SVG + "title").text == "exports" and "exports" in texts
    assert any(t and t.startswith("Drawn with ecosys") for t in texts)
    assert len(groups["legend"].findall(SVG + "text")) == m.page.locator("#legend-colors li").count()
    assert not list(root.iter(SVG + "script")) and not list(root.iter(SVG + "foreignObject"))
    assert all(not k.startswith("on") for e in root.iter() for k in e.attrib)
    raw = data.decode("utf-8")
    assert "<script" not in raw
    assert "&lt;/text&gt;&lt;script&gt;" in raw
    m.page.keyboard.press("Escape")
