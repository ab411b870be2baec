"""Build the partner-project bipartite graph and its one-mode projections.

Node keys are namespaced, ``"partner:ACME"`` and ``"project:ACME"``, so a
partner and a project with the same text never merge. Each node carries
``kind`` (``"partner"`` or ``"project"``), ``bipartite`` (0 for partners, 1
for projects, as networkx.bipartite expects), ``name`` and its attributes.
Sides come from the input columns; they are never guessed from the graph.

Example
-------
>>> import pandas as pd
>>> from ecosys.graph import graph_from_edges, project
>>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2"), ("A", "P2")])
>>> sorted(G["partner:B"])
['project:P1', 'project:P2']
>>> P = project(G, "partner")
>>> sorted((u, v, d["weight"]) for u, v, d in P.edges(data=True))
[('partner:A', 'partner:B', 2), ('partner:A', 'partner:C', 1), ('partner:B', 'partner:C', 1)]
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .io import Participations

__all__ = [
    "PARTNER",
    "PROJECT",
    "node_key",
    "build_graph",
    "graph_from_edges",
    "sides",
    "incidence",
    "project",
]

PARTNER = "partner"
PROJECT = "project"


def node_key(kind: str, name: str) -> str:
    """The graph key of a node: its kind and name, ``"partner:ACME"``."""
    return f"{kind}:{name}"


def build_graph(participations: Participations) -> nx.Graph:
    """The bipartite graph of a participation table.

    Partners are added first, then projects, each in name order, so the same
    table always gives the same graph, whatever its row order. Partner and
    project attributes become node attributes; participation attributes
    (such as a role) become edge attributes. Blank values are left out.
    """
    t = participations.table
    G = nx.Graph(name=participations.name)
    for kind, attributes in (
        (PARTNER, participations.partner_attributes),
        (PROJECT, participations.project_attributes),
    ):
        values = {}
        for column in attributes:
            filled = t.loc[t[column] != "", [kind, column]].drop_duplicates(kind)
            values[column] = dict(zip(filled[kind], filled[column]))
        for name in sorted(t[kind].unique()):
            data = {c: values[c][name] for c in attributes if name in values[c]}
            G.add_node(node_key(kind, name), kind=kind, bipartite=int(kind == PROJECT), name=name, **data)
    edge_columns = list(participations.edge_attributes)
    records = t[["partner", "project", *edge_columns]].itertuples(index=False, name=None)
    for partner, project_, *values in sorted(records):
        data = {c: v for c, v in zip(edge_columns, values) if v != ""}
        G.add_edge(node_key(PARTNER, partner), node_key(PROJECT, project_), **data)
    return G


def graph_from_edges(pairs: Iterable[tuple[str, str]], name: str = "") -> nx.Graph:
    """A bipartite graph from ``(partner, project)`` name pairs (handy in notebooks and tests)."""
    pairs = sorted(set(pairs))
    G = nx.Graph(name=name)
    for kind, names in ((PARTNER, {a for a, _ in pairs}), (PROJECT, {b for _, b in pairs})):
        for n in sorted(names):
            G.add_node(node_key(kind, n), kind=kind, bipartite=int(kind == PROJECT), name=n)
    G.add_edges_from((node_key(PARTNER, a), node_key(PROJECT, b)) for a, b in pairs)
    return G


def sides(G: nx.Graph) -> tuple[list, list]:
    """The partner and project nodes of ``G``, in graph order, read from their ``kind``."""
    partners = [n for n, k in G.nodes(data="kind") if k == PARTNER]
    projects = [n for n, k in G.nodes(data="kind") if k == PROJECT]
    if len(partners) + len(projects) != len(G):
        odd = next(n for n, k in G.nodes(data="kind") if k not in (PARTNER, PROJECT))
        raise ValueError(f"node {odd!r} has no kind 'partner' or 'project'")
    return partners, projects


def incidence(G: nx.Graph) -> tuple[list, list, sp.csr_matrix]:
    """Partners, projects and the partners x projects 0/1 incidence matrix of ``G``."""
    partners, projects = sides(G)
    index = {n: i for i, n in enumerate(partners)}
    index.update({n: j for j, n in enumerate(projects)})
    rows, cols = [], []
    for u, v in G.edges():
        if G.nodes[u]["kind"] == PROJECT:
            u, v = v, u
        rows.append(index[u])
        cols.append(index[v])
    B = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(partners), len(projects))
    )
    return partners, projects, B


def project(G: nx.Graph, kind: str = PARTNER, min_shared: int = 1) -> nx.Graph:
    """The one-mode projection onto partners (or projects), weighted by shared neighbours.

    Two partners are linked when they take part in at least ``min_shared``
    common projects; the edge's ``weight`` is the number of projects they
    share, the simple co-participation count (Newman 2001, "The structure of
    scientific collaboration networks", PNAS 98:404). Every node of that kind
    is kept, with its attributes, including those with no link. Computed as
    the off-diagonal of ``B @ B.T`` with ``B`` the incidence matrix, so it
    costs the number of pairs, not a loop over projects.
    """
    partners, projects, B = incidence(G)
    nodes, M = (partners, B) if kind == PARTNER else (projects, B.T.tocsr())
    W = sp.triu(M @ M.T, k=1).tocoo()
    keep = W.data >= min_shared
    P = nx.Graph(name=G.graph.get("name", ""))
    P.add_nodes_from((n, G.nodes[n]) for n in nodes)
    P.add_weighted_edges_from(
        (nodes[i], nodes[j], int(w)) for i, j, w in zip(W.row[keep], W.col[keep], W.data[keep])
    )
    return P
