"""Community profiles: composition, amounts, modularity shares, top members and names, by hand and against networkx.

The community methods themselves are tested in test_analysis.py and test_analyses.py.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from ecosys.communities import detect_communities
from ecosys.profiles import (
    community_names,
    community_profiles,
    composition,
    distinctive_values,
    distinctive_words,
    internal_weights,
    modularity_shares,
    top_members,
    totals,
)
from ecosys.graph import as_network, graph_from_edges, project
from ecosys.pipeline import analyze, demo_path


def random_graph(seed, partners=40, projects=15, rows=80):
    rng = random.Random(seed)
    return graph_from_edges((f"a{rng.randrange(partners)}", f"p{rng.randrange(projects)}") for _ in range(rows))


def test_composition_by_hand():
    community = [1, 1, 1, 1, 1, 2, 2, 3]
    values = ["firm", "", "town", "town", "firm", "NGO", "NGO", ""]
    t = composition(community, values, most=3)
    assert t.values.tolist() == [
        [1, "firm", 2, 0.5, 4, 5],  # firm and town tie: firm is met first
        [1, "town", 2, 0.5, 4, 5],
        [2, "NGO", 2, 1.0, 2, 2],
    ]  # community 3 has no value
    assert t.columns.tolist() == ["community", "value", "count", "share", "filled", "members"]
    order = [2, 0, 1, 3, 4, 5, 6, 7]  # town's member first: town wins the tie
    assert composition(np.array(community)[order], np.array(values)[order], most=1)["value"].tolist() == ["town", "NGO"]


def test_top_members_follow_the_order_given():
    assert top_members([2, 1, 2, 1, 1], order=[4, 3, 2, 1, 0], most=2) == {1: [4, 3], 2: [2, 0]}
    assert top_members([1, 1], order=[1], most=5) == {1: [1]}  # nodes left out of the order are left out


@pytest.mark.parametrize("seed", range(4))
def test_modularity_shares_sum_to_networkx_modularity(seed):
    net = as_network(random_graph(seed))
    P = project(net, weighting="newman")
    part = detect_communities(net, seed=seed, projection=P)
    partner_community = np.array([part.of(k) for k in net.partners["node"]])
    shares = modularity_shares(P, partner_community)
    groups = [set(np.flatnonzero(partner_community == c)) for c in sorted(set(partner_community))]
    graph = nx.Graph()
    graph.add_nodes_from(range(net.n_partners))
    rows, cols, _, weights = P.pairs()
    graph.add_weighted_edges_from(zip(rows.tolist(), cols.tolist(), weights.tolist()))
    assert shares.sum() == pytest.approx(nx.community.modularity(graph, groups, weight="weight"))
    inside = internal_weights(P, partner_community)
    for c, members in zip(sorted(set(partner_community)), groups):
        assert inside.get(c, 0.0) == pytest.approx(graph.subgraph(members).size(weight="weight"))
    assert totals(partner_community, np.ones(net.n_partners)).to_dict() == {
        c: float(len(m)) for c, m in zip(sorted(set(partner_community)), groups)
    }


def test_profiles_of_a_small_table_by_hand(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "partner,project,type,year,start,amount_eur,funding_code\n"
        "A,P1,firm,2019,2019-01-01,100.4,F1\n"
        "B,P1,NA,2019,2019-01-01,100.4,F1\n"
        "A,P2,firm,2020,2020-02-01,50,F2\n"
        "C,P2,town,2020,2020-02-01,50,F2\n"
        "D,P3,town,2021,2021-03-01,7,F3\n"
        "E,P3,firm,2021,2021-03-01,7,F3\n",
        encoding="utf-8",
    )
    result = analyze(table)
    profiles = result.communities()
    assert result.communities() is not result.communities()  # a copy each time
    assert profiles.columns.tolist() == [
        "community", "name", "partners", "projects", "internal_weight", "modularity_share", "top_partners",
        "top_projects", "partners_type", "amount_eur_total",
    ]  # year (a number) and start (a date) are not categories; funding_code: every value different
    rows = profiles.set_index("community")
    members = {c: sorted(result.network.partners["name"][[result.partition.of(k) == c for k in
                                                           result.network.partners["node"]]]) for c in rows.index}
    assert members == {1: ["A", "B", "C"], 2: ["D", "E"]}
    assert rows.loc[1, "partners_type"] == "firm 50%; town 50%"  # B's "NA" is blank: 1 firm, 1 town of 2
    assert rows.loc[2, "partners_type"] == "firm 50%; town 50%"  # a tie: alphabetical
    assert rows.loc[1, "amount_eur_total"] == 150 and rows.loc[2, "amount_eur_total"] == 7  # 100.4 + 50, rounded
    assert rows.loc[1, "internal_weight"] == 2 and rows.loc[1, "top_projects"] in ("P1; P2", "P2; P1")
    assert rows["modularity_share"].sum() == pytest.approx(result.partition.modularity, abs=1e-5)


def test_profiles_rank_members_by_centrality_then_name():
    net = as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P1"), ("D", "P2")]))
    part = detect_communities(net)
    centrality = [0.1, 0.5, 0.1, 0.2, 0.3, 0.2]  # A B C D, P1 P2
    t = community_profiles(net, project(net), part, centrality).set_index("community")
    assert t.loc[1, "top_partners"] == "B; A; C" and t.loc[2, "top_partners"] == "D"


def test_demo_community_profiles():
    result = analyze(demo_path())
    c = result.communities().set_index("community")
    assert c["modularity_share"].sum() == pytest.approx(result.partition.modularity, abs=1e-5)
    # community 1: the Social Innovation Fund municipalities and Formez
    assert c.loc[1, "partners_type"] == "municipality 94%; public body 6%"
    assert c.loc[1, "projects_programme"] == "Fondo per l'Innovazione Sociale (FIS) 100%"
    # the one project with an amount (BO3.3.1.b, 412,248.84 EUR)
    assert c["amount_eur_total"].sum() == 412249  # rounded to whole euros
    profiles = result.summary()["community_profiles"]
    assert profiles[0]["partners"] == c.loc[1, "partners"] and profiles[0]["community"] == 1


def _planted(seed=3):
    """Three communities of 20 partners, each in 12 projects of its own: community A mostly research centres,
    B mostly municipalities, C mixed; A's projects are about hydrogen, B's about schools."""
    rng = random.Random(seed)
    edges, types, titles = [], {}, {}
    for group, share in (("A", 0.8), ("B", 0.75), ("C", None)):
        members = [f"{group}{i:02d}" for i in range(20)]
        for i, m in enumerate(members):
            if share is None:
                types[m] = ["research", "municipality", "company", "school"][i % 4]
            else:
                main = "research" if group == "A" else "municipality"
                types[m] = main if i < round(20 * share) else ["company", "school"][i % 2]
        for k in range(12):
            project = f"{group}-P{k}"
            titles[project] = {"A": "Hydrogen storage pilot {k}", "B": "Schools and neighbourhood {k}",
                               "C": "Regional cooperation {k}"}[group].format(k=k)
            for m in rng.sample(members, 6):
                edges.append((m, project))
    net = as_network(graph_from_edges(edges))
    net.partners["type"] = [types[k.split(":", 1)[1]] for k in net.partners["node"]]
    net.projects["title"] = [titles[k.split(":", 1)[1]] for k in net.projects["node"]]
    return net


def test_community_names_say_what_is_over_represented_on_a_planted_example():
    net = _planted()
    group = np.array([k.split(":", 1)[1][0] for k in net.nodes])  # A, B or C
    community = np.select([group == "A", group == "B"], [1, 2], 3)
    centrality = np.zeros(len(group))
    centrality[net.nodes.index("partner:A07")] = 1.0
    centrality[net.nodes.index("partner:B03")] = 0.9
    centrality[net.nodes.index("partner:C11")] = 0.8
    names = community_names(net, community, centrality)
    assert names[1] == "A07 · research 80% · hydrogen, pilot"
    assert names[2] == "B03 · municipality 75% · neighbourhood, schools"
    assert names[3] == "C11 · cooperation, regional"  # mixed types: no value is over-represented


def test_distinctive_values_by_hand():
    # whole network: 4 FR of 10; community 1: 3 FR of 4 members (lift 1.875), community 2: 1 FR of 6
    community = [1, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    values = ["FR", "FR", "FR", "IT", "FR", "IT", "IT", "DE", "DE", ""]
    t = distinctive_values(community, values)
    assert t[["community", "value", "count"]].values.tolist() == [[1, "FR", 3], [2, "DE", 2]]
    assert t["share"].round(4).tolist() == [0.75, 0.4]
    assert t["lift"].round(4).tolist() == [round(0.75 / (4 / 9), 4), round(0.4 / (2 / 9), 4)]
    assert t["score"].round(4).tolist() == [round(3 * np.log(0.75 / (4 / 9)), 4), round(2 * np.log(0.4 / (2 / 9)), 4)]


def test_distinctive_words_follow_the_log_odds_with_an_informative_prior():
    titles = ["solar solar panels"] * 5 + ["school meals"] * 5
    words = distinctive_words([1] * 5 + [2] * 5, titles, min_z=0)
    assert words == {1: ["panels", "solar"], 2: ["meals", "school"]}
    # by hand for 'solar' in community 1: y = 5 of n_c = 10 words, none elsewhere (n_rest = 10); prior a = 10 * 5 / 20
    a = 2.5
    z = (np.log((5 + a) / (10 + 10 - 5 - a)) - np.log((0 + a) / (10 + 10 - 0 - a))) / np.sqrt(1 / (5 + a) + 1 / (0 + a))
    assert z > 1.96 and distinctive_words([1] * 5 + [2] * 5, titles) == words


def test_the_demo_communities_have_names():
    t = analyze(demo_path()).communities()
    assert t.columns[:2].tolist() == ["community", "name"]
    assert t["name"].tolist()[:2] == ["Formez · municipality 94%", "Associazione ReTer (Reti e Territorio)"]


def test_amounts_are_read_as_people_write_them_and_summed(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "partner;project;budget;Co-financing;share;numProj\n"
        "A;P1;1.000,50;€ 10;10%;3\n"
        "B;P1;1.000,50;€ 10;10%;4\n"
        "A;P2;(500,25);€ 1.000;20%;3\n"
        "C;P2;(500,25);€ 1.000;20%;5\n"
        "D;P3;n/a;-;5%;6\n"
        "E;P3;n/a;-;5%;7\n",
        encoding="utf-8",
    )
    result = analyze(table)
    rows = result.communities().set_index("community")
    # a decimal comma and a negative in parentheses; Co-financing is an amount by its currency, not its name;
    # share (%) and numProj (a count) are numbers but no amounts, and no categories either
    assert [c for c in rows.columns if c.endswith("_total") or c.startswith(("partners_", "projects_"))] == [
        "budget_total", "Co-financing_total"]
    assert rows.loc[1, "budget_total"] == 500 and rows.loc[1, "Co-financing_total"] == 1010  # 1000.5 - 500.25
    assert rows.loc[2, "budget_total"] == 0 and rows.loc[2, "Co-financing_total"] == 0  # n/a and - are blank
    assert not set(result.node_table.categorical) & {"budget", "Co-financing", "share", "numProj"}


def test_cordis_amounts_are_summed_and_counts_are_no_categories(shared_data):
    folder = shared_data / "cordis-h2020-sod2016"
    result = analyze(folder)
    profiles = result.communities()
    p = result.participations
    projects = p.table.drop_duplicates("project")
    for column in ("totalCost", "ecMaxContribution"):  # "230971380,84": decimal commas, summed per community
        total = profiles[f"{column}_total"].sum()
        assert total == pytest.approx(np.nansum(p.numbers_of(column)[projects.index]), abs=len(profiles))
    partners = p.table.drop_duplicates("partner")
    assert profiles["totContribution_total"].sum() == pytest.approx(
        np.nansum(p.numbers_of("totContribution")[partners.index]), abs=len(profiles))
    categories = result.node_table.categorical
    assert "numProj" not in categories and "numOrg" not in categories  # 56 values, but counts
    assert categories["country"] == "partner" and categories["fundingScheme"] == "project"


def test_by_centrality_is_the_stable_sort_by_rank_then_name():
    """The order of pandas' stable sort by (rank descending, name), NaN last, on ranks with many ties."""
    from ecosys.profiles import by_centrality
    rng = np.random.default_rng(5)
    for n in (0, 1, 7, 500):
        rank = rng.choice([0.5, 0.25, 0.1, np.nan, 0.0, -0.0], size=n)
        names = rng.choice(["b", "a", "ä", "B", "aa", ""], size=n).astype(object)
        t = pd.DataFrame({"rank": rank, "name": names})
        expected = t.sort_values(["rank", "name"], ascending=[False, True], kind="stable").index.tolist()
        assert by_centrality(rank, names).tolist() == expected
    assert by_centrality([0.3, 0.1, 0.2], ["c", "b", "a"]).tolist() == [0, 2, 1]  # no ties: by rank alone


def test_communities_of_follows_the_nodes_whatever_the_membership_order():
    from ecosys.profiles import communities_of
    assert communities_of(["x", "y", "z"], {"x": 1, "y": 2, "z": 1}).tolist() == [1, 2, 1]
    assert communities_of(["x", "y", "z"], {"z": 1, "y": 2, "x": 3}).tolist() == [3, 2, 1]


@pytest.mark.parametrize("seed", range(40))
def test_top_members_are_pandas_groupby_head_of_the_members_in_order(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 60))
    community = rng.integers(1, 6, n).astype(object if seed % 5 == 0 else np.int64)
    if seed % 7 == 0 and n:  # a node without a community
        community = community.astype(float)
        community[rng.integers(0, n)] = np.nan
    order = rng.permutation(n)[: int(rng.integers(0, n + 1))] if n else np.zeros(0, dtype=np.int64)
    most = int(rng.integers(1, 4))
    head = pd.DataFrame({"c": np.asarray(community)[order], "i": order}).groupby("c", sort=False).head(most)
    want: dict = {}
    for c, i in zip(head["c"].tolist(), head["i"].tolist()):
        want.setdefault(c, []).append(i)
    assert list(top_members(community, order, most).items()) == list(want.items())


@pytest.mark.parametrize("seed", range(3))
def test_counts_read_a_block_of_rows_at_a_time_give_the_sums_of_the_list_of_pairs(seed, monkeypatch):
    # with counts the projection is read in blocks, never listed pair by pair: the same values, to the bit
    import dataclasses

    from ecosys import profiles

    net = as_network(random_graph(seed, partners=300, projects=60, rows=900))
    P = project(net)
    part = detect_communities(net, seed=seed, projection=P)
    partner_community = np.array([part.of(k) for k in net.partners["node"]])
    listed = dataclasses.replace(P, weights=P.shared.data.astype(float))  # the same weights, given: the pairs' path
    assert P.weights is None and P.number_of_edges() > 500
    monkeypatch.setattr(profiles, "_BLOCK_ENTRIES", 37)  # many blocks
    for f in (internal_weights, modularity_shares):
        ours, theirs = f(P, partner_community), f(listed, partner_community)
        assert ours.index.tolist() == theirs.index.tolist() and ours.index.dtype == theirs.index.dtype
        assert ours.to_numpy().tobytes() == theirs.to_numpy().tobytes(), f.__name__


def test_float_counts_without_weights_add_up_in_the_order_of_the_pairs():
    # only whole-number counts take the block path; floats in shared keep the pairs' order of summation
    import dataclasses

    net = as_network(random_graph(7, partners=200, projects=50, rows=600))
    P = project(net)
    part = detect_communities(net, seed=7, projection=P)
    community = np.array([part.of(k) for k in net.partners["node"]])
    floats = dataclasses.replace(P, shared=P.shared.astype(float))
    listed = dataclasses.replace(P, weights=P.shared.data.astype(float))
    for f in (internal_weights, modularity_shares):
        assert f(floats, community).to_numpy().tobytes() == f(listed, community).to_numpy().tobytes()


@pytest.mark.parametrize("community", [[1, 1, 2], [1, 1, 1]])
def test_titles_of_one_word_have_no_distinctive_word_and_no_error(community):
    """Regression: when every title is the same single word, its odds against the other words divided by zero."""
    assert distinctive_words(community, ["Hydrogen", "hydrogen", "HYDROGEN"], min_z=0.0, min_count=1) == {}
