"""Explore-page callback benchmark: `python benchmarks/explore_callbacks.py --respondents 1000000`.

Builds (or reuses, with --release) the releases of a generated dataset, starts the app for the coalition tier
(the largest release) and posts every explore callback, server side through Flask's test client, for a sample
of allowed filter states. Then computes the same views the naive way typical Dash sample apps do: filter a
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

from dashboard.data.synthetic import GeneratorSpec, write_dataset
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import vocabularies

SECRET = bytes(range(32))
CHART_OUTPUTS = ("graph", "summary", "table", "message")


def _states(options, n: int, rng: np.random.Generator):
    from dashboard.explore.state import ViewState

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


def _payloads(client, query: str) -> list[dict]:
    deps = client.get("/_dash-dependencies").get_json()
    out = []
    for dep in deps:
        inputs = dep["inputs"]
        if len(inputs) == 1 and inputs[0]["id"] == "explore-state" and not dep.get("clientside_function"):
            outputs = [
                {"id": o.split(".")[0], "property": o.split(".")[1]} for o in dep["output"].strip(".").split("...")
            ]
            out.append(
                {
                    "output": dep["output"],
                    "outputs": outputs if len(outputs) > 1 else outputs[0],
                    "inputs": [{"id": "explore-state", "property": "data", "value": query}],
                    "changedPropIds": ["explore-state.data"],
                    "state": [],
                }
            )
    return out


def naive_views(resp: pd.DataFrame, enc: pd.DataFrame, state) -> list:
    """What a typical sample app does in each callback: filter the global microdata, then group it."""
    results = []
    mask = np.ones(len(resp), dtype=bool)
    if state.wave is not None:
        mask &= resp["wave"].to_numpy() == state.wave
    enc_mask = np.ones(len(enc), dtype=bool) if state.wave is None else enc["wave"].to_numpy() == state.wave
    for dim, value in state.filters:
        if dim in resp.columns:
            mask &= resp[dim].to_numpy() == value
            enc_mask &= enc[dim].to_numpy() == value
        else:
            enc_mask &= enc[dim].to_numpy() == value
    r, e = resp[mask], enc[enc_mask]
    results.append(r.groupby("province").size())
    results.append(r.groupby("city").size())
    results.append(r.groupby("sector").size())
    results.append(e.groupby("labour_site")["respondent_id"].nunique())
    results.append(e.groupby("victimisation_type")["respondent_id"].nunique())
    results.append(e.groupby(["sector", "labour_site"])["respondent_id"].nunique())
    results.append(r.groupby(["wave", "contact_any"]).size())
    results.append(r.groupby(["wave", "trained"]).size())
    results.append(len(r))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--dataset", help="reuse a generated dataset folder")
    parser.add_argument("--release", help="reuse a release folder built from that dataset")
    parser.add_argument("--states", type=int, default=500)
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
    os.environ.update(
        {
            "DASHBOARD_RELEASES": str(release_dir),
            "DASHBOARD_TIER": "coalition",
            "DASHBOARD_DATASET": str(dataset_dir),
            "DASHBOARD_SECRET_FILE": str(tmp / "secret"),
        }
    )
    from dashboard import create_app
    from dashboard.explore.state import Options

    app = create_app()
    client = app.server.test_client()
    with app.server.test_request_context():
        from dashboard import context

        options = Options.of(context.current().release)
    states = _states(options, args.states, np.random.default_rng(7))
    ours: list[float] = []
    payloads = _payloads(client, states[0].to_query())
    for state in states:
        for payload in payloads_for(payloads, state):
            started = time.perf_counter()
            response = client.post("/_dash-update-component", json=payload)
            ours.append((time.perf_counter() - started) * 1000)
            if response.status_code not in (200, 204):
                raise SystemExit(
                    f"callback failed for {state.to_query()} ({payload['output']}): {response.status_code}"
                )
    dataset = load_dataset(dataset_dir)
    vocab = vocabularies()
    resp = dataset["respondents"].copy()
    resp["province"] = resp["city"].map(vocab.province_of())
    enc = dataset["encounters"].merge(resp, on="respondent_id")
    resp, enc = (f.astype(object).where(f.notna(), "") for f in (resp, enc))  # plain columns, as sample apps
    naive: list[float] = []
    for state in states:
        started = time.perf_counter()
        naive_views(resp, enc, state)
        naive.append((time.perf_counter() - started) * 1000 / len(payloads))  # per callback, like ours
    p50, p95 = float(np.percentile(ours, 50)), float(np.percentile(ours, 95))
    n50, n95 = float(np.percentile(naive, 50)), float(np.percentile(naive, 95))
    print(f"{len(states)} filter states, {len(ours)} callback calls (coalition tier, {len(payloads)} callbacks)")
    print(f"ours:  p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    print(f"naive: p50 {n50:.2f} ms, p95 {n95:.2f} ms per callback (filter + group the microdata)")
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


def payloads_for(templates: list[dict], state) -> list[dict]:
    query = state.to_query()
    return [dict(p, inputs=[{"id": "explore-state", "property": "data", "value": query}]) for p in templates]


if __name__ == "__main__":
    main()
