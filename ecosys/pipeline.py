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

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from . import __version__
from .communities import Partition, detect_communities
from .graph import PARTNER, PROJECT, Bipartite, Projection, build_network, project
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


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything ecosys computed for one participation table.

    ``network`` is the bipartite graph as arrays, ``projection`` the partner
    projection the communities were found on; :attr:`graph` gives the
    bipartite graph in networkx.
    """

    participations: Participations
    network: Bipartite
    projection: Projection
    metrics: pd.DataFrame
    partition: Partition
    seed: int

    @cached_property
    def graph(self) -> nx.Graph:
        """The bipartite graph in networkx (built on first use: seconds for 100,000 participations)."""
        return self.network.to_networkx()

    @cached_property
    def _community(self) -> np.ndarray:
        """The community of each row of :attr:`metrics`."""
        return self.metrics["node"].map(self.partition.membership).to_numpy()

    def nodes(self, kind: str) -> pd.DataFrame:
        """Metrics, community and attributes of the partners (or projects), most central first."""
        rows = (self.metrics["kind"] == kind).to_numpy()
        t = self.metrics[rows].reset_index(drop=True)
        t.insert(3, "community", self._community[rows])
        side = self.network.side(kind)
        for column in self.network.attributes(kind):
            t[column if column not in t.columns else f"{column} (input)"] = side[column].to_numpy()
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
        t = pd.DataFrame({
            "community": self._community,
            "kind": self.metrics["kind"].to_numpy(),
            "name": self.metrics["name"].to_numpy(),
            "pagerank": self.metrics["pagerank"].to_numpy(),
        }).sort_values(["pagerank", "name"], ascending=[False, True], kind="stable")
        counts = t.groupby(["community", "kind"]).size().unstack(fill_value=0)
        partner_community = self._community[: self.network.n_partners]
        rows, cols, _, weights = self.projection.pairs()
        inside = partner_community[rows] == partner_community[cols]
        internal = pd.Series(weights[inside]).groupby(partner_community[rows][inside]).sum()
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
            "internal_weight": [self._number(internal.get(c, 0)) for c in communities],
            "top_partners": [top[PARTNER].get(c, "") for c in communities],
            "top_projects": [top[PROJECT].get(c, "") for c in communities],
        })

    def _number(self, weight) -> int | float:
        """A projection weight as written: whole for counts, 6 decimals otherwise."""
        return int(weight) if self.projection.weighting == "count" else round(float(weight), 6)

    def summary(self) -> dict:
        """The dataset and the run in numbers, with what is needed to reproduce it."""
        p, net = self.participations, self.network
        partners, projects, participations = net.n_partners, net.n_projects, len(net.edges)
        A = sp.bmat([[None, net.B], [net.B.T, None]], format="csr") if partners and projects else None
        count, label = connected_components(A, directed=False) if A is not None else (0, np.zeros(0, int))
        sizes = np.bincount(label) if count else np.zeros(1, int)
        largest = label == np.argmax(sizes) if count else np.zeros(0, bool)
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
            "participations": participations,
            "density": round(participations / (partners * projects), 6) if partners and projects else 0.0,
            "components": int(count),
            "largest_component": {
                "partners": int(largest[:partners].sum()),
                "projects": int(largest[partners:].sum()),
            },
            "projection": {
                "weighting": self.projection.weighting,
                "min_shared": self.projection.min_shared,
            },
            "partner_pairs": self.projection.number_of_edges(),
            "partners_without_copartner": int((self.projection.degree() == 0).sum()),
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
    weighting: str = "count",
    min_shared: int = 1,
    **read_options,
) -> Analysis:
    """Read a participation table (unless given one) and compute everything ecosys reports.

    ``weighting`` and ``min_shared`` choose the partner projection the
    communities are found on (see :func:`ecosys.graph.project`).
    ``read_options`` go to :func:`ecosys.io.read_participations` (``partner``,
    ``project``, ``sheet``, ``name``).
    """
    participations = source if isinstance(source, Participations) else read_participations(source, **read_options)
    net = build_network(participations)
    P = project(net, PARTNER, min_shared=min_shared, weighting=weighting)
    metrics = node_metrics(net, seed=seed, budget=budget, projection=P)
    partition = detect_communities(net, seed=seed, resolution=resolution, projection=P)
    return Analysis(participations, net, P, metrics, partition, seed)

