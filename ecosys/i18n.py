"""Languages: the words a person reads in a map, report or workbook, and numbers and dates as they are written.

Every string ecosys shows to a person comes from JSON files, one folder per
language: ``ecosys/lang/<code>/<area>.json`` (``language.json`` holds the
language's name, locale, decimal and thousands separators and date pattern;
the other files hold the strings of one area: ``metrics``, ``map``,
``report``...). A third language is a new folder of the same files, not code.
English (``en``) is the reference: every other language has the same keys,
which the tests check.

Numbers and dates are formatted here, not with the machine's locale, so the
same input gives the same bytes everywhere: Italian writes 12.326 and 0,727,
and dates as 12/03/2021.

Example
-------
>>> from ecosys.i18n import language
>>> it = language("it")
>>> it.text("metrics.betweenness.name")
'Centralità di intermediazione'
>>> it.number(12326), it.number(0.72712, ".3f"), it.date("2021-03-12")
('12.326', '0,727', '12/03/2021')
>>> en = language("en")
>>> en.number(12326), en.number(0.72712, ".3f"), en.date("2021-03-12")
('12,326', '0.727', '2021-03-12')
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Language", "language"]

DEFAULT_LANGUAGE = "en"


def _folder():
    return files("ecosys").joinpath("lang")


def _codes() -> tuple[str, ...]:
    found = sorted(p.name for p in _folder().iterdir() if p.is_dir() and p.joinpath("language.json").is_file())
    return tuple(sorted(found, key=lambda c: (c != DEFAULT_LANGUAGE, c)))


LANGUAGES: tuple[str, ...] = _codes()
"""The codes of the languages ecosys speaks, English first: ``('en', 'it')``."""


@dataclass(frozen=True)
class Language:
    """One language: its strings by area, and how it writes numbers and dates.

    >>> language("en").text("metrics.degree.name")
    'Degree'
    """

    code: str
    name: str
    locale: str
    decimal: str
    thousands: str
    date_pattern: str
    strings: dict = field(repr=False)

    def text(self, key: str, **values) -> str:
        """The string at ``key`` (``area.name[.sub]``), with ``{placeholders}`` filled from ``values``.

        A key this language lacks falls back to English (the tests require
        every language to have every key, so this only guards a user's own
        unfinished language folder); a key English lacks is a ``KeyError``.

        >>> language("it").text("metrics.degree.about")[:30]
        'a quanti progetti partecipa un'
        """
        found = _lookup(self.strings, key)
        if found is None and self.code != DEFAULT_LANGUAGE:
            found = _lookup(language(DEFAULT_LANGUAGE).strings, key)
        if found is None:
            raise KeyError(f"no string {key!r} in language {self.code!r}")
        return found.format(**values) if values else found

    def area(self, name: str) -> dict:
        """Every string of one area (a JSON file), English filling any gaps: what a page's script receives.

        >>> language("it").area("metrics")["closeness"]["name"]
        'Centralità di vicinanza'
        """
        base = language(DEFAULT_LANGUAGE).strings.get(name, {}) if self.code != DEFAULT_LANGUAGE else {}
        return _merge(base, self.strings.get(name, {}))

    def number(self, value, spec: str = ",d") -> str:
        """``value`` formatted with a Python format ``spec``, with this language's separators.

        The spec is written the English way (``,`` groups thousands, ``.``
        sets the decimals): ``",d"``, ``".3f"``, ``",.1f"``, ``".4g"``.

        >>> language("it").number(1234567.891, ",.2f"), language("en").number(0.5, ".0%")
        ('1.234.567,89', '50%')
        """
        if spec == ",d":
            value = int(round(value))
        text = format(value, spec)
        if self.decimal == "." and self.thousands == ",":
            return text
        return text.translate({ord(","): self.thousands, ord("."): self.decimal})

    def percent(self, share: float, places: int = 0) -> str:
        """A share (0.62) as a percentage (``62%``; Italian ``62%`` too, ``62,5%`` with a decimal).

        >>> language("it").percent(0.625, 1)
        '62,5%'
        """
        return self.number(100 * share, f".{places}f") + "%"

    def date(self, value) -> str:
        """A date (``datetime.date`` or ISO text ``2021-03-12``) as this language writes it.

        Text that is not an ISO date is returned as it is.

        >>> language("it").date(datetime.date(2021, 3, 12)), language("it").date("2021")
        ('12/03/2021', '2021')
        """
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value[:10])
            except ValueError:
                return value
        return self.date_pattern.format(year=value.year, month=value.month, day=value.day)


def _lookup(strings: dict, key: str):
    node = strings
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


@lru_cache(maxsize=None)
def language(code: str = DEFAULT_LANGUAGE) -> Language:
    """The :class:`Language` of ``code`` (``en``, ``it``...); ``ValueError`` naming the languages otherwise.

    >>> language("xx")
    Traceback (most recent call last):
    ...
    ValueError: no language 'xx': ecosys speaks en (English), it (Italiano)
    """
    if code not in LANGUAGES:
        spoken = ", ".join(f"{c} ({_read(c, 'language')['name']})" for c in LANGUAGES)
        raise ValueError(f"no language {code!r}: ecosys speaks {spoken}")
    meta = _read(code, "language")
    folder = _folder().joinpath(code)
    strings = {p.name[:-5]: _read(code, p.name[:-5]) for p in folder.iterdir()
               if p.name.endswith(".json") and p.name != "language.json"}
    return Language(code, meta["name"], meta["locale"], meta["decimal"], meta["thousands"], meta["date"], strings)


def _read(code: str, area: str) -> dict:
    return json.loads(_folder().joinpath(code, f"{area}.json").read_text(encoding="utf-8"))
