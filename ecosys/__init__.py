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

from .lazy import attach

# The public names and the module each comes from. They are imported on first use (module
# __getattr__, PEP 562), so `import ecosys.cli` and `ecosys --help` stay light: pandas, igraph,
# numba and scipy load only when a command or a notebook uses what needs them.
_EXPORTS = {
    "backbone": ("disparity_filter", "sdsm"),
    "bipartite": ("clustering_and_redundancy",),
    "brokerage": ("constraint", "effective_size", "gould_fernandez"),
    "communities": ("Partition", "community_stability", "detect_communities"),
    "graph": ("Bipartite", "Projection", "build_graph", "build_network", "estimate_pairs", "graph_from_edges",
              "incidence", "node_key", "project", "sides"),
    "errors": ("EcosysError", "InputError"),
    "evolution": ("Evolution", "evolve"),
    "read": ("Participations", "read_participations"),
    "maps": ("map_payload", "render_map"),
    "metrics": ("METRICS", "node_metrics"),
    "pipeline": ("Analysis", "analyze", "demo_path"),
    "files": ("write_outputs",),
}


__getattr__, __dir__ = attach(__name__, _EXPORTS)


__all__ = [
    "__version__",
    "Analysis",
    "Bipartite",
    "EcosysError",
    "Evolution",
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
    "estimate_pairs",
    "evolve",
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
