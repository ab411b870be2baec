"""The report (`index.html`) and the workbook (`ecosys.xlsx`) a coordinator opens first."""

from __future__ import annotations

import json
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.i18n import language
from ecosys.pipeline import analyze, demo_path
from ecosys.files import write_outputs
from ecosys.report import column_header, render_outputs, render_report

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
def demo_analysis():
    return analyze(demo_path())


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_analysis) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_outputs(demo_analysis, out)
    return out


@pytest.fixture(scope="module")
def demo_it(tmp_path_factory, demo_analysis) -> Path:
    out = tmp_path_factory.mktemp("report-it")
    write_outputs(demo_analysis, out, lang="it")
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
        "Period": "2016-11-01 to 2021-03-30",  # one project of the demo has dates
    }
    about = {row[0]: row[2] for row in page.rows["numbers-heading"]}
    assert about["Period"] == "from the first project's start to the last one's end; 1 of 20 projects has dates"
    assert about["Mean degree"] == "links per node; 1.44 projects per partner, 2.60 partners per project"


def test_the_italian_report_writes_numbers_and_dates_the_italian_way(demo_it):
    page = Page((demo_it / "index.html").read_text(encoding="utf-8"))
    numbers = {row[0]: row[1] for row in page.rows["numbers-heading"]}
    assert numbers == {
        "Partner": "36",
        "Progetti": "20",
        "Partecipazioni": "52",
        "Componenti connesse": "4",
        "Componente più grande": "22 partner, 17 progetti",
        "Densità": "0,07222",
        "Grado medio": "1,86",
        "Partner isolati": "0",
        "Comunità": "5",
        "Modularità": "0,727",
        "Periodo": "dal 01/11/2016 al 30/03/2021",
    }
    about = {row[0]: row[2] for row in page.rows["numbers-heading"]}
    assert about["Periodo"] == "dall'inizio del primo progetto alla fine dell'ultimo; 1 progetto su 20 ha le date"
    assert about["Grado medio"] == "legami per nodo; 1,44 progetti per partner, 2,60 partner per progetto"
    top = page.rows["top-pagerank"]
    assert top[0] == ["N.", "Partner", "Valore", "Comunità"]
    assert top[1] == ["1", "Formez", "0,1262", "1"] and top[2][2] == "0,01747"


def test_numbers_past_a_thousand_are_grouped_the_way_of_the_language(tmp_path):
    rows = "".join(f"Hub,P{i}\nA{i},P{i}\n" for i in range(1200))
    table = tmp_path / "big.csv"
    table.write_text("partner,project\n" + rows, encoding="utf-8")
    result = analyze(table)
    for lang, partners, participations in (("en", "1,201", "2,400"), ("it", "1.201", "2.400")):
        numbers = [row[1] for row in Page(render_report(result, lang=lang)).rows["numbers-heading"]]
        assert numbers[0] == partners and numbers[2] == participations


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
    # constraint: a low value stands out (the partner spans structural holes), so the lowest come first
    expected = partners.sort_values("constraint", kind="stable")["name"].head(10).tolist()
    assert [r[1] for r in page.rows["top-constraint"][1:]] == expected
    # each metric: its technical name, a sentence in plain words, how it is computed
    block = re.search(r'<div class="metric" id="top-betweenness">(.*?)<table>', text, flags=re.S).group(1)
    assert re.findall(r">([^<]+)</", block) == [
        "Betweenness",
        "Who acts as a bridge between groups that would otherwise not talk to each other.",
        "Share of the shortest paths between other nodes that run through it, divided by the two-mode maximum "
        "(Borgatti &amp; Everett 1997).",
    ]


def test_the_report_describes_the_communities_and_draws_the_degrees(demo):
    text = (demo / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    rows = page.rows["communities"]
    assert rows[0] == ["Community", "Partners", "Projects", "Shared projects inside", "Composition",
                       "Most central partners"]
    communities = pd.read_csv(demo / "communities.csv")
    assert [r[0] for r in rows[1:]] == [f"{c} {name}" for c, name in zip(communities["community"], communities["name"])]
    assert rows[1][0] == "1 Formez · municipality 94%"
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
    assert book.sheetnames == ["Summary", "Partners", "Projects", "Communities"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    partners = book["Partners"]
    rows = list(partners.values)
    csv = pd.read_csv(tmp_path / "out" / "partners.csv", keep_default_na=False)
    assert list(rows[0]) == [column_header(c) for c in csv.columns]
    assert list(rows[0][:5]) == ["Node", "Name", "Kind", "Community", "Degree"] and "type" in rows[0]
    assert len(rows) == 1 + 3
    names = [r[1] for r in rows[1:]]
    assert sorted(names) == sorted(["B", HOSTILE, FORMULA])  # the text as it is, in string cells Excel never runs
    assert [partners.cell(row=i, column=2).data_type for i in (2, 3, 4)] == ["s", "s", "s"]
    assert csv["name"].tolist() == ["'" + n if n == FORMULA else n for n in names]  # the CSV guards what could run
    types = {r[1]: r[rows[0].index("type")] for r in rows[1:]}
    assert types[FORMULA] == "+1" and types[HOSTILE] == "@SUM(A1)"
    assert dict(zip(csv["name"], csv["type"].astype(str))) == {"B": "town", HOSTILE: "'@SUM(A1)", "'" + FORMULA: "+1"}
    degree = rows[0].index("Degree")
    assert [r[degree] for r in rows[1:]] == csv["degree"].tolist()  # numbers stay numbers
    assert isinstance(rows[1][rows[0].index("PageRank")], float)
    summary = {r[0]: r[1] for r in book["Summary"].values}
    assert summary["Partners"] == 3 and summary["Dataset"] == "hostile"


def test_the_italian_workbook_has_italian_sheets_and_headers_and_the_same_values(demo, demo_it):
    english = openpyxl.load_workbook(demo / "ecosys.xlsx")
    italian = openpyxl.load_workbook(demo_it / "ecosys.xlsx")
    assert italian.sheetnames == ["Riepilogo", "Partner", "Progetti", "Comunità"]
    partners = [list(r) for r in italian["Partner"].values]
    assert partners[0][:8] == ["Nodo", "Nome", "Tipo di nodo", "Comunità", "Grado", "Centralità di grado",
                               "Numero di collaboratori", "Grado pesato"]
    assert "Centralità di intermediazione" in partners[0] and "Vincoli di Burt" in partners[0]
    assert partners[0][-2:] == ["type", "city"]  # the input's own columns keep their names
    communities = [list(r) for r in italian["Comunità"].values]
    assert communities[0][:8] == ["Comunità", "Nome", "Partner", "Progetti", "Progetti in comune al suo interno",
                                  "Quota di modularità", "Partner più centrali", "Progetti più centrali"]
    assert communities[0][8:] == ["Partner: type", "Progetti: programme", "amount_eur (totale)", "Progetti: source"]
    assert communities[1][:3] == [1, "Formez · municipality 94%", 16]
    summary = {r[0]: r[1] for r in italian["Riepilogo"].values}
    assert summary["Partner"] == 36 and summary["Modularità"] == pytest.approx(0.727, abs=5e-4)
    # the values are the same in both languages: only the sheet names and headers change
    assert [r[1] for r in english.worksheets[0].values] == [r[1] for r in italian.worksheets[0].values]
    for en_sheet, it_sheet in zip(english.worksheets[1:], italian.worksheets[1:]):
        assert [list(r) for r in en_sheet.iter_rows(min_row=2, values_only=True)] == [
            list(r) for r in it_sheet.iter_rows(min_row=2, values_only=True)]
    # and the CSV tables keep their English column names for scripts
    assert (demo / "partners.csv").read_bytes() == (demo_it / "partners.csv").read_bytes()
    assert (demo / "summary.json").read_bytes() == (demo_it / "summary.json").read_bytes()


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
    assert len(list(openpyxl.load_workbook(out / "ecosys.xlsx")["Partners"].values)) == 31


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
    assert f'<p class="muted">{found} Each community is named after its most central partner' in text.replace("&#39;", "'")


def test_a_rerun_removes_the_community_maps_it_no_longer_writes(tmp_path):
    result = analyze(demo_path())
    write_outputs(result, tmp_path, max_nodes=10)  # an overview, with a map per community
    maps = sorted(p.name for p in (tmp_path / "communities").iterdir())
    assert maps and all(re.fullmatch(r"community-\d+\.html", m) for m in maps)
    (tmp_path / "communities" / "notes.txt").write_text("mine")
    write_outputs(result, tmp_path)  # the whole graph fits: no community maps
    assert sorted(p.name for p in (tmp_path / "communities").iterdir()) == ["notes.txt"]


class Text(HTMLParser):
    """What a person reads on a page: its text (not the stylesheet) and the attributes shown or spoken."""

    SPOKEN = ("aria-label", "title", "data-label", "alt")

    def __init__(self, text: str):
        super().__init__()
        self.texts: list[str] = []
        self._style = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"
        self.texts += [v for k, v in attrs if k in self.SPOKEN and v]

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style and data.strip():
            self.texts.append(data)


def _pieces(strings) -> set[str]:
    """The literal text of every string of a language area, split at its {placeholders}."""
    out = set()
    for value in strings.values():
        if isinstance(value, dict):
            out |= _pieces(value)
        else:
            out |= {literal.strip() for literal, *_ in string.Formatter().parse(value) if literal.strip()}
    return out


def test_no_english_is_left_in_an_italian_page(demo_it, demo):
    """Every word of the Italian report comes from the Italian language files or from the data."""
    it, en = language("it"), language("en")
    words = _pieces(it.area("report")) | _pieces(it.area("metrics"))
    words |= {piece[:1].upper() + piece[1:] for piece in words}  # the page capitalises a metric's sentence
    data = {"ecosys", "partners.csv", "projects.csv", "communities.csv", "summary.json", "ecosys.xlsx",
            "ecosys report INPUT --xlsx"}
    for table in ("partners", "projects", "communities"):
        frame = pd.read_csv(demo_it / f"{table}.csv", keep_default_na=False, dtype=str)
        for column in frame.columns:
            data |= set(frame[column]) | {column.replace("_", " ")}
            data |= {part.strip() for value in frame[column] for part in re.split(r"[;,]", value)}
    summary = json.loads((demo_it / "summary.json").read_text(encoding="utf-8"))
    data |= {summary["dataset"], summary["input"]["path"], summary["ecosys_version"]}
    allowed = sorted((w for w in words | data if w), key=len, reverse=True)
    texts = Text((demo_it / "index.html").read_text(encoding="utf-8")).texts
    left = []
    for text in texts:
        rest = " ".join(text.split())
        for piece in allowed:
            if piece in rest:
                rest = rest.replace(piece, " ")
        if re.search(r"[^\W\d_]{2,}", rest):
            left.append((text, rest))
    assert left == []
    # and the English strings that differ from the Italian ones appear nowhere in the Italian page
    page = " ".join(" ".join(t.split()) for t in texts)
    english = {p for p in _pieces(en.area("report")) | _pieces(en.area("metrics")) if len(p.split()) >= 2}
    assert sorted(p for p in english - words if p in page) == []
    assert '<html lang="it">' in (demo_it / "index.html").read_text(encoding="utf-8")
    # the English page, for its part, has no Italian string that English lacks
    en_page = " ".join(" ".join(t.split()) for t in Text((demo / "index.html").read_text(encoding="utf-8")).texts)
    italian = {p for p in _pieces(it.area("report")) if len(p.split()) >= 2} - _pieces(en.area("report"))
    assert sorted(p for p in italian if p in en_page) == []


def test_lang_is_checked_before_anything_is_read(tmp_path):
    for command in ("analyze", "report"):
        result = CliRunner().invoke(cli, [command, "--lang", "xx", "--out", str(tmp_path / "out")])
        assert result.exit_code == 2
        assert result.output.splitlines()[-1] == (
            "Error: Invalid value for '--lang': no language 'xx': ecosys speaks en (English), it (Italiano)")
        assert not (tmp_path / "out").exists()


def test_report_lang_it_writes_the_report_and_workbook_in_italian(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", "--lang", "it", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    assert page.rows["communities"][0] == ["Comunità", "Partner", "Progetti", "Progetti in comune al suo interno",
                                           "Composizione", "Partner più centrali"]
    assert openpyxl.load_workbook(out / "ecosys.xlsx").sheetnames == ["Riepilogo", "Partner", "Progetti", "Comunità"]


def test_community_maps_are_listed_in_numeric_order(tmp_path):
    rows = []
    for c in range(12):  # twelve stars, each a community with its own map
        rows += [(f"Hub{c}", f"P{c}-{i}") for i in range(4)] + [(f"A{c}-{i}", f"P{c}-{i}") for i in range(4)]
    table = tmp_path / "stars.csv"
    table.write_text("partner,project\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    write_outputs(analyze(table), tmp_path / "out", max_nodes=20, lang="it")
    page = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    links = [a["href"] for tag, a in page.tags if tag == "a" and a["href"].startswith("communities/")]
    expected = [f"communities/community-{c}.html" for c in range(1, 13)]
    assert links == expected + expected  # in the list of maps, then in the table of communities
    text = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<li><a href="communities/community-\d+\.html">([^<]+)</a></li>', text)
    names = pd.read_csv(tmp_path / "out" / "communities.csv")["name"].tolist()
    assert labels == [f"Comunità {c}: {name}" for c, name in zip(range(1, 13), names)]


def test_the_tables_spooled_again_after_a_failed_attempt_are_the_new_ones_alone():
    # the CSV tables come back from their process through an unnamed file; a rerun here starts it afresh
    import tempfile

    from ecosys import report, safe

    big = pd.DataFrame({"a": range(1000)})
    small = pd.DataFrame({"b": ["città", "=1+1"]})
    with tempfile.TemporaryFile() as spool:
        report._tables(big, big, spool)
        sizes = report._tables(small, small, spool)
        got = report._read_tables(spool, sizes)
    assert got == {"partners.csv": safe.csv_bytes(small), "projects.csv": safe.csv_bytes(small)}
    assert got["partners.csv"].decode("utf-8").splitlines()[1:] == ["città", "'=1+1"]


def test_the_tables_come_back_as_bytes_when_the_spool_cannot_take_them():
    from ecosys import report, safe

    class Full:
        def seek(self, at):
            pass

        def truncate(self):
            pass

        def write(self, body):
            raise OSError(28, "No space left on device")

    table = pd.DataFrame({"a": ["x"]})
    sizes = report._tables(table, table, Full())
    assert report._read_tables(Full(), sizes) == {"partners.csv": safe.csv_bytes(table), "projects.csv": safe.csv_bytes(table)}


def test_in_one_process_the_csv_tables_are_made_before_the_maps_and_once(monkeypatch):
    """jobs=1: the partners' and projects' tables for the CSV files are made (and let go) first, so they are
    never held together with the report's own copies; in any case once."""
    import ecosys.report as report_module
    calls = []
    for name in ("_node_tables", "render_maps"):
        function = getattr(report_module, name)
        monkeypatch.setattr(report_module, name,
                            lambda *a, _f=function, _n=name, **k: (calls.append(_n), _f(*a, **k))[1])
    contents = report_module.render_outputs(analyze(demo_path()), jobs=1)
    assert calls == ["_node_tables", "render_maps"]
    assert contents["partners.csv"] == render_outputs(analyze(demo_path()), jobs=2)["partners.csv"]
