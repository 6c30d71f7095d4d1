"""Release build benchmark: `python benchmarks/release_build.py --respondents 1000000`.

Generates a dataset with the scale generator (or reuses --dataset), builds the releases of every tier with
the audit, and prints the time per stage and tier and the peak memory. The last line is a JSON object with
`respondents`, `seconds` and `peak_mb`. Target at 1,000,000 respondents (SPEC §6): <= 120 s, <= 4 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.data.synthetic import GeneratorSpec, write_dataset
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import vocabularies
from dashboard.release.builder import build, write

SECRET = bytes(range(32))  # a benchmark secret: the data are synthetic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--dataset", help="reuse a generated dataset folder instead of generating one")
    parser.add_argument("--out", help="keep the written releases in this folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dataset) if args.dataset else Path(tmp) / "data"
        if not args.dataset:
            started = time.perf_counter()
            write_dataset(folder, GeneratorSpec.for_respondents(args.respondents), "parquet")
            print(f"generated {args.respondents:,} respondents in {time.perf_counter() - started:.1f} s (not timed)")
        started = time.perf_counter()
        dataset = load_dataset(folder)
        load_s = time.perf_counter() - started
        result = build(dataset, vocabularies(), SECRET)
        write(result, Path(args.out) if args.out else Path(tmp) / "releases")
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    respondents = len(dataset["respondents"])
    print(f"load and validate: {load_s:.1f} s")
    for stage, s in result.timings.items():
        print(f"{stage}: {s:.1f} s")
    for tier, summary in result.report["tiers"].items():
        print(
            f"{tier}: {summary['tables']} tables, {summary['cells']:,} cells, {summary['suppressed']:,} suppressed, "
            f"audit checked {summary['audit']['checked']:,}"
        )
    print(f"total (validate, aggregate, protect, audit, write): {seconds:.1f} s; peak memory {peak_mb:.0f} MB")
    print(
        json.dumps(
            {
                "respondents": respondents,
                "seconds": round(seconds, 1),
                "peak_mb": round(peak_mb),
                "stages": {k: round(v, 1) for k, v in result.timings.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
