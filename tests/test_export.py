"""`ecosys export`: every format read back by the tools that read it, with all attributes, metrics and communities.

GEXF is validated against the GEXF 1.2draft schema (tests/schemas/, with lxml)
and read by networkx and by graphology-gexf, Gephi Lite's parser (in Node);
GraphML by networkx and igraph; node-link JSON by networkx, the installed one
and the oldest setup.cfg allows (3.2.1), each with node_link_graph's defaults;
the VOSviewer JSON map is validated against a schema written from VOSviewer's
documentation (https://app.vosviewer.com/docs/file-types/json-file-type/).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import igraph as ig
import jsonschema
import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from lxml import etree

from ecosys.cli import cli
from ecosys.export import FORMATS, START_YEAR, export_data, map_positions, render_export, vosviewer_map
from ecosys.layout import GRID_NODES
from ecosys.pipeline import analyze, demo_path

HERE = Path(__file__).resolve().parent
METRICS = ["degree", "degree_centrality", "projection_degree", "weighted_degree", "betweenness", "closeness",
           "pagerank", "core"]
HOSTILE = "<img src=x onerror=alert(1)>"
DATED = "project:BO3.3.1.b Accelerazione civica e collaborazione civica tra PA, scuola e imprese"  # the demo's one
OLDEST_NETWORKX = "3.2.1"  # setup.cfg: networkx>=3.2

# VOSviewer JSON files, as documented: a top-level object with network (items,
# links, clusters), config and info; ids strings or integers; clusters 1 to
# 1000; weights non-negative numbers; scores numbers; link strengths non-negative.
ID = {"type": ["string", "integer"]}
CLUSTER = {"type": "integer", "minimum": 1, "maximum": 1000}
VOSVIEWER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["network"],
    "properties": {
        "network": {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {"type": "array", "items": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": ID,
                        "label": {"type": "string"},
                        "description": {"type": "string"},
                        "url": {"type": "string"},
                        "x": {"type": "number"},
                        "y": {"type": "number"},
                        "cluster": CLUSTER,
                        "weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
                        "scores": {"type": "object", "additionalProperties": {"type": "number"}},
                    },
                    "additionalProperties": False,
                }},
                "links": {"type": "array", "items": {
                    "type": "object",
                    "required": ["source_id", "target_id"],
                    "properties": {"source_id": ID, "target_id": ID, "strength": {"type": "number", "minimum": 0}},
                    "additionalProperties": False,
                }},
                "clusters": {"type": "array", "items": {
                    "type": "object",
                    "required": ["cluster"],
                    "properties": {"cluster": CLUSTER, "label": {"type": "string"}, "color": {"type": "string"}},
                    "additionalProperties": False,
                }},
            },
            "additionalProperties": False,
        },
        "config": {"type": "object"},
        "info": {"type": "object"},
    },
    "additionalProperties": False,
}
# Every item placed: VOSviewer then opens the map at once instead of laying it out (minutes on 10,000 partners).
PLACED_SCHEMA = {**VOSVIEWER_SCHEMA, "properties": {**VOSVIEWER_SCHEMA["properties"], "network": {
    **VOSVIEWER_SCHEMA["properties"]["network"], "properties": {
        **VOSVIEWER_SCHEMA["properties"]["network"]["properties"],
        "items": {"type": "array", "items": {
            **VOSVIEWER_SCHEMA["properties"]["network"]["properties"]["items"]["items"],
            "required": ["id", "label", "x", "y"]}}}}}}

# Input columns named like the formats' own fields: partner attributes (constant per partner), project
# attributes (constant per project) and participation attributes (varying).
RESERVED_TABLE = (
    "partner,project,viz,parents,Label,x,size,color,start,end,pid,spells,type,weight,id,source,target\n"
    "A,P1,big,root,la,1,9,red,2020-01-01,2020-12-31,p1,s1,lead,3,e1,f1.txt,t1\n"
    "B,P1,small,leaf,lb,2,8,blue,2020-01-01,2020-12-31,p1,s1,member,1,e2,f2.txt,t2\n"
    "B,P2,small,leaf,lb,2,8,blue,2021-06-01,2022-05-31,p2,s2,lead,2,e3,f3.txt,t3\n"
    "C,P2,tiny,leaf,lc,3,7,green,2021-06-01,2022-05-31,p2,s2,member,5,e4,f4.txt,t4\n"
)


@pytest.fixture(scope="module")
def demo():
    return analyze(demo_path())


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(HERE / "schemas" / "gexf-1.2draft" / "gexf.xsd")))


def assert_valid_gexf(schema, text: str):
    """The parsed document, once the schema has found no error in it."""
    document = etree.parse(io.BytesIO(text.encode("utf-8")))
    assert schema.validate(document), str(schema.error_log)
    return document


def export(tmp_path: Path, fmt: str, *args) -> Path:
    out = tmp_path / f"demo{FORMATS[fmt]}"
    result = CliRunner().invoke(cli, ["export", *args, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out}\n"
    return out


def read_back(path: Path, fmt: str) -> nx.Graph:
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "graphml":
        return nx.read_graphml(path)
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")))  # the defaults: networkx 3.6 reads "edges"


def missing_reader(what: str):
    """Skip when a reader cannot be installed here; in CI (ECOSYS_REQUIRE_READERS=1) fail instead."""
    if os.environ.get("ECOSYS_REQUIRE_READERS") == "1":
        pytest.fail(f"{what} (ECOSYS_REQUIRE_READERS=1)", pytrace=False)
    pytest.skip(what)


def reader_folder(request, name: str) -> Path:
    """A folder that keeps an installed reader between runs: pytest's cache, or the system's temporary folder
    when the cache is off (``-p no:cacheprovider``)."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir(name))
    folder = Path(tempfile.gettempdir()) / "ecosys-test-readers" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def graphology(request) -> Path:
    """A folder whose node_modules has graphology, graphology-gexf and @xmldom/xmldom (npm, once, in pytest's cache)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        missing_reader("node and npm are needed to read GEXF as Gephi Lite does")
    folder = reader_folder(request, "graphology-gexf")
    if not (folder / "node_modules" / "graphology-gexf").is_dir():
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder),
                               "graphology@0.26", "graphology-gexf@0.13", "@xmldom/xmldom@0.9"],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            missing_reader(f"npm install graphology-gexf failed: {done.stderr.strip()[-300:]}")
    return folder / "node_modules"


def read_with_graphology(modules: Path, path: Path, *nodes: str) -> dict:
    done = subprocess.run(["node", str(HERE / "readers" / "gexf.js"), str(path), *nodes], capture_output=True,
                          text=True, env={**os.environ, "NODE_PATH": str(modules)}, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def oldest_networkx(request) -> Path:
    """networkx 3.2.1 installed on its own (pip --target, once, in pytest's cache)."""
    folder = reader_folder(request, f"networkx-{OLDEST_NETWORKX}")
    if not (folder / "networkx" / "__init__.py").is_file():
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(folder),
                               f"networkx=={OLDEST_NETWORKX}"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            missing_reader(f"pip install networkx=={OLDEST_NETWORKX} failed: {done.stderr.strip()[-300:]}")
    return folder


# -- every format read back ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_the_graph_formats_read_back_with_every_attribute(tmp_path, demo, fmt):
    G = read_back(export(tmp_path, fmt), fmt)
    assert (G.number_of_nodes(), G.number_of_edges()) == (56, 52)
    formez = G.nodes["partner:Formez"]
    assert formez["kind"] == "partner" and formez["name"] == "Formez" and formez["label"] == "Formez"
    assert int(formez["degree"]) == 16 and int(formez["community"]) == 1
    assert set(METRICS) <= set(formez)
    table = demo.partners().set_index("node")
    for node in ("partner:Formez", "partner:Comune di Torino"):
        for metric in METRICS:
            assert float(G.nodes[node][metric]) == pytest.approx(float(table.at[node, metric]), rel=1e-5), metric
        assert int(G.nodes[node]["community"]) == int(table.at[node, "community"])
    assert G.nodes["partner:Comune di Torino"]["type"] == "municipality"
    assert G.nodes["partner:Comune di Torino"]["city"] == "Torino"
    project = G.nodes["project:SEED"]
    assert project["kind"] == "project" and "programme" in project and project["label"] == "SEED"
    roles = nx.get_edge_attributes(G, "role")
    assert len(roles) == 52 and roles[("partner:Formez", "project:Communal Living")] in (
        "implementing body", "partner", "coordinator", "lead municipality")
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "partner") == 36


def test_labels_are_display_names_and_ids_are_kept(tmp_path):
    # ids in the participation table, names joined from a partner table: the label is the name, the id the key
    table, orgs = tmp_path / "edges.csv", tmp_path / "orgs.csv"
    table.write_text("org_id,project\n999997930,P1\n999993953,P1\n999993953,P2\n", encoding="utf-8")
    orgs.write_text("org_id,name\n999997930,Politecnico di Milano\n999993953,Fraunhofer\n", encoding="utf-8")
    outs = {fmt: export(tmp_path, fmt, str(table), "--partners", str(orgs)) for fmt in ("gexf", "graphml", "json")}
    gexf = etree.parse(str(outs["gexf"]))
    labels = {n.get("id"): n.get("label") for n in gexf.iter("{http://www.gexf.net/1.2draft}node")}
    assert labels["partner:999997930"] == "Politecnico di Milano" and labels["project:P1"] == "P1"
    for fmt, path in outs.items():
        G = read_back(path, fmt)
        assert G.nodes["partner:999997930"]["label"] == "Politecnico di Milano", fmt
    g = ig.Graph.Read_GraphML(str(outs["graphml"]))
    by_id = {v["id"]: v for v in g.vs}
    assert by_id["partner:999997930"]["label"] == "Politecnico di Milano"
    assert by_id["partner:999993953"]["degree"] == 2 and by_id["partner:999993953"]["kind"] == "partner"
    assert g.ecount() == 3 and not g.is_directed()


def test_graphml_reads_into_igraph_with_every_metric(tmp_path, demo):
    g = ig.Graph.Read_GraphML(str(export(tmp_path, "graphml")))
    assert (g.vcount(), g.ecount()) == (56, 52)
    formez = g.vs.find(id="partner:Formez")
    table = demo.partners().set_index("node")
    for metric in METRICS:
        assert formez[metric] == pytest.approx(float(table.at["partner:Formez", metric]), rel=1e-5), metric
    assert formez.degree() == 16 and formez["label"] == "Formez"
    # node-link JSON into igraph, through networkx
    h = ig.Graph.from_networkx(read_back(export(tmp_path, "json"), "json"))
    assert (h.vcount(), h.ecount()) == (56, 52)


def test_json_reads_with_the_defaults_of_the_oldest_networkx_allowed(tmp_path, oldest_networkx):
    path = export(tmp_path, "json")
    code = ("import json, sys, networkx as nx\n"
            "G = nx.node_link_graph(json.load(open(sys.argv[1], encoding='utf-8')))\n"
            "print(json.dumps([nx.__version__, G.number_of_nodes(), G.number_of_edges(), "
            "G.nodes['partner:Formez']['label'], G.degree('partner:Formez')]))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(oldest_networkx)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [OLDEST_NETWORKX, 56, 52, "Formez", 16]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["links"] == data["edges"] and len(data["edges"]) == 52  # 3.2-3.5 read "links", 3.6+ "edges"


@pytest.mark.parametrize("network", ["bipartite", "partners"])
def test_gexf_is_valid_against_the_schema_and_gephi_lite_reads_it(tmp_path, demo, schema, graphology, network):
    text = render_export(demo, "gexf", network)
    assert_valid_gexf(schema, text)
    assert "lastmodifieddate" not in text and "<graph name" not in text
    path = tmp_path / "demo.gexf"
    path.write_text(text, encoding="utf-8")
    found = read_with_graphology(graphology, path, "partner:Formez")
    formez = found["nodes"]["partner:Formez"]
    assert found["type"] == "undirected"
    assert (found["order"], found["size"]) == ((56, 52) if network == "bipartite" else (36, 63))
    assert formez["label"] == "Formez" and formez["degree"] == 16 and formez["community"] == 1
    assert formez["pagerank"] == pytest.approx(float(demo.partners().set_index("node").at["partner:Formez",
                                                                                            "pagerank"]), rel=1e-5)


# -- names the formats reserve ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_input_columns_named_like_the_formats_fields_stay_data(tmp_path, schema, fmt):
    table = tmp_path / "fields.csv"
    table.write_text(RESERVED_TABLE, encoding="utf-8")
    path = export(tmp_path, fmt, str(table))
    G = read_back(path, fmt)
    assert sorted(G.nodes) == ["partner:A", "partner:B", "partner:C", "project:P1", "project:P2"]
    assert G.number_of_edges() == 4
    b = G.nodes["partner:B"]
    assert b["label"] == "B"  # the display name, not the input's 'Label' column
    assert {c: b[f"{c} (input)"] for c in ("viz", "parents", "Label", "x", "size", "color")} == {
        "viz": "small", "parents": "leaf", "Label": "lb", "x": "2", "size": "8", "color": "blue"}
    assert "viz" not in b and "parents" not in b and "x" not in b and "size" not in b
    p2 = G.nodes["project:P2"]
    assert {c: p2[f"{c} (input)"] for c in ("start", "end", "pid", "spells")} == {
        "start": "2021-06-01", "end": "2022-05-31", "pid": "p2", "spells": "s2"}
    edge = G.edges["partner:B", "project:P2"]
    assert {c: edge[f"{c} (input)"] for c in ("type", "weight", "id", "source", "target")} == {
        "type": "lead", "weight": "2", "id": "e3", "source": "f3.txt", "target": "t3"}
    if fmt == "gexf":
        text = path.read_text(encoding="utf-8")
        assert_valid_gexf(schema, text)
        assert "<viz:" not in text and "<parents" not in text and 'mode="dynamic"' in text


def test_gephi_lite_reads_reserved_names_as_data(tmp_path, schema, graphology):
    table = tmp_path / "fields.csv"
    table.write_text(RESERVED_TABLE, encoding="utf-8")
    found = read_with_graphology(graphology, export(tmp_path, "gexf", str(table)), "partner:B", "project:P2")
    b = found["nodes"]["partner:B"]
    assert b["label"] == "B" and "x" not in b and "size" not in b and "color" not in b  # nothing drawn from data
    assert b["x (input)"] == "2" and b["color (input)"] == "blue" and b["Label (input)"] == "lb"
    assert found["edge"]["type (input)"] in ("lead", "member") and "weight" not in found["edge"]


# -- time -----------------------------------------------------------------------------------------------


def test_the_dynamic_gexf_has_spells_from_the_project_dates(tmp_path, schema):
    # A works on P1 (2019) and P3 (2020, touching P1's end: one stretch) and P4 (2023); B on P2, undated
    table = tmp_path / "dated.csv"
    table.write_text("partner,project,start_date,end_date\n"
                     "A,P1,2019-01-01,2019-12-31\nA,P3,2020-01-01,2020-06-30\nA,P4,2023-03-01,2023-09-30\n"
                     "B,P1,2019-01-01,2019-12-31\nB,P2,,\n", encoding="utf-8")
    path = export(tmp_path, "gexf", str(table))
    text = path.read_text(encoding="utf-8")
    assert_valid_gexf(schema, text)
    assert '<graph defaultedgetype="undirected" mode="dynamic" timeformat="date">' in text
    G = nx.read_gexf(path)
    assert G.nodes["partner:A"]["spells"] == [("2019-01-01", "2020-06-30"), ("2023-03-01", "2023-09-30")]
    assert G.nodes["partner:B"]["spells"] == [("2019-01-01", "2019-12-31")]
    assert (G.nodes["project:P4"]["start"], G.nodes["project:P4"]["end"]) == ("2023-03-01", "2023-09-30")
    assert "start" not in G.nodes["project:P2"] and "spells" not in G.nodes["project:P2"]  # undated: no time
    edge = G.edges["partner:A", "project:P3"]
    assert (edge["start"], edge["end"]) == ("2020-01-01", "2020-06-30")
    assert "start" not in G.edges["partner:B", "project:P2"]
    # the dates stay attributes too
    assert G.nodes["project:P3"]["start_date"] == "2020-01-01"


def test_the_demo_gexf_is_dynamic_with_its_one_dated_project(demo, schema):
    text = render_export(demo, "gexf")
    assert_valid_gexf(schema, text)
    G = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    assert (G.nodes[DATED]["start"], G.nodes[DATED]["end"]) == ("2016-11-01", "2021-03-30")
    assert G.nodes["partner:Comune di Bologna"]["spells"] == [("2016-11-01", "2021-03-30")]
    assert G.nodes[DATED]["start (input)"] == "2016-11-01"  # the input column, kept as data
    assert sum("spells" in d for _, d in G.nodes(data=True)) == 2  # the dated project's two partners


def test_a_table_without_dates_gives_a_static_gexf(tmp_path, schema):
    table = tmp_path / "t.csv"
    table.write_text("partner,project\nA,P1\nB,P1\n", encoding="utf-8")
    text = export(tmp_path, "gexf", str(table)).read_text(encoding="utf-8")
    assert 'mode="static"' in text and "timeformat" not in text and "spell" not in text
    assert_valid_gexf(schema, text)


# -- VOSviewer ------------------------------------------------------------------------------------------


def test_the_vosviewer_map_follows_the_documented_schema(tmp_path, demo):
    data = json.loads(export(tmp_path, "vosviewer").read_text(encoding="utf-8"))
    jsonschema.validate(data, PLACED_SCHEMA)
    items, links = data["network"]["items"], data["network"]["links"]
    summary = demo.summary()
    assert len(items) == summary["partners"] == 36
    assert len(links) == summary["partner_pairs"]
    by_label = {item["label"]: item for item in items}
    formez = by_label["Formez"]
    assert formez["cluster"] == 1 and formez["weights"]["Degree"] == 16 and formez["scores"]["Degree"] == 16
    assert set(formez["scores"]) == {"Degree", "Degree centrality", "Projection degree", "Weighted degree",
                                     "Betweenness", "Closeness", "PageRank", "k-core", "Two-mode clustering",
                                     "Redundancy", "Weighted clustering", "Constraint", "Effective size"}
    assert by_label["Comune di Bologna"]["scores"][START_YEAR] == 2016  # its one project, dated
    ids = {item["id"]: item["label"] for item in items}
    assert sorted(ids) == list(range(1, 37))
    # a link's strength is the number of projects the two partners share
    torino_seed = [
        link for link in links
        if {ids[link["source_id"]], ids[link["target_id"]]} == {"Comune di Torino", "Politecnico di Torino"}
    ]
    assert [link["strength"] for link in torino_seed] == [1]
    names = demo.communities().set_index("community")["name"]
    assert [(c["cluster"], c["label"]) for c in data["network"]["clusters"]] == [(k, names[k]) for k in range(1, 6)]
    assert len({(item["x"], item["y"]) for item in items}) == 36  # every partner placed, none on another


def test_the_vosviewer_start_year_is_the_mean_of_the_partners_projects(tmp_path):
    table = tmp_path / "dated.csv"  # A: 2019 and 2022 -> 2020.5; B: 2019 and an undated one -> 2019; C: none
    table.write_text("partner,project,start_year\nA,P1,2019\nA,P2,2022\nB,P1,2019\nB,P3,\nC,P3,\n", encoding="utf-8")
    items = json.loads(export(tmp_path, "vosviewer", str(table)).read_text(encoding="utf-8"))["network"]["items"]
    years = {item["label"]: item["scores"].get(START_YEAR) for item in items}
    assert years == {"A": 2020.5, "B": 2019, "C": None}


def test_large_maps_get_positions_for_every_item_quickly():
    # a ring of GRID_NODES + 500 nodes with chords (one large component) and 40 separate pairs
    n = GRID_NODES + 500
    ring = np.arange(n)
    rows = np.concatenate([ring, ring, np.arange(n, n + 80, 2)])
    cols = np.concatenate([(ring + 1) % n, (ring + 37) % n, np.arange(n + 1, n + 80, 2)])
    xy = map_positions(n + 80, rows, cols, seed=3)
    assert xy.shape == (n + 80, 2) and np.isfinite(xy).all()
    assert len(np.unique(xy, axis=0)) == n + 80
    assert (xy == map_positions(n + 80, rows, cols, seed=3)).all()
    assert xy[n:, 1].min() > xy[:n, 1].max()  # the small components below the large one
    ends = np.hypot(*(xy[rows[:n]] - xy[cols[:n]]).T)
    assert 50 < np.median(ends) < 250  # scaled like ecosys's other layouts (110 px a median edge)


# -- real files ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cordis(shared_data):
    return analyze(shared_data / "cordis-h2020-sod2016")


def test_cordis_exports_are_dynamic_valid_and_placed(cordis, schema):
    root = assert_valid_gexf(schema, render_export(cordis, "gexf")).getroot()
    ns = "{http://www.gexf.net/1.2draft}"
    graph = root.find(f"{ns}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    projects = [n for n in graph.iter(f"{ns}node") if n.get("id").startswith("project:")]
    assert len(projects) == 7574 and sum(n.get("start") is not None for n in projects) == 7574 - 767
    partner = next(n for n in graph.iter(f"{ns}node") if n.get("id").startswith("partner:"))
    assert partner.get("label") != partner.get("id").removeprefix("partner:")  # a name, not the id
    data = vosviewer_map(cordis)
    items, links = data["network"]["items"], data["network"]["links"]
    assert len(links) == cordis.projection.number_of_edges()
    jsonschema.validate({"network": {**data["network"], "items": items[:500], "links": links[:500]}},
                        PLACED_SCHEMA)  # jsonschema is slow: a sample; then every item placed, past GRID_NODES too
    assert all(isinstance(item["x"], float) and isinstance(item["y"], float) for item in items)
    assert len(items) == 12326 and sum(START_YEAR in item["scores"] for item in items) > 12000
    assert len({(item["x"], item["y"]) for item in items}) > 12000


def test_export_data_matches_the_analysis(cordis):
    data = export_data(cordis, "partners")
    assert len(data.keys) == 12326 and len(data.sources) == cordis.projection.number_of_edges()
    assert data.node_spans is not None and data.edge_spans is None  # projection links carry no time


# -- behaviour kept -------------------------------------------------------------------------------------


def test_a_hostile_name_stays_text_in_every_format(tmp_path):
    table = tmp_path / "hostile.csv"
    table.write_text(
        f'partner,project,type\n"{HOSTILE}",P1,"<b>x</b>"\nB,P1,town\nB,P2,town\n"=cmd()",P2,town\n',
        encoding="utf-8",
    )
    for fmt in FORMATS:
        out = export(tmp_path, fmt, str(table))
        if fmt == "vosviewer":
            items = json.loads(out.read_text(encoding="utf-8"))["network"]["items"]
            hostile = next(item for item in items if item["label"] == HOSTILE)
            assert hostile["description"] == "type: &lt;b&gt;x&lt;/b&gt;"  # VOSviewer shows descriptions as HTML
        else:
            G = read_back(out, fmt)
            assert G.nodes[f"partner:{HOSTILE}"]["name"] == HOSTILE == G.nodes[f"partner:{HOSTILE}"]["label"]
            assert G.nodes["partner:=cmd()"]["name"] == "=cmd()"


def test_exports_are_the_same_bytes_every_time(tmp_path, demo):
    for fmt in FORMATS:
        assert render_export(demo, fmt) == render_export(analyze(demo_path()), fmt), fmt


def test_exports_are_the_same_bytes_in_another_process():
    """Python seeds its string hashes per process: nothing written may depend on a set's order."""
    code = ("import hashlib; from ecosys.pipeline import analyze, demo_path; from ecosys.export import render_export; "
            "r = analyze(demo_path()); "
            "print(hashlib.sha256(''.join(render_export(r, f) for f in ('gexf', 'vosviewer')).encode()).hexdigest())")
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    digests = {
        subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONHASHSEED": seed}, capture_output=True,
                       text=True, check=True).stdout
        for seed in ("0", "1")  # these two gave the attributes in two orders before
    }
    assert len(digests) == 1


def test_export_to_stdout_and_the_default_path(tmp_path, monkeypatch):
    result = CliRunner().invoke(cli, ["export", "--format", "json", "--out", "-"])
    assert result.exit_code == 0
    assert json.loads(result.output)["graph"]["name"] == "italian-social-innovation"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "-f", "graphml"])
    assert result.exit_code == 0, result.output
    assert result.output == "Wrote graphs/italian-social-innovation/italian-social-innovation.graphml\n"
    result = CliRunner().invoke(cli, ["export", "-f", "pajek"])
    assert result.exit_code == 2 and "'pajek' is not one of" in result.output


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_the_partner_projection_exports_with_shared_projects(tmp_path, demo, fmt):
    out = tmp_path / f"partners{FORMATS[fmt]}"
    result = CliRunner().invoke(cli, ["export", "-f", fmt, "--network", "partners", "--out", str(out)])
    assert result.exit_code == 0, result.output
    G = read_back(out, fmt)
    summary = demo.summary()
    assert (G.number_of_nodes(), G.number_of_edges()) == (summary["partners"], summary["partner_pairs"])
    edge = G.edges["partner:Comune di Torino", "partner:Politecnico di Torino"]
    assert int(edge["shared"]) == 1 and float(edge["weight"]) == 1.0
    formez = G.nodes["partner:Formez"]
    assert int(formez["degree"]) == 16 and int(formez["community"]) == 1 and formez["kind"] == "partner"
    # every pair of partners of a project shares it: the shared counts add up to sum of C(k, 2) over projects
    k = demo.projects()["degree"]
    assert sum(int(d["shared"]) for *_, d in G.edges(data=True)) == int((k * (k - 1) // 2).sum())


def test_the_partner_export_has_its_own_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "-f", "gexf", "--network", "partners"])
    assert result.exit_code == 0, result.output
    assert result.output == "Wrote graphs/italian-social-innovation/italian-social-innovation-partners.gexf\n"


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_control_characters_in_names_and_headers_give_well_formed_xml(tmp_path, schema, fmt):
    # XML 1.0 forbids most C0 control characters even as &#1;: each becomes its visible Control Picture
    table = tmp_path / "controls.csv"
    plain = "".join(f"Partner number {k},Project number {k},plain\n" for k in range(20))  # not a binary file
    table.write_text(f'partner,project,note\x02\n"A\x01",P\x07,"x\x1b"\nB,P\x07,y\n{plain}', encoding="utf-8")
    path = export(tmp_path, fmt, str(table))
    G = read_back(path, fmt)
    assert G.nodes["partner:A\u2401"]["name"] == "A\u2401"
    assert G.nodes["partner:B"]["name"] == "B" and G.has_edge("partner:A\u2401", "project:P\u2407")
    if fmt == "gexf":
        assert_valid_gexf(schema, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_line_breaks_tabs_and_quotes_in_names_survive(tmp_path, fmt):
    table = tmp_path / "breaks.csv"
    table.write_text('partner,project,note\nA,P1,"tab\there\r\nnext line"\n"Say ""hi"" & <go>",P1,x\n',
                     encoding="utf-8")
    G = read_back(export(tmp_path, fmt, str(table)), fmt)
    assert G.nodes["partner:A"]["note"] == "tab\there\r\nnext line"  # in an XML attribute too (GEXF)
    assert G.nodes['partner:Say "hi" & <go>']["label"] == 'Say "hi" & <go>'


def test_export_and_report_take_the_analysis_options(tmp_path):
    """--weighting, --min-shared and --method change the export (and the report) as they change analyze."""
    table = tmp_path / "t.csv"  # A and B share P1 and P2 (Jaccard 2/3); B and C share P2 only
    table.write_text("partner,project\nA,P1\nB,P1\nA,P2\nB,P2\nC,P2\nA,P3\n", encoding="utf-8")
    out = tmp_path / "stable.json"
    result = CliRunner().invoke(cli, ["export", str(table), "-f", "json", "--network", "partners", "--min-shared",
                                      "2", "--weighting", "jaccard", "--out", str(out)])
    assert result.exit_code == 0, result.output
    G = read_back(out, "json")
    assert [(u, v, float(d["weight"])) for u, v, d in G.edges(data=True)] == [
        ("partner:A", "partner:B", pytest.approx(2 / 3))]
    out = tmp_path / "louvain.json"
    result = CliRunner().invoke(cli, ["export", "-f", "json", "--method", "louvain", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    louvain = analyze(demo_path(), method="louvain", seed=3).partition.membership
    assert {n: int(d["community"]) for n, d in read_back(out, "json").nodes(data=True)} == louvain
    report = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "--method", "louvain", "--out", str(report), "-q"])
    assert result.exit_code == 0, result.output
    assert "found by the Louvain algorithm" in (report / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, fmt", [("net.gexf", "gexf"), ("NET.GraphML", "graphml"), ("net.json", "json"),
                                       ("net.vosviewer.json", "vosviewer")])
def test_without_format_the_out_files_ending_says_it(tmp_path, name, fmt):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    explicit = tmp_path / f"explicit-{name}"
    assert CliRunner().invoke(cli, ["export", "--format", fmt, "--out", str(explicit)]).exit_code == 0
    assert out.read_bytes() == explicit.read_bytes()


@pytest.mark.parametrize("args", [[], ["--out", "-"], ["--out", "net.txt"]])
def test_without_format_or_a_known_ending_export_asks_for_format(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", *args])
    assert result.exit_code == 2 and "choose one with --format (gexf, graphml, json, vosviewer)" in result.output
    assert list(tmp_path.iterdir()) == []  # nothing read, nothing written
