"""Release build sweep: `python benchmarks/release_sweep.py` (issue 12, SPEC §4 and §6).

Builds the releases of every tier (with the network and voices tables and the audit) at several sizes of the
scale generator, several seeds each up to 100,000 respondents, each build in a fresh process so that its peak
memory is its own. Prints a table per build: seconds per stage, peak memory, cells, suppressed cells, withheld
rows, information lost and any fallback per tier. The last line is a JSON object with ``builds``, ``failed``
and ``sizes`` (per size: the median ``seconds`` and the largest ``peak_mb``).

Targets: 0 failed builds; <= 10 s up to 5,000 respondents, <= 30 s at 100,000, <= 60 s at 1,000,000; peak
<= 4 GB. ``--sizes`` and ``--seeds`` choose a smaller sweep; ``--large-seeds`` the seeds at 1,000,000.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = bytes(range(32))  # a benchmark secret: the data are synthetic
DEFAULT_SIZES = (500, 2_000, 5_000, 20_000, 100_000, 1_000_000)
DEFAULT_SEEDS = (1, 2, 3)
SMALL_MAX = 100_000  # sizes up to this are built with every seed


def one_build(respondents: int, seed: int) -> dict:
    """Generate, validate and build one dataset in this process; return its figures."""
    from dashboard.data.synthetic import GeneratorSpec, write_dataset
    from dashboard.data.validate import load_dataset
    from dashboard.data.vocab import vocabularies
    from dashboard.release.builder import build, write

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        write_dataset(folder, GeneratorSpec.for_respondents(respondents, seed=seed), "parquet")
        started = time.perf_counter()
        dataset = load_dataset(folder)
        result = build(dataset, vocabularies(), SECRET)
        write(result, Path(tmp) / "releases")
        seconds = time.perf_counter() - started
    tiers = {
        tier: {key: s[key] for key in ("cells", "suppressed", "withheld_rows", "information_lost")}
        for tier, s in result.report["tiers"].items()
    }
    return {
        "respondents": respondents,
        "seed": seed,
        "seconds": round(seconds, 2),
        "stages": {k: round(v, 2) for k, v in result.timings.items()},
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "tiers": tiers,
        "fallbacks": result.report.get("fallbacks", []),
    }


def _print_build(row: dict) -> None:
    print(
        f"\n## {row['respondents']:,} respondents, seed {row['seed']}: {row['seconds']:.1f} s, peak {row['peak_mb']} MB"
    )
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in row["stages"].items()))
    print("| tier | cells | suppressed | withheld rows | information lost |")
    print("| --- | --- | --- | --- | --- |")
    for tier, s in row["tiers"].items():
        print(
            f"| {tier} | {s['cells']:,} | {s['suppressed']:,} | {s['withheld_rows']:,} | {s['information_lost']:.1%} |"
        )
    for fallback in row["fallbacks"]:
        print(f"fallback: {fallback}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--large-seeds", type=int, nargs="+", default=[DEFAULT_SEEDS[0]])
    parser.add_argument("--one", nargs=2, type=int, metavar=("RESPONDENTS", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_build(*args.one)))
        return
    rows, failed = [], []
    for size in args.sizes:
        for seed in args.seeds if size <= SMALL_MAX else args.large_seeds:
            proc = subprocess.run(
                [sys.executable, __file__, "--one", str(size), str(seed)], capture_output=True, text=True, cwd=ROOT
            )
            if proc.returncode != 0:
                failed.append({"respondents": size, "seed": seed, "error": proc.stderr.strip().splitlines()[-1:]})
                print(f"\n## {size:,} respondents, seed {seed}: FAILED {failed[-1]['error']}")
                continue
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append(row)
            _print_build(row)
    sizes = {}
    for size in args.sizes:
        done = [r for r in rows if r["respondents"] == size]
        if done:
            sizes[str(size)] = {
                "seconds": round(statistics.median(r["seconds"] for r in done), 2),
                "peak_mb": max(r["peak_mb"] for r in done),
                "builds": len(done),
            }
    print("\n| respondents | builds | median seconds | peak MB |")
    print("| --- | --- | --- | --- |")
    for size, s in sizes.items():
        print(f"| {int(size):,} | {s['builds']} | {s['seconds']:.1f} | {s['peak_mb']} |")
    print(json.dumps({"builds": len(rows) + len(failed), "failed": len(failed), "sizes": sizes}))


if __name__ == "__main__":
    main()
