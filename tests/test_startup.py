"""Start-up: the command imports the library only when a command needs it, and runs where numba cannot cache.

Times are measured by benchmarks/bench.py --startup, not here; these tests
check what makes start-up light (which modules a bare `ecosys --help` loads)
and that ecosys works on a read-only installation without a writable home.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ecosys
from ecosys import cli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402
HEAVY = ("pandas", "numpy", "scipy", "numba", "igraph", "networkx", "jinja2", "openpyxl", "rapidfuzz")


def loaded_after(code: str) -> list[str]:
    """The heavy modules a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    return eval(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["analyze", "--help"], ["export", "--help"]])
def test_help_and_version_import_no_heavy_library(args):
    code = f"from ecosys.cli import cli\ntry:\n    cli({args!r}, prog_name='ecosys')\nexcept SystemExit:\n    pass"
    assert loaded_after(code) == []


def test_importing_ecosys_is_light_and_names_load_on_use():
    assert loaded_after("import ecosys") == []
    assert loaded_after("import ecosys\necosys.EcosysError") == []
    assert "pandas" in loaded_after("import ecosys\necosys.analyze")


def test_the_demo_end_to_end_needs_neither_numba_nor_networkx(tmp_path):
    """Its compiled passes run as plain Python (small work) and nothing in it builds a networkx graph."""
    code = (f"from ecosys.cli import cli\ntry:\n    cli(['analyze', '-q', '-o', {str(tmp_path)!r}], prog_name='ecosys')\n"
            "except SystemExit as e:\n    assert not e.code, e.code")
    loaded = loaded_after(code)
    assert (tmp_path / "index.html").exists() and (tmp_path / "partners.csv").exists()
    assert "numba" not in loaded and "networkx" not in loaded and "pandas" in loaded


def test_every_public_name_resolves_from_its_module():
    from ecosys import pipeline

    assert ecosys.analyze is pipeline.analyze
    for name in ecosys.__all__:
        assert getattr(ecosys, name) is not None, name
    assert set(ecosys.__all__) <= set(dir(ecosys))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        ecosys.nothing_here  # noqa: B018


def test_cli_choices_and_defaults_are_the_library_s():
    from ecosys import communities, export, graph, maps, pipeline, report, store

    assert cli.WEIGHTINGS == tuple(graph.WEIGHTINGS)
    assert cli.METHODS == tuple(communities.METHODS)
    assert cli.BACKBONES == tuple(pipeline.BACKBONES)
    assert cli.FORMATS == tuple(export.FORMATS)
    assert cli.NETWORKS == tuple(export.NETWORKS)
    assert cli.DEFAULT_MAX_NODES == maps.DEFAULT_MAX_NODES
    assert cli.XLSX_MAX_ROWS == report.XLSX_MAX_ROWS
    assert cli.TRENDS_MAX_PARTICIPATIONS == report.TRENDS_MAX_PARTICIPATIONS
    assert cli.STORED == (store.MANIFEST, store.ARRAYS)


def test_runs_where_numba_can_write_no_cache(tmp_path):
    """A read-only install, no writable home, NUMBA_CACHE_DIR unwritable: the kernels compile in memory.

    Unwritable is made so for root too: each folder numba would create is a path under a plain file.
    """
    install = tmp_path / "install"
    shutil.copytree(ROOT / "ecosys", install / "ecosys", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", install / "data")
    for folder in [install / "ecosys", *(p for p in (install / "ecosys").rglob("*") if p.is_dir())]:
        (folder / "__pycache__").write_text("not a folder")  # numba's cache beside the module
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "XDG_"))}
    env.update(HOME=str(blocked), NUMBA_CACHE_DIR=str(blocked / "numba"), PYTHONPATH=str(install),
               PYTHONDONTWRITEBYTECODE="1")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        for path in [install, *install.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)

    def ecosys_command(*args):
        return subprocess.run([sys.executable, "-m", "ecosys", *args], capture_output=True, text=True,
                              cwd=tmp_path, env=env)

    try:
        done = ecosys_command("--version")
        assert done.returncode == 0 and done.stdout == f"ecosys, version {ecosys.__version__}\n", done.stderr
        done = ecosys_command("--help")
        assert done.returncode == 0 and done.stdout.startswith("Usage: ") and done.stderr == "", done.stderr
        # a generated table large enough for every kernel to be compiled (the demo's run as plain Python)
        table = generate(400, tmp_path / "generated.csv")
        out = tmp_path / "out"
        done = ecosys_command("analyze", str(table), "-q", "-o", str(out))
        assert done.returncode == 0 and done.stderr == "", done.stderr
        cached = tmp_path / "cached"
        done = subprocess.run([sys.executable, "-m", "ecosys", "analyze", str(table), "-q", "-o", str(cached)],
                              capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
        for name in ("partners.csv", "projects.csv", "communities.csv"):
            assert (out / name).read_bytes() == (cached / name).read_bytes(), name
    finally:
        for path in [install, *install.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)


# What the demo (36 partners, every default output) must not import, and why it need not.
NOT_IN_THE_DEMO = (
    # components found with igraph and the layout's nearest distances by all pairs: scipy.sparse.csgraph
    # and scipy.spatial (which load scipy.linalg, 0.2 s or more) stay out of a small analysis
    "scipy.linalg", "scipy.spatial", "scipy.sparse.csgraph",
    # the report's trends need only ecosys.evolution.trends: not the evolution page and pipeline
    "ecosys.evolution.page", "ecosys.evolution.pipeline",
)


def test_the_demo_imports_nothing_it_does_not_use(tmp_path):
    code = (f"from ecosys.cli import cli\ntry:\n    cli(['analyze', '-q', '-o', {str(tmp_path)!r}], prog_name='ecosys')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\nimport sys\n"
            f"print(sorted(m for m in {NOT_IN_THE_DEMO!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_components_and_nearest_distances_equal_scipys():
    """What replaced scipy's connected_components and cKDTree gives the same numbers, bit for bit."""
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    from ecosys.graph import as_network, bipartite_adjacency, components, graph_from_edges
    from ecosys.layout import _nearest_other

    rng = np.random.default_rng(0)
    for _ in range(100):
        n = int(rng.integers(2, 2_500 if _ % 25 == 0 else 300))
        xy = rng.normal(size=(n, 2)) * rng.uniform(0.1, 1000)
        if _ % 3 == 0:
            xy = np.round(xy, 1)  # points on top of each other too
        assert np.array_equal(_nearest_other(xy), cKDTree(xy).query(xy, k=2)[0][:, 1])
        edges = [(f"a{a}", f"p{b}") for a, b in rng.integers(0, n // 2 + 1, size=(n // 2, 2))]
        net = graph_from_edges(edges)
        _, expected = connected_components(bipartite_adjacency(as_network(net).B), directed=False)
        assert components(net).tolist() == expected.tolist()


def test_the_command_leaves_the_library_and_its_objects_out_of_the_collections(tmp_path):
    """The ``ecosys`` process loads the library with the collector paused and freezes what it loaded, and what is
    left when its command is done (Python's collections would walk every object pandas and scipy made while they
    load and while the process shuts down, 0.1-0.3 s); whoever calls ``cli`` from Python keeps a collector that
    runs and freezes nothing."""
    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, 'collecting', gc.isenabled()))\n"
             "from ecosys.cli import cli, main\n"
             "sys.argv = ['ecosys', {args}]\n"
             "{call}")
    called = "try:\n    cli(prog_name='ecosys')\nexcept SystemExit:\n    pass"
    demo = f"'analyze', '-q', '-o', {str(tmp_path / 'out')!r}"
    for args, call, expected in [("'--version'", "main()", "frozen True collecting True"),
                                 (demo, "main()", "frozen True collecting True"),
                                 (demo, called, "frozen False collecting True")]:
        done = subprocess.run([sys.executable, "-c", probe.format(args=args, call=call)], capture_output=True,
                              text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0 and done.stdout.splitlines()[-1] == expected, done.stderr
    assert (tmp_path / "out" / "index.html").exists()
    loading = ("import gc\nfrom ecosys import cli\n"
               "for own in (False, True):\n"
               "    cli._OWN_PROCESS = own\n"
               "    with cli._library_loading():\n"
               "        paused = not gc.isenabled()\n"
               "        import pandas\n"
               "    print(paused, gc.isenabled(), gc.get_freeze_count() > 10_000)\n")
    done = subprocess.run([sys.executable, "-c", loading], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert done.stdout.splitlines() == ["True True False", "True True True"]


def test_compiled_templates_are_kept_and_a_cache_that_is_damaged_or_impossible_changes_no_byte(tmp_path):
    """The pages' templates are compiled once and loaded by later runs (Jinja's bytecode cache in the user's cache
    folder, ecosys.assets): the same bytes with the cache written, read, damaged, or where it cannot be made."""
    def demo(name, cache):
        out = tmp_path / name
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
        done = subprocess.run([sys.executable, "-m", "ecosys", "analyze", "-q", "-o", str(out)], cwd=tmp_path,
                              env=env, capture_output=True, text=True)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    cache = tmp_path / "cache"
    first = demo("first", cache)
    kept = {path: path.stat() for path in (cache / "ecosys" / "templates").iterdir()}
    assert len(kept) >= 2 and "index.html" in first and "map.html" in first  # the report's and the map's
    assert demo("second", cache) == first
    for path, before in kept.items():  # loaded, not compiled and written again (a new file would be renamed in)
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    for path in kept:
        path.write_bytes(b"j2 not a compiled template")
    assert demo("damaged", cache) == first
    assert all(path.read_bytes() != b"j2 not a compiled template" for path in kept)  # compiled again, kept again
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    assert demo("impossible", blocked) == first


def test_the_search_s_word_characters_are_the_pattern_s_on_every_code_point():
    """nodes' word test, a comparison instead of a pattern that took 10 ms to compile at every start."""
    import re

    from ecosys.nodes import _word_char

    pattern = re.compile(r"[0-9a-z\u00df-\uffff]")
    assert [c for c in range(sys.maxunicode + 1) if bool(pattern.match(chr(c))) != _word_char(chr(c))] == []


def test_the_template_cache_folder_follows_the_xdg_rules(tmp_path, monkeypatch):
    from ecosys.assets import template_cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert template_cache_folder() == tmp_path / "cache" / "ecosys" / "templates"
    assert (tmp_path / "cache" / "ecosys" / "templates").is_dir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as the rules say: never a folder where ecosys runs
    assert template_cache_folder() == tmp_path / "home" / ".cache" / "ecosys" / "templates"
    assert not (tmp_path / "relative").exists()
    (tmp_path / "file").write_text("a file, not a home folder")
    monkeypatch.setenv("HOME", str(tmp_path / "file"))
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert template_cache_folder() is None


def test_a_template_cache_folder_others_can_write_into_is_never_used(tmp_path, monkeypatch):
    # compiled templates are code this process runs: a folder open to others, or a link, is not read
    from ecosys.assets import template_cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "open"))
    folder = tmp_path / "open" / "ecosys" / "templates"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert template_cache_folder() is None
    folder.chmod(0o700)
    assert template_cache_folder() == folder
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "linked" / "ecosys").mkdir(parents=True)
    (tmp_path / "linked" / "ecosys" / "templates").symlink_to(tmp_path / "real")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "linked"))
    assert template_cache_folder() is None
