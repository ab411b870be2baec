"""The projects a document names, and the funding programme it speaks of.

The fifth layer of the rules (see :mod:`ecosys.extract.rules`). A name after
"progetto" (quoted, or capitalised: "il progetto SEED"), a project sheet's
field ("Nome del progetto:", "Codice Progetto") names a sentence's project;
the project the document names most is its main one, else its title. The first
funding programme named ("Fondo per l'Innovazione Sociale (FIS)") is the
programme of every row. The words are the language's data (``projects.txt``,
``programmes.txt``).

Example
-------
>>> from ecosys.extract.documents import text_document
>>> from ecosys.extract.resources import load
>>> p = Projects(text_document("Il progetto “Orti Urbani” è finanziato dal Fondo per la Repubblica Digitale."), load("it"))
>>> p.projects()[1], p.programme()
('Orti Urbani', 'Fondo per la Repubblica Digitale')
"""

from __future__ import annotations

from .aliases import Aliases
from .resources import key
from .tokens import QUOTES, tidy

__all__ = ["Projects"]

_PROJECT_ADJECTIVES = {"europeo", "europea", "sperimentale", "pilota", "nazionale", "regionale", "denominato",
                       "denominata", "chiamato", "chiamata", "intitolato", "intitolata", "titolo", "dal", "di",
                       "innovativo", "strategico", "integrato", "comunitario", "h2020", "erasmus+"}


class Projects(Aliases):
    """The rules that name projects and programmes (see the module docstring)."""

    def projects(self) -> tuple[dict, str]:
        """The projects named in each sentence, and the document's main project."""
        named, counts, order = {}, {}, []
        words, keys = self.t.words, self.t.keys
        for s, (first, last) in enumerate(self.t.spans):
            if s in self.item_sentences:
                continue  # the projects of a list of municipalities are theirs, not the document's
            field_hit = self.match(self.project_fields, first)
            if field_hit:
                end = field_hit[0]
                value = None
                if end < last and words[end] == ":" and end + 1 < last:
                    value = self.text(end + 1, last)
                elif end == last and s + 1 < len(self.t.spans):
                    a, b = self.t.spans[s + 1]
                    if b - a <= 25:
                        value = self.text(a, b)
                if value and (end == last or words[end] == ":"):
                    name = tidy(value).strip('" ')
                    if name and key(name) not in self.lang.generic:
                        named.setdefault(s, name)
                        counts[name] = counts.get(name, 0) + 10
                        order.append(name)
                        continue
            for k in range(first, last - 1):
                if keys[k] not in self.lang.project_words or k in self.taken:
                    continue  # "l'Associazione Progetto Musica": a word of an organisation's name
                j = k + 1
                while j < last and keys[j] in _PROJECT_ADJECTIVES and j - k <= 3:
                    j += 1
                if j >= last:
                    continue
                if words[j] == '"':
                    close = next((c for c in range(j + 1, min(j + 25, last)) if words[c] == '"'), None)
                    name = tidy(self.text(j + 1, close)) if close else ""
                elif self.cap(j) and not self.starts_org(j) and keys[j] not in self.lang.generic:
                    name = tidy(self.text(j, self.tail(j, limit=6)))
                else:
                    continue
                if name and key(name) not in self.lang.generic:
                    named.setdefault(s, name)
                    counts[name] = counts.get(name, 0) + 1
                    order.append(name)
        main = max(order, key=lambda p: (counts[p], -order.index(p))) if order else ""
        return named, main

    def programme(self) -> str:
        """The first funding programme the document names ("Fondo per l'Innovazione Sociale (FIS)")."""
        words, keys = self.t.words, self.t.keys
        for k in range(self.n):
            if keys[k] in self.lang.programmes and self.cap(k):
                stop = self.tail(k + 1)
                if stop > k + 1 or words[k].isupper():
                    name = self.text(k, stop)
                    if stop + 2 < self.n and words[stop] == "(" and words[stop + 2] == ")":
                        name += f" ({words[stop + 1]})"
                    return tidy(name)
            if keys[k] in ("programma", "fondo") and k + 1 < self.n and self.cap(k + 1):
                stop = self.tail(k + 1)
                return tidy(self.text(k + 1, stop))
        return ""

    def title(self) -> str:
        line = self.doc.text.strip().split("\n", 1)[0].strip()
        if 3 <= len(line) <= 120 and not line.endswith("."):
            return tidy(line.translate(QUOTES))
        return self.doc.name.rsplit(".", 1)[0]
