"""benchmarks/generate.py: the synthetic H2020-shaped tables the scale benchmark runs on."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import COLUMNS, generate  # noqa: E402

from ecosys.read import read_participations  # noqa: E402


def test_exact_rows_same_bytes_for_a_seed_and_gzip_holds_the_same(tmp_path):
    a = generate(30_000, tmp_path / "a.csv", seed=1)
    b = generate(30_000, tmp_path / "b.csv.gz", seed=1)
    assert a.read_bytes() == gzip.decompress(b.read_bytes())
    assert generate(30_000, tmp_path / "c.csv", seed=2).read_bytes() != a.read_bytes()
    lines = a.read_text().splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 1 + 30_000


def test_shaped_like_h2020(tmp_path):
    t = pd.read_csv(generate(150_000, tmp_path / "t.csv"), dtype={"contribution": str})
    assert not t.duplicated(["rcn", "pic"]).any()
    size = t.groupby("rcn").size()
    activity = t.groupby("pic").size()
    assert 0.55 < (size == 1).mean() < 0.65 and size.max() <= 400 and 50 <= (size > 40).sum() <= 200
    assert 4.0 < len(t) / len(size) < 5.0  # H2020: 4.6 rows per project
    assert 6 < (size * (size - 1) // 2).sum() / len(t) < 10  # H2020: 7.5 pairs per row
    assert activity.median() <= 2 and activity.max() > 300  # heavy-tailed: most once or twice, a few in hundreds
    assert (t.groupby("pic")[["type", "country", "group"]].nunique() == 1).all().all()  # partner attributes
    assert (t.groupby("rcn")["nunique"].first() == size).all()
    assert set(t["role"]) == {"coordinator", "participant", "partner"}
    assert t.loc[t["role"] == "partner", "contribution"].isna().all()


def test_ecosys_reads_it_as_it_reads_h2020(tmp_path):
    p = read_participations(generate(2_000, tmp_path / "g.csv.gz"))
    assert (p.partner_column, p.project_column, p.rows_read) == ("pic", "rcn", 2_000)
    assert {"type", "country", "group"} <= set(p.partner_attributes)
    assert {"start_date", "total_cost", "nunique"} <= set(p.project_attributes)
    assert np.isin(["role", "contribution"], p.edge_attributes).all()
