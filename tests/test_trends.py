"""The report's section "How the ecosystem changed": the light per-year pass counted by hand, checked
against ``ecosys evolution``'s full analysis, and drawn in the report (in real Chromium, at 1400 and 390 px).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_evolution import PLANTED, SMALL

from ecosys.cli import cli
from ecosys.evolution import evolve
from ecosys.evolution.section import findings, trend_section
from ecosys.evolution.trends import trends
from ecosys.pipeline import analyze, demo_path
from ecosys.read import read_participations
from ecosys.report import render_outputs


def read(text: str):
    return read_participations(io.BytesIO(text.encode("utf-8")), name="t")


def test_the_years_counted_by_hand():
    # SMALL: A, B in P1 (2018-2019); A, C in P2 (2019); A, D in P3 (2020-2021); B, E in P4 (2021)
    t = trends(analyze(read(SMALL)), min_size=1, top=1)
    p = t.periods
    assert p["period"].tolist() == ["2018", "2019", "2020", "2021"]
    assert p["partners"].tolist() == [2, 3, 2, 4]
    assert p["projects"].tolist() == [1, 2, 1, 2]
    assert p["partner_pairs"].tolist() == [1, 2, 1, 2]                  # A-B; A-B, A-C; A-D; A-D, B-E
    assert p["density"].tolist() == pytest.approx([1.0, 2 / 3, 1.0, 1 / 3], abs=1e-6)
    assert p["giant_share"].tolist() == pytest.approx([1.0, 1.0, 1.0, 0.5])
    assert p["new_partners"].tolist() == [2, 1, 1, 1]                    # A B; C; D; E
    assert p["returning_partners"].tolist() == [0, 0, 0, 1]              # B back in 2021
    assert p["staying_partners"].tolist() == [0, 2, 1, 2]                # A, B; A; A, D
    assert p["leaving_partners"].tolist() == [0, 0, 2, 0]                # B and C leave in 2020
    assert p["communities"].tolist() == [1, 1, 1, 2]
    # the top 1 by PageRank is A in every year (the centre of every star; in 2018 A and B tie, A first)
    assert t.core["top_jaccard"].tolist()[1:] == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("text, options, runs", [(SMALL, {"min_size": 1, "top": 2}, 1),
                                                 (PLANTED, {"min_size": 3, "top": 5}, 1),
                                                 (PLANTED, {"min_size": 3, "top": 5}, 7)])  # a consensus of 7 runs
def test_the_same_figures_as_ecosys_evolution(text, options, runs):
    a = analyze(read(text), runs=runs)
    light, full = trends(a, **options), evolve(read(text), runs=runs, **options)
    shared = ["period", "start", "end", "partners", "projects", "participations", "new_partners", "leaving_partners",
              "partner_pairs", "density", "giant_share", "communities"]
    assert light.periods[shared].equals(full.periods[shared])
    for column in ("returning_partners", "staying_partners"):
        assert light.periods[column].tolist() == full.newcomers[column].tolist()
    assert light.core.equals(full.core)
    assert light.events.equals(full.events.drop(columns=["name_before", "name_after"]))


def test_with_runs_the_years_communities_are_a_consensus_as_in_ecosys_evolution(tmp_path):
    """--runs 7: each year's communities are the consensus of 7 runs in both (one run alone gives 5, 5, 5 here)."""
    rng = np.random.default_rng(2)
    rows = [(f"P{p}", f"J{j}", 2018 + j % 3) for j in range(30)
            for p in rng.choice(40, size=rng.integers(2, 6), replace=False)]
    path = tmp_path / "years.csv"
    pd.DataFrame(rows, columns=["partner", "project", "year"]).to_csv(path, index=False)
    light, full = trends(analyze(read_participations(path), runs=7)), evolve(read_participations(path), runs=7)
    assert light.periods["communities"].tolist() == full.periods["communities"].tolist()
    assert light.events.equals(full.events.drop(columns=["name_before", "name_after"]))


def test_no_dates_or_one_year_no_trends_and_a_line_saying_why():
    assert trends(analyze(demo_path())).reason == "no_dates"
    one = trends(analyze(read("org,project,year\nA,P1,2020\nB,P1,2020\n")))
    assert one.reason == "one_period"
    assert trend_section(one)["reason"] == ("No section on how the ecosystem changed: every dated project starts in "
                                            "2020, a single year.")
    page = render_outputs(analyze(demo_path()), lang="it")["index.html"]
    assert "Nessuna sezione su come è cambiato l’ecosistema: 1 progetti su 20 hanno una data di inizio" in page


def test_the_section_in_the_report_and_the_option_to_leave_it_out(tmp_path):
    source = tmp_path / "small.csv"
    source.write_text(SMALL, encoding="utf-8")
    runner = CliRunner()
    for lang, heading in (("en", "How the ecosystem changed"), ("it", "Come è cambiato l’ecosistema")):
        out = tmp_path / lang
        result = runner.invoke(cli, ["analyze", str(source), "--out", str(out), "--lang", lang, "-q"])
        assert result.exit_code == 0, result.output
        page = (out / "index.html").read_text(encoding="utf-8")
        assert f'<h2 id="trends-heading">{heading}</h2>' in page
        assert len(re.findall(r'<figure id="trend-', page)) == 7 and "<script" not in page
    result = runner.invoke(cli, ["report", str(tmp_path / "en"), "--no-trends", "--out", str(tmp_path / "none"), "-q"])
    assert result.exit_code == 0, result.output
    assert "trends-heading" not in (tmp_path / "none" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("new, active, en, it", [
    ([6, 6], [10, 12], "After the first period, 6 partners took part for the first time in each period: 55% of "
     "the active partners, on average.", "Dopo il primo periodo, in ogni periodo 6 partner hanno partecipato per la "
     "prima volta: in media il 55% dei partner attivi."),
    ([1, 3], [2, 3], "After the first period, between 1 and 3 partners took part for the first time in each period: "
     "75% of the active partners, on average.", None),
])
def test_the_newcomers_sentence_reads_right(new, active, en, it):
    from ecosys.evolution.section import newcomers_sentence
    from ecosys.i18n import language

    assert newcomers_sentence(language("en"), np.array(new), np.array(active)) == en
    if it is not None:
        assert newcomers_sentence(language("it"), np.array(new), np.array(active)) == it


def test_findings_without_a_peak_in_the_middle():
    t = trends(analyze(read(SMALL)), min_size=1, top=1)
    assert findings(t)[0] == "Active partners went from 2 in 2018 to 4 in 2021."


@pytest.mark.parametrize("width", [1400, 390])
def test_the_section_in_chromium(browser, tmp_path, width):
    source = tmp_path / "planted.csv"
    source.write_text(PLANTED, encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(source), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((tmp_path / "out" / "index.html").as_uri())
    assert [u for u in requests if not u.startswith("file:")] == []
    section = page.locator("#trends")
    assert section.is_visible()
    assert page.locator("#trends svg.trend").count() == 7
    assert page.locator("#trend-partners circle").count() == 2               # two years: a point each
    assert page.locator("#trend-partners title").all_text_contents() == ["2019: 27", "2020: 30"]  # the planted groups: 6+5+5+4+3+4; 3+3+10+4+6+4
    box = page.locator("#trend-events svg").bounding_box()
    assert box["width"] > 100 and box["height"] > 50
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_a_year_without_projects():
    # 2020: no project runs; its partners and pairs are 0, and everyone active in 2021 is new or returning
    t = trends(analyze(read("org,project,start\nA,P1,2019\nB,P1,2019\nB,P2,2021\nC,P2,2021\n")), min_size=1)
    p = t.periods
    assert p["period"].tolist() == ["2019", "2020", "2021"]
    assert p["partners"].tolist() == [2, 0, 2] and p["partner_pairs"].tolist() == [1, 0, 1]
    assert p["new_partners"].tolist() == [2, 0, 1] and p["returning_partners"].tolist() == [0, 0, 1]
    assert p["leaving_partners"].tolist() == [0, 2, 0]


def test_past_the_limit_computed_only_on_request():
    a = analyze(read(SMALL))
    page = render_outputs(a, trends_max=7)["index.html"]                 # SMALL has 8 participations
    assert ("Not computed for a table this large (8 participations, over 7): it takes about as long as the "
            "analysis. Run ecosys report INPUT --trends to add it") in page and "trend-partners" not in page
    assert 'id="trend-partners"' in render_outputs(a, trends_max=7, trends=True)["index.html"]
    assert 'id="trend-partners"' in render_outputs(a, trends_max=8)["index.html"]
    assert "trends-heading" not in render_outputs(a, trends=False)["index.html"]
