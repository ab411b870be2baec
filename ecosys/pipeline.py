"""The whole analysis in one call: table -> graph -> metrics -> communities -> tables.

Example
-------
>>> from ecosys.pipeline import analyze, demo_path
>>> result = analyze(demo_path(), seed=0)
>>> s = result.summary()
>>> (s["partners"], s["projects"], s["participations"])
(36, 20, 52)
>>> result.partners().columns[:4].tolist()
['node', 'name', 'kind', 'community']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from . import __version__
from .communities import Partition, detect_communities
from .graph import PARTNER, PROJECT, build_graph, project
from .io import Participations, read_participations
from .metrics import DEFAULT_BUDGET, node_metrics

__all__ = ["Analysis", "analyze", "demo_path", "DEMO_NAME"]

DEMO_NAME = "italian-social-innovation"
_TOP_MEMBERS = 5


def demo_path() -> Path:
    """The bundled demo dataset (installed with the package; ``data/`` in a checkout)."""
    here = Path(__file__).resolve().parent
    for folder in (here / "data", here.parent / "data"):
        path = folder / f"{DEMO_NAME}.csv"
        if path.exists():
            return path
    raise FileNotFoundError(f"the demo dataset {DEMO_NAME}.csv is missing from this installation")


@dataclass(frozen=True)
class Analysis:
    """Everything ecosys computed for one participation table."""

    participations: Participations
    graph: nx.Graph
    projection: nx.Graph
    metrics: pd.DataFrame
    partition: Partition
    seed: int

    def nodes(self, kind: str) -> pd.DataFrame:
        """Metrics, community and attributes of the partners (or projects), most central first."""
        t = self.metrics[self.metrics["kind"] == kind].copy()
        t.insert(3, "community", t["node"].map(self.partition.membership))
        attributes = (
            self.participations.partner_attributes if kind == PARTNER else self.participations.project_attributes
        )
        for column in attributes:
            t[column if column not in t.columns else f"{column} (input)"] = [
                self.graph.nodes[n].get(column, "") for n in t["node"]
            ]
        t = t.sort_values(["pagerank", "name"], ascending=[False, True], kind="stable")
        return t.reset_index(drop=True)

    def partners(self) -> pd.DataFrame:
        """One row per partner: see :meth:`nodes`."""
        return self.nodes(PARTNER)

    def projects(self) -> pd.DataFrame:
        """One row per project: see :meth:`nodes`."""
        return self.nodes(PROJECT)

    def communities(self) -> pd.DataFrame:
        """One row per community: its size and its most central partners and projects."""
        membership = self.partition.membership
        t = pd.DataFrame({
            "community": self.metrics["node"].map(membership).to_numpy(),
            "kind": self.metrics["kind"].to_numpy(),
            "name": self.metrics["name"].to_numpy(),
            "pagerank": self.metrics["pagerank"].to_numpy(),
        }).sort_values(["pagerank", "name"], ascending=[False, True], kind="stable")
        counts = t.groupby(["community", "kind"]).size().unstack(fill_value=0)
        internal = Counter()
        for u, v, w in self.projection.edges(data="weight", default=1):
            if membership[u] == membership[v]:
                internal[membership[u]] += w
        top = {
            kind: t[t["kind"] == kind].groupby("community")["name"].apply(
                lambda names: "; ".join(names.head(_TOP_MEMBERS))
            )
            for kind in (PARTNER, PROJECT)
        }
        communities = sorted(counts.index)
        return pd.DataFrame({
            "community": communities,
            "partners": [int(counts.at[c, PARTNER]) if PARTNER in counts else 0 for c in communities],
            "projects": [int(counts.at[c, PROJECT]) if PROJECT in counts else 0 for c in communities],
            "internal_weight": [int(internal[c]) for c in communities],
            "top_partners": [top[PARTNER].get(c, "") for c in communities],
            "top_projects": [top[PROJECT].get(c, "") for c in communities],
        })

    def summary(self) -> dict:
        """The dataset and the run in numbers, with what is needed to reproduce it."""
        p, G = self.participations, self.graph
        components = sorted(nx.connected_components(G), key=len, reverse=True)
        partners = sum(1 for _, k in G.nodes(data="kind") if k == PARTNER)
        projects = len(G) - partners
        largest = components[0] if components else set()
        return {
            "dataset": p.name,
            "ecosys_version": __version__,
            "input": {
                "path": p.source,
                "sha256": p.sha256,
                "format": p.format,
                "encoding": p.encoding,
                "separator": p.separator,
                "partner_column": p.partner_column,
                "project_column": p.project_column,
                "rows": p.rows_read,
                "duplicate_rows": p.duplicate_rows,
                "skipped_rows": list(p.skipped_rows),
                "attributes": {
                    "partner": list(p.partner_attributes),
                    "project": list(p.project_attributes),
                    "participation": list(p.edge_attributes),
                },
            },
            "partners": partners,
            "projects": projects,
            "participations": G.number_of_edges(),
            "density": round(G.number_of_edges() / (partners * projects), 6) if partners and projects else 0.0,
            "components": len(components),
            "largest_component": {
                "partners": sum(1 for n in largest if G.nodes[n]["kind"] == PARTNER),
                "projects": sum(1 for n in largest if G.nodes[n]["kind"] == PROJECT),
            },
            "partner_pairs": self.projection.number_of_edges(),
            "partners_without_copartner": sum(1 for _, d in self.projection.degree() if d == 0),
            "communities": self.partition.count,
            "modularity": round(self.partition.modularity, 6),
            "community_method": {"name": self.partition.method, **self.partition.parameters},
            "centrality": self.metrics.attrs.get("estimation", {}),
            "seed": self.seed,
        }


def analyze(
    source: str | Path | Participations,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    budget: float = DEFAULT_BUDGET,
    **read_options,
) -> Analysis:
    """Read a participation table (unless given one) and compute everything ecosys reports.

    ``read_options`` go to :func:`ecosys.io.read_participations` (``partner``,
    ``project``, ``sheet``, ``name``).
    """
    participations = source if isinstance(source, Participations) else read_participations(source, **read_options)
    G = build_graph(participations)
    P = project(G, PARTNER)
    metrics = node_metrics(G, seed=seed, budget=budget)
    partition = detect_communities(G, seed=seed, resolution=resolution, projection=P)
    return Analysis(participations, G, P, metrics, partition, seed)

