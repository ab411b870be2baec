"""The phrase lists, type words and gazetteer of a language, read from data files.

Everything the rules know about a language is in ``ecosys/extract/lang/<code>/``:
plain text and CSV files a user can read, extend, or copy to add a language
(``lang/it/DATA.md`` says what each file holds and where the municipalities come
from). Nothing here is code: :func:`load` reads the files once and gives the
rules one :class:`Language` value.

Example
-------
>>> it = load("it")
>>> it.roles["coordinato da"]
(('coordinator', 'after'),)
>>> it.organisations["fondazione"]
(('foundation', 'prefix', True, False, True, False, False),)
>>> it.municipalities[key("Cesano Maderno")]
'Cesano Maderno'
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

from ..errors import EcosysError

__all__ = ["Language", "available", "key", "load", "spelled_out"]

_ACCENT_APOSTROPHE = re.compile(r"(?<=[a-z]{2}[aeiou])'(?!\w)")
ROLES = ("coordinator", "partner", "funder", "promoter", "implementing body", "other")


@functools.lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """The form phrases are compared in: case folded, accents removed, apostrophes and spaces made plain.

    >>> key("Università  degli Studi dell’Aquila")
    "universita degli studi dell'aquila"
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _ACCENT_APOSTROPHE.sub("", text)  # "universita'" (an accent typed as an apostrophe) is "universita"
    return " ".join(text.split())


@dataclass(frozen=True)
class Language:
    """What the rules know about one language (see the module docstring)."""

    code: str
    organisations: dict  # key(words) -> (type, position, needs_name, commas, lower, capitals, described)
    roles: dict  # key(phrase) -> tuple of (role, side)
    lead_roles: dict  # key(phrase) -> the role it gives instead when the document names a lead ("beneficiari")
    fillers: frozenset  # words that may stand inside a role phrase ("sostenuto anche da")
    role_frames: frozenset  # words before a role noun that make it say what the name before is ("in qualità di")
    references: dict  # key(bare kind) -> type: "la Regione", "l'Ateneo" name the one organisation of that type
    call_words: frozenset  # words for a call for proposals ("bando"): who promotes a call funds it
    speech: frozenset  # words that make a sentence someone's speech ("ha dichiarato")
    signing: frozenset  # words that make a sentence about signing ("firmato dal presidente della Provincia di X")
    areas: frozenset  # nouns for an area ("area interessata") and verbs for what it covers ("comprende")
    covers: frozenset
    connectors: frozenset
    articles: frozenset
    titles: frozenset
    first_names: frozenset
    generic: frozenset
    project_words: frozenset
    project_fields: frozenset
    project_ends: frozenset
    programmes: frozenset
    places: frozenset
    background: frozenset  # phrases before an organisation that make it background, not a participant
    role_only: frozenset  # names that are partners only when a role phrase names them ("Commissione europea")
    subunits: frozenset  # words that start a unit of a larger organisation ("Dipartimento")
    parties: frozenset  # words after the name of a party to an agreement ("con sede in")
    person_after: frozenset  # words right after a name that make it a person ("nato a")
    groups: frozenset  # plural nouns for groups of organisations ("associazioni", "partner")
    plurals: dict  # key(plural kind) -> (singular name start, type, items: municipality, region or name, capitalised)
    stopwords: frozenset
    numbers: frozenset  # number words: a type word after one is a plural ("quattro Irccs")
    municipalities: dict  # key(name) -> official name
    provinces: dict  # key(municipality) -> province code
    regions: frozenset  # key(region name)
    abbreviations: dict = field(default_factory=dict)  # key(abbreviated type word) -> it in full ("ass.")


def available() -> list[str]:
    """The languages with data files.

    >>> "it" in available()
    True
    """
    root = resources.files("ecosys.extract") / "lang"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "roles.csv").is_file())


def _lines(folder, name: str) -> list[str]:
    path = folder / name
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _rows(folder, name: str) -> list[dict]:
    lines = _lines(folder, name)
    return list(csv.DictReader(lines)) if lines else []


@functools.lru_cache(maxsize=None)
def load(code: str = "it") -> Language:
    """Read the data files of language ``code`` (cached)."""
    if code not in available():
        raise EcosysError(f"--lang {code}: no rules for this language (available: {', '.join(available())}); "
                          f"add a folder ecosys/extract/lang/{code}/ like lang/it/ to teach it one")
    folder = resources.files("ecosys.extract") / "lang" / code
    organisations: dict[str, list] = {}
    for row in _rows(folder, "organisations.csv"):
        entry = (row["type"], row["position"], row["needs_name"] == "yes", row.get("commas") == "yes",
                 row.get("lower") == "yes", row.get("capitals") == "yes", row.get("described") == "yes")
        organisations.setdefault(key(row["words"]), []).append(entry)
    roles: dict[str, list] = {}
    lead_roles: dict[str, str] = {}
    for row in _rows(folder, "roles.csv"):
        for role in (row["role"], row.get("with_lead") or row["role"]):
            if role not in ROLES:
                raise EcosysError(f"lang/{code}/roles.csv: role {role!r} of {row['phrase']!r} is not one of "
                                  f"{', '.join(ROLES)}")
        roles.setdefault(key(row["phrase"]), []).append((row["role"], row["side"]))
        if row.get("with_lead"):
            lead_roles[key(row["phrase"])] = row["with_lead"]
    projects = _rows(folder, "projects.txt")
    municipalities, provinces, regions = {}, {}, set()
    for row in _rows(folder, "comuni.csv"):
        for name in (row["name"], row["other_name"]):
            if name:
                municipalities.setdefault(key(name), row["name"])
                provinces.setdefault(key(name), row["province_code"])
        for region in row["region"].split("/"):
            regions.add(key(region))
    words = functools.partial(_lines, folder)
    return Language(
        code=code,
        organisations={k: tuple(v) for k, v in organisations.items()},
        roles={k: tuple(v) for k, v in roles.items()},
        lead_roles=lead_roles,
        fillers=frozenset(key(w) for w in words("fillers.txt")),
        role_frames=frozenset(key(w) for w in words("role_frames.txt")),
        references={key(r["words"]): r["type"] for r in _rows(folder, "references.csv")},
        call_words=frozenset(key(r["words"]) for r in projects if r["kind"] == "call"),
        speech=frozenset(key(w) for w in words("speech.txt")),
        signing=frozenset(key(w) for w in words("signing.txt")),
        areas=frozenset(key(r["words"]) for r in _rows(folder, "territory.csv") if r["kind"] == "area"),
        covers=frozenset(key(r["words"]) for r in _rows(folder, "territory.csv") if r["kind"] == "covers"),
        connectors=frozenset(key(w) for w in words("connectors.txt")),
        articles=frozenset(key(w) for w in words("articles.txt")),
        titles=frozenset(key(w) for w in words("titles.txt")),
        first_names=frozenset(key(w) for w in words("first_names.txt")),
        generic=frozenset(key(w) for w in words("generic.txt")),
        project_words=frozenset(key(r["words"]) for r in projects if r["kind"] == "word"),
        project_fields=frozenset(key(r["words"]) for r in projects if r["kind"] == "field"),
        project_ends=frozenset(key(r["words"]) for r in projects if r["kind"] == "end"),
        programmes=frozenset(key(w) for w in words("programmes.txt")),
        places=frozenset(key(w) for w in words("places.txt")),
        background=frozenset(key(w) for w in words("background.txt")),
        role_only=frozenset(key(w) for w in words("role_only.txt")),
        subunits=frozenset(key(w) for w in words("subunits.txt")),
        groups=frozenset(key(w) for w in words("groups.txt")),
        person_after=frozenset(key(w) for w in words("person_after.txt")),
        parties=frozenset(key(w) for w in words("parties.txt")),
        plurals={key(r["plural"]): (r["singular"], r["type"], r["items"], r.get("capitalised") == "yes")
                 for r in _rows(folder, "plurals.csv")},
        stopwords=frozenset(key(w) for w in words("stopwords.txt")),
        numbers=frozenset(key(w) for w in words("numbers.txt")),
        municipalities=municipalities,
        provinces=provinces,
        regions=frozenset(regions),
        abbreviations={key(r["abbreviation"]): r["full"] for r in _rows(folder, "abbreviations.csv")},
    )


@functools.lru_cache(maxsize=None)
def other_languages() -> dict:
    """Frequent function words of languages ecosys does not read, to name a text's language (word -> language)."""
    folder = resources.files("ecosys.extract") / "lang"
    return {row["word"]: row["language"] for row in _rows(folder, "languages.csv")}


def spelled_out(name: str, lang: Language) -> str:
    """``name`` with an abbreviated type word at its start written in full (``abbreviations.csv``).

    >>> spelled_out("Coop. Soc. Mignanego", load("it"))
    'Cooperativa sociale Mignanego'
    >>> spelled_out("Associazione La Stanza", load("it"))
    'Associazione La Stanza'
    """
    words = name.split()
    for n in (2, 1):
        head = key(" ".join(words[:n]))
        if len(words) > n and head in lang.abbreviations:
            return " ".join([lang.abbreviations[head], *words[n:]])
    return name
