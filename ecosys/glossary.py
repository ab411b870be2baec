"""What the metrics are called and what they mean, in plain words: the text maps and reports show.

The words are data, in two dictionaries keyed by metric column, so that
every page takes them from one place (and a translation can replace them
whole). A column without an entry gets a label made from its name and no
meaning.

Example
-------
>>> from ecosys.glossary import metric_label, metric_meaning
>>> metric_label("pagerank"), metric_label("amount_eur")
('PageRank', 'Amount eur')
>>> metric_meaning("degree")
'how many projects a partner takes part in (for a project: how many partners it has)'
>>> metric_meaning("amount_eur")
''
"""

from __future__ import annotations

__all__ = ["METRIC_LABELS", "METRIC_MEANINGS", "metric_label", "metric_meaning"]

METRIC_LABELS = {
    "degree": "Degree",
    "degree_centrality": "Degree centrality",
    "projection_degree": "Projection degree",
    "weighted_degree": "Weighted degree",
    "betweenness": "Betweenness",
    "closeness": "Closeness",
    "pagerank": "PageRank",
    "core": "k-core",
    "clustering": "Two-mode clustering",
    "redundancy": "Redundancy",
    "weighted_clustering": "Weighted clustering",
    "constraint": "Constraint",
    "effective_size": "Effective size",
}
METRIC_MEANINGS = {
    "degree": "how many projects a partner takes part in (for a project: how many partners it has)",
    "degree_centrality": "the share of all projects a partner takes part in (1 = every project)",
    "projection_degree": "how many different organisations a partner has worked with",
    "weighted_degree": "how many partnerships a partner has, counting each shared project once",
    "betweenness": "how often a partner lies on the shortest path between two others: the brokers "
                   "who connect groups that would otherwise be far apart",
    "closeness": "how few steps a partner needs to reach everyone else it is connected to",
    "pagerank": "how central a partner is, counting links to central partners and projects more",
    "core": "the depth of the densest group it belongs to: in a k-core every member has at least k links",
    "clustering": "how much the partners' partners share with it: the overlap of its projects with theirs "
                  "(Latapy et al. 2008)",
    "redundancy": "the share of pairs of its projects that meet again through another partner (Latapy et al. 2008)",
    "weighted_clustering": "how tied to each other its co-partners are, weighted by shared projects (Onnela et al. 2005)",
    "constraint": "how much its partnerships are locked in one tight group (Burt 1992): low = it spans "
                  "structural holes",
    "effective_size": "how many non-redundant co-partners it has (Burt 1992): co-partners not tied to each other",
}


def metric_label(column: str) -> str:
    """The name a page shows for a metric column: its label, else the column name in words.

    >>> metric_label("core"), metric_label("stability")
    ('k-core', 'Stability')
    """
    return METRIC_LABELS.get(column, column.replace("_", " ").capitalize())


def metric_meaning(column: str) -> str:
    """What a metric means in plain words (lower case, no final stop), or ``""`` if it has no entry.

    >>> metric_meaning("closeness")
    'how few steps a partner needs to reach everyone else it is connected to'
    """
    return METRIC_MEANINGS.get(column, "")
