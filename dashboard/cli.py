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
from dashboard.accounts.cli import add_users_parser
from dashboard.data.synthetic import DEFAULT_SEED, GeneratorSpec, write_dataset
from dashboard.data.validate import validate_dataset
from dashboard.published.tiers import Tier
from dashboard.steward.cli import add_steward_parsers

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


def _cmd_release(args: argparse.Namespace) -> int:
    from dashboard.config import Config
    from dashboard.data.vocab import vocabularies
    from dashboard.published.table import ReleaseError
    from dashboard.release.builder import ReleaseAuditError, build, served_releases, write
    from dashboard.secret import SecretError, load_or_create

    dataset, problems = validate_dataset(Path(args.dataset))
    if dataset is None:
        print(f"{args.dataset}: {len(problems)} problem(s); no release was built", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    secret_file = Path(args.secret_file) if args.secret_file else Config.from_env().secret_file
    try:
        secret = load_or_create(secret_file)
    except SecretError as err:
        print(str(err), file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        previous = served_releases(Path(args.out))  # earlier waves keep the pattern it published (issue 12, part 6)
    except ReleaseError as err:
        print(f"{err}\nno release was written: earlier waves must keep what it published", file=sys.stderr)
        return 1
    try:
        result = build(dataset, vocabularies(), secret, previous=previous)
    except ReleaseAuditError as err:
        print(f"{err}\nno release was written", file=sys.stderr)
        return 1
    version = write(result, Path(args.out))
    seconds = time.perf_counter() - started
    for tier, summary in result.report["tiers"].items():
        print(
            f"{tier:>9}: {summary['tables']} tables, {summary['cells']:,} cells, {summary['suppressed']:,} "
            f"suppressed, {summary['information_lost']:.1%} of counts hidden, audit passed "
            f"({summary['audit']['checked']:,} cells checked)"
        )
    print(f"published {version} in {seconds:.1f} s; steward report: {version / Tier.STEWARD / 'report.md'}")
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    """Rules and both attackers (survey tables; network and voices tables) on a written release."""
    from dashboard.data.vocab import vocabularies
    from dashboard.published.table import Release, ReleaseError
    from dashboard.published.tiers import PUBLISHED_TIERS
    from dashboard.release.attack import attack
    from dashboard.release.checks import check_release
    from dashboard.release.extras_attack import attack_extras

    folder = Path(args.release)
    releases: dict[str, Release] = {}
    for tier in PUBLISHED_TIERS:
        try:
            releases[tier] = Release.load(folder, tier)
        except ReleaseError:
            continue
    if not releases:
        print(f"{folder}: no published release found", file=sys.stderr)
        return 2
    problems = [f"{tier}: {p}" for tier, r in releases.items() for p in check_release(r)]
    for attacker in (attack, attack_extras):
        try:
            problems += [str(f) for f in attacker(releases, vocabularies())]
        except ValueError as err:  # tables that contradict each other: edited after publication
            problems.append(str(err))
    if problems:
        print(f"{folder}: the audit failed ({len(problems)} problem(s))", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(
        f"{folder}: audit passed for {', '.join(releases)} (rules and the attacker's integer programme, "
        "survey, network and voices tables)"
    )
    return 0


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
    release = sub.add_parser("release", help="build, audit and publish one release per tier from a dataset")
    release.add_argument("--dataset", required=True, help="validated dataset folder")
    release.add_argument("--out", required=True, help="release folder (new version under versions/, then current)")
    release.add_argument("--secret-file", help="release secret (hex); default DASHBOARD_SECRET_FILE")
    release.set_defaults(func=_cmd_release)
    audit = sub.add_parser(
        "audit", help="audit a written release: rules and the attackers of its survey, network and voices tables"
    )
    audit.add_argument("release", help="release folder (its current version) or a version folder")
    audit.set_defaults(func=_cmd_audit)
    add_users_parser(sub)
    add_steward_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command: Command = args.func
    return command(args)
