"""The rules that find organisations, their roles and their projects in one document.

No trained model: a small tokenizer, then rules driven by the language's data
files (:mod:`ecosys.extract.resources`), in layers, one module each; each
layer's class adds its rules to the one before it, and :func:`find_candidates`
applies them all:

1. :mod:`~ecosys.extract.tokens`: tokens, sentences, and the token tests every
   rule uses.
2. :mod:`~ecosys.extract.filters`: what is not a participant (people, places,
   generic words, projects, background bodies).
3. :mod:`~ecosys.extract.organisations`: names found by their words (type words,
   legal forms, known names, a kind shared by several names).
4. :mod:`~ecosys.extract.aliases`: one organisation under several names
   (acronyms, names without their type word, units of a larger body).
5. :mod:`~ecosys.extract.projects`: the projects and the programme.
6. :mod:`~ecosys.extract.plurals`: lists after a plural kind, bare municipality
   names in lists of Comuni.
7. :mod:`~ecosys.extract.lists`: names without a type word that their place in
   a list, a label or an agreement makes organisations.
8. :mod:`~ecosys.extract.roles`: every rule applied sentence by sentence, with
   the role the words around each organisation give it.

Example
-------
>>> from ecosys.extract.documents import text_document
>>> doc = text_document("Il progetto “Orti Urbani” è coordinato dal Comune di Prato "
...                     "in partenariato con Cooperativa sociale Aurora e Legambiente Toscana.")
>>> [(c.partner, c.role, c.type, c.project) for c in find_candidates(doc)]
[('Comune di Prato', 'coordinator', 'municipality', 'Orti Urbani'), ('Cooperativa sociale Aurora', 'partner', 'cooperative', 'Orti Urbani'), ('Legambiente Toscana', 'partner', 'association', 'Orti Urbani')]
"""

from __future__ import annotations

from dataclasses import dataclass

from .documents import Document
from .resources import Language, key, load, spelled_out
from .roles import Roles

__all__ = ["ROLE_STRENGTH", "Candidate", "find_candidates"]

ROLE_STRENGTH = {"coordinator": 6, "implementing body": 5, "promoter": 4, "funder": 3, "partner": 2, "other": 1}


@dataclass(frozen=True)
class Candidate:
    """One organisation proposed as a participant of one project, with the evidence."""

    project: str
    partner: str
    role: str
    type: str
    city: str
    programme: str
    source: str
    where: str
    evidence: str
    rule: str
    mention: str
    start: int  # character offsets of the mention in the document's text
    end: int


def find_candidates(doc: Document, lang: str | Language = "it") -> list[Candidate]:
    """The organisations a document gives a role, one per (project, organisation), with its best-founded role.

    Parameters
    ----------
    doc : Document
        A document read by :func:`ecosys.extract.documents.read_document` (or made by ``text_document``).
    lang : str or Language
        The language of the rules (``it``).

    Returns
    -------
    list of Candidate
        In the order they appear in the document.
    """
    lang = load(lang) if isinstance(lang, str) else lang
    rules = Roles(doc, lang)
    found = rules.run()
    if not found:
        return []
    named, main = rules.projects()
    programme = rules.programme()
    fallback = main or rules.title()
    best: dict = {}
    for m, role, rule, s, evidence in found:
        m.name = spelled_out(m.name, lang)
        project = m.project or named.get(s) or fallback
        if key(m.name) == key(project):
            continue
        pair = (key(project), key(m.name))
        rank = (evidence, ROLE_STRENGTH[role])
        if pair not in best or rank > best[pair][0]:
            best[pair] = (rank, m, role, rule, s, project)
    out = []
    for _, m, role, rule, s, project in sorted(best.values(), key=lambda v: rules.t.starts[v[1].start]):
        first, last = rules.t.spans[s]
        start, end = rules.t.starts[m.start], rules.t.ends[m.end - 1]
        evidence = " ".join(doc.text[rules.t.starts[first]:rules.t.ends[last - 1]].split())
        if len(evidence) > 400:
            centre = start - rules.t.starts[first]
            evidence = "…" + evidence[max(0, centre - 180):centre + 200].strip() + "…"
        out.append(Candidate(
            project=project, partner=m.name, role=role, type=m.type, city=m.city, programme=programme,
            source=doc.name, where=doc.where(start), evidence=evidence, rule=f"{m.how}; {rule}",
            mention=doc.text[start:end], start=start, end=end,
        ))
    return out
