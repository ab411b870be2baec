"""What is not a participant: people, places, generic words, project names, and background bodies.

The second layer of the rules (see :mod:`ecosys.extract.rules`). A name found
by its words is still no partner when it is a person ("BORGHI Marina, nata a
Cucciago", "Mara Airoldi"), a generic word ("Terzo Settore"), a place ("in
Provincia di Frosinone"), a project ("Graphene Flagship Project") or a heading;
and an organisation the text names is only background when the words before it
make it a venue ("presso"), a parent body, a membership, where a partner is
("Innolabs srl (Regione Toscana)") or a speaker's affiliation. The words are
the language's data (``background.txt``, ``person_after.txt``, ``titles.txt``,
``first_names.txt``, ``generic.txt``, ``places.txt``).

Example
-------
>>> from ecosys.extract.documents import text_document
>>> f = Filters(text_document("Il progetto è presentato presso la Fondazione Alfa."), load("it"))
>>> f.background_before(6, 0)  # "Fondazione" comes after "presso la"
True
"""

from __future__ import annotations

import functools

from .documents import Document
from .resources import Language, key, load
from .tokens import TERRITORIAL, Mention, Scanner, tokenize

__all__ = ["Filters", "background_phrases"]

_PLACE_BEFORE = {"in", "nel", "nella", "nei", "nelle", "sul", "sulla", "presso", "a"}


@functools.lru_cache(maxsize=None)
def background_phrases(code: str) -> tuple:
    """The background phrases of a language as token-key tuples, longest first.

    >>> ("presso",) in background_phrases("it")
    True
    """
    lang = load(code)
    phrases = {tuple(key(t) for t, _, _ in tokenize(p, lang)) for p in lang.background}
    return tuple(sorted(phrases, key=len, reverse=True))


class Filters(Scanner):
    """The tests that make a name no participant (see the module docstring)."""

    def __init__(self, doc: Document, lang: Language):
        super().__init__(doc, lang)
        self.background_phrases = background_phrases(lang.code)

    def is_organisation(self, m: Mention, untyped: bool, municipal: bool) -> bool:
        lang, keys = self.lang, self.t.keys
        name = key(m.name)
        if name in lang.generic or (untyped and any(g.startswith(name + " ") for g in lang.generic)):
            return False
        if untyped and name in lang.places:
            return False  # "i Paesi Bassi"
        before = keys[m.start - 1] if m.start and self.same_sentence(m.start - 1, m.start) else ""
        if (m.type in TERRITORIAL or m.type == "religious body") and before in _PLACE_BEFORE:
            return False  # "in Provincia di Frosinone", "nella diocesi di Bangui": a place
        if before == "(" and keys[m.start] in ("provincia", "prov") and any(
                self.t.words[c] == ")" for c in range(m.end, min(m.end + 4, self.n))):
            return False  # "COMUNE DI CARTOCETO (Provincia di Pesaro e Urbino)": where the one before it is
        after = m.end + (m.end < self.n and self.t.words[m.end] == ",")
        if after < self.n and keys[after] in lang.person_after:
            return False  # "BORGHI Marina, nata a Cucciago": a person
        if keys[m.end - 1] in lang.project_ends:
            return False  # "Graphene Flagship Project": a project
        if not untyped:
            return True
        first = keys[m.start]
        if first in lang.titles or before in lang.titles or first in lang.places or first in lang.programmes \
                or first in lang.project_words or first in lang.articles or first in lang.stopwords:
            return False
        if first in lang.groups or first in lang.plurals or name in lang.roles:
            return False  # "SCUOLE PER LO SVOLGIMENTO...", "Aziende Ospedaliero-Universitarie", "Beneficiario": no name
        if first in lang.first_names and m.end - m.start > 1:
            return False  # a person: "Mara Airoldi"
        if any(k in lang.project_words or k in lang.project_fields for k in keys[m.start:m.end]):
            return False  # "Nome del Progetto", "DATI PROGETTO": a heading
        city = self.city_match(m.start)
        if city and city[0] >= m.end:
            if not municipal:
                return False  # a bare place
            m.name, m.type, m.city, m.how = f"Comune di {city[1]}", "municipality", city[1], "municipality name"
            return True
        k = m.start
        while k < m.end and (self.match(self.regions, k) or keys[k] in ("e", "ed")):
            k = self.match(self.regions, k)[0] if keys[k] not in ("e", "ed") else k + 1
        if k >= m.end:
            return False  # "Umbria ed Abruzzo": places
        return not (name in lang.regions or name in lang.municipalities)

    def background(self, m: Mention, first: int) -> bool:
        """Whether the words around a mention make it a place, a venue, an affiliation or a membership."""
        words = self.t.words
        if m.type in TERRITORIAL and m.start > first and words[m.start - 1] == "(" and m.start - 2 >= first \
                and (self.cap(m.start - 2) or words[m.start - 2] in ("'", '"', ")") or m.start - 1 in self.ends):
            return True  # "Innolabs srl (Regione Toscana)", "COMUNE DI CANTU' (Provincia di Como)": where it is
        if m.start > first and words[m.start - 1] == "(" and m.start - 1 in self.ends and m.end < self.n \
                and words[m.end] == ")":
            return True  # "il CSV Sodalis (Centro servizi per il volontariato...)": the same organisation spelled out
        return self.background_before(m.start, first) or self.affiliation(m, first) or self.territory(m, first)

    def affiliation(self, m: Mention, first: int) -> bool:
        """ "Mara Airoldi, Direttore ..., dell'Università di Oxford", "il presidente della Regione Toscana, Eugenio
        Giani": the organisation a person speaks for."""
        keys, words = self.t.keys, self.t.words
        k = m.start - 1
        while k >= first and keys[k] in self.lang.articles and m.start - k <= 2:
            k -= 1
        if k >= first and keys[k] in self.lang.titles and m.end + 1 < self.n and words[m.end] == "," \
                and keys[m.end + 1] in self.lang.first_names and self.speech(first):
            return True  # in someone's words; but "i Presidenti della Commissione X, Giovanni Puglisi, ... hanno
            # sottoscritto" sign for their bodies
        signed = self.signing(first) and "presenza" not in keys[max(first, m.start - 8):m.start]
        if m.end + 1 < self.n and keys[m.end] in self.lang.first_names and self.cap(m.end + 1) \
                and self.same_sentence(m.start, m.end + 1) and any(
                    keys[c] in self.lang.titles for c in range(max(first, m.start - 7), m.start)
                    if "," not in words[c:m.start]) and not signed:
            return True  # "l'assessore alla scuola del Comune di Napoli Annamaria Palmieri": the person's body
            # (but "firmato dal presidente della Provincia di Arezzo Vincenzo Ceccarelli": the body that signs;
            # yet "sottoscritto alla presenza dell'assessore del Comune di Venezia Simone Venturini": a witness)
        k = m.start - 1
        while k >= first and m.start - k <= 16:
            w = words[k]
            if keys[k] in self.lang.first_names and k + 1 < m.start and self.cap(k + 1) \
                    and keys[k + 1] not in self.lang.connectors:
                return not signed  # "Vincenzo Ilotte – Unioncamere Piemonte ... hanno firmato": a party
            if not (self.cap(k) or w in (",", "-") or keys[k] in self.lang.connectors
                    or keys[k] in self.lang.articles or keys[k] in self.lang.titles) or keys[k] in ("e", "ed"):
                return False  # but "..., Giovanni Puglisi, e dell'Associazione X": the next item of a list
            k -= 1
        return False

    def in_place(self, k: int) -> bool:
        """Whether token ``k`` follows a preposition of place ("nella diocesi di Bangui", "in Provincia di X",
        "nelle tre Regioni del Nord-Ovest")."""
        if k > 1 and (self.t.keys[k - 1] in self.lang.numbers or self.t.words[k - 1].isdigit()):
            k -= 1
        return k > 0 and self.same_sentence(k - 1, k) and self.t.keys[k - 1] in _PLACE_BEFORE

    def signing(self, first: int) -> bool:
        """Whether the sentence starting at token ``first`` is about signing an agreement ("è stato firmato")."""
        s = self.t.sentence[first]
        cache = self.__dict__.setdefault("_signing", {})
        if s not in cache:
            last, keys = self.t.spans[s][1], self.t.keys
            cache[s] = any(keys[k] in self.lang.signing or (k + 1 < last and f"{keys[k]} {keys[k + 1]}"
                                                            in self.lang.signing) for k in range(first, last))
        return cache[s]

    def speech(self, first: int) -> bool:
        """Whether the sentence starting at token ``first`` reports someone's words (a quote, "ha dichiarato")."""
        last = self.t.spans[self.t.sentence[first]][1]
        keys = self.t.keys
        return any(self.t.words[k] == '"' or keys[k] in self.lang.speech
                   or (k + 1 < last and f"{keys[k]} {keys[k + 1]}" in self.lang.speech) for k in range(first, last))

    def territory(self, m: Mention, first: int) -> bool:
        """Whether a region, province or municipality is named as a place an area covers ("l'area interessata
        comprende quattro regioni italiane: Regione Lombardia (Province di Como, Lecco...)")."""
        if m.type not in TERRITORIAL:
            return False
        keys = self.t.keys
        area = covers = False
        for k in range(first, m.start):
            two = f"{keys[k]} {keys[k + 1]}" if k + 1 < m.start else ""
            area = area or keys[k] in self.lang.areas or two in self.lang.areas
            covers = covers or (area and (keys[k] in self.lang.covers or two in self.lang.covers))
        return covers

    def background_before(self, k: int, first: int) -> bool:
        """Whether a background phrase ends right before token ``k``, or before the articles before it."""
        keys = self.t.keys
        ends = [k]
        while k > first and keys[k - 1] in self.lang.articles:
            k -= 1
            ends.append(k)
        return any(e - len(p) >= first and tuple(keys[e - len(p):e]) == p for e in ends for p in self.background_phrases)
