"""Generate a participation table shaped like all of Horizon 2020, of any size, streaming to disk.

    python3 benchmarks/generate.py 1000000 h2020-like-1M.csv        # or .csv.gz
    python3 benchmarks/generate.py 10000000 big.csv.gz --seed 3

The columns are those of CORDIS `h2020.csv.gz` (../shared/data/raw/cordis-h2020-eunets2020),
so ecosys reads both the same way: `rcn` (project), `role`, `pic` (partner), `type`, `contribution`,
`country`, `start_date`, `end_date`, `max_contribution`, `total_cost`, `start_year`, `end_year`,
`duration`, `group`, `nunique`. What matters for the analysis is shaped like H2020 too:

- project sizes: 60% of projects have one partner (grants to one organisation), the others
  1 + a geometric number of partners (mean about 9) up to 40, and about 0.35% are consortia of
  41 to 400 partners (a few of hundreds); 4.4 rows per project and about 7.9 partner pairs per row
  before repeated pairs are merged (H2020: 4.6 and 7.5);
- partner activity: heavy-tailed, partner r drawn with weight 1 / (r + 10)^0.9, so most partners
  appear once or twice and the most active in about 1% of the projects (H2020: median 1, largest
  1,372 projects of 31,451); about 4.5 rows per partner (H2020: 4.0);
- partner attributes (`type`, `country`, `group`) fixed per partner, project attributes (dates,
  amounts, `nunique`) fixed per project, `role` and `contribution` per row.

Rows are written in chunks of projects, so 10 million rows need no more memory than 100,000
(the partner weights, 8 bytes per possible partner, are the only array that grows). The same
rows, seed and numpy give the same file.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["rcn", "role", "pic", "type", "contribution", "country", "start_date", "end_date", "max_contribution",
           "total_cost", "start_year", "end_year", "duration", "group", "nunique"]
TYPES = np.array(["HES", "PRC", "REC", "OTH", "PUB"])
TYPE_SHARES = [0.34, 0.33, 0.20, 0.07, 0.06]
COUNTRIES = np.array(["DE", "UK", "FR", "ES", "IT", "NL", "BE", "SE", "AT", "DK", "FI", "PT", "EL", "IE", "PL",
                      "CZ", "HU", "SI", "RO", "CH", "NO", "IL", "TR", "IS", "US", "CN", "ZA", "BR", "CA", "JP"])
GROUPS = np.array(["eu15"] * 14 + ["eu13"] * 5 + ["ac"] * 4 + ["tc"] * 7)  # of each country above
COUNTRY_WEIGHTS = 1.0 / np.arange(1, len(COUNTRIES) + 1) ** 1.1
SINGLE = 0.60  # share of one-partner projects
GEOMETRIC = 1 / 8  # other projects: 1 + Geometric(1/8) partners, at most 40
LARGE = 0.0035  # share of consortia of 41 to 400 partners (41 + Exponential(mean 30))
ACTIVITY = 0.9  # partner r drawn with weight 1 / (r + 10) ** ACTIVITY
CHUNK = 20_000  # projects generated and written at a time


def project_sizes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Partners drawn for each of ``n`` projects (before repeated draws of a partner are merged)."""
    sizes = np.minimum(1 + rng.geometric(GEOMETRIC, size=n), 40)
    sizes[rng.random(n) < SINGLE] = 1
    large = rng.random(n) < LARGE
    sizes[large] = np.minimum(41 + rng.exponential(30, large.sum()).astype(np.int64), 400)
    return sizes


def generate(rows: int, path: str | Path, seed: int = 0) -> Path:
    """Write a table of ``rows`` participations to ``path`` (gzip-compressed when it ends in .gz)."""
    path = Path(path)
    rng = np.random.default_rng(seed)
    n_partners = max(10, rows // 3)  # possible partners; about 2/3 of them appear
    weights = 1.0 / (np.arange(n_partners) + 10.0) ** ACTIVITY
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    del weights
    opener = gzip.open if path.suffix == ".gz" else open
    written, project = 0, 0
    with opener(path, "wt", encoding="utf-8", newline="") as out:
        out.write(",".join(COLUMNS) + "\n")
        while written < rows:
            sizes = project_sizes(rng, CHUNK)
            members = np.searchsorted(cdf, rng.random(int(sizes.sum())))
            of = np.repeat(np.arange(CHUNK), sizes)
            # one row per distinct (project, partner), in the order drawn
            _, first = np.unique(of * np.int64(n_partners) + members, return_index=True)
            first.sort()
            of, members = of[first], members[first]
            of, members = of[: rows - written], members[: rows - written]
            table = _rows(rng, project + of, members, of)
            columns = [table[c].astype(str).tolist() for c in COLUMNS]  # 2x faster than DataFrame.to_csv
            out.write("".join(",".join(row) + "\n" for row in zip(*columns)))
            written += len(of)
            project += CHUNK
    return path


def _rows(rng: np.random.Generator, project: np.ndarray, partner: np.ndarray, local: np.ndarray) -> pd.DataFrame:
    """The CSV rows of one chunk: ``project`` and ``partner`` numbers per row, ``local`` the project within the chunk."""
    n = local.max() + 1 if len(local) else 0
    size = np.bincount(local, minlength=n)
    start = np.flatnonzero(np.r_[True, local[1:] != local[:-1]]) if len(local) else local
    first = np.zeros(len(local), dtype=bool)
    first[start] = True
    # per project
    year = 2014 + rng.integers(0, 7, n)
    month = rng.integers(1, 13, n)
    duration = rng.choice([12, 24, 36, 48, 60], n, p=[0.1, 0.3, 0.35, 0.15, 0.1])
    end_total = (year * 12 + month - 1) + duration - 1
    end_year, end_month = end_total // 12, end_total % 12 + 1
    cost = np.round(rng.lognormal(13.5, 1.1, n), -3) + 50_000
    funded = np.round(cost * rng.uniform(0.7, 1.0, n), -2)
    # per partner: a hash of its number, so a partner keeps its type and country everywhere
    h = (partner.astype(np.uint64) * np.uint64(2654435761)) % np.uint64(2**32)
    u = h.astype(np.float64) / 2**32
    kind = TYPES[np.searchsorted(np.cumsum(TYPE_SHARES), u, side="right").clip(0, len(TYPES) - 1)]
    country_cdf = np.cumsum(COUNTRY_WEIGHTS) / COUNTRY_WEIGHTS.sum()
    c = np.searchsorted(country_cdf, (u * 7919) % 1.0, side="right").clip(0, len(COUNTRIES) - 1)
    # per row
    role = np.where(first, "coordinator", np.where(rng.random(len(local)) < 0.05, "partner", "participant"))
    share = funded[local] / size[local] * rng.uniform(0.5, 1.5, len(local))
    contribution = np.where(role == "partner", "", np.round(share, 2).astype(str))
    dates = np.char.add(np.char.add(year.astype(str), "-"), np.char.zfill(month.astype(str), 2))
    ends = np.char.add(np.char.add(end_year.astype(str), "-"), np.char.zfill(end_month.astype(str), 2))
    return pd.DataFrame({
        "rcn": 100_000 + project,
        "role": role,
        "pic": 900_000_000 + partner,
        "type": kind,
        "contribution": contribution,
        "country": COUNTRIES[c],
        "start_date": np.char.add(dates, "-01")[local],
        "end_date": np.char.add(ends, "-28")[local],
        "max_contribution": funded[local],
        "total_cost": cost[local],
        "start_year": year[local],
        "end_year": end_year[local],
        "duration": duration[local],
        "group": GROUPS[c],
        "nunique": size[local],
    }, columns=COLUMNS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, help="participations to write")
    parser.add_argument("path", type=Path, help="output CSV (.csv.gz: gzip-compressed)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.rows, args.path, args.seed)


if __name__ == "__main__":
    main()
