"""What the data says about each partner name, for a person deciding which names to merge.

:func:`name_facts` gives every partner name its rows, its country, the
registry ids it carries (a PIC as partner key, a VAT number...) and a few of
its projects (:class:`NameFacts`); :func:`fact_columns` says which columns
those come from. ``ecosys validate`` shows them beside each suggested group,
and :func:`ecosys.names.similar_groups` never groups names of two countries
or two registry ids.

Example
-------
>>> import io
>>> from ecosys.read import read_participations
>>> p = read_participations(io.BytesIO(b"pic,project_id,legal_name,country\\n1,P1,ACME,IT\\n2,P2,Acme,IT\\n"))
>>> sorted((name, f.country, f.id) for name, f in name_facts(p).items())
[('ACME', 'IT', '1'), ('Acme', 'IT', '2')]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .read import Participations
from .read.cells import MISSING, clean_names
from .read.columns import normal_header

__all__ = ["COUNTRY_COLUMNS", "EXAMPLE_PROJECTS", "REGISTRY_COLUMNS", "NameFacts", "fact_columns", "name_facts"]

EXAMPLE_PROJECTS = 3  # projects shown beside each name of a group
# Headers of the column giving a partner's country (compared as normal_header words), best first.
COUNTRY_COLUMNS = ("country code", "country iso", "iso country", "country", "nation", "paese", "nazione", "stato")
# Headers of a column of registry ids (a VAT number, a PIC): two partners with two such ids are two partners.
REGISTRY_COLUMNS = ("partita iva", "p iva", "codice fiscale", "tax id", "tax code", "tax number",
                    "registration number", "company number", "legal entity vat")
_REGISTRY_WORDS = frozenset({"pic", "vat", "piva", "siren", "siret", "kvk"})
_HASH = re.compile(r"^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$", re.IGNORECASE)  # an id made from a name
_COUNTRY_CODE = re.compile(r"^([A-Za-z]{2})(?:$|[\s/(,-])")


@dataclass(frozen=True)
class NameFacts:
    """What the data says about a partner name: its rows, countries, registry ids and example projects.

    ``apart`` holds what tells organisations apart (``{"country": {"it"},
    "pic": {"999984059"}}``: :func:`similar_groups` never groups two values
    of one tag); ``countries`` and ``ids`` are those values as written.

    >>> NameFacts(3, ("IT",), ("999984059",)).country
    'IT'
    """

    rows: int
    countries: tuple = ()
    ids: tuple = ()
    projects: tuple = ()
    apart: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def country(self) -> str:
        """The countries, joined by ``/`` (blank for none)."""
        return "/".join(self.countries)

    @property
    def id(self) -> str:
        """The registry ids, joined by ``/`` (blank for none)."""
        return "/".join(self.ids)

    def as_dict(self, name: str) -> dict:
        """JSON-ready, as the ``validate`` report lists a name."""
        return {"name": name, "rows": self.rows, "country": self.country, "id": self.id,
                "projects": list(self.projects)}


def name_facts(p: Participations) -> dict[str, NameFacts]:
    """Each compared partner name (the display name, else the key; white space collapsed) with its
    :class:`NameFacts`.

    The country comes from the partner or participation attribute named like
    one of :data:`COUNTRY_COLUMNS` (a code first: ``IT Italy`` is ``IT``);
    the registry ids from the partner keys when they are ids (a PIC; not a
    32-hex hash of a name, as old CORDIS tables give partners without a PIC,
    nor a key holding the name, as keep.eu's ``Comune di Genova (IT)``)
    and from an attribute named like one of :data:`REGISTRY_COLUMNS` (a VAT
    number). Example projects: the first :data:`EXAMPLE_PROJECTS` of each name.

    >>> import io
    >>> from ecosys.read import read_participations
    >>> p = read_participations(io.BytesIO(b"pic,project_id,legal_name,country\\n1,P1,ACME,IT\\n2,P2,Acme,IT Italy\\n"))
    >>> name_facts(p)["Acme"]
    NameFacts(rows=1, countries=('IT',), ids=('2',), projects=('P2',))
    """
    table = p.table
    names = clean_names(table[p.partner_label] if p.partner_label else table["partner"]).to_numpy(dtype=object)
    keep = names != ""
    names = names[keep]
    country, id_columns = fact_columns(p)
    tags = []  # (tag, each row's value as compared, as shown)
    if country is not None:
        found = [_country(v) for v in table[country].to_numpy(dtype=object)[keep]]
        tags.append(("country", [k for k, _ in found], [d for _, d in found]))
    for column in id_columns:
        if column == p.partner_column and p.partner_label is not None:  # the keys: ids, unless made from the name
            keys = table["partner"].to_numpy(dtype=object)[keep]
            ids = [k if not _HASH.match(k) and n not in k else "" for k, n in zip(keys, names)]
        else:
            ids = [" ".join(str(v).split()) for v in table[column].to_numpy(dtype=object)[keep]]
        tags.append((column, ids, ids))
    projects = table[p.project_label or "project"].to_numpy(dtype=object)[keep]
    rows, examples = Counter(names.tolist()), {}
    for name, project in zip(names, projects):
        shown = examples.setdefault(name, [])
        if project != "" and len(shown) < EXAMPLE_PROJECTS and project not in shown:
            shown.append(project)
    values = {}  # tag -> name -> {value as compared: as first shown}
    for tag, compared, shown in tags:
        per_name = values[tag] = {}
        for name, value, display in zip(names, compared, shown):
            if value.lower() not in MISSING:
                per_name.setdefault(name, {}).setdefault(value, display)
    out = {}
    for name, count in rows.items():
        apart = {tag: frozenset(values[tag][name]) for tag, *_ in tags if name in values[tag]}
        shown = {tag: tuple(values[tag][name].values()) for tag, *_ in tags if name in values[tag]}
        ids = tuple(i for tag, *_ in tags if tag != "country" for i in shown.get(tag, ()))
        out[name] = NameFacts(count, shown.get("country", ()), ids, tuple(examples[name]), apart)
    return out


def fact_columns(p: Participations) -> tuple[str | None, list[str]]:
    """The column giving the partners' country (or None), and those giving registry ids (the partner key
    column first, when the keys are ids), as :func:`name_facts` finds them.

    >>> import io
    >>> from ecosys.read import read_participations
    >>> fact_columns(read_participations(io.BytesIO(b"pic,project_id,legal_name,Country,VAT\\n1,P1,ACME,IT,IT1\\n")))
    ('Country', ['pic', 'VAT'])
    """
    columns = [*p.partner_attributes, *p.edge_attributes]
    normal = {c: normal_header(c) for c in columns}
    country = next((c for w in COUNTRY_COLUMNS for c in columns if normal[c] == w), None)
    ids = [p.partner_column] if p.partner_label is not None and not _keys_hold_names(p) else []
    ids += [c for c in columns if c != p.partner_label and c not in ids and _is_registry(c)]
    return country, ids


def _keys_hold_names(p: Participations) -> bool:
    """True when the partner keys are made of the names (keep.eu: ``Comune di Genova (IT)``), not ids."""
    head = p.table.head(1000)
    labels = clean_names(head[p.partner_label]).to_numpy(dtype=object)
    return bool(len(head)) and all(n in k for k, n in zip(head["partner"].to_numpy(dtype=object), labels) if n)


def _is_registry(column: str) -> bool:
    words = normal_header(column)
    return words in REGISTRY_COLUMNS or not _REGISTRY_WORDS.isdisjoint(words.split())


def _country(value: str) -> tuple[str, str]:
    """A country cell as compared (``it``) and as shown (``IT``): a leading two-letter code when there is one.

    >>> _country("IT Italy / ITALIA"), _country("Italy"), _country("")
    (('it', 'IT'), ('italy', 'Italy'), ('', ''))
    """
    text = " ".join(str(value).split())
    code = _COUNTRY_CODE.match(text)
    if code:
        return code[1].lower(), code[1].upper()
    return text.casefold(), text


