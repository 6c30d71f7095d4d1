"""The command line: ``python -m dashboard COMMAND``."""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from dashboard import paths
from dashboard.data.synthetic import DEFAULT_SEED, GeneratorSpec, write_dataset
from dashboard.data.validate import validate_dataset

Command = Callable[[argparse.Namespace], int]


def _cmd_demo(args: argparse.Namespace) -> int:
    spec = (
        GeneratorSpec.for_respondents(args.respondents, args.seed)
        if args.respondents
        else GeneratorSpec(seed=args.seed)
    )
    if args.check:
        return _check_demo(spec)
    out = Path(args.out) if args.out else paths.DEMO_DATASET_DIR
    if args.respondents and not args.out:
        print(
            "--respondents needs --out: the committed demo dataset is not overwritten by the scale generator",
            file=sys.stderr,
        )
        return 2
    fmt = args.format or ("parquet" if args.respondents else "csv")
    started = time.perf_counter()
    write_dataset(out, spec, fmt)
    print(f"wrote {sum(spec.wave_sizes):,} respondents to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def _check_demo(spec: GeneratorSpec) -> int:
    committed = paths.DEMO_DATASET_DIR
    with tempfile.TemporaryDirectory() as tmp:
        fresh = write_dataset(Path(tmp) / "demo", spec, "csv")
        names = sorted(p.name for p in fresh.iterdir())
        old_names = sorted(p.name for p in committed.iterdir()) if committed.is_dir() else []
        _, mismatch, errors = filecmp.cmpfiles(committed, fresh, names, shallow=False)
        extra = sorted(set(old_names) - set(names))
    if mismatch or errors or extra:
        for name in mismatch + errors + extra:
            print(f"differs: {committed / name}", file=sys.stderr)
        print("the committed demo dataset is not what `python -m dashboard demo` generates", file=sys.stderr)
        return 1
    print(f"ok: {committed} is byte-identical to a fresh generation ({len(names)} files)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    folder = Path(args.path)
    if not folder.is_dir():
        print(f"{folder}: not a folder", file=sys.stderr)
        return 2
    dataset, problems = validate_dataset(folder)
    if args.json:
        print(json.dumps({"valid": dataset is not None, "problems": [p.as_dict() for p in problems]}, indent=2))
    elif dataset is None:
        print(f"{folder}: {len(problems)} problem(s)")
        for p in problems:
            print(f"  - {p}")
    else:
        counts = ", ".join(f"{name} {len(df):,}" for name, df in dataset.tables.items())
        print(f"{folder}: valid ({counts}; waves {', '.join(map(str, dataset.waves))})")
    return 0 if dataset is not None else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser("demo", help="generate the seeded synthetic demo dataset (or a large one for benchmarks)")
    demo.add_argument(
        "--check", action="store_true", help="exit 0 only if a fresh generation is byte-identical to data/demo/"
    )
    demo.add_argument("--respondents", type=int, help="scale generator: this many respondents in all")
    demo.add_argument("--out", help="output folder (default data/demo/; required with --respondents)")
    demo.add_argument("--format", choices=["csv", "parquet"], help="table format (default csv; parquet at scale)")
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    demo.set_defaults(func=_cmd_demo)
    validate = sub.add_parser("validate", help="validate a dataset folder and print every problem")
    validate.add_argument("path", help="dataset folder (tables as CSV or Parquet, plus manifest.json)")
    validate.add_argument("--json", action="store_true", help="print the problems as JSON")
    validate.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command: Command = args.func
    return command(args)
