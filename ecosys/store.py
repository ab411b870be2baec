"""An analysis stored in its output folder, so that reports and exports reuse it instead of analysing again.

``ecosys analyze`` writes two files beside its tables: ``analysis.json``
(what was analysed and how: the format version, the ecosys version, the
SHA-256 of every input file, the options, the participations' description,
the community method and parameters) and ``analysis.npz`` (the arrays: the
cleaned participation table, its categories as codes; the metrics, each
node's community and, when asked for, stability, brokerage and backbone). :func:`load_analysis`
rebuilds the :class:`~ecosys.pipeline.Analysis` from them: the graph and the
partner projection are rebuilt from the participations (a fraction of a
second), the metrics and communities are read, never recomputed.

Both files are data only: JSON, and a NumPy ``.npz`` read with
``allow_pickle=False`` (text travels inside it as UTF-8 JSON bytes), so a
folder someone sends cannot run code. ``analysis.json`` holds the SHA-256 of
``analysis.npz``, so a pair of files from two runs is refused. The files are
the same bytes for the same input and options (the archive's dates are
fixed). Inputs are recorded by their path relative to the output folder (the
bundled demo as ``demo``), so a folder moved together with its tables still
finds them; an input that has changed since gives an :class:`StoreError`
saying to analyse again, one that is gone is not checked.

Example
-------
>>> import tempfile
>>> from pathlib import Path
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.store import save_analysis, load_analysis
>>> folder = Path(tempfile.mkdtemp())
>>> [p.name for p in save_analysis(analyze(demo_path()), folder, inputs=["demo"])]
['analysis.npz', 'analysis.json']
>>> top = load_analysis(folder).partners().iloc[0]
>>> top["name"], int(top["degree"]), int(top["community"])
('Formez', 16, 1)
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .brokerage import Brokerage
from .communities import Partition, Stability
from .errors import EcosysError
from .files import write_bytes, write_text
from .graph import PARTNER, build_network, project
from .manifest import sha256
from .pipeline import Analysis, demo_path
from .read import Participations
from .read.numbers import NumberFormat

__all__ = ["ARRAYS", "FORMAT", "MANIFEST", "VERSION", "StoreError", "input_record", "is_stored", "load_analysis",
           "read_manifest", "save_analysis", "stored_files"]

FORMAT = "ecosys-analysis"
VERSION = 2  # raise when what is stored, or how, changes: older folders are then refused with a message
MANIFEST = "analysis.json"
ARRAYS = "analysis.npz"
MAX_UNPACKED = 4 << 30  # bytes: an archive claiming more than this unpacked is refused (a zip bomb)
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the archive entries' date: outputs must not depend on the clock
_AGAIN = "run `ecosys analyze` on the table again"


class StoreError(EcosysError):
    """A stored analysis that cannot be used: missing, older or newer, damaged, or its input changed.

    An :class:`~ecosys.errors.EcosysError`: the command line prints it as one line.

    >>> issubclass(StoreError, EcosysError)
    True
    """


def is_stored(folder) -> bool:
    """True when ``folder`` holds a stored analysis (its ``analysis.json``).

    >>> is_stored(Path("."))
    False
    """
    return (Path(folder) / MANIFEST).is_file()


def input_record(path, folder) -> dict:
    """How an input file is recorded for ``folder``: its path relative to it, and its SHA-256.

    ``path`` ``"demo"`` records the bundled demo dataset.

    >>> input_record("demo", ".")["path"]
    'demo'
    """
    if str(path) == "demo":
        return {"path": "demo", "sha256": sha256(demo_path().read_bytes())}
    path = Path(path).resolve()
    try:
        where = os.path.relpath(path, Path(folder).resolve())
    except ValueError:  # another drive (Windows): absolute
        where = str(path)
    return {"path": Path(where).as_posix(), "sha256": sha256(path.read_bytes())}


def stored_files(analysis: Analysis, *, options: dict | None = None, inputs: list | None = None) -> dict[str, bytes]:
    """The stored analysis's files by name (``analysis.npz`` first), in memory.

    ``options`` are recorded as given (the command's analysis options);
    ``inputs`` are :func:`input_record` dicts. :func:`save_analysis` writes the
    same bytes without holding the archive in memory.

    >>> from ecosys.pipeline import analyze
    >>> files = stored_files(analyze(demo_path()))
    >>> list(files), json.loads(files[MANIFEST])["format"]
    (['analysis.npz', 'analysis.json'], {'name': 'ecosys-analysis', 'version': 2})
    """
    buffer = io.BytesIO()
    _write_npz(buffer, *_stored_values(analysis))
    npz = buffer.getvalue()
    return {ARRAYS: npz, MANIFEST: _manifest(analysis, sha256(npz), options, inputs)}


def _stored_values(analysis: Analysis) -> tuple[dict, dict]:
    """What ``analysis.npz`` holds: its arrays by name, and the texts (JSON, with :class:`_TextColumn` values)."""
    arrays, texts = {}, {}
    p = analysis.participations
    _put_frame(p.table, "participations", arrays, texts)
    _put_frame(analysis.metrics, "metrics", arrays, texts)
    nodes = analysis.network.nodes
    _put_partition(analysis.partition, nodes, "partition", arrays, texts)
    stability = analysis.stability
    if stability is not None:
        arrays["stability/values"] = np.asarray(stability.stability, dtype=np.float64)
        texts["stability"] = {"seeds": [int(s) for s in stability.seeds], "ari": stability.ari, "nmi": stability.nmi,
                              "threshold": stability.threshold,
                              "consensus_is_partition": stability.consensus is analysis.partition}
        if stability.consensus is not analysis.partition:
            _put_partition(stability.consensus, nodes, "consensus", arrays, texts)
    brokerage = analysis.brokerage
    if brokerage is not None:
        for f in dataclasses.fields(Brokerage):
            value = getattr(brokerage, f.name)
            if isinstance(value, np.ndarray):
                arrays[f"brokerage/{f.name}"] = value
        texts["brokerage"] = {"groups": [str(g) for g in brokerage.groups], "density": float(brokerage.density)}
    if analysis.backbone is not None:
        _put_frame(analysis.backbone, "backbone", arrays, texts)
    return arrays, texts


def _manifest(analysis: Analysis, arrays_sha256: str, options: dict | None, inputs: list | None) -> bytes:
    """``analysis.json``'s bytes, for an ``analysis.npz`` of SHA-256 ``arrays_sha256``."""
    p = analysis.participations
    described = {f.name: getattr(p, f.name) for f in dataclasses.fields(Participations)
                 if f.name not in ("table", "report", "path", "numbers", "coded")}
    described["numbers"] = {column: fmt.as_dict() for column, fmt in p.numbers.items()}
    manifest = {
        "format": {"name": FORMAT, "version": VERSION},
        "ecosys_version": __version__,
        "dataset": p.name,
        "inputs": list(inputs or []),
        "options": dict(options or {}),
        "arrays": {"file": ARRAYS, "sha256": arrays_sha256},
        "participations": _plain(described),
        "seed": int(analysis.seed),
        "group_by": analysis.group_by,
        "projection": {"weighting": analysis.projection.weighting, "min_shared": analysis.projection.min_shared,
                       "max_project_size": analysis.projection.max_project_size},
    }
    text = _escape_surrogates(json.dumps(manifest, indent=2, ensure_ascii=False))
    return (text + "\n").encode("utf-8")


def _escape_surrogates(text: str) -> str:
    """JSON text with its lone surrogates as ``\\udcXX`` escapes, which UTF-8 can carry and ``json.loads`` gives back.

    Python keeps the bytes of a path that are not UTF-8 (``caf\\xe9.csv``, a Latin-1 name) as lone
    surrogates; escaped, the input's path is recorded exactly and still finds the file.
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def save_analysis(analysis: Analysis, folder, *, options: dict | None = None, inputs: list | None = None) -> list[Path]:
    """Store ``analysis`` in ``folder`` (created if needed; see :func:`stored_files`); return the paths written.

    ``inputs``: the input files (paths, or ``"demo"``), recorded with their
    SHA-256 (see :func:`input_record`). ``analysis.npz`` is written first,
    ``analysis.json`` last: a run stopped between them leaves a pair that
    :func:`load_analysis` refuses.

    >>> import tempfile
    >>> from ecosys.pipeline import analyze
    >>> [p.name for p in save_analysis(analyze(demo_path()), tempfile.mkdtemp())]
    ['analysis.npz', 'analysis.json']
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EcosysError(f"{folder}: cannot create the output folder ({exc.strerror or exc})") from None
    records = [input_record(i, folder) for i in (inputs or [])]
    # the archive is made in an unnamed file beside its place (never all in memory: 0.1 KB a row), then copied there
    with tempfile.TemporaryFile(dir=folder) as spool:
        _write_npz(spool, *_stored_values(analysis), scratch=folder)
        digest = hashlib.sha256()
        spool.seek(0)

        def hashed():  # the archive read once: hashed as it is copied
            for chunk in iter(lambda: spool.read(_CHUNK), b""):
                digest.update(chunk)
                yield chunk

        arrays = write_bytes(folder / ARRAYS, hashed())
    manifest = _manifest(analysis, digest.hexdigest(), options, records)
    return [arrays, write_text(folder / MANIFEST, manifest.decode("utf-8"))]


def read_manifest(folder) -> dict:
    """The ``analysis.json`` of ``folder``, checked: a stored analysis of this format version.

    Raises :class:`StoreError` with what to do when it is missing, from an
    older or newer ecosys, or not what ecosys writes.

    >>> import tempfile
    >>> read_manifest(tempfile.mkdtemp())
    Traceback (most recent call last):
    ecosys.store.StoreError: ...: no stored analysis (analysis.json); run `ecosys analyze` on the table again
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise StoreError(f"{folder}: no stored analysis ({MANIFEST}); {_AGAIN}")
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
        name, version = manifest["format"]["name"], manifest["format"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError(f"{path}: not an analysis ecosys can read; {_AGAIN}") from None
    if name != FORMAT or not isinstance(version, int):
        raise StoreError(f"{path}: not an analysis ecosys can read; {_AGAIN}")
    if version < VERSION:
        raise StoreError(f"{path}: stored by an older ecosys (format {version}; this one reads {VERSION}); {_AGAIN}")
    if version > VERSION:
        raise StoreError(f"{path}: stored by a newer ecosys (format {version}; this one reads {VERSION}); "
                         f"upgrade ecosys, or {_AGAIN}")
    return manifest


def load_analysis(folder, *, check_inputs: bool = True) -> Analysis:
    """The :class:`~ecosys.pipeline.Analysis` stored in ``folder``, without analysing anything again.

    With ``check_inputs``, every recorded input file still at its place must
    have the SHA-256 it had; one that changed raises :class:`StoreError`.
    The participations keep their warnings but not the read report's
    line-by-line lists (what ``ecosys validate`` writes).

    >>> import tempfile
    >>> from ecosys.pipeline import analyze
    >>> folder = tempfile.mkdtemp()
    >>> _ = save_analysis(analyze(demo_path(), runs=2, group_by="type"), folder)
    >>> loaded = load_analysis(folder)
    >>> loaded.summary()["stability"]["runs"], "brokerage_liaison" in loaded.partners()
    (2, True)
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if check_inputs:
        _check_inputs(folder, manifest)
    arrays = _read_arrays(folder, manifest)
    try:
        return _analysis(folder, manifest, arrays)
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        raise StoreError(f"{folder / ARRAYS}: damaged ({type(exc).__name__}: {exc}); {_AGAIN}") from None


def _check_inputs(folder: Path, manifest: dict) -> None:
    for record in manifest.get("inputs", []):
        where = record["path"]
        path = demo_path() if where == "demo" else (folder / where)
        if path.is_file() and sha256(path.read_bytes()) != record["sha256"]:
            shown = "the demo dataset" if where == "demo" else os.path.normpath(path)
            raise StoreError(f"{folder}: {shown} has changed since it was analysed; {_AGAIN}")


def _read_arrays(folder: Path, manifest: dict) -> dict:
    path = folder / ARRAYS
    try:
        data = path.read_bytes()
    except OSError:
        raise StoreError(f"{path}: missing; {_AGAIN}") from None
    if sha256(data) != manifest.get("arrays", {}).get("sha256"):
        raise StoreError(f"{path}: not the one {MANIFEST} describes (another run, or damaged); {_AGAIN}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                raise StoreError(f"{path}: unpacks to more than {MAX_UNPACKED >> 30} GB; {_AGAIN}")
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        arrays["texts"] = json.loads(arrays["texts"].tobytes().decode("utf-8"))
    except StoreError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        raise StoreError(f"{path}: damaged; {_AGAIN}") from None
    return arrays


def _analysis(folder: Path, manifest: dict, arrays: dict) -> Analysis:
    texts = arrays["texts"]
    described = manifest["participations"]
    fields = {f.name: f for f in dataclasses.fields(Participations)}
    kept = {k: tuple(v) if isinstance(v, list) else v for k, v in described.items() if k in fields}
    kept["numbers"] = {column: NumberFormat(**fmt) for column, fmt in described.get("numbers", {}).items()}
    main = next((r["path"] for r in manifest.get("inputs", []) if r["path"] != "demo"), None)
    path = str((folder / main).resolve()) if main is not None and (folder / main).is_file() else None
    participations = Participations(table=_get_frame("participations", arrays, texts), path=path, **kept)
    net = build_network(participations)
    projection = manifest["projection"]
    P = project(net, PARTNER, min_shared=projection["min_shared"], weighting=projection["weighting"],
                max_project_size=projection["max_project_size"], max_pairs=None)  # its size was checked when analysed
    metrics = _get_frame("metrics", arrays, texts)
    if metrics["node"].tolist() != net.nodes:
        raise ValueError("the metrics are not those of the stored participations' nodes")
    partition = _get_partition("partition", net.nodes, arrays, texts)
    stability = None
    if "stability" in texts:
        s = texts["stability"]
        consensus = partition if s["consensus_is_partition"] else _get_partition("consensus", net.nodes, arrays, texts)
        values = arrays["stability/values"]
        if len(values) != len(net.nodes):
            raise ValueError("stability: one value per node expected")
        stability = Stability(s["seeds"], s["ari"], s["nmi"], consensus, values, s["threshold"])
    brokerage = None
    if "brokerage" in texts:
        b = texts["brokerage"]
        parts = {f.name: arrays[f"brokerage/{f.name}"] for f in dataclasses.fields(Brokerage)
                 if f.name not in ("groups", "density")}
        brokerage = Brokerage(groups=b["groups"], density=b["density"], **parts)
    backbone = _get_frame("backbone", arrays, texts) if "backbone" in texts else None
    return Analysis(participations, net, P, metrics, partition, manifest["seed"], stability, brokerage,
                    manifest["group_by"], backbone)


# -- tables and partitions as arrays and JSON ---------------------------------------------------------


def _put_frame(frame: pd.DataFrame, prefix: str, arrays: dict, texts: dict) -> None:
    """Numeric columns into ``arrays`` (``prefix/k``), text columns, the dtypes and ``attrs`` into ``texts``."""
    columns, values = [], {}
    for k, c in enumerate(frame.columns):
        dtype = frame[c].dtype
        if pd.api.types.is_numeric_dtype(dtype) and isinstance(dtype, np.dtype):
            arrays[f"{prefix}/{k}"] = frame[c].to_numpy()
        elif isinstance(dtype, pd.CategoricalDtype):  # its codes, and its distinct values once
            arrays[f"{prefix}/{k}"] = frame[c].cat.codes.to_numpy()
            values[str(k)] = _TextColumn(pd.Series(dtype.categories.to_numpy(dtype=object), dtype=object))
        else:
            values[str(k)] = _TextColumn(frame[c])
        columns.append({"name": c, "dtype": str(dtype)})
    texts[prefix] = {"columns": columns, "values": values, "rows": len(frame), "attrs": _plain(frame.attrs)}


def _get_frame(prefix: str, arrays: dict, texts: dict) -> pd.DataFrame:
    spec = texts[prefix]
    data = {}
    for k, column in enumerate(spec["columns"]):
        if column["dtype"] == "category":  # codes into distinct values (a ValueError for codes of none)
            categories = pd.CategoricalDtype(pd.Index(spec["values"][str(k)], dtype=object))
            data[column["name"]] = pd.Series(pd.Categorical.from_codes(arrays[f"{prefix}/{k}"], dtype=categories))
        elif f"{prefix}/{k}" in arrays:
            values = arrays[f"{prefix}/{k}"]
            if values.dtype.hasobject:
                raise ValueError(f"{prefix}: column {column['name']!r} is not numeric")
            data[column["name"]] = pd.Series(values, dtype=values.dtype)
        else:
            data[column["name"]] = pd.Series(spec["values"][str(k)], dtype=column["dtype"])
        if len(data[column["name"]]) != spec["rows"]:
            raise ValueError(f"{prefix}: column {column['name']!r} has the wrong length")
    frame = pd.DataFrame(data, index=pd.RangeIndex(spec["rows"]))
    frame.attrs = spec["attrs"]
    return frame


def _put_partition(partition: Partition, nodes: list, prefix: str, arrays: dict, texts: dict) -> None:
    membership = partition.membership
    if list(membership) == nodes:  # as analyze numbers them: no dictionary of every node key to find their places
        order = np.arange(len(nodes), dtype=np.int64)
    else:
        position = {n: i for i, n in enumerate(nodes)}
        order = np.fromiter((position[n] for n in membership), dtype=np.int64, count=len(membership))
    arrays[f"{prefix}/order"] = order
    arrays[f"{prefix}/community"] = np.fromiter(membership.values(), dtype=np.int64, count=len(membership))
    texts[prefix] = {"modularity": partition.modularity, "method": partition.method,
                     "parameters": _plain(partition.parameters)}


def _get_partition(prefix: str, nodes: list, arrays: dict, texts: dict) -> Partition:
    order, community = arrays[f"{prefix}/order"], arrays[f"{prefix}/community"]
    if len(order) != len(community) or (len(order) and (order.min() < 0 or order.max() >= len(nodes))):
        raise ValueError(f"{prefix}: communities of nodes that are not there")
    membership = dict(zip([nodes[i] for i in order.tolist()], community.tolist()))
    t = texts[prefix]
    return Partition(membership, t["modularity"], t["method"], t["parameters"])


def _plain(value):
    """``value`` with tuples as lists and NumPy scalars as Python ones, for JSON; anything else refused."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in {MANIFEST}")


class _TextColumn:
    """A frame's text column in ``texts``, written as its JSON list when the archive is made (:func:`_json_pieces`):
    never held as a list of every cell, nor inside one JSON text of the whole table."""

    def __init__(self, series: pd.Series):
        self.series = series

    def json(self):
        """``json.dumps(self.series.tolist(), ensure_ascii=False)`` as UTF-8, the same bytes, in pieces of at most
        :data:`_ROWS` cells (a list's items are separated by ``", "``)."""
        values, first = self.series, True
        yield b"["
        for start in range(0, len(values), _ROWS):
            inner = json.dumps(values.iloc[start:start + _ROWS].tolist(), ensure_ascii=False)[1:-1]
            yield (inner if first else ", " + inner).encode("utf-8")
            first = False
        yield b"]"


_ROWS = 100_000  # cells of a text column encoded at a time
_CHUNK = 1 << 20  # bytes copied at a time


def _json_pieces(texts: dict):
    """``json.dumps(texts, ensure_ascii=False)`` as UTF-8, the same bytes, in pieces: each text column
    (:class:`_TextColumn`) encoded a block of cells at a time when its turn comes, so that the JSON of a table of
    millions of rows is never held whole, nor as a list of its cells.

    >>> texts = {"t": {"values": {"0": _TextColumn(pd.Series(["a", "é", None] * 50_000))}, "rows": 150_000}}
    >>> whole = json.dumps(texts, ensure_ascii=False, default=lambda column: column.series.tolist())
    >>> b"".join(_json_pieces(texts)) == whole.encode("utf-8")
    True
    """
    columns = []

    def place(value):  # where a column goes: a text no JSON of ecosys's holds, checked below
        if not isinstance(value, _TextColumn):
            raise TypeError(f"cannot store a {type(value).__name__} in {ARRAYS}")
        columns.append(value)
        return f"\x00ecosys column {len(columns) - 1}\x00"

    skeleton = json.dumps(texts, ensure_ascii=False, default=place)
    marks = [json.dumps(f"\x00ecosys column {k}\x00") for k in range(len(columns))]
    if any(skeleton.count(mark) != 1 for mark in marks):  # a stored text spelled like a mark: all in one go
        yield json.dumps(texts, ensure_ascii=False, default=lambda column: column.series.tolist()).encode("utf-8")
        return
    rest = skeleton
    for mark, column in zip(marks, columns):
        before, rest = rest.split(mark, 1)
        yield before.encode("utf-8")
        yield from column.json()
    yield rest.encode("utf-8")


def _write_npz(file, arrays: dict, texts: dict, scratch=None) -> None:
    """An ``.npz`` archive into the seekable binary ``file``: ``arrays``, then ``texts`` (as JSON,
    :func:`_json_pieces`) as the bytes of the array ``texts``; fixed entry dates (``np.savez`` stamps the
    clock's), compressed at zlib's fastest level (a third of the time of its default, for a few percent more
    bytes). The texts go first to an unnamed file in the folder ``scratch`` (None: the system's temporary
    folder), where their bytes are counted for the header ``np.save`` writes before them: never held whole."""
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array in arrays.items():
            data = io.BytesIO()
            np.lib.format.write_array(data, np.ascontiguousarray(array), allow_pickle=False)
            _entry(archive, f"{name}.npy", (data.getbuffer(),), data.getbuffer().nbytes)
            del data
        with tempfile.TemporaryFile(dir=scratch) as spool:
            for piece in _json_pieces(texts):
                spool.write(piece)
            size = spool.tell()
            spool.seek(0)
            header = io.BytesIO()
            np.lib.format.write_array_header_1_0(header, {"descr": "|u1", "fortran_order": False, "shape": (size,)})
            _entry(archive, "texts.npy", itertools.chain((header.getvalue(),), iter(lambda: spool.read(_CHUNK), b"")),
                   len(header.getvalue()) + size)


def _entry(archive: zipfile.ZipFile, name: str, pieces, size: int) -> None:
    """One entry of ``size`` bytes, the ``pieces`` one after the other, as ``ZipFile.writestr`` writes it."""
    # as writestr's entry: dated 1980-01-01 (ZipInfo's default, _FIXED_DATE), the archive's compression, ZIP64
    # extensions where the entry might pass 2 GB; the deflated bytes do not depend on how the content is cut
    with archive.open(name, "w", force_zip64=size * 1.05 > zipfile.ZIP64_LIMIT) as dest:
        for piece in pieces:
            dest.write(piece)
