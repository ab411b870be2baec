"""Name clean-up: fingerprints, groups of similar names, aliases, and the data-quality report.

Real partner lists spell one organisation many ways ("Max Planck
Gesellschaft", "Max-Planck-Gesellschaft"). ecosys never merges names on its
own: :func:`similar_groups` proposes groups for a person to review,
:func:`aliases_csv` writes them as a ``name,canonical`` table, and
``read_participations(..., aliases=FILE)`` applies the reviewed table.

How names are compared
----------------------
1. The OpenRefine *fingerprint* (:func:`fingerprint`): case folded, accents
   and punctuation removed, unique tokens sorted. Names with the same
   fingerprint are grouped.
2. The *core* (:func:`core`): the fingerprint without words that do not
   tell organisations apart (articles and prepositions in the main EU
   languages, and the "degli Studi" of Italian universities). Names with the
   same core are grouped.
3. Fuzzy matching of cores with rapidfuzz ``token_sort_ratio`` (0-100) at or
   above a threshold (default 90), compared only within blocks of names
   sharing one of their two rarest tokens, so 35,000 names take seconds. A
   pair is kept only when the words one name has and the other lacks are
   spelling variants of the other's (``fuzz.ratio`` >= 88), or added legal
   forms or words of three letters or fewer: "Plunge District Municipality"
   and "Utena District Municipality" stay apart.

Example
-------
>>> fingerprint("Max-Planck-Gesellschaft") == fingerprint("Max Planck Gesellschaft")
True
>>> similar_groups({"Università di Bologna": 3, "Universita' degli Studi di Bologna": 1, "Comune di Milano": 2})
[['Università di Bologna', "Universita' degli Studi di Bologna"]]
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict

import pandas as pd
from rapidfuzz import fuzz, process

from .read import Participations, read_participations

__all__ = [
    "DEFAULT_THRESHOLD",
    "aliases_csv",
    "core",
    "fingerprint",
    "similar_groups",
    "suggested_aliases",
    "summary_lines",
    "validation_report",
]

DEFAULT_THRESHOLD = 90
_PUNCTUATION = re.compile(r"[\W_]+")
_FILLER = frozenset(
    "a al als an and at d da de degli dei del della delle der des di die du e el en et for fur i il "
    "l la le les los of per s the to und van von y zu zum zur studi".split()
)
# Words that may differ between two spellings of one organisation (with any word of 3 letters or fewer).
_LEGAL_FORMS = frozenset("gmbh ggmbh mbh ag kg og ev ltd limited inc corp plc llc oy ab as sa sas sl slu srl spa sarl "
                         "scarl scrl onlus asbl aisbl bv nv bvba kft doo sro zoo".split())
_MAX_BLOCK = 2_000  # names sharing a token this common are compared by fingerprint only


def fingerprint(name: str) -> str:
    """The OpenRefine fingerprint key of a name.

    >>> fingerprint("  Università di  Bologna ")
    'bologna di universita'
    """
    # compatibility forms first ("𝕬" is "A"), then casefold ("Straße" = "STRASSE"), then accents apart
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(sorted(set(_PUNCTUATION.sub(" ", text).split())))


def core(name: str) -> str:
    """The fingerprint without filler words (articles, prepositions, "studi").

    >>> core("Universita' degli Studi di Bologna")
    'bologna universita'
    """
    tokens = fingerprint(name).split()
    kept = [t for t in tokens if t not in _FILLER]
    if not any(len(t) > 3 for t in kept):  # "A E B SPA": initials are all there is to compare
        kept = tokens
    return " ".join(kept)


def similar_groups(counts: dict[str, int], threshold: int = DEFAULT_THRESHOLD) -> list[list[str]]:
    """Groups of names that probably mean the same organisation, most frequent spelling first.

    Parameters
    ----------
    counts : dict
        Each distinct name and how often it occurs (its number of rows).
    threshold : int
        The lowest rapidfuzz ``token_sort_ratio`` (0-100) of two cores grouped
        together; 100 groups equal cores only.

    Returns
    -------
    list of list of str
        Groups of two or more names, each sorted by count (then name), the
        groups sorted by their first name.

    Examples
    --------
    >>> similar_groups({"Plunge District Municipality": 2, "Utena District Municipality": 1,
    ...                 "Airbus Defence and Space SAS": 1, "AIRBUS DEFENCE & SPACE": 3})
    [['AIRBUS DEFENCE & SPACE', 'Airbus Defence and Space SAS']]
    """
    names = [n for n in counts if n.strip()]
    parent = list(range(len(names)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_core = defaultdict(list)
    for i, name in enumerate(names):
        key = core(name)
        if key:  # a name of punctuation only ("???") is like no other
            by_core[key].append(i)
    cores = list(by_core)
    for members in by_core.values():
        for j in members[1:]:
            union(members[0], j)
    if threshold < 100 and len(cores) > 1:
        frequency = Counter(t for c in cores for t in c.split())
        blocks = defaultdict(list)
        for k, c in enumerate(cores):
            for token in sorted(c.split(), key=lambda t: (frequency[t], t))[:2]:
                blocks[token].append(k)
        for members in blocks.values():
            if len(members) < 2 or len(members) > _MAX_BLOCK:
                continue
            texts = [cores[k] for k in members]
            scores = process.cdist(texts, texts, scorer=fuzz.token_sort_ratio, score_cutoff=threshold,
                                   dtype="uint8", workers=1)
            for a, b in zip(*scores.nonzero()):
                if a < b and _same_words(texts[a], texts[b]):
                    union(by_core[cores[members[a]]][0], by_core[cores[members[b]]][0])
    groups = defaultdict(list)
    for i, name in enumerate(names):
        groups[find(i)].append(name)
    found = [sorted(g, key=lambda n: (-counts[n], n)) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: g[0])


def _same_words(a: str, b: str) -> bool:
    """True when two cores differ only by spelling variants of words, or by added short words and legal forms.

    >>> _same_words("airbus defence sa space", "airbus defence sas space")
    True
    >>> _same_words("administration district municipality plunge", "administration district municipality utena")
    False
    """
    left, right = set(a.split()), set(b.split())
    only_left, only_right = left - right, right - left
    unmatched = []
    for words, others in ((only_left, only_right), (only_right, only_left)):
        unmatched.append([w for w in words if w not in _LEGAL_FORMS
                          and not any(fuzz.ratio(w, other) >= 88 for other in others)])
    if unmatched[0] and unmatched[1]:  # a word replaced by another: two organisations
        return False
    return all(len(w) <= 3 for w in unmatched[0] + unmatched[1])  # "AIN. Asociación...", "PI Anykščiai..."


def aliases_csv(groups: list[list[str]]) -> str:
    """The ``name,canonical`` table of groups (the first name of each is the canonical one).

    >>> print(aliases_csv([["Max Planck Gesellschaft", "Max-Planck-Gesellschaft"]]), end="")
    name,canonical
    Max-Planck-Gesellschaft,Max Planck Gesellschaft
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "canonical"])
    for group in groups:
        for name in group[1:]:
            writer.writerow([name, group[0]])
    return out.getvalue()


def validation_report(source, *, threshold: int = DEFAULT_THRESHOLD, **read_options) -> dict:
    """Read ``source`` as :func:`ecosys.read_participations` does and report on the data's quality.

    The report (a JSON-ready dict) gives the rows read and skipped (line and
    reason), repeated pairs, blank ids, ids with several names, names with
    several ids, ids missing from the partner/project tables, and the groups
    of similar partner names (``similar_names``, canonical spelling first).

    >>> import io
    >>> data = b"org,project\\nMax Planck Gesellschaft,P1\\nMax-Planck-Gesellschaft,P2\\n,P3\\n"
    >>> r = validation_report(io.BytesIO(data))
    >>> r["rows_read"], r["skipped"], r["similar_names"][0]["canonical"]
    (3, [{'line': 4, 'reason': 'blank partner or project'}], 'Max Planck Gesellschaft')
    """
    p = read_participations(source, **read_options)
    read = p.report
    word = read.word
    table = p.table
    skipped = [{word: b.line, "reason": b.reason} for b in read.bad_lines]
    skipped += [{word: r, "reason": "blank partner or project"} for r in read.blank_rows]
    skipped.sort(key=lambda s: s[word])
    report = {
        "input": p.source,
        "dataset": p.name,
        "format": p.format,
        "encoding": p.encoding,
        "separator": p.separator,
        "partner_column": p.partner_column,
        "project_column": p.project_column,
        "partner_label": p.partner_label,
        "project_label": p.project_label,
        "rows_read": p.rows_read,
        "participations": len(table),
        "partners": int(table["partner"].nunique()),
        "projects": int(table["project"].nunique()),
        "skipped": skipped,
        "duplicates": {"count": p.duplicate_rows, f"{word}s": list(read.repeated_pairs)},
        "blank_ids": [{"table": p.source, f"{word}s": list(read.blank_rows)}] + [
            {"table": t.table, f"{t.word}s": list(t.blank_ids)} for t in read.joined if t.blank_ids
        ],
        "attribute_tables": [
            {"table": t.table, "side": t.side, "id_column": t.id_column, "label_column": t.label_column,
             "rows": t.rows, "repeated_ids": len(t.repeated_ids), "unmatched_ids": len(t.unmatched_ids),
             "unmatched_first": list(t.unmatched_ids[:10])}
            for t in read.joined
        ],
    }
    for side in ("partner", "project"):
        several_names, several_ids = _id_name_conflicts(p, side)
        report[f"{side}_ids_with_several_names"] = several_names
        report[f"{side}_names_with_several_ids"] = several_ids
    names = table[p.partner_label] if p.partner_label else table["partner"]
    counts = names[names != ""].value_counts().to_dict()
    groups = similar_groups(counts, threshold)
    report["similarity"] = {"method": "fingerprint, core, rapidfuzz token_sort_ratio", "threshold": threshold,
                            "names": len(counts), "compared": "partner_label" if p.partner_label else "partner"}
    report["similar_names"] = [
        {"canonical": g[0], "names": [{"name": n, "rows": int(counts[n])} for n in g]} for g in groups
    ]
    report["warnings"] = list(p.warnings)
    return report


def _id_name_conflicts(p: Participations, side: str) -> tuple[list, list]:
    """Ids spelled with several names, and names carried by several ids (both sorted).

    The names are those of the table, of every row read (repeats included)
    where the participation table has a label column, and of every row of a
    joined partner or project table whose ids repeat (where they do not, each
    id has the one name joined into the table).
    """
    label = p.partner_label if side == "partner" else p.project_label
    if label is None:
        return [], []
    frames = [p.table[[side, label]].set_axis([side, "label"], axis=1)]
    if side in p.report.labels:
        frames.append(p.report.labels[side].set_axis([side, "label"], axis=1))
    for t in p.report.joined:
        if t.side == side and t.repeated_ids and t.labels is not None:
            frames.append(t.labels.set_axis([side, "label"], axis=1))
    pairs = pd.concat(frames, ignore_index=True)
    pairs["label"] = pairs["label"].map(lambda name: " ".join(name.split()))  # spaces are not another name
    pairs = pairs[(pairs["label"] != "") & (pairs[side] != "")].drop_duplicates()
    names = pairs.groupby(side)["label"].agg(sorted)
    ids = pairs.groupby("label")[side].agg(sorted)
    several_names = [{"id": k, "names": v} for k, v in names.items() if len(v) > 1]
    several_ids = [{"name": k, "ids": v} for k, v in ids.items() if len(v) > 1]
    return several_names, several_ids


def summary_lines(report: dict) -> list[str]:
    """The report in a few lines for the terminal."""
    word = "rows" if report["format"] == "xlsx" else "lines"
    lines = [
        f"Read {report['input']}: {report['rows_read']:,} rows; {len(report['skipped']):,} skipped; "
        f"{report['duplicates']['count']:,} repeated pairs; {report['partners']:,} partners, "
        f"{report['projects']:,} projects, {report['participations']:,} participations",
    ]
    if report["skipped"]:
        first = ", ".join(f"{s.get('line', s.get('row'))} ({s['reason']})" for s in report["skipped"][:5])
        lines.append(f"Skipped {word}: {first}{' ...' if len(report['skipped']) > 5 else ''}")
    for t in report["attribute_tables"]:
        lines.append(f"Joined {t['table']} on '{t['id_column']}' ({t['side']}s): {t['repeated_ids']:,} repeated ids, "
                     f"{t['unmatched_ids']:,} ids missing")
    for side in ("partner", "project"):
        a, b = report[f"{side}_ids_with_several_names"], report[f"{side}_names_with_several_ids"]
        if a or b:
            lines.append(f"{side.capitalize()} ids with several names: {len(a):,}; names with several ids: {len(b):,}")
    groups = report["similar_names"]
    example = f", e.g. {' / '.join(repr(n['name']) for n in groups[0]['names'][:3])}" if groups else ""
    lines.append(f"Similar partner names: {len(groups):,} groups of {sum(len(g['names']) for g in groups):,} "
                 f"names{example}")
    return lines


def suggested_aliases(report: dict) -> str:
    """The ``name,canonical`` CSV of a report's similar names, for a person to review.

    >>> report = {"similar_names": [{"canonical": "UniBo", "names": [{"name": "UniBo", "rows": 3},
    ...                                                              {"name": "UNIBO", "rows": 1}]}]}
    >>> print(suggested_aliases(report), end="")
    name,canonical
    UNIBO,UniBo
    """
    return aliases_csv([[n["name"] for n in g["names"]] for g in report["similar_names"]])
