"""Load benchmark (SPEC §6): `python benchmarks/load.py --release DIR [--clients 50 --seconds 60]`.

With ``--instances 2`` (SPEC §6: two instances × 2 workers, 100 clients) it starts a ``redis-server`` of its own on a
free loopback port (the Debian package; ``--redis URL`` uses one already running instead) and that many gunicorn
instances on ports of their own, sharing one instance folder, the release and, in Redis, the login rate limits and
the steward's job queue, as instances of one deployment behind a load balancer would; client ``i`` talks to
instance ``i mod N`` (logged in there), and the figures are for all instances together.

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
import contextlib
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


def _start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    """A throwaway redis-server on a free loopback port (no persistence); its URL."""
    import shutil

    found = shutil.which("redis-server")
    if found is None:
        raise SystemExit("--instances above 1 needs redis-server (apt-get install redis-server) or --redis URL")
    port = _free_port()
    argv = [found, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s, contextlib.suppress(OSError):
            s.connect(("127.0.0.1", port))
            return proc, f"redis://127.0.0.1:{port}"
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("redis-server did not start")


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
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances, sharing their state in Redis")
    parser.add_argument("--redis", help="with --instances above 1: a Redis URL to use instead of starting one")
    args = parser.parse_args()
    release_dir = Path(args.release).resolve()
    options = Options.of(Release.load(release_dir, args.tier))
    ports = [_free_port() for _ in range(args.instances)]
    scratch = tempfile.TemporaryDirectory(prefix="bench-load-")
    settings, login = server_env(Path(scratch.name), args.tier)
    env = {**os.environ, **settings, "DASHBOARD_RELEASES": str(release_dir)}
    processes: list[subprocess.Popen] = []
    try:
        if args.instances > 1:
            redis_url = args.redis
            if not redis_url:
                redis_proc, redis_url = _start_redis(Path(scratch.name))
                processes.append(redis_proc)
            env |= {"DASHBOARD_RATELIMIT_STORAGE": f"{redis_url}/0", "DASHBOARD_JOB_QUEUE": f"{redis_url}/1"}
            from dashboard.secret import load_or_create

            load_or_create(Path(settings["DASHBOARD_SESSION_SECRET_FILE"]))  # one key for every instance
        for port in ports:
            command = ["--workers", str(args.workers), "--bind", f"127.0.0.1:{port}", "app:server"]
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", *command],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for port in ports:
            _wait_ready(port)
        bases = [f"http://127.0.0.1:{ports[i % len(ports)]}" for i in range(args.clients)]
        sessions = [log_in_http(base, login) for base in bases]  # one login per client, not timed
        for base, headers in zip(bases, sessions, strict=True):
            check_tier_http(base, headers, args.tier)
        latencies: list[float] = []
        errors: list[str] = []
        record_from = time.monotonic() + args.warmup
        stop = record_from + args.seconds
        threads = [
            threading.Thread(
                target=_client,
                args=(ports[i % len(ports)], options, sessions[i], 1000 + i, record_from, stop, latencies, errors),
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
        for proc in reversed(processes):
            proc.terminate()
        for proc in processes:
            proc.wait(timeout=30)
        scratch.cleanup()
    values = np.asarray(latencies)
    p50, p95 = float(np.percentile(values, 50)), float(np.percentile(values, 95))
    where = f"{args.instances} instance(s) x {args.workers} workers"
    print(f"{args.clients} clients for {elapsed:.0f} s against gunicorn ({where}, {args.tier} tier)")
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
                "instances": args.instances,
                "workers": args.workers,
            }
        )
    )


if __name__ == "__main__":
    main()
