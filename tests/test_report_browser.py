"""The report (index.html) in a real (headless) Chromium: at 1400 px, on a phone (390 px) and printed on A4.

What is measured, on the demo in English and Italian, on a table of long real-world names (German
compounds, web addresses, hostile text) and, where ../shared exists, on a CORDIS table:

- no table cell is narrower than its longest word (the cell's content box against a DOM Range over
  each word: a run of characters between spaces, after a hyphen, or between the <wbr> the report
  puts into runs of 17 characters or more), and no word is split over two lines;
- the page never scrolls sideways (document.documentElement.scrollWidth <= innerWidth);
- the page's height is within a bound taken from its content: every table row is at most as tall as
  its fullest cell's words set one per line (a cell at least as wide as its longest word holds at
  least one word a line), plus its padding; so the tables together are at most the sum of these row
  bounds, and the page at most that plus what is not a table. A name broken into letters (the bug
  of issue 12: 22,536 px for the demo) breaks this bound;
- printed to PDF (Chromium's page.pdf, A4): every table of top partners on one page with its
  heading, the maps named by their file, and at most ceil(H / (P - B)) pages, where H is the
  print layout's height, P the A4 page's content height and B the tallest block that must not be
  cut (each page holds at least P - B of content: a block moves to the next page only when it
  does not fit).

Skipped without Chromium unless ECOSYS_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from pathlib import Path

import pytest

from ecosys.files import write_outputs
from ecosys.pipeline import analyze, demo_path

A4_CONTENT = (794 - 2 * 45, 1123 - 53 - 60)  # A4 at 96 px/inch less the @page margins (12 mm, 14 mm / 16 mm)

# Every cell whose content box is narrower than one of its words, and every word split over two lines.
SQUEEZED = """() => {
  const found = [];
  const words = /[^\\s\\-\\u2010\\u2013]+[\\-\\u2010\\u2013]?/g;
  for (const cell of document.querySelectorAll('td, th')) {
    const style = getComputedStyle(cell);
    const inner = cell.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(words)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const width = range.getBoundingClientRect().width;
        if (range.getClientRects().length > 1 || width > inner + 0.5) {
          found.push(`${m[0]} (${width.toFixed(1)} px) in a cell of ${inner.toFixed(1)} px`);
        }
      }
    }
  }
  return found;
}"""

# The page's height, and the bound on it from the content (see the module docstring).
HEIGHT = """() => {
  const words = /[^\\s\\-\\u2010\\u2013]+[\\-\\u2010\\u2013]?/g;
  const count = (text) => (text.match(words) || []).length;
  const lineHeight = (el) => {
    const style = getComputedStyle(el);
    return style.lineHeight === 'normal' ? 1.2 * parseFloat(style.fontSize) : parseFloat(style.lineHeight);
  };
  let tables = 0, bound = 0;
  for (const table of document.querySelectorAll('table')) {
    tables += table.getBoundingClientRect().height;
    bound += parseFloat(getComputedStyle(table).marginTop) + parseFloat(getComputedStyle(table).marginBottom);
    for (const row of table.rows) {
      const stacked = getComputedStyle(row).display !== 'table-row';  // cards on a phone: cells one under another
      let rowBound = 0;
      for (const cell of row.cells) {
        const style = getComputedStyle(cell);
        if (style.display === 'none' || getComputedStyle(row.parentElement).position === 'absolute') continue;
        const before = getComputedStyle(cell, '::before').content;
        const label = before && before !== 'none' ? count(cell.dataset.label || '') : 0;
        const lines = count(cell.textContent) + label;
        const cellBound = lines * lineHeight(cell) + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
          + parseFloat(style.borderBottomWidth) + 1;
        rowBound = stacked ? rowBound + cellBound : Math.max(rowBound, cellBound);
      }
      const rowStyle = getComputedStyle(row);
      bound += rowBound + parseFloat(rowStyle.paddingTop) + parseFloat(rowStyle.paddingBottom)
        + parseFloat(rowStyle.borderBottomWidth);
    }
  }
  const height = document.documentElement.scrollHeight;
  return {height, tables, bound: height - tables + bound, scrollWidth: document.documentElement.scrollWidth,
          innerWidth};
}"""

LONG_NAMES = [
    "WIRTSCHAFTSFORDERUNGSGESELLSCHAFT DER STADT BREMERHAVEN MBH",
    "TEKNISK-NATURVITENSKAPELIGEUNIVERSITET",
    "FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V.",
    "https://www.comune.esempio-molto-lungo.it/amministrazione-trasparente/partecipate",
    "Roma Capitale - Dipartimento per la Trasformazione Digitale",
    "<img src=x onerror=alert(1)>",
    "Consorzio per l'Innovazione Sociale e la Rigenerazione Urbana delle Aree Interne dell'Appennino",
    "A",
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """index.html of the demo in English and Italian, and of a table of long names."""
    root = tmp_path_factory.mktemp("reports")
    demo = analyze(demo_path())
    write_outputs(demo, root / "demo-en", only=("index",))
    write_outputs(demo, root / "demo-it", only=("index",), lang="it")
    rows = []
    for i, name in enumerate(LONG_NAMES):
        rows += [(name, f"Progetto {i}"), (name, f"Progetto {i + 1}"), (f"Comune {i}", f"Progetto {i}")]
    table = root / "long.csv"
    table.write_text("partner,project\n" + "".join(f'"{a.replace(chr(34), 2 * chr(34))}",{b}\n' for a, b in rows),
                     encoding="utf-8")
    write_outputs(analyze(table), root / "long", only=("index",), lang="it")
    return {name: root / name / "index.html" for name in ("demo-en", "demo-it", "long")}


def _open(browser, path: Path, width: int, media: str = "screen"):
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.emulate_media(media=media)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert requests == []
    return page


@pytest.mark.parametrize("report", ["demo-en", "demo-it", "long"])
@pytest.mark.parametrize("width", [1400, 390])
def test_no_word_is_squeezed_and_the_page_never_scrolls_sideways(browser, reports, report, width):
    page = _open(browser, reports[report], width)
    try:
        assert page.evaluate(SQUEEZED) == []
        measured = page.evaluate(HEIGHT)
        assert measured["scrollWidth"] <= measured["innerWidth"]
        assert measured["height"] <= measured["bound"], measured
    finally:
        page.close()


def test_the_demo_is_a_few_screens_tall_not_twenty(browser, reports):
    """Measured: about 5,700 px at 1400 px (22,536 px when names broke into letters), 12,100 px on a phone."""
    heights = {}
    for width in (1400, 390):
        page = _open(browser, reports["demo-it"], width)
        heights[width] = page.evaluate(HEIGHT)
        page.close()
    assert heights[1400]["height"] < 7000 and heights[390]["height"] < 15000, heights
    assert heights[1400]["tables"] < heights[1400]["bound"]


def test_a_phone_shows_the_communities_as_cards_labelled_in_the_language(browser, reports):
    page = _open(browser, reports["demo-it"], 390)
    try:
        labels = page.evaluate("""() => [...document.querySelectorAll('#communities tbody tr:first-child td')]
            .map(td => [getComputedStyle(td).display, getComputedStyle(td, '::before').content])""")
        assert labels[0] == ["block", "none"]  # the community's number and name
        assert labels[1] == ["block", '"Partner: "'] and labels[3] == ["block", '"Progetti in comune al suo interno: "']
    finally:
        page.close()


@pytest.mark.parametrize("report", ["demo-en", "demo-it", "long"])
def test_printed_on_a4_no_table_is_cut_and_the_pages_are_few(browser, reports, report):
    pypdf = pytest.importorskip("pypdf")
    page = _open(browser, reports[report], A4_CONTENT[0], media="print")
    try:
        assert page.evaluate(SQUEEZED) == []
        measured = page.evaluate(HEIGHT)
        assert measured["scrollWidth"] <= measured["innerWidth"]
        tallest = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
            '.metric, figure, .numbers, #groups, #alone, header, ul.files, tr')].map(e => e.getBoundingClientRect().height))""")
        top = page.evaluate("""() => [...document.querySelectorAll('.metric')].map(m => [
            m.querySelector('h3').textContent, [...m.querySelectorAll('tbody td:nth-child(2)')].map(td => td.textContent)])""")
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.close()
    pages = [_squashed(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) <= math.ceil(measured["height"] / (A4_CONTENT[1] - tallest)), (len(pages), measured, tallest)
    for heading, names in top:  # some page holds the heading and every name of its table
        assert any(all(_squashed(text) in page for text in (heading, *names)) for page in pages), heading
    assert "(map.html)" in pages[0]  # links are printed with the file they open


def _squashed(text: str) -> str:
    """Text as compared with a PDF's: ligatures undone (NFKC), no whitespace (lines wrap differently)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_the_cordis_report_reads_well_at_both_widths(browser, shared_data, tmp_path):
    source = shared_data / "cordis-swissparticipation" / "cordis-plus-2022.csv"
    write_outputs(analyze(source), tmp_path, only=("index",), lang="it")
    for width in (1400, 390):
        page = _open(browser, tmp_path / "index.html", width)
        assert page.evaluate(SQUEEZED) == []
        measured = page.evaluate(HEIGHT)
        page.close()
        assert measured["scrollWidth"] <= measured["innerWidth"] and measured["height"] <= measured["bound"], measured
