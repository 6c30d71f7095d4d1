"""Network page draw benchmark (issue 17): `python benchmarks/network_page.py --release DIR [--tier coalition]`.

``page_load.py`` for ``/network`` only (the same server, browser, login and cold-cache checks, the same wait for the
graph as well as the charts, the same last-line JSON), printing how many nodes each run drew.
Target: <= 2 s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import page_load  # noqa: E402
from accounts import log_in_page, tier_notice  # noqa: E402


def measure(browser, base: str, path: str, charts: int, tier: str, login) -> tuple[float, int]:
    """``page_load.measure``, printing the nodes drawn too."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in_page(context, base, login)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(base + path, wait_until="commit")
    nodes = page.wait_for_function(page_load.GRAPH_DRAWN, arg=charts, timeout=120000, polling=20).json_value()
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    transferred = int(page.evaluate(page_load.TRANSFER))
    cached = page.evaluate(page_load.CACHED)
    shown = page.text_content(page_load.TIER_NOTICE, timeout=5000)
    context.close()
    if cached:
        raise SystemExit(f"{path}: not a cold load, read from the cache: {', '.join(cached[:5])}")
    if shown != tier_notice(tier, os.environ.get("DASHBOARD_LANGUAGE", "en")):
        raise SystemExit(f"{path}: served {shown!r}, not the {tier} release")
    print(f"  {path}: graph of {nodes} nodes and {charts} charts drawn in {seconds:.2f} s, {transferred / 1e6:.2f} MB")
    return seconds, transferred


if __name__ == "__main__":
    page_load.measure = measure  # page_load.main calls it by name: same server, browser and JSON, another wait
    sys.argv += ["--pages", "/network"]
    page_load.main()
