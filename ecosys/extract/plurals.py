"""Lists after a plural kind, and bare municipality names in lists of Comuni.

The sixth layer of the rules (see :mod:`ecosys.extract.rules`). A plural kind
(``plurals.csv``) followed by a list names one organisation per item: "i Comuni
di A, B e C" gives "Comune di A"..., "Regioni Lazio e Lombardia" gives "Regione
Lazio" and "Regione Lombardia", "atenei (Udine, ...)" gives "Università di
Udine"; unless the list names territories ("nei territori dei Comuni di A, B").
In a sentence about Comuni, bare city names the ISTAT gazetteer knows are the
municipalities, each with its own project when one follows ("Bergamo con hOLD
on").

Example
-------
>>> from ecosys.extract.documents import text_document
>>> from ecosys.extract.resources import load
>>> p = Plurals(text_document("Partecipano le Regioni Lazio e Lombardia."), load("it"))
>>> [m.name for m in p.plural_at(2, p.n)]
['Regione Lazio', 'Regione Lombardia']
"""

from __future__ import annotations

from .projects import Projects
from .tokens import ARTICLES, NAME_PREPOSITIONS, Mention, tidy

__all__ = ["Plurals"]


class Plurals(Projects):
    """The rules for plural kinds and lists of municipalities (see the module docstring)."""

    def item_project(self, m: Mention, k: int) -> int:
        """A municipality's own project in a list ("Bergamo con hOLD on: ..., Campobasso con ...")."""
        stop = k
        while stop < self.n and self.same_sentence(k, stop) and self.t.words[stop] not in (".",):
            if self.t.words[stop] in (",", ";") and self.city_match(stop + 1) and (
                    self.city_match(stop + 1)[0] < self.n
                    and self.t.keys[self.city_match(stop + 1)[0]] in ("con", ",", ";", ".")):
                break
            city = self.city_match(stop) if stop > k else None
            if city and self.t.starts[stop] == self.t.ends[stop - 1] and city[0] < self.n \
                    and self.t.keys[city[0]] == "con":
                break  # "Flor@workLecce con ...": the next municipality glued to this project's name
            stop += 1
        m.project = tidy(self.text(k, stop)).strip('" ')
        self.item_sentences.add(self.t.sentence[k])
        return stop

    def plural_lists(self, first: int, last: int, taken: set) -> tuple[list[Mention], set]:
        """The organisations a plural kind lists (``lang/it/plurals.csv``), and the tokens of lists that name
        places instead ("nei territori dei Comuni di A, B")."""
        found, places, k = [], set(), first
        while k < last:
            listed = self.plural_at(k, last) if k not in taken else None
            if not listed:
                k += 1
                continue
            if self.background_before(k, first) or self.territory(listed[0], first) or (
                    self.in_place(k) and listed[0].type in ("region", "municipality", "public body", "religious body")):
                places.update(t for m in listed for t in range(m.start, m.end))
            else:
                found += listed
            k = listed[-1].end
        return found, places

    def plural_at(self, k: int, last: int) -> list[Mention] | None:
        """The organisations a plural kind at ``k`` lists, or None."""
        keys, words = self.t.keys, self.t.words
        hit = self.match(self.plurals, k)
        if not hit or (self.cap(k) and self.org_entry(k) and self.org_at(k) is not None):
            return None
        end, (singular, kind, items, capitalised) = hit
        if capitalised and not self.cap(k):
            return None
        if items == "name" and k > 0 and (words[k - 1].isdigit() or keys[k - 1] in self.lang.numbers):
            return None  # "le 4 cooperative sociali A, B e C": a group the list rules read
        j = self.qualifiers(end, last)
        marked = j < last and (words[j] in ("(", ":") or keys[j] in ("di", "dei", "degli"))
        if j < last and keys[j] in ("di", "dei", "degli"):
            j += 1
        while j < last and words[j] in ("(", ":"):
            if words[j] == "(" and j + 1 < last and not self.cap(j + 1):  # "(nome dei Comuni e ...)": a remark
                j = next((c for c in range(j, min(j + 15, last)) if words[c] == ")"), j)
            j += 1
        listed = self.plural_items(j, last, singular, kind, items, marked)
        return listed if len(listed) >= (1 if marked else 2) else None

    def qualifiers(self, j: int, last: int) -> int:
        """Skip what qualifies a plural kind before its list: "italiani", "coinvolti", "e partner",
        "della provincia di Lucca", "nel Lazio"."""
        keys, words = self.t.keys, self.t.words
        start = j
        while j < last and j - start < 8:
            w = words[j]
            if keys[j] in ("di", "dei", "degli") or w in ("(", ":"):
                return j
            if keys[j] in ("della", "del", "dell'", "nel", "nella", "in") and j + 1 < last:
                j += 1
                if keys[j] in ("provincia", "regione", "citta", "area") and j + 1 < last:
                    j += 1
                    if keys[j] in ("di", "del", "della") and j + 1 < last:
                        j += 1
                if not self.cap(j):
                    return start
                j = self.tail(j, limit=4)
                continue
            if (w.isalpha() and w.islower() and keys[j] not in self.lang.connectors) or keys[j] in ("e", "ed") \
                    or w.isdigit():
                j += 1
                continue
            return j
        return j

    def plural_items(self, j: int, last: int, singular: str, kind: str, items: str,
                     marked: bool = False) -> list[Mention]:
        """The items of a list after a plural kind, each named "singular + item".

        ``marked``: the list follows "di", a colon or a parenthesis, so a name the gazetteer does not know (a
        municipality merged since) is an item too.
        """
        keys, words = self.t.keys, self.t.words
        out = []
        while j < last:
            while j < last and (keys[j] in ARTICLES or keys[j] in ("e", "ed")):
                if items == "name" and keys[j] in ARTICLES and words[j][:1].isupper() and j + 1 < last \
                        and self.cap(j + 1):
                    break  # "le cooperative sociali Ascur, Il Biscione": the article is the name's
                j += 1
            if j >= last:
                break
            prep = ""
            if keys[j] in NAME_PREPOSITIONS and j + 1 < last and self.cap(j + 1):
                prep, j = words[j], j + 1
            typed = self.org_at(j) if self.cap(j) else None
            if typed is not None:
                out.append(typed)
                j = typed.end
            else:
                end = None
                if items == "municipality":
                    hit = self.city_match(j)
                    end, name = (hit[0], hit[1]) if hit else (None, "")
                    if not hit and marked and self.cap(j) and self.t.keys[j] not in self.lang.places \
                            and self.t.keys[j] not in self.lang.generic and not self.match(self.plurals, j) \
                            and not self.match(self.regions, j):  # "le università di Marche, Umbria": regions
                        end = self.tail(j, limit=4)
                        name = self.text(j, end) if end > j else ""
                elif items == "region":
                    hit = self.match(self.regions, j) if self.cap(j) else None
                    end, name = (hit[0], self.text(j, hit[0])) if hit else (None, "")
                elif self.cap(j):
                    end = self.tail(j, limit=4, listed=True)
                    name = self.text(j, end) if end > j else ""
                    if end == j + 1 and self.t.keys[j] in self.lang.generic and self.t.keys[j - 1] in NAME_PREPOSITIONS:
                        end = None  # "le Fondazioni di Comunità": a kind of foundation, not one named "Comunità"
                if not end:
                    break
                head = singular if not prep else singular.rsplit(" ", 1)[0] + " " + prep
                head = head if head.endswith("'") else head + " "
                city = name if items == "municipality" else ""
                m = Mention(j, end, tidy(head + name), kind, f"item of a list after '{singular.split()[0]}'", city)
                if kind == "municipality" and end < last and keys[end] == "con":
                    end = self.item_project(m, end + 1)
                out.append(m)
                j = end
            if j < last and words[j] == "(":  # "Chianciano Terme (SI)", "Venezia (Iuav)"
                close = next((c for c in range(j, min(j + 8, last)) if words[c] == ")"), None)
                if close is None:
                    break
                own = self.text(j + 1, close)
                if out and kind == "university" and close == j + 2 and self.cap(j + 1) and not self.city_match(j + 1) \
                        and len(own) > 3 and own not in self.lang.places:
                    out[-1].name = own  # "Venezia (Iuav)": the university's own name
                j = close + 1
            if j < last and (words[j] in (",", ";", "/") or keys[j] in ("e", "ed")):
                j += 1
                continue
            if items == "municipality" and j < last and self.city_match(j):
                continue  # "Perugia Bergamo": a comma left out
            break
        return out

    def municipality_list(self, first: int, last: int, taken: set) -> list[Mention]:
        """The municipalities a sentence about Comuni names by their bare names, when it names two or more (the
        tokens in ``taken`` are another name's)."""
        found = []
        keys, words = self.t.keys, self.t.words
        start = next((k for k in range(first, last) if keys[k] == "comuni"), first)
        k, placed = start, False  # placed: the last city named followed "di", "in"...: "le province di Lecco e Sondrio"
        while k < last:
            hit = self.match(self.roles, k)
            if hit and k > start and hit[0] < last and words[hit[0]] == ":" and self.t.breaks[k] and \
                    not any(keys[c] == "comuni" for c in range(k, hit[0])):
                break  # the next field ("Partner:")
            after_place_word = k > first and (keys[k - 1] in ("di", "del", "della", "(", "in", "nel")
                                              or placed and keys[k - 1] in ("e", "ed", ","))
            city = None if k in taken else self.city_match(k)
            if city and after_place_word:
                placed, k = True, city[0]
                continue
            placed = placed and not city
            glued = k > first and self.t.starts[k] == self.t.ends[k - 1]
            listed = city is not None and (city[0] >= last or words[city[0]] in (",", ";", ".", ")", "(", ":", "-")
                                           or keys[city[0]] in ("e", "ed", "con") or self.cap(city[0]))
            if city and listed and not (k > first and self.cap(k - 1) and (k - 1) not in taken and not glued
                                        and words[k - 1] not in (",", ":")) and (city[0] >= last or not self.cap(city[0])):
                m = Mention(k, city[0], f"Comune di {city[1]}", "municipality", "municipality name", city[1])
                if city[0] < last and keys[city[0]] == "con":
                    self.item_project(m, city[0] + 1)
                found.append(m)
                k = city[0]
            else:
                k += 1  # but "Terzo atto integrativo": a city's name followed by a word is no item of a list
        return found if len(found) >= 2 else []
