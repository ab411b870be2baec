"""The house rules of the whole package (issue 9): no import cycle, no private name imported across
modules, every CLI option and every module documented in the README, no module over about 500 lines
without a reason in its docstring."""

import ast
import importlib
import inspect
import re
from pathlib import Path

import click
import pytest

import ecosys
from ecosys.cli import cli

PACKAGE = Path(ecosys.__file__).resolve().parent
README = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


MODULES = dict(_modules())


def _imports(name: str, path: Path):
    """(module imported, names imported) for every import in the module, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub if sub in MODULES else target), alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None


def test_no_module_imports_another_modules_private_names():
    found = [f"{name} imports {target}.{what}" for name, path in MODULES.items()
             for target, what in _imports(name, path)
             if target.startswith("ecosys") and what and what.startswith("_") and not what.startswith("__")]
    assert found == []


def test_no_import_cycle():
    """Depth-first search over the static imports; a package's face importing its own submodules
    is not a cycle."""
    graph = {}
    for name, path in MODULES.items():
        face = path.name == "__init__.py"
        graph[name] = sorted({t for t, _ in _imports(name, path)
                              if t in MODULES and t != name and not (face and t.startswith(name + "."))})
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for target in graph[node]:
            if state.get(target) == "open":
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = "done"

    for name in graph:
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_module_over_500_lines_without_a_reason():
    long = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 550:
            doc = ast.get_docstring(ast.parse(text)) or ""
            if "lines" not in doc.lower():
                long.append(f"{name}: {text.count(chr(10))} lines")
    assert long == []


def _options(command: click.Command):
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts + param.secondary_opts:
                if opt.startswith("--"):
                    yield opt


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_cli_option_is_in_the_readme(name):
    missing = [opt for opt in _options(cli.commands[name]) if opt not in ("--help",)
               and not re.search(rf"`[^`]*{re.escape(opt)}\b", README)]
    assert missing == [], f"ecosys {name}: options not in the README"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    assert cli.commands[name].help
    assert f"ecosys {name}" in README


def _modules_section() -> str:
    start = README.index("### Modules")
    return README[start:README.index("\n## ", start)]


def test_every_module_is_in_the_readme_module_list():
    """The README's *Modules* list is the map of the folder: every module and package is on it."""
    section = _modules_section()
    names = [p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")]
    names += [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()]
    missing = [n for n in names if f"`{n}`" not in section and f"`{n}/" not in section and f"`{n}.py`" not in section
               and f"**{n}**" not in section]
    missing += [f"read/{p.name}" for p in (PACKAGE / "read").glob("*.py")
                if not p.stem.startswith("__") and f"read/{p.name}" not in section]
    assert missing == []


def test_every_public_function_has_an_example():
    """A public function shows how it is called: an example in its docstring, or in its module's
    (run by ``--doctest-modules``). The command layer (``cli``) is shown in the README instead."""
    missing = []
    for name in MODULES:
        if name.rpartition(".")[2] in ("cli", "__main__"):
            continue
        module = importlib.import_module(name)
        shown = "\n".join(line for line in (module.__doc__ or "").splitlines() if line.strip().startswith(">>>"))
        for attr in getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")]):
            value = getattr(module, attr, None)
            if (inspect.isfunction(value) and value.__module__ == name and ">>>" not in (value.__doc__ or "")
                    and not re.search(rf"\b{attr}\(", shown)):
                missing.append(f"{name}.{attr}")
    assert missing == []
