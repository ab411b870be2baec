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

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import __version__
from .backbone import disparity_filter, sdsm
from .brokerage import Brokerage, gould_fernandez
from .communities import (Partition, Stability, community_numbers, community_stability, detect_communities,
                          numbered_partition)
from .dates import ProjectDates, project_dates
from .graph import MAX_PAIRS, PARTNER, PROJECT, Bipartite, Projection, build_network, project
from .graph import components as bipartite_components
from .errors import EcosysError
from .limits import map_large_blocks, release_memory
from .maps import to_pyvis as pyvis_network
from .read import Participations, input_details, read_participations
from .read.sides import not_a_partner_attribute
from .metrics import DEFAULT_BUDGET, node_metrics
from .searches import preload_searches
from .nodes import NodeTable
from .nodes import node_table as build_node_table
from .parallel import Pending, behind, resolve_jobs, start
from .profiles import by_centrality, communities_of, community_profiles

if TYPE_CHECKING:  # networkx is imported where a networkx graph is made (ecosys.graph)
    import networkx as nx

__all__ = ["Analysis", "analyze", "backbone_table", "find_communities", "demo_path", "DEMO_NAME", "BACKBONES",
           "PARALLEL_NODES", "jobs_for", "while_communities"]

DEMO_NAME = "italian-social-innovation"
_PROFILES_IN_SUMMARY = 20
# Graphs of fewer nodes are analysed in one process whatever ``jobs``: a second process costs more than it saves.
PARALLEL_NODES = 1_000
# Tables of at least this many bytes (all of H2020: 2.3 MB compressed) load the compiled searches while being read.
_PRELOAD_BYTES = 1_000_000
BACKBONES = ("disparity", "sdsm")


def jobs_for(nodes: int, jobs: int | None) -> int:
    """The jobs to use on a graph of ``nodes`` nodes when asked for ``jobs`` (None: every processor): 1 under
    :data:`PARALLEL_NODES` nodes, where a second process costs more than it saves.

    >>> jobs_for(56, 2), jobs_for(67_322, 2)
    (1, 2)
    """
    return resolve_jobs(jobs) if nodes >= PARALLEL_NODES else 1


def demo_path() -> Path:
    """The bundled demo dataset (installed with the package; ``data/`` in a checkout).

    >>> demo_path().name
    'italian-social-innovation.csv'
    """
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

    >>> result = analyze(demo_path())
    >>> top = result.partners().iloc[0]  # the most central partner
    >>> top["name"], int(top["degree"]), int(top["community"])
    ('Formez', 16, 1)
    >>> result.graph.number_of_edges(), result.projection.number_of_edges(), result.partition.count
    (52, 63, 5)
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
    def dates(self) -> ProjectDates:
        """Each project's start and end, found in the participation table once for every output that draws
        time (see :func:`ecosys.dates.project_dates`).

        >>> d = analyze(demo_path()).dates
        >>> d.start_column, len(d.keys)
        ('start', 20)
        """
        return project_dates(self.participations)

    @cached_property
    def _community(self) -> np.ndarray:
        """The community of each row of :attr:`metrics`."""
        return communities_of(self.metrics["node"], self.partition.membership)

    @property
    def node_communities(self) -> np.ndarray:
        """The community of each row of :attr:`metrics` (partners, then projects), computed once.

        >>> analyze(demo_path()).node_communities[:3].tolist()
        [2, 4, 5]
        """
        return self._community

    @cached_property
    def _orders(self) -> tuple[np.ndarray, np.ndarray]:
        """The partners' and the projects' :func:`~ecosys.profiles.by_centrality` (PageRank, ties by name), each
        side's rows of :attr:`metrics` numbered from 0, found once for the tables and the community profiles."""
        n = self.network.n_partners
        rank, names = self.metrics["pagerank"].to_numpy(), self.metrics["name"].to_numpy()
        return by_centrality(rank[:n], names[:n]), by_centrality(rank[n:], names[n:])

    def nodes(self, kind: str) -> pd.DataFrame:
        """Metrics, community and attributes of the partners (or projects), most central first."""
        if kind not in (PARTNER, PROJECT):
            raise ValueError(f"unknown kind {kind!r}: expected {PARTNER!r} or {PROJECT!r}")
        # the side's rows of the metrics (partners first), most central first, ties by name: one copy, in that order
        order = self._orders[kind != PARTNER]
        rows = order if kind == PARTNER else order + self.network.n_partners
        t = self.metrics.take(rows).reset_index(drop=True)
        t.insert(3, "community", self._community[rows])
        if self.stability is not None:
            t.insert(4, "stability", self.stability.stability[rows])
            t.insert(5, "unstable", self.stability.unstable[rows])
        if self.brokerage is not None and kind == PARTNER:
            t = pd.concat([t, self.brokerage.to_frame().take(order).reset_index(drop=True)], axis=1)
        side = self.network.side(kind)
        for column in self.network.attributes(kind):  # categories stay categories
            t[column if column not in t.columns else f"{column} (input)"] = side[column].array.take(order)
        return t

    def partners(self) -> pd.DataFrame:
        """One row per partner: see :meth:`nodes`."""
        return self.nodes(PARTNER)

    def projects(self) -> pd.DataFrame:
        """One row per project: see :meth:`nodes`."""
        return self.nodes(PROJECT)

    def communities(self) -> pd.DataFrame:
        """One row per community: its size, most central members and profile (a copy; see
        :func:`ecosys.profiles.community_profiles`)."""
        return self._profiles.copy()

    def community_names(self) -> dict[int, str]:
        """Each community's name (the ``name`` of its profile, :meth:`communities`) by number.

        >>> names = analyze(demo_path()).community_names()
        >>> len(names), sorted(names)[:2]
        (5, [1, 2])
        """
        profiles = self._profiles
        return dict(zip(profiles["community"].astype(int).tolist(), profiles["name"].astype(str).tolist()))

    @cached_property
    def _profiles(self) -> pd.DataFrame:
        return community_profiles(*self._profile_inputs())

    def _profile_inputs(self) -> tuple:
        return (self.network, self.projection, self.partition, self.metrics["pagerank"].to_numpy(), self._community,
                self._orders)

    def prepare(self, jobs: int | None = None, meanwhile=None) -> Analysis:
        """Compute what every output draws on, once: the community profiles, the projects' dates and the node
        table; the profiles in a second process meanwhile when ``jobs`` allows (see :mod:`ecosys.parallel`;
        graphs under :data:`PARALLEL_NODES` nodes stay in one process). ``meanwhile`` (a function without
        arguments) runs here after the node table, while the profiles may still be computed in the other
        process; what it returns is dropped. Returns the analysis itself.

        >>> result = analyze(demo_path()).prepare(jobs=1)
        >>> len(result.communities()), len(result.node_table.table)
        (5, 56)
        """
        profiles = None
        if "_profiles" not in self.__dict__:
            profiles = start(community_profiles, *self._profile_inputs(), jobs=jobs_for(len(self.network.nodes), jobs))
        try:
            self.node_table
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            if profiles is not None:
                profiles.cancel()
            raise
        if profiles is not None:
            self.__dict__["_profiles"] = profiles.result()  # as the cached property would keep it
        return self

    @cached_property
    def components(self) -> np.ndarray:
        """The connected component of each node (partners, then projects; see :func:`ecosys.graph.components`)."""
        return bipartite_components(self.network)

    @cached_property
    def node_table(self) -> NodeTable:
        """One row per node with metrics, community and attributes, as maps and exports draw it
        (see :func:`ecosys.nodes.node_table`)."""
        return build_node_table(self)

    def to_pyvis(self, **options):
        """The bipartite graph as a ``pyvis.network.Network`` for notebooks: ecosys's community colours and
        positions (the map's seeded layout), escaped tooltips, physics off (see :func:`ecosys.maps.to_pyvis`).

        Needs pyvis: ``pip install 'ecosys[notebook]'``.

        >>> net = analyze(demo_path()).to_pyvis()
        >>> len(net.nodes), len(net.edges), net.get_node("project:SEED")["shape"]
        (56, 52, 'square')
        """
        return pyvis_network(self.node_table, seed=self.seed, **options)

    def summary(self) -> dict:
        """The dataset and the run in numbers, with what is needed to reproduce it."""
        p, net = self.participations, self.network
        partners, projects, participations = net.n_partners, net.n_projects, len(net.edges)
        label = self.components if partners and projects else np.zeros(0, int)
        count = int(label.max()) + 1 if len(label) else 0
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
                **input_details(p),
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
        profiles = self._profiles.head(_PROFILES_IN_SUMMARY)
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
    jobs: int | None = None,
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
    :func:`ecosys.graph.project`). ``jobs`` is how many processors to use
    (default: those this process may use): with 2 or more the communities
    are found in a second process while the metrics are computed here, and
    the metrics' breadth-first searches run on ``jobs`` threads; the
    results are the same bits whatever ``jobs`` (see :mod:`ecosys.parallel`).
    ``read_options`` go to
    :func:`ecosys.read.read_participations` (``partner``, ``project``,
    ``sheet``, ``name``).

    >>> result = analyze(demo_path(), method="louvain", runs=2, group_by="type")
    >>> result.summary()["stability"]["runs"], "brokerage_liaison" in result.partners()
    (2, True)
    """
    if not (isinstance(seed, (int, np.integer)) and 0 <= seed and seed + max(runs, 1) - 1 < 2**32):
        raise ValueError(f"seed {seed!r} (with runs {runs!r}): expected seeds from 0 to {2**32 - 1}")
    if not (isinstance(runs, (int, np.integer)) and runs >= 1):
        raise ValueError(f"runs {runs!r}: expected a whole number from 1")
    if not (math.isfinite(resolution) and resolution > 0):
        raise ValueError(f"resolution {resolution!r}: expected a finite number above 0")
    jobs = resolve_jobs(jobs)
    map_large_blocks()  # large arrays back to the system as soon as they are freed (ecosys.limits)
    # reading forks processes of its own (jobs > 1): no thread may be importing then (ecosys.parallel)
    participations = source if isinstance(source, Participations) else \
        read_participations(source, jobs=jobs, **read_options)
    # a large table will run the compiled searches: their code loads on the other processor while the graph is built
    loading = preload_searches() if jobs > 1 and _file_size(source) >= _PRELOAD_BYTES else None
    try:
        net = build_network(participations)
        P = project(net, PARTNER, min_shared=min_shared, weighting=weighting, max_project_size=max_project_size,
                    max_pairs=max_pairs)
    finally:
        if loading is not None:
            loading.join()  # before forking: a child must not start with a thread's half-done import
    found = start(_communities_as_numbers, net, P, seed, resolution, method, runs,
                  jobs=jobs_for(len(net.nodes), jobs))
    try:
        # the communities are the longer step: the metrics' threads take the processor time they leave
        metrics = behind(found, node_metrics, net, seed=seed, budget=budget, projection=P, jobs=jobs)
        release_memory()  # each step's freed memory back to the system before the next (ecosys.limits)
    except BaseException:
        found.cancel()
        raise
    early = while_communities(found, participations, net)
    partition, stability = _named(found.result(), net)
    release_memory()
    brokerage = None
    if group_by is not None:
        if group_by not in net.attributes(PARTNER):
            why = not_a_partner_attribute(group_by, participations.report.sides, net.attributes(PARTNER))
            raise EcosysError(f"{participations.source}: cannot group brokers by {group_by!r}: {why}")
        brokerage = gould_fernandez(P.shared, net.partners[group_by].to_numpy())
    table = None
    if backbone is not None:
        table = backbone_table(net, P, backbone, alpha=alpha, correction=correction)
    analysis = Analysis(participations, net, P, metrics, partition, seed, stability, brokerage, group_by, table)
    analysis.__dict__.update(early)  # as the cached properties would keep them
    return analysis


def while_communities(found: Pending, participations: Participations, net: Bipartite) -> dict:
    """What the outputs draw on without the communities, computed here while ``found`` is still running in the
    other process (this process would otherwise wait): the projects' dates, then the components, each only
    if the communities are not in yet. Returns them by the name of :class:`Analysis`'s cached property
    (``dates``, ``components``); the same values as computed there later.

    >>> result = analyze(demo_path())
    >>> while_communities(start(len, [], jobs=1), result.participations, result.network)
    {}
    """
    early = {}
    if found.running():
        early["dates"] = project_dates(participations)
    if found.running():
        early["components"] = bipartite_components(net)
    return early


def _file_size(source) -> int:
    """Bytes of the file ``source`` names (0 for tables in memory, folders, standard input, a missing file)."""
    if isinstance(source, (str, Path)) and str(source) != "-":
        try:
            return Path(source).stat().st_size if Path(source).is_file() else 0
        except OSError:
            return 0
    return 0


def find_communities(net: Bipartite, P: Projection, seed: int, resolution: float, method: str,
                     runs: int) -> tuple[Partition, Stability | None]:
    """The communities of :func:`analyze`: ``method`` once, or ``runs`` times with their consensus and stability.

    >>> result = analyze(demo_path())
    >>> partition, stability = find_communities(result.network, result.projection, 0, 1.0, "leiden", 1)
    >>> partition.membership == result.partition.membership, stability
    (True, None)
    """
    if runs > 1:
        stability = community_stability(net, runs=runs, seed=seed, resolution=resolution, projection=P, method=method)
        return stability.consensus, stability
    return detect_communities(net, seed=seed, resolution=resolution, projection=P, method=method), None


def _communities_as_numbers(net: Bipartite, P: Projection, seed: int, resolution: float, method: str,
                            runs: int) -> tuple:
    """:func:`find_communities` for another process: a single partition as numbers (a community per node, not a
    dictionary of node keys: at 4 million nodes seconds less to pickle and read back, and no copy of every key);
    :func:`_named` makes the partition."""
    if runs > 1:
        return find_communities(net, P, seed, resolution, method, runs)
    return community_numbers(net, seed=seed, resolution=resolution, projection=P, method=method), None


def _named(found: tuple, net: Bipartite) -> tuple[Partition, Stability | None]:
    """:func:`find_communities`'s answer from :func:`_communities_as_numbers`'s."""
    partition, stability = found
    return (partition if isinstance(partition, Partition) else numbered_partition(net, partition)), stability


def backbone_table(net: Bipartite, P: Projection, method: str, *, alpha: float = 0.05,
                   correction: str = "holm") -> pd.DataFrame:
    """The partner pairs a backbone tests, with names, p-values and whether each is kept.

    ``"disparity"`` runs on the weighted projection ``P``; ``"sdsm"`` on the
    bipartite graph (and tests every pair sharing a project, whatever ``P``'s
    ``min_shared``), without the projects ``P`` leaves out.
    Rows sorted by p-value, then partners.

    >>> result = analyze(demo_path())
    >>> t = backbone_table(result.network, result.projection, "disparity")
    >>> len(t), t.columns.tolist()[:4]
    (63, ['source', 'target', 'source_name', 'target_name'])
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
