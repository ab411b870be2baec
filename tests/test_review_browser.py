"""The review page of `ecosys extract` in a real (headless) Chromium, opened from disk.

It must make no request, show each document with its candidates highlighted, treat hostile text as
text, let a person untick, correct and add a candidate, and download the accepted table as a
formula-guarded CSV. Skipped without Chromium unless ECOSYS_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecosys.cli import cli

HOSTILE = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    (folder / "a.txt").write_text(
        "Il progetto Orti Urbani è coordinato dal Comune di Prato in partenariato con Cooperativa sociale Aurora "
        "e Legambiente Toscana. Partecipa anche la Bottega Verde.\n", encoding="utf-8")
    (folder / "b.html").write_text(
        f"<p>Il progetto Scuola Aperta è promosso dalla Fondazione Ponte {html.escape(HOSTILE)} in collaborazione con "
        "l'Università di Firenze.</p><script>window.__pwned=2</script>", encoding="utf-8")
    out = folder.parent / "out"
    r = CliRunner().invoke(cli, ["extract", str(folder), "-o", str(out / "c.csv"), "--review", str(out / "r.html")])
    assert r.exit_code == 0, r.output
    return out / "r.html"


def open_page(browser, path: Path, width: int = 1400):
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    requests, errors = [], []
    page.on("request", lambda req: requests.append(req.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    return page, requests, errors


def test_offline_highlighted_and_safe(browser, review):
    page, requests, errors = open_page(browser, review)
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert errors == []
    assert page.locator("#status").text_content() == "5 of 5 candidates accepted"
    assert page.locator("mark").all_text_contents() == ["Comune di Prato", "Cooperativa sociale Aurora",
                                                       "Legambiente Toscana"]
    page.locator(".doc").nth(1).click()
    assert HOSTILE in page.locator("#body").text_content()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#body img").count() == 0
    page.close()


def test_untick_correct_add_and_download(browser, review, tmp_path):
    page, _, errors = open_page(browser, review)
    rows = page.locator("#candidates tbody tr")
    rows.nth(1).locator("input[type=checkbox]").uncheck()
    assert page.locator("mark.rejected").all_text_contents() == ["Cooperativa sociale Aurora"]
    partner = rows.nth(0).locator("input[aria-label=partner]")
    partner.fill("=Comune di Prato")
    partner.dispatch_event("change")
    rows.nth(2).locator("select").select_option("funder")
    # select "Bottega Verde" in the text and add it
    page.evaluate("""() => {
        const body = document.getElementById('body');
        const node = [...body.childNodes].reverse().find(n => n.nodeType === 3 && n.textContent.includes('Bottega'));
        const at = node.textContent.indexOf('Bottega Verde');
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + 'Bottega Verde'.length);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        document.dispatchEvent(new Event('selectionchange'));
    }""")
    page.locator("#add").click()
    assert page.locator("#status").text_content() == "5 of 6 candidates accepted"
    with page.expect_download() as info:
        page.locator("#download").click()
    path = tmp_path / "accepted.csv"
    info.value.save_as(path)
    assert info.value.suggested_filename == "c-accepted.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [(r["partner"], r["role"], r["project"]) for r in rows] == [
        ("'=Comune di Prato", "coordinator", "Orti Urbani"), ("Legambiente Toscana", "funder", "Orti Urbani"),
        ("Fondazione Ponte", "promoter", "Scuola Aperta"), ("Università di Firenze", "partner", "Scuola Aperta"),
        ("Bottega Verde", "partner", "Orti Urbani")]
    assert rows[-1]["rule"] == "added by hand" and rows[-1]["where"] == "line 1"
    assert errors == []
    page.close()


def test_screenshots(browser, review):
    for width in (1400, 390):
        page, _, errors = open_page(browser, review, width)
        page.screenshot(path=str(review.parent / f"review-{width}.png"), full_page=True)
        assert errors == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.close()
