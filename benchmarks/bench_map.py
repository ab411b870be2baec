"""Time the whole-graph page (whole.html) of all of Horizon 2020 in headless Chromium, against the overview.

    PYTHONPATH=$PWD python3 benchmarks/bench.py --map
    PYTHONPATH=$PWD python3 benchmarks/bench_map.py [--repeats 3]

All of H2020 (`cordis-h2020-eunets2020/h2020.csv.gz`, `--partner pic --project rcn`: 67,322 nodes,
144,726 participations) is analysed once; then, each timed on its own: the whole-graph page's layout
and payload, its rendering to HTML, and the overview pages (`map.html` and its community maps). Both
pages are opened in the same headless Chromium the tests use (software WebGL: SwiftShader), each in
a fresh page, `--repeats` times in turns; printed: page size, time from navigation to the first frame
(`document.body.dataset.ready`, from the page's own `performance.now()`), and for the whole graph a
zoom step (the camera's ratio divided by 1.5, until the next frame and its labels are drawn) and the
names drawn. The overview's first frame, in the same run, is the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
H2020 = HERE.parent.parent / "shared" / "data" / "raw" / "cordis-h2020-eunets2020" / "h2020.csv.gz"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def pages(folder: Path) -> dict:
    """Analyse H2020 and write its overview and whole-graph pages into ``folder``; the seconds of each step."""
    from ecosys.maps import render_maps
    from ecosys.pipeline import analyze
    from ecosys.whole import render_whole, whole_layout, whole_payload

    t = time.perf_counter()
    analysis = analyze(H2020, partner="pic", project="rcn")
    data = analysis.node_table
    took = {"analysis": time.perf_counter() - t}
    t = time.perf_counter()
    overview, _ = render_maps(analysis)
    took["overview pages"] = time.perf_counter() - t
    t = time.perf_counter()
    whole_layout(data, seed=analysis.seed)
    took["whole layout"] = time.perf_counter() - t
    t = time.perf_counter()
    payload = whole_payload(data, seed=analysis.seed, title=analysis.network.name)
    took["whole payload (layout included)"] = time.perf_counter() - t
    t = time.perf_counter()
    page = render_whole(payload)
    took["whole page HTML"] = time.perf_counter() - t
    (folder / "map.html").write_text(overview["map.html"], encoding="utf-8")
    (folder / "whole.html").write_text(page, encoding="utf-8")
    return took


def opened(browser, path: Path, zooms: int) -> dict:
    """Open ``path`` in a fresh page: the first frame (ms after navigation) and, if asked, zoom steps."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    page.goto(path.as_uri(), timeout=300_000)
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=300_000)
    out = {"first frame": page.evaluate("window.ecosys.firstDrawn")}
    if zooms:
        out["zoom steps"] = [page.evaluate("window.ecosys.zoom(1.5)") for _ in range(zooms)]
        out["labels"] = len(page.evaluate("window.ecosys.labelBoxes()"))
    context.close()
    return out


def main(repeats: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    if not H2020.exists():
        sys.exit(f"{H2020} not found")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"== all of H2020, the overview (map.html) and the whole graph (whole.html); {load()}")
        for step, seconds in pages(folder).items():
            print(f"  {step:34s} {seconds:6.2f} s")
        for name in ("map.html", "whole.html"):
            print(f"  {name:34s} {(folder / name).stat().st_size / 1e6:6.2f} MB")
        firsts = {"map.html": [], "whole.html": []}
        zooms, labels = [], 0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            for _ in range(repeats):
                for name in firsts:
                    found = opened(browser, folder / name, zooms=3 if name == "whole.html" else 0)
                    firsts[name].append(found["first frame"])
                    zooms += found.get("zoom steps", [])
                    labels = found.get("labels", labels)
            browser.close()
        base = statistics.median(firsts["map.html"])
        print(f"  first frame, overview (baseline)   {base / 1000:6.2f} s  (median of {repeats}; {load()})")
        whole = statistics.median(firsts["whole.html"])
        print(f"  first frame, whole graph           {whole / 1000:6.2f} s  ({whole / base:.1f}x the overview)")
        print(f"  zoom step, whole graph             {statistics.median(zooms) / 1000:6.2f} s  "
              f"(median of {len(zooms)}; {labels} names drawn after the last)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="times each page is opened (default 3)")
    main(parser.parse_args().repeats)
