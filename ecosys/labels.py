"""Short labels for a map that keep names apart.

A map has room for a few words under each node. Cutting every long name at
its end turns twenty chambers of commerce into the same "Camera di
Commercio…"; here a long name keeps its beginning and its end with an
ellipsis in the middle ("Camera di Commercio … di Torino"), and names that
would still share a label get more of their end until they differ (or are
shown whole). The full name stays in the page for the tooltip and the panel.

Example
-------
>>> short_labels(["Camera di Commercio Industria Artigianato e Agricoltura di Torino",
...               "Camera di Commercio Industria Artigianato e Agricoltura di Lecce", "Formez"])
['Camera di Commercio…di Torino', 'Camera di Commercio…di Lecce', 'Formez']
"""

from __future__ import annotations

__all__ = ["LABEL_LENGTH", "short_label", "short_labels"]

LABEL_LENGTH = 28  # characters of a label, the ellipsis included, unless two names need more to differ
ELLIPSIS = "…"
SLACK = 3  # characters a cut may go past the room to keep a word whole (a label: at most most + 2 * SLACK)


def short_label(name: str, most: int = LABEL_LENGTH) -> str:
    """``name``, or past ``most`` characters its beginning and end round an ellipsis, cut at spaces.

    About two thirds of the room go to the beginning (which says what the
    organisation is), the rest to the end (which often says where).

    >>> short_label("Agenzia regionale per la protezione ambientale della Sardegna")
    'Agenzia regionale per…Sardegna'
    >>> short_label("Formez")
    'Formez'
    """
    name = str(name)
    if len(name) <= most:
        return name
    room = most - len(ELLIPSIS)
    head_room = max(1, (room * 2) // 3)
    tail_room = max(1, room - head_room)
    return _head(name, head_room) + ELLIPSIS + _tail(name, tail_room)


def short_labels(names, most: int = LABEL_LENGTH, rounds: int = 6) -> list[str]:
    """A label per name (see :func:`short_label`), different names never sharing a label.

    Names whose labels clash get ``most`` raised by 8 characters, up to
    ``rounds`` times; any clash left shows the names whole. Equal names keep
    equal labels.

    >>> short_labels(["Università degli Studi di Napoli Federico II", "Università degli Studi di Napoli Parthenope"])
    ['Università degli…Federico II', 'Università degli…Parthenope']
    """
    names = [str(n) for n in names]
    limit = {n: most for n in set(names)}
    labels = {n: short_label(n, most) for n in limit}
    for _ in range(rounds + 1):
        owners: dict[str, set] = {}
        for n, label in labels.items():
            owners.setdefault(label, set()).add(n)
        clashing = {n for group in owners.values() if len(group) > 1 for n in group}
        if not clashing:
            break
        for n in clashing:
            limit[n] += 8
            labels[n] = short_label(n, limit[n])
    else:
        for group in owners.values():
            if len(group) > 1:
                for n in group:
                    labels[n] = n
    return [labels[n] for n in names]


def _head(name: str, room: int) -> str:
    """The first ``room`` characters of ``name``, on to the end of a word up to ``SLACK`` more, or back
    to a space in the second half."""
    cut = name[:room]
    if name[room:room + 1] not in ("", " "):
        more = name[room:room + SLACK + 1]
        if " " in more:
            cut = name[:room + more.index(" ")]
        elif " " in cut[room // 2:]:
            cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" -,:;.")


def _tail(name: str, room: int) -> str:
    """The last ``room`` characters of ``name``, back to the start of a word up to ``SLACK`` more, or on
    to a space in the first half."""
    cut = name[-room:]
    if name[-room - 1:-room] not in ("", " "):
        more = name[-room - SLACK - 1:-room]
        if " " in more:
            cut = name[len(name) - room - (len(more) - more.rindex(" ") - 1):]
        elif " " in cut[: room // 2]:
            cut = cut.split(" ", 1)[1]
    return cut.lstrip(" -,:;.")
