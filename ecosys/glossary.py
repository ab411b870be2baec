"""What the metrics are called and what they mean, in plain words: the text maps, reports and exports show.

The words live in the language files (``ecosys/lang/<code>/metrics.json``,
read by :mod:`ecosys.i18n`): one entry per metric column with its ``name``
(the technical name researchers know: "Betweenness", "Centralità di
intermediazione"), ``about`` (one sentence a coordinator understands: "who
acts as a bridge between groups that would otherwise not talk to each other")
and ``how`` (how it is computed, with its reference). This module is the one
door the output side goes through to them. A column without an entry (an
input attribute) gets a label made from its name and no meaning.

Example
-------
>>> from ecosys.glossary import metric_label, metric_meaning
>>> metric_label("pagerank"), metric_label("amount_eur")
('PageRank', 'Amount eur')
>>> metric_meaning("degree")
'how many projects a partner takes part in (for a project: how many partners it has)'
>>> metric_label("betweenness", "it"), metric_meaning("betweenness", "it")
('Centralità di intermediazione', 'chi fa da ponte tra gruppi che altrimenti non si parlerebbero')
>>> metric_definition("core")
'the largest k such that the node belongs to a subgraph where every node has at least k links'
>>> metric_meaning("amount_eur")
''
"""

from __future__ import annotations

from .i18n import DEFAULT_LANGUAGE, language

__all__ = ["METRIC_LABELS", "METRIC_MEANINGS", "metric_definition", "metric_label", "metric_meaning"]

_ENGLISH = language(DEFAULT_LANGUAGE).area("metrics")
METRIC_LABELS = {column: entry["name"] for column, entry in _ENGLISH.items()}
"""Each metric column's name in English (``{"pagerank": "PageRank", ...}``)."""
METRIC_MEANINGS = {column: entry["about"] for column, entry in _ENGLISH.items()}
"""What each metric column means in English, lower case, no final stop."""


def metric_label(column: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The name a page shows for a metric column: its entry in the language files, else the column
    name in words.

    >>> metric_label("core"), metric_label("brokerage_liaison"), metric_label("amount_eur")
    ('k-core', 'Brokerage: liaison', 'Amount eur')
    """
    entry = language(lang).area("metrics").get(column)
    return entry["name"] if entry else column.replace("_", " ").capitalize()


def metric_meaning(column: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What a metric means in plain words (lower case, no final stop), or ``""`` if it has no entry.

    >>> metric_meaning("closeness")
    'how few steps a partner needs to reach everyone else it is connected to'
    """
    entry = language(lang).area("metrics").get(column)
    return entry["about"] if entry else ""


def metric_definition(column: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """How a metric is computed, for researchers (lower case, no final stop), or ``""`` if it has no entry.

    >>> metric_definition("pagerank", "it")
    'PageRank sul grafo partner-progetti, fattore di smorzamento 0,85'
    """
    entry = language(lang).area("metrics").get(column)
    return entry["how"] if entry else ""
