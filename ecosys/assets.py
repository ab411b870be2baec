"""What the pages are made of: the stylesheets and scripts they inline, read from ``ecosys/static/``, and
the Jinja environment their templates (``ecosys/templates/``) are rendered with.

A map is one self-contained HTML file, so its CSS and JavaScript are not
linked but copied into it when it is rendered, each file in its own
``<style>`` or ``<script>`` element. They live as ordinary files in the
package so that they can be read, checked (``node --check``) and unit-tested
(``node --test tests/js/``) like any other code::

    ecosys/static/
      map.css        the map page's styles
      map-core.js    the map's pure logic (filters, neighbourhoods, search,
                     labels, legend, colours); no DOM, also runs in Node
      map.js         the page itself: controls, panels, vis-network
      whole.css, whole-core.js, whole.js
                     the whole-graph page (ecosys/whole.py): its styles, its
                     pure logic (also runs in Node) and the page (sigma.js)
      vendor/        third-party code, version and licence in the name
                     (vis-network 9.1.2, sigma.js 3.0.3, graphology 0.26.0;
                     see vendor/README.md)

A file is refused if it could end its element early or change how the
browser parses it: ``</script`` or ``<!--`` in a script, ``</style`` in a
stylesheet (any case). A trailing ``//# sourceMappingURL=`` comment is dropped,
so developer tools do not ask for a file that is not there.

Compiling a template takes Jinja tens of milliseconds (the report's, 9 kB, 30-40 ms), so the
environment keeps the compiled templates on disk, in the user's cache folder
(``$XDG_CACHE_HOME/ecosys/templates``, by default ``~/.cache/ecosys/templates``), and later runs load
them: Jinja's own bytecode cache, which compiles a template again when its source or the Python
version changed. Where that folder cannot be made or written, or a file in it is damaged, the
template is compiled in memory as before: the pages are the same bytes either way.

Example
-------
>>> from ecosys.assets import environment, script, style
>>> "ecosysCore" in script("map-core.js")
True
>>> style("map.css").startswith("/*")
True
>>> environment().get_template("charts.html").name, environment() is environment()
('charts.html', True)
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import jinja2
import markupsafe

__all__ = ["environment", "inline", "script", "style", "template_cache_folder"]

_CLOSERS = {"script": ("</script", "<!--"), "style": ("</style",)}
# each looked for in any ASCII case, as HTML does, without a lowered copy of the text (vis-network is 470 kB)
_FINDERS = {closer: re.compile(re.escape(closer), re.IGNORECASE | re.ASCII)
            for closers in _CLOSERS.values() for closer in closers}
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*\Z")


def inline(text: str, element: str) -> markupsafe.Markup:
    """``text`` as the content of a ``<script>`` or ``<style>`` element.

    Parameters
    ----------
    text : str
        JavaScript (``element="script"``) or CSS (``element="style"``).
    element : {"script", "style"}

    Returns
    -------
    markupsafe.Markup
        The text, marked safe for a Jinja template with autoescape on, without a trailing
        ``//# sourceMappingURL=`` comment.

    Raises
    ------
    ValueError
        If the text contains what would end the element early (``</script``, ``</style``) or,
        in a script, ``<!--`` (which changes how the browser finds the script's end).

    Example
    -------
    >>> inline("let a = 1 < 2;\\n//# sourceMappingURL=a.js.map\\n", "script")
    Markup('let a = 1 < 2;')
    >>> inline("a = '</SCRIPT>'", "script")
    Traceback (most recent call last):
    ...
    ValueError: cannot inline this script: it contains '</script' (any case), which would end the <script> element early
    """
    if element not in _CLOSERS:
        raise ValueError(f"element must be 'script' or 'style', not {element!r}")
    for closer in _CLOSERS[element]:
        if _FINDERS[closer].search(text):
            why = "changes where the browser ends" if closer == "<!--" else "would end"
            raise ValueError(
                f"cannot inline this {element}: it contains {closer!r} (any case), which {why} "
                f"the <{element}> element early"
            )
    if element == "script":
        # The comment holds no space, so it starts on the last line that is not blank (or at the line
        # break before it): the pattern is tried from there, not at each of the text's characters.
        last_line = max(text.rstrip().rfind("\n"), 0)
        text = text[:last_line] + _SOURCE_MAP.sub("", text[last_line:])
    return markupsafe.Markup(text)


def script(name: str) -> markupsafe.Markup:
    """The JavaScript file ``ecosys/static/<name>``, ready for a ``<script>`` element.

    Raises ``ValueError`` (naming the file) if it cannot be inlined: see :func:`inline`.

    Example
    -------
    >>> js = script("vendor/vis-network-9.1.2.min.js")
    >>> "@version 9.1.2" in js and "sourceMappingURL" not in js
    True
    """
    return _static(name, "script")


def style(name: str) -> markupsafe.Markup:
    """The stylesheet ``ecosys/static/<name>``, ready for a ``<style>`` element.

    Raises ``ValueError`` (naming the file) if it cannot be inlined: see :func:`inline`.

    Example
    -------
    >>> "#network" in style("map.css")
    True
    """
    return _static(name, "style")


@lru_cache(maxsize=None)
def _static(name: str, element: str) -> markupsafe.Markup:
    text = files("ecosys").joinpath("static", *name.split("/")).read_bytes().decode("utf-8")
    try:
        return inline(text, element)
    except ValueError as error:
        raise ValueError(f"ecosys/static/{name}: {error}") from None


def environment(**filters) -> jinja2.Environment:
    """The Jinja environment every ecosys page is rendered with, one per set of ``filters``.

    Templates come from ``ecosys/templates/``, autoescaped; compiled ones are kept in
    :func:`template_cache_folder` (the module's introduction says why and what happens when it
    cannot be written). All pages share these settings, so a template compiled for one page is
    the same code for every other.

    Parameters
    ----------
    **filters
        Filters the templates use beside Jinja's own, by name.

    Example
    -------
    >>> shout = environment(shout=str.upper)
    >>> shout.from_string("{{ 'ciao' | shout }}").render(), shout is environment(shout=str.upper)
    ('CIAO', True)
    """
    return _environment(tuple(sorted(filters.items())))


def template_cache_folder() -> Path | None:
    """The folder compiled templates are kept in: ``ecosys/templates`` in the user's cache folder.

    The user's cache folder is ``$XDG_CACHE_HOME`` when it is an absolute path, else ``.cache`` in
    the home folder; None (templates compiled on every run) where there is none or the folder
    cannot be made or written, and where it is not this user's own and private (a symbolic link,
    another owner, or open to others): compiled templates are code this process would run, so a
    folder someone else can write into (a shared ``XDG_CACHE_HOME``, ``sudo -E``) is never read.

    Example
    -------
    >>> folder = template_cache_folder()
    >>> folder is None or folder.parts[-2:] == ("ecosys", "templates")
    True
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative, which the XDG rules say to ignore
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder known ("~" left as it is): never a folder where ecosys runs
        return None
    folder = Path(base, "ecosys", "templates")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:  # no home folder, a file where a folder should be, no permission
        return None
    if not hasattr(os, "geteuid"):  # Windows: no owner and mode to check, so no cache
        return None
    try:
        status = os.lstat(folder)
    except OSError:
        return None
    private = stat.S_ISDIR(status.st_mode) and not status.st_mode & 0o077 and status.st_uid == os.geteuid()
    return folder if private and os.access(folder, os.W_OK | os.X_OK) else None


@lru_cache(maxsize=None)
def _environment(filters: tuple) -> jinja2.Environment:
    folder = template_cache_folder()
    cache = None if folder is None else _TemplateCache(str(folder))
    env = jinja2.Environment(loader=jinja2.PackageLoader("ecosys", "templates"), autoescape=True, bytecode_cache=cache)
    env.filters.update(filters)
    return env


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache on disk, where a file that cannot be read or written means compiling again."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 (a damaged file, whatever unpickling it raised: the template is compiled)
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)  # a temporary file renamed: other runs never read half a file
        except OSError:  # a full disk, a folder made read-only meanwhile: this run compiled it anyway
            pass
