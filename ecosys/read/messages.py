"""How reading words its messages: counts, lists of line numbers and of columns.

Every warning and error of :mod:`ecosys.read` names lines the same way,
"lines 4, 5, 7", at most ten of them and then how many more.

Example
-------
>>> from ecosys.read.messages import list_columns, list_numbers, plural
>>> plural("line", 1), plural("line", 3)
('line', 'lines')
>>> list_numbers(range(2, 15))
'2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more'
>>> list_columns(["org", "project"])
"'org', 'project'"
"""

from __future__ import annotations

__all__ = ["MAX_LISTED", "plural", "list_numbers", "list_columns", "malformed_warning", "quoted"]

MAX_LISTED = 10  # line numbers or ids shown in one message


def plural(word: str, count: int) -> str:
    """``word``, with an ``s`` unless ``count`` is 1.

    >>> plural("row", 2)
    'rows'
    """
    return word if count == 1 else word + "s"


def list_numbers(numbers) -> str:
    """Line (or row) numbers as ``2, 3, 5``: the first :data:`MAX_LISTED`, then how many more.

    >>> list_numbers([4, 5, 7])
    '4, 5, 7'
    """
    numbers = [int(n) for n in numbers]
    shown = ", ".join(str(n) for n in numbers[:MAX_LISTED])
    return shown + (f" and {len(numbers) - MAX_LISTED} more" if len(numbers) > MAX_LISTED else "")


def list_columns(header) -> str:
    """Column (or sheet) names quoted and joined: ``'org', 'project'``.

    >>> list_columns(["Data", "Notes"])
    "'Data', 'Notes'"
    """
    return ", ".join(f"'{h}'" for h in header)


def malformed_warning(label: str, word: str, lines) -> str:
    """The warning listing the lines skipped because they had more fields than the header.

    >>> malformed_warning("t.csv", "line", [6, 8])
    't.csv: skipped 2 malformed lines (more fields than the header): lines 6, 8'
    """
    lines = list(lines)
    return (f"{label}: skipped {len(lines)} malformed {plural(word, len(lines))} "
            f"(more fields than the header): {plural(word, len(lines))} {list_numbers(lines)}")


def quoted(text) -> str:
    """Text from the data in quotes, as messages give it; control characters escaped, never sent raw to a terminal.

    >>> quoted("Legal Status"), quoted("ACME\\x1b[31m")
    ("'Legal Status'", "'ACME\\\\x1b[31m'")
    """
    text = str(text)
    if text.isprintable():
        return f"'{text}'"
    return "'" + text.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"
