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

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from . import __version__
from .backbone import disparity_filter, sdsm
from .brokerage import Brokerage, gould_fernandez
from .communities import Partition, Stability, community_stability, detect_communities
from .graph import MAX_PAIRS, PARTNER, PROJECT, Bipartite, Projection, build_network, project
from .errors import EcosysError
from .io import Participations, read_participations
from .metrics import DEFAULT_BUDGET, node_metrics

__all__ = ["Analysis", "analyze", "backbone_table", "demo_path", "DEMO_NAME", "BACKBONES"]

DEMO_NAME = "italian-social-innovation"
_TOP_MEMBERS = 5
_TOP_VALUES = 3
_PROFILES_IN_SUMMARY = 20
BACKBONES = ("disparity", "sdsm")
# An attribute is an amount (summed per community) when its values are numbers and its name says so.
_AMOUNT = re.compile(r"amount|contribution|budget|cost|eur|fund|grant|price|value", re.IGNORECASE)
_MISSING = ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "-"]
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?")


def _join_by(groups: np.ndarray, texts: list, separator: str = "; ") -> dict:
    """``{group: texts of that group joined}``, keeping the order of ``texts`` within each group."""
    out: dict = {}
    for g, text in zip(groups.tolist(), texts):
        out.setdefault(g, []).append(text)
    return {g: separator.join(items) for g, items in out.items()}


def _numbers(values: pd.Series) -> np.ndarray | None:
    """The values as floats if every one is a number, else None (cheaply refused on a sample first)."""
    if pd.to_numeric(values.iloc[:200], errors="coerce").isna().any():
        return None
    try:
        return values.to_numpy(dtype=float)
    except (TypeError, ValueError):
        numbers = pd.to_numeric(values, errors="coerce")
        return None if numbers.isna().any() else numbers.to_numpy(dtype=float)


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
    stability: Stability | None = None
    brokerage: Brokerage | None = None
    group_by: str | None = None
    backbone: pd.DataFrame | None = None

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
        if self.stability is not None:
            t.insert(4, "stability", self.stability.stability[rows])
            t.insert(5, "unstable", self.stability.unstable[rows])
        if self.brokerage is not None and kind == PARTNER:
            t = pd.concat([t, self.brokerage.to_frame()], axis=1)
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
        """One row per community: its size, most central members and profile (a copy; see :attr:`_communities`)."""
        return self._communities.copy()

    @cached_property
    def _communities(self) -> pd.DataFrame:
        """One row per community: its size, most central members and profile.

        ``modularity_share`` is the community's term of the weighted modularity
        on the projection (``e_c / W - (S_c / 2W)^2``; they sum to the
        modularity at resolution 1). Then, for each categorical attribute of
        the partners (projects), ``partners_<attribute>`` (``projects_...``):
        its three most frequent values among the community's members with
        their shares, blanks left out; and for each amount (an attribute whose
        values are numbers and whose name says amount, contribution, budget,
        cost, EUR, funding, grant...), ``<attribute>_total``, the sum over the
        community's projects (partners; participations of its partners),
        rounded to whole units. Blank and ``NA`` values are left out; other
        numbers (years, durations) and dates are not categories.
        """
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
        top = {}
        for kind in (PARTNER, PROJECT):
            head = t[t["kind"] == kind].groupby("community").head(_TOP_MEMBERS)
            top[kind] = _join_by(head["community"].to_numpy(), head["name"].astype(str).tolist())
        communities = sorted(counts.index)
        share = self._modularity_shares
        return pd.DataFrame({
            "community": communities,
            "partners": [int(x) for x in counts.get(PARTNER, pd.Series(dtype=int)).reindex(communities, fill_value=0)],
            "projects": [int(x) for x in counts.get(PROJECT, pd.Series(dtype=int)).reindex(communities, fill_value=0)],
            "internal_weight": [self._number(internal.get(c, 0)) for c in communities],
            "modularity_share": [round(float(share.get(c, 0.0)), 6) for c in communities],
            "top_partners": [top[PARTNER].get(c, "") for c in communities],
            "top_projects": [top[PROJECT].get(c, "") for c in communities],
            **self._profiles(communities),
        })

    def _profiles(self, communities: list) -> dict:
        """Composition by categorical attribute and totals of amounts, one list per column."""
        net = self.network
        n = net.n_partners
        columns = {}
        sources = [
            (PARTNER, net.partners, self._community[:n]),
            (PROJECT, net.projects, self._community[n:]),
            ("participation", net.edges, self._community[:n][net.edges[PARTNER].to_numpy()]),
        ]
        for kind, table, community in sources:
            attributes = net.attributes(kind) if kind != "participation" else net.edge_attributes()
            for column in attributes:
                values = pd.Series(table[column].to_numpy(dtype=object))
                filled = (~values.isin(_MISSING)).to_numpy()
                if not filled.any():
                    continue
                present = values[filled]
                numbers = _numbers(present)
                if numbers is not None:
                    if _AMOUNT.search(column):
                        totals = np.bincount(community[filled], weights=numbers, minlength=max(communities, default=0) + 1)
                        columns[f"{column}_total"] = [int(round(float(totals[c]))) for c in communities]
                    continue  # other numbers (years, durations, counts) are not categories
                if kind == "participation" or present.str.match(_DATE).all():
                    continue
                if 1 < present.nunique() <= max(2, filled.sum() // 2):
                    counts = pd.DataFrame({"c": community[filled], "v": present.to_numpy()}).value_counts()
                    counts = counts.rename("n").reset_index().sort_values(
                        ["c", "n", "v"], ascending=[True, False, True], kind="stable"
                    )
                    counts = counts.groupby("c").head(_TOP_VALUES)
                    size = pd.Series(community[filled]).value_counts()
                    share = (100 * counts["n"].to_numpy() / size.reindex(counts["c"]).to_numpy()).round().astype(int)
                    text = _join_by(counts["c"].to_numpy(), [f"{v} {p}%" for v, p in zip(counts["v"], share)])
                    columns[f"{'partners' if kind == PARTNER else 'projects'}_{column}"] = [
                        text.get(c, "") for c in communities
                    ]
        return columns

    @property
    def _modularity_shares(self) -> pd.Series:
        """Each community's term of the weighted modularity of the partners on the projection."""
        partner_community = self._community[: self.network.n_partners]
        rows, cols, _, weights = self.projection.pairs()
        total = float(weights.sum())
        if total == 0:
            return pd.Series(dtype=float)
        inside = partner_community[rows] == partner_community[cols]
        internal = pd.Series(weights[inside]).groupby(partner_community[rows][inside]).sum()
        strength = np.bincount(rows, weights=weights, minlength=len(partner_community))
        strength += np.bincount(cols, weights=weights, minlength=len(partner_community))
        by_community = pd.Series(strength).groupby(partner_community).sum()
        return internal.reindex(by_community.index, fill_value=0.0) / total - (by_community / (2 * total)) ** 2

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
                "partner_label": p.partner_label,
                "project_label": p.project_label,
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
            "projection": self.projection.summary(),
            "partner_pairs": self.projection.number_of_edges(),
            "partners_without_copartner": int((self.projection.degree() == 0).sum()),
            "communities": self.partition.count,
            "modularity": round(self.partition.modularity, 6),
            "community_method": {"name": self.partition.method, **self.partition.parameters},
            "centrality": self.metrics.attrs.get("estimation", {}),
            "seed": self.seed,
            **self._analyses_summary(),
        }

    def _analyses_summary(self) -> dict:
        """Community profiles, and the stability, brokerage and backbone when they were asked for."""
        out = {}
        profiles = self._communities.head(_PROFILES_IN_SUMMARY)
        out["community_profiles"] = [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in profiles.to_dict(orient="records")
        ]
        if self.stability is not None:
            out["stability"] = self.stability.summary()
        if self.brokerage is not None:
            out["brokerage"] = {"group_by": self.group_by, "graph": "partner projection (a tie is a tie)",
                                **self.brokerage.summary()}
        if self.backbone is not None:
            out["backbone"] = self.backbone.attrs["backbone"]
        return out


def analyze(
    source: str | Path | Participations,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    budget: float = DEFAULT_BUDGET,
    weighting: str = "count",
    min_shared: int = 1,
    method: str = "leiden",
    runs: int = 1,
    group_by: str | None = None,
    backbone: str | None = None,
    alpha: float = 0.05,
    correction: str = "holm",
    max_project_size: int | None = None,
    max_pairs: int | None = MAX_PAIRS,
    **read_options,
) -> Analysis:
    """Read a participation table (unless given one) and compute everything ecosys reports.

    ``weighting`` and ``min_shared`` choose the partner projection the
    communities are found on (see :func:`ecosys.graph.project`). ``method``
    is the community method (:data:`ecosys.communities.METHODS`); with
    ``runs`` above 1 it runs with seeds ``seed ... seed + runs - 1`` and
    reports their consensus and each node's stability. ``group_by`` (a
    partner attribute) adds the Gould-Fernandez brokerage roles; ``backbone``
    (``"disparity"`` or ``"sdsm"``) tests every partner pair with that
    backbone at ``alpha`` after ``correction``. Projects with more than
    ``max_project_size`` partners are left out of the partner projection
    (and so of the communities and the projection metrics), and a
    projection estimated past ``max_pairs`` pairs stops with an error (see
    :func:`ecosys.graph.project`). ``read_options`` go to
    :func:`ecosys.io.read_participations` (``partner``, ``project``,
    ``sheet``, ``name``).
    """
    participations = source if isinstance(source, Participations) else read_participations(source, **read_options)
    net = build_network(participations)
    P = project(net, PARTNER, min_shared=min_shared, weighting=weighting, max_project_size=max_project_size,
                max_pairs=max_pairs)
    metrics = node_metrics(net, seed=seed, budget=budget, projection=P)
    stability = None
    if runs > 1:
        stability = community_stability(net, runs=runs, seed=seed, resolution=resolution, projection=P, method=method)
        partition = stability.consensus
    else:
        partition = detect_communities(net, seed=seed, resolution=resolution, projection=P, method=method)
    brokerage = None
    if group_by is not None:
        if group_by not in net.attributes(PARTNER):
            available = ", ".join(net.attributes(PARTNER)) or "none"
            raise EcosysError(
                f"{participations.source}: no partner attribute {group_by!r} to group brokers by "
                f"(partner attributes: {available})"
            )
        brokerage = gould_fernandez(P.shared, net.partners[group_by].to_numpy())
    table = None
    if backbone is not None:
        table = backbone_table(net, P, backbone, alpha=alpha, correction=correction)
    return Analysis(participations, net, P, metrics, partition, seed, stability, brokerage, group_by, table)


def backbone_table(net: Bipartite, P: Projection, method: str, *, alpha: float = 0.05,
                   correction: str = "holm") -> pd.DataFrame:
    """The partner pairs a backbone tests, with names, p-values and whether each is kept.

    ``"disparity"`` runs on the weighted projection ``P``; ``"sdsm"`` on the
    bipartite graph (and tests every pair sharing a project, whatever ``P``'s
    ``min_shared``), without the projects ``P`` leaves out.
    Rows sorted by p-value, then partners.
    """
    if method == "disparity":
        t = disparity_filter(P.weight, alpha=alpha, correction=correction)
        i, j = t["i"].to_numpy(), t["j"].to_numpy()
        shared = np.asarray(P.shared[i, j]).ravel() if len(t) else np.zeros(0)
        t.insert(2, "shared", shared.astype(np.int64))
    elif method == "sdsm":
        t = sdsm(P.incidence, alpha=alpha, correction=correction)
    else:
        raise ValueError(f"unknown backbone {method!r}: choose one of {', '.join(BACKBONES)}")
    attrs = t.attrs
    keys, names = net.partners["node"].to_numpy(), net.partners["name"].to_numpy()
    i, j = t.pop("i").to_numpy(), t.pop("j").to_numpy()
    t.insert(0, "source", keys[i])
    t.insert(1, "target", keys[j])
    t.insert(2, "source_name", names[i])
    t.insert(3, "target_name", names[j])
    t = t.sort_values(["pvalue", "source", "target"], kind="stable").reset_index(drop=True)
    t.attrs = attrs
    return t
