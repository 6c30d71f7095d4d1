"""Cold page load benchmark (SPEC §6): `python benchmarks/page_load.py --release DIR [--tier coalition --runs 5]`.

Starts the app under gunicorn (2 workers, serving up to ``--tier``) on a free loopback port, and loads every page in
headless Debian Chromium with an empty cache, ``--runs`` times each: the time from navigation to every chart drawn,
and the bytes transferred (compressed, headers included, from the browser's Resource Timing: the page, every script,
stylesheet, map file and callback). Chromium is started with the flags that make any request to another host fail.
On ``/network`` a load counts as done only when the graph's nodes are drawn as well as the charts. The last
line is a JSON object. Targets: <= 2 s and <= 2.5 MB per page.

Visitors who are not logged in always get the public release. For ``--tier funder`` or ``coalition`` the server gets
a temporary accounts database with one throwaway account of that role (random password; benchmarks/accounts.py),
and each fresh browser context is first logged in: the login form is submitted over HTTP and the context given the
session cookie it set, so its HTTP cache stays empty. The login is not timed. The run stops if a measured page was
served from the cache in part, or shows another tier than ``--tier``. ``--tier public``: no account, no login.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accounts import log_in_page, server_env, tier_notice  # noqa: E402
from load import _free_port, _wait_ready  # noqa: E402

from dashboard import ids  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
# Each page, and how many charts it draws.
PAGES = (("/", 6), ("/explore", 6), ("/network", 4), ("/voices", 3), ("/present?slide=3", 1))
CHARTS_DRAWN = "(charts) => document.querySelectorAll('.js-plotly-plot .main-svg').length >= charts"
# The network graph (a plotly figure in a dcc.Graph) is drawn when plotly has drawn the points of its node trace (the
# last trace: markers over the lines) and two animation frames have been painted since; the value is their number.
GRAPH_DRAWN = f"""(charts) => {{
    const gd = document.querySelector('#{ids.NETWORK_GRAPH} .js-plotly-plot');
    const nodes = gd ? gd.querySelectorAll('.scatterlayer .trace:last-child .points path.point').length : 0;
    const drawnCharts = document.querySelectorAll('.js-plotly-plot .main-svg').length >= charts;
    if (nodes === 0 || !drawnCharts) return false;
    if (!window.__drawn) {{
        window.__drawn = 'pending';
        requestAnimationFrame(() => requestAnimationFrame(() => {{ window.__drawn = nodes; }}));
    }}
    return typeof window.__drawn === 'number' ? window.__drawn : false;
}}"""
DRAWN = {"/network": GRAPH_DRAWN}  # what else a page must have drawn besides its charts
TRANSFER = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .reduce((sum, e) => sum + (e.transferSize || 0), 0)"""
# Resources read from the HTTP cache, fresh (nothing transferred) or revalidated (headers only: less than the body).
CACHED = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .filter(e => (e.transferSize === 0 && e.decodedBodySize > 0) || e.transferSize < e.encodedBodySize)
    .map(e => e.name)"""
TIER_NOTICE = "#tier-notice"


def measure(browser, base: str, path: str, charts: int, tier: str, login) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # a new context: an empty cache
    log_in_page(context, base, login)  # not timed; only the session cookie stays in the context
    page = context.new_page()
    started = time.perf_counter()
    page.goto(base + path, wait_until="commit")
    page.wait_for_function(DRAWN.get(path, CHARTS_DRAWN), arg=charts, timeout=30000, polling=20)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    transferred = int(page.evaluate(TRANSFER))
    cached = page.evaluate(CACHED)
    shown = page.text_content(TIER_NOTICE, timeout=5000)
    context.close()
    if cached:
        raise SystemExit(f"{path}: not a cold load, read from the cache: {', '.join(cached[:5])}")
    if shown != tier_notice(tier, os.environ.get("DASHBOARD_LANGUAGE", "en")):
        raise SystemExit(f"{path}: served {shown!r}, not the {tier} release")
    return seconds, transferred


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--release", required=True, help="a release folder (python -m dashboard release --out DIR)")
    parser.add_argument("--tier", default="coalition", choices=("public", "funder", "coalition"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", help="only these paths (default: every page)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = _free_port()
    scratch = tempfile.TemporaryDirectory(prefix="bench-page-load-")
    settings, login = server_env(Path(scratch.name), args.tier)
    env = {**os.environ, **settings, "DASHBOARD_RELEASES": str(Path(args.release).resolve())}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    try:
        _wait_ready(port)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for path, charts in [(p, c) for p, c in PAGES if not args.pages or p in args.pages]:
                measure(browser, base, path, charts, args.tier, login)  # warm the server (not the browser)
                runs = [measure(browser, base, path, charts, args.tier, login) for _ in range(args.runs)]
                seconds = float(np.median([r[0] for r in runs]))
                transferred = int(np.median([r[1] for r in runs]))
                results[path] = {"seconds": round(seconds, 2), "mb": round(transferred / 1e6, 2)}
                print(f"{path:<18} cold load to every chart drawn: median {seconds:.2f} s, {transferred / 1e6:.2f} MB")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        scratch.cleanup()
    print(json.dumps({"tier": args.tier, "runs": args.runs, "pages": results}))


if __name__ == "__main__":
    main()
