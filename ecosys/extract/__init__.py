"""``ecosys extract``: from documents (press releases, project pages, calls) to candidate participations.

Rule-based, offline and language-data driven (``lang/it/``): see
:mod:`ecosys.extract.rules` for the rules (in layers, one module each: tokens,
filters, organisations, aliases, projects, plurals, lists, roles),
:mod:`ecosys.extract.documents` for the formats read,
:mod:`ecosys.extract.candidates` for the table, and :mod:`ecosys.extract.review`
for the review page.

>>> from ecosys.extract import extract_documents, text_document
>>> doc = text_document("Il progetto Orti è promosso dalla Fondazione Aurora in collaborazione con il Comune di Prato.")
>>> extract_documents([doc]).table[["partner", "role"]].values.tolist()
[['Fondazione Aurora', 'promoter'], ['Comune di Prato', 'partner']]
"""

from .candidates import COLUMNS, Extraction, extract, extract_documents, language_problem
from .documents import Document, DocumentError, collect, read_document, text_document
from .resources import available, load
from .review import render_review
from .rules import Candidate, find_candidates

__all__ = [
    "COLUMNS",
    "Candidate",
    "Document",
    "DocumentError",
    "Extraction",
    "available",
    "collect",
    "extract",
    "extract_documents",
    "find_candidates",
    "language_problem",
    "load",
    "read_document",
    "render_review",
    "text_document",
]
