"""Public names of a package loaded on first use (module ``__getattr__``, PEP 562).

``import ecosys`` and ``ecosys --help`` stay light this way: pandas, igraph, numba and
scipy load only when a command or a notebook uses a name that needs them.

Example
-------
>>> from ecosys.lazy import attach
>>> getattr_, dir_ = attach("ecosys", {"errors": ("InputError",)})
>>> getattr_("InputError").__name__, "InputError" in dir_()
('InputError', True)
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["attach"]


def attach(package: str, exports: dict[str, tuple[str, ...]]):
    """A module ``__getattr__`` and ``__dir__`` for ``package``: each name of ``exports`` (``{module: names}``) is
    imported from its module the first time it is asked for, then kept in the package like any other.

    >>> getattr_, _ = attach("ecosys", {"errors": ("EcosysError",)})
    >>> getattr_("nothing")
    Traceback (most recent call last):
    AttributeError: module 'ecosys' has no attribute 'nothing'
    """
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)  # later uses find it without this function
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__
