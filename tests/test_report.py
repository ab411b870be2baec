"""The report (`index.html`) and the workbook (`ecosys.xlsx`) a coordinator opens first."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.pipeline import analyze, demo_path
from ecosys.files import write_outputs
from ecosys.report import render_outputs

HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil","x")'


class Page(HTMLParser):
    """The text of each table row and the tags of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.tags: list[tuple[str, dict]] = []
        self._table = self._row = None
        self._cell: list[str] | None = None
        self._section = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self._section = attrs.get("aria-labelledby", "")
        elif tag == "div" and "id" in attrs and attrs["id"].startswith("top-"):
            self._section = attrs["id"]
        elif tag == "table":
            self._table = self.rows.setdefault(attrs.get("id") or self._section, [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_outputs(analyze(demo_path()), out)
    return out


def test_the_report_gives_the_dataset_in_numbers(demo):
    page = Page((demo / "index.html").read_text(encoding="utf-8"))
    numbers = {row[0]: row[1] for row in page.rows["numbers-heading"]}
    assert numbers == {
        "Partners": "36",
        "Projects": "20",
        "Participations": "52",
        "Components": "4",
        "Largest component": "22 partners, 17 projects",
        "Density": "0.07222",
        "Mean degree": "1.86",
        "Partners without a co-partner": "0",
        "Communities": "5",
        "Modularity": "0.727",
    }


def test_the_report_lists_top_partners_by_each_metric_in_plain_words(demo):
    text = (demo / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    partners = pd.read_csv(demo / "partners.csv")
    for metric in ("degree", "betweenness", "pagerank", "core"):
        rows = page.rows[f"top-{metric}"]
        assert rows[0] == ["#", "Partner", *rows[0][2:]]
        assert len(rows) == 1 + 10
        expected = partners.sort_values(metric, ascending=False, kind="stable")["name"].head(10).tolist()
        assert [r[1] for r in rows[1:]] == expected
    assert page.rows["top-degree"][1][1:3] == ["Formez", "16"]
    assert "Brokers who connect groups that would otherwise be far apart" not in text  # (the line starts lower case)
    assert "how often a partner lies on the shortest path between two others: the brokers" in text.lower()


def test_the_report_describes_the_communities_and_draws_the_degrees(demo):
    text = (demo / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    rows = page.rows["communities"]
    assert rows[0] == ["Community", "Partners", "Projects", "Shared projects inside", "Composition",
                       "Most central partners"]
    communities = pd.read_csv(demo / "communities.csv")
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4", "5"]
    assert [r[3] for r in rows[1:]] == [str(v) for v in communities["internal_weight"]]
    assert [r[5] for r in rows[1:]] == communities["top_partners"].tolist()
    assert [r[1] for r in rows[1:]] == [str(v) for v in communities["partners"]]
    assert [r[2] for r in rows[1:]] == [str(v) for v in communities["projects"]]
    assert rows[1][4].startswith("type: municipality")
    # the degree distribution: one bar per degree range, adding up to every partner / project
    charts = re.findall(r'<svg role="img" aria-label="([^"]+)".*?</svg>', text, flags=re.S)
    assert charts == ["Projects per partner: number of partners by degree",
                      "Partners per project: number of projects by degree"]
    bars = re.findall(r"<title>([^<]+): ([\d,]+) (partners|projects)</title>", text)
    partners = sum(int(k.replace(",", "")) for _, k, noun in bars if noun == "partners")
    projects = sum(int(k.replace(",", "")) for _, k, noun in bars if noun == "projects")
    assert (partners, projects) == (36, 20)
    assert bars[:3] == [("1", "34", "partners"), ("2", "1", "partners"), ("3", "0", "partners")]
    assert ("11–20", "1", "partners") in bars  # Formez, in 16 projects


def test_the_report_is_self_contained_and_links_the_map(demo):
    text = (demo / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert not any(tag == "script" for tag, _ in page.tags)
    csp = [a["content"] for tag, a in page.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
    links = [a["href"] for tag, a in page.tags if tag == "a"]
    assert links == ["map.html", "partners.csv", "projects.csv", "communities.csv", "summary.json", "ecosys.xlsx"]
    assert all((demo / link).is_file() for link in links)
    assert not re.search(r'(src|href)="(https?:)?//', text)


def test_the_workbook_has_every_table_and_no_formula(tmp_path):
    table = tmp_path / "hostile.csv"
    table.write_text(
        f'partner,project,type\n"{HOSTILE}",P1,"@SUM(A1)"\nB,P1,town\nB,P2,town\n"{FORMULA.replace(chr(34), 2 * chr(34))}",P2,+1\n',
        encoding="utf-8",
    )
    write_outputs(analyze(table), tmp_path / "out")
    book = openpyxl.load_workbook(tmp_path / "out" / "ecosys.xlsx")
    assert book.sheetnames == ["summary", "partners", "projects", "communities"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    partners = book["partners"]
    rows = list(partners.values)
    csv = pd.read_csv(tmp_path / "out" / "partners.csv", keep_default_na=False)
    assert list(rows[0]) == csv.columns.tolist()
    assert len(rows) == 1 + 3
    names = [r[1] for r in rows[1:]]
    assert sorted(names) == sorted(["B", HOSTILE, FORMULA])  # the text as it is, in string cells Excel never runs
    assert [partners.cell(row=i, column=2).data_type for i in (2, 3, 4)] == ["s", "s", "s"]
    assert csv["name"].tolist() == ["'" + n if n == FORMULA else n for n in names]  # the CSV guards what could run
    types = {r[1]: r[rows[0].index("type")] for r in rows[1:]}
    assert types[FORMULA] == "+1" and types[HOSTILE] == "@SUM(A1)"
    assert dict(zip(csv["name"], csv["type"].astype(str))) == {"B": "town", HOSTILE: "'@SUM(A1)", "'" + FORMULA: "+1"}
    degree = rows[0].index("degree")
    assert [r[degree] for r in rows[1:]] == csv["degree"].tolist()  # numbers stay numbers
    assert isinstance(rows[1][rows[0].index("pagerank")], float)
    summary = {r[0]: r[1] for r in book["summary"].values}
    assert summary["partners"] == 3 and summary["dataset"] == "hostile"


def test_outputs_are_the_same_bytes_every_time():
    a, b = render_outputs(analyze(demo_path(), seed=3)), render_outputs(analyze(demo_path(), seed=3))
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


def test_a_large_table_gets_the_workbook_on_request(tmp_path):
    rows = "".join(f"A{i},P{i % 7}\n" for i in range(30))
    table = tmp_path / "thirty.csv"
    table.write_text("partner,project\n" + rows, encoding="utf-8")
    result = analyze(table)
    written = [p.name for p in write_outputs(result, tmp_path / "small", xlsx_max_rows=20)]
    assert "ecosys.xlsx" not in written
    index = (tmp_path / "small" / "index.html").read_text(encoding="utf-8")
    assert "run <code>ecosys report INPUT --xlsx</code> to write ecosys.xlsx" in index
    assert "_notes" not in written

    runner = CliRunner()
    out = tmp_path / "report"
    done = runner.invoke(cli, ["report", str(table), "--out", str(out), "--xlsx"])
    assert done.exit_code == 0, done.output
    assert done.output == f"Wrote map.html, index.html, ecosys.xlsx to {out}/\n"
    assert sorted(p.name for p in out.iterdir()) == [".ecosys-files", "ecosys.xlsx", "index.html", "map.html"]
    assert len(list(openpyxl.load_workbook(out / "ecosys.xlsx")["partners"].values)) == 31


def test_the_report_of_an_overview_links_each_community_map(tmp_path):
    rows = []
    for c in range(3):
        rows += [(f"Hub{c}", f"P{c}-{i}") for i in range(8)] + [(f"A{c}-{i}", f"P{c}-{i}") for i in range(8)]
    table = tmp_path / "stars.csv"
    table.write_text("partner,project\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(table), "--out", str(tmp_path / "out"), "--max-nodes", "20"])
    assert result.exit_code == 0, result.output
    assert "and 3 community maps (communities/)" in result.output
    page = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    links = [a["href"] for tag, a in page.tags if tag == "a"]
    maps = ["communities/community-1.html", "communities/community-2.html", "communities/community-3.html"]
    assert links[:4] == ["map.html", *maps]
    assert [a["href"] for tag, a in page.tags if tag == "a" and a["href"] in maps][3:] == maps  # in the table too
    assert all((tmp_path / "out" / m).is_file() for m in maps)


def test_the_report_says_who_is_on_their_own(demo, tmp_path):
    page = Page((demo / "index.html").read_text(encoding="utf-8"))
    assert page.rows["groups"] == [
        ["Partners", "Projects", "Who"],
        ["7", "1", "Associazione ReTer (Reti e Territorio); Human Ecosystems Relation; Project Ahead; "
                   "Roma Capitale - Dipartimento Attività Culturali; Roma Capitale - Dipartimento per la "
                   "Trasformazione Digitale; ULIS impresa sociale soc. coop.…"],
        ["5", "1", "Camera di commercio di Torino; Confcooperative; Fondazione Piemonte Innova; Legacoop; VOL.TO"],
        ["2", "1", "Città Metropolitana di Bologna; Comune di Bologna"],
    ]
    text = (demo / "index.html").read_text(encoding="utf-8")
    assert "14 partners are not connected, even through others, to the largest group (22 partners)" in text
    assert "Every partner shares at least one project with another partner." in text
    table = tmp_path / "alone.csv"
    table.write_text("partner,project\nA,P1\nB,P1\nSolo,P2\nSolo,P3\nLone,P4\n", encoding="utf-8")
    write_outputs(analyze(table), tmp_path / "out")
    page = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert page.rows["alone"] == [["Partner", "Projects"], ["Solo", "2"], ["Lone", "1"]]
    assert "2 partners share no project with any other partner" in (tmp_path / "out" / "index.html").read_text()


@pytest.mark.parametrize("method, found", [
    ("leiden", "Groups of partners found by the Leiden algorithm on who works with whom; each project belongs "
               "to the community of most of its partners."),
    ("louvain", "Groups of partners found by the Louvain algorithm on who works with whom; each project belongs "
                "to the community of most of its partners."),
    ("bipartite", "Groups of partners and projects found together by Barber's bipartite modularity on who "
                  "takes part in what."),
])
def test_the_report_names_the_community_method_used(tmp_path, method, found):
    out = tmp_path / method
    result = CliRunner().invoke(cli, ["analyze", "--method", method, "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", (out / "index.html").read_text(encoding="utf-8"))
    assert f'<p class="muted">{found} Colours are those of the maps.</p>' in text.replace("&#39;", "'")


def test_a_rerun_removes_the_community_maps_it_no_longer_writes(tmp_path):
    result = analyze(demo_path())
    write_outputs(result, tmp_path, max_nodes=10)  # an overview, with a map per community
    maps = sorted(p.name for p in (tmp_path / "communities").iterdir())
    assert maps and all(re.fullmatch(r"community-\d+\.html", m) for m in maps)
    (tmp_path / "communities" / "notes.txt").write_text("mine")
    write_outputs(result, tmp_path)  # the whole graph fits: no community maps
    assert sorted(p.name for p in (tmp_path / "communities").iterdir()) == ["notes.txt"]
