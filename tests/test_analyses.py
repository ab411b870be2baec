"""Community methods, stability, brokerage and backbones through the pipeline and the CLI."""

import itertools
import json
import random
from collections import Counter

import igraph as ig
import leidenalg
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy.stats import spearmanr

from ecosys.cli import cli
from ecosys.communities import METHODS, barber_modularity, community_stability, detect_communities
from ecosys.graph import build_network, graph_from_edges, project
from ecosys.read import read_participations
from ecosys.metrics import node_metrics
from ecosys.pipeline import analyze, demo_path

TWO_GROUPS = [("A", "P1"), ("B", "P1"), ("A", "P2"), ("B", "P2"), ("C", "P2"),
              ("D", "P3"), ("E", "P3"), ("D", "P4"), ("E", "P4"), ("F", "P4"), ("C", "P5"), ("D", "P5")]


def random_graph(seed, partners=60, projects=25, rows=150):
    rng = random.Random(seed)
    return graph_from_edges((f"a{rng.randrange(partners)}", f"p{rng.randrange(projects)}") for _ in range(rows))


def partner_sets(part, G):
    groups = {}
    for n, c in part.membership.items():
        if n.startswith("partner:"):
            groups.setdefault(c, set()).add(n)
    return list(groups.values())


# -- methods -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method", list(METHODS))
def test_every_method_gives_every_node_a_community_and_networkx_modularity(method):
    G = random_graph(3)
    part = detect_communities(G, seed=2, method=method)
    assert set(part.membership) == set(G)
    assert part.method == method and part.parameters["seed"] == 2
    P = project(G).to_networkx()
    assert part.modularity == pytest.approx(nx.community.modularity(P, partner_sets(part, G), weight="weight"))
    sizes = Counter(c for n, c in part.membership.items() if n.startswith("partner:"))
    assert sorted(sizes) == list(range(1, len(sizes) + 1)) or method == "bipartite"
    assert detect_communities(G, seed=2, method=method) == part  # reproducible


def test_two_groups_are_found_by_every_method():
    G = graph_from_edges(TWO_GROUPS)
    for method in METHODS:
        part = detect_communities(G, method=method)
        assert part.of("partner:A") == part.of("partner:B") != part.of("partner:E") == part.of("partner:F"), method


def test_barber_modularity_by_hand_and_the_bipartite_method():
    # Two groups: {A, B, C, P1, P2} and {D, E, F, P3, P4}, with P5 joining C and D.
    net = build_network(read_participations_from(TWO_GROUPS))
    partners = {"A": 1, "B": 1, "C": 1, "D": 2, "E": 2, "F": 2}
    projects = {"P1": 1, "P2": 1, "P3": 2, "P4": 2, "P5": 1}
    a = np.array([partners[n.split(":")[1]] for n in net.partners["node"]])
    b = np.array([projects[n.split(":")[1]] for n in net.projects["node"]])
    # m = 12; inside: A-P1 B-P1 A-P2 B-P2 C-P2 C-P5 (6) and D-P3 E-P3 D-P4 E-P4 F-P4 (5) = 11
    # K_1 = 2 + 2 + 2 = 6, D_1 = 2 + 3 + 2 = 7; K_2 = 3 + 2 + 1 = 6, D_2 = 2 + 3 = 5
    expected = (11 - (6 * 7 + 6 * 5) / 12) / 12
    assert barber_modularity(net.B, a, b) == pytest.approx(expected)
    part = detect_communities(net, method="bipartite")
    found_a = np.array([part.of(n) for n in net.partners["node"]])
    found_b = np.array([part.of(n) for n in net.projects["node"]])
    assert part.parameters["barber_modularity"] == pytest.approx(barber_modularity(net.B, found_a, found_b), abs=1e-6)
    assert part.parameters["barber_modularity"] >= expected - 1e-9


def read_participations_from(pairs):
    import io
    text = "partner,project\n" + "".join(f"{a},{b}\n" for a, b in pairs)
    return read_participations(io.BytesIO(text.encode()), name="t")


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown community method"):
        detect_communities(graph_from_edges(TWO_GROUPS), method="walktrap")


# -- stability -------------------------------------------------------------------------------

def adjusted_rand(x, y):
    """Hubert & Arabie's ARI from the contingency table, by hand."""
    table = Counter(zip(x, y))
    comb = lambda k: k * (k - 1) / 2
    index = sum(comb(v) for v in table.values())
    a = sum(comb(v) for v in Counter(x).values())
    b = sum(comb(v) for v in Counter(y).values())
    expected = a * b / comb(len(x))
    return (index - expected) / ((a + b) / 2 - expected)


def test_stability_of_a_clear_structure_is_total():
    s = community_stability(graph_from_edges(TWO_GROUPS), runs=4, seed=1)
    assert (s.ari, s.nmi) == (pytest.approx(1.0), pytest.approx(1.0))
    assert s.stability.tolist() == [1.0] * 11 and not s.unstable.any()
    assert s.seeds == [1, 2, 3, 4]


def test_stability_of_a_single_partner():
    s = community_stability(graph_from_edges([("A", "P1"), ("A", "P2")]), runs=2)
    assert (s.ari, s.nmi) == (1.0, 1.0) and s.stability.tolist() == [1.0, 1.0, 1.0]


def test_stability_agreement_consensus_and_flags():
    G = random_graph(5, partners=120, projects=60, rows=260)
    s = community_stability(G, runs=5, seed=0, method="louvain")
    runs = [detect_communities(G, seed=k, method="louvain") for k in range(5)]
    partners = [n for n in G if n.startswith("partner:")]
    pairs = list(itertools.combinations(range(5), 2))
    labels = [[r.membership[n] for n in partners] for r in runs]
    assert s.ari == pytest.approx(np.mean([adjusted_rand(labels[a], labels[b]) for a, b in pairs]))
    assert s.nmi == pytest.approx(np.mean([ig.compare_communities(labels[a], labels[b], method="nmi") for a, b in pairs]))
    assert 0 < s.ari < 1
    assert ((s.stability >= 0) & (s.stability <= 1)).all()
    assert (s.unstable == (s.stability < 0.5)).all()
    # stability counts the runs placing a node with its consensus community, in fifths
    assert set(np.round(s.stability * 5, 9)) <= {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}
    P = project(G).to_networkx()
    assert s.consensus.modularity == pytest.approx(nx.community.modularity(P, partner_sets(s.consensus, G), weight="weight"))
    with pytest.raises(ValueError, match="at least 2 runs"):
        community_stability(G, runs=1)


# -- brokerage and backbones in the pipeline ----------------------------------------

def test_pipeline_brokerage_stability_and_backbone_columns():
    result = analyze(demo_path(), runs=3, group_by="type", backbone="disparity", method="louvain")
    partners, projects = result.partners(), result.projects()
    assert list(partners.columns[3:6]) == ["community", "stability", "unstable"]
    assert "brokerage_liaison" in partners and "brokerage_liaison_z" in partners
    assert "brokerage_total" not in projects
    assert (partners["brokerage_total"] == partners[[f"brokerage_{r}" for r in
            ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")]].sum(axis=1)).all()
    s = result.summary()
    assert s["stability"]["runs"] == 3 and s["brokerage"]["group_by"] == "type"
    assert set(s["brokerage"]["groups"]) == set(result.network.partners["type"])
    assert s["backbone"]["method"] == "disparity" and s["backbone"]["ties"] == s["partner_pairs"]
    assert s["community_method"]["name"] == "louvain"


def test_cli_backbone_and_analyze_options(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["backbone", "--method", "disparity", "--correction", "none", "--alpha", "0.5",
                                 "-o", str(tmp_path / "b.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "b.csv")
    assert list(table.columns) == ["source", "target", "source_name", "target_name", "shared", "weight",
                                   "pvalue", "adjusted"]
    assert (table["pvalue"] < 0.5).all() and len(table) > 0
    assert result.output.startswith(f"Disparity filter backbone: kept {len(table)} of 63 partner pairs")
    everything = runner.invoke(cli, ["backbone", "--all", "-o", "-"])
    assert everything.exit_code == 0 and len(everything.output.splitlines()) == 63 + 1
    out = tmp_path / "demo"
    result = runner.invoke(cli, ["analyze", "-o", str(out), "--runs", "2", "--group-by", "type",
                                 "--backbone", "sdsm", "--method", "bipartite"])
    assert result.exit_code == 0, result.output
    assert "Stability over 2 runs" in result.output and "SDSM backbone: kept" in result.output
    assert (out / "backbone.csv").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["community_method"]["name"] == "bipartite" and summary["backbone"]["method"] == "sdsm"
    bad = runner.invoke(cli, ["analyze", "-o", str(tmp_path / "x"), "--group-by", "colour"])
    assert bad.exit_code == 1 and bad.output == (
        "Error: ecosys demo: italian-social-innovation.csv: cannot group brokers by 'colour': no column 'colour' "
        "(partner attributes: 'type', 'city')\n")


# -- real data -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sod2016(shared_data):
    net = build_network(read_participations(shared_data / "cordis-h2020-sod2016" / "edges.csv"))
    return net, project(net)


def direct_graph(P):
    rows, cols, _, weights = P.pairs()
    g = ig.Graph(n=P.shared.shape[0])
    g.add_edges(np.column_stack([rows, cols]))
    return g, weights.astype(float).tolist()


def test_sod2016_communities_match_the_algorithms_run_directly(sod2016):
    """Each method against the same algorithm run directly on the same projection (measured: see README)."""
    import random as stdlib_random

    net, P = sod2016
    g, w = direct_graph(P)
    leiden = detect_communities(net, projection=P, method="leiden")
    direct = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, weights=w, seed=0)
    reference = g.modularity(direct.membership, weights=w)
    assert leiden.modularity == pytest.approx(reference, rel=0.01)  # 0.4965 / 0.4983 (leidenalg)
    for method, run in (("louvain", lambda: g.community_multilevel(weights=w)),
                        ("labelprop", lambda: g.community_label_propagation(weights=w))):
        ours = detect_communities(net, projection=P, method=method)
        stdlib_random.seed(0)
        reference = g.modularity(run().membership, weights=w)
        assert ours.modularity == pytest.approx(reference, rel=0.01), method
    louvain = detect_communities(net, projection=P, method="louvain")
    nx_louvain = nx.community.louvain_communities(P.to_networkx(), weight="weight", seed=0)
    # networkx's own Louvain (another implementation) lands within 2% (0.4815 / 0.4882)
    assert louvain.modularity == pytest.approx(
        nx.community.modularity(P.to_networkx(), nx_louvain, weight="weight"), rel=0.02
    )


def test_sampled_betweenness_ranks_like_exact_on_a_cordis_component(shared_data, tmp_path):
    """H2020 coordination and support actions (SOD 2016): 631 projects, a 3,350-node component."""
    projects = pd.read_csv(shared_data / "cordis-h2020-sod2016" / "projects.csv", sep="\t", dtype=str)
    edges = pd.read_csv(shared_data / "cordis-h2020-sod2016" / "edges.csv", sep="\t", dtype=str)
    csa = edges[edges["projectRcn"].isin(set(projects.loc[projects["fundingScheme"] == "CSA", "rcn"]))]
    path = tmp_path / "csa.tsv"
    csa.to_csv(path, sep="\t", index=False)
    net = build_network(read_participations(path))
    exact = node_metrics(net, budget=float("inf"))
    sampled = node_metrics(net, budget=3e6, seed=0)
    plan = sampled.attrs["estimation"]
    assert plan["method"] == "sampled" and plan["sampled_components"] == [{"nodes": 3350, "pivots": 369}]
    # within the sampled component, among the nodes that broker at all
    members = exact["betweenness"].to_numpy() > 0
    rho = spearmanr(exact["betweenness"][members], sampled["betweenness"][members]).statistic
    top = set(exact.nlargest(10, "betweenness")["node"]) & set(sampled.nlargest(10, "betweenness")["node"])
    assert rho >= 0.9 and len(top) >= 7, (rho, len(top))


def test_bipartite_method_optimises_barber_modularity_at_the_given_resolution():
    # A ring of twelve 3 x 2 bicliques, each linked to the next by one participation: at resolution 1
    # the blocks are the best partition; at half that (the objective once optimised) pairs of blocks are.
    pairs = [(f"a{b}_{a}", f"p{b}_{p}") for b in range(12) for a in range(3) for p in range(2)]
    pairs += [(f"a{b}_0", f"p{(b + 1) % 12}_0") for b in range(12)]
    net = build_network(read_participations_from(pairs))
    block = lambda keys: np.array([int(k.split(":")[1][1:].split("_")[0]) for k in keys])
    blocks = barber_modularity(net.B, block(net.partners["node"]), block(net.projects["node"]))
    for seed in range(3):
        part = detect_communities(net, method="bipartite", seed=seed)
        assert part.count == 12 and part.parameters["barber_modularity"] == pytest.approx(blocks, abs=1e-6)
    # the CPM layers leidenalg optimises are 2 m times Barber's Q
    n, m = net.n_partners, net.n_projects
    g = ig.Graph(n=n + m)
    g.add_edges(np.column_stack([net.edges["partner"], net.edges["project"] + n]))
    for resolution in (0.5, 1.0, 2.0):
        layers = leidenalg.CPMVertexPartition.Bipartite(
            g, resolution_parameter_01=resolution / g.ecount(), degree_as_node_size=True, types=[0] * n + [1] * m
        )
        membership = random.Random(resolution).choices(range(5), k=n + m)
        for layer in layers:
            layer.set_membership(membership)
        quality = layers[0].quality() - layers[1].quality() - layers[2].quality()
        a = np.array(membership)
        assert quality / (2 * g.ecount()) == pytest.approx(barber_modularity(net.B, a[:n], a[n:], resolution))


def test_bipartite_method_is_leidenalgs_bipartite_cpm_run_directly():
    G = random_graph(8, partners=80, projects=30, rows=200)
    net = build_network(read_participations_from(
        [(G.nodes[u]["name"], G.nodes[v]["name"]) for u, v in G.edges() if u.startswith("partner:")]
        + [(G.nodes[v]["name"], G.nodes[u]["name"]) for u, v in G.edges() if u.startswith("project:")]
    ))
    part = detect_communities(net, method="bipartite", seed=4)
    n, m = net.n_partners, net.n_projects
    g = ig.Graph(n=n + m)
    g.add_edges(np.column_stack([net.edges["partner"], net.edges["project"] + n]))
    layers = leidenalg.CPMVertexPartition.Bipartite(
        g, resolution_parameter_01=1 / g.ecount(), degree_as_node_size=True, types=[0] * n + [1] * m
    )
    optimiser = leidenalg.Optimiser()
    optimiser.set_rng_seed(4)
    optimiser.optimise_partition_multiplex(list(layers), layer_weights=[1, -1, -1], n_iterations=2)
    direct = np.asarray(layers[0].membership)
    assert part.parameters["barber_modularity"] == pytest.approx(
        barber_modularity(net.B, direct[:n], direct[n:]), abs=1e-6
    )
    ours = np.array([part.of(v) for v in net.nodes])
    # the same partition, up to the numbering
    assert len(set(zip(ours, direct))) == len(set(ours)) == len(set(direct))


def test_cli_backbone_errors(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["backbone", str(tmp_path / "nope.csv"), "-o", "-"])
    assert missing.exit_code == 1 and missing.output.startswith("Error: ") and "nope.csv" in missing.output
    assert runner.invoke(cli, ["backbone", "--alpha", "0"]).exit_code == 2
    assert runner.invoke(cli, ["backbone", "--correction", "bonferroni"]).exit_code == 2
    assert runner.invoke(cli, ["analyze", "--method", "walktrap"]).exit_code == 2
    assert runner.invoke(cli, ["analyze", "--runs", "0"]).exit_code == 2
    path = tmp_path / "t.csv"
    path.write_text("partner,project\nA,P1\nB,P1\n")
    same = runner.invoke(cli, ["backbone", str(path), "-o", str(path)])
    assert same.exit_code == 1 and "is an input file" in same.output
    assert path.read_text() == "partner,project\nA,P1\nB,P1\n"
    # nor over a joined table
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("partner,city\nA,Roma\n")
    joined = runner.invoke(cli, ["backbone", str(path), "--partners", str(orgs), "-o", str(orgs)])
    assert joined.exit_code == 1 and joined.output == f"Error: {orgs}: is an input file; choose another output file with --out\n"
    assert orgs.read_text() == "partner,city\nA,Roma\n"


def test_stability_and_backbone_with_no_pairs_left(tmp_path):
    # sharing two projects: no pair in the demo, every partner alone
    result = analyze(demo_path(), min_shared=2, runs=3, backbone="disparity", group_by="type")
    s = result.summary()
    assert (s["stability"]["mean_ari"], s["stability"]["mean_nmi"]) == (1.0, 1.0)
    assert s["backbone"]["ties"] == 0 and len(result.backbone) == 0
    json.dumps(s, allow_nan=False)  # strict JSON


@pytest.mark.parametrize("fmt", ["json", "vosviewer"])
def test_exports_stay_strict_json_with_undefined_metrics(fmt):
    """Redundancy below degree 2 and constraint without co-partner are NaN: left out, never written as NaN."""
    from ecosys.export import render_export

    def refuse(constant):
        raise ValueError(f"{constant} in JSON")

    data = json.loads(render_export(analyze(demo_path()), fmt, "partners" if fmt == "json" else "bipartite"),
                      parse_constant=refuse)
    assert data
