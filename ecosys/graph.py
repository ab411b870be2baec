"""Build the partner-project bipartite graph and its one-mode projections.

The graph is held as arrays (:class:`Bipartite`): a table of partners, a
table of projects, a table of participations and the sparse incidence
matrix, which is what the metrics, communities and maps compute on. A
networkx graph is one call away (:meth:`Bipartite.to_networkx`) for
notebooks and exports.

Node keys are namespaced, ``"partner:ACME"`` and ``"project:ACME"``, so a
partner and a project with the same text never merge. In networkx each node
carries ``kind`` (``"partner"`` or ``"project"``), ``bipartite`` (0 for
partners, 1 for projects, as networkx.bipartite expects), ``name`` and its
attributes. Sides come from the input columns; they are never guessed.

This module is longer than most (about 650 lines) because a projection
carries its size guard: :func:`estimate_pairs`, ``max_project_size`` and
``max_pairs`` must run in :func:`project`, before the product they guard;
and the same product by blocks of projects (:func:`project_blocks`,
:func:`projection_by_blocks`), for tables one machine cannot multiply at
once, must stay equal to it.

Example
-------
>>> from ecosys.graph import graph_from_edges, project
>>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2"), ("A", "P2")])
>>> sorted(G["partner:B"])
['project:P1', 'project:P2']
>>> P = project(G, "partner")
>>> P.edges().values.tolist()
[['partner:A', 'partner:B', 2, 2.0], ['partner:A', 'partner:C', 1, 1.0], ['partner:B', 'partner:C', 1, 1.0]]
>>> round(float(project(G, weighting="jaccard").weight[0, 1]), 3)  # A and B: 2 shared of 2 projects each
1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import EcosysError
from .limits import page_text
from .read import Participations
from .read.cells import as_categories, sorted_codes
from .read.majority import node_values

if TYPE_CHECKING:  # imported by the functions that make a networkx graph: the analysis itself needs none
    import networkx as nx

__all__ = [
    "sorted_codes",
    "MAX_PAIRS",
    "PARTNER",
    "PROJECT",
    "WEIGHTINGS",
    "Bipartite",
    "Projection",
    "as_network",
    "bipartite_adjacency",
    "build_graph",
    "build_network",
    "components",
    "estimate_pairs",
    "graph_from_edges",
    "incidence",
    "node_key",
    "project",
    "project_blocks",
    "projection_by_blocks",
    "sides",
]

PARTNER = "partner"
PROJECT = "project"
_RESERVED = ("node", "name", "kind")


def node_key(kind: str, name: str) -> str:
    """The graph key of a node: its kind and name, ``"partner:ACME"``.

    >>> node_key("partner", "ACME"), node_key("project", "ACME")
    ('partner:ACME', 'project:ACME')
    """
    return f"{kind}:{name}"


@dataclass(frozen=True, eq=False)
class Bipartite:
    """The partner-project graph as tables and a sparse incidence matrix.

    ``partners`` and ``projects`` have one row per node, row ``i`` being
    node ``i`` of that side, sorted by key: columns ``node`` (the key,
    ``"partner:ACME"``), ``name`` (what people read: the label column when
    the input has one, else the key) and the node attributes as text (blank
    ``""``). ``edges`` has one row per participation: ``partner`` and
    ``project`` (row numbers in those tables) and the participation
    attributes, sorted by partner then project. ``numbers`` maps the
    attribute columns whose cells are numbers to how they are written (an
    :class:`ecosys.read.numbers.NumberFormat`; empty when not read from a
    table: then numbers are recognised where needed).

    >>> net = as_network(graph_from_edges([("A", "P1"), ("B", "P1")]))
    >>> net.partners["node"].tolist(), net.B.toarray().tolist()
    (['partner:A', 'partner:B'], [[1], [1]])
    """

    name: str
    partners: pd.DataFrame
    projects: pd.DataFrame
    edges: pd.DataFrame
    numbers: dict = field(default_factory=dict)

    @property
    def n_partners(self) -> int:
        return len(self.partners)

    @property
    def n_projects(self) -> int:
        return len(self.projects)

    @cached_property
    def nodes(self) -> list[str]:
        """Every node key, partners first, then projects (the order of the metrics table)."""
        return self.partners["node"].tolist() + self.projects["node"].tolist()

    @cached_property
    def B(self) -> sp.csr_matrix:
        """The partners x projects 0/1 incidence matrix."""
        ones = np.ones(len(self.edges), dtype=np.int64)
        rows, cols = self.edges["partner"].to_numpy(), self.edges["project"].to_numpy()
        return sp.csr_matrix((ones, (rows, cols)), shape=(self.n_partners, self.n_projects))

    def attributes(self, kind: str) -> list[str]:
        """The attribute columns of partners (or projects)."""
        return [c for c in self.side(kind).columns if c not in _RESERVED]

    def edge_attributes(self) -> list[str]:
        """The participation attribute columns (such as a role)."""
        return [c for c in self.edges.columns if c not in (PARTNER, PROJECT)]

    def side(self, kind: str) -> pd.DataFrame:
        """``partners`` or ``projects``."""
        return self.partners if kind == PARTNER else self.projects

    def to_networkx(self) -> nx.Graph:
        """The same graph in networkx, blank attributes left out."""
        import networkx as nx

        G = nx.Graph(name=self.name)
        for kind, table in ((PARTNER, self.partners), (PROJECT, self.projects)):
            columns = ["name", *self.attributes(kind)]
            for key, *values in table[["node", *columns]].itertuples(index=False, name=None):
                data = {c: v for c, v in zip(columns, values) if v != ""}
                G.add_node(key, kind=kind, bipartite=int(kind == PROJECT), **data)
        partners, projects = self.partners["node"].to_numpy(), self.projects["node"].to_numpy()
        columns = self.edge_attributes()
        for i, j, *values in self.edges[[PARTNER, PROJECT, *columns]].itertuples(index=False, name=None):
            G.add_edge(partners[i], projects[j], **{c: v for c, v in zip(columns, values) if v != ""})
        return G

    @classmethod
    def from_networkx(cls, G: nx.Graph) -> Bipartite:
        """The arrays of a networkx bipartite graph whose nodes have a ``kind`` (see :func:`sides`)."""
        partners, projects = sides(G)
        tables = []
        for kind, keys in ((PARTNER, partners), (PROJECT, projects)):
            columns = sorted({a for n in keys for a in G.nodes[n]} - {"kind", "bipartite", "name", "node"})
            table = pd.DataFrame({"node": keys, "name": [str(G.nodes[n].get("name", n)) for n in keys]})
            for c in columns:
                table[c] = [str(G.nodes[n].get(c, "")) for n in keys]
            tables.append(table)
        index = {n: i for i, n in enumerate(partners)}
        index.update({n: j for j, n in enumerate(projects)})
        pairs = [(u, v) if G.nodes[u]["kind"] == PARTNER else (v, u) for u, v in G.edges()]
        columns = sorted({a for _, _, d in G.edges(data=True) for a in d} - {PARTNER, PROJECT})
        edges = pd.DataFrame({
            PARTNER: np.array([index[u] for u, _ in pairs], dtype=np.int64),
            PROJECT: np.array([index[v] for _, v in pairs], dtype=np.int64),
            **{c: [str(G.edges[u, v].get(c, "")) for u, v in pairs] for c in columns},
        })
        edges = edges.sort_values([PARTNER, PROJECT], kind="stable").reset_index(drop=True)
        return cls(G.graph.get("name", ""), tables[0], tables[1], edges)


def build_network(participations: Participations) -> Bipartite:
    """The bipartite graph of a participation table, as arrays.

    Partners and projects are sorted by key, so the same table gives the
    same graph whatever its row order. A node's attribute is its most
    frequent value in the table, case and spacing aside (ties: the first met;
    :func:`ecosys.read.majority.node_values`), held as categories when the
    values repeat (:func:`ecosys.read.cells.as_categories`). When the reader
    found a label column (``partner_label``, ``project_label``), it gives the
    node ``name``.

    >>> from ecosys.pipeline import demo_path
    >>> from ecosys.read import read_participations
    >>> net = build_network(read_participations(demo_path()))
    >>> net.n_partners, net.n_projects, len(net.edges)
    (36, 20, 52)
    """
    t = participations.table
    coded = participations.codes_of  # reading's codes: no text hashed again
    codes, tables = {}, {}
    for kind, attributes in (
        (PARTNER, participations.partner_attributes),
        (PROJECT, participations.project_attributes),
    ):
        code, keys = participations.sorted_codes_of(kind)
        codes[kind] = code
        names = keys.astype(str)
        table = pd.DataFrame({"node": f"{node_key(kind, '')}" + names.to_numpy(dtype=object), "name": names})
        label = getattr(participations, f"{kind}_label", None)
        for column in attributes:  # each node's most frequent value (ecosys.read.majority.node_values)
            spelling = "node" if column == label else "column"  # a name keeps its own spelling
            factorized = coded(column)  # when there are codes, no texts to read
            values = node_values(code, len(keys), t[column].to_numpy(dtype=object) if factorized is None else None,
                                 spelling, factorized=factorized)
            table[f"{column} (input)" if column in _RESERVED else column] = as_categories(values)
        if label:
            column = f"{label} (input)" if label in _RESERVED else label
            table["name"] = np.where(table[column] != "", table[column], table["name"])
        tables[kind] = table
    edges = pd.DataFrame({PARTNER: codes[PARTNER].astype(np.int64), PROJECT: codes[PROJECT].astype(np.int64)})
    for column in participations.edge_attributes:  # categories stay categories
        edges[column] = t[column].array
    # by partner, then project: one sort of one integer a row
    order = np.argsort(edges[PARTNER].to_numpy() * max(len(tables[PROJECT]), 1) + edges[PROJECT].to_numpy(),
                       kind="stable")
    edges = edges.take(order).reset_index(drop=True)
    node_attributes = {*participations.partner_attributes, *participations.project_attributes}
    numbers = {f"{c} (input)" if c in _RESERVED and c in node_attributes else c: fmt
               for c, fmt in getattr(participations, "numbers", {}).items()}
    return Bipartite(participations.name, tables[PARTNER], tables[PROJECT], edges, numbers)


def build_graph(participations: Participations) -> nx.Graph:
    """The bipartite graph of a participation table, in networkx (see :func:`build_network`).

    >>> from ecosys.pipeline import demo_path
    >>> from ecosys.read import read_participations
    >>> G = build_graph(read_participations(demo_path()))
    >>> G.number_of_nodes(), G.nodes["partner:Formez"]["kind"], G.degree("partner:Formez")
    (56, 'partner', 16)
    """
    return build_network(participations).to_networkx()


def as_network(graph: Bipartite | nx.Graph) -> Bipartite:
    """``graph`` as a :class:`Bipartite` (converted if it is a networkx graph).

    >>> net = as_network(graph_from_edges([("A", "P1")]))
    >>> net.nodes, as_network(net) is net
    (['partner:A', 'project:P1'], True)
    """
    return graph if isinstance(graph, Bipartite) else Bipartite.from_networkx(graph)


def graph_from_edges(pairs: Iterable[tuple[str, str]], name: str = "") -> nx.Graph:
    """A bipartite graph from ``(partner, project)`` name pairs (handy in notebooks and tests).

    >>> G = graph_from_edges([("A", "P1"), ("B", "P1")])
    >>> sorted(G), G.nodes["partner:A"]
    (['partner:A', 'partner:B', 'project:P1'], {'kind': 'partner', 'bipartite': 0, 'name': 'A'})
    """
    import networkx as nx

    pairs = sorted(set(pairs))
    G = nx.Graph(name=name)
    for kind, names in ((PARTNER, {a for a, _ in pairs}), (PROJECT, {b for _, b in pairs})):
        for n in sorted(names):
            G.add_node(node_key(kind, n), kind=kind, bipartite=int(kind == PROJECT), name=n)
    G.add_edges_from((node_key(PARTNER, a), node_key(PROJECT, b)) for a, b in pairs)
    return G


def sides(G: nx.Graph) -> tuple[list, list]:
    """The partner and project nodes of ``G``, in graph order, read from their ``kind``.

    >>> sides(graph_from_edges([("A", "P1"), ("B", "P1")]))
    (['partner:A', 'partner:B'], ['project:P1'])
    """
    partners = [n for n, k in G.nodes(data="kind") if k == PARTNER]
    projects = [n for n, k in G.nodes(data="kind") if k == PROJECT]
    if len(partners) + len(projects) != len(G):
        odd = next(n for n, k in G.nodes(data="kind") if k not in (PARTNER, PROJECT))
        raise ValueError(f"node {odd!r} has no kind 'partner' or 'project'")
    return partners, projects


def incidence(graph: Bipartite | nx.Graph) -> tuple[list, list, sp.csr_matrix]:
    """Partners, projects and the partners x projects 0/1 incidence matrix.

    >>> partners, projects, B = incidence(graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2")]))
    >>> partners, projects, B.toarray().tolist()
    (['partner:A', 'partner:B'], ['project:P1', 'project:P2'], [[1, 0], [1, 1]])
    """
    net = as_network(graph)
    return net.partners["node"].tolist(), net.projects["node"].tolist(), net.B


# -- projections --------------------------------------------------------------------------------

WEIGHTINGS = {
    "count": "projects shared (Newman 2001)",
    "newman": "sum over shared projects of 1/(partners in the project - 1) (Newman 2001, PRE 64:016132)",
    "jaccard": "shared / projects of either (Jaccard overlap)",
    "cosine": "shared / sqrt(product of the two degrees) (Salton's cosine)",
    "association": "shared / expected shared by chance = shared * projects / (product of the degrees) "
                   "(association strength, van Eck & Waltman 2009)",
}


@dataclass(frozen=True, eq=False)
class Projection:
    """A one-mode projection: partners (or projects) linked by what they share.

    ``shared`` and :attr:`weight` are symmetric sparse matrices over the
    nodes of ``network`` of that ``kind`` (zero diagonal), with the same
    pattern: pairs sharing at least ``min_shared`` neighbours. ``shared``
    counts the shared neighbours (32-bit integers); :attr:`weight` is the
    chosen :data:`WEIGHTINGS` (64-bit floats), made on each use from
    ``weights``, the values of ``shared``'s entries in their order, or None
    when the weights are the counts themselves (``count``): then no second
    copy of every pair is held (16 bytes a pair, 1.1 GB at ten million
    participations). The two share their index arrays (``indices``,
    ``indptr``), so change neither in place. ``left_out`` lists the projects
    (row numbers) left out because they have more than ``max_project_size``
    partners.

    >>> P = project(graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2")]))
    >>> P.nodes, P.number_of_edges(), P.degree().tolist(), P.weights is None
    (['partner:A', 'partner:B', 'partner:C'], 2, [1, 2, 1], True)
    """

    network: Bipartite
    kind: str
    shared: sp.csr_matrix
    weights: np.ndarray | None = None
    weighting: str = "count"
    min_shared: int = 1
    max_project_size: int | None = None
    left_out: tuple[int, ...] = ()

    def __post_init__(self):
        if self.weights is not None and (sp.issparse(self.weights) or np.ndim(self.weights) != 1
                                         or len(self.weights) != self.shared.nnz):
            raise ValueError(f"weights: expected one value per stored entry of shared ({self.shared.nnz}), in its "
                             "order (weight.data of a matrix with shared's index arrays), or None for the counts")

    @property
    def weight(self) -> sp.csr_matrix:
        """The weights as a matrix of 64-bit floats (with ``count``, a new float copy of ``shared`` at each use).

        >>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("A", "P2"), ("B", "P2")])
        >>> project(G).weight.toarray().tolist(), float(project(G, weighting="jaccard").weight[0, 1])
        ([[0.0, 2.0], [2.0, 0.0]], 1.0)
        """
        S = self.shared
        data = S.data.astype(float) if self.weights is None else self.weights
        return sp.csr_matrix((data, S.indices, S.indptr), shape=S.shape, copy=False)

    @property
    def weight_as_stored(self) -> sp.csr_matrix:
        """:attr:`weight` without a copy: ``shared`` itself (its 32-bit counts are the weights' values) with
        ``count``, for readers that take whole numbers as well as floats.

        >>> P = project(graph_from_edges([("A", "P1"), ("B", "P1")]))
        >>> P.weight_as_stored is P.shared
        True
        """
        return self.shared if self.weights is None else self.weight

    @cached_property
    def incidence(self) -> sp.csr_matrix:
        """The partners x projects incidence matrix the projection was computed from (left-out projects empty)."""
        return _kept_incidence(self.network, self.left_out)

    def summary(self) -> dict:
        """How the projection was made, and what it left out (the largest left-out projects by name)."""
        out = {"weighting": self.weighting, "min_shared": self.min_shared}
        if self.max_project_size is not None:
            sizes = np.bincount(self.network.edges[PROJECT].to_numpy(), minlength=self.network.n_projects)
            left = np.asarray(self.left_out, dtype=np.int64)
            largest = left[np.lexsort((left, -sizes[left]))][:_LARGEST_LISTED]
            projects = self.network.projects
            out["max_project_size"] = self.max_project_size
            out["left_out"] = {
                "projects": len(left),
                "participations": int(sizes[left].sum()),
                "largest": [{"node": projects["node"].iat[k], "name": projects["name"].iat[k], "partners": int(sizes[k])}
                            for k in largest],
            }
        return out

    @property
    def nodes(self) -> list[str]:
        return self.network.side(self.kind)["node"].tolist()

    def number_of_edges(self) -> int:
        """How many pairs are linked."""
        return self.shared.nnz // 2

    def degree(self) -> np.ndarray:
        """Distinct neighbours of each node in the projection."""
        return np.diff(self.shared.indptr)

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each linked pair once (``i < j``, sorted): rows, columns, shared counts, weights."""
        S, W = self.shared, self.weights
        if not S.has_sorted_indices:  # sorted copies: each row's entries by column, the weights with them
            W = None if W is None else self.weight.sorted_indices().data
            S = S.sorted_indices()
        # the upper triangle read off the rows, without the coordinate copy of the whole matrix sp.triu makes;
        # rows and columns in the matrix's index type (32 bits below 2**31 nodes and entries)
        rows = np.repeat(np.arange(S.shape[0], dtype=S.indices.dtype), np.diff(S.indptr))
        upper = S.indices > rows
        rows = rows[upper]
        counts = S.data[upper]
        return rows, S.indices[upper], counts, counts.astype(float) if W is None else W[upper]

    def edges(self) -> pd.DataFrame:
        """One row per linked pair: ``source``, ``target`` (node keys), ``shared``, ``weight``."""
        rows, cols, shared, weight = self.pairs()
        keys = self.network.side(self.kind)["node"].to_numpy()
        return pd.DataFrame({"source": keys[rows], "target": keys[cols], "shared": shared.astype(np.int64),
                             "weight": weight})

    def to_networkx(self) -> nx.Graph:
        """The projection in networkx, every node with its attributes; edges carry ``weight`` and ``shared``."""
        import networkx as nx

        table = self.network.side(self.kind)
        columns = ["name", *self.network.attributes(self.kind)]
        P = nx.Graph(name=self.network.name)
        for key, *values in table[["node", *columns]].itertuples(index=False, name=None):
            P.add_node(key, kind=self.kind, **{c: v for c, v in zip(columns, values) if v != ""})
        rows, cols, shared, weight = self.pairs()
        keys = table["node"].to_numpy()
        P.add_edges_from(
            (keys[i], keys[j], {"weight": w.item(), "shared": int(s)})
            for i, j, s, w in zip(rows, cols, shared, weight)
        )
        return P


# The most pairs a projection may have before project() stops and says why: a projection takes
# about 50 bytes a pair (two sparse matrices, each pair stored both ways), and the analysis on
# it several times that, so 50 million pairs is several GB (all of Horizon 2020 has 0.8 million).
MAX_PAIRS = 50_000_000
_LARGEST_LISTED = 10  # left-out projects listed by name in the summary


def estimate_pairs(graph: Bipartite | nx.Graph, kind: str = PARTNER, *, max_project_size: int | None = None) -> int:
    """An upper bound on the pairs the projection onto ``kind`` would link, from the degrees alone.

    For partners, the sum over the projects of ``n_k (n_k - 1) / 2`` (``n_k``
    partners in project ``k``): the pairs each project links, counted again
    when two partners share several projects. For projects, the same over
    the partners' projects. Projects with more than ``max_project_size``
    partners are left out, as :func:`project` leaves them out. Costs one
    pass over the participations, whatever the projection's size.

    >>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P1"), ("A", "P2"), ("B", "P2")])
    >>> estimate_pairs(G), len(project(G).edges())      # P1 links 3 pairs, P2 links A-B again
    (4, 3)
    >>> estimate_pairs(G, max_project_size=2)           # P1 left out
    1
    """
    net = as_network(graph)
    sizes = _sizes(net, _left_out(net, max_project_size), kind)
    return int(np.sum(sizes * (sizes - 1) // 2))


def _left_out(net: Bipartite, max_project_size: int | None) -> np.ndarray:
    """The projects with more than ``max_project_size`` partners (none when it is None)."""
    if max_project_size is None:
        return np.zeros(0, dtype=np.int64)
    if max_project_size < 2:
        raise ValueError("max_project_size must be at least 2 (a project links pairs of partners)")
    sizes = np.bincount(net.edges[PROJECT].to_numpy(), minlength=net.n_projects)
    return np.flatnonzero(sizes > max_project_size)


def _sizes(net: Bipartite, left_out, kind: str) -> np.ndarray:
    """Partners of each project kept (``kind`` partner), or kept projects of each partner (``kind`` project)."""
    partner, project_ = net.edges[PARTNER].to_numpy(), net.edges[PROJECT].to_numpy()
    kept = np.ones(net.n_projects, dtype=bool)
    kept[np.asarray(left_out, dtype=np.int64)] = False
    if kind == PARTNER:
        return np.bincount(project_, minlength=net.n_projects)[kept].astype(np.int64)
    return np.bincount(partner[kept[project_]], minlength=net.n_partners).astype(np.int64)


def _kept_incidence(net: Bipartite, left_out) -> sp.csr_matrix:
    """``net.B`` with the columns of the left-out projects emptied."""
    if len(left_out) == 0:
        return net.B
    kept = np.ones(net.n_projects)
    kept[np.asarray(left_out, dtype=np.int64)] = 0
    B = (net.B @ sp.diags(kept)).tocsr().astype(np.int64)
    B.eliminate_zeros()
    return B


def _too_many_pairs(net: Bipartite, kind: str, pairs: int, max_pairs: int, left_out) -> str:
    """The one-line error: how many pairs, the projects (or partners) that make most of them, and what to do."""
    sizes = _sizes(net, left_out, kind)
    if kind == PARTNER:
        kept = np.ones(net.n_projects, dtype=bool)
        kept[np.asarray(left_out, dtype=np.int64)] = False
        names, what, of = net.projects["name"].to_numpy()[kept], "project", "partners"
    else:
        names, what, of = net.partners["name"].to_numpy(), "partner", "projects"
    # the three largest, or fewer when the next links under 1% of the pairs
    top = np.lexsort((np.arange(len(sizes)), -sizes))[:3]
    keep = sizes[top] * (sizes[top] - 1) // 2 >= pairs / 100
    keep[0] = True
    top = top[keep]
    largest = ", ".join(f"{page_text(str(names[k]), 40)!r} ({sizes[k]:,} {of})" for k in top)
    advice = ""
    if kind == PARTNER:  # the smallest project size that must go: projects of fewer partners fit max_pairs
        size, count = np.unique(sizes, return_counts=True)
        over = size[np.cumsum(count * (size * (size - 1) // 2)) > max_pairs]
        if len(over) and over[0] > 2:
            advice = f"; or leave the largest projects out with --max-project-size N (N below {int(over[0]):,} fits)"
    return (
        f"{net.name or 'the table'}: the {kind} projection would link up to {pairs:,} pairs, more than the "
        f"{max_pairs:,} allowed (--max-pairs); largest {what}s: {largest}. Check that --project names the project "
        f"column{advice}; or raise --max-pairs if this machine has the memory"
    )



def project(
    graph: Bipartite | nx.Graph,
    kind: str = PARTNER,
    min_shared: int = 1,
    weighting: str = "count",
    *,
    max_project_size: int | None = None,
    max_pairs: int | None = MAX_PAIRS,
) -> Projection:
    """The one-mode projection onto partners (or projects).

    Two partners are linked when they take part in at least ``min_shared``
    common projects. The link's weight is one of :data:`WEIGHTINGS`, with
    ``d_i`` the projects of partner ``i``, ``c_ij`` the projects shared and
    ``n_k`` the partners of project ``k`` (and symmetrically for projects):

    - ``count``: ``c_ij``, the co-participation count;
    - ``newman``: ``sum_k 1 / (n_k - 1)`` over shared projects, so a
      two-partner project counts 1 and a 40-partner consortium little
      (Newman 2001, "Scientific collaboration networks. II", PRE 64:016132);
    - ``jaccard``: ``c_ij / (d_i + d_j - c_ij)``;
    - ``cosine``: ``c_ij / sqrt(d_i d_j)`` (Salton's cosine);
    - ``association``: ``c_ij * m / (d_i d_j)`` with ``m`` the number of
      projects: observed over expected co-occurrence, 1 being chance level
      (van Eck & Waltman 2009, "How to normalize cooccurrence data", JASIST
      60:1635; VOSviewer's default).

    Every node of that kind is kept, linked or not. Computed from the sparse
    product ``B @ B.T``, so it costs the number of pairs, not a loop.

    Projects with more than ``max_project_size`` partners are left out (a
    project of 20,000 partners alone links 200 million pairs); they are
    listed in ``left_out``. Before computing anything, the pairs are
    estimated (:func:`estimate_pairs`): past ``max_pairs`` (default
    :data:`MAX_PAIRS`; None for no limit) an :class:`~ecosys.EcosysError`
    names the largest projects and suggests a ``max_project_size`` that fits.

    >>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P1"), ("A", "P2"), ("B", "P2")])
    >>> project(G, weighting="newman").edges()[["source", "target", "weight"]].values.tolist()
    [['partner:A', 'partner:B', 1.5], ['partner:A', 'partner:C', 0.5], ['partner:B', 'partner:C', 0.5]]
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}: choose one of {', '.join(WEIGHTINGS)}")
    if min_shared < 1:
        raise ValueError("min_shared must be at least 1")
    net = as_network(graph)
    left_out = _left_out(net, max_project_size)
    pairs = estimate_pairs(net, kind, max_project_size=max_project_size)
    if max_pairs is not None and pairs > max_pairs:
        raise EcosysError(_too_many_pairs(net, kind, pairs, max_pairs, left_out))
    B = _kept_incidence(net, left_out)
    M = B if kind == PARTNER else B.T.tocsr()
    # the counts in 32 bits (a pair shares at most every project): 4 bytes a pair and direction, not 8
    M = M.astype(np.int32) if M.shape[1] < 2**31 else M
    shared = (M @ M.T).tocsr()
    shared.setdiag(0)
    shared.data[shared.data < min_shared] = 0
    shared.eliminate_zeros()
    shared.sort_indices()
    degree = np.asarray(M.sum(axis=1)).ravel().astype(float)
    if weighting in ("jaccard", "cosine", "association"):  # the counts and each pair's two ends, only where needed
        c = shared.data.astype(float)
        rows = np.repeat(np.arange(shared.shape[0], dtype=shared.indices.dtype), np.diff(shared.indptr))
        cols = shared.indices
    if weighting == "count":
        w = None  # the counts themselves: ``shared``
    elif weighting == "newman":
        size = np.asarray(M.sum(axis=0)).ravel().astype(float)
        scale = np.divide(1.0, size - 1, out=np.zeros_like(size), where=size > 1)
        N = ((M @ sp.diags(scale)) @ M.T).multiply(shared > 0).tocsr()  # the pattern of shared
        N.sort_indices()
        w = N.data
    elif weighting == "jaccard":
        w = c / (degree[rows] + degree[cols] - c)
    elif weighting == "cosine":
        w = c / np.sqrt(degree[rows] * degree[cols])
    else:
        others = M.shape[1] - (len(left_out) if kind == PARTNER else 0)  # the projects (or partners) counted
        w = c * others / (degree[rows] * degree[cols])
    # the weights in the entries' order of ``shared`` (its index arrays shared); none kept for counts
    return Projection(net, kind, shared, w, weighting, min_shared,
                      max_project_size, tuple(int(k) for k in left_out))


def project_blocks(
    incidence: sp.spmatrix, block_size: int = 100_000, *, weights: np.ndarray | None = None
) -> Iterable[tuple[slice, sp.csr_matrix]]:
    """The partner projection's product ``B @ B.T`` as a sum of blocks of projects.

    ``B @ B.T`` is the sum over the projects of each project's pairs, so it
    splits by columns: ``B[:, s] @ B[:, s].T`` for consecutive slices ``s``
    of ``block_size`` projects adds up to the whole. Yields ``(s, block)``,
    ``block`` a partners x partners sparse matrix (with its diagonal: the
    projects of each partner in ``s``). Each block needs only its projects'
    participations, so blocks can be computed apart, on other processes or
    machines, and added in any order (integer counts add exactly). Pass the
    projects' incidence ``B.T`` (or :attr:`Bipartite.B` transposed) to
    project onto projects instead.

    ``weights`` (one per project) weighs each project's pairs, as
    ``B[:, s] diag(w[s]) B[:, s].T``: ``1 / (n_k - 1)`` gives the ``newman``
    weighting of :func:`project`. The other weightings are a function of
    the summed count and the two degrees (:func:`project`'s formulas), so
    they are applied to the sum. See :func:`projection_by_blocks` for the
    sum itself, and README's *Beyond one machine*.

    >>> import scipy.sparse as sp
    >>> B = sp.csr_matrix([[1, 1, 0], [1, 0, 1], [0, 1, 1]])   # 3 partners x 3 projects
    >>> [(s.start, s.stop, blk.toarray().tolist()) for s, blk in project_blocks(B, 2)]
    [(0, 2, [[2, 1, 1], [1, 1, 0], [1, 0, 1]]), (2, 3, [[0, 0, 0], [0, 1, 1], [0, 1, 1]])]
    """
    if block_size < 1:
        raise ValueError("block_size must be at least 1")
    B = sp.csc_matrix(incidence)  # slicing columns of a csc matrix copies only those columns
    for start in range(0, B.shape[1], block_size):
        s = slice(start, min(start + block_size, B.shape[1]))
        M = B[:, s]
        if weights is not None:
            M = M @ sp.diags(np.asarray(weights, dtype=float)[s])
        yield s, (M @ B[:, s].T).tocsr()


def projection_by_blocks(
    incidence: sp.spmatrix, block_size: int = 100_000, *, weights: np.ndarray | None = None
) -> sp.csr_matrix:
    """The sum of :func:`project_blocks`, diagonal removed: the projection's matrix, one block at a time.

    With ``B`` a network's incidence (:attr:`Bipartite.B`), equal to
    ``project(net).shared`` (pairs' shared projects); with ``weights``
    ``1 / (n_k - 1)``, to ``project(net, weighting="newman").weight``.
    Peak memory is the sum plus one block, instead of the whole product at
    once; on one machine :func:`project` is faster, this is the step that
    splits across machines (README, *Beyond one machine*).

    >>> net = as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2"), ("A", "P2")]))
    >>> S = projection_by_blocks(net.B, block_size=1)
    >>> S.toarray().tolist(), (S != project(net).shared).nnz
    ([[0, 2, 1], [2, 0, 1], [1, 1, 0]], 0)
    """
    B = sp.csr_matrix(incidence)
    if (weights is None and B.dtype.kind in "iub" and B.shape[1] < 2**31
            and (B.nnz == 0 or (B.data.min() >= 0 and B.data.max() <= 1))):  # 0/1 entries: counts in 32 bits
        B = B.astype(np.int32)  # as project() holds them (a count is at most the number of projects)
    total = sp.csr_matrix((B.shape[0], B.shape[0]), dtype=float if weights is not None else B.dtype)
    for _, block in project_blocks(B, block_size, weights=weights):
        total = total + block
    total.setdiag(0)
    total.eliminate_zeros()
    total.sort_indices()
    return total


# -- connected components ---------------------------------------------------------------------


def bipartite_adjacency(B: sp.spmatrix) -> sp.csr_matrix:
    """The square adjacency matrix of the bipartite graph with incidence ``B``: partners, then projects.

    Node ``i < n`` is partner ``i``; node ``n + j`` is project ``j`` (``n``
    partners, as in :attr:`Bipartite.nodes`). Symmetric, float, with the values of
    ``B`` (one entry per participation and direction).

    >>> import scipy.sparse as sp
    >>> bipartite_adjacency(sp.csr_matrix([[1, 0], [1, 1]])).toarray().astype(int).tolist()
    [[0, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 0]]
    """
    B = sp.coo_matrix(B)
    n, m = B.shape
    rows = np.concatenate([B.row, B.col + n])
    cols = np.concatenate([B.col + n, B.row])
    data = np.concatenate([B.data, B.data]).astype(float)
    return sp.csr_matrix((data, (rows, cols)), shape=(n + m, n + m))


def components(graph: Bipartite | nx.Graph) -> np.ndarray:
    """The connected component of each node of the bipartite graph, partners first, then projects.

    Components are numbered 0, 1, ... in the order of their first node
    (``Bipartite.nodes`` order). A partner and a project are in the same
    component when a path of participations joins them; a node without any
    participation is a component of its own.

    >>> components(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")])).tolist()  # A B C, P1 P2
    [0, 0, 1, 0, 1]
    """
    net = as_network(graph)
    if not len(net.nodes):
        return np.zeros(0, dtype=np.int64)
    import igraph as ig  # here: what else imports this module (reading, validate) does not need it

    g = ig.Graph(n=len(net.nodes))
    g.add_edges(np.column_stack([net.edges["partner"].to_numpy(), net.edges["project"].to_numpy() + net.n_partners]))
    return np.asarray(g.connected_components().membership, dtype=np.int64)
