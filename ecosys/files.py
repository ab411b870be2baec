"""Writing to disk: each file complete or not at all, a set of outputs all or nothing, only ecosys's files removed.

The only module of the library that writes files (with the command line,
which calls it):

- :func:`write_text` and :func:`write_bytes` write one file under a
  temporary name beside it (``.NAME.PID-RANDOM.tmp``) and rename it when
  complete, so a reader never sees half a file;
- :func:`write_files` writes a set of files into a folder all or nothing:
  every file goes first into a hidden temporary folder inside it
  (``.ecosys-PID-RANDOM.tmp/``) and is moved in place only once all are
  written. A full disk or a file-size quota mid-run leaves the folder with
  its previous files, unchanged, and raises one :class:`~ecosys.errors.
  EcosysError` line. Then the files ecosys wrote there before and does not
  write now are removed, if unchanged since (the record is the folder's
  :mod:`~ecosys.manifest`): never a file ecosys did not write, and a file
  changed since is left in place, and no longer counted as ecosys's;
- temporary files and folders left by a run that was killed are removed by
  the next run writing there (those of a process still running are left);
- files are created with the process's umask (``umask 077`` keeps private
  data private); nothing is made readable by others.

:func:`write_outputs` renders an analysis (:func:`ecosys.report.render_outputs`)
and writes it so.

Example
-------
>>> import tempfile, pathlib
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.files import write_outputs
>>> out = pathlib.Path(tempfile.mkdtemp()) / "demo"
>>> [p.name for p in write_outputs(analyze(demo_path()), out)]
['partners.csv', 'projects.csv', 'communities.csv', 'summary.json', 'map.html', 'index.html', 'ecosys.xlsx']
>>> sorted(p.name for p in out.iterdir())[:2]
['.ecosys-files', 'communities.csv']
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

from .errors import EcosysError
from .manifest import MANIFEST, manifest_text, sha256, written_here

__all__ = ["clean_temporaries", "write_bytes", "write_chunks", "write_files", "write_outputs", "write_text"]

_STAGING = re.compile(r"\.ecosys-(\d+)-[0-9a-f]{8}\.tmp")  # a set being written (a folder)
_TEMPORARY = re.compile(r"\.(.+)\.(\d+)-[0-9a-f]{8}\.tmp")  # one file being written
_OLD_TEMPORARY = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")  # one file being written, by ecosys before 0.2


def write_outputs(analysis, out: str | Path, *, only: tuple[str, ...] | None = None, **options) -> list[Path]:
    """Write the outputs of ``analysis`` into the folder ``out`` (created if needed), all or nothing; return their paths.

    ``options`` are those of :func:`ecosys.report.render_outputs` (what the
    maps draw, the workbook); ``only`` keeps the files whose names start
    with one of its entries (and removes only such files of an earlier run).
    Refuses to write over an input file, or into the folder of tables being
    analysed (its next analysis would read the outputs as tables).

    >>> import tempfile
    >>> from ecosys.pipeline import analyze, demo_path
    >>> out = Path(tempfile.mkdtemp()) / "demo"
    >>> [p.name for p in write_outputs(analyze(demo_path()), out, only=("map", "summary"))]
    ['summary.json', 'map.html']
    """
    from .report import render_outputs

    out = Path(out)
    source = analysis.participations.path
    if source is not None and Path(source).is_dir() and out.resolve() == Path(source):
        raise EcosysError(f"{out}: is the folder of tables being analysed, and its next analysis would read the "
                          "outputs as tables; choose another output folder with --out")
    contents = render_outputs(analysis, **options)
    contents = {k: v for k, v in contents.items() if not k.startswith("_") and (only is None or k.startswith(only))}
    for name in contents:
        if source is not None and (out / name).resolve() == Path(source):
            raise EcosysError(f"{out / name}: is the input file; choose another output folder with --out")
    return write_files(out, contents, scope=only)


def write_files(out: str | Path, contents: dict[str, str | bytes], *, scope: tuple[str, ...] | None = None) -> list[Path]:
    """Write ``contents`` (relative name -> text or bytes) into the folder ``out``, all or nothing.

    See the module's description: a temporary folder first, then moved in
    place; the files of an earlier run that this one does not write are
    removed if ecosys wrote them and they are unchanged (only names
    starting with an entry of ``scope``, when given). Text is written as
    UTF-8 with ``\\n`` line ends.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_files(out, {"a.csv": "x\\n", "sub/b.html": b"<p>"})]
    ['a.csv', 'b.html']
    >>> [p.name for p in write_files(out, {"a.csv": "y\\n"})], sorted(p.name for p in out.iterdir())
    (['a.csv'], ['.ecosys-files', 'a.csv'])
    """
    out = Path(out)
    data = dict(contents)  # each text encoded when written, then only its SHA-256 kept: one file's bytes at a time
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EcosysError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    for folder in {Path(name).parent for name in data}:
        clean_temporaries(out / folder, names={Path(name).name for name in data if Path(name).parent == folder})
    before = written_here(out)
    recorded = bool(before)
    staging = out / f".ecosys-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    written, writing = [], None
    try:
        staging.mkdir()
        for name, body in data.items():
            writing = name
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            body = body.encode("utf-8") if isinstance(body, str) else body
            _create(staging / name, body)
            data[name] = sha256(body)  # the manifest's record of it (ecosys.manifest.manifest_text)
            del body
        writing = MANIFEST  # first the union: should the moves stop half-way, every file ecosys wrote is listed
        _replace(out / MANIFEST, manifest_text({**before, **data}).encode())
        for name in data:
            writing = name
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out / name)
            written.append(out / name)
    except OSError as exc:
        where = f"{out}: cannot write {writing}" if writing else f"{out}: cannot write there"
        kept = "its previous outputs are as they were" if not written else \
            f"{len(written)} of the {len(data)} new files were moved in place before it"
        raise EcosysError(f"{where} ({exc.strerror or exc}); {kept}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    stale = {name: digest for name, digest in before.items()
             if name not in data and (scope is None or name.startswith(scope))}
    for name, digest in stale.items():
        path = out / name
        try:
            if path.is_file() and not path.is_symlink() and sha256(path.read_bytes()) == digest:
                path.unlink()
                if path.parent != out and not any(path.parent.iterdir()):
                    path.parent.rmdir()  # a subfolder ecosys emptied
        except OSError:
            continue  # left in place, and in the record
        before.pop(name)
    if not recorded and "map.html" in data:
        _remove_legacy_community_maps(out, data)
    try:
        _replace(out / MANIFEST, manifest_text({**before, **data}).encode())
    except OSError:
        pass  # the record of the first write lists these files too
    return written


def _remove_legacy_community_maps(out: Path, data: dict) -> None:
    """Without a record (a folder written before ecosys kept one), community maps not written now are removed:
    ``communities/community-N.html``, in ecosys's own subfolder, as ecosys did before."""
    for old in (out / "communities").glob("community-*.html"):
        if f"communities/{old.name}" not in data and re.fullmatch(r"community-\d+\.html", old.name):
            old.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file and a rename.

    >>> import tempfile
    >>> write_text(Path(tempfile.mkdtemp()) / "a.txt", "città\\n").read_bytes()
    b'citt\\xc3\\xa0\\n'
    """
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename (with the process's umask).

    On failure the file at ``path`` is as it was, and the error is one line.

    >>> import tempfile
    >>> write_bytes(Path(tempfile.mkdtemp()) / "a.bin", b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    path = Path(path)
    clean_temporaries(path.parent, names={path.name}, folders=False)
    try:
        _replace(path, data)
    except OSError as exc:
        raise EcosysError(f"{path}: cannot be written ({exc.strerror or exc}); it is as it was") from None
    return path


def write_chunks(path: str | Path, chunks) -> Path:
    """Write the text ``chunks`` (UTF-8) to ``path`` one after the other, through a temporary file and a rename.

    The whole text is never held in memory (the exports of large graphs are
    written this way); if producing a chunk fails, the file at ``path`` is as
    it was.

    >>> import tempfile
    >>> write_chunks(Path(tempfile.mkdtemp()) / "a.txt", ["cit", "tà\\n"]).read_bytes()
    b'citt\\xc3\\xa0\\n'
    """
    return write_bytes(path, (chunk.encode("utf-8") for chunk in chunks))


def _replace(path: Path, data) -> None:
    """``data`` into ``path`` through a temporary file beside it and a rename."""
    temporary = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        _create(temporary, data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create(path: Path, data) -> None:
    """A new file holding ``data`` (bytes, or an iterable of bytes), created with the process's umask (mode 0666
    less the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0),
                 0o666)
    try:
        for part in (data,) if isinstance(data, (bytes, bytearray)) else data:
            view = memoryview(part)
            while view:
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def clean_temporaries(folder: str | Path, *, names: set[str] = frozenset(), folders: bool = True) -> list[Path]:
    """Remove the temporary files (and folders) ecosys left in ``folder`` in a run that was killed.

    Those of a process still running are left. Temporary files of earlier
    ecosys versions (``.NAME.RANDOM.tmp``, without a process id) are removed
    when ``NAME`` is one of ``names``, the files about to be written. Nothing
    else is touched.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".map.html.99999999-0123abcd.tmp").write_text("half a page")
    >>> [p.name for p in clean_temporaries(folder)], list(folder.iterdir())
    (['.map.html.99999999-0123abcd.tmp'], [])
    """
    folder = Path(folder)
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        staging = _STAGING.fullmatch(name)
        single = _TEMPORARY.fullmatch(name)
        old = _OLD_TEMPORARY.fullmatch(name)
        try:
            if staging and folders and entry.is_dir() and not entry.is_symlink() and not _alive(int(staging[1])):
                shutil.rmtree(entry)
            elif single and entry.is_file() and not _alive(int(single[2])):
                entry.unlink()
            elif not single and old and old[1] in names and entry.is_file():
                entry.unlink()
            else:
                continue
        except OSError:
            continue
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` is running (this one, or another one that may be writing there)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True
