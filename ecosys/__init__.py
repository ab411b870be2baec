"""ecosys: network analysis of partnership ecosystems.

Read a participation table (partner, project, role, ...), build the
partner-project bipartite graph, compute centrality and communities, and
write metrics tables and an offline interactive map.

>>> import ecosys
>>> result = ecosys.analyze(ecosys.demo_path())
>>> result.summary()["communities"] > 1
True
"""

__version__ = "0.1.0"

from .backbone import disparity_filter, sdsm
from .bipartite import clustering_and_redundancy
from .brokerage import constraint, effective_size, gould_fernandez
from .communities import Partition, community_stability, detect_communities
from .graph import (
    Bipartite,
    Projection,
    build_graph,
    build_network,
    graph_from_edges,
    incidence,
    node_key,
    project,
    sides,
)
from .errors import EcosysError, InputError
from .read import Participations, read_participations
from .maps import map_payload, render_map
from .metrics import METRICS, node_metrics
from .pipeline import Analysis, analyze, demo_path
from .report import write_outputs

__all__ = [
    "__version__",
    "Analysis",
    "Bipartite",
    "EcosysError",
    "InputError",
    "METRICS",
    "Participations",
    "Partition",
    "Projection",
    "analyze",
    "build_graph",
    "build_network",
    "clustering_and_redundancy",
    "community_stability",
    "constraint",
    "demo_path",
    "detect_communities",
    "disparity_filter",
    "effective_size",
    "gould_fernandez",
    "graph_from_edges",
    "incidence",
    "map_payload",
    "node_key",
    "node_metrics",
    "project",
    "read_participations",
    "render_map",
    "sdsm",
    "sides",
    "write_outputs",
]
