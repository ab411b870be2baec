"""The read package's layout: one job per module, imports that flow one way, public names documented.

Checked on the source (ast), so a cycle or a private import fails here
before it confuses anyone.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import ecosys

PACKAGE = Path(ecosys.__file__).parent
READ = PACKAGE / "read"
README = PACKAGE.parent / "README.md"
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
READ_MODULES = sorted(m for m in MODULES if m.startswith("ecosys.read"))


def imports(name: str) -> list[tuple[str, str | None]]:
    """``(module, name)`` for each ecosys module ``name`` imports from (name None for ``import x``)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:  # from . import sources: the module itself
                    found.append((f"{target}.{alias.name}", None))
                elif target in MODULES:
                    found.append((target, alias.name))
        elif isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names if alias.name in MODULES]
    return found


def test_the_old_modules_are_gone():
    assert not (PACKAGE / "io.py").exists() and not (PACKAGE / "sources.py").exists()


def test_no_import_cycle_runs_through_the_read_package():
    graph = {m: {target for target, _ in imports(m) if target != m} for m in MODULES}
    cycles, state = [], {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in READ_MODULES:
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("module", [m for m in READ_MODULES if m != "ecosys.read"])
def test_no_module_of_the_package_imports_its_face(module):
    assert "ecosys.read" not in {target for target, _ in imports(module)}


def test_no_private_name_crosses_into_or_out_of_the_read_package():
    """What two modules share is public; checked for the read package and its users (names, cli...)."""
    crossing = [(m, target, name) for m in MODULES for target, name in imports(m)
                if target != m and name and name.startswith("_") and not name.startswith("__")
                and (m.startswith("ecosys.read") or target.startswith("ecosys.read") or m == "ecosys.names")]
    assert crossing == []


@pytest.mark.parametrize("module", READ_MODULES)
def test_modules_are_small_and_say_what_they_do(module):
    path = MODULES[module]
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and ">>>" in doc, f"{module}: a docstring with an example"


@pytest.mark.parametrize("module", READ_MODULES)
def test_public_functions_have_a_docstring_with_an_example(module):
    mod = importlib.import_module(module)
    missing = [name for name in mod.__all__
               if inspect.isfunction(getattr(mod, name)) and getattr(mod, name).__module__ == module
               and ">>>" not in (getattr(mod, name).__doc__ or "")]
    assert missing == []


def test_the_readme_lists_every_module_of_the_read_package():
    text = README.read_text(encoding="utf-8")
    api = text[text.index("## Python API"):]
    api = api[:api.index("\n## ", 1)]
    for module in READ_MODULES:
        if module != "ecosys.read":
            assert f"`read/{module.rsplit('.', 1)[1]}.py`" in api, module


def test_setup_cfg_installs_every_package():
    """A package missing from setup.cfg imports from a checkout but not from `pip install .` (as in CI)."""
    from setuptools.config.setupcfg import read_configuration

    listed = set(read_configuration(PACKAGE.parent / "setup.cfg")["options"]["packages"])
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert packages <= listed
