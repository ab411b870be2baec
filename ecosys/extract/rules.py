"""The rules that find organisations, their roles and their projects in one document.

No trained model: a small tokenizer, then rules driven by the language's data
files (:mod:`ecosys.extract.resources`).

1. **Organisation mentions.** A *type word* starts a name ("Comune di X",
   "Fondazione X", "Università degli Studi di X"), also in lower case where the
   data allows it ("l'associazione Speranza", "il comune di Parre") and with
   adjectives between ("Consorzio industriale provinciale di Sassari"); a *legal
   form* ends one ("X S.r.l.", "Innolabs srl", "X APS"); a few *known names*
   stand alone ("Legambiente Toscana"); a quoted name described by its kind is
   one ("‘Cento insieme’ associazione"). The name runs over capitalised words,
   quotes and connectors, not over a line break. A kind shared by several names
   gives one organisation each ("Università di Padova e di Milano Bicocca",
   "i Comuni di A, B e C", "Regioni Lazio e Lombardia", "atenei (Udine, ...)").
   A unit named with its university is the university ("Dipartimento di X
   dell'Università di Y"); an acronym in parentheses, an acronym that spells a
   name's initials ("AOUP") and a name without its type word are found again as
   the same organisation.
2. **Why it is a participant.** Every organisation a text names is proposed,
   with the role of the nearest *role phrase* before it ("in partenariato con",
   "finanziato da", "capofila:") or of a verb after its subject ("X finanzia"),
   else partner, unless the words around it make it background: a venue
   ("presso", "nella sede della"), a parent body, a membership, a place ("(Regione
   Toscana)" after a name), a speaker's affiliation. Names without a type word are
   proposed when their place says they are organisations: a list after a role
   phrase ("Project Ahead"), after a group noun and a colon ("12 associazioni: A,
   B, C"), among typed organisations of one list ("..., Promocamera, l'Azienda
   speciale..."), a labelled field of a project sheet, the party of an agreement
   ("Bottega Solidale, con sede in Brescia, rappresentata da..."; the line after a
   lone "TRA" or "E"), and bare municipality names in a list about Comuni or at
   the start of a bulleted line ("- Chianciano Terme (SI): ...").
3. **Not partners.** People (a title before the name, a given name first, "nato
   a" after), generic words ("Terzo Settore", "amministrazione comunale"), places
   ("in Provincia di Frosinone", "nei territori dei Comuni di..."), EU bodies
   unless a role phrase names them ("finanziato dalla Commissione europea"),
   project names ("... Project", "partner dell'Alleanza X"), and funding
   programmes, kept as the project's programme instead.
4. **Projects.** A name after "progetto" (quoted, or capitalised: "il progetto
   SEED"), a project sheet's field ("Nome del progetto:", "Codice Progetto"), a
   project given to each municipality of a list ("Bergamo con hOLD on"), else
   the project the document names most, else its title.

Example
-------
>>> from ecosys.extract.documents import text_document
>>> doc = text_document("Il progetto “Orti Urbani” è coordinato dal Comune di Prato "
...                     "in partenariato con Cooperativa sociale Aurora e Legambiente Toscana.")
>>> [(c.partner, c.role, c.type, c.project) for c in find_candidates(doc)]
[('Comune di Prato', 'coordinator', 'municipality', 'Orti Urbani'), ('Cooperativa sociale Aurora', 'partner', 'cooperative', 'Orti Urbani'), ('Legambiente Toscana', 'partner', 'association', 'Orti Urbani')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import Document
from .resources import Language, key, load

__all__ = ["Candidate", "find_candidates", "tokenize"]

ROLE_STRENGTH = {"coordinator": 6, "implementing body": 5, "promoter": 4, "funder": 3, "partner": 2, "other": 1}
_TOKEN = re.compile(r"\w+(?:[-@&.]\w+)*(?:'(?=\w)|'(?= [A-Z])|(?<=\w\w[aeiouAEIOU])'(?![\w']))?\+*|[^\w\s]")
_ACCENTED = re.compile(r".*\w\w[aeiouAEIOU]'$")
_GLUED = re.compile(r"^(.*[a-z0-9@])([A-Z][a-zàèéìòù]{3,})$")  # "Flor@workLecce": a city glued to a word
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\t": " ", "\u2022": "-"})
_BULLETS = {"-", "*", "·", "o", "•"}
_ABBREVIATIONS = {"soc", "coop", "prof", "dott", "ing", "avv", "arch", "sig", "sen", "on", "mons", "cav", "dr",
                  "st", "ss", "ecc", "art", "n", "nr", "tel", "fax", "pag", "vol", "cfr", "es", "geom", "rag"}
_NAME_LINKS = {"di", "del", "dello", "della", "dell'", "dei", "degli", "delle", "d'", "per", "la", "l'", "il", "lo",
               "le", "gli", "i", "of", "for", "the", "de"}
_ARTICLES = {"il", "lo", "la", "l'", "i", "gli", "le"}
_NUMBER = re.compile(r"\d+(?:\.\d)?")
_NAME_PREPOSITIONS = {"di", "del", "dello", "della", "dell'", "dei", "degli", "delle", "d'"}
_PLACE_BEFORE = {"in", "nel", "nella", "nei", "nelle", "sul", "sulla", "presso", "a"}
_TERRITORIAL = {"municipality", "region", "public body"}
_SHARED_KINDS = {"municipality", "university", "health authority", "chamber of commerce"}
_MONTHS = {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre", "lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato",
           "domenica"}
_PROJECT_ADJECTIVES = {"europeo", "europea", "sperimentale", "pilota", "nazionale", "regionale", "denominato",
                       "denominata", "chiamato", "chiamata", "intitolato", "intitolata", "titolo", "dal", "di",
                       "innovativo", "strategico", "integrato", "comunitario", "h2020", "erasmus+"}


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


@dataclass
class _Mention:
    start: int  # token indices, end exclusive
    end: int
    name: str
    type: str
    how: str
    city: str = ""
    project: str = ""
    acronym: str = ""


@dataclass
class _Text:
    """A document cut into tokens and sentences."""

    text: str
    words: list  # token texts
    keys: list  # key(token)
    starts: list
    ends: list
    sentence: list  # sentence index of each token
    spans: list  # (first token, end token) of each sentence
    breaks: list = field(default_factory=list)  # blank-line count before each token


def tokenize(text: str, lang: Language | None = None) -> list[tuple[str, int, int]]:
    """The tokens of ``text`` with their character offsets; elided articles stand alone.

    >>> [t for t, _, _ in tokenize("dell’Università, S.r.l. e VOL.TO")]
    ["dell'", 'Università', ',', 'S.r.l', '.', 'e', 'VOL.TO']
    """
    lang = lang or load("it")
    plain = text.translate(_QUOTES)
    tokens = []
    for m in _TOKEN.finditer(plain):
        word, start = m.group(), m.start()
        glued = _GLUED.match(word)
        if glued and len(glued.group(1)) > 1 and key(glued.group(2)) in lang.municipalities:
            cut = start + len(glued.group(1))
            tokens.append((glued.group(1), start, cut))
            tokens.append((glued.group(2), cut, m.end()))
        elif word.endswith("'") and len(word) > 3 and _ACCENTED.match(word) and _quoted(text, start):
            tokens.append((word[:-1], start, m.end() - 1))  # "‘Cento insieme’": a closing quote, not an accent
            tokens.append(("'", m.end() - 1, m.end()))
        else:
            tokens.append((word, start, m.end()))
    return tokens


def _quoted(text: str, start: int) -> bool:
    """Whether an opening quote (‘ or ') starts a quotation shortly before ``start`` on its line."""
    line = text[max(0, start - 80):start].rsplit("\n", 1)[-1]
    opening = max(line.rfind("\u2018"), line.rfind(" '"), -1 if not line.startswith("'") else 0)
    return opening >= 0 and "\u2019" not in line[opening + 1:]


def _segment(text: str, lang: Language) -> _Text:
    tokens = tokenize(text, lang)
    plain = text.translate(_QUOTES)
    words = [t[0] for t in tokens]
    starts = [t[1] for t in tokens]
    ends = [t[2] for t in tokens]
    keys = [key(w) for w in words]
    sentence, spans, breaks = [], [], []
    first = 0
    for i in range(len(tokens)):
        gap = plain[ends[i - 1]:starts[i]] if i else ""
        newlines = gap.count("\n")
        breaks.append(newlines)
        if i and _boundary(i, gap, newlines, words, keys, plain, starts, ends):
            spans.append((first, i))
            first = i
        sentence.append(len(spans))
    if tokens:
        spans.append((first, len(tokens)))
    return _Text(plain, words, keys, starts, ends, sentence, spans, breaks)


def _boundary(i, gap, newlines, words, keys, plain, starts, ends) -> bool:
    """Whether a sentence starts at token ``i``."""
    if newlines >= 2:
        return True
    prev = words[i - 1]
    if newlines == 1:
        line_start = plain.rfind("\n", 0, starts[i - 1]) + 1
        line = plain[line_start:ends[i - 1]]
        return prev in ".:;!?" or len(line) < 60 or words[i] in _BULLETS or words[i][:1].isdigit()
    if prev in "!?" and gap:
        return True
    if prev != "." or not gap or i < 2:
        return False
    before, nxt = words[i - 2], words[i]
    if keys[i - 2] in _ABBREVIATIONS or (len(before) == 1 and before.isupper()) or "." in before:
        return False
    return nxt[:1].isupper() or nxt[:1].isdigit() or nxt in ('"', "-", "(")


class _Rules:
    """The rules applied to one document (see the module docstring)."""

    def __init__(self, doc: Document, lang: Language):
        self.doc, self.lang = doc, lang
        self.t = _segment(doc.text, lang)
        self.n = len(self.t.words)
        self.orgs, self.roles, self.project_fields, self.cities, self.plurals, self.regions = _indexes(lang.code)
        self.background_phrases = _background(lang.code)
        self.municipal_text = any(k in ("comuni", "comune") for k in self.t.keys)
        self.item_sentences: set = set()

    # -- token tests ----------------------------------------------------------------------------
    def cap(self, i: int) -> bool:
        w = self.t.words[i]
        return w[:1].isupper() or (w[:1].isdigit() and any(c.isalpha() for c in w)) or (
            len(w) > 1 and w[0].islower() and any(c.isupper() for c in w[1:]))

    def same_sentence(self, i: int, j: int) -> bool:
        return 0 <= i < self.n and 0 <= j < self.n and self.t.sentence[i] == self.t.sentence[j]

    def match(self, index: dict, i: int):
        """The longest phrase of ``index`` starting at token ``i``: (end, value) or None."""
        for phrase, value in index.get(self.t.keys[i], ()):
            end = i + len(phrase)
            if end <= self.n and tuple(self.t.keys[i:end]) == phrase and self.same_sentence(i, end - 1):
                return end, value
        return None

    def text(self, i: int, j: int) -> str:
        return self.t.text[self.t.starts[i]:self.t.ends[j - 1]] if j > i else ""

    # -- names ----------------------------------------------------------------------------------
    def tail(self, j: int, limit: int = 12, after_type: bool = False, commas: bool = False) -> int:
        """The end of the name that runs from token ``j`` over capitalised words, quotes and connectors.

        ``after_type``: the name goes on a type word ending at ``j``; ``commas``: it may go on after a comma
        ("Ministero dell'Istruzione, dell'Università e della Ricerca").
        """
        k, good = j, j
        placed = after_type and j > 0 and self.t.keys[j - 1] in _NAME_PREPOSITIONS and bool(self.city_match(j))
        while k < self.n and k - j < limit and self.same_sentence(j, k):
            w = self.t.words[k]
            if (k > j or after_type) and self.t.breaks[k] and self.t.keys[k] not in _NAME_PREPOSITIONS:
                break  # a name does not run on to the next line ("...l'Università\nFirma del protocollo")
            if commas and w == "," and k > j and k + 1 < self.n and self.same_sentence(k, k + 1):
                nxt = k + 1
                if self.t.keys[nxt] in _NAME_PREPOSITIONS:
                    nxt += 1
                if nxt < self.n and self.cap(nxt) and (nxt > k + 1 or not (self.starts_org(nxt) or self.city_match(nxt))):
                    k = nxt
                    continue
            if w == '"':
                close = next((m for m in range(k + 1, min(k + 12, self.n)) if self.t.words[m] == '"'), None)
                if close is None or close == k + 1 or not self.same_sentence(k, close):
                    break
                k = good = close + 1
                continue
            if (self.cap(k) or (_NUMBER.fullmatch(w) and len(w) <= 4 and (k > j or w.isdigit()))) \
                    and self.t.keys[k] not in _MONTHS:
                if self.t.keys[k] in ("capofila", "partner", "partners") and self.match(self.roles, k):
                    break
                if k > j and self.org_entry(k, ("suffix",)):
                    break  # a legal form ends the name: finish() takes it
                k = good = k + 1
                continue
            if self.t.keys[k] in self.lang.connectors:
                m = k
                while m < self.n and self.t.keys[m] in self.lang.connectors and m - k < 3:
                    m += 1
                if m < self.n and self.same_sentence(k, m) and (self.cap(m) or self.t.words[m] == '"') \
                        and self.t.keys[m] not in _MONTHS:
                    run = self.t.keys[k:m]
                    if not set(run) <= _NAME_LINKS and (self.starts_org(m) or self.match(self.roles, m)):
                        break  # "Comune di Bologna e Città Metropolitana": a second organisation
                    if run[0] in ("e", "ed") and len(run) > 1 and run[1] in _ARTICLES:
                        break  # "l'Università di Camerino e l'Unione...": the next item of a list
                    if run[0] in ("e", "ed") and (placed or self.city_match(m + (run[-1] in _NAME_PREPOSITIONS) - 1
                                                                           if run[-1] in _NAME_PREPOSITIONS else m)):
                        break  # "Comune di Terni e Narni", "Camera di Commercio di Sassari e Kontor 46": another name
                    placed = placed or (run[-1] in _NAME_PREPOSITIONS and bool(self.city_match(m)))
                    if self.t.keys[m] in self.lang.programmes:
                        break
                    k = m
                    continue
            break
        return good

    def org_entry(self, i: int, positions=("prefix", "name")):
        """The type-word entry at token ``i``: (end, (type, position, needs_name)) or None."""
        for phrase, entries in self.orgs.get(self.t.keys[i], ()):
            end = i + len(phrase)
            if end <= self.n and tuple(self.t.keys[i:end]) == phrase and self.same_sentence(i, end - 1):
                entry = next((e for e in entries if e[1] in positions), None)
                if entry:
                    return end, entry
        return None

    def starts_org(self, i: int) -> bool:
        return bool(self.cap(i) and self.org_entry(i))

    def suffix_end(self, i: int):
        """Legal forms at token ``i`` ("impresa sociale soc. coop."): their end and type, or None."""
        end, kind = i, None
        while end < self.n:
            hit = self.org_entry(end, ("suffix",))
            if not hit:
                break
            words = self.t.words[end:hit[0]]
            if len("".join(words)) <= 3 and not (words[0].isupper() or "." in "".join(words)) \
                    and not (end > 0 and self.cap(end - 1) and self.same_sentence(end - 1, end)):
                break  # "spa", "aps", "ets" in lower case are words, not legal forms (but "Innolabs srl" is one)
            end, kind = hit[0], kind or hit[1][0]
        return (end, kind) if kind else None

    def org_at(self, i: int, untyped: bool = False, municipal: bool = False) -> _Mention | None:
        """The organisation named from token ``i``, or None."""
        if i >= self.n or self.t.keys[i] in _MONTHS:
            return None
        lower = not self.cap(i)
        hit = self.org_entry(i)
        if hit is None:
            legal = self.org_entry(i, ("suffix",))
            if legal and legal[0] < self.n and self.t.words[legal[0]] == '"' and self.cap(i):
                hit = (legal[0], (legal[1][0], "prefix", True, False, False))  # "Impresa Sociale “Con i bambini”"
        if lower and not (hit and hit[1][4] and hit[1][1] == "prefix"):
            return None
        if hit:
            end, (kind, position, needs_name, commas, _) = hit
            if position == "name":
                stop = end
                while stop < self.n and stop - end < 3 and self.extends_known(i, stop):
                    stop += 1
                return self.finish(_Mention(i, stop, "", kind, "known name"))
            end = self.adjectives(i, end)
            stop = self.tail(end, after_type=True, commas=commas) if end < self.n and self.same_sentence(i, end) else end
            if stop == end and needs_name:
                return None
            if lower:
                name = next((k for k in range(end, stop) if self.cap(k) or self.t.words[k] == '"'), None)
                if name is None or self.t.keys[name] in self.lang.places or self.t.keys[name] in self.lang.first_names:
                    return None  # "le università italiane", "l'unione montana Alessandro Gentilucci": no name
            if stop > end and self.t.keys[end] not in self.lang.connectors and kind in _TERRITORIAL \
                    and not self.cap(end):
                return None
            return self.finish(_Mention(i, stop, "", kind, f"type word '{self.text(i, end)}'"))
        if not untyped:
            return None
        stop = self.tail(i)
        if stop == i:
            return None
        return self.finish(_Mention(i, stop, "", "", "capitalised name in a list"), untyped=True,
                           municipal=municipal)

    def adjectives(self, i: int, end: int) -> int:
        """The end of the type words at ``i`` with the lower-case adjectives that follow them when a name comes
        next ("Consorzio industriale provinciale di Sassari", "associazione culturale “Vecchi Giovani”")."""
        j = end
        if self.t.keys[i] == "ente" and end == i + 1:
            return end  # "OPERA, Ente strumentale della Provincia": a description, not a name
        while j < self.n and j - end < 3 and self.same_sentence(i, j) and not self.t.breaks[j] \
                and self.t.words[j].isalpha() and self.t.words[j].islower() and len(self.t.words[j]) > 3 \
                and self.t.keys[j] not in self.lang.connectors and self.t.keys[j] not in self.lang.stopwords \
                and not self.match(self.roles, j):
            j += 1
        if j == end or j >= self.n or not self.same_sentence(i, j):
            return end
        if self.t.words[j] == '"' or (self.t.keys[j] in _NAME_PREPOSITIONS and j + 1 < self.n and self.cap(j + 1)) \
                or (self.cap(j) and not self.t.breaks[j] and self.t.keys[j] not in self.lang.first_names):
            return j
        return end

    def parent_after(self, m: _Mention) -> _Mention | None:
        """The typed organisation an untyped name belongs to: "Assemblea legislativa della Regione Emilia Romagna",
        "Area Servizi Culturali ... della Regione Lazio" (a part of it), or None."""
        keys = self.t.keys
        inside = next((p for p in range(m.start + 1, m.end) if keys[p - 1] in _NAME_PREPOSITIONS and self.org_entry(p)
                       and self.cap(p)), None)
        j = inside if inside is not None else self.adjectives(m.start, m.end) if m.end < self.n else m.end
        if inside is None:
            if j == m.end or j >= self.n or keys[j] not in _NAME_PREPOSITIONS:
                return None
            j += 1
        typed = self.org_at(j) if j < self.n and self.same_sentence(m.start, j) else None
        return typed if typed is not None and typed.type else None

    def extends_known(self, i: int, k: int) -> bool:
        """Whether word ``k`` continues the known name starting at ``i`` ("Confindustria Siracusa", "Auser Lombardia")."""
        w = self.t.words[k]
        if not (self.cap(k) and self.same_sentence(i, k)) or self.t.breaks[k] or w == '"' or self.starts_org(k):
            return False
        if self.t.keys[k] in self.lang.first_names or self.t.keys[k] in _MONTHS:
            return False  # "dell'Enea Federico Testa": a person follows
        place = self.city_match(k) or self.t.keys[k] in self.lang.regions
        return bool(place) or not (w.isupper() and len(w) > 1)  # "MUR INDUSTRIA 4.0": a heading, not a name

    def finish(self, m: _Mention, untyped: bool = False, municipal: bool = False) -> _Mention | None:
        """Extend a mention over legal forms and "(ACRONYM) di X", name it, and check it is an organisation."""
        suffix = self.suffix_end(m.end)
        if suffix:
            m.end, kind = suffix
            m.type = m.type or kind
            m.how = m.how if m.type != kind or not untyped else f"legal form '{self.text(suffix[0] - 1, suffix[0])}'"
            if untyped:
                m.how = "legal form"
                untyped = False
        words = self.t.words
        pieces = [(m.start, m.end)]
        if m.end + 2 < self.n and words[m.end] == "(" and words[m.end + 2] == ")" \
                and self.same_sentence(m.start, m.end + 2) and _acronym(words[m.end + 1]):
            m.acronym = words[m.end + 1]
            after = m.end + 3
            if after + 1 < self.n and self.t.keys[after] in ("di", "del", "della", "dello") \
                    and self.same_sentence(m.start, after + 1) and self.cap(after + 1):
                stop = self.tail(after + 1)
                pieces.append((after, stop))
                m.end = stop
        m.name = _tidy(" ".join(self.text(a, b) for a, b in pieces))
        if untyped:
            parent = self.parent_after(m)
            if parent is not None or self.unit_word(m.start):
                return parent  # "l'Assemblea legislativa della Regione X", "l'Ufficio di Bruxelles dell'Agenzia"
        if not self.is_organisation(m, untyped, municipal):
            return None
        if not m.city:
            m.city = self.city_in(m)
        return m

    def is_organisation(self, m: _Mention, untyped: bool, municipal: bool) -> bool:
        lang, keys = self.lang, self.t.keys
        name = key(m.name)
        if name in lang.generic or (untyped and any(g.startswith(name + " ") for g in lang.generic)):
            return False
        before = keys[m.start - 1] if m.start and self.same_sentence(m.start - 1, m.start) else ""
        if m.type in _TERRITORIAL and before in _PLACE_BEFORE:
            return False  # "in Provincia di Frosinone": a place
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
        return not (name in lang.regions or name in lang.municipalities)

    def city_match(self, i: int):
        """The municipality (ISTAT list) named from token ``i``: (end, official name) or None."""
        if i >= self.n or not self.cap(i):
            return None
        return self.match(self.cities, i)

    def city_in(self, m: _Mention) -> str:
        """The municipality a name places its organisation in ("Politecnico di Milano" -> Milano)."""
        if m.type == "region":
            return ""
        for k in range(m.end - 1, m.start, -1):
            if self.t.keys[k - 1] in ("di", "del", "della", "in", "a", "'"):
                hit = self.city_match(k)
                if hit and hit[0] <= m.end:
                    return hit[1]
        return ""

    # -- lists ----------------------------------------------------------------------------------
    def parse_list(self, j: int, municipal: bool = False, label: bool = False) -> list[_Mention]:
        """The organisations listed from token ``j`` ("A, B e C"; "il Comune di X, l'Università...").

        After a label ("Partner: A, B") each item runs to the next comma, whatever its words.
        """
        items, k = [], j
        words, keys = self.t.words, self.t.keys
        while k < self.n and words[k] in (":", " ", ","):
            k += 1
        if k < self.n and words[k] == "(":  # "(nome ed eventuale ragione sociale)": a remark, not a name
            close = next((c for c in range(k, min(k + 15, self.n)) if words[c] == ")"), None)
            if close is not None and not any(self.cap(c) for c in range(k + 1, close)):
                k = close + 1
        if label:
            return self.label_items(k, municipal)
        while k < self.n:
            while k < self.n and (keys[k] in self.lang.articles or words[k] in (":", '"') or words[k] in _BULLETS
                                  or (words[k].isdigit() and k + 1 < self.n and words[k + 1] in ").")):
                k += 1 + (words[k].isdigit())
            if k >= self.n:
                break
            plural = self.plural_at(k, self.t.spans[self.t.sentence[k]][1])
            if plural:
                items += plural  # "fra i quali Unioncamere, Regioni Lazio e Lombardia e il Ministero..."
                k = plural[-1].end
                if k < self.n and (words[k] in (",", ";") or keys[k] in ("e", "ed")):
                    k += 1
                    continue
                break
            m = self.org_at(k, untyped=True, municipal=municipal)
            if m is None:
                skip = self.generic_item(k)
                if skip is None:
                    break
                k = skip  # "tra amministrazione comunale, Alfa Liguria...": a kind with no name, the list goes on
                if k < self.n and (words[k] in (",", ";") or keys[k] in ("e", "ed")):
                    k += 1
                    continue
                break
            if items and not m.type and _expands(items[-1], m, self):
                k = m.end  # "Associazione ReTer, Reti e Territorio": the name spelled out
            else:
                items.append(m)
                k = m.end
                shared = self.distribute(m)
                if shared:
                    items += shared
                    k = shared[-1].end
            if municipal and m.type == "municipality" and k < self.n and keys[k] == "con":
                k = self.item_project(m, k + 1)
            if k < self.n and words[k] == "(":
                close = next((c for c in range(k, min(k + 15, self.n)) if words[c] == ")"), None)
                if close is None:
                    break
                inner = self.parse_list(k + 1)
                if inner and (inner[-1].end == close) and not all(m.type in _TERRITORIAL for m in inner):
                    items += inner
                k = close + 1
            if k < self.n and (words[k] in (",", ";", "/") or keys[k] in ("e", "ed", "nonche", "oppure")):
                k += 1
                if k < self.n and keys[k] in ("e", "ed"):
                    k += 1
                continue
            if k + 1 < self.n and keys[k] in ("con", "insieme") and self.same_sentence(k, k + 1) \
                    and (self.cap(k + 1) or (keys[k + 1] in _ARTICLES and k + 2 < self.n and self.cap(k + 2))):
                k += 1  # "promossa dalla Fondazione Perugia con Upskill 4.0"
                continue
            if k < self.n and self.t.breaks[k] == 1 and words[k - 1] != ".":
                continue  # one name a line
            break
        return items

    def generic_item(self, k: int) -> int | None:
        """The end of a kind with no name at ``k`` ("amministrazione comunale", "Regione") in a list, or None."""
        for size in (3, 2, 1):
            if k + size <= self.n and " ".join(self.t.keys[k:k + size]) in self.lang.generic \
                    and self.same_sentence(k, k + size - 1) and self.t.keys[k] not in ("e", "tra", "il", "la"):
                return k + size
        return None

    def label_items(self, k: int, municipal: bool) -> list[_Mention]:
        """The items of a labelled list, each running to the next comma or semicolon (or " - ", "(")."""
        items, words = [], self.t.words
        while k < self.n and self.same_sentence(k - 1, k):
            while k < self.n and (self.t.keys[k] in self.lang.articles or words[k] in _BULLETS) and not (
                    self.cap(k) and k + 1 < self.n and self.cap(k + 1) and not self.org_entry(k + 1)
                    and (k == 0 or words[k - 1] in (",", ";", ":"))):
                k += 1  # but "La Zattera", "Con Noi" in a list keep their first word
            stop = k
            while stop < self.n and self.same_sentence(k, stop) and (words[stop] not in (",", ";", "(", ".") or (
                    words[stop] == "." and (len(words[stop - 1]) <= 2 or "." in words[stop - 1])
                    and stop + 1 < self.n and self.same_sentence(stop, stop + 1) and words[stop + 1] != "-")) \
                    and not (words[stop] == "-" and self.t.starts[stop] > self.t.ends[stop - 1]) \
                    and not (self.t.keys[stop] in ("e", "ed") and stop + 1 < self.n and self.cap(stop + 1)):
                stop += 1
            if stop == k or not self.cap(k) or stop - k > 12:
                break
            m = self.org_at(k, untyped=True, municipal=municipal)
            if m is None and self.t.keys[k] in self.lang.articles and stop - k <= 6:
                m = _Mention(k, stop, _tidy(self.text(k, stop)), "", "item of a labelled list")  # "La Zattera"
            if m is None or m.end > stop:
                break
            if not m.type and m.end < stop:  # the whole item is the name ("Corpo musicale G. Verdi di X")
                m.end = stop
                m.name = _tidy(self.text(k, stop))
                m.city = self.city_in(m)
                m.how = "item of a labelled list"
            items.append(m)
            k = stop
            while k < self.n and words[k] == "(":
                close = next((c for c in range(k, min(k + 12, self.n)) if words[c] == ")"), None)
                if close is None:
                    return items
                k = close + 1
            if k < self.n and words[k] == "-":
                while k < self.n and self.same_sentence(k - 1, k) and words[k] not in (",", ";", "."):
                    k += 1
            if k < self.n and (words[k] in (",", ";") or self.t.keys[k] in ("e", "ed")):
                k += 1
                continue
            break
        return items

    def item_project(self, m: _Mention, k: int) -> int:
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
        m.project = _tidy(self.text(k, stop)).strip('" ')
        self.item_sentences.add(self.t.sentence[k])
        return stop

    # -- the rules -------------------------------------------------------------------------------
    def mentions(self) -> list[_Mention]:
        """Every typed mention, in order (the ones that do not overlap an earlier one)."""
        found, i = [], 0
        while i < self.n:
            m = self.org_at(i) or self.quoted_before_type(i)
            if m is None:
                suffix = self.suffix_end(i)
                if suffix and i:
                    m = self.named_before(i, suffix)
            if m is not None:
                found.append(m)
                i = m.end
                shared = self.distribute(m)
                if shared:
                    found += shared
                    i = shared[-1].end
            else:
                i += 1
        return found

    def distribute(self, m: _Mention) -> list[_Mention]:
        """The names that share a typed name's kind: "Università di Padova e di Milano Bicocca", "Comune di Terni e
        Narni", "università degli studi di Padova, Bologna, Pisa"."""
        keys, words = self.t.keys, self.t.words
        if m.type not in _SHARED_KINDS or m.end - m.start < 3 or keys[m.end - 2] not in _NAME_PREPOSITIONS \
                and not m.city:
            return []
        head = self.text(m.start, m.end)
        place = self.text(m.end - 1, m.end) if not m.city else m.city
        cut = head.rfind(self.text(m.end - 1, m.end))
        if not m.city:
            cut = head.rfind(" ", 0, cut - 1) + 1 if cut > 0 else -1  # the last "di X" of the name
        prefix = head[:head.rfind(place)] if m.city and place in head else head[:cut] if cut > 0 else ""
        if not prefix.strip():
            return []
        out, k = [], m.end
        while k + 1 < self.n and self.same_sentence(m.start, k + 1) and (words[k] == "," or keys[k] in ("e", "ed")):
            j = k + 1
            prep = ""
            if keys[j] in _NAME_PREPOSITIONS and j + 1 < self.n and self.cap(j + 1):
                prep, j = words[j], j + 1
            if not self.cap(j) or self.starts_org(j) or self.match(self.roles, j):
                break
            city = self.city_match(j)
            if city and m.type == "university" and self.tail(j, limit=3) > city[0]:
                end = self.tail(j, limit=3)  # "di Milano Bicocca"
                name = self.text(j, end)
            elif city:
                end, name = city[0], city[1]
            elif prep and m.type == "university" and keys[k] in ("e", "ed") and not words[j].isupper():
                end = self.tail(j, limit=3)  # "Università di Padova e di Milano Bicocca"
                name = self.text(j, end)
                if self.suffix_end(end):
                    break
            else:
                break
            start = prefix if not prep else prefix.rstrip().rsplit(" ", 1)[0] + " " + prep + ("" if prep.endswith("'") else " ")
            out.append(_Mention(j, end, _tidy(start + name), m.type, f"{m.how}, shared", name if city else ""))
            k = end
            if k < self.n and words[k] == "(":
                close = next((c for c in range(k, min(k + 6, self.n)) if words[c] == ")"), None)
                k = close + 1 if close is not None else k
        return out

    def quoted_before_type(self, i: int) -> _Mention | None:
        """A quoted name followed by its kind: "‘Cento insieme’ associazione senza scopo di lucro"."""
        words = self.t.words
        if words[i] not in ('"', "'") or i + 1 >= self.n or not self.cap(i + 1):
            return None
        close = next((c for c in range(i + 2, min(i + 9, self.n)) if words[c] == words[i]), None)
        if close is None or not self.same_sentence(i, close):
            return None
        after = close + 1 + (close + 1 < self.n and words[close + 1] == ",")
        while after < self.n and self.t.keys[after] in _ARTICLES:
            after += 1
        hit = self.org_entry(after, ("prefix", "suffix")) if after < self.n and self.same_sentence(close, after) else None
        if not hit or self.cap(after):
            return None  # the kind that describes a quoted name is lower case ("‘Cento insieme’ associazione")
        m = _Mention(i + 1, close, _tidy(self.text(i + 1, close)), hit[1][0], "quoted name before its kind")
        return m if self.is_organisation(m, untyped=False, municipal=False) else None

    def named_before(self, i: int, suffix) -> _Mention | None:
        """The name a legal form ends ("Croce Europa Srl"), walking back over capitalised words."""
        start = i
        while start > 0 and self.same_sentence(start - 1, i) and (
                self.cap(start - 1) or (self.t.keys[start - 1] in self.lang.connectors and start - 2 >= 0
                                        and self.cap(start - 2))) and i - start < 8:
            start -= 1
        while start < i and not self.cap(start):
            start += 1
        if start == i:
            return None
        m = _Mention(start, suffix[0], "", suffix[1], "legal form")
        m.name = _tidy(self.text(start, suffix[0]))
        if not self.is_organisation(m, untyped=True, municipal=False):
            return None
        m.city = self.city_in(m)
        return m

    def run(self) -> list[tuple[_Mention, str, str, int]]:
        """(mention, role, rule, sentence) for every organisation given a role."""
        typed = self.mentions()
        before = {(m.start, m.end): m.name for m in typed}
        self.fold_units(typed)
        renamed = {(m.start, m.end): (m.name, m.type, m.city) for m in typed if m.name != before[(m.start, m.end)]}
        aliases = self.alias_mentions(typed)
        known = sorted(typed + aliases, key=lambda m: m.start)
        self.ends = {m.end for m in known}
        taken = {k for m in known for k in range(m.start, m.end)}
        found = []
        for s, (first, last) in enumerate(self.t.spans):
            found += self.sentence_rules(s, first, last, known, taken)
        every = {}
        for m in known + [f[0] for f in found]:
            every.setdefault((m.start, m.end), []).append(m)
        spans = sorted(every)
        for span, (name, kind, city) in renamed.items():
            for m in every.get(span, []):
                m.name, m.type, m.city = name, kind, city
        self.fold_units([every[span][0] for span in spans], same=every)
        self.expand_acronyms([m for span in spans for m in every[span]], known)
        return found

    def expand_acronyms(self, mentions: list[_Mention], known: list[_Mention]) -> None:
        """Name an acronym after the organisation whose initials it spells ("MIUR", "AOUP") or whose university
        it abbreviates ("UniMol", "Unicam"), when the text names that organisation in full."""
        full = [m for m in known if m.type and len(m.name.split()) >= 2 and not m.how.startswith("another name")]
        for m in mentions:
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

    def unit_word(self, i: int) -> bool:
        keys = self.t.keys
        return keys[i] in self.lang.subunits or (i + 1 < self.n and f"{keys[i]} {keys[i + 1]}" in self.lang.subunits)

    def fold_units(self, known: list[_Mention], same: dict | None = None) -> None:
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
                          if keys[p - 1] in _NAME_PREPOSITIONS and self.org_entry(p)), None)
            before = known[n - 1] if n else None
            joined = before is not None and before.end <= m.start and m.start - before.end <= 3 and all(
                words[k] in ("-", "(", ")") or keys[k] in ("con", "il", "suo", "la", "sua")
                or self.t.words[k].isupper() for k in range(before.end, m.start)) and self.same_sentence(before.start, m.start)
            if inner is not None and inner.type in academic:
                m.name, m.type, m.city = inner.name, inner.type, inner.city or m.city
            elif joined and before.type in academic:
                m.name, m.type, m.city = before.name, before.type, before.city
            elif joined and before.type and not before.how.startswith("another name"):
                m.name, m.type = f"{before.name} - {m.name}", before.type
                for other in (same or {}).get((before.start, before.end), [before]):
                    other.name = m.name
            elif keys[m.start] == "dipartimento" and m.start + 1 < self.n and keys[m.start + 1] in _NAME_PREPOSITIONS:
                near = [u for u in known if u.type == "university" and not self.unit_word(u.start)]
                if near:
                    u = min(near, key=lambda u: abs(u.start - m.start))
                    m.name, m.type, m.city = u.name, u.type, u.city
            for other in (same or {}).get((m.start, m.end), []):
                other.name, other.type, other.city = m.name, m.type, m.city

    def alias_mentions(self, typed: list[_Mention]) -> list[_Mention]:
        """Later mentions of an organisation by its acronym or its name without the type word."""
        forms = {}
        for m in typed:
            if m.acronym:
                forms[(key(m.acronym),)] = m
            if m.how == "quoted name before its kind" or m.end - m.start >= 3:
                forms[tuple(self.t.keys[m.start:m.end])] = m  # the whole name again, in any case
            words = m.how.startswith("type word") and m.type not in _TERRITORIAL and [
                k for k in tokenize(m.name, self.lang)]
            if words:
                type_end = self.org_entry(m.start)
                rest = self.t.keys[type_end[0]:m.end] if type_end else []
                if rest and rest[0] not in self.lang.connectors and any(len(w) > 3 for w in rest):
                    forms[tuple(rest)] = m
        if not forms:
            return []
        index = _index({" ".join(k): v for k, v in forms.items()}, self.lang, tokenized=True)
        inside = {k for m in typed for k in range(m.start, m.end)}
        found, i = [], 0
        while i < self.n:
            hit = self.match(index, i) if i not in inside and self.cap(i) else None
            if hit and (hit[0] >= self.n or not self.cap(hit[0])):
                m = hit[1]
                found.append(_Mention(i, hit[0], m.name, m.type, f"another name of '{m.name}'", m.city))
                i = hit[0]
            else:
                i += 1
        return found

    def sentence_rules(self, s, first, last, known, taken):
        keys, words = self.t.keys, self.t.words
        out = []
        inside = [m for m in known if first <= m.start < last]
        municipal = any(keys[k] in ("comuni", "comune") for k in range(first, last))
        listed = set()
        # role phrases with the names after them; a phrase ending its line continues on the next lines
        k = first
        while k < last:
            hit = self.match(self.roles, k)
            if not hit:
                k += 1
                continue
            end, pairs = hit
            phrase = self.text(k, end)
            if keys[k] in ("partner", "partners", "capofila") and end == k + 1 and end < last \
                    and keys[end] in _NAME_PREPOSITIONS:
                k = end  # "i sette atenei partner dell'Alleanza...": the alliance is what they are partners of
                continue
            for role, side in pairs:
                if side == "after":
                    start = end
                    label = (end < last and words[end] == ":") or words[end - 1] == ":"
                    items = self.parse_list(start, municipal=municipal or "comun" in key(phrase), label=label)
                    if not items:
                        items = [m for m in [self.role_only_at(start)] if m]
                    if not items and (end >= last or (words[end] == ":" and end + 1 >= last)):
                        items = self.following_lines(s, municipal)
                    for m in items:
                        if id(m) not in listed and (m.start, m.end) not in listed:
                            listed.add((m.start, m.end))
                            out.append((self.resolve(m, known), role, f"list after '{phrase}'", s))
                elif side == "before":
                    subject = self.subject(first, k, inside)
                    if subject is not None:
                        listed.add((subject.start, subject.end))
                        out.append((subject, role, f"subject of '{phrase}'", s))
            k = end
        # a field of a project sheet: "Soggetto attuatore" alone on its line, the name on the next
        # parenthesised lists after a plural noun: "gli enti di rappresentanza (A, B, C)"
        for k in range(first + 1, last):
            if words[k] == "(" and keys[k - 1] in self.lang.groups:
                items = self.parse_list(k + 1)
                close = next((c for c in range(k, last) if words[c] == ")"), None)
                if len(items) >= 2 and close is not None and items[-1].end == close:
                    role = self.sentence_role(first, k) or "partner"
                    for m in items:
                        if (m.start, m.end) not in listed:
                            listed.add((m.start, m.end))
                            out.append((self.resolve(m, known), role, "parenthesised list after a plural noun", s))
        # a plural kind and its list: "i Comuni di A, B e C", "Regioni Lazio e Lombardia", "atenei (Udine, ...)"
        plural, places = self.plural_lists(first, last, taken)
        for m in plural:
            if (m.start, m.end) not in listed:
                listed.add((m.start, m.end))
                out.append((m, "coordinator" if m.project else (self.sentence_role(first, m.start) or "partner"),
                            "list after a plural kind", s))
        # bare municipality names in a sentence about Comuni
        if municipal:
            out += self.municipality_list(s, first, last, taken | places, listed)
        # a list after a group noun and a colon or "sono": "12 associazioni di volontariato: A, B, C"
        for m, how in self.group_lists(first, last):
            if (m.start, m.end) not in listed:
                listed.add((m.start, m.end))
                out.append((self.resolve(m, known), self.sentence_role(first, m.start) or "partner", how, s))
        # the parties of an agreement: "Bottega Solidale, con sede legale a Brescia, rappresentata da..."
        for m in self.parties(first, last):
            spans = [span for span in listed if isinstance(span, tuple)]
            if not any(a < m.end and m.start < b for a, b in spans):
                listed.add((m.start, m.end))
                line_end = next((c for c in range(m.end, last) if self.t.breaks[c]), last)
                role = "coordinator" if any(keys[c] == "capofila" for c in range(m.end, line_end)) \
                    else (self.sentence_role(first, m.start) or "partner")
                out.append((self.resolve(m, known), role, "party to an agreement", s))
        # a line of a bulleted list that starts with a municipality: "- Chianciano Terme (SI): 3,9 milioni"
        if self.municipal_text and words[first] in _BULLETS and first + 1 < last:
            city = self.city_match(first + 1)
            if city and city[0] < last and words[city[0]] in ("(", ":") and (first + 1, city[0]) not in listed:
                m = _Mention(first + 1, city[0], f"Comune di {city[1]}", "municipality", "municipality name", city[1])
                listed.add((m.start, m.end))
                out.append((m, self.sentence_role(first, m.start) or "partner", "municipality starting a list line", s))
        # every other organisation the sentence names, unless its words say it is only background
        spans = [span for span in listed if isinstance(span, tuple)]
        named = []
        for m in inside:
            if any(a <= m.start and m.end <= b for a, b in spans) or self.background(m, first):
                continue
            listed.add((m.start, m.end))
            named.append(m)
            out.append((m, self.sentence_role(first, m.start) or "partner", "named in the text", s))
        # names without a type word listed among organisations: "Università di Padova, Promocamera, l'Azienda..."
        members = sorted([o[0] for o in out if o[0].type and not o[0].project and self.t.sentence[o[0].start] == s],
                         key=lambda m: m.start)
        for m in self.siblings(members, first, last):
            spans = [span for span in listed if isinstance(span, tuple)]
            if not any(a < m.end and m.start < b for a, b in spans):
                listed.add((m.start, m.end))
                out.append((m, self.sentence_role(first, m.start) or "partner", "listed among organisations", s))
        return out

    def parties(self, first: int, last: int) -> list[_Mention]:
        """The organisations named right before "con sede", "C.F.", "rappresentata da"... at the start of a line or
        of a list item, with the city "con sede in" gives."""
        keys, words = self.t.keys, self.t.words
        out, k = [], first
        s = self.t.sentence[first]
        if s and self.t.breaks[first] and self.t.spans[s - 1][1] - self.t.spans[s - 1][0] == 1 \
                and keys[first - 1] in ("tra", "fra", "e"):
            j = first  # "TRA\nBottega Solidale, ...\nE\n...": the line after "TRA" or "E" names a party
            while j < last and keys[j] in _ARTICLES:
                j += 1
            m = self.org_at(j, untyped=True) if j < last else None
            if m is not None and (m.end >= last or words[m.end] in (",", "(", ";", ".") or self.t.breaks[m.end]):
                out.append(m)
                k = m.end
        while k < last:
            hit = next((size for size in (3, 2, 1) if k + size <= last
                        and " ".join(keys[k:k + size]).rstrip(".") in self.lang.parties), None)
            if not hit:
                k += 1
                continue
            end = k
            while end > first and words[end - 1] in (",", "("):
                end -= 1
            start = end
            while start > first and not (self.t.breaks[start] and start < end) and (
                    self.cap(start - 1) or words[start - 1] in ("-", "'", '"', ".") or _NUMBER.fullmatch(words[start - 1])
                    or (keys[start - 1] in self.lang.connectors and keys[start - 1] not in ("e", "ed")
                        and start - 2 >= first and self.cap(start - 2) and not self.t.breaks[start - 1])):
                start -= 1
            while start < end and (not self.cap(start) or keys[start] in _ARTICLES):
                start += 1
            before = start - 1
            while before >= first and keys[before] in _ARTICLES and not self.t.breaks[before + 1]:
                before -= 1
            boundary = before < first or self.t.breaks[before + 1] or keys[before] in ("tra", "e", "ed", "fra") \
                or words[before] in (":", ";", ".") or words[before] in _BULLETS
            m = self.org_at(start, untyped=True) if start < end and boundary else None
            if m is not None and m.end <= end and m.end >= end - 1:
                if keys[k] in ("con", "sede"):
                    place = next((c for c in range(k + 1, min(k + 5, last)) if keys[c] in ("in", "a")), None)
                    city = self.city_match(place + 1) if place is not None else None
                    m.city = m.city or (city[1] if city else "")
                out.append(m)
            k += hit
        best: dict = {}
        for m in out:  # a party found twice (after "TRA" and before "con sede") keeps the city
            if (m.start, m.end) not in best or (m.city and not best[(m.start, m.end)].city):
                best[(m.start, m.end)] = m
        return list(best.values())

    def group_lists(self, first: int, last: int) -> list[tuple[_Mention, str]]:
        """The names after a group noun and a colon or "sono" ("12 associazioni di volontariato che operano sul
        territorio: A, B, C"; "Le 5 Università ... sono A, B e C")."""
        keys, words = self.t.keys, self.t.words
        out = []
        for k in range(first, last):
            if keys[k] not in self.lang.groups:
                continue
            mark = next((c for c in range(k + 1, min(k + 14, last)) if words[c] in (":", ";", ".") or keys[c] == "sono"),
                        None)
            if mark is None or words[mark] in (";", "."):
                continue
            colon = words[mark] == ":" or (mark + 1 < last and words[mark + 1] == ":")
            start = mark + 1 + (words[mark] != ":" and colon)
            items = self.label_items(start, False) if colon else self.parse_list(start)
            if len(items) >= 2:
                how = f"list after '{words[k]}{':' if colon else ' ... sono'}'"
                out += [(m, how) for m in items]
                break
        return out

    def siblings(self, members: list[_Mention], first: int, last: int) -> list[_Mention]:
        """Untyped names in a list whose other items are organisations, before, between and after them."""
        words, keys = self.t.words, self.t.keys
        out = []
        for a, b in zip(members, members[1:]):
            if b.start - a.end > 40:
                continue
            separated = self.after_separator(a.end, last) < last  # items follow one another after commas or "e"
            between = self.parse_list(self.after_separator(a.end, last)) if separated else []
            between = [m for m in between if m.end <= b.start and not m.type]
            if between and self.list_reaches(between[-1].end, b.start):
                out += between
            else:
                out += [m for m in self.list_before(b.start, first) if m.start >= a.end]
        lead = members[-1].start if members else first
        while lead > first and self.t.keys[lead - 1] in self.lang.articles:
            lead -= 1
        listed_item = lead > first and (words[lead - 1] in (",", ";") or keys[lead - 1] in ("e", "ed"))
        if len(members) >= 2 and listed_item and self.after_separator(members[-1].end, last) < last:
            tail = self.parse_list(self.after_separator(members[-1].end, last)) if members[-1].end < last else []
            out += [m for m in tail if not m.type and m.start >= members[-1].end]
        return [m for m in out if not any(_expands(p, m, self) for p in members if p.end <= m.start)]

    def after_separator(self, k: int, last: int) -> int:
        """The token after the separators and bracketed remarks that follow an item at ``k``."""
        words = self.t.words
        while k < last and words[k] == "(":
            close = next((c for c in range(k, min(k + 12, last)) if words[c] == ")"), None)
            if close is None:
                break
            k = close + 1
        while k < last and words[k] == "-" and k + 1 < last and self.unit_word(k + 1):
            k = self.tail(k + 1)  # "CNR Campania - Istituto per le Scienze Alimentari": the unit of an item
            while k < last and words[k] == "(":
                close = next((c for c in range(k, min(k + 12, last)) if words[c] == ")"), None)
                k = close + 1 if close is not None else last
        if k < last and (words[k] in (",", ";") or self.t.keys[k] in ("e", "ed")):
            return k + 1
        return last

    def list_reaches(self, k: int, target: int) -> bool:
        """Whether only separators, brackets and articles lie between token ``k`` and ``target``."""
        j = self.after_separator(k, target + 1) if k < target else k
        while j < target and (self.t.keys[j] in self.lang.articles or self.t.words[j] in (",", ";")):
            j += 1
        return j == target

    def list_before(self, k: int, first: int) -> list[_Mention]:
        """Untyped names listed right before token ``k`` ("..., Promocamera, l'Azienda speciale ...")."""
        out = []
        while True:
            j = k
            while j > first and self.t.keys[j - 1] in self.lang.articles:
                j -= 1
            if j <= first or self.t.words[j - 1] not in (",", ";") and self.t.keys[j - 1] not in ("e", "ed"):
                break
            end = j - 1
            start = end
            while start > first and (self.cap(start - 1) or (self.t.keys[start - 1] in self.lang.connectors
                                                             and start - 2 >= first and self.cap(start - 2))):
                start -= 1
            if start == end or (start > first and self.t.keys[start - 1] in _NAME_PREPOSITIONS):
                break  # "...del sistema universitario della Libia, e l'Università": a place, not an item
            m = self.org_at(start, untyped=True)
            if m is None or m.end != end or m.type:
                break
            out.append(m)
            k = start
        return out

    def background(self, m: _Mention, first: int) -> bool:
        """Whether the words around a mention make it a place, a venue, an affiliation or a membership."""
        keys, words = self.t.keys, self.t.words
        if m.type in _TERRITORIAL and m.start > first and words[m.start - 1] == "(" and m.start - 2 >= first \
                and (self.cap(m.start - 2) or words[m.start - 2] in ("'", '"', ")") or m.start - 1 in self.ends):
            return True  # "Innolabs srl (Regione Toscana)", "COMUNE DI CANTU' (Provincia di Como)": where it is
        return self.background_before(m.start, first) or self.affiliation(m, first)

    def affiliation(self, m: _Mention, first: int) -> bool:
        """ "Mara Airoldi, Direttore ..., dell'Università di Oxford": the organisation a person speaks for."""
        keys, words = self.t.keys, self.t.words
        k = m.start - 1
        while k >= first and m.start - k <= 16:
            w = words[k]
            if keys[k] in self.lang.first_names and k + 1 < m.start and self.cap(k + 1) \
                    and keys[k + 1] not in self.lang.connectors:
                return True
            if not (self.cap(k) or w in (",", "-") or keys[k] in self.lang.connectors
                    or keys[k] in self.lang.articles or keys[k] in self.lang.titles):
                return False
            k -= 1
        return False

    def role_only_at(self, j: int) -> _Mention | None:
        """A name such as "Commissione europea" right after a role phrase ("finanziato dalla Commissione europea")."""
        while j < self.n and self.t.keys[j] in self.lang.articles:
            j += 1
        for size in (4, 3, 2, 1):
            if j + size <= self.n and self.cap(j) and " ".join(self.t.keys[j:j + size]) in self.lang.role_only:
                return _Mention(j, j + size, self.text(j, j + size), "public body", "named after a role phrase")
        return None

    def following_lines(self, s: int, municipal: bool) -> list[_Mention]:
        """The names listed on the lines after a label that ends its line ("Partner:", "Soggetto attuatore")."""
        items = []
        for first, last in self.t.spans[s + 1:s + 40]:
            found = self.parse_list(first, municipal=municipal)
            if not found:
                break
            items += found
            if found[-1].end < last - 1:
                break
        return items

    def resolve(self, m: _Mention, known: list[_Mention]) -> _Mention:
        """A listed name that is a known organisation's alias or acronym takes its full name."""
        for other in known:
            if other.start <= m.start and m.end <= other.end and other.how.startswith("another name"):
                return _Mention(m.start, m.end, other.name, other.type, other.how, other.city, m.project)
        return m

    def subject(self, first: int, at: int, inside: list[_Mention]) -> _Mention | None:
        """The organisation a phrase like "è capofila" speaks of: the sentence's subject, or the name just before."""
        before = [m for m in inside if m.end <= at]
        if not before:
            return None
        lead = first
        while lead < before[0].start and (self.t.words[lead].isupper() or self.t.words[lead] in ("-", ",", ".")
                                          or self.t.keys[lead] in _ARTICLES):
            lead += 1  # "FIRENZE – La Regione Toscana finanzia": a dateline before the subject
        if before[0].start - lead <= 2:
            return before[0]
        last = before[-1]
        return last if at - last.end <= 3 else None

    def sentence_role(self, first: int, at: int) -> str | None:
        """The role the last role phrase before ``at`` gives, else the role a word of the whole sentence gives to
        the organisations it lists ("progetti ammessi", "Comuni beneficiari": promoter)."""
        role, whole = None, None
        last = self.t.spans[self.t.sentence[first]][1] if first < self.n else first
        for k in range(first, last):
            hit = self.match(self.roles, k)
            if hit:
                if k < at:
                    role = next((r for r, side in hit[1] if side == "after"), role)
                whole = whole or next((r for r, side in hit[1] if side == "sentence"), None)
        return role or whole

    def plural_lists(self, first: int, last: int, taken: set) -> tuple[list[_Mention], set]:
        """The organisations a plural kind lists (``lang/it/plurals.csv``), and the tokens of lists that name
        places instead ("nei territori dei Comuni di A, B")."""
        found, places, k = [], set(), first
        while k < last:
            listed = self.plural_at(k, last) if k not in taken else None
            if not listed:
                k += 1
                continue
            if self.background_before(k, first):
                places.update(t for m in listed for t in range(m.start, m.end))
            else:
                found += listed
            k = listed[-1].end
        return found, places

    def plural_at(self, k: int, last: int) -> list[_Mention] | None:
        """The organisations a plural kind at ``k`` lists, or None."""
        keys, words = self.t.keys, self.t.words
        hit = self.match(self.plurals, k)
        if not hit or (self.cap(k) and self.org_entry(k) and self.org_at(k) is not None):
            return None
        end, (singular, kind, items, capitalised) = hit
        if capitalised and not self.cap(k):
            return None
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
                     marked: bool = False) -> list[_Mention]:
        """The items of a list after a plural kind, each named "singular + item".

        ``marked``: the list follows "di", a colon or a parenthesis, so a name the gazetteer does not know (a
        municipality merged since) is an item too.
        """
        keys, words = self.t.keys, self.t.words
        out = []
        while j < last:
            while j < last and (keys[j] in _ARTICLES or keys[j] in ("e", "ed")):
                j += 1
            if j >= last:
                break
            prep = ""
            if keys[j] in _NAME_PREPOSITIONS and j + 1 < last and self.cap(j + 1):
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
                            and self.t.keys[j] not in self.lang.generic and not self.match(self.plurals, j):
                        end = self.tail(j, limit=4)
                        name = self.text(j, end) if end > j else ""
                elif items == "region":
                    hit = self.match(self.regions, j) if self.cap(j) else None
                    end, name = (hit[0], self.text(j, hit[0])) if hit else (None, "")
                elif self.cap(j):
                    end = self.tail(j, limit=4)
                    name = self.text(j, end) if end > j else ""
                if not end:
                    break
                head = singular if not prep else singular.rsplit(" ", 1)[0] + " " + prep
                head = head if head.endswith("'") else head + " "
                city = name if items == "municipality" else ""
                m = _Mention(j, end, _tidy(head + name), kind, f"item of a list after '{singular.split()[0]}'", city)
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

    def background_before(self, k: int, first: int) -> bool:
        """Whether a background phrase ends right before token ``k``, or before the articles before it."""
        keys = self.t.keys
        ends = [k]
        while k > first and keys[k - 1] in self.lang.articles:
            k -= 1
            ends.append(k)
        return any(e - len(p) >= first and tuple(keys[e - len(p):e]) == p for e in ends for p in self.background_phrases)

    def municipality_list(self, s, first, last, taken, listed):
        out, found = [], []
        start = next((k for k in range(first, last) if self.t.keys[k] == "comuni"), first)
        k = start
        while k < last:
            hit = self.match(self.roles, k)
            if hit and k > start and hit[0] < last and self.t.words[hit[0]] == ":" and self.t.breaks[k] and \
                    not any(self.t.keys[c] == "comuni" for c in range(k, hit[0])):
                break  # the next field ("Partner:")
            after_place_word = k > first and self.t.keys[k - 1] in ("di", "del", "della", "(", "in", "nel")
            city = None if k in taken or after_place_word else self.city_match(k)
            glued = k > first and self.t.starts[k] == self.t.ends[k - 1]
            if city and not (k > first and self.cap(k - 1) and (k - 1) not in taken and not glued
                             and self.t.words[k - 1] not in (",", ":")) and (city[0] >= last or not self.cap(city[0])):
                m = _Mention(k, city[0], f"Comune di {city[1]}", "municipality", "municipality name", city[1])
                if city[0] < last and self.t.keys[city[0]] == "con":
                    self.item_project(m, city[0] + 1)
                found.append(m)
                k = city[0]
            else:
                k += 1
        fresh = [m for m in found if (m.start, m.end) not in listed]
        if len(found) >= 2:
            role = self.sentence_role(first, fresh[0].start) if fresh else None
            for m in fresh:
                out.append((m, "coordinator" if m.project else (role or "partner"),
                            "municipality named in a list of Comuni", s))
        return out

    # -- projects ----------------------------------------------------------------------------------
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
                    name = _tidy(value).strip('" ')
                    if name and key(name) not in self.lang.generic:
                        named.setdefault(s, name)
                        counts[name] = counts.get(name, 0) + 10
                        order.append(name)
                        continue
            for k in range(first, last - 1):
                if keys[k] not in self.lang.project_words:
                    continue
                j = k + 1
                while j < last and keys[j] in _PROJECT_ADJECTIVES and j - k <= 3:
                    j += 1
                if j >= last:
                    continue
                if words[j] == '"':
                    close = next((c for c in range(j + 1, min(j + 25, last)) if words[c] == '"'), None)
                    name = _tidy(self.text(j + 1, close)) if close else ""
                elif self.cap(j) and not self.starts_org(j) and keys[j] not in self.lang.generic:
                    name = _tidy(self.text(j, self.tail(j, limit=6)))
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
                    return _tidy(name)
            if keys[k] in ("programma", "fondo") and k + 1 < self.n and self.cap(k + 1):
                stop = self.tail(k + 1)
                return _tidy(self.text(k + 1, stop))
        return ""

    def title(self) -> str:
        line = self.doc.text.strip().split("\n", 1)[0].strip()
        if 3 <= len(line) <= 120 and not line.endswith("."):
            return _tidy(line.translate(_QUOTES))
        return self.doc.name.rsplit(".", 1)[0]


_INDEXES: dict = {}


def _indexes(code: str) -> tuple:
    """The phrase indexes of a language, built once: type words, role phrases, project fields, municipalities."""
    if code not in _INDEXES:
        lang = load(code)
        regions = {r: r for r in lang.regions}
        regions.update({r.replace("-", " "): r for r in lang.regions})
        _INDEXES[code] = (_index(lang.organisations, lang), _index(_with_articles(lang.roles), lang),
                          _index({f: f for f in lang.project_fields}, lang), _index(lang.municipalities, lang),
                          _index(lang.plurals, lang), _index(regions, lang))
    return _INDEXES[code]


def _index(phrases: dict, lang: Language, tokenized: bool = False) -> dict:
    """Phrases by their first token's key, longest first, for :meth:`_Rules.match`."""
    index: dict = {}
    for phrase, value in phrases.items():
        if tokenized:
            words = tuple(phrase.split(" "))
        else:  # a phrase ending in an elided article ("coordinato dall'") keeps it whole
            words = tuple(key(t) for t, _, _ in tokenize(phrase + " X", lang))[:-1]
        if words:
            index.setdefault(words[0], []).append((words, value))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def _background(code: str) -> tuple:
    """The background phrases of a language as token-key tuples, longest first."""
    lang = load(code)
    phrases = {tuple(key(t) for t, _, _ in tokenize(p, lang)) for p in lang.background}
    return tuple(sorted(phrases, key=len, reverse=True))


_ARTICULATED = {
    "da": ("dal", "dallo", "dalla", "dall'", "dai", "dagli", "dalle"),
    "di": ("del", "dello", "della", "dell'", "dei", "degli", "delle", "d'"),
    "a": ("al", "allo", "alla", "all'", "ai", "agli", "alle", "ad"),
    "con": ("col", "coi"),
    "tra": ("fra",),
    "in": ("nel", "nello", "nella", "nell'", "nei", "negli", "nelle"),
}


def _with_articles(phrases: dict) -> dict:
    """Role phrases also with the article joined to their last preposition ("finanziato da" -> "finanziato dalla")."""
    out = dict(phrases)
    for phrase, value in phrases.items():
        head, _, last = phrase.rpartition(" ")
        for variant in _ARTICULATED.get(last, ()) if head else ():
            out.setdefault(f"{head} {variant}", value)
    return out


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


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(word) <= 12 and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)


def _expands(previous: _Mention, m: _Mention, rules: _Rules) -> bool:
    """Whether ``m`` spells out the last word of ``previous`` ("ReTer" -> "Reti e Territorio")."""
    short = key(previous.name.split()[-1])
    words = [key(w) for w in m.name.split() if key(w) not in rules.lang.connectors]
    if len(words) < 2 or len(short) < len(words):
        return False

    def fits(rest: str, ws: list) -> bool:
        if not ws:
            return not rest
        return any(rest.startswith(ws[0][:n]) and fits(rest[n:], ws[1:]) for n in range(1, len(ws[0]) + 1))

    return fits(short, words)


def _tidy(name: str) -> str:
    """A name as written, its quotes, stray punctuation and runs of spaces removed."""
    name = name.replace('"', " ")
    name = " ".join(name.split())
    return name.strip(" ,;:-")


def find_candidates(doc: Document, lang: str | Language = "it") -> list[Candidate]:
    """The organisations a document gives a role, one per (project, organisation), strongest role first kept.

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
    rules = _Rules(doc, lang)
    found = rules.run()
    if not found:
        return []
    named, main = rules.projects()
    programme = rules.programme()
    fallback = main or rules.title()
    best: dict = {}
    for m, role, rule, s in found:
        project = m.project or named.get(s) or fallback
        if key(m.name) == key(project):
            continue
        pair = (key(project), key(m.name))
        if pair not in best or ROLE_STRENGTH[role] > ROLE_STRENGTH[best[pair][1]]:
            best[pair] = (m, role, rule, s, project)
    out = []
    for m, role, rule, s, project in sorted(best.values(), key=lambda v: rules.t.starts[v[0].start]):
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
