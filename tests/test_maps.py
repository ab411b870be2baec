"""What each map draws (the whole graph, an overview, a community, a neighbourhood), and pyvis for notebooks.

The pages themselves are opened in Chromium in test_map_browser.py; here the
payloads (the JSON each page draws) are checked against the analysis.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.graph import graph_from_edges
from ecosys.maps import (
    COMMUNITY_MAPS,
    community_color,
    community_map_name,
    graph_payload,
    render_maps,
    select_community,
    select_ego,
    to_pyvis,
)
from ecosys.pipeline import analyze, demo_path
from ecosys.report import render_outputs

HOSTILE = "<img src=x onerror=alert(1)>"


def payload(page: str) -> dict:
    """The data a map page draws."""
    return json.loads(re.search(r'<script type="application/json" id="ecosys-data">(.*?)</script>', page, re.S)[1])


def stars(tmp_path, hubs=("Hub0", "Hub1", "Hub2"), bridge=False):
    """Three stars of 8 projects (52 nodes with a bridging partner): too many for --max-nodes 20."""
    rows = []
    for c, hub in enumerate(hubs):
        rows += [(hub, f"P{c}-{i}") for i in range(8)] + [(f"A{c}-{i}", f"P{c}-{i}") for i in range(8)]
    if bridge:
        rows += [("Bridge", "P0-0"), ("Bridge", "P1-0"), ("Bridge", "P2-0")]
    table = tmp_path / "stars.csv"
    table.write_text("partner,project\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    return table


@pytest.fixture(scope="module")
def demo():
    return analyze(demo_path())


# -- what a map draws ----------------------------------------------------------------------------

def test_the_whole_graph_up_to_max_nodes(demo):
    pages, drawn = render_maps(demo)
    assert list(pages) == ["map.html"]
    assert drawn == {"kind": "graph", "nodes_drawn": 56, "nodes_total": 56, "size_by": "pagerank"}
    data = payload(pages["map.html"])
    assert data["mode"] == "graph" and data["title"] == "italian-social-innovation"
    assert data["subtitle"] == "36 partners · 20 projects · 52 participations · 5 communities (modularity 0.727)"
    assert [n["name"] for n in data["nodes"]] == demo.node_table.table["name"].tolist()
    assert len(data["edges"]) == 52 and len(data["projection"]) == demo.projection.number_of_edges()


def test_past_max_nodes_an_overview_and_a_map_for_each_large_community(tmp_path):
    result = analyze(stars(tmp_path), seed=2)
    pages, drawn = render_maps(result, max_nodes=20)
    assert list(pages) == ["map.html", *(community_map_name(c) for c in (1, 2, 3))]
    assert drawn == {"kind": "overview", "community_maps": 3, "nodes_drawn": 27, "nodes_total": 51,
                     "size_by": "pagerank", "communities_drawn": 3}
    overview = payload(pages["map.html"])
    communities = [n for n in overview["nodes"] if n["kind"] == "community"]
    assert [(n["community"], n["link"], n["members"]) for n in communities] == [
        (c, f"communities/community-{c}.html", {"partners": 9, "projects": 8}) for c in (1, 2, 3)
    ]
    profiles = result.communities().set_index("community")
    for n in communities:  # each community names its most central partners, as communities.csv does
        assert "; ".join(n["top"]) == profiles.loc[n["community"], "top_partners"]
    for c in (1, 2, 3):
        page = payload(pages[community_map_name(c)])
        assert page["back"] == "../map.html" and {n["community"] for n in page["nodes"]} == {c}
        assert len(page["nodes"]) == 17  # the whole community: 9 partners, 8 projects


def test_only_the_largest_communities_get_their_own_map(tmp_path):
    rows = [(f"A{c}-{i}", f"P{c}") for c in range(COMMUNITY_MAPS + 3) for i in range(3)]
    table = tmp_path / "many.csv"
    table.write_text("partner,project\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    pages, drawn = render_maps(analyze(table), max_nodes=10)
    assert drawn["community_maps"] == COMMUNITY_MAPS and len(pages) == 1 + COMMUNITY_MAPS
    overview = payload(pages["map.html"])
    commands = [n.get("command") for n in overview["nodes"] if n["kind"] == "community"][COMMUNITY_MAPS:]
    assert commands == [f"ecosys analyze INPUT --community {c}" for c in range(COMMUNITY_MAPS + 1, COMMUNITY_MAPS + 4)]


def test_a_community_map_and_a_capped_one(demo):
    pages, drawn = render_maps(demo, community=1)
    nodes = payload(pages["map.html"])["nodes"]
    assert drawn["kind"] == "community" and len(nodes) == 32 and {n["community"] for n in nodes} == {1}
    pages, drawn = render_maps(demo, community=1, max_nodes=9)
    data = payload(pages["map.html"])
    assert drawn["nodes_drawn"] == 9
    assert data["note"] == ("Showing 9 of 32 nodes: the projects with the highest PageRank and their most central "
                            "partners; pass --max-nodes to draw more.")
    names = {n["name"] for n in data["nodes"]}
    assert "Formez" in names  # the hub of the community's projects
    linked = {(e["from"], e["to"]) for e in data["edges"]}
    assert all(any(n["id"] in pair for pair in linked) for n in data["nodes"])  # no node left on its own


def test_an_ego_map_keeps_its_centre_when_capped(demo):
    pages, drawn = render_maps(demo, ego="FORMEZ", depth=2, max_nodes=12)
    data = payload(pages["map.html"])
    assert drawn == {"kind": "ego", "centre": "Formez", "depth": 2, "nodes_drawn": 12, "nodes_total": 56,
                     "size_by": "pagerank",
                     "left_out": "the map of Formez's neighbourhood draws 12 of its 33 nodes (the highest PageRank); "
                                 "pass --max-nodes 33 to draw them all"}
    assert data["nodes"][data["focus"]["id"]]["name"] == "Formez" and data["focus"]["depth"] == 2
    pages, _ = render_maps(demo, ego="Formez", depth=2, max_nodes=1)
    assert [n["name"] for n in payload(pages["map.html"])["nodes"]] == ["Formez"]


@pytest.mark.parametrize("seed", range(3))
def test_a_neighbourhood_is_networkx_ego_graph(seed):
    rng = random.Random(seed)
    G = graph_from_edges((f"a{rng.randrange(30)}", f"p{rng.randrange(12)}") for _ in range(50))
    from ecosys.communities import detect_communities
    from ecosys.metrics import node_metrics
    from ecosys.nodes import graph_node_table

    nodes = graph_node_table(G, node_metrics(G), detect_communities(G))
    for centre in range(0, nodes.n, 5):
        for depth in (1, 2, 3):
            expected = set(nx.ego_graph(G, nodes.keys[centre], radius=depth))
            assert {nodes.keys[i] for i in select_ego(nodes, centre, depth)} == expected
    for c in set(nodes.communities.tolist()):
        assert set(select_community(nodes, c).tolist()) == set(np.flatnonzero(nodes.communities == c).tolist())
    with pytest.raises(KeyError):
        select_community(nodes, 999)


def test_the_overview_and_community_maps_are_the_same_bytes_every_time(tmp_path):
    table = stars(tmp_path)
    first = render_outputs(analyze(table, seed=2), max_nodes=20)
    again = render_outputs(analyze(table, seed=2), max_nodes=20)
    assert sorted(first) == sorted(again) and "communities/community-3.html" in first
    for name in first:
        assert first[name] == again[name], name


@pytest.mark.parametrize("args, status, message", [
    (["--community", "99"], 1, "Error: there is no community 99: communities are numbered 1 to 5\n"),
    (["--ego", "Nobody"], 1, "Error: no partner or project is named 'Nobody': check the spelling (see partners.csv)\n"),
    (["--community", "1", "--ego", "Formez"], 2, "Error: choose one of --community and --ego\n"),
    (["--ego", "Comune di Torrino"], 1, "Error: no partner or project is named 'Comune di Torrino'; did you mean "
                                       "'Comune di Torino', "),
])
def test_map_choices_that_cannot_be_drawn_say_why(tmp_path, args, status, message):
    result = CliRunner().invoke(cli, ["analyze", "--out", str(tmp_path / "out"), *args])
    assert result.exit_code == status
    assert result.output.endswith(message) or (message.endswith(", ") and message in result.output)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("query, centre", [
    ("Formez", "Formez"),
    ("formez", "Formez"),
    ("comune di t", "Comune di Torino"),  # starts with it: Torino before Trapani (the higher PageRank)
    ("politecnico", "Politecnico di Milano"),
    ("universita di bologna", "Università di Bologna"),  # accents aside
])
def test_an_ego_map_takes_the_best_match_as_the_page_search_does(query, centre):
    demo = analyze(demo_path())
    _, drawn = render_maps(demo, ego=query)
    assert drawn["centre"] == centre
    nodes = demo.node_table
    ranked = nodes.table["name"][nodes.search(query)].tolist()
    assert ranked[0] == centre
    pagerank = dict(zip(nodes.table["name"], nodes.table["pagerank"]))
    same_tier = [n for n in ranked if n.lower().startswith(query.split()[0])]
    assert [pagerank[n] for n in same_tier] == sorted((pagerank[n] for n in same_tier), reverse=True) or query == "formez"


def test_a_community_map_and_an_ego_map_from_the_cli(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", "--out", str(tmp_path / "c"), "--community", "2", "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "c" / "summary.json").read_text())
    assert summary["map"] == {"kind": "community", "community": 2, "nodes_drawn": 8, "nodes_total": 56,
                              "size_by": "pagerank"}
    result = CliRunner().invoke(cli, ["analyze", "--out", str(tmp_path / "e"), "--ego", "comune di torino",
                                      "--depth", "2", "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "e" / "summary.json").read_text())
    # Comune di Torino, its 2 projects (Homes4All, SEED) and the 6 other partners of those
    assert summary["map"] == {"kind": "ego", "centre": "Comune di Torino", "depth": 2, "nodes_drawn": 9,
                              "nodes_total": 56, "size_by": "pagerank"}


# -- what a node shows ---------------------------------------------------------------------------

def test_unstable_nodes_are_flagged_on_the_map():
    """With several runs, the map offers stability as a metric and unstable (yes/no) as a category."""
    result = analyze(demo_path(), runs=4)
    data = payload(render_outputs(result)["map.html"])
    partners = result.partners().set_index("name")
    assert "stability" in [m["key"] for m in data["metrics"]]
    assert "unstable" in [c["key"] for c in data["categories"]]
    for node in data["nodes"]:
        if node["kind"] == "partner":
            row = partners.loc[node["name"]]
            assert node["metrics"]["stability"] == pytest.approx(row["stability"])
            assert node["attrs"]["unstable"] == ("yes" if row["unstable"] else "no")


def test_a_map_stays_valid_json_whatever_the_metric_values():
    # JSON has no Infinity: a page whose data held it would not parse, and draw nothing
    from ecosys.communities import detect_communities
    from ecosys.maps import render_map
    from ecosys.metrics import node_metrics

    G = graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2")])
    table = node_metrics(G)
    table["ratio"] = [float("inf"), float("-inf"), float("nan"), 1.5]
    html = render_map(G, table, detect_communities(G))
    data = re.search(r'<script type="application/json" id="ecosys-data">(.*?)</script>', html, re.S)[1]
    payload = json.loads(data, parse_constant=lambda name: pytest.fail(f"{name} in the map's JSON"))
    assert sorted(str(n["metrics"]["ratio"]) for n in payload["nodes"]) == ["1.5", "None", "None", "None"]


def test_metrics_are_named_and_explained_from_the_glossary(demo):
    from ecosys.glossary import METRIC_LABELS, METRIC_MEANINGS

    metrics = payload(render_maps(demo)[0]["map.html"])["metrics"]
    assert [m["key"] for m in metrics] == list(demo.node_table.metrics)
    for m in metrics:
        assert m["label"] == METRIC_LABELS[m["key"]] and m["about"] == METRIC_MEANINGS[m["key"]]


# -- pyvis, for notebooks -------------------------------------------------------------------------

def test_pyvis_draws_ecosys_positions_colours_and_no_physics(demo):
    net = demo.to_pyvis()
    drawn = {n["name"]: n for n in payload(render_maps(demo)[0]["map.html"])["nodes"]}
    assert [n["id"] for n in net.nodes] == demo.network.nodes
    for node, key in zip(net.nodes, demo.network.nodes):
        name = demo.node_table.table["name"][demo.node_table.keys.index(key)]
        assert (node["x"], node["y"]) == (drawn[name]["x"], drawn[name]["y"])  # where the map puts it
        assert node["color"] == community_color(drawn[name]["community"])
        assert node["shape"] == {"partner": "dot", "project": "square"}[drawn[name]["kind"]]
    ends = {(e["from"], e["to"]) for e in net.edges}
    assert ends == {(u, v) if u.startswith("partner:") else (v, u) for u, v in demo.graph.edges()}
    assert net.options.physics.enabled is False
    assert analyze(demo_path(), seed=5).to_pyvis().nodes != net.nodes  # the analysis seed moves the layout


def test_pyvis_titles_are_escaped_text(tmp_path):
    table = tmp_path / "hostile.csv"
    table.write_text(f"partner,project\n{HOSTILE},P1\nB,P1\nhref & co,P2\nB,P2\n", encoding="utf-8")
    net = analyze(table).to_pyvis()
    titles = {n["id"]: n["title"] for n in net.nodes}
    assert titles[f"partner:{HOSTILE}"] == f"{html.escape(HOSTILE, quote=False)}\nPartner · community 1"
    assert titles["partner:href & co"].startswith("href &amp; co\n")
    page = net.generate_html()
    assert HOSTILE not in page and "<img" not in page
    assert "popup.innerHTML = nodeData[0].title" in page  # a title holds "href": pyvis writes them as HTML


def test_pyvis_refuses_a_graph_too_large_for_it_and_says_what_to_do(demo):
    with pytest.raises(ValueError, match=r"56 nodes are too many for pyvis \(max_nodes=10\): pass a larger max_nodes"):
        to_pyvis(demo.node_table, max_nodes=10)
    assert len(to_pyvis(demo.node_table, max_nodes=56).nodes) == 56


def test_without_pyvis_the_error_says_how_to_install_it(demo, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyvis", None)
    monkeypatch.setitem(sys.modules, "pyvis.network", None)
    with pytest.raises(ImportError, match=r"^to_pyvis needs pyvis: pip install 'ecosys\[notebook\]'$"):
        demo.to_pyvis()


def test_the_overview_counts_distinct_shared_projects_and_names_its_communities():
    """Two communities share the projects with partners in both (a pandas count), each counted once."""
    demo = analyze(demo_path())
    pages, drawn = render_maps(demo, max_nodes=10)
    payload = json.loads(re.search(r'<script type="application/json" id="ecosys-data">(.*?)</script>',
                                   pages["map.html"], re.S).group(1))
    partners = demo.partners().set_index("name")["community"]
    edges = demo.node_table.edges
    names = demo.node_table.table["name"].to_numpy()
    table = pd.DataFrame({"partner": names[edges["partner"].to_numpy()],
                          "project": edges["project"].to_numpy()})
    table["community"] = table["partner"].map(partners)
    per_project = table.groupby("project")["community"].apply(set)
    communities = {n["id"]: n["community"] for n in payload["nodes"] if n["kind"] == "community"}
    links = [e for e in payload["edges"] if e["to"] in communities and e["from"] in communities]
    assert links
    for e in links:
        a, b = communities[e["from"]], communities[e["to"]]
        assert e["weight"] == sum(1 for s in per_project if a in s and b in s), (a, b)
    profiles = demo.communities().set_index("community")["name"]
    for n in payload["nodes"]:
        if n["kind"] == "community":
            assert n["name"] == f"Community {n['community']}: {profiles[n['community']]}"
            assert n["members"]["partners"] == int((partners == n["community"]).sum())
    assert payload["community_names"] == {str(c): profiles[c] for c in sorted(communities.values())}


def test_a_community_map_is_coloured_by_a_partner_attribute_and_says_what_it_left_out(tmp_path):
    pages, drawn = render_maps(analyze(demo_path()), community=1, max_nodes=10)
    payload = json.loads(re.search(r'id="ecosys-data">(.*?)</script>', pages["map.html"], re.S).group(1))
    assert payload["defaults"]["color_by"] == "attr:type"
    assert drawn["left_out"].startswith("the map of community 1 draws 10 of its 32 nodes")
    result = CliRunner().invoke(
        cli, ["analyze", "--out", str(tmp_path / "c"), "--community", "1", "--max-nodes", "10", "-q"])
    assert result.exit_code == 0
    assert result.stderr == f"Note: {drawn['left_out']}.\n"


def test_projects_carry_their_first_and_last_year_for_the_time_slider(tmp_path):
    table = tmp_path / "dated.csv"
    table.write_text("partner,project,start,end\n"
                     "A,P,2016-03-01,2018-02-28\nB,P,2016-03-01,2018-02-28\n"
                     "A,Q,15/09/2019,\nC,R,2020-01-01,2020-12-31\nC,S,,\n", encoding="utf-8")
    payload = graph_payload(analyze(table).node_table, title="Dated")
    spans = {n["name"]: (n.get("year"), n.get("end")) for n in payload["nodes"] if n["kind"] == "project"}
    # an end only when the project runs past its start year; no year without a date
    assert spans == {"P": (2016, 2018), "Q": (2019, None), "R": (2020, None), "S": (None, None)}


EGO_ROWS = """pic,legal_name,short_name,project
999001,Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.,Fraunhofer,P1
999001,Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.,Fraunhofer,P2
999002,Fraunhofer Austria Research GmbH,FHA,P2
999003,Consiglio Nazionale delle Ricerche,CNR,P1
999003,Consiglio Nazionale delle Ricerche,CNR,P3
999004,Centre National de la Recherche Scientifique,CNRS,P3
999005,Politecnico di Torino,POLITO,P3
"""


@pytest.mark.parametrize("query, ranked", [
    ("fraunhofer", ["Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",  # its short name, whole
                    "Fraunhofer Austria Research GmbH"]),  # its name starts with it
    ("cnr", ["Consiglio Nazionale delle Ricerche", "Centre National de la Recherche Scientifique"]),  # whole, then start
    ("polito", ["Politecnico di Torino"]),  # a short name, case aside
    ("999005", ["Politecnico di Torino"]),  # an id, whole
    ("partner:999004", ["Centre National de la Recherche Scientifique"]),  # a key, whole
    ("99900", []),  # part of an id: no
    ("recherche", ["Centre National de la Recherche Scientifique"]),
])
def test_ego_searches_every_label_column_with_the_page_ranking(tmp_path, query, ranked):
    table = tmp_path / "ego.csv"
    table.write_text(EGO_ROWS, encoding="utf-8")
    demo = analyze(table)
    nodes = demo.node_table
    assert nodes.label_columns == ("legal_name", "short_name")
    assert nodes.table["name"][nodes.search(query)].tolist() == ranked
    if ranked:
        assert render_maps(demo, ego=query)[1]["centre"] == ranked[0]


def test_ego_suggests_names_by_their_short_names_too(tmp_path):
    table = tmp_path / "ego.csv"
    table.write_text(EGO_ROWS, encoding="utf-8")
    nodes = analyze(table).node_table
    assert nodes.suggest("Fraunhofr") == ["Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V."]
    assert nodes.suggest("POLITOO") == ["Politecnico di Torino"]
    result = CliRunner().invoke(cli, ["analyze", str(table), "--out", str(tmp_path / "out"), "--ego", "CNRX", "-q"])
    assert result.exit_code == 1 and not (tmp_path / "out").exists()
    assert result.output == ("Error: no partner or project is named 'CNRX'; did you mean 'Consiglio Nazionale delle "
                             "Ricerche', 'Centre National de la Recherche Scientifique'?: check the spelling (see "
                             "partners.csv)\n")  # CNR is closer than CNRS


def test_a_columns_numbers_are_each_values_number():
    """maps._numbers (a column at once, each distinct float formatted once) gives what _number gives each value:
    the same values and types (ints for whole floats, None for NaN and infinities)."""
    from ecosys.maps import _number, _numbers

    rng = np.random.default_rng(1)
    floats = np.concatenate([rng.normal(size=3000) * 10.0 ** rng.integers(-20, 20, size=3000),
                             [0.0, -0.0, np.nan, np.inf, -np.inf, 1e15, -1e15, 1e15 - 1, 2.0, 3.5, 5e-324, 0.1 + 0.2],
                             rng.integers(0, 5, size=100) / 4])
    for column in (floats, floats.astype(np.float32), pd.Series(floats), np.array([True, False]), np.arange(-3, 3),
                   np.array([1.5, 2, np.nan], dtype=object), np.zeros(0)):
        with np.errstate(over="ignore"):
            found = _numbers(column)
        expected = [_number(v) for v in column]
        assert found == expected and [type(v) for v in found] == [type(v) for v in expected]


def test_the_overview_s_top_partners_are_the_first_of_a_full_sort():
    from ecosys.maps import ranked

    rng = np.random.default_rng(0)
    for trial in range(2000):  # ties, NaN, infinities, both zeros; fewer values than asked for
        n = int(rng.integers(0, 60))
        values = (rng.choice([0.0, -0.0, 1.0, 2.0, np.nan, 3.5, -1.0, np.inf, -np.inf], size=n) if trial % 2
                  else rng.integers(0, 5, n).astype(float))
        for most in (0, 1, 3, 10, 40, 80):
            assert ranked(-values, most).tolist() == np.lexsort((np.arange(n), -values))[:most].tolist()
            assert ranked(values, most).tolist() == np.argsort(values, kind="stable")[:most].tolist()
