"""Time `ecosys extract`: the five seed press releases, and 1,000 press releases.

    PYTHONPATH=$PWD python3 benchmarks/bench_extract.py

The 1,000 are the seed, development and held-out texts written again and again into a temporary folder
(each copy a separate file), so the figure is the time of reading and extracting 1,000 real texts.
Times are after start-up (imports and the language data loaded once).
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ecosys.extract import extract, load  # noqa: E402

SEEDS = ROOT.parent / "shared" / "sources"
TEXTS = sorted(SEEDS.glob("0*.txt")) + sorted((ROOT / "tests" / "extract_dev").glob("*/*.txt"))


def main() -> None:
    load("it")
    extract([TEXTS[0]])  # warm
    t = time.perf_counter()
    seeds = extract(sorted(SEEDS.glob("0*.txt")))
    print(f"5 seed press releases: {time.perf_counter() - t:.2f} s ({len(seeds.table)} candidates)")
    folder = Path(tempfile.mkdtemp())
    try:
        for n in range(1000):
            src = TEXTS[n % len(TEXTS)]
            shutil.copy(src, folder / f"{n:04d}_{src.name}")
        t = time.perf_counter()
        many = extract([folder])
        print(f"1,000 press releases: {time.perf_counter() - t:.1f} s ({len(many.table):,} candidates)")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
