"""Would a small learned scorer, trained on the development set only, make `ecosys extract` better?

    PYTHONPATH=$PWD python3 benchmarks/extract_scorer.py             # cross-validation by document on dev
    PYTHONPATH=$PWD python3 benchmarks/extract_scorer.py blind2      # then train on all of dev, apply to a set

Each proposal of the rules (one row of the candidates table) becomes a vector of features the rules already
compute (what found the name, what gave its role, the role, the type, the name's shape, how often the document
names it, how many proposals the document has) and is labelled right or wrong against the expected table,
by the matching of benchmarks/extract_quality.py. A logistic regression (pure numpy, L2, full-batch gradient
descent from zeros: the same weights every run) learns which proposals are wrong; proposals it scores below a
threshold are dropped. The threshold is chosen in the cross-validation (five folds of whole documents), and
the figures reported are those of the held-out folds only. The scorer can only drop proposals, so it can only
trade recall for precision.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import extract_quality as q  # noqa: E402
from ecosys.extract import extract  # noqa: E402

ROLES = ["coordinator", "partner", "funder", "promoter", "implementing body", "other"]


def _rule_parts(rule: str) -> tuple[str, str]:
    how, _, why = rule.partition(";")
    return re.sub(r"'.*", "", how).strip(), re.sub(r"'.*", "", why).strip()


def rows(paths, expected: dict | None):
    """(features dict, label or None, source, partner) for every proposal of the rules on ``paths``."""
    table = extract(paths).table
    words = q._type_words()
    out = []
    for source, group in table.groupby("source", sort=True):
        exp = (expected or {}).get(source, {})
        n_docs = len(set(group["partner"]))
        for partner, g in group.groupby("partner", sort=True):
            r = g.iloc[0]
            how, why = _rule_parts(r["rule"])
            name = str(partner)
            f = {f"how={how}": 1.0, f"why={why}": 1.0, f"role={r['role']}": 1.0, f"type={r['type'] or '-'}": 1.0,
                 "words": min(len(name.split()), 8) / 8, "caps": float(name.replace(" ", "").isupper()),
                 "lower": float(name[:1].islower()), "digit": float(any(c.isdigit() for c in name)),
                 "rows": math.log1p(len(g)), "proposals": math.log1p(n_docs),
                 "in_evidence": float(name.lower() in str(r["evidence"]).lower()),
                 "programme": float(bool(r["programme"])), "bias": 1.0}
            label = None if expected is None else float(any(q.same(name, e, words) for e in exp))
            out.append((f, label, source, name))
    return out


def matrix(data, vocab):
    x = np.zeros((len(data), len(vocab)))
    for i, (f, *_rest) in enumerate(data):
        for k, v in f.items():
            if k in vocab:
                x[i, vocab[k]] = v
    return x


def train(x, y, l2=1.0, steps=3000, rate=0.5):
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w -= rate * (x.T @ (p - y) / len(y) + l2 * w / len(y))
    return w


def figures(data, keep, expected):
    """Recall and precision on distinct organisations when only the ``keep`` proposals stay."""
    words = q._type_words()
    got: dict = {}
    for (f, label, source, name), k in zip(data, keep):
        if k:
            got.setdefault(source, set()).add(name)
    total = sum(len(v) for v in expected.values())
    found = sum(any(q.same(g, e, words) for g in got.get(s, ())) for s, exp in expected.items() for e in exp)
    proposed = sum(len(v) for v in got.values())
    right = sum(any(q.same(g, e, words) for e in expected.get(s, {})) for s, v in got.items() for g in v)
    return found, total, right, proposed


def main() -> None:
    dev_expected = q.expected_table(q.DEV / "dev_expected.csv")
    dev = rows([q.DEV / "dev"], dev_expected)
    vocab = {k: i for i, k in enumerate(sorted({k for f, *_ in dev for k in f}))}
    x, y = matrix(dev, vocab), np.array([r[1] for r in dev])
    docs = sorted({r[2] for r in dev})
    fold = np.array([docs.index(r[2]) % 5 for r in dev])
    scores = np.zeros(len(dev))
    for k in range(5):
        w = train(x[fold != k], y[fold != k])
        scores[fold == k] = 1 / (1 + np.exp(-x[fold == k] @ w))
    f0, t0, r0, p0 = figures(dev, [True] * len(dev), dev_expected)
    print(f"dev, rules alone: recall {f0}/{t0} = {f0 / t0:.1%}, precision {r0}/{p0} = {r0 / p0:.1%}")
    best = None
    for threshold in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        f, t, r, p = figures(dev, scores >= threshold, dev_expected)
        f1 = 2 * (f / t) * (r / p) / ((f / t) + (r / p))
        print(f"dev, 5-fold by document, threshold {threshold}: recall {f}/{t} = {f / t:.1%}, "
              f"precision {r}/{p} = {r / p:.1%}, F1 {f1:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, threshold)
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    if only:
        w = train(x, y)
        for name in only:
            folder = {"held-out": "heldout"}.get(name, name)
            exp = q.expected_table(q.DEV / f"{folder}_expected.csv")
            data = rows([q.DEV / folder], exp)
            s = 1 / (1 + np.exp(-matrix(data, vocab) @ w))
            for label, keep in (("rules alone", [True] * len(data)), (f"with the scorer at {best[1]}", s >= best[1])):
                f, t, r, p = figures(data, keep, exp)
                print(f"{name}, {label}: recall {f}/{t} = {f / t:.1%}, precision {r}/{p} = {r / p:.1%}")


if __name__ == "__main__":
    main()
