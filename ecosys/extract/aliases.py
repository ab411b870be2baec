"""One organisation under several names: acronyms, names without their type word, units of a larger body.

The fourth layer of the rules (see :mod:`ecosys.extract.rules`). An acronym in
parentheses and a name without its type word are found again later in the text
as the same organisation ("Fondazione Piemonte Innova (FPI)" ... "FPI" ...
"Piemonte Innova"); an acronym that spells a name's initials ("AOUP") or
abbreviates its university ("UniMol") is that organisation; a unit named with its
university or research centre is the university ("Dipartimento di X
dell'Università di Y"), and a public body's unit keeps the body's name first
("Regione Sicilia - Dipartimento del Turismo").

Example
-------
>>> from ecosys.extract.documents import text_document
>>> from ecosys.extract.resources import load
>>> a = Aliases(text_document("La Fondazione Piemonte Innova (FPI) guida. FPI coordina."), load("it"))
>>> [(a.text(m.start, m.end), m.name) for m in a.alias_mentions(a.mentions())]
[('FPI', 'Fondazione Piemonte Innova'), ('FPI', 'Fondazione Piemonte Innova')]
"""

from __future__ import annotations

from .organisations import Organisations
from .resources import Language, key
from .tokens import NAME_PREPOSITIONS, TERRITORIAL, Mention, phrase_index, tokenize

__all__ = ["Aliases"]


class Aliases(Organisations):
    """The rules that give one organisation's other names its name (see the module docstring)."""

    def expand_acronyms(self, mentions: list[Mention], known: list[Mention]) -> None:
        """Name an acronym after the organisation whose initials it spells ("MIUR", "AOUP") or whose university
        it abbreviates ("UniMol", "Unicam"), and a known name after the longer name it is part of ("Confcommercio",
        "Associazione Confcommercio Imprese per l'Italia provincia di Foggia"), when the text names it in full."""
        full = [m for m in known if m.type and len(m.name.split()) >= 2 and not m.how.startswith("another name")]
        for m in mentions:
            if m.how == "known name":
                words = set(key(m.name).split())
                longer = [f for f in full if f.name != m.name and words < set(key(f.name).split())
                          and f.how.startswith("type word")]
                if len({f.name for f in longer}) == 1:
                    m.name, m.type, m.city = longer[0].name, longer[0].type, longer[0].city
                    continue
            word = m.name
            if " " in word or not (3 <= len(word) <= 8) or not word[0].isupper():
                continue
            letters = key(word)
            for f in full:
                if f.name == m.name:
                    continue
                if _initials(f.name, self.lang) == letters or (
                        f.type == "university" and letters.startswith("uni") and len(letters) >= 5
                        and any(key(w).startswith(letters[3:]) for w in f.name.split()[1:] if len(w) > 3)):
                    m.name, m.type, m.city = f.name, f.type, f.city
                    break

    def fold_units(self, known: list[Mention], same: dict | None = None) -> None:
        """Name a unit after its university or research centre; put a public body's name before its unit's.

        ``known`` in text order; ``same`` gives, for a span, every mention object of it (renamed together).
        """
        academic = ("university", "research centre")
        keys, words = self.t.keys, self.t.words
        for n, m in enumerate(known):
            if not self.unit_word(m.start) or m.how.startswith("another name"):
                continue
            if same is not None:
                for other in same[(m.start, m.end)][1:]:
                    other.name, other.type, other.city = m.name, m.type, m.city
            if " - " in m.name or (m.name and not key(m.name).startswith(keys[m.start])):
                continue  # named already
            inner = next((self.org_at(p) for p in range(m.start + 2, m.end)
                          if keys[p - 1] in NAME_PREPOSITIONS and self.org_entry(p)), None)
            before = known[n - 1] if n else None
            joined = before is not None and before.end <= m.start and m.start - before.end <= 3 and all(
                words[k] in ("-", "(", ")") or keys[k] in ("con", "il", "suo", "la", "sua")
                or self.t.words[k].isupper() for k in range(before.end, m.start)) and self.same_sentence(before.start, m.start)
            if inner is not None and (inner.type in academic or key(inner.name).startswith(("presidenza", "ministero"))):
                # "Dipartimento della Gioventù della Presidenza del Consiglio dei Ministri": the government body
                m.name, m.type, m.city = inner.name, inner.type, inner.city or m.city
            elif joined and before.type in academic:
                m.name, m.type, m.city = before.name, before.type, before.city
            elif joined and before.type and not before.how.startswith("another name"):
                m.name, m.type = f"{before.name} - {m.name}", before.type
                for other in (same or {}).get((before.start, before.end), [before]):
                    other.name = m.name
            elif keys[m.start] == "dipartimento" and m.start + 1 < self.n and keys[m.start + 1] in NAME_PREPOSITIONS:
                near = [u for u in known if u.type == "university" and not self.unit_word(u.start)]
                if near:  # the university named last before it, else the first after it
                    u = max((u for u in near if u.start < m.start), key=lambda u: u.start, default=None) \
                        or min(near, key=lambda u: u.start)
                    m.name, m.type, m.city = u.name, u.type, u.city
            for other in (same or {}).get((m.start, m.end), []):
                other.name, other.type, other.city = m.name, m.type, m.city

    def reference_mentions(self, typed: list[Mention]) -> list[Mention]:
        """Bare kinds with their article that name the document's one organisation of their type ("la Regione
        finanzia", "dall'Ateneo"; ``references.csv``), each as a mention of that organisation."""
        names = {key(m.name): m for m in typed if m.type and not m.how.startswith("another name")}
        inside = {k for m in typed for k in range(m.start, m.end)}
        index = self.references_index
        out = []
        for i in range(1, self.n):
            hit = self.match(index, i) if i not in inside and self.t.keys[i - 1] in self.lang.articles else None
            if not hit or not self.same_sentence(i - 1, i):
                continue
            end, kind = hit
            if end < self.n and self.same_sentence(i, end) and (self.cap(end) or self.t.words[end] == '"'
                                                                 or self.t.keys[end] in NAME_PREPOSITIONS):
                continue  # "la Regione Toscana", "la Fondazione “Aurora”", "il Comune di Prato": a name follows
            words = " ".join(self.t.keys[i:end])
            named = [n for n in names if n.startswith(words + " ")] or [n for n in names if names[n].type == kind]
            if len(named) == 1:  # "il Ministero": the one name that starts so, else the one of its type
                m = names[named[0]]
                out.append(Mention(i, end, m.name, m.type, f"reference to '{m.name}'", m.city))
        return out

    def alias_mentions(self, typed: list[Mention]) -> list[Mention]:
        """Later mentions of an organisation by its acronym or its name without the type word."""
        forms = {}
        for m in typed:
            if m.acronym:
                forms[(key(m.acronym),)] = m
            if m.how == "quoted name before its kind" or m.end - m.start >= 3:
                forms[tuple(self.t.keys[m.start:m.end])] = m  # the whole name again, in any case
            words = m.how.startswith("type word") and m.type not in TERRITORIAL and [
                k for k in tokenize(m.name, self.lang)]
            if words:
                type_end = self.org_entry(m.start)
                rest = self.t.keys[type_end[0]:m.end] if type_end else []
                place = self.city_match(type_end[0]) if type_end else None
                if rest and rest[0] not in self.lang.connectors and any(len(w) > 3 for w in rest) \
                        and not (place and place[0] >= m.end) and " ".join(rest) not in self.lang.regions:
                    forms[tuple(rest)] = m  # but "ASL Salerno" is not "Salerno"
        if not forms:
            return []
        index = phrase_index({" ".join(k): v for k, v in forms.items()}, self.lang, tokenized=True)
        inside = {k for m in typed for k in range(m.start, m.end)}
        found, i = [], 0
        while i < self.n:
            hit = self.match(index, i) if i not in inside and self.cap(i) else None
            if hit and (hit[0] >= self.n or not self.cap(hit[0])):
                m = hit[1]
                found.append(Mention(i, hit[0], m.name, m.type, f"another name of '{m.name}'", m.city))
                i = hit[0]
            else:
                i += 1
        return found


def _initials(name: str, lang: Language) -> str:
    """The initials of a name's words, connectors and articles left out ("Azienda Ospedaliero-Universitaria
    Pisana" -> "aoup")."""
    letters = []
    for word, _, _ in tokenize(name, lang):
        k = key(word)
        if not word[:1].isalpha() or k in lang.connectors or k in lang.articles:
            continue
        letters += [part[0] for part in k.split("-") if part]
    return "".join(letters)
