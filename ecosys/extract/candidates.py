"""From files to one table of candidate participations, names grouped across documents.

:func:`extract` reads every file (see :mod:`ecosys.extract.documents`), skips
those it cannot read or that are not in the rules' language (one line each, in
``Extraction.messages``), applies the rules of :mod:`ecosys.extract.rules`, and
puts the candidates in one table. Names spelled differently in different
documents ("Politecnico di Torino", "Politecnico di Torino (PoliTo)") are grouped
the way ``ecosys validate`` groups them (:func:`ecosys.names.similar_groups`), the
most frequent spelling kept; an aliases table (``name,canonical``) is applied
first. The table is a participation table ``ecosys analyze`` reads as it is.

Example
-------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Il progetto Orti è coordinato dal Comune di Prato.", encoding="utf-8")
>>> _ = (folder / "b.txt").write_text("", encoding="utf-8")
>>> result = extract([folder])
>>> result.table[["project", "partner", "role", "source"]].values.tolist()
[['Orti', 'Comune di Prato', 'coordinator', 'a.txt']]
>>> [m.rsplit("/", 1)[-1] for m in result.messages]
['b.txt: the file is empty']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..names import DEFAULT_THRESHOLD, similar_groups
from .documents import Document, DocumentError, collect, read_document
from .resources import Language, key, load, other_languages
from .rules import ROLE_STRENGTH, Candidate, find_candidates

__all__ = ["COLUMNS", "Extraction", "extract", "extract_documents", "language_problem"]

COLUMNS = ["project", "partner", "role", "type", "city", "programme", "source", "where", "evidence", "rule",
           "mention"]


@dataclass
class Extraction:
    """The candidates table, the documents read, and one line for each file that was not."""

    table: pd.DataFrame
    documents: list = field(default_factory=list)
    candidates: list = field(default_factory=list)  # Candidate, with partner names after grouping
    messages: list = field(default_factory=list)
    files: int = 0

    def summary(self) -> str:
        """One line: what was read and found.

        >>> Extraction(pd.DataFrame(columns=COLUMNS), files=1, messages=["x: empty"]).summary()
        'Read 0 of 1 files (1 not read): 0 candidates, 0 organisations, 0 projects'
        """
        t = self.table
        return (f"Read {len(self.documents):,} of {self.files:,} files ({self.files - len(self.documents):,} not "
                f"read): {len(t):,} candidates, {t['partner'].nunique():,} organisations, "
                f"{t['project'].nunique():,} projects")


def language_problem(doc: Document, lang: Language) -> str | None:
    """Why a document seems not to be in the rules' language (None when it is, or too short to tell).

    >>> from ecosys.extract.documents import text_document
    >>> language_problem(text_document("The project is led by the city of Turin and funded by the EU. " * 3), load("it"))
    'the text looks English, not Italian (--lang it); nothing extracted'
    """
    words = [key(w) for w in doc.text.split()[:3000]]
    words = [w.strip(".,;:()\"'") for w in words]
    if len(words) < 20:
        return None
    ours = sum(w in lang.stopwords for w in words) / len(words)
    others = Counter(other_languages().get(w) for w in words if w in other_languages() and w not in lang.stopwords)
    if ours >= 0.08 and not (others and others.most_common(1)[0][1] / len(words) > 2 * ours):
        return None
    name = others.most_common(1)[0][0] if others else "like another language"
    own = {"it": "Italian"}.get(lang.code, lang.code)
    return f"the text looks {name}, not {own} (--lang {lang.code}); nothing extracted"


def extract(paths, lang: str = "it", aliases: dict | None = None,
            threshold: int = DEFAULT_THRESHOLD) -> Extraction:
    """Read files and folders and extract the candidate participations.

    Parameters
    ----------
    paths : list of path
        Files (.txt, .md, .html, .pdf, .docx) and folders (read recursively).
    lang : str
        The language of the documents' rules (``it``).
    aliases : dict, optional
        ``{name: canonical}``, applied to partner names before they are grouped.
    threshold : int
        The similarity (0-100) at which two partner names are grouped, as in ``ecosys validate``.

    Returns
    -------
    Extraction
    """
    language = load(lang)
    files, messages = collect(paths)
    docs = []
    for path in files:
        try:
            doc = read_document(path)
        except DocumentError as exc:
            messages.append(_short(str(exc), path))
            continue
        problem = language_problem(doc, language)
        if problem:
            messages.append(f"{_short(doc.path, path)}: {problem}")
            continue
        docs.append(doc)
    result = extract_documents(docs, language, aliases=aliases, threshold=threshold)
    result.messages = messages
    result.files = len(files)
    return result


def _short(text: str, path: Path) -> str:
    """A message about ``path`` starting with its name relative to the working folder, when it is inside it."""
    try:
        relative = str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return text
    return text.replace(str(path), relative, 1)


def extract_documents(docs: list[Document], lang: str | Language = "it", aliases: dict | None = None,
                      threshold: int = DEFAULT_THRESHOLD) -> Extraction:
    """The candidates of documents already read (see :func:`extract`).

    Examples
    --------
    >>> from ecosys.extract.documents import text_document
    >>> docs = [text_document("Il progetto Orti è coordinato dal Comune di Prato.", "a.txt"),
    ...         text_document("Il progetto Orti vede tra i partner il Comune di Prato e la Fondazione Cariplo.", "b.txt")]
    >>> extract_documents(docs).table[["partner", "role", "source"]].values.tolist()
    [['Comune di Prato', 'coordinator', 'a.txt'], ['Comune di Prato', 'partner', 'b.txt'], ['Fondazione Cariplo', 'partner', 'b.txt']]
    """
    language = load(lang) if isinstance(lang, str) else lang
    found = [c for doc in docs for c in find_candidates(doc, language)]
    names = _canonical_names([c.partner for c in found], aliases or {}, threshold)
    best: dict = {}
    for c in found:
        partner = names[c.partner]
        pair = (c.source, key(c.project), key(partner))
        if pair not in best or ROLE_STRENGTH[c.role] > ROLE_STRENGTH[best[pair].role]:
            best[pair] = Candidate(**{**c.__dict__, "partner": partner})
    kept = list(best.values())
    table = pd.DataFrame([[getattr(c, col) for col in COLUMNS] for c in kept], columns=COLUMNS)
    return Extraction(table=table, documents=list(docs), candidates=kept)


def _canonical_names(names: list[str], aliases: dict, threshold: int) -> dict:
    """Each name's canonical spelling: the aliases first, then the most frequent of its group of similar names."""
    renamed = {n: aliases.get(n, n) for n in set(names)}
    counts = Counter(renamed[n] for n in names)
    canonical = {n: n for n in counts}
    for group in similar_groups(dict(counts), threshold):
        for n in group[1:]:
            canonical[n] = group[0]
    return {n: canonical[renamed[n]] for n in renamed}
