"""Graph, metrics and communities: exact values by hand and against networkx."""

import random

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms import bipartite

from ecosys.communities import community_numbers, detect_communities, numbered_partition
from ecosys.graph import as_network, build_graph, graph_from_edges, incidence, project
from ecosys.read import read_participations
from ecosys.metrics import METRICS, node_metrics


def random_graph(seed, partners=40, projects=18, rows=90):
    rng = random.Random(seed)
    return graph_from_edges((f"a{rng.randrange(partners)}", f"p{rng.randrange(projects)}") for _ in range(rows))


# -- graph -------------------------------------------------------------------------------------

def test_partner_and_project_with_the_same_name_stay_two_nodes(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("partner,project,role,city\nTorino,Torino,lead,Torino\nPoliMi,Torino,partner,Milano\n")
    G = build_graph(read_participations(path))
    assert sorted(G) == ["partner:PoliMi", "partner:Torino", "project:Torino"]
    assert G.nodes["partner:Torino"] == {"kind": "partner", "bipartite": 0, "name": "Torino", "city": "Torino"}
    assert G.nodes["project:Torino"]["kind"] == "project"
    assert G.edges["partner:Torino", "project:Torino"] == {"role": "lead"}


def test_projection_weights_equal_networkx_shared_neighbour_counts():
    for seed in range(5):
        G = random_graph(seed)
        partners = [n for n, k in G.nodes(data="kind") if k == "partner"]
        ours = project(G).to_networkx()
        reference = bipartite.weighted_projected_graph(G, partners)
        assert set(ours) == set(reference)
        assert {frozenset(e): w for *e, w in ours.edges(data="weight")} == {
            frozenset(e): w for *e, w in reference.edges(data="weight")
        }


def test_projection_min_shared_keeps_pairs_sharing_that_many_projects():
    G = graph_from_edges([("A", "P1"), ("B", "P1"), ("A", "P2"), ("B", "P2"), ("C", "P2")])
    stable = project(G, min_shared=2)
    assert stable.edges().values.tolist() == [["partner:A", "partner:B", 2, 2.0]]
    assert len(stable.to_networkx()) == 3  # every partner kept, linked or not
    assert stable.degree().tolist() == [1, 1, 0]
    assert project(G, "project").edges().values.tolist() == [["project:P1", "project:P2", 2, 2.0]]


def test_projection_weightings_computed_by_hand():
    # P1: A, B, C; P2: A, B; P3: A, D. Degrees: A 3, B 2, C 1, D 1; 3 projects.
    G = graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P1"), ("A", "P2"), ("B", "P2"), ("A", "P3"), ("D", "P3")])
    pairs = {w: {(s[8:], t[8:]): x for s, t, _, x in project(G, weighting=w).edges().values.tolist()}
             for w in ("count", "newman", "jaccard", "cosine", "association")}
    assert pairs["count"] == {("A", "B"): 2, ("A", "C"): 1, ("A", "D"): 1, ("B", "C"): 1}
    assert pairs["newman"] == pytest.approx({("A", "B"): 0.5 + 1, ("A", "C"): 0.5, ("A", "D"): 1, ("B", "C"): 0.5})
    assert pairs["jaccard"] == pytest.approx({("A", "B"): 2 / 3, ("A", "C"): 1 / 3, ("A", "D"): 1 / 3, ("B", "C"): 1 / 2})
    assert pairs["cosine"] == pytest.approx(
        {("A", "B"): 2 / 6**0.5, ("A", "C"): 1 / 3**0.5, ("A", "D"): 1 / 3**0.5, ("B", "C"): 1 / 2**0.5})
    assert pairs["association"] == pytest.approx({("A", "B"): 1.0, ("A", "C"): 1.0, ("A", "D"): 1.0, ("B", "C"): 1.5})
    with pytest.raises(ValueError, match="unknown weighting"):
        project(G, weighting="pmi")


def test_projection_weightings_agree_with_networkx():
    G = random_graph(3)
    partners = [n for n, k in G.nodes(data="kind") if k == "partner"]
    ours = project(G, weighting="newman").to_networkx()
    reference = bipartite.collaboration_weighted_projected_graph(G, partners)
    assert {frozenset(e): w for *e, w in ours.edges(data="weight")} == pytest.approx(
        {frozenset(e): w for *e, w in reference.edges(data="weight")})
    ours = project(G, weighting="jaccard").to_networkx()
    reference = bipartite.overlap_weighted_projected_graph(G, partners)
    assert {frozenset(e): w for *e, w in ours.edges(data="weight")} == pytest.approx(
        {frozenset(e): w for *e, w in reference.edges(data="weight")})


def test_network_round_trips_through_networkx():
    G = random_graph(4)
    H = as_network(G).to_networkx()
    assert nx.utils.graphs_equal(G, H)


def test_incidence_matrix():
    partners, projects, B = incidence(graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2")]))
    assert partners == ["partner:A", "partner:B"] and projects == ["project:P1", "project:P2"]
    assert B.toarray().tolist() == [[1, 0], [1, 1]]


# -- metrics -----------------------------------------------------------------------------------

def test_metrics_on_a_path_computed_by_hand():
    # A - P1 - B - P2 - C: three partners (n = 3), two projects (m = 2).
    G = graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2")])
    t = node_metrics(G).set_index("name")
    assert t["degree"].to_dict() == {"A": 1, "B": 2, "C": 1, "P1": 2, "P2": 2}
    assert t.loc["B", "degree_centrality"] == 1.0 and t.loc["P1", "degree_centrality"] == pytest.approx(2 / 3)
    assert t["projection_degree"].to_dict() == {"A": 1, "B": 2, "C": 1, "P1": 1, "P2": 1}
    # B sits on the 4 paths A-P2, A-C, P1-P2, P1-C; a partner's maximum here is 4.
    # P1 sits on A-B, A-P2, A-C (3 paths); a project's maximum is 5.
    assert t["betweenness"].to_dict() == pytest.approx({"A": 0, "B": 1.0, "C": 0, "P1": 0.6, "P2": 0.6})
    # Closeness: minimum total distance (m + 2(n-1) = 6 for partners, n + 2(m-1) = 5 for
    # projects) over the total distance: A 6/10, B 6/6, P1 5/7.
    assert t.loc["A", "closeness"] == pytest.approx(0.6)
    assert t.loc["B", "closeness"] == pytest.approx(1.0)
    assert t.loc["P1", "closeness"] == pytest.approx(5 / 7)
    assert t["core"].tolist() == [1, 1, 1, 1, 1]
    assert t["pagerank"].sum() == pytest.approx(1.0)


def closeness_reference(G):
    """networkx's two-mode closeness within each component, times the share of the graph reached."""
    values = {}
    for component in nx.connected_components(G):
        H = G.subgraph(component)
        if len(H) == 1:
            values.update(dict.fromkeys(H, 0.0))
            continue
        top = [n for n in H if H.nodes[n]["kind"] == "partner"]
        for node, c in bipartite.closeness_centrality(H, top).items():
            values[node] = c * (len(H) - 1) / (len(G) - 1)
    return values


def test_closeness_on_a_connected_graph_is_networkx_exactly():
    G = random_graph(2, partners=20, projects=8, rows=80)
    G = G.subgraph(max(nx.connected_components(G), key=len)).copy()
    top = [n for n in G if G.nodes[n]["kind"] == "partner"]
    assert node_metrics(G).set_index("node")["closeness"].to_dict() == pytest.approx(
        bipartite.closeness_centrality(G, top), abs=1e-12
    )


def test_closeness_stays_within_0_and_1_in_small_components():
    # A - P1 - B and, apart, C - P2: N = 5 nodes.
    G = graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")])
    t = node_metrics(G).set_index("name")["closeness"]
    # C reaches only P2: its best possible total distance (1) is its total (1), reach 1/4.
    assert t["C"] == pytest.approx(1 / 4) and t["P2"] == pytest.approx(1 / 4)
    # A: distances 1 (P1) + 2 (B) = 3, best m_c + 2(n_c - 1) = 3, reach 2/4.
    assert t["A"] == pytest.approx(2 / 4)
    # P1: distances 1 + 1 = 2, best n_c + 2(m_c - 1) = 2, reach 2/4.
    assert t["P1"] == pytest.approx(2 / 4)
    # networkx's whole-graph formula gives C (m + 2(n - 1)) / 1 * 1/4 = (2 + 4) / 4 = 1.5
    top = ["partner:A", "partner:B", "partner:C"]
    assert bipartite.closeness_centrality(G, top)["partner:C"] == pytest.approx(1.5)


@pytest.mark.parametrize("seed", range(4))
def test_metrics_equal_networkx(seed):
    G = random_graph(seed)
    partners = [n for n, k in G.nodes(data="kind") if k == "partner"]
    t = node_metrics(G).set_index("node")
    references = {
        "degree_centrality": bipartite.degree_centrality(G, partners),
        "betweenness": bipartite.betweenness_centrality(G, partners),
        "closeness": closeness_reference(G),
        "pagerank": nx.pagerank(G, tol=1e-12, max_iter=10_000),
        "core": nx.core_number(G),
        "degree": dict(G.degree()),
    }
    for column, reference in references.items():
        ours = t[column].to_dict()
        assert ours == pytest.approx(reference, abs=1e-9), column
    P, Q = project(G).to_networkx(), project(G, "project").to_networkx()
    strength = {**dict(P.degree(weight="weight")), **dict(Q.degree(weight="weight"))}
    neighbours = {**dict(P.degree()), **dict(Q.degree())}
    assert t["weighted_degree"].to_dict() == strength
    assert t["projection_degree"].to_dict() == neighbours
    assert t.attrs["estimation"]["method"] == "exact"
    assert list(t.columns[2:]) == list(METRICS)


def test_sampled_centrality_tracks_exact_and_is_recorded():
    G = nx.relabel_nodes(random_graph(7, partners=900, projects=350, rows=2600), lambda n: n)
    exact = node_metrics(G, budget=float("inf"))
    budget = exact.attrs["estimation"]["cost"] * 200 / len(G)  # buys 200 pivots
    sampled = node_metrics(G, budget=budget, seed=3)
    plan = sampled.attrs["estimation"]
    assert plan["method"] == "sampled" and plan["seed"] == 3
    assert plan["pivots"] == 200 and plan["nodes"] == len(G)
    assert exact.attrs["estimation"]["method"] == "exact"
    # 200 of 1,196 sources (17%): measured Spearman 0.96-0.97 (betweenness) and 0.99
    # (closeness), 6-9 of the exact top 10 found, over seeds 1-3.
    for column, least_rank_correlation in (("betweenness", 0.95), ("closeness", 0.98)):
        e, s = exact[column].to_numpy(), sampled[column].to_numpy()
        ranks = np.corrcoef(np.argsort(np.argsort(e)), np.argsort(np.argsort(s)))[0, 1]
        assert ranks > least_rank_correlation, column
        top_exact = set(exact.nlargest(10, column)["node"])
        assert len(top_exact & set(sampled.nlargest(10, column)["node"])) >= 6, column
    assert np.abs(sampled["closeness"] - exact["closeness"]).max() < 0.05
    # everything else is exact whatever the budget
    for column in ("degree", "weighted_degree", "pagerank", "core"):
        assert sampled[column].equals(exact[column])
    again = node_metrics(G, budget=budget, seed=3)
    assert again.equals(sampled)


def test_metrics_of_an_empty_and_a_single_edge_graph():
    assert len(node_metrics(nx.Graph())) == 0
    t = node_metrics(graph_from_edges([("A", "P")]))
    assert t["betweenness"].tolist() == [0.0, 0.0] and t["closeness"].tolist() == [1.0, 1.0]


# -- communities -------------------------------------------------------------------------------

TWO_GROUPS = [("A", "P1"), ("B", "P1"), ("A", "P2"), ("B", "P2"), ("C", "P2"),
              ("D", "P3"), ("E", "P3"), ("D", "P4"), ("E", "P4"), ("F", "P4"), ("C", "P5"), ("D", "P5")]


def test_two_groups_joined_by_one_project_are_two_communities():
    G = graph_from_edges(TWO_GROUPS)
    part = detect_communities(G, seed=0)
    members = {c: sorted(n for n, k in part.membership.items() if k == c) for c in (1, 2)}
    groups = sorted(members.values())
    assert groups == [
        ["partner:A", "partner:B", "partner:C", "project:P1", "project:P2"],
        ["partner:D", "partner:E", "partner:F", "project:P3", "project:P4"],
    ] or part.of("project:P5") in (1, 2)
    assert set(part.membership) == set(G)  # every partner and project has one
    assert part.count == 2
    P = project(G).to_networkx()
    partners = [[n for n in members[c] if n.startswith("partner:")] for c in (1, 2)]
    assert part.modularity == pytest.approx(nx.community.modularity(P, partners, weight="weight"))
    # P5 links C and D, one in each: the tie goes to community 1
    assert part.of("project:P5") == 1


def test_communities_are_numbered_by_size_and_reproducible():
    G = random_graph(11, partners=120, projects=50, rows=300)
    a = detect_communities(G, seed=5)
    b = detect_communities(G, seed=5)
    assert a == b
    sizes = [sum(1 for n, c in a.membership.items() if c == k and n.startswith("partner:")) for k in range(1, a.count + 1)]
    assert sizes == sorted(sizes, reverse=True)
    reference = nx.community.modularity(
        project(G).to_networkx(), [{n for n, c in a.membership.items() if c == k and n.startswith("partner:")} for k in range(1, a.count + 1)]
    )
    assert a.modularity == pytest.approx(reference)
    # Leiden reaches at least what networkx's Louvain finds with the same seed
    P = project(G).to_networkx()
    louvain = nx.community.louvain_communities(P, weight="weight", seed=5)
    assert a.modularity >= nx.community.modularity(P, louvain) - 0.01


@pytest.mark.parametrize("method", ["leiden", "louvain", "labelprop", "bipartite"])
def test_communities_as_numbers_name_the_same_partition(method):
    G = random_graph(3, partners=80, projects=40, rows=200)
    found = community_numbers(G, seed=2, method=method)
    part = detect_communities(G, seed=2, method=method)
    assert numbered_partition(G, found) == part
    assert found[0].tolist() == [part.of(node) for node in as_network(G).nodes]  # partners, then projects


def test_a_partner_with_no_co_partner_is_its_own_community():
    G = graph_from_edges([("A", "P1"), ("B", "P1"), ("Solo", "P2")])
    part = detect_communities(G)
    assert part.of("partner:Solo") == part.of("project:P2") != part.of("partner:A")
    assert part.count == 2


@pytest.mark.parametrize("seed", range(3))
def test_two_mode_and_structural_hole_columns_equal_networkx(seed):
    G = random_graph(seed)
    t = node_metrics(G).set_index("node")
    partners = [n for n, k in G.nodes(data="kind") if k == "partner"]
    assert t["clustering"].to_dict() == pytest.approx(bipartite.clustering(G, mode="dot"), abs=1e-12)
    high = [n for n in G if G.degree(n) >= 2]
    assert t.loc[high, "redundancy"].to_dict() == pytest.approx(bipartite.node_redundancy(G, high), abs=1e-12)
    assert t.loc[[n for n in G if G.degree(n) < 2], "redundancy"].isna().all()
    P = project(G).to_networkx()
    linked = [n for n in partners if P.degree(n) > 0]
    assert t.loc[linked, "constraint"].to_dict() == pytest.approx(nx.constraint(P, linked, weight="weight"), abs=1e-12)
    assert t.loc[linked, "effective_size"].to_dict() == pytest.approx(
        nx.effective_size(P, linked, weight="weight"), abs=1e-12
    )
    assert t.loc[t["kind"] == "project", ["constraint", "effective_size"]].isna().all().all()
    assert t.loc[partners, "weighted_clustering"].to_dict() == pytest.approx(
        nx.clustering(P, partners, weight="weight"), abs=1e-12
    )
    # with another weighting, on that projection
    J = project(G, weighting="jaccard")
    tj = node_metrics(G, projection=J).set_index("node")
    assert tj.loc[linked, "constraint"].to_dict() == pytest.approx(
        nx.constraint(J.to_networkx(), linked, weight="weight"), abs=1e-12
    )


def test_pagerank_is_the_same_bits_as_the_plain_power_iteration():
    # the iteration runs in place, without temporaries: the same operations in the same order as the plain one
    import scipy.sparse as sp

    from ecosys.graph import bipartite_adjacency
    from ecosys.metrics import pagerank

    rng = random.Random(8)
    net = as_network(graph_from_edges((f"a{rng.randrange(400)}", f"p{rng.randrange(150)}") for _ in range(1200)))
    A = bipartite_adjacency(net.B)
    N = A.shape[0]
    out = np.asarray(A.sum(axis=1)).ravel()
    MT = (sp.diags(1.0 / out) @ A).T.tocsr()
    x = np.full(N, 1.0 / N)
    for _ in range(10_000):
        previous = x
        x = 0.85 * (MT @ x + x[out == 0].sum() / N) + (1 - 0.85) / N
        if np.abs(x - previous).sum() < N * 1e-13:
            break
    assert pagerank(net).tobytes() == (x / x.sum()).tobytes()
