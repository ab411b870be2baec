"""The house rules for the output side: modules share only public names, import no cycle, are small
or say why, and every public name has a docstring with an example.

Read from the source (ast), so the rules hold for imports inside functions too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ecosys"
OUTPUT_SIDE = ("graph", "communities", "nodes", "layout", "glossary", "maps", "pipeline", "report_page", "report",
               "export", "store")


def imports(module: str) -> list[tuple[str, str | None]]:
    """(ecosys module imported, name imported from it or None) for every import in ``module``."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or (node.module or "").startswith("ecosys"):
                source = (node.module or "").removeprefix("ecosys").lstrip(".") if node.level == 0 else node.module
                for alias in node.names:
                    if source:
                        found.append((source.split(".")[0], alias.name))
                    else:  # from . import x
                        found.append((alias.name, None))
        elif isinstance(node, ast.Import):
            found += [(a.name.split(".")[1], None) for a in node.names if a.name.startswith("ecosys.")]
    return found


@pytest.mark.parametrize("module", OUTPUT_SIDE)
def test_no_module_imports_another_modules_private_names(module):
    private = [f"{source}.{name}" for source, name in imports(module) if name and name.startswith("_")]
    assert private == [], f"ecosys/{module}.py imports private names: {private}"
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    modules = {source for source, name in imports(module) if name is None}  # import ecosys.x, from . import x
    reached = [f"{n.value.id}.{n.attr}" for n in ast.walk(tree) if isinstance(n, ast.Attribute)
               and isinstance(n.value, ast.Name) and n.value.id in modules and n.attr.startswith("_")]
    assert reached == [], f"ecosys/{module}.py reaches into private names: {reached}"


def test_the_output_side_imports_no_cycle():
    graph = {m.stem: {source for source, _ in imports(m.stem)} for m in PACKAGE.glob("*.py")}

    def cycle_from(start: str, node: str, path: list[str]) -> list[str] | None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return [*path, nxt]
            if nxt not in path and nxt in graph:
                found = cycle_from(start, nxt, [*path, nxt])
                if found:
                    return found
        return None

    for module in OUTPUT_SIDE:
        assert cycle_from(module, module, [module]) is None, f"import cycle: {cycle_from(module, module, [module])}"


@pytest.mark.parametrize("module", OUTPUT_SIDE)
def test_public_names_have_a_docstring_with_an_example(module):
    mod = importlib.import_module(f"ecosys.{module}")
    missing = [name for name in mod.__all__
               if (inspect.isfunction(getattr(mod, name)) or inspect.isclass(getattr(mod, name)))
               and getattr(mod, name).__module__ == mod.__name__ and ">>>" not in (getattr(mod, name).__doc__ or "")]
    assert missing == [], f"ecosys/{module}.py: no example in the docstring of {missing}"


@pytest.mark.parametrize("module", OUTPUT_SIDE)
def test_modules_are_about_500_lines_or_say_why(module):
    source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source))
    assert doc and ">>>" in doc, f"ecosys/{module}.py: a module docstring with an example"
    assert len(source.splitlines()) <= 520 or "longer than most" in doc, f"ecosys/{module}.py: over 500 lines"
