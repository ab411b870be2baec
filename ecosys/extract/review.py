"""The review page: one offline HTML file where a person checks the candidates and downloads the accepted table.

The page shows each document with its candidates highlighted; a person ticks or
unticks each, corrects its name, role, type or project, adds a missed one by
selecting text, and downloads the accepted rows as a CSV (formula-guarded like
every table ecosys writes). Its script and styles are ``ecosys/static/review.js``
and ``review.css``, inlined when the page is rendered; its Content Security
Policy allows only those two (by hash), so the page makes no request of any
kind. Document text and names are untrusted: they go into the page as escaped
JSON and are placed with ``textContent``.

Example
-------
>>> from ecosys.extract import extract_documents, text_document
>>> page = render_review(extract_documents([text_document("Il progetto Orti è coordinato dal Comune di Prato.")]))
>>> "Comune di Prato" in page and "default-src 'none'" in page
True
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources

import jinja2

from .candidates import COLUMNS, Extraction
from .resources import ROLES

__all__ = ["TYPES", "render_review"]

TYPES = ("municipality", "region", "public body", "university", "school", "research centre", "foundation",
         "association", "cooperative", "social enterprise", "consortium", "company", "chamber of commerce",
         "health authority", "religious body", "other")


def _static(name: str) -> str:
    return (resources.files("ecosys") / "static" / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def render_review(extraction: Extraction, title: str = "ecosys extract: review the candidates",
                  download: str = "accepted.csv") -> str:
    """The review page of an extraction, as one self-contained HTML string.

    Parameters
    ----------
    extraction : Extraction
        What :func:`ecosys.extract.extract` returned.
    title : str
        The page's title.
    download : str
        The file name the accepted table is downloaded as.
    """
    index = {doc.name: i for i, doc in enumerate(extraction.documents)}
    candidates = []
    for n, c in enumerate(extraction.candidates, start=1):
        row = {col: getattr(c, col) for col in COLUMNS}
        row.update(id=n, doc=index.get(c.source, 0), start=c.start, end=c.end, accepted=True)
        candidates.append(row)
    payload = {
        "documents": [{"name": d.name, "text": d.text} for d in extraction.documents],
        "candidates": candidates,
        "columns": COLUMNS,
        "roles": list(ROLES),
        "types": list(TYPES),
        "download": download,
    }
    js, css = _static("review.js"), _static("review.css")
    env = jinja2.Environment(loader=jinja2.PackageLoader("ecosys", "templates"), autoescape=True)
    return env.get_template("review.html").render(
        title=title, payload=payload, js=_markup(js),
        css=_markup(css), script_hash=_hash(js), style_hash=_hash(css))


def _markup(text: str):
    from markupsafe import Markup
    return Markup(text)
