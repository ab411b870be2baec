"""The time slider on the overview of a large graph, in a real (headless) Chromium, against pandas.

A small dated graph (four groups of partners, projects from 2015 to 2022) analysed with a low
--max-nodes, so that map.html is the overview. For each period (single years, a window, cumulative
periods) the page must show the communities with partners active in it and hide the others, size
and count each community by its active partners, count its active projects in the details, draw only
the links between communities that share a project in the period, and give the period's figures as
counted with pandas on the input and the analysis's own community of each partner and project.
"""

from __future__ import annotations

import csv
import json
import re
from itertools import combinations

import pandas as pd
import pytest
from click.testing import CliRunner
from test_map_browser import open_map

from ecosys.cli import cli

def dated_rows() -> list[tuple[str, str, str, str]]:
    """Four groups of six partners; each group's projects over the years, a few projects across two groups."""
    rows = []
    for g in range(4):
        for j in range(5):
            start = 2015 + (g + 2 * j) % 7
            end = start + (j % 3)
            project = f"G{g}-P{j}"
            for p in range(6):
                if (p + j) % 3 != 2:
                    rows.append((f"Org {g}-{p}", project, f"{start}-03-01", f"{end}-06-30"))
    for g in range(3):  # bridges between groups
        rows.append((f"Org {g}-0", f"G{g + 1}-P{g}", "", ""))
        rows.append((f"Org {g + 1}-1", f"Bridge {g}", f"{2016 + 2 * g}-01-10", f"{2017 + 2 * g}-12-31"))
        rows.append((f"Org {g}-2", f"Bridge {g}", f"{2016 + 2 * g}-01-10", f"{2017 + 2 * g}-12-31"))
    return rows


ROWS = dated_rows()


@pytest.fixture(scope="module")
def overview(browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("overview-time")
    path = root / "dated.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["partner", "project", "start", "end"])
        writer.writerows(ROWS)
    out = root / "out"
    result = CliRunner().invoke(cli, ["analyze", str(path), "--out", str(out), "--max-nodes", "20", "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["map"]["kind"] == "overview"
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.route(re.compile(r"^(https?|wss?|ftp):"), lambda route: route.abort())
    m = open_map(context, out / "map.html")
    yield m, out
    m.assert_clean()
    context.close()


def expected(out, a: int, b: int, cumulative: bool = False) -> dict:
    """The period counted with pandas: per community, active partners and projects; shared projects; figures."""
    t = pd.DataFrame(ROWS, columns=["partner", "project", "start", "end"])
    community = {**dict(zip(*[pd.read_csv(out / "partners.csv")[c] for c in ("name", "community")])),
                 **dict(zip(*[pd.read_csv(out / "projects.csv")[c] for c in ("name", "community")]))}
    dated = t[t.start != ""].copy()  # a project's years: those of its dated rows
    dated["first"] = dated.start.str.slice(0, 4).astype(int)
    dated["last"] = dated.end.str.slice(0, 4).astype(int)
    years = dated.groupby("project").agg(first=("first", "min"), last=("last", "max"))
    t = t.join(years, on="project", how="inner")  # every participation in a dated project
    lo = t["first"].min() if cumulative else a
    active = t[(t["first"] <= b) & (t["last"] >= lo)]
    projects, partners = set(active.project), set(active.partner)
    first = t.groupby("partner")["first"].min()
    per = {}
    for c in sorted(set(community.values())):
        per[c] = (sum(community[p] == c for p in partners), sum(community[j] == c for j in projects))
    shared = {}
    for j, group in active.groupby("project"):
        for c, d in combinations(sorted({community[p] for p in group.partner}), 2):
            shared[(c, d)] = shared.get((c, d), 0) + 1
    figures = {"partners": len(partners), "projects": len(projects), "participations": len(active),
               "newcomers": int(((first >= a) & (first <= b)).sum())}
    return {"per": per, "shared": shared, "figures": figures}


def page_counts(m) -> dict:
    """What the page draws now: per community shown, [active partners (node size and legend), hidden]."""
    return {int(c): d for c, d in m.js("""(() => {
        const e = window.ecosys, shown = new Set(e.shown()), out = {};
        e.payload.nodes.filter(n => n.kind === 'community').forEach(n => {
            out[n.community] = { shown: shown.has(n.id), value: e.nodes.get(n.id).value, hidden: e.nodes.get(n.id).hidden };
        });
        return out; })()""").items()}


def test_the_overview_slider_shows_each_communitys_period_as_pandas_counts_it(overview):
    m, out = overview
    assert m.js("window.ecosys.payload.mode") == "overview"
    assert m.page.locator("#time").is_visible()
    t = pd.DataFrame(ROWS, columns=["partner", "project", "start", "end"])
    t = t[t.start != ""]
    first, last = int(t.start.str.slice(0, 4).min()), int(t.end.str.slice(0, 4).max())
    assert m.js("window.ecosys.timeline()") == [first, last] == [2015, 2023]
    communities = m.js("window.ecosys.payload.nodes.filter(n => n.kind === 'community').map(n => [n.id, n.community])")
    links = m.js("""window.ecosys.payload.edges.filter(e => e.link !== undefined)
                    .map(e => [window.ecosys.payload.nodes[e.from].community, window.ecosys.payload.nodes[e.to].community])""")
    assert len(communities) >= 3 and links
    # no period picked: the whole graph's figures, projects without a date too, and no newcomers
    everyone = pd.DataFrame(ROWS, columns=["partner", "project", "start", "end"])
    assert m.page.locator("#time-figures dd").all_text_contents() == [
        str(everyone.partner.nunique()), str(everyone.project.nunique()), str(len(everyone.drop_duplicates(["partner", "project"])))]
    seen = set()
    for a, b, cumulative in [(y, y, False) for y in range(first, last + 1)] + [(2016, 2018, False), (2018, 2019, True)]:
        m.js("([a, b, c]) => window.ecosys.setPeriod(a, b, c)", [a, b, cumulative])
        want = expected(out, a, b, cumulative)
        assert m.js("window.ecosys.period().figures") == want["figures"], (a, b, cumulative)
        shown_figures = m.page.locator("#time-figures dd").all_text_contents()
        assert shown_figures == [str(want["figures"][k]) for k in ("partners", "projects", "participations", "newcomers")]
        drawn = page_counts(m)
        for node_id, c in communities:
            partners, projects = want["per"][c]
            assert drawn[c]["shown"] == (partners > 0) and drawn[c]["hidden"] == (partners == 0), (a, b, c)
            if partners:  # its size: 16 + 34 * sqrt(active partners / the largest community's partners)
                top = m.js("Math.max(...window.ecosys.payload.nodes.filter(n => n.kind === 'community').map(n => n.members.partners))")
                assert drawn[c]["value"] == pytest.approx(round(10 * (16 + 34 * (partners / top) ** 0.5)) / 10)
                m.js(f"window.ecosys.select({node_id}, false)")
                details = dict(zip(m.page.locator("#details dt").all_text_contents(),
                                   m.page.locator("#details dd").all_text_contents()))
                assert (details["Partners"], details["Projects"]) == (str(partners), str(projects)), (a, b, c)
                m.page.keyboard.press("Escape")
        # the legend counts each community's active partners
        legend = m.page.locator("#legend-colors li .legend-count").all_text_contents()
        assert sorted(int(x) for x in legend) == sorted(want["per"][c][0] for _, c in communities if want["per"][c][0])
        # a link is drawn when its two communities share a project in the period
        visible = m.js("""window.ecosys.edges.get({filter: e => !e.hidden}).map(e => e.id)
                          .filter(id => window.ecosys.payload.edges[Number(id.slice(1))].link !== undefined)
                          .map(id => { const e = window.ecosys.payload.edges[Number(id.slice(1))], n = window.ecosys.payload.nodes;
                                       return [n[e.from].community, n[e.to].community]; })""")
        assert sorted(map(tuple, visible)) == sorted(tuple(sorted(l)) for l in links
                                                     if want["shared"].get(tuple(sorted(l)), 0) > 0), (a, b, cumulative)
        seen.add(tuple(sorted(c for c, d in drawn.items() if d["shown"])))
    assert len(seen) >= 2  # moving the slider changes which communities are drawn
    m.page.click("#time-all")
    assert all(d["shown"] for d in page_counts(m).values())
    assert m.js("window.ecosys.period().all") is True
