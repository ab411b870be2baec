"""The page JavaScript in ``ecosys/static/``: syntax, safety rules and its unit tests in Node.

``node --check`` parses every script of ours (the vendored ones in ``static/vendor/`` are other
projects' code, kept as published); ``node --test tests/js/`` runs the unit tests of the map's pure
logic (``map-core.js``). A failure shows node's own output.

Node is found on PATH. Without it these tests skip, unless ``ECOSYS_REQUIRE_BROWSER=1`` (set in
CI), where they fail: CI must check the page code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ecosys.assets import script

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "ecosys" / "static"
OURS = sorted(p for p in STATIC.rglob("*.js") if "vendor" not in p.relative_to(STATIC).parts)
# What our page code must never do: build markup from text, run text as code, or ask the network.
FORBIDDEN = {
    "innerHTML / outerHTML / insertAdjacentHTML": r"\b(innerHTML|outerHTML|insertAdjacentHTML)\b",
    "document.write": r"\bdocument\.write",
    "eval / new Function / string timers": r"\beval\s*\(|\bFunction\s*\(|set(Timeout|Interval)\s*\(\s*['\"`]",
    "a request (fetch, XMLHttpRequest, WebSocket, EventSource, sendBeacon, import())":
        r"\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon)\b|\bimport\s*\(",
}


def node() -> str:
    found = shutil.which("node")
    if found is None:
        reason = "node not found on PATH: the page's JavaScript was not checked"
        if os.environ.get("ECOSYS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (ECOSYS_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(reason)
    return found


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([node(), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_our_scripts_are_found():
    assert [p.name for p in OURS] == ["map-core.js", "map-export.js", "map-images.js", "map-table.js", "map.js", "review.js",
                                      "whole-core.js", "whole.js"]


def test_the_formula_cases_of_the_javascript_guard_are_pythons():
    """tests/js/formula-cases.json gives the page's CSV guard (map-export.js) the expected outputs:
    they must be what ecosys.safe.guard_formula makes of the same texts, so both follow one rule."""
    import json

    from ecosys.safe import guard_formula

    cases = json.loads((ROOT / "tests" / "js" / "formula-cases.json").read_text(encoding="utf-8"))
    assert len(cases) > 30 and any(g != t for t, g in cases) and any(g == t for t, g in cases)
    assert [[t, guard_formula(t)] for t, _ in cases] == cases


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_script_parses(path):
    result = run("--check", str(path))
    assert result.returncode == 0, f"node --check {path.relative_to(ROOT)}:\n{result.stderr}"


def test_unit_tests_of_the_page_logic_pass():
    result = run("--test", "tests/js/")
    passed = re.search(r"^# pass (\d+)", result.stdout, re.M)
    assert result.returncode == 0 and passed and int(passed[1]) > 0, (
        f"node --test tests/js/ exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_script_never_builds_markup_runs_text_or_asks_the_network(path):
    code = path.read_text(encoding="utf-8")
    found = {what: sorted(set(m[0] for m in re.finditer(pattern, code))) for what, pattern in FORBIDDEN.items()}
    assert not {what: hits for what, hits in found.items() if hits}, f"{path.name}: {found}"
    assert '"use strict";' in code


@pytest.mark.parametrize("path", sorted(STATIC.rglob("*.js")), ids=lambda p: p.name)
def test_every_script_can_be_inlined(path):
    assert script(path.relative_to(STATIC).as_posix())  # refuses '</script' and '<!--'
