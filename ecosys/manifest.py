"""The record of the files ecosys wrote in a folder: ``.ecosys-files``.

Each output folder holds a small hidden JSON file listing the files ecosys
wrote there and the SHA-256 of each as written. It lets a later run

- remove what ecosys wrote before and does not write now (the workbook of a
  run that now writes none, an earlier ``backbone.csv``), and only when the
  file is still as ecosys wrote it: never a file ecosys did not write, nor
  one changed since;
- skip ecosys's own outputs when the folder is read as input (a folder of
  tables analysed with ``-o`` pointing at itself).

Example
-------
>>> import tempfile, pathlib
>>> from ecosys.manifest import manifest_text, written_here
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / ".ecosys-files").write_text(manifest_text({"partners.csv": b"node,name\\n"}))
>>> written_here(folder)
{'partners.csv': 'ad5365c7a2c95c817a67b4ec937ee99913fa70eb8d0272b933158af72d862987'}
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["MANIFEST", "manifest_text", "sha256", "written_here"]

MANIFEST = ".ecosys-files"


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, bytes | str]) -> str:
    """The manifest of ``files`` (name -> contents, or the SHA-256 already computed), as JSON text.

    >>> print(manifest_text({"b.csv": "ab" * 32, "a.csv": b""}), end="")  # doctest: +ELLIPSIS
    {
      "about": "the files ecosys wrote in this folder...",
      "files": {
        "a.csv": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "b.csv": "abababababababababababababababababababababababababababababababab"
      }
    }
    """
    hashes = {name: value if isinstance(value, str) else sha256(value) for name, value in files.items()}
    return json.dumps({
        "about": "the files ecosys wrote in this folder, and the SHA-256 of each as written; ecosys removes one "
                 "when a later run does not write it and it is unchanged",
        "files": dict(sorted(hashes.items())),
    }, indent=2) + "\n"


def written_here(folder: str | Path) -> dict[str, str]:
    """The files ecosys wrote in ``folder`` (relative name -> SHA-256), from its manifest; empty without one.

    A manifest that cannot be read or is not ecosys's counts as none.

    >>> written_here("/nonexistent")
    {}
    """
    try:
        files = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {name: value for name, value in files.items()
            if isinstance(name, str) and isinstance(value, str) and _inside(name)}


def _inside(name: str) -> bool:
    """A relative path that stays inside the folder (a manifest must not name ``../x`` or ``/etc/x``)."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts
