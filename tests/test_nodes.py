"""The node table maps, exports and notebooks draw from, checked against the analysis it comes from."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from ecosys.communities import detect_communities
from ecosys.graph import graph_from_edges
from ecosys.metrics import node_metrics
from ecosys.nodes import CATEGORY_VALUES, graph_node_table, node_table
from ecosys.pipeline import analyze, demo_path


@pytest.fixture(scope="module")
def demo():
    return analyze(demo_path())


def test_one_row_per_node_in_network_order_with_the_analysis_values(demo):
    nodes = demo.node_table
    assert nodes.keys == demo.network.nodes == nodes.table["node"].tolist()
    assert (nodes.n, nodes.n_partners, nodes.name) == (56, 36, "italian-social-innovation")
    metrics = demo.metrics.set_index("node").loc[nodes.keys]
    assert nodes.metrics == tuple(c for c in demo.metrics.columns if c not in ("node", "name", "kind"))
    for c in nodes.metrics:
        np.testing.assert_array_equal(nodes.table[c].to_numpy(), metrics[c].to_numpy())
    assert nodes.communities.tolist() == [demo.partition.of(k) for k in nodes.keys]
    assert nodes.attributes == ("type", "city", "programme", "start", "end", "amount_eur", "source")
    partners = demo.partners().set_index("node").loc[nodes.keys[:36]]
    assert nodes.table["type"][:36].tolist() == partners["type"].tolist()
    assert (nodes.table["type"][36:] == "").all() and (nodes.table["programme"][:36] == "").all()
    assert nodes.edges.columns.tolist() == ["partner", "project", "role"] and len(nodes.edges) == 52
    assert (nodes.W != demo.projection.shared).nnz == 0
    assert demo.node_table is nodes  # computed once per analysis


def test_degree_and_adjacency_are_networkx(demo):
    nodes = demo.node_table
    G = demo.graph
    assert nodes.degree.tolist() == [G.degree(k) for k in nodes.keys]
    expected = nx.to_scipy_sparse_array(G, nodelist=nodes.keys)
    assert (nodes.adjacency != expected).nnz == 0


def _six_partners(tmp_path):
    """6 partners in 2 projects each, 4 projects: type repeats (partners), city does not, programme repeats
    (projects), role differs within partners and projects (participations). The table and its rows."""
    rows = ["partner,project,role,type,city,programme"]
    for i in range(12):
        a, j = i % 6, i % 4
        rows.append(f"A{a},P{j},{'lead' if i < 4 else 'member'},{'town' if a % 3 else 'firm'},City{a},"
                    f"{'FP7' if j < 2 else 'H2020'}")
    table = tmp_path / "t.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return table, rows[1:]


def test_categories_and_the_side_they_describe(tmp_path):
    nodes = analyze(_six_partners(tmp_path)[0]).node_table
    # type: 2 values (partners); city: every value once (not a category); programme: projects; role: participations
    assert nodes.categorical == {"type": "partner", "programme": "project", "role": "participation"}
    many = tmp_path / "many.csv"
    many.write_text("partner,project,group\n" + "".join(
        f"A{i},P{i % 3},{'G0' if i < 2 else f'G{i}'}\n" for i in range(CATEGORY_VALUES + 3)), encoding="utf-8")
    assert "group" not in analyze(many).node_table.categorical  # more distinct values than CATEGORY_VALUES


def test_years_from_a_start_date(demo, tmp_path):
    nodes = demo.node_table
    starts = demo.network.projects["start"].str.slice(0, 4)
    assert nodes.years[:36].tolist() == [0] * 36
    assert nodes.years[36:].tolist() == [int(y) if y else 0 for y in starts]
    plain = tmp_path / "plain.csv"
    plain.write_text("partner,project,start\nA,P1,soon\nB,P1,later\nB,P2,2020\n", encoding="utf-8")
    assert analyze(plain).node_table.years is None  # not a column of years


def test_find_a_node_exactly_then_whatever_the_case_then_by_key(demo):
    nodes = demo.node_table
    formez = nodes.find("Formez")
    assert nodes.table["name"][formez] == "Formez"
    assert nodes.find("fORMEZ") == formez and nodes.find("partner:Formez") == formez
    with pytest.raises(KeyError):
        nodes.find("Nobody")


@pytest.mark.parametrize("seed", range(3))
def test_participations_among_some_nodes_are_the_induced_edges(seed):
    rng = random.Random(seed)
    G = graph_from_edges((f"a{rng.randrange(25)}", f"p{rng.randrange(10)}") for _ in range(45))
    nodes = graph_node_table(G, node_metrics(G), detect_communities(G))
    chosen = np.sort(rng.sample(range(nodes.n), nodes.n // 2))
    rows, a, b = nodes.participations_among(chosen)
    drawn = {(nodes.keys[chosen[i]], nodes.keys[chosen[j]]) for i, j in zip(a, b)}
    expected = {(u, v) if u.startswith("partner:") else (v, u) for u, v in G.subgraph(nodes.keys[i] for i in chosen).edges()}
    assert drawn == expected and len(rows) == len(expected)
    assert list(zip(a.tolist(), b.tolist())) == sorted(zip(a.tolist(), b.tolist()))
    partner, project = nodes.edges["partner"].to_numpy()[rows], nodes.edges["project"].to_numpy()[rows]
    assert (chosen[a] == partner).all() and (chosen[b] == project + nodes.n_partners).all()


def test_a_bare_graph_gives_the_table_an_analysis_gives(demo):
    bare = graph_node_table(demo.network, demo.metrics, demo.partition)
    assert bare.table.equals(demo.node_table.table) and bare.attributes == demo.node_table.attributes


def test_input_columns_named_like_metrics_keep_their_values(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("partner,project,degree,community\nA,P1,high,north\nB,P1,low,south\n", encoding="utf-8")
    nodes = analyze(table).node_table
    assert nodes.attributes == ("degree (input)", "community (input)")
    assert nodes.table["degree (input)"].tolist() == ["high", "low", ""] and nodes.table["degree"].tolist() == [1, 1, 2]


def test_with_several_runs_stability_is_a_metric_and_unstable_an_attribute():
    result = analyze(demo_path(), runs=3)
    nodes = node_table(result)
    assert nodes.metrics[-1] == "stability" and nodes.attributes[-1] == "unstable"
    np.testing.assert_array_equal(nodes.table["stability"].to_numpy(), result.stability.stability)
    assert nodes.table["unstable"].tolist() == ["yes" if u else "no" for u in result.stability.unstable]


@pytest.mark.parametrize("column, values", [
    ("startDate", ["2019-05-01", "2021-01-15", "2021-12-31"]),          # CORDIS
    ("Project start", ["01/05/2019", "15/01/2021", "31/12/2021"]),      # keep.eu, day first
    ("project_start_date", ["2019-05", "2021-01", "2021-12"]),
    ("start_year", ["2019", "2021", "2021"]),
])
def test_project_years_come_from_any_start_column_the_dates_module_finds(tmp_path, column, values):
    """A map's year filter works for the start columns of real data (ecosys.dates), not only for `start`."""
    path = tmp_path / "p.csv"
    rows = [("A", "P1", values[0]), ("B", "P1", values[0]), ("B", "P2", values[1]), ("C", "P3", values[2])]
    path.write_text("partner,project," + column + "\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    from ecosys.pipeline import analyze

    nodes = analyze(str(path)).node_table
    years = dict(zip(nodes.table["name"], nodes.years.tolist()))
    assert {p: years[p] for p in ("P1", "P2", "P3")} == {"P1": 2019, "P2": 2021, "P3": 2021}
    from ecosys.maps import graph_payload

    assert graph_payload(nodes)["years"] == [2019, 2021]


def _participations_among_each(data, nodes):
    """participations_among as it was first written: every participation looked at, then sorted."""
    position = np.full(data.n, -1, dtype=np.int64)
    position[nodes] = np.arange(len(nodes))
    e_p = data.edges["partner"].to_numpy(dtype=np.int64)
    e_j = data.edges["project"].to_numpy(dtype=np.int64) + data.n_partners
    rows = np.flatnonzero((position[e_p] >= 0) & (position[e_j] >= 0))
    a, b = position[e_p[rows]], position[e_j[rows]]
    order = np.lexsort((b, a))
    return rows[order], a[order], b[order]


@pytest.mark.parametrize("shuffled", [False, True])
def test_participations_among_are_those_between_the_nodes_sorted_by_their_ends(shuffled):
    import dataclasses

    data = analyze(demo_path()).node_table
    if shuffled:  # participations in another order: the table looks at each of them
        edges = data.edges.sample(frac=1, random_state=0).reset_index(drop=True)
        data = dataclasses.replace(data, edges=edges)
    rng = np.random.default_rng(0)
    cases = [np.arange(data.n), np.zeros(0, dtype=np.int64), np.arange(data.n_partners), np.arange(data.n_partners, data.n),
             *[np.flatnonzero(data.communities == c) for c in np.unique(data.communities)],
             *[np.sort(rng.choice(data.n, size=int(rng.integers(1, data.n)), replace=False)) for _ in range(30)]]
    for nodes in cases:
        got = data.participations_among(nodes)
        want = _participations_among_each(data, nodes)
        assert all(np.array_equal(g, w) for g, w in zip(got, want))
    assert len(data.participations_among(np.arange(data.n))[0]) == len(data.edges)


def test_the_node_tables_counts_are_the_projections_own_and_read_only():
    import pytest

    result = analyze(demo_path())
    W = result.node_table.W
    assert np.shares_memory(W.data, result.projection.shared.data) and (W != result.projection.shared).nnz == 0
    with pytest.raises(ValueError, match="read-only"):
        W.data[:] = 0
    assert result.projection.shared.data.min() > 0


def test_attributes_whose_values_repeat_are_categories_reading_as_the_texts_they_hold(tmp_path):
    table, rows = _six_partners(tmp_path)
    result = analyze(table)
    net, nodes = result.network, result.node_table
    dtypes = {c: str(nodes.table[c].dtype) for c in nodes.attributes}
    assert dtypes == {"type": "category", "city": "str", "programme": "category"}
    assert str(net.partners["type"].dtype) == "category" and str(net.edges["role"].dtype) == "category"
    assert nodes.table["type"].tolist() == ["firm", "town", "town", "firm", "town", "town"] + [""] * 4
    assert nodes.table["programme"].tolist() == [""] * 6 + ["FP7", "FP7", "H2020", "H2020"]
    assert nodes.table["type"].cat.categories.tolist() == ["", "firm", "town"]
    by_pair = sorted(rows, key=lambda r: (r[1], r[4]))  # edges by partner, then project (one digit each)
    assert net.edges["role"].tolist() == [r.split(",")[2] for r in by_pair]
    partners = result.partners()
    assert str(partners["type"].dtype) == "category"
    assert partners["type"].tolist() == net.partners.set_index("node").loc[partners["node"], "type"].tolist()
    assert (nodes.table["type"] == "town").sum() == 4 and nodes.table.sort_values("type")["type"].iloc[-1] == "town"
