"""The whole run: reproducible to the byte, the committed demo output fresh, real data counted right."""

import json
import random
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.graph import project
from ecosys.pipeline import DEMO_NAME, analyze, demo_path
from ecosys.files import write_outputs
from ecosys.report import OUTPUTS

REPO = Path(__file__).resolve().parents[1]


def run(args, cwd):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_same_input_and_seed_give_the_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        write_outputs(analyze(demo_path(), seed=3), out)
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_row_order_does_not_change_the_results(tmp_path):
    lines = demo_path().read_text(encoding="utf-8").splitlines(keepends=True)
    body = lines[1:]
    random.Random(1).shuffle(body)
    shuffled = tmp_path / f"{DEMO_NAME}.csv"
    shuffled.write_text(lines[0] + "".join(body), encoding="utf-8")
    write_outputs(analyze(demo_path()), tmp_path / "original")
    write_outputs(analyze(shuffled), tmp_path / "shuffled")
    for name in ("partners.csv", "projects.csv", "communities.csv", "map.html"):
        assert (tmp_path / "original" / name).read_bytes() == (tmp_path / "shuffled" / name).read_bytes(), name


def test_another_seed_is_recorded(tmp_path):
    write_outputs(analyze(demo_path(), seed=7), tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seed"] == 7 and summary["community_method"]["seed"] == 7


def test_committed_demo_output_is_fresh(tmp_path, monkeypatch):
    """graphs/<demo>/ is what `ecosys analyze --lang it` writes now (the demo's data is Italian); if this fails,
    run `ecosys analyze --lang it` and commit."""
    monkeypatch.chdir(tmp_path)
    run(["analyze", "--quiet", "--lang", "it"], tmp_path)
    fresh = tmp_path / "graphs" / DEMO_NAME
    committed = REPO / "graphs" / DEMO_NAME
    for name in OUTPUTS:
        assert (committed / name).read_bytes() == (fresh / name).read_bytes(), (
            f"graphs/{DEMO_NAME}/{name} is stale: run `ecosys analyze --lang it` in the repository and commit it"
        )


def test_demo_summary_numbers():
    s = analyze(demo_path()).summary()
    assert (s["partners"], s["projects"], s["participations"], s["components"]) == (36, 20, 52, 4)
    assert s["input"]["attributes"] == {
        "partner": ["type", "city"],
        "project": ["programme", "start", "end", "amount_eur", "source"],
        "participation": ["role"],
    }
    # Formez takes part in the 16 Social Innovation Fund projects: the demo's hub.
    partners = analyze(demo_path()).partners()
    top = partners.iloc[0]
    assert (top["name"], top["degree"]) == ("Formez", 16)


def test_cordis_h2020_counts_match_the_published_ones(shared_data):
    """Published for this exact snapshot (SOURCE.md): the wiki of Spaghetti Open Data, 2016."""
    result = analyze(shared_data / "cordis-h2020-sod2016" / "edges.csv")
    s = result.summary()
    assert s["input"]["partner_column"] == "new_org_id" and s["input"]["project_column"] == "projectRcn"
    assert (s["partners"], s["projects"], s["participations"]) == (12_326, 7_574, 31_868)
    assert s["partner_pairs"] == 170_120  # "stacked partnerships"
    assert s["partners_without_copartner"] == 1_246
    assert s["components"] == 1_398 and s["largest_component"]["partners"] == 10_680
    degree = result.metrics.set_index("node")["degree"]
    # one link per shared project: sum over projects of C(k, 2)
    projects = result.metrics[result.metrics["kind"] == "project"]["degree"]
    assert int((projects * (projects - 1) // 2).sum()) == 196_436
    stable = project(result.network, min_shared=2).to_networkx()
    assert stable.number_of_edges() == 16_289
    assert len(max(nx.connected_components(stable), key=len)) == 2_069  # the "giant component"
    fraunhofer = "partner:999984059"
    assert degree[fraunhofer] == 284 and stable.degree(fraunhofer) == 471
    assert s["centrality"]["method"] == "sampled" and s["centrality"]["seed"] == 0
    for column in ("degree_centrality", "betweenness", "closeness"):
        assert result.metrics[column].between(0, 1).all(), column


@pytest.mark.parametrize("options", [dict(resolution=float("nan")), dict(resolution=float("inf")),
                                     dict(resolution=0.0), dict(seed=-1), dict(seed=2**32), dict(runs=0),
                                     dict(seed=2**32 - 1, runs=2), dict(seed=1.5)])
def test_analyze_refuses_options_out_of_range_before_reading(options):
    """The library checks what the CLI checks, so a notebook never writes NaN into summary.json."""
    with pytest.raises(ValueError, match="expected"):
        analyze(Path("/nonexistent/never-read.csv"), **options)


def test_node_tables_and_profiles_share_one_order_by_centrality(tmp_path):
    # the partners' and projects' tables and the community profiles take their order by centrality from one
    # computation: each table must still be the stable sort by PageRank (highest first) then name, and the
    # profiles those computed from scratch
    import pandas as pd

    from ecosys.profiles import community_profiles

    rng = random.Random(7)
    rows = ["rcn,pic,name,title"]
    for p in range(40):  # many ties (small projects of one to three partners); names not in the keys' order
        for _ in range(rng.choice([1, 1, 2, 3])):
            k = rng.randrange(30)
            rows.append(f"{p},{1000 + k},{chr(90 - k % 26)}org{k},{chr(75 - p % 10)} project")
    path = tmp_path / "t.csv"
    path.write_text("\n".join(rows) + "\n")
    a = analyze(path)
    m = a.metrics
    for kind, table in (("partner", a.partners()), ("project", a.projects())):
        side = m[m["kind"] == kind]
        expected = side.sort_values(["pagerank", "name"], ascending=[False, True], kind="stable")
        assert table["node"].tolist() == expected["node"].tolist()
        assert table["pagerank"].duplicated().any()  # the ties are there to be broken
    fresh = community_profiles(a.network, a.projection, a.partition, m["pagerank"].to_numpy())
    pd.testing.assert_frame_equal(a.communities(), fresh)


def test_nodes_of_an_unknown_kind_is_an_error():
    import pytest

    with pytest.raises(ValueError, match="unknown kind 'partners'"):
        analyze(demo_path()).nodes("partners")
