"""Time the scale generator: `python benchmarks/scale_generator.py --respondents 1000000`.

Writes a generated dataset to a temporary folder (never data/demo/), validates it, and prints the figures;
the last line is a JSON object.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scale"
        started = time.perf_counter()
        write_dataset(out, GeneratorSpec.for_respondents(args.respondents), "parquet")
        generate_s = time.perf_counter() - started
        started = time.perf_counter()
        dataset = load_dataset(out)
        validate_s = time.perf_counter() - started
        encounters = len(dataset["encounters"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generated {args.respondents:,} respondents and {encounters:,} encounters in {generate_s:.1f} s")
    print(f"validated in {validate_s:.1f} s; peak memory {peak_mb:.0f} MB")
    print(
        json.dumps(
            {
                "respondents": args.respondents,
                "encounters": encounters,
                "generate_seconds": round(generate_s, 2),
                "validate_seconds": round(validate_s, 2),
                "peak_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
