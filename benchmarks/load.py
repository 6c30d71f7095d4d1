"""Load benchmark (SPEC §6): `python benchmarks/load.py --release DIR [--clients 50 --seconds 60]`.

Starts the app under gunicorn (2 workers, serving up to ``--tier``, default coalition) on a free loopback port, then
runs ``--clients`` concurrent clients for ``--seconds`` (after ``--warmup`` seconds of load that are not recorded,
while the workers load the release and build its indexes). Only logged-in accounts see more than the public release:
for a funder or coalition run, the server gets a temporary accounts database with one throwaway account of that role
(random password; benchmarks/accounts.py), and each client logs in through /login (a urllib cookie jar; not timed)
before the load starts, then sends its session cookie with every request; the run stops unless that cookie is served
the tier's release. Each client behaves like a person exploring: it clicks a filter button and then asks for
everything the page redraws for the new view (seven charts and the headline strip), over and over, each time a
different allowed view. Only 127.0.0.1 is ever contacted, and the run stops by itself. Prints the latency of every
request (p50, p95, max), the errors and the throughput; the last line is a JSON object. Target: p95 <= 150 ms with
no errors (SPEC §6). Clients and server share the machine's two cores, so the figures include the clients' own cost.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accounts import check_tier_http, log_in_http, server_env  # noqa: E402

from dashboard.published.table import Release  # noqa: E402
from dashboard.views.state import Options, ViewState  # noqa: E402
from tests.support import requests as R  # noqa: E402

UPDATE = "/_dash-update-component"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/_dash-layout")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def _payloads(options: Options, rng: np.random.Generator) -> list[dict]:
    """One view change as the browser sends it: a filter click, then the page's redraws for the new view."""
    dims = [d for d in options.categories if d != "province"]
    state = ViewState(int(rng.choice(options.waves)))
    for dim in rng.choice(dims, size=int(rng.integers(0, options.max_dims)), replace=False):
        state = state.with_filter(str(dim), str(rng.choice(options.categories[str(dim)])))
    choices = R.choice_ids(options)
    query = state.to_query()
    click = R.choice_request(options, state, choices[int(rng.integers(len(choices)))])
    return [click, *(R.chart_request(c, query) for c in R.CHART_NAMES), R.kpi_request(query)]


def _client(
    port: int,
    options: Options,
    headers: dict[str, str],
    seed: int,
    record_from: float,
    stop: float,
    out: list,
    errors: list,
) -> None:
    rng = np.random.default_rng(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {**headers, "Content-Type": "application/json"}  # User-Agent and, logged in, the session cookie
    while time.monotonic() < stop:
        for payload in _payloads(options, rng):
            body = json.dumps(payload)
            started = time.perf_counter()
            try:
                conn.request("POST", UPDATE, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as err:
                errors.append(str(err))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if time.monotonic() >= record_from:
                out.append((time.perf_counter() - started) * 1000)
            if status not in (200, 204):
                errors.append(f"HTTP {status}")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--release", required=True, help="a release folder (python -m dashboard release --out DIR)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of load before latencies are recorded")
    parser.add_argument("--tier", default="coalition", choices=("public", "funder", "coalition"))
    args = parser.parse_args()
    release_dir = Path(args.release).resolve()
    options = Options.of(Release.load(release_dir, args.tier))
    port = _free_port()
    scratch = tempfile.TemporaryDirectory(prefix="bench-load-")
    settings, login = server_env(Path(scratch.name), args.tier)
    env = {**os.environ, **settings, "DASHBOARD_RELEASES": str(release_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}", "app:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(port)
        base = f"http://127.0.0.1:{port}"
        sessions = [log_in_http(base, login) for _ in range(args.clients)]  # one login per client, not timed
        for headers in sessions:
            check_tier_http(base, headers, args.tier)
        latencies: list[float] = []
        errors: list[str] = []
        record_from = time.monotonic() + args.warmup
        stop = record_from + args.seconds
        threads = [
            threading.Thread(
                target=_client, args=(port, options, sessions[i], 1000 + i, record_from, stop, latencies, errors)
            )
            for i in range(args.clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started - args.warmup
    finally:
        server.terminate()
        server.wait(timeout=30)
        scratch.cleanup()
    values = np.asarray(latencies)
    p50, p95 = float(np.percentile(values, 50)), float(np.percentile(values, 95))
    print(f"{args.clients} clients for {elapsed:.0f} s against gunicorn ({args.workers} workers, {args.tier} tier)")
    print(f"{len(values):,} requests ({len(values) / elapsed:.0f}/s), {len(errors)} errors")
    print(f"latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {values.max():.1f} ms")
    print(
        json.dumps(
            {
                "clients": args.clients,
                "seconds": round(elapsed, 1),
                "requests": len(values),
                "errors": len(errors),
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "max_ms": round(float(values.max()), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
