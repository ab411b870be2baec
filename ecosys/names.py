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

from .namefacts import NameFacts, fact_columns, name_facts
from .read import Participations, input_details, read_participations
from .read.aliases import REVIEW_COLUMNS
from .safe import guard_formula
from .read.messages import quoted

__all__ = [
    "DEFAULT_THRESHOLD",
    "TYPO_RATIO",
    "aliases_csv",
    "canonical",
    "core",
    "fingerprint",
    "similar_groups",
    "suggested_aliases",
    "summary_lines",
    "validation_report",
    "well_formed",
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
TYPO_RATIO = 5  # a word is a typo of a close word used in this many times more names


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
    return _core_of(fingerprint(name))


def _core_of(printed: str) -> str:
    """:func:`core` of a name whose fingerprint is ``printed``."""
    tokens = printed.split()
    kept = [t for t in tokens if t not in _FILLER]
    if not any(len(t) > 3 for t in kept):  # "A E B SPA": initials are all there is to compare
        kept = tokens
    return " ".join(kept)


def similar_groups(counts: dict[str, int], threshold: int = DEFAULT_THRESHOLD,
                   facts: dict | None = None) -> list[list[str]]:
    """Groups of names that probably mean the same organisation, canonical spelling first.

    Parameters
    ----------
    counts : dict
        Each distinct name and how often it occurs (its number of rows).
    threshold : int
        The lowest rapidfuzz ``token_sort_ratio`` (0-100) of two cores grouped
        together; 100 groups equal cores only.
    facts : dict, optional
        What tells organisations apart, per name: ``{name: {tag: {values}}}``,
        such as ``{"country": {"it"}, "pic": {"999984059"}}``
        (:func:`name_facts` makes it). A group never holds two values of one
        tag: names whose countries differ, or that each carry their own
        registry id, are never grouped (the closest pairs are grouped first).
        Tags other than ``country`` are ids: on a tie in rows, a name with
        one is the canonical spelling.

    Returns
    -------
    list of list of str
        Groups of two or more names, each with its canonical spelling first
        (:func:`canonical`), then by count (then name); the groups sorted by
        their canonical name.

    Examples
    --------
    >>> similar_groups({"Plunge District Municipality": 2, "Utena District Municipality": 1,
    ...                 "Airbus Defence and Space SAS": 1, "AIRBUS DEFENCE & SPACE": 3})
    [['AIRBUS DEFENCE & SPACE', 'Airbus Defence and Space SAS']]
    >>> similar_groups({"AIRBUS DEFENCE AND SPACE SA": 2, "AIRBUS DEFENCE AND SPACE SAS": 1},
    ...                facts={"AIRBUS DEFENCE AND SPACE SA": {"country": {"es"}},
    ...                       "AIRBUS DEFENCE AND SPACE SAS": {"country": {"fr"}}})
    []
    """
    names = [n for n in counts if n.strip()]
    parent = list(range(len(names)))
    known_ids = {n: [tag for tag, values in v.items() if values] for n, v in (facts or {}).items()}
    known = [{tag: set(values) for tag, values in (facts or {}).get(n, {}).items() if values} for n in names]

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j) -> bool:
        """Join the groups of names i and j unless that would put two values of one tag together."""
        a, b = find(i), find(j)
        if a == b:
            return True
        merged = {}
        for tag in known[a].keys() | known[b].keys():
            merged[tag] = known[a].get(tag, set()) | known[b].get(tag, set())
            if len(merged[tag]) > 1:
                return False
        root, child = min(a, b), max(a, b)
        parent[child] = root
        known[root] = merged
        return True

    prints = [fingerprint(n) for n in names]  # once each: the cores and the vocabulary come from them
    by_core = defaultdict(list)
    for i, printed in enumerate(prints):
        key = _core_of(printed)
        if key:  # a name of punctuation only ("???") is like no other
            by_core[key].append(i)
    for members in by_core.values():  # the most frequent spellings first
        members.sort(key=lambda i: (-counts[names[i]], names[i]))
    cores = list(by_core)
    for members in by_core.values():
        for position, j in enumerate(members[1:], start=1):
            any(union(i, j) for i in members[:position])
    if threshold < 100 and len(cores) > 1:
        frequency = Counter(t for c in cores for t in c.split())
        blocks = defaultdict(list)
        for k, c in enumerate(cores):
            for token in sorted(c.split(), key=lambda t: (frequency[t], t))[:2]:
                blocks[token].append(k)
        pairs = set()
        for members in blocks.values():
            if len(members) < 2 or len(members) > _MAX_BLOCK:
                continue
            texts = [cores[k] for k in members]
            scores = process.cdist(texts, texts, scorer=fuzz.token_sort_ratio, score_cutoff=threshold,
                                   dtype="uint8", workers=1)
            for a, b in zip(*scores.nonzero()):
                if a < b and _same_words(texts[a], texts[b]):
                    ka, kb = sorted((members[a], members[b]))
                    pairs.add((-int(scores[a, b]), ka, kb))
        for _, ka, kb in sorted(pairs):  # the closest pairs first
            for i in by_core[cores[ka]]:
                for j in by_core[cores[kb]]:
                    union(i, j)
    groups = defaultdict(list)
    for i, name in enumerate(names):
        groups[find(i)].append(name)
    vocabulary = Counter(t for printed in prints for t in printed.split())
    found = []
    for group in groups.values():
        if len(group) > 1:
            group = sorted(group, key=lambda n: (-counts[n], n))
            first = canonical(group, counts, vocabulary, [n for n in group if set(known_ids.get(n, ())) - {"country"}])
            found.append([first] + [n for n in group if n != first])
    return sorted(found, key=lambda g: g[0])


_QUOTES = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u201a\u2039\u203a`"
_STRAY = "*_,;:/\\|#~^-"  # a name does not start or end with these
_DAMAGED = re.compile("\ufffd|\u00c3[\u0080-\u00bf]|\u00c2[\u00a0-\u00bf]|\u00e2\u20ac")  # U+FFFD, mojibake


def well_formed(name: str, others=(), vocabulary: Counter | None = None) -> bool:
    """True for a name written as one would want it kept: no stray quotes, punctuation, damage or typo.

    Not well formed: a name wrapped in quotes (``"Wiener Kinderfreunde"``) or
    with an odd number of double quotes or unbalanced parentheses; starting
    or ending with ``*``, ``-``, ``,``...; with a replacement character or
    UTF-8 read as Latin-1 (``Ã©``); or with an obvious typo: a word (four
    letters or more) close to a word of one of ``others`` (rapidfuzz ratio
    80 or more) that ``vocabulary`` (word -> names using it) shows
    :data:`TYPO_RATIO` times as often (``Lahti Univercity`` beside ``Lahti
    University``; not French ``projets`` beside English ``projects``, 2
    names to 7 in CORDIS).

    >>> well_formed('"Wiener Kinderfreunde"'), well_formed("THE OPEN UNIVERSITY*"), well_formed("Quantis S\ufffdrl")
    (False, False, False)
    >>> well_formed('Kirchgemeinde "St. Johannis"'), well_formed("Universita' di Bologna")
    (True, True)
    >>> well_formed("Lahti Univercity", ["Lahti University"], Counter({"university": 40, "univercity": 1}))
    False
    """
    text = name.strip()
    if not text or _DAMAGED.search(text):
        return False
    if (text[0] in _QUOTES and text[-1] in _QUOTES) or text[0] in _STRAY or text[-1] in _STRAY:
        return False
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        return False
    if vocabulary:
        words = [w for w in fingerprint(text).split() if len(w) >= 4 and w.isalpha()]
        for other in others:
            for v in fingerprint(other).split():
                for w in words:
                    if v != w and len(v) >= 4 and vocabulary[v] >= TYPO_RATIO * max(vocabulary[w], 1) \
                            and fuzz.ratio(w, v) >= 80:
                        return False
    return True


def canonical(group: list[str], counts: dict, vocabulary: Counter | None = None, ids=()) -> str:
    """The canonical spelling of a group: the most frequent well-formed one (:func:`well_formed`; ties: one
    of ``ids``, the names carrying a registry id, then the first in ``group``), else the most frequent.

    >>> canonical(['"Wiener Kinderfreunde"', "Wiener Kinderfreunde"], {'"Wiener Kinderfreunde"': 3, "Wiener Kinderfreunde": 1})
    'Wiener Kinderfreunde'
    """
    order = sorted(group, key=lambda n: (-counts[n], n not in ids))
    for name in order:
        if well_formed(name, [n for n in group if n != name], vocabulary):
            return name
    return order[0]


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


def aliases_csv(groups: list[list[str]], facts: dict | None = None) -> str:
    """The ``name,canonical`` table of groups (the first name of each is the canonical one).

    With ``facts`` (:func:`name_facts`), each group starts with its canonical
    spelling's own row, and every row says the name's ``country``, ``id``,
    ``rows`` and example ``projects`` for the reviewer (``--aliases`` leaves
    them aside: :data:`ecosys.read.aliases.REVIEW_COLUMNS`). Names a
    spreadsheet would take for a formula are written after an apostrophe.

    >>> print(aliases_csv([["Max Planck Gesellschaft", "Max-Planck-Gesellschaft"]]), end="")
    name,canonical
    Max-Planck-Gesellschaft,Max Planck Gesellschaft
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "canonical", *(REVIEW_COLUMNS if facts is not None else ())])
    for group in groups:
        for name in group if facts is not None else group[1:]:
            row = [guard_formula(name), guard_formula(group[0])]
            if facts is not None:
                f = facts.get(name) or NameFacts(0)
                row += [guard_formula(f.country), guard_formula(f.id), f.rows, guard_formula("; ".join(f.projects))]
            writer.writerow(row)
    return out.getvalue()


def validation_report(source, *, threshold: int = DEFAULT_THRESHOLD, **read_options) -> dict:
    """Read ``source`` as :func:`ecosys.read_participations` does and report on the data's quality.

    The report (a JSON-ready dict) gives the rows read and skipped (line and
    reason), repeated pairs, blank ids, ids with several names, names with
    several ids, ids missing from the partner/project tables, how reading
    sorted the attributes (those taken by majority, with the partners whose
    rows differ) and read numbers, and the groups of similar partner names
    (``similar_names``, canonical spelling first, each name with its rows,
    country, registry id and example projects; names of two countries or two
    registry ids are never grouped).

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
            {"table": t.table, f"{word}s": list(t.blank_ids)} for t in read.joined if t.blank_ids
        ],
        "attribute_tables": [
            {"table": t.table, "side": t.side, "id_column": t.id_column, "label_column": t.label_column,
             "rows": t.rows, "repeated_ids": len(t.repeated_ids), "unmatched_ids": len(t.unmatched_ids),
             "unmatched_first": list(t.unmatched_ids[:10])}
            for t in read.joined
        ],
        "attributes": {"partner": list(p.partner_attributes), "project": list(p.project_attributes),
                       "participation": list(p.edge_attributes)},
        **input_details(p),
    }
    for side in ("partner", "project"):
        several_names, several_ids = _id_name_conflicts(p, side)
        report[f"{side}_ids_with_several_names"] = several_names
        report[f"{side}_names_with_several_ids"] = several_ids
    facts = name_facts(p)
    country, id_columns = fact_columns(p)
    counts = {name: f.rows for name, f in facts.items()}
    groups = similar_groups(counts, threshold, facts={name: f.apart for name, f in facts.items()})
    report["similarity"] = {"method": "fingerprint, core, rapidfuzz token_sort_ratio", "threshold": threshold,
                            "names": len(counts), "compared": "partner_label" if p.partner_label else "partner",
                            "never_grouped": {"country_column": country, "id_columns": id_columns}}
    report["similar_names"] = [{"canonical": g[0], "names": [facts[n].as_dict(n) for n in g]} for g in groups]
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
    names = pairs.groupby(side, observed=True)["label"].agg(sorted)  # keys may be categories: only those met
    ids = pairs.groupby("label", observed=True)[side].agg(sorted)
    several_names = [{"id": k, "names": v} for k, v in names.items() if len(v) > 1]
    several_ids = [{"name": k, "ids": v} for k, v in ids.items() if len(v) > 1]
    return several_names, several_ids


def summary_lines(report: dict) -> list[str]:
    """The report in a few lines for the terminal.

    Examples
    --------
    >>> import io
    >>> table = b"project,partner\\nP1,Comune di Milano\\nP1,Universita di Bologna\\nP2,Universita' di Bologna\\n"
    >>> for line in summary_lines(validation_report(io.BytesIO(table))):
    ...     print(line)
    Read <stdin>: 3 rows; 0 skipped; 0 repeated pairs; 3 partners, 2 projects, 3 participations
    Similar partner names: 1 group of 2 names, e.g. 'Universita di Bologna' (1 row) / 'Universita' di Bologna' (1 row)
    """
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
    for column, side in report.get("attribute_sides", {}).items():
        kind = side["side"]
        how = "by majority" if side["by"] == "majority" else "as asked" if side["by"] == "option" else "after the aliases"
        differing = side.get(f"{kind}s_differing", 0)
        lines.append(f"{quoted(column)}: a {kind} attribute {how}; its rows differ within {differing:,} of "
                     f"{side.get(f'{kind}s_with_two_rows_or_more', 0):,} {kind}s (each takes its most frequent value)")
    groups = report["similar_names"]
    example = ""
    if groups:
        shown = []
        for n in groups[0]["names"][:3]:
            parts = [quoted(x)[1:-1] for x in (n.get("country"), n.get("id")) if x]  # escaped, unquoted
            parts.append(f"{n['rows']:,} row{'s' if n['rows'] != 1 else ''}")
            shown.append(f"{quoted(n['name'])} ({', '.join(parts)})")
        example = f", e.g. {' / '.join(shown)}"
    never = report.get("similarity", {}).get("never_grouped", {})
    apart = [f"countries ({quoted(never['country_column'])})"] if never.get("country_column") else []
    apart += [f"ids ({quoted(c)})" for c in never.get("id_columns", [])]
    lines.append(f"Similar partner names: {len(groups):,} group{'s' if len(groups) != 1 else ''} of "
                 f"{sum(len(g['names']) for g in groups):,} "
                 f"names{example}" + (f"; names of two {' or two '.join(apart)} never grouped" if apart else ""))
    return lines


def suggested_aliases(report: dict) -> str:
    """The CSV of a report's similar names for a person to review: ``name,canonical`` and, for the
    reviewer, each name's ``country``, ``id``, ``rows`` and example ``projects`` (``--aliases`` reads
    the first two; see :func:`aliases_csv`).

    >>> report = {"similar_names": [{"canonical": "UniBo", "names": [
    ...     {"name": "UniBo", "rows": 3, "country": "IT", "id": "", "projects": ["P1", "P2"]},
    ...     {"name": "UNIBO", "rows": 1, "country": "IT", "id": "", "projects": ["P3"]}]}]}
    >>> print(suggested_aliases(report), end="")
    name,canonical,country,id,rows,projects
    UniBo,UniBo,IT,,3,P1; P2
    UNIBO,UniBo,IT,,1,P3
    """
    groups, facts = [], {}
    for g in report["similar_names"]:
        groups.append([n["name"] for n in g["names"]])
        for n in g["names"]:
            facts[n["name"]] = NameFacts(n["rows"], tuple(filter(None, [n.get("country", "")])),
                                         tuple(filter(None, [n.get("id", "")])), tuple(n.get("projects", ())))
    return aliases_csv(groups, facts)
