"""`ecosys export`: every format read back, with all attributes, metrics and communities.

GEXF, GraphML and node-link JSON are read back with networkx; the VOSviewer
JSON map is validated against a schema written from VOSviewer's documentation
(https://app.vosviewer.com/docs/file-types/json-file-type/).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.export import FORMATS, render_export
from ecosys.pipeline import analyze, demo_path

METRICS = ["degree", "degree_centrality", "projection_degree", "weighted_degree", "betweenness", "closeness",
           "pagerank", "core"]
HOSTILE = "<img src=x onerror=alert(1)>"

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


@pytest.fixture(scope="module")
def demo():
    return analyze(demo_path())


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
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_the_graph_formats_read_back_with_every_attribute(tmp_path, demo, fmt):
    G = read_back(export(tmp_path, fmt), fmt)
    assert (G.number_of_nodes(), G.number_of_edges()) == (56, 52)
    formez = G.nodes["partner:Formez"]
    assert formez["kind"] == "partner" and formez["name"] == "Formez"
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
    assert project["kind"] == "project" and "programme" in project
    roles = nx.get_edge_attributes(G, "role")
    assert len(roles) == 52 and roles[("partner:Formez", "project:Communal Living")] in (
        "implementing body", "partner", "coordinator", "lead municipality")
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "partner") == 36


def test_gexf_keeps_start_and_end_as_plain_attributes(tmp_path):
    text = export(tmp_path, "gexf").read_text(encoding="utf-8")
    assert 'mode="static"' in text and "lastmodifieddate" not in text
    G = nx.read_gexf(tmp_path / "demo.gexf")
    dated = [d for _, d in G.nodes(data=True) if "start (input)" in d]
    assert [d["start (input)"] for d in dated] == ["2016-11-01"]


def test_the_vosviewer_map_follows_the_documented_schema(tmp_path, demo):
    data = json.loads(export(tmp_path, "vosviewer").read_text(encoding="utf-8"))
    jsonschema.validate(data, VOSVIEWER_SCHEMA)
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
    ids = {item["id"]: item["label"] for item in items}
    assert sorted(ids) == list(range(1, 37))
    # a link's strength is the number of projects the two partners share
    torino_seed = [
        link for link in links
        if {ids[link["source_id"]], ids[link["target_id"]]} == {"Comune di Torino", "Politecnico di Torino"}
    ]
    assert [link["strength"] for link in torino_seed] == [1]
    assert [c["cluster"] for c in data["network"]["clusters"]] == [1, 2, 3, 4, 5]


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
            assert G.nodes[f"partner:{HOSTILE}"]["name"] == HOSTILE
            assert G.nodes["partner:=cmd()"]["name"] == "=cmd()"


def test_exports_are_the_same_bytes_every_time(tmp_path, demo):
    for fmt in FORMATS:
        assert render_export(demo, fmt) == render_export(analyze(demo_path()), fmt), fmt


def test_exports_are_the_same_bytes_in_another_process():
    """Python seeds its string hashes per process: nothing written may depend on a set's order."""
    import subprocess
    import sys

    code = ("import hashlib; from ecosys.pipeline import analyze, demo_path; from ecosys.export import render_export; "
            "print(hashlib.sha256(render_export(analyze(demo_path()), 'gexf').encode()).hexdigest())")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
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
def test_control_characters_in_names_and_headers_give_well_formed_xml(tmp_path, fmt):
    # XML 1.0 forbids most C0 control characters even as &#1;: each becomes its visible Control Picture
    table = tmp_path / "controls.csv"
    plain = "".join(f"Partner number {k},Project number {k},plain\n" for k in range(20))  # not a binary file
    table.write_text(f'partner,project,note\x02\n"A\x01",P\x07,"x\x1b"\nB,P\x07,y\n{plain}', encoding="utf-8")
    G = read_back(export(tmp_path, fmt, str(table)), fmt)
    assert G.nodes["partner:A\u2401"]["name"] == "A\u2401"
    assert G.nodes["partner:B"]["name"] == "B" and G.has_edge("partner:A\u2401", "project:P\u2407")


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_attributes_named_like_the_formats_own_fields_are_kept(tmp_path, fmt):
    # a participation's source file, id and weight, a partner's pid: data, not the file's ids, link ends or weights
    table = tmp_path / "fields.csv"
    table.write_text("partner,project,source,id,weight,pid\nA,P1,f1.txt,x1,high,a\nB,P1,f2.txt,x1,low,b\n"
                     "B,P2,f3.txt,x1,high,b\nA,P2,f1.txt,x2,low,a\n", encoding="utf-8")
    G = read_back(export(tmp_path, fmt, str(table)), fmt)
    assert sorted(G.nodes) == ["partner:A", "partner:B", "project:P1", "project:P2"]
    assert G.number_of_edges() == 4
    renamed = {c: f"{c} (input)" for c in {"gexf": ("id", "weight", "pid"), "graphml": (), "json": ("source",)}[fmt]}
    edge = G.edges["partner:B", "project:P2"]
    assert {c: edge.get(renamed.get(c, c)) for c in ("source", "id", "weight")} == {
        "source": "f3.txt", "id": "x1", "weight": "high"}
    assert G.nodes["partner:B"][renamed.get("pid", "pid")] == "b"


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
