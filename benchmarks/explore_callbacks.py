"""Explore-page callback benchmark: `python benchmarks/explore_callbacks.py --respondents 1000000`.

Builds (or reuses, with --release) the releases of a generated dataset, starts the app for ``--tier`` (default
coalition, the largest release) and posts every explore callback, server side through Flask's test client, for a
sample of allowed filter states: a filter click, every chart, the headline strip, and a download for one state in
five. Only logged-in accounts see more than the public release, so for a funder or coalition run the client first
logs in through /login with a throwaway account of that role (random password, in a temporary accounts database:
benchmarks/accounts.py; not timed), and the run stops unless the callbacks are served that tier's release.
The public tier exports chart images only: its download callback answers nothing.
Then computes the same views the naive way typical Dash sample apps do: filter a
global DataFrame of the microdata and group it inside the callback. Last line: a JSON object with
`respondents`, `p50_ms`, `p95_ms`, `naive_p50_ms`, `naive_p95_ms` and `speedup` (naive p50 / ours p50).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accounts import log_in_client, server_env

from dashboard.data.synthetic import GeneratorSpec, write_dataset
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import vocabularies

SECRET = bytes(range(32))


def _states(options, n: int, rng: np.random.Generator):
    from dashboard.views.state import ViewState

    dims = [d for d in options.categories if d not in ("province",)]
    states = []
    while len(states) < n:
        wave = None if rng.random() < 0.15 else int(rng.choice(options.waves))
        k = int(rng.integers(0, 3))
        chosen = rng.choice(dims, size=k, replace=False)
        state = ViewState(wave)
        for d in chosen:
            state = state.with_filter(str(d), str(rng.choice(options.categories[str(d)])))
        if len(state.filters) <= options.max_dims - 1:
            states.append(state)
    return states


ENCOUNTER_COLUMNS = ("labour_site", "victimisation_type")


def _naive_count(resp: pd.DataFrame, enc: pd.DataFrame, state, by: list[str], all_waves: bool = False, skip=()):
    """Filter the global microdata for the view, then group it: what a sample app's callback does."""
    filters = [(d, v) for d, v in state.filters if d not in skip and d not in by]
    on_encounters = any(d in ENCOUNTER_COLUMNS for d, _ in filters) or any(d in ENCOUNTER_COLUMNS for d in by)
    frame = enc if on_encounters else resp
    mask = np.ones(len(frame), dtype=bool)
    if state.wave is not None and not all_waves:
        mask &= frame["wave"].to_numpy() == state.wave
    for dim, value in filters:
        mask &= frame[dim].to_numpy() == value
    rows = frame[mask]
    keys = ["wave", *by] if all_waves else by
    if on_encounters:
        return rows.groupby(keys)["respondent_id"].nunique() if keys else rows["respondent_id"].nunique()
    return rows.groupby(keys).size() if keys else len(rows)


def naive_callbacks(sector: str = "sector") -> dict:
    """One naive callback per explore callback, each filtering the microdata itself, as separate callbacks do
    (``sector``: the sector dimension the tier publishes, fine sectors or sector groups)."""
    return {
        "chart map": lambda r, e, s: (
            _naive_count(r, e, s, ["province"], skip=("province", "city")),
            _naive_count(r, e, s, ["city"], skip=("province", "city")),
        ),
        "chart sector": lambda r, e, s: _naive_count(r, e, s, [sector]),
        "chart labour_site": lambda r, e, s: _naive_count(r, e, s, ["labour_site"]),
        "chart victimisation_type": lambda r, e, s: _naive_count(r, e, s, ["victimisation_type"]),
        "chart heatmap": lambda r, e, s: _naive_count(r, e, s, [sector, "labour_site"]),
        "chart trend_contact": lambda r, e, s: _naive_count(r, e, s, ["contact_any"], all_waves=True),
        "chart trend_trained": lambda r, e, s: _naive_count(r, e, s, ["trained"], all_waves=True),
        "headline figures": lambda r, e, s: (
            _naive_count(r, e, s, []),
            _naive_count(r, e, s, ["contact_any"]),
            _naive_count(r, e, s, ["trained"]),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--dataset", help="reuse a generated dataset folder")
    parser.add_argument("--release", help="reuse a release folder built from that dataset")
    parser.add_argument("--states", type=int, default=500)
    parser.add_argument("--tier", default="coalition", choices=("public", "funder", "coalition"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    dataset_dir = Path(args.dataset) if args.dataset else tmp / "data"
    if not args.dataset:
        write_dataset(dataset_dir, GeneratorSpec.for_respondents(args.respondents), "parquet")
    release_dir = Path(args.release) if args.release else tmp / "releases"
    if not (release_dir / "current").exists():
        from dashboard.release.builder import build, write

        started = time.perf_counter()
        write(build(load_dataset(dataset_dir), vocabularies(), SECRET), release_dir)
        print(f"built the releases in {time.perf_counter() - started:.1f} s (not timed below)")
    scratch = tempfile.TemporaryDirectory(prefix="bench-explore-")  # accounts, audit log, secrets; removed at exit
    env, login = server_env(Path(scratch.name), args.tier)
    os.environ.update({**env, "DASHBOARD_RELEASES": str(release_dir), "DASHBOARD_DATASET": str(dataset_dir)})
    from dashboard.webapp import create_app

    app = create_app()
    client = app.server.test_client()
    log_in_client(client, login)
    options = served_options(client, release_dir, args.tier)
    states = _states(options, args.states, np.random.default_rng(7))
    timed = time_callbacks(client, options, states, np.random.default_rng(11))
    ours = [ms for values in timed.values() for ms in values]
    dataset = load_dataset(dataset_dir)
    vocab = vocabularies()
    resp = dataset["respondents"].copy()
    resp["province"] = resp["city"].map(vocab.province_of())
    resp["sector_group"] = resp["sector"].map(vocab.sector_group_of())  # what the public and funder tiers filter on
    enc = dataset["encounters"].merge(resp, on="respondent_id")
    resp, enc = (f.astype(object).where(f.notna(), "") for f in (resp, enc))  # plain columns, as sample apps
    naive: list[float] = []
    naive_calls = naive_callbacks(options.sector_dim)
    for state in states:
        for compute in naive_calls.values():
            started = time.perf_counter()
            compute(resp, enc, state)
            naive.append((time.perf_counter() - started) * 1000)
    p50, p95 = float(np.percentile(ours, 50)), float(np.percentile(ours, 95))
    n50, n95 = float(np.percentile(naive, 50)), float(np.percentile(naive, 95))
    print(f"{len(states)} filter states, {len(ours)} callback calls ({args.tier} tier)")
    for name, values in timed.items():
        print(
            f"  {name:<28} {len(values):>5} calls  p50 {np.percentile(values, 50):6.2f} ms  "
            f"p95 {np.percentile(values, 95):6.2f} ms"
        )
    print(f"ours:  p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    print(f"naive: p50 {n50:.2f} ms, p95 {n95:.2f} ms per callback (each filters and groups the microdata)")
    print(
        json.dumps(
            {
                "respondents": len(resp),
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "naive_p50_ms": round(n50, 2),
                "naive_p95_ms": round(n95, 2),
                "speedup": round(n50 / p50, 1),
            }
        )
    )


def served_options(client, release_dir: Path, tier: str):
    """The filter options of the release this client is served; exits unless it is the ``tier`` release (for the
    coalition tier: fine sectors, not sector groups) and a filter click on a value only that tier publishes is
    answered with the new view."""
    from dashboard import context, ids
    from dashboard.published.table import Release
    from dashboard.views.state import Options, ViewState
    from tests.support import requests as R

    with client:  # keeps the request context of the last request: the logged-in viewer's release
        client.get("/_dash-layout")
        release = context.current().release
        options = Options.of(release)
    expected = Options.of(Release.load(release_dir, tier))
    if release.tier != tier or options != expected:
        raise SystemExit(f"the app serves this client the {release.tier} release, not the {tier} release")
    if tier == "coalition" and options.sector_dim != "sector":
        raise SystemExit(f"the coalition release has {options.sector_dim} options, not sector")
    # what only this tier publishes: its finest sector category, or (public) any published value
    state = ViewState(max(options.waves))
    dim = options.sector_dim
    value = options.categories[dim][-1]
    choice = {"type": ids.EXPLORE_CHOICE, "dim": dim, "value": value}
    response = client.post("/_dash-update-component", json=R.choice_request(options, state, choice))
    answer = response.get_json(silent=True) or {}
    query = str(answer.get("response", {}).get(ids.EXPLORE_STATE, {}).get("data", ""))
    if response.status_code != 200 or query != state.with_filter(dim, value).to_query():
        raise SystemExit(f"a click on {dim}={value} was not answered with that view: {response.status_code} {query!r}")
    return options


def time_callbacks(client, options, states, rng: np.random.Generator) -> dict[str, list[float]]:
    """Post every explore callback for each state, as the browser does; milliseconds per callback name."""
    from tests.support import requests as R

    choices = R.choice_ids(options)
    timed: dict[str, list[float]] = {}

    def post(name: str, payload: dict) -> None:
        started = time.perf_counter()
        response = client.post("/_dash-update-component", json=payload)
        timed.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        if response.status_code not in (200, 204):
            raise SystemExit(f"callback {name} failed: {response.status_code} {response.get_data(as_text=True)[:200]}")

    for i, state in enumerate(states):
        query = state.to_query()
        # a click on a filter button (the state callback), then every chart and the headline strip redrawn
        post("filter click", R.choice_request(options, state, choices[int(rng.integers(len(choices)))]))
        for chart in R.CHART_NAMES:
            post(f"chart {chart}", R.chart_request(chart, query))
        post("headline figures", R.kpi_request(query))
        if i % 5 == 0:
            chart = R.CHART_NAMES[int(rng.integers(len(R.CHART_NAMES)))]
            post("download", R.download_request(chart, "csv" if i % 10 else "xlsx", query))
    return timed


if __name__ == "__main__":
    main()
