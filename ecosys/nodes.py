"""The node table: one row per node, partners first, with its metrics, community and attributes.

Maps, exports and notebook views all draw from a :class:`NodeTable`: the
table itself (``node``, ``name``, ``kind``, ``community``, the metric
columns, then the attribute columns as text, blank ``""``: pandas
categories where their values repeat, to hold a small code a node), the
participations, the incidence matrix and the partner projection, as arrays
in the order of :attr:`ecosys.graph.Bipartite.nodes`. It also knows which
attributes are categories (for colouring and filtering), each project's
start year, and how to find a node by name. No networkx graph is built.

Example
-------
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.nodes import node_table
>>> nodes = node_table(analyze(demo_path()))
>>> nodes.n, nodes.n_partners, nodes.table.columns[:4].tolist()
(56, 36, ['node', 'name', 'kind', 'community'])
>>> nodes.categorical["type"], nodes.categorical["role"]
('partner', 'participation')
>>> i = nodes.find("formez")
>>> nodes.table["name"][i], int(nodes.degree[i]), int(nodes.years[nodes.n_partners])
('Formez', 16, 2016)
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pandas.api.types import union_categoricals

from .communities import Partition
from .graph import PARTNER, PROJECT, Bipartite, as_network, bipartite_adjacency, project
from .read.numbers import number_format

if TYPE_CHECKING:  # networkx is imported where a networkx graph is made (ecosys.graph)
    import networkx as nx

__all__ = ["CATEGORY_VALUES", "NodeTable", "node_table", "graph_node_table", "search_key", "match_tier"]

CATEGORY_VALUES = 300  # an attribute with more distinct values than this is not offered as a category
_NOT_METRICS = {"node", "name", "kind", "community", "bipartite", "id", "label"}
# Attribute columns that name a node another way (a short name, an acronym): --ego searches them too.
LABEL_COLUMNS = frozenset({
    "shortname", "short", "acronym", "abbreviation", "alias", "aliases", "alternativename", "othername", "legalname",
    "name", "title", "organisationname", "organizationname", "partnername", "projectacronym", "projecttitle",
    "projectname", "sigla", "acronimo", "nomebreve", "denominazione",
})
_START_NAMES = ("start_year", "start", "start_date", "year", "date", "start date", "anno", "inizio")


@dataclass(frozen=True)
class NodeTable:
    """One row per node, partners first, and the graph as arrays.

    ``table`` has one row per node in ``keys`` order (``node``, ``name``,
    ``kind``, ``community``, metric columns, attribute columns);
    ``metrics`` and ``attributes`` name those columns; ``edges`` are the
    participations (int ``partner``, ``project``, then their attributes);
    ``B`` is the partners x projects incidence matrix; ``W`` the symmetric
    partner projection's counts of projects shared (the projection's own
    arrays, read-only, 32-bit integers: take ``.astype(float)`` of the part
    you need, not of the whole, 12 bytes a pair).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> nodes = analyze(demo_path()).node_table
    >>> nodes.n, nodes.metrics[:3], nodes.B.shape
    (56, ('degree', 'degree_centrality', 'projection_degree'), (36, 20))
    """

    name: str
    keys: list
    n_partners: int
    table: pd.DataFrame
    metrics: tuple
    attributes: tuple
    edges: pd.DataFrame
    B: sp.csr_matrix
    W: sp.csr_matrix
    project_years: np.ndarray | None = None  # each project's start year (0: none), from ecosys.dates
    project_end_years: np.ndarray | None = None  # each project's end year (0: none), from ecosys.dates

    @property
    def n(self) -> int:
        """How many nodes there are."""
        return len(self.keys)

    @property
    def communities(self) -> np.ndarray:
        """Each node's community."""
        return self.table["community"].to_numpy()

    @cached_property
    def degree(self) -> np.ndarray:
        """Each node's degree on the whole bipartite graph."""
        return np.concatenate([np.diff(self.B.indptr), np.bincount(self.B.indices, minlength=self.B.shape[1])])

    @cached_property
    def adjacency(self) -> sp.csr_matrix:
        """The bipartite graph's adjacency matrix over the rows of the table (see
        :func:`ecosys.graph.bipartite_adjacency`)."""
        return bipartite_adjacency(self.B)

    @cached_property
    def categorical(self) -> dict:
        """The attributes offered as categories, with the side they describe (``partner``, ``project``,
        ``node`` or ``participation``): at most ``CATEGORY_VALUES`` distinct values in the whole
        dataset, one of them shared by two rows or more, not numbers."""
        out = {}
        n = self.n_partners  # the table's rows: partners, then projects
        for c in self.attributes:
            values = self.table[c].to_numpy(dtype=object)
            filled = values != ""
            if _few_values(values[filled]):
                sides = [kind for kind, rows in ((PARTNER, filled[:n]), (PROJECT, filled[n:])) if rows.any()]
                out[c] = sides[0] if len(sides) == 1 else "node"
        for c in self.edges.columns:
            if c not in (PARTNER, PROJECT):
                values = self.edges[c].to_numpy(dtype=object)
                if _few_values(values[values != ""]):
                    out[c] = "participation"
        return out

    @cached_property
    def years(self) -> np.ndarray | None:
        """Each project's start year (0: none; partners 0), from a start date or year attribute; None if none."""
        if self.project_years is not None:
            found = np.asarray(self.project_years, dtype=np.int64)
            return np.concatenate([np.zeros(self.n_partners, dtype=np.int64), found]) if found.any() else None
        column = self._year_column()
        if column is None:
            return None
        values = self.table[column].iloc[self.n_partners:].astype(str).str.slice(0, 4)
        years = pd.to_numeric(values.where(values.str.fullmatch(r"\d{4}"), None), errors="coerce").fillna(0)
        return np.concatenate([np.zeros(self.n_partners, dtype=np.int64), years.to_numpy(dtype=np.int64)])

    @cached_property
    def end_years(self) -> np.ndarray | None:
        """Each project's last year (its start year without an end; 0: none; partners 0); None without years."""
        starts = self.years
        if starts is None:
            return None
        if self.project_end_years is None:
            return starts
        ends = np.concatenate([np.zeros(self.n_partners, dtype=np.int64),
                               np.asarray(self.project_end_years, dtype=np.int64)])
        return np.where((starts > 0) & (ends >= starts), ends, starts)

    def find(self, name: str) -> int:
        """The row of the node named ``name``: exactly, else case-insensitively (a partner first), else by key.

        Raises ``KeyError`` when no node has that name.
        """
        names = self.table["name"].astype(str)
        for test in (names == name, names.str.casefold() == name.casefold(), self.table["node"] == name):
            hits = np.flatnonzero(test.to_numpy())
            if len(hits):
                return int(hits[0])
        raise KeyError(name)

    @cached_property
    def label_columns(self) -> tuple:
        """The attribute columns that name a node another way (short name, acronym: :data:`LABEL_COLUMNS`,
        spelt in any case, with any spaces or punctuation).

        >>> from ecosys.pipeline import analyze, demo_path
        >>> analyze(demo_path()).node_table.label_columns
        ()
        """
        return tuple(c for c in self.attributes if re.sub(r"[^0-9a-z]", "", c.casefold()) in LABEL_COLUMNS)

    def labels(self) -> list[list[str]]:
        """Each node's texts that name it: its name, then its values in :attr:`label_columns` (blank ones left out).

        >>> from ecosys.pipeline import analyze, demo_path
        >>> analyze(demo_path()).node_table.labels()[0]
        ['Associazione ReTer (Reti e Territorio)']
        """
        out = [[name] for name in self.table["name"].astype(str).tolist()]
        for c in self.label_columns:
            for k, v in enumerate(self.table[c].astype(str).tolist()):
                if v.strip() and v not in out[k]:
                    out[k].append(v)
        return out

    def search(self, query: str, weight: str = "pagerank") -> np.ndarray:
        """The rows of the nodes whose name matches ``query``, best first, as the map's search ranks them.

        Every text that names a node counts (its name and its values in
        :attr:`label_columns`: a short name, an acronym), the best match of
        them ranking the node. Case and accents aside (:func:`search_key`):
        the same text (the very text typed first), then texts starting with
        the query, then texts with a word starting with it, then texts
        containing it; ties by ``weight`` (a metric column, highest first),
        then by row. A node's id (the key without ``partner:`` or
        ``project:``, or the whole key) matches only whole, as the same text.

        >>> from ecosys.pipeline import analyze, demo_path
        >>> nodes = analyze(demo_path()).node_table
        >>> nodes.table["name"][nodes.search("comune di t")].tolist()
        ['Comune di Torino', 'Comune di Trapani']
        """
        q = search_key(query)
        if not q:
            return np.zeros(0, dtype=np.int64)
        typed = str(query).strip()
        weights = (pd.to_numeric(self.table[weight], errors="coerce").fillna(0).to_numpy(dtype=float)
                   if weight in self.table.columns else np.zeros(self.n))
        found = []
        for k, (texts, key) in enumerate(zip(self.labels(), self.table["node"].astype(str).tolist())):
            best = None
            for text in texts:
                tier = match_tier(search_key(text), q)
                if tier >= 0 and (best is None or (tier, text != typed) < best):
                    best = (tier, text != typed)
            if typed in (key, key.partition(":")[2]):
                best = (0, False)
            if best is not None:
                found.append((best[0], int(best[1]), -weights[k], k))
        return np.asarray([k for *_, k in sorted(found)], dtype=np.int64)

    def suggest(self, query: str, most: int = 5) -> list[str]:
        """Up to ``most`` names close to ``query`` (for "did you mean"), closest first: a name, or a short name
        or acronym in :attr:`label_columns`, brings its node's name.

        >>> from ecosys.pipeline import analyze, demo_path
        >>> analyze(demo_path()).node_table.suggest("Comune di Torrino")[:1]
        ['Comune di Torino']
        """
        keys = {}
        for texts in self.labels():
            for text in texts:
                keys.setdefault(search_key(text), texts[0])
        close = difflib.get_close_matches(search_key(query), list(keys), n=most, cutoff=0.6)
        return list(dict.fromkeys(keys[k] for k in close))

    def participations_among(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The participations between the rows ``nodes`` (sorted indices), as drawn on a map.

        Returns the rows of :attr:`edges` and both ends as positions in
        ``nodes`` (partner end first), sorted by partner end then project end.
        Only the participations of the partners among ``nodes`` are looked at
        when :attr:`edges` are sorted by partner (as :mod:`ecosys.graph` makes them).

        >>> from ecosys.pipeline import analyze, demo_path
        >>> nodes = analyze(demo_path()).node_table
        >>> drawn = np.flatnonzero(nodes.communities == 2)
        >>> rows, a, b = nodes.participations_among(drawn)
        >>> len(rows), nodes.keys[drawn[a[0]]], nodes.keys[drawn[b[0]]]
        (7, 'partner:Associazione ReTer (Reti e Territorio)', 'project:Impacting Rome')
        """
        nodes = np.asarray(nodes, dtype=np.int64)
        e_p, e_j = self._edge_ends
        starts = self._partner_starts
        if starts is None:  # participations in another order: each one looked at
            position = np.full(self.n, -1, dtype=np.int64)
            position[nodes] = np.arange(len(nodes))
            inside = (position[e_p] >= 0) & (position[e_j] >= 0) if len(e_p) else np.zeros(0, dtype=bool)
            rows = np.flatnonzero(inside)
            a, b = position[e_p[rows]], position[e_j[rows]]
        else:  # the participations of the partners drawn, one run of rows each
            partners = nodes[: np.searchsorted(nodes, self.n_partners)]
            first, count = starts[partners], starts[partners + 1] - starts[partners]
            a = np.repeat(np.arange(len(partners)), count)
            rows = np.arange(len(a)) + np.repeat(first - (np.cumsum(count) - count), count)
            ends = e_j[rows]
            b = np.minimum(np.searchsorted(nodes, ends), max(len(nodes) - 1, 0))
            inside = nodes[b] == ends if len(nodes) else np.zeros(0, dtype=bool)
            rows, a, b = rows[inside], a[inside], b[inside]
        order = np.lexsort((b, a))
        return rows[order], a[order], b[order]

    @cached_property
    def _edge_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Each participation's partner row and project row in the table."""
        return (self.edges[PARTNER].to_numpy(dtype=np.int64),
                self.edges[PROJECT].to_numpy(dtype=np.int64) + self.n_partners)

    @cached_property
    def _partner_starts(self) -> np.ndarray | None:
        """Where each partner's participations start in :attr:`edges` (and where the last ends), when they are
        sorted by partner then project; None otherwise."""
        e_p, e_j = self._edge_ends
        if len(e_p) > 1 and not bool(np.all((e_p[1:] > e_p[:-1]) | ((e_p[1:] == e_p[:-1]) & (e_j[1:] >= e_j[:-1])))):
            return None
        return np.concatenate([[0], np.cumsum(np.bincount(e_p, minlength=self.n_partners))]).astype(np.int64)

    def _year_column(self) -> str | None:
        """The project attribute holding a start date or year, if any."""
        projects = self.table.iloc[self.n_partners:]
        by_name = {c.casefold(): c for c in self.attributes}
        for name in _START_NAMES:
            c = by_name.get(name)
            if c is None:
                continue
            values = projects[c]
            filled = values[values != ""]
            if len(filled) and filled.head(1000).str.match(r"^(1[89]|2[01])\d\d(\D|$)").mean() > 0.9:
                return c
        return None


def node_table(analysis) -> NodeTable:
    """The :class:`NodeTable` of an :class:`ecosys.pipeline.Analysis` (no networkx graph is built).

    When communities were run several times (``--runs``), each node's
    ``stability`` is one more metric and ``unstable`` (yes / no) one more
    attribute, so a map can size, filter and colour by them.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> nodes = node_table(analyze(demo_path(), runs=2))
    >>> "stability" in nodes.metrics, "unstable" in nodes.attributes
    (True, True)
    """
    metrics, extra = analysis.metrics, {}
    if analysis.stability is not None:
        metrics = metrics.assign(stability=analysis.stability.stability)
        extra["unstable"] = np.where(analysis.stability.unstable, "yes", "no")
    table = _table(analysis.network, analysis.projection.shared, metrics, analysis.partition.membership, extra,
                   analysis.node_communities)
    dates = analysis.dates
    if dates.start_column is None:
        return table
    ids = analysis.network.projects["node"].astype(str).str.slice(len(PROJECT) + 1).to_numpy(dtype=object)
    starts, ends = dates.for_keys(ids).years()
    return dataclasses.replace(table, project_years=starts, project_end_years=ends)


def graph_node_table(graph: Bipartite | nx.Graph, metrics: pd.DataFrame, partition: Partition) -> NodeTable:
    """The :class:`NodeTable` of a bare graph, its metrics table and a partition (no Analysis).

    >>> from ecosys.graph import graph_from_edges
    >>> from ecosys.metrics import node_metrics
    >>> from ecosys.communities import detect_communities
    >>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2")])
    >>> nodes = graph_node_table(G, node_metrics(G), detect_communities(G))
    >>> nodes.keys, nodes.W.toarray().tolist()
    (['partner:A', 'partner:B', 'project:P1', 'project:P2'], [[0, 1], [1, 0]])
    """
    net = as_network(graph)
    return _table(net, project(net, PARTNER).shared, metrics, partition.membership)


def _table(net: Bipartite, shared: sp.csr_matrix, metrics: pd.DataFrame, membership: dict,
           extra: dict | None = None, communities: np.ndarray | None = None) -> NodeTable:
    """The node table from the arrays: ``metrics`` rows (and ``extra`` attribute columns) in network order;
    ``communities``, each row of ``metrics``'s community when already found (else from ``membership``)."""
    table = metrics.reset_index(drop=True)  # columns added below, never written into: no copy of the metrics
    table.attrs = {}  # the metrics' estimation plan, which pandas would copy deeply with every slice of the table
    if table["node"].tolist() != net.nodes:
        table = table.set_index("node").reindex(net.nodes).reset_index()
        communities = None  # in another order
    table.insert(3, "community", table["node"].map(membership).to_numpy() if communities is None else communities)
    metric_columns = tuple(
        c for c in metrics.columns if c not in _NOT_METRICS and pd.api.types.is_numeric_dtype(metrics[c])
    )
    parts: dict = {}  # each attribute column: the partners' values (None: blank), then the projects'
    for kind, side in ((PARTNER, net.partners), (PROJECT, net.projects)):
        for c in net.attributes(kind):
            name = c if c not in metrics.columns and c not in ("community",) else f"{c} (input)"
            parts.setdefault(name, [None, None])[kind != PARTNER] = side[c]
    sizes = (net.n_partners, len(net.projects))
    for name, values in parts.items():
        table[name] = _attribute_column(values, sizes)
    attributes = list(parts)
    for name, values in (extra or {}).items():
        table[name] = values
        attributes.append(name)
    edges = net.edges.reset_index(drop=True)
    return NodeTable(
        net.name, net.nodes, net.n_partners, table, metric_columns, tuple(attributes), edges,
        net.B.tocsr(), _read_only(shared),  # no float copy of every pair: 1.9 GB at ten million rows
    )


def _attribute_column(parts: list, sizes: tuple[int, int]):
    """An attribute over every node: the partners' values, then the projects' (``""`` for a side without it), as
    categories when each side holds categories of texts (:func:`ecosys.read.cells.as_categories`: a code a node,
    not a pointer), else as texts.

    >>> country = pd.Series(pd.Categorical(["IT", "FR", "IT"]))
    >>> column = _attribute_column([country, None], (3, 2))
    >>> column.tolist(), column.categories.tolist(), _attribute_column([None, pd.Series(["x", "y"])], (3, 2)).tolist()
    (['IT', 'FR', 'IT', '', ''], ['', 'FR', 'IT'], ['', '', '', 'x', 'y'])
    """
    arrays = [None if v is None else v.array for v in parts]
    if all(a is None or isinstance(a, pd.Categorical) and
           pd.api.types.infer_dtype(a.categories, skipna=False) in ("string", "empty") for a in arrays):
        blank = [""]
        return union_categoricals([  # categories of Python texts on both sides (pandas may make others)
            pd.Categorical.from_codes(a.codes, dtype=pd.CategoricalDtype(pd.Index(a.categories, dtype=object)),
                                      validate=False) if a is not None else
            pd.Categorical.from_codes(np.zeros(n, np.int8), dtype=pd.CategoricalDtype(pd.Index(blank, dtype=object)))
            for a, n in zip(arrays, sizes)], sort_categories=True)
    column = np.full(sum(sizes), "", dtype=object)
    for values, rows in zip(parts, (slice(0, sizes[0]), slice(sizes[0], None))):
        if values is not None:
            column[rows] = values.astype(str).to_numpy()
    return column


def _read_only(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` over read-only views of its arrays: no copy, and a write into it (the projection's own) fails."""
    arrays = []
    for a in (matrix.data, matrix.indices, matrix.indptr):
        view = a.view()
        view.flags.writeable = False
        arrays.append(view)
    return sp.csr_matrix(tuple(arrays), shape=matrix.shape, copy=False)


def _few_values(values: np.ndarray) -> bool:
    """At most ``CATEGORY_VALUES`` distinct values, one of them twice or more (hashing, not sorting), and
    not numbers (:func:`ecosys.read.numbers.number_format`: counts, amounts, years are no categories)."""
    if not len(values):
        return False
    if len(pd.unique(values[: 64 * CATEGORY_VALUES])) > CATEGORY_VALUES:
        return False  # too many already among the first cells: no need to hash the whole column
    uniques = pd.unique(values)
    return len(uniques) <= CATEGORY_VALUES and len(uniques) < len(values) and number_format(uniques) is None


def search_key(text) -> str:
    """Text as searches compare it: accents dropped, lower case, spaces collapsed (map-core.js ``searchKey``).

    >>> search_key("  Università   di Pisa ")
    'universita di pisa'
    """
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if not ("\u0300" <= ch <= "\u036f"))
    return re.sub(r"\s+", " ", bare.lower()).strip()


def _word_char(ch: str) -> bool:
    """map-core.js's ``/[0-9a-z\u00df-\uffff]/`` on one character (as a pattern, 10 ms to compile at import)."""
    return "0" <= ch <= "9" or "a" <= ch <= "z" or "\u00df" <= ch <= "\uffff"


def match_tier(key: str, query: str) -> int:
    """How a name matches a query (both :func:`search_key`'d): 0 the same, 1 starts with it, 2 a word
    starts with it, 3 contains it, -1 not at all (map-core.js ``matchTier``).

    >>> [match_tier(k, "torino") for k in ("torino", "torino nord", "citta di torino", "politorino", "roma")]
    [0, 1, 2, 3, -1]
    """
    if key == query:
        return 0
    at = key.find(query)
    if at < 0:
        return -1
    if at == 0:
        return 1
    while at > 0:
        if not _word_char(key[at - 1]):
            return 2
        at = key.find(query, at + 1)
    return 3
