"""A document cut into tokens and sentences, and the token tests every rule uses.

The first layer of the rules (see :mod:`ecosys.extract.rules` for the whole):
:func:`tokenize` cuts a text into words with their character offsets (elided
articles stand alone: "dell'", "l'"), :func:`segment` groups them into sentences
(a blank line, a short line, a bullet or a full stop before a capital), and
:class:`Scanner` holds one document so cut with the phrase indexes of its
language, and answers the questions every later rule asks about a token: is it
capitalised, are two tokens in one sentence, which phrase of an index starts
here, which municipality is named here. :class:`Mention` is an organisation
found in the text, as the rules pass it along.

The helpers shared by the rule modules are here and public: the word classes
(:data:`ARTICLES`, :data:`NAME_PREPOSITIONS`, :data:`BULLETS`,
:data:`TERRITORIAL`...), :func:`tidy`, :func:`is_acronym` and
:func:`phrase_index`.

Example
-------
>>> from ecosys.extract.documents import text_document
>>> s = Scanner(text_document("Il Comune di Prato. Partner: Alfa."), load("it"))
>>> [s.text(a, b) for a, b in s.t.spans]
['Il Comune di Prato.', 'Partner: Alfa.']
>>> s.city_match(3)
(4, 'Prato')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import Document
from .resources import Language, key, load

__all__ = ["ARTICLES", "BULLETS", "NAME_PREPOSITIONS", "NUMBER", "QUOTES", "TERRITORIAL", "Mention", "Scanner",
           "Text", "indexes", "is_acronym", "phrase_index", "segment", "tidy", "tokenize"]

_TOKEN = re.compile(r"\w+(?:[-@&.]\w+)*(?:'(?=\w)|'(?= [A-Z])|(?<=\w\w[aeiouAEIOU])'(?![\w']))?\+*|[^\w\s]")
_ACCENTED = re.compile(r".*\w\w[aeiouAEIOU]'$")
_GLUED = re.compile(r"^(.*[a-z0-9@])([A-Z][a-zàèéìòù]{3,})$")  # "Flor@workLecce": a city glued to a word
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\t": " ", "\u2022": "-"})
# Shared by the rule modules: quotes and dashes made plain; words that start a list item; articles; numbers that may
# end a name ("Upskill 4.0"); the prepositions that join a type word to a name; the kinds that are also places.
BULLETS = {"-", "*", "·", "o", "•"}
_ABBREVIATIONS = {"soc", "coop", "prof", "dott", "ing", "avv", "arch", "sig", "sen", "on", "mons", "cav", "dr",
                  "st", "ss", "ecc", "art", "n", "nr", "tel", "fax", "pag", "vol", "cfr", "es", "geom", "rag"}
ARTICLES = {"il", "lo", "la", "l'", "i", "gli", "le"}
NUMBER = re.compile(r"\d+(?:\.\d)?")
NAME_PREPOSITIONS = {"di", "del", "dello", "della", "dell'", "dei", "degli", "delle", "d'"}
TERRITORIAL = {"municipality", "region", "public body"}


@dataclass
class Mention:
    """An organisation found in the text: its tokens, its name and type, and how it was found (``how``)."""

    start: int  # token indices, end exclusive
    end: int
    name: str
    type: str
    how: str
    city: str = ""
    project: str = ""
    acronym: str = ""
    role: str = ""  # a role its place in a list gives it ("promossa da A con B": B is a partner)


@dataclass
class Text:
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
    plain = text.translate(QUOTES)
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


def segment(text: str, lang: Language) -> Text:
    """A text cut into tokens (:func:`tokenize`) and sentences: a sentence ends at a blank line, at the end of a
    short line or of one ending in a stop, before a bullet, and at a full stop followed by a capital (but not after
    an abbreviation such as "soc." or an initial).

    >>> t = segment("Partner:\\n- Comune di Prato\\nIl prof. Rossi parla. Poi.", load("it"))
    >>> [" ".join(t.words[a:b]) for a, b in t.spans]
    ['Partner :', '- Comune di Prato', 'Il prof . Rossi parla .', 'Poi .']
    """
    tokens = tokenize(text, lang)
    plain = text.translate(QUOTES)
    words = [t[0] for t in tokens]
    starts = [t[1] for t in tokens]
    ends = [t[2] for t in tokens]
    keys = [key(w) for w in words]
    abbreviations = _ABBREVIATIONS | _type_abbreviations(lang)
    sentence, spans, breaks = [], [], []
    first = 0
    for i in range(len(tokens)):
        gap = plain[ends[i - 1]:starts[i]] if i else ""
        newlines = gap.count("\n")
        breaks.append(newlines)
        if i and _boundary(i, gap, newlines, words, keys, plain, starts, ends, abbreviations):
            spans.append((first, i))
            first = i
        sentence.append(len(spans))
    if tokens:
        spans.append((first, len(tokens)))
    return Text(plain, words, keys, starts, ends, sentence, spans, breaks)


def _type_abbreviations(lang: Language) -> frozenset:
    """The abbreviated words of the language's type words and legal forms ("ass." in "Ass. Fermenti lattici",
    "coop." in "Coop. Soc. Mignanego"): their full stop ends no sentence."""
    return frozenset(w[:-1] for phrase in lang.organisations for w in phrase.split()
                     if w.endswith(".") and "." not in w[:-1] and len(w) > 2)


def _boundary(i, gap, newlines, words, keys, plain, starts, ends, abbreviations=_ABBREVIATIONS) -> bool:
    """Whether a sentence starts at token ``i``."""
    if newlines >= 2:
        return True
    prev = words[i - 1]
    if newlines == 1:
        line_start = plain.rfind("\n", 0, starts[i - 1]) + 1
        line = plain[line_start:ends[i - 1]]
        return prev in ".:;!?" or len(line) < 60 or words[i] in BULLETS or words[i][:1].isdigit()
    if prev in "!?" and gap:
        return True
    if prev != "." or not gap or i < 2:
        return False
    before, nxt = words[i - 2], words[i]
    if keys[i - 2] in abbreviations or (len(before) == 1 and before.isupper()) or "." in before:
        return False
    return nxt[:1].isupper() or nxt[:1].isdigit() or nxt in ('"', "-", "(")


class Scanner:
    """One document cut into tokens, with its language's phrase indexes and the token tests of every rule.

    Attributes: ``doc`` and ``lang``; ``t`` (a :class:`Text`) and ``n`` (its number of tokens); the phrase
    indexes ``orgs`` (type words), ``roles``, ``project_fields``, ``cities``, ``plurals``, ``regions`` and
    ``references_index`` (see
    :func:`indexes`); ``municipal_text`` (the text speaks of Comuni); and what the rules fill in as they go:
    ``item_sentences`` (sentences whose projects belong to the items of a list), ``ends`` (where known mentions
    end), ``phrases`` (role phrases), ``references`` ("la Regione"), ``has_lead`` and ``call_results``.
    """

    def __init__(self, doc: Document, lang: Language):
        self.doc, self.lang = doc, lang
        self.t = segment(doc.text, lang)
        self.n = len(self.t.words)
        (self.orgs, self.roles, self.project_fields, self.cities, self.plurals, self.regions,
         self.references_index) = indexes(lang.code)
        self.municipal_text = any(k in ("comuni", "comune") for k in self.t.keys)
        self.item_sentences: set = set()
        self.ends: set = set()
        self.phrases: dict = {}  # the role phrases of the document, by first token (see roles.Roles.run)
        self.sentence_phrases: dict = {}  # the first tokens of each sentence's role phrases
        self.references: dict = {}  # bare kinds that name an organisation ("la Regione"), by first token
        self.has_lead = self.call_results = False  # the document names a coordinator; it gives a call's results
        self.taken: set = set()  # the tokens of the organisations' names

    def cap(self, i: int) -> bool:
        """Whether token ``i`` is written as a name: a capital, a digit then letters ("4Science"), "hOLD"."""
        w = self.t.words[i]
        if w[:1].isdigit() and key(w.lstrip("0123456789.,")) in self.lang.numbers:
            return False  # "10mila": a quantity
        return w[:1].isupper() or (w[:1].isdigit() and any(c.isalpha() for c in w)) or (
            len(w) > 1 and w[0].islower() and any(c.isupper() for c in w[1:]))

    def same_sentence(self, i: int, j: int) -> bool:
        """Whether tokens ``i`` and ``j`` exist and are in one sentence."""
        return 0 <= i < self.n and 0 <= j < self.n and self.t.sentence[i] == self.t.sentence[j]

    def match(self, index: dict, i: int):
        """The longest phrase of ``index`` starting at token ``i``: (end, value) or None."""
        for phrase, value in index.get(self.t.keys[i], ()):
            end = i + len(phrase)
            if end <= self.n and tuple(self.t.keys[i:end]) == phrase and self.same_sentence(i, end - 1):
                return end, value
        return None

    def text(self, i: int, j: int) -> str:
        """The document's text from token ``i`` to token ``j`` (exclusive), as written."""
        return self.t.text[self.t.starts[i]:self.t.ends[j - 1]] if j > i else ""

    def city_match(self, i: int):
        """The municipality (ISTAT list) named from token ``i``: (end, official name) or None."""
        if i >= self.n or not self.cap(i):
            return None
        return self.match(self.cities, i)

    def unit_word(self, i: int) -> bool:
        """Whether token ``i`` starts the unit of a larger organisation ("Dipartimento", ``subunits.txt``)."""
        keys = self.t.keys
        return keys[i] in self.lang.subunits or (i + 1 < self.n and f"{keys[i]} {keys[i + 1]}" in self.lang.subunits)


_INDEXES: dict = {}


def indexes(code: str) -> tuple:
    """The phrase indexes of a language, built once: type words, role phrases (with their articulated forms),
    project fields, municipalities, plural kinds, regions and bare kinds (see :func:`phrase_index`).

    >>> orgs, roles, fields, cities, plurals, regions, references = indexes("it")
    >>> ("finanziato", "dalla") in [words for words, _ in roles["finanziato"]]
    True
    """
    if code not in _INDEXES:
        lang = load(code)
        regions = {r: r for r in lang.regions}
        regions.update({r.replace("-", " "): r for r in lang.regions})
        _INDEXES[code] = (phrase_index(lang.organisations, lang), phrase_index(_with_articles(lang.roles), lang),
                          phrase_index({f: f for f in lang.project_fields}, lang), phrase_index(lang.municipalities, lang),
                          phrase_index(lang.plurals, lang), phrase_index(regions, lang),
                          phrase_index(lang.references, lang))
    return _INDEXES[code]


def phrase_index(phrases: dict, lang: Language, tokenized: bool = False) -> dict:
    """Phrases by their first token's key, longest first, for :meth:`Scanner.match` (``tokenized``: the phrases
    are token keys joined by spaces already).

    >>> phrase_index({"Comune di": "municipality", "Comune": "x"}, load("it"))["comune"]
    [(('comune', 'di'), 'municipality'), (('comune',), 'x')]
    """
    index: dict = {}
    for phrase, value in phrases.items():
        if tokenized:
            words = tuple(phrase.split(" "))
        else:  # a phrase ending in an elided article ("coordinato dall'") keeps it whole, as does "de'" inside one
            # ("cappella de' picenardi": read as the text writes it, "Cappella de' Picenardi")
            written = re.sub(r"' (\w)", lambda m: "' " + m.group(1).upper(), phrase)
            words = tuple(key(t) for t, _, _ in tokenize(written + " X", lang))[:-1]
        if words:
            index.setdefault(words[0], []).append((words, value))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


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


def is_acronym(word: str) -> bool:
    """Whether a word is written as an acronym: 2 to 12 characters, mostly capitals.

    >>> is_acronym("FPI"), is_acronym("UniMol"), is_acronym("Prato")
    (True, False, False)
    """
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(word) <= 12 and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)


def tidy(name: str) -> str:
    """A name as written, its quotes, stray punctuation and runs of spaces removed.

    >>> tidy(' "Orti  Urbani", ')
    'Orti Urbani'
    """
    name = name.replace('"', " ")
    name = " ".join(name.split())
    return name.strip(" ,;:-")
