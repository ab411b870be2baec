"""How many of the expected partners `ecosys extract` finds, and how many of its proposals are right.

    PYTHONPATH=$PWD python3 benchmarks/extract_quality.py seeds dev          # with every miss and wrong proposal
    PYTHONPATH=$PWD python3 benchmarks/extract_quality.py held-out --totals  # the figures only
    PYTHONPATH=$PWD python3 benchmarks/extract_quality.py blind2 --totals    # the fifth round's blind sets

Counted per document on distinct organisations: recall = expected organisations found / expected;
precision = proposed organisations that are expected / proposed. A proposal matches an expected name
when the two are the same after the fingerprint of ``ecosys.names`` (case, accents, punctuation,
word order, filler words such as "degli Studi"; an abbreviated type word at the start written in full,
"Ass. X" = "Associazione X"), when they are the same letters without spaces
("Lega COOP" / "Legacoop"), or when one's words are all in the other and cover at least half of them,
with at least one word that is not a type word ("Dipartimento Attività Culturali" /
"Roma Capitale - Dipartimento Attività Culturali"; but "Università" never matches "Università di Pisa"), or
when one is written with an acronym in brackets and the other is the name or the acronym alone
("Consiglio nazionale delle ricerche (Cnr)" / "Consiglio nazionale delle ricerche" or "Cnr").

Roles are scored apart: of the expected organisations found, how many were proposed with the
expected role (for the development and held-out sets, whose tables use ecosys's roles; see
tests/extract_dev/GUIDE.md for how those tables were written).

The seeds' expected table is the demo dataset (data/italian-social-innovation.csv). Its 16
Formez-FIS-project rows are an inference of the person who built it, not written in the text: they
are one organisation (Formez) in document 001, counted once, found if Formez is proposed for that
document; pairs are not scored.
"""

from __future__ import annotations

import csv
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ecosys.extract import extract  # noqa: E402
from ecosys.extract.resources import key, load, spelled_out  # noqa: E402
from ecosys.names import core  # noqa: E402

SEEDS = ROOT.parent / "shared" / "sources"
DEV = ROOT / "tests" / "extract_dev"


def _type_words() -> set:
    return {w for phrase in load("it").organisations for w in phrase.split()}


def same(a: str, b: str, type_words: set) -> bool:
    """Whether a proposed and an expected name mean the same organisation (see the module docstring)."""
    lang = load("it")
    for x, y in ((a, b), (b, a)):  # "Consiglio nazionale delle ricerche (Cnr)": the name, or the acronym in brackets
        inner = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", x.strip())
        if inner and any(core(part) == core(y) for part in inner.groups() if part):
            return True
    a, b = spelled_out(a, lang), spelled_out(b, lang)
    ca, cb = core(a), core(b)
    if ca == cb or re.sub(r"\W", "", key(a)) == re.sub(r"\W", "", key(b)):
        return True
    sa, sb = set(ca.split()), set(cb.split())
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return bool(short) and short <= long_ and len(short) >= math.ceil(len(long_) / 2) and bool(short - type_words)


def expected_table(path: Path) -> dict:
    """``{source: {partner: role}}`` from a table with columns source, partner and role."""
    out: dict = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["source"], {}).setdefault(row["partner"], row.get("role", ""))
    return out


def score(paths, expected: dict) -> dict:
    """Recall and precision of the extraction of ``paths`` against ``{source: {partner}}``."""
    table = extract(paths).table
    proposed = {s: set(g["partner"]) for s, g in table.groupby("source")}
    roles = {(r.source, r.partner): r.role for r in table.itertuples()}
    words = _type_words()
    found = wrong = total = n_proposed = same_role = 0
    misses, extras, other_roles = [], [], []
    for source in sorted(set(expected) | set(proposed)):
        exp, got = expected.get(source, {}), proposed.get(source, set())
        total += len(exp)
        n_proposed += len(got)
        for e in sorted(exp):
            hits = [g for g in sorted(got) if same(g, e, words)]
            if hits:
                found += 1
                if any(roles[(source, g)] == exp[e] for g in hits):
                    same_role += 1
                else:
                    other_roles.append(f"{source}: {e} ({exp[e]}; proposed {roles[(source, hits[0])]})")
            else:
                misses.append(f"{source}: {e}")
        for g in sorted(got):
            if not any(same(g, e, words) for e in exp):
                wrong += 1
                extras.append(f"{source}: {g}")
    return {"expected": total, "found": found, "proposed": n_proposed, "right": n_proposed - wrong,
            "recall": found / total if total else 1.0,
            "precision": (n_proposed - wrong) / n_proposed if n_proposed else 1.0,
            "same_role": same_role, "misses": misses, "extras": extras, "other_roles": other_roles}


def main() -> None:
    sets = [("seeds", sorted(SEEDS.glob("0*.txt")), expected_table(ROOT / "data" / "italian-social-innovation.csv")),
            ("dev", [DEV / "dev"], expected_table(DEV / "dev_expected.csv"))]
    for name, folder in (("held-out", "heldout"), ("blind", "blind"), ("blind2", "blind2")):
        if (DEV / f"{folder}_expected.csv").is_file():
            sets.append((name, [DEV / folder], expected_table(DEV / f"{folder}_expected.csv")))
    args = sys.argv[1:]
    totals = "--totals" in args
    only = [a for a in args if not a.startswith("--")]
    for name, paths, expected in sets:
        if only and name not in only:
            continue
        s = score(paths, expected)
        line = (f"{name}: recall {s['found']}/{s['expected']} = {s['recall']:.1%}, "
                f"precision {s['right']}/{s['proposed']} = {s['precision']:.1%}")
        if name != "seeds":
            line += f", role {s['same_role']}/{s['found']} = {s['same_role'] / max(s['found'], 1):.1%}"
        print(line)
        if totals:
            continue
        for m in s["misses"]:
            print(f"  missed   {m}")
        for e in s["extras"]:
            print(f"  wrong    {e}")
        if name != "seeds":
            for r in s["other_roles"]:
                print(f"  role     {r}")


if __name__ == "__main__":
    main()
