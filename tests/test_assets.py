"""Inlining the page's static files: what is refused, and that a map carries them all, without pyvis."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from ecosys.assets import inline, script, style
from ecosys.maps import PAGE_SCRIPTS

STATIC = Path(__file__).resolve().parent.parent / "ecosys" / "static"


@pytest.mark.parametrize(
    "text, element, found",
    [
        ("x = '</script>'", "script", "</script"),
        ("x = '</ScRiPt '", "script", "</script"),
        ("x = '<!--'", "script", "<!--"),
        ("a::after { content: '</style>' }", "style", "</style"),
        ("a::after { content: '</STYLE' }", "style", "</style"),
    ],
)
def test_a_file_that_could_end_its_element_is_refused(text, element, found):
    with pytest.raises(ValueError, match=f"contains '{found}'"):
        inline(text, element)


def test_what_is_harmless_elsewhere_is_kept():
    assert inline("a::after { content: '</script>' }", "style") == "a::after { content: '</script>' }"
    assert inline("if (a < b && c > d) {}", "script") == "if (a < b && c > d) {}"
    assert inline("x();\n//# sourceMappingURL=x.js.map\n", "script") == "x();"
    with pytest.raises(ValueError, match="element must be"):
        inline("x", "iframe")


def test_the_source_map_comment_is_found_as_a_pattern_over_the_whole_text_would_find_it():
    """Only the last line is searched (the comment holds no space): the same text out as the whole text's search,
    on texts made of the pieces that matter (breaks, spaces, comments, a comment cut or followed by code)."""
    import random
    import re

    whole = re.compile(r"\n?//# sourceMappingURL=\S*\s*\Z")
    pieces = ["\n", " ", "\t", "\r\n", "\u2028", "x();", "//# sourceMappingURL=", "a.js.map", "//#", "\n\n"]
    rng = random.Random(0)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert inline(text, "script") == whole.sub("", text), repr(text)
    assert inline("x();\n//# sourceMappingURL=a//# sourceMappingURL=b  \n", "script") == "x();\n//# sourceMappingURL=a"
    assert inline("x(); //# sourceMappingURL=x.js.map", "script") == "x(); "
    assert inline("//# sourceMappingURL=x.js.map\n\n", "script") == ""


def test_the_vendored_vis_network_is_the_published_file():
    data = (STATIC / "vendor" / "vis-network-9.1.2.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == "6e30a2350474cdf92a0932c6d55b8adcb91929066817ed3eec7b87907a4612f3"
    assert b"@version 9.1.2" in data[:400] and b"dual licensed" in data[:1000]


@pytest.mark.parametrize("name, digest, marker", [
    ("sigma-3.0.3.min.js", "58e30383ab428f832068d9d16a5215c65ba12430d438ed091c5703f398de9e16", b"Te.Sigma=ue()"),
    ("graphology-0.26.0.umd.min.js", "dc337efa23903f61e064c8e7e7f93a429e6855dccfc2458802b4ed30c621c087",
     b".graphology=e()"),
])
def test_the_vendored_sigma_and_graphology_are_the_published_files(name, digest, marker):
    data = (STATIC / "vendor" / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    assert marker in data[:400]
    licence = name.replace(".umd.min.js", ".min.js").replace(".min.js", ".LICENSE-MIT.txt")
    assert (STATIC / "vendor" / licence).is_file()


def test_a_map_carries_every_static_file_and_renders_without_pyvis(tmp_path):
    """The map renders with pyvis made unimportable, and holds each script and the styles whole."""
    out = tmp_path / "map.html"
    code = (
        "import sys; sys.modules['pyvis'] = None\n"
        "from ecosys.graph import graph_from_edges\n"
        "from ecosys.metrics import node_metrics\n"
        "from ecosys.communities import detect_communities\n"
        "from ecosys.maps import render_map\n"
        "G = graph_from_edges([('A', 'P1'), ('B', 'P1')])\n"
        f"open({str(out)!r}, 'w', encoding='utf-8').write(render_map(G, node_metrics(G), detect_communities(G)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert f"<style>\n{style('map.css')}</style>" in html
    for name in PAGE_SCRIPTS:
        assert f"<script>{script(name)}</script>" in html, name
    positions = [html.index(str(script(name))) for name in PAGE_SCRIPTS]
    assert positions == sorted(positions)  # vis-network, then the logic, then the page
    assert "sourceMappingURL" not in html


def test_every_static_file_ships_in_the_wheel():
    """setup.cfg's package_data globs (as setuptools expands them) cover every file under static/."""
    import configparser

    config = configparser.ConfigParser()
    config.read(STATIC.parent.parent / "setup.cfg")
    patterns = [p.strip() for p in config["options.package_data"]["ecosys"].split(",")]
    shipped = {path for pattern in patterns for path in STATIC.parent.glob(pattern)}
    present = {path for path in STATIC.rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    assert present - shipped == set()
