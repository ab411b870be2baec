"""How an ecosystem changes: periods, entrants, figures, the core and community events, counted by hand.

The small tables below are drawn so every number can be checked on paper; the figures of a
period are checked against networkx on the partner projection; community matching is checked
against a direct computation with Python sets on a planted example (a community that splits,
two that merge, one born, one ended, one growing, one continuing).
"""

from __future__ import annotations

import io
import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from ecosys.dates import project_dates, require_dates
from ecosys.errors import InputError
from ecosys.evolution import PERIOD_COLUMNS, community_events, evolve, match_communities, timeline
from ecosys.evolution.events import event_counts
from ecosys.evolution.page import evolution_outputs
from ecosys.evolution.snapshots import degree_centralisation, gini, mean_distance
from ecosys.evolution.turnover import core_stability, turnover
from ecosys.graph import as_network, graph_from_edges, project
from ecosys.read import read_participations

# A, B in P1 (2018-03 to 2019-06); A, C in P2 (2019); A, D in P3 (2020-02 to 2021-01); B, E in P4 (2021, a start only)
SMALL = """org,project,start,end,call
A,P1,2018-03-01,2019-06-30,first
B,P1,2018-03-01,2019-06-30,first
A,P2,2019-01-01,2019-12-31,second
C,P2,2019-01-01,2019-12-31,second
A,P3,2020-02-01,2021-01-31,first
D,P3,2020-02-01,2021-01-31,first
B,P4,2021,,third
E,P4,2021,,third
"""


def read(text: str):
    return read_participations(io.BytesIO(text.encode("utf-8")), name="t")


@pytest.fixture(scope="module")
def small():
    return evolve(read(SMALL), min_size=1)


# -- periods -----------------------------------------------------------------------------------

def test_one_period_per_year_from_the_first_to_the_last_start(small):
    t = small.timeline
    assert t.kind == "year" and t.labels == ["2018", "2019", "2020", "2021"]
    assert [(q.start, q.end) for q in t.periods][0] == ("2018-01-01", "2018-12-31")
    # P4 has only a start: it runs through 2021; P3 ends in January 2021 and still counts there
    assert t.project_active.astype(int).tolist() == [[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]]
    assert t.partner_active.astype(int).tolist() == [  # A B C D E
        [1, 1, 0, 0, 0], [1, 1, 1, 0, 0], [1, 0, 0, 1, 0], [1, 1, 0, 1, 1]]


def test_sliding_windows_cumulative_and_chosen_years():
    p = read(SMALL)
    d = project_dates(p)
    w = timeline(p, d, window=2)
    assert w.kind == "window" and w.labels == ["2018-2019", "2019-2020", "2020-2021"]
    assert w.project_active.sum(axis=1).tolist() == [2, 3, 2]
    assert timeline(p, d, window=2, step=2).labels == ["2018-2019", "2020-2021"]
    c = timeline(p, d, cumulative=True)
    assert c.labels == ["2018", "2018-2019", "2018-2020", "2018-2021"]
    assert c.project_active.sum(axis=1).tolist() == [1, 2, 3, 4]
    assert timeline(p, d, first=2019, last=2020).labels == ["2019", "2020"]
    assert timeline(p, d, window=5).labels == ["2018-2022"]  # longer than the span: one window
    with pytest.raises(ValueError, match="after the last"):
        timeline(p, d, first=2021, last=2019)


def test_periods_by_the_values_of_a_column_in_time_order():
    p = read(SMALL)
    t = timeline(p, project_dates(p), by="CALL")  # found case-insensitively
    # "first" holds P1 (2018) and P3 (2020): its median start is P1's, so it comes first
    assert t.kind == "value" and t.column == "call" and t.labels == ["first", "second", "third"]
    assert [(q.start, q.end) for q in t.periods] == [
        ("2018-03-01", "2021-01-31"), ("2019-01-01", "2019-12-31"), ("2021-01-01", "2021-12-31")]
    assert t.partner_active.astype(int).tolist() == [[1, 1, 0, 1, 0], [1, 0, 1, 0, 0], [0, 1, 0, 0, 1]]
    plain = timeline(read("org,project,call\nA,P1,call 10\nB,P2,call 2\nC,P3,\n"), by="call")
    assert plain.labels == ["call 2", "call 10"]  # numbers as numbers; the blank row in no period
    with pytest.raises(InputError, match="no --by column 'phase'"):
        timeline(p, by="phase")


def test_a_column_with_too_many_values_is_refused():
    rows = "".join(f"A{k},P{k},v{k}\n" for k in range(101))
    with pytest.raises(InputError, match="101 values; --by takes a column with at most 100"):
        timeline(read("org,project,v\n" + rows), by="v")


# -- entrants --------------------------------------------------------------------------------------

def test_newcomers_leavers_stayers_and_returning_counted_by_hand(small):
    m = small.newcomers
    assert m["period"].tolist() == ["2018", "2019", "2020", "2021"]
    assert m["partners"].tolist() == [2, 3, 2, 4]
    assert m["new_partners"].tolist() == [2, 1, 1, 1]          # A B; C; D; E
    assert m["staying_partners"].tolist() == [0, 2, 1, 2]      # -; A B; A; A D
    assert m["leaving_partners"].tolist() == [0, 0, 2, 0]      # B and C leave in 2020
    assert m["returning_partners"].tolist() == [0, 0, 0, 1]    # B is back in 2021
    assert small.periods["new_partners"].tolist() == [2, 1, 1, 1]
    assert small.periods["leaving_partners"].tolist() == [0, 0, 2, 0]
    assert np.isnan(m["entry_pagerank_percentile"].iloc[0])    # everyone is new in the first period
    # C enters in 2019 with the lowest PageRank of three (A has two projects, B and C one each, tied)
    assert m["entry_pagerank_percentile"].iloc[1] == 25.0 and m["next_active_share"].iloc[1] == 0.0


def test_partners_over_time_in_long_format(small):
    t = small.partners
    assert t.columns[:7].tolist() == ["partner", "name", "period", "first_period", "last_period", "status", "community"]
    rows = {(r.name, r.period): r for r in t.itertuples(index=False)}
    assert len(t) == 2 + 3 + 2 + 4
    assert (rows[("B", "2021")].status, rows[("B", "2021")].first_period, rows[("B", "2021")].last_period) == (
        "returning", "2018", "2021")
    assert rows[("A", "2019")].status == "staying" and rows[("E", "2021")].status == "new"
    assert rows[("A", "2019")].degree == 2 and rows[("A", "2020")].degree == 1


def test_turnover_on_arrays():
    active = np.array([[1, 1, 1, 0], [0, 1, 1, 1], [1, 0, 1, 1]], dtype=bool)
    t = turnover(active)
    assert t.values.tolist() == [[3, 3, 0, 0, 0], [3, 1, 0, 2, 1], [3, 0, 1, 2, 1]]


# -- the figures of a period -----------------------------------------------------------------------

def test_the_figures_of_a_period_counted_by_hand(small):
    row = small.periods.set_index("period").loc["2019"]
    assert small.periods.columns.tolist() == list(PERIOD_COLUMNS)
    # partners A B C, projects P1 (A B) and P2 (A C): pairs A-B and A-C
    assert (row.partners, row.projects, row.participations, row.partner_pairs) == (3, 2, 4, 2)
    assert row.density == pytest.approx(2 / 3, abs=1e-6) and row.mean_degree == pytest.approx(4 / 3, abs=1e-6)
    assert (row.components, row.giant_share) == (1, 1.0)
    assert row.mean_distance == pytest.approx(4 / 3, abs=1e-6)            # A-B 1, A-C 1, B-C 2
    assert row.degree_centralisation == pytest.approx(1.0)               # a star round A
    assert row.participations_gini == pytest.approx(1 / 6, abs=1e-6)     # projects per partner 2, 1, 1


def _random_network(seed: int, partners: int = 40, projects: int = 25):
    rng = np.random.default_rng(seed)
    pairs = {(f"o{rng.integers(partners)}", f"p{k}") for k in range(projects) for _ in range(rng.integers(1, 5))}
    return as_network(graph_from_edges(sorted(pairs)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mean_distance_and_centralisation_against_networkx(seed):
    net = _random_network(seed)
    P = project(net).to_networkx()
    total = pairs = 0
    for component in nx.connected_components(P):
        lengths = dict(nx.all_pairs_shortest_path_length(P.subgraph(component)))
        total += sum(sum(d.values()) for d in lengths.values())
        pairs += len(component) * (len(component) - 1)
    value, sources = mean_distance(net)
    assert sources == net.n_partners and value == pytest.approx(total / pairs)
    degrees = np.array([d for _, d in P.degree()])
    n = len(degrees)
    freeman = sum(degrees.max() - d for d in degrees) / ((n - 1) * (n - 2))
    assert degree_centralisation(degrees) == pytest.approx(freeman)


def test_mean_distance_is_sampled_past_the_budget_and_seeded():
    net = _random_network(7, partners=300, projects=200)
    exact, _ = mean_distance(net)
    a, k = mean_distance(net, seed=1, budget=10_000)
    assert k == 100 and mean_distance(net, seed=1, budget=10_000) == (a, k)
    assert a == pytest.approx(exact, rel=0.1)


def test_gini():
    assert gini([5, 5, 5]) == 0.0 and gini([0, 0, 0, 1]) == pytest.approx(0.75)
    x = np.array([1, 2, 2, 7, 10])  # the mean absolute difference over twice the mean
    assert gini(x) == pytest.approx(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


# -- the core ------------------------------------------------------------------------------------

def test_core_stability_counted_by_hand():
    pagerank = np.array([[0.5, 0.4, 0.3, 0.2, np.nan], [0.5, np.nan, 0.3, 0.2, 0.6], [0.1, 0.2, 0.3, 0.4, 0.5]])
    core = np.array([[3, 3, 2, 1, np.nan], [2, np.nan, 2, 2, 1], [1, 1, 1, 1, 1]])
    t = core_stability(pagerank, core, top=2)
    # top 2: {0, 1}, then {4, 0} (1 kept of 3 together), then {4, 3} (1 kept of 3)
    assert t["top_kept"].tolist()[1:] == [1, 1] and t["top_jaccard"].tolist()[1:] == [0.333333, 0.333333]
    # innermost cores: k 3 {0, 1}; k 2 {0, 2, 3}: 1 of 4; k 1, everyone active {0..4}: 3 of 5
    assert t["core_k"].tolist() == [3, 2, 1] and t["core_partners"].tolist() == [2, 3, 5]
    assert t["core_jaccard"].tolist()[1:] == [0.25, 0.6]


# -- communities over time: a planted example --------------------------------------------------

def _clique(project: str, members, year: int) -> str:
    return "".join(f"{m},{project},{year},{year}\n" for m in members)


GROUPS_2019 = {"X": [f"x{k}" for k in range(6)], "Y": [f"y{k}" for k in range(5)], "Z": [f"z{k}" for k in range(5)],
               "U": [f"u{k}" for k in range(4)], "V": [f"v{k}" for k in range(3)], "G": [f"g{k}" for k in range(4)]}
GROUPS_2020 = {"X1": GROUPS_2019["X"][:3], "X2": GROUPS_2019["X"][3:], "YZ": GROUPS_2019["Y"] + GROUPS_2019["Z"],
               "U": GROUPS_2019["U"], "G": GROUPS_2019["G"] + ["g4", "g5"], "W": [f"w{k}" for k in range(4)]}
PLANTED = "org,project,start,end\n" + "".join(_clique(f"{k}19", m, 2019) for k, m in GROUPS_2019.items()) + "".join(
    _clique(f"{k}20", m, 2020) for k, m in GROUPS_2020.items())


def _direct_events(before: dict, after: dict, threshold: float) -> set:
    """Greene et al.'s matching computed directly on Python sets, named as ecosys names events."""
    J = {(a, b): len(set(before[a]) & set(after[b])) / len(set(before[a]) | set(after[b])) for a in before for b in after}
    matched = {ab for ab, j in J.items() if j >= threshold}
    out = set()
    for a, b in matched:
        successors = [y for x, y in matched if x == a]
        predecessors = [x for x, y in matched if y == b]
        if len(successors) > 1:
            out.add(("split", a, b))
        if len(predecessors) > 1:
            out.add(("merge", a, b))
        if len(successors) == 1 and len(predecessors) == 1:
            ratio = len(after[b]) / len(before[a])
            out.add(("growth" if ratio > 1.25 else "contraction" if ratio < 0.75 else "continuation", a, b))
    out |= {("death", a, None) for a in before if not any(x == a for x, _ in matched)}
    out |= {("birth", None, b) for b in after if not any(y == b for _, y in matched)}
    return out


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6])
def test_community_matching_against_a_direct_computation(threshold):
    e = evolve(read(PLANTED), min_size=3, threshold=threshold)
    members = {}  # (period, community) -> partner names, from partners_over_time
    for r in e.partners.itertuples(index=False):
        members.setdefault((r.period, int(r.community)), []).append(r.name)
    # every planted group is one community (its partners are one clique, apart from the rest)
    found = {(p, frozenset(m)) for (p, _), m in members.items()}
    assert found == {("2019", frozenset(m)) for m in GROUPS_2019.values()} | {
        ("2020", frozenset(m)) for m in GROUPS_2020.values()}
    name = {(p, c): next(g for g, m in (GROUPS_2019 if p == "2019" else GROUPS_2020).items() if set(m) == set(v))
            for (p, c), v in members.items()}
    got = {(r.event, name[("2019", int(r.community_before))] if r.community_before is not pd.NA else None,
            name[("2020", int(r.community_after))] if r.community_after is not pd.NA else None)
           for r in e.events.itertuples(index=False)}
    assert got == _direct_events(GROUPS_2019, GROUPS_2020, threshold)
    if threshold == 0.3:
        assert {("split", "X", "X1"), ("split", "X", "X2"), ("merge", "Y", "YZ"), ("merge", "Z", "YZ"),
                ("growth", "G", "G"), ("continuation", "U", "U"), ("birth", None, "W"), ("death", "V", None)} == got
        rows = e.events.set_index("event")
        assert rows.loc["growth", "jaccard"] == pytest.approx(4 / 6, abs=1e-6)
        assert event_counts(e.events).loc["2020"].to_dict() == {
            "continuation": 1, "growth": 1, "contraction": 0, "merge": 1, "split": 1, "birth": 1, "death": 1}


def test_lineages_continue_through_the_largest_overlap():
    before = [1, 1, 1, 1, 2, 2, 2, 0]
    after = [1, 1, 2, 2, 2, 2, 2, 0]  # 1 splits: its larger part joins 2's partners
    t = community_events([before, after], ["a", "b"], min_size=2, threshold=0.3)
    # after-2 shares 3 with before-2 and 2 with before-1: it continues 2's lineage; after-1 continues 1's
    assert t.lineage == {(0, 1): 1, (0, 2): 2, (1, 1): 1, (1, 2): 2}
    # 1 and after-2 share 2 of 7 partners (0.29): below the threshold
    assert match_communities(before, after, threshold=0.3, min_size=2).values.tolist() == [[1, 1, 2, 0.5], [2, 2, 3, 0.6]]


def test_small_communities_are_left_out():
    t = community_events([[1, 1, 2], [1, 1, 2]], ["a", "b"], min_size=2).events
    assert t["event"].tolist() == ["continuation"]


# -- dates ------------------------------------------------------------------------------------------

BAD_DATES = """org,project,start,end
A,P1,2019-01-01,2019-12-31
B,P1,2019-01-01,2019-12-31
B,P2,soon,2020-12-31
C,P3,2021-01-01,2020-01-01
D,P4,0,2020
E,P5,9999,2020
F,P6,2020-02-01,2020-10-31
A,P6,2020-02-01,2020-10-31
"""


def test_bad_dates_are_reported_with_their_lines_and_left_out():
    p = read(BAD_DATES)
    d = project_dates(p)
    assert [(q.line, q.column, q.reason) for q in d.problems] == [
        (4, "start", "not a date"), (5, "end", "an end before its start"),
        (6, "start", "a year outside 1900-2100"), (7, "start", "a year outside 1900-2100")]
    e = evolve(p, min_size=1, min_dated=0.3)
    # P2-P5 are in no period: B only in 2019, C, D and E nowhere
    assert e.labels == ["2019", "2020"] and e.periods["partners"].tolist() == [2, 2]
    assert set(e.partners["name"]) == {"A", "B", "F"}
    with pytest.raises(InputError, match=r"only 2 of 6 projects \(33%\) have a start date in column 'start'"):
        evolve(p)


def test_no_dates_at_all():
    with pytest.raises(InputError, match="no column of project start dates found.*--time COLUMN"):
        require_dates(project_dates(read("org,project\nA,P1\n")), "t.csv")
    with pytest.raises(InputError, match="1 period \\(2019\\); comparing periods needs at least two"):
        evolve(read("org,project,year\nA,P1,2019\nB,P1,2019\n"))


def test_named_time_columns():
    p = read("org,project,signed,closed\nA,P1,2019-05-01,2020-01-31\nB,P2,2020-03-01,2020-04-01\n")
    e = evolve(p, time="signed", time_end="closed", min_size=1)
    assert e.labels == ["2019", "2020"] and e.periods["projects"].tolist() == [1, 2]
    assert e.summary()["dates"]["start_column"] == "signed"


# -- reproducible --------------------------------------------------------------------------------------

def test_the_same_input_gives_the_same_bytes():
    first = evolution_outputs(evolve(read(PLANTED), min_size=3))
    shuffled = "\n".join([PLANTED.splitlines()[0]] + sorted(PLANTED.splitlines()[1:], reverse=True)) + "\n"
    again = evolution_outputs(evolve(read(PLANTED), min_size=3))
    assert first == again
    other = evolution_outputs(evolve(read(shuffled), min_size=3))
    assert {k: v for k, v in other.items() if k != "evolution.json"} == {
        k: v for k, v in first.items() if k != "evolution.json"}


# -- real data ------------------------------------------------------------------------------------

def test_a_cordis_cohort_by_year_and_by_programme(shared_data):
    path = shared_data / "cordis-swissparticipation" / "cordis-plus-2014.csv"
    p = read_participations(path)
    e = evolve(p, last=2016)
    # every project of this file starts in 2014 (a cohort): its partners all enter in 2014, then leave
    assert e.labels == ["2014", "2015", "2016"]
    assert e.periods["new_partners"].tolist()[1:] == [0, 0]
    assert e.periods["partners"].tolist()[0] == 5_752 and e.periods["partners"].is_monotonic_decreasing
    by = evolve(p, by="framework_programme")
    assert by.labels == ["FP7", "H2020"] and by.periods["projects"].sum() == 3_320


def test_keep_eu_workbook_by_project_start_and_end(shared_data):
    e = evolve(read_participations(shared_data / "keep-interreg-2014-2020" / "keep_closed_1420.xlsx"))
    assert (e.dates.start_column, e.dates.end_column) == ("Project start", "Project end")
    assert e.labels[0] == "2015" and len(e.labels) >= 3
    assert e.periods["partners"].is_monotonic_increasing
    assert e.events["event"].isin(["continuation", "growth", "contraction", "merge", "split", "birth", "death"]).all()


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Active partners went from 3 in 2019 to 4 in 2020.",
            "After the first period, 2 partners took part for the first time in each period: 50% of the active "
            "partners, on average.",
            "Newcomers enter at the margin: their median PageRank percentile at entry is 42 (partners staying from "
            "the previous period: 58)."]),
    ("it", ["I partner attivi sono passati da 3 nel 2019 a 4 nel 2020.",
            "Dopo il primo periodo, in ogni periodo 2 partner hanno partecipato per la prima volta: in media il 50% "
            "dei partner attivi.",
            "I nuovi arrivati entrano ai margini: il loro percentile mediano di PageRank all'ingresso è 42 (partner "
            "che restano dal periodo precedente: 58)."]),
])
def test_the_findings_read_right_in_edge_cases(lang, expected):
    """Two periods: no peak between the first and the last, the same number of newcomers in every later
    period (no "between 2 and 2"), and no period after the newcomers' entry (no "those still active are at -")."""
    import html
    import re

    text = "org,project,year\nA,P1,2019\nB,P1,2019\nC,P1,2019\nA,P2,2020\nB,P2,2020\nD,P2,2020\nE,P3,2020\nA,P3,2020\n"
    page = evolution_outputs(evolve(read(text), min_size=1), lang=lang)["index.html"]
    findings = page[page.index('class="findings"'):]
    lines = [html.unescape(x) for x in re.findall(r"<li>([^<]*)</li>", findings[:findings.index("</ul>")])]
    assert lines[:3] == expected


def test_a_partner_attribute_named_like_an_analysis_column_keeps_apart(small):
    """Regression: a partner column named "community" (ecosys's own name; "community (input)" in the partners'
    table) was dropped as an attribute in its place, and evolve stopped with KeyError: 'community'."""
    rows = SMALL.splitlines()
    text = "\n".join([rows[0] + ",community"] + [r + f",group-{r[0]}" for r in rows[1:]]) + "\n"
    with_column = evolve(read(text), min_size=1)
    assert with_column.partners.equals(small.partners)
