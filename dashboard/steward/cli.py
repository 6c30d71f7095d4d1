"""``python -m dashboard publish | rollback | history | steward-prepare | steward-worker``: the steward's path on the
command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard import audit_log as AL
from dashboard.config import Config
from dashboard.i18n import LocalisedError, t
from dashboard.steward import history as H
from dashboard.steward import progress as PG
from dashboard.steward import publish as P
from dashboard.steward import uploads as U

if TYPE_CHECKING:
    from dashboard.data.dataset import Dataset
    from dashboard.data.vocab import Vocabularies
    from dashboard.ingest import IngestResult, Limits, Upload
    from dashboard.ingest.exports import ExportResult


def _by(args: argparse.Namespace) -> str:
    return args.by or f"cli:{getpass.getuser()}"


def _read_files(names: list[str], limit: int) -> list[Upload] | None:
    from dashboard.ingest import Upload

    uploads = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            print(f"{path}: not a file", file=sys.stderr)
            return None
        with open(path, "rb") as fh:
            uploads.append(Upload(path.name, fh.read(limit + 1)))
    return uploads


def _cmd_publish(args: argparse.Namespace) -> int:
    from dashboard.data.validate import load_dataset
    from dashboard.data.vocab import vocabularies
    from dashboard.ingest import Limits, ingest

    config = Config.from_env()
    vocab = vocabularies()
    limit = config.max_upload_mb * 1024 * 1024
    uploads = _read_files(args.files, limit)
    if uploads is None:
        return 2
    base = load_dataset(
        H.dataset_of(config.release_dir, H.current_version(config.release_dir), config.dataset_dir), vocab
    )
    limits = Limits(max_bytes=limit)
    counts: dict = {}
    if args.instrument or args.wave is not None:
        outcome = _export_outcome(args, uploads, base, vocab, limits)
        if outcome is None:
            return 2
        result, counts = outcome.result, outcome.counts
    else:
        from dashboard.steward.exports import is_export

        if is_export(uploads, limits):
            return _print_suggestion(uploads[0], vocab, limits)
        result = ingest(uploads, base, vocab, limits)
    for notice in result.notices:
        column = f", column {notice.column!r}" if notice.column else ""
        print(f"notice: {notice.file}{column}: {notice.message} [{notice.rule}]")
    if counts:
        print(_export_line(counts))
    if not result.ok or result.tables is None:
        print(f"refused: {len(result.problems)} problem(s); nothing was published", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return _stage_and_publish(args, config, result, uploads, counts)


def _export_outcome(
    args: argparse.Namespace, uploads: list[Upload], base: Dataset, vocab: Vocabularies, limits: Limits
) -> ExportResult | None:
    """The ingest of one survey-tool export through ``--instrument FILE`` (None: the arguments are wrong)."""
    from dashboard.ingest.exports import InstrumentError, ingest_export, load_instrument

    if len(uploads) != 1 or not args.instrument:
        print("--instrument FILE and --wave YEAR go with one survey-tool export", file=sys.stderr)
        return None
    path = Path(args.instrument)
    try:
        instrument = load_instrument(path.read_bytes(), path.name, vocab)
    except OSError:
        print(f"{path}: not a readable file", file=sys.stderr)
        return None
    except InstrumentError as err:
        print(f"the instrument mapping {path.name} cannot be used:", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return None
    return ingest_export(uploads[0], instrument, base, vocab, args.wave, limits)


def _print_suggestion(upload: Upload, vocab: Vocabularies, limits: Limits) -> int:
    """An export given without its mapping: say so, and print a suggested mapping to review and save."""
    from dashboard.ingest.exports import read_export, suggest
    from dashboard.ingest.mapping import label_index

    export, problems = read_export(upload, limits, "en")
    if export is None:
        print("refused; nothing was published", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    found = suggest(export, label_index(vocab), Path(upload.name).stem.replace(" ", "-")[:40] or "survey")
    print(
        f"{upload.name} is a {export.platform} export: it needs --instrument FILE (and --wave YEAR).", file=sys.stderr
    )
    print("A suggested mapping follows: save it, map what it leaves open, and run again.", file=sys.stderr)
    for name, keys in found.ambiguous.items():
        print(f"  - field {name}: ambiguous between questions {', '.join(map(repr, keys))}", file=sys.stderr)
    for name, labels in found.unmapped.items():
        print(f"  - field {name}: labels with no code: {', '.join(map(repr, labels[:20]))}", file=sys.stderr)
    print(found.instrument.to_yaml())
    return 2


def _export_line(counts: dict) -> str:
    return (
        f"export {counts['file']} ({counts['platform']}): "
        + t("exports.noun.responses", "en", count=counts["responses"])
        + ", "
        + t("exports.noun.incomplete", "en", count=counts["incomplete"])
        + ": "
        + t("exports.noun.respondents", "en", count=counts["respondents"])
        + ", "
        + t("exports.noun.encounters", "en", count=counts["encounters"])
    )


def _stage_and_publish(
    args: argparse.Namespace, config: Config, result: IngestResult, uploads: list[Upload], counts: dict
) -> int:
    assert result.tables is not None  # the caller refused an upload without clean tables
    report = {"wave": result.wave, "rows": result.rows, "files": ", ".join(u.name for u in uploads)}
    upload_id = U.stage(config, result.tables, report | ({"export": counts} if counts else {}), _by(args))
    audit = AL.AuditLog(config.audit_log)
    audit.record(AL.UPLOAD, user=_by(args), upload=upload_id, wave=result.wave, rows=sum(result.rows.values()))
    from dashboard.steward.prepare import publish_upload

    try:
        version = publish_upload(config, upload_id, _by(args))
    except (P.PublishError, P.PublishBusy) as err:
        audit.record(AL.PUBLISH_FAILED, user=_by(args), upload=upload_id, reason=str(err))
        print(f"not published: {err}", file=sys.stderr)
        return 1
    audit.record(AL.PUBLISH, user=_by(args), upload=upload_id, version=version)
    print(f"published version {version} (wave {result.wave} added)")
    return 0


def _cmd_prepare(args: argparse.Namespace) -> int:
    config = Config.from_env()
    tracker = PG.Tracker(config, args.upload, PG.PREPARE)
    try:
        from dashboard.steward.prepare import prepare

        prepare(config, args.upload, tracker)
    except P.PublishError as err:
        tracker.failed()
        U.set_status(config, args.upload, state=U.FAILED, message=str(err), messages=err.texts())
        return 1
    except Exception as err:
        tracker.failed()
        failed = LocalisedError("steward.error.build_failed", kind=type(err).__name__)
        U.set_status(config, args.upload, state=U.FAILED, message=str(failed), messages=failed.texts())
        raise
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """Check a received upload (started by the steward page): never in the web process, which serves the public."""
    from dashboard.data.validate import load_dataset
    from dashboard.data.vocab import vocabularies
    from dashboard.ingest import Limits, Upload, ingest
    from dashboard.steward import exports as X

    config = Config.from_env()
    audit = AL.AuditLog(config.audit_log)
    by = str(U.upload_meta(config, args.upload).get("by", "?"))
    tracker = PG.Tracker(config, args.upload, PG.CHECK)
    try:
        tracker.stage("read")
        vocab = vocabularies()
        uploads = [Upload(name, data) for name, data in U.incoming_uploads(config, args.upload)]
        base = H.dataset_of(config.release_dir, H.current_version(config.release_dir), config.dataset_dir)
        limits = Limits(max_bytes=config.max_upload_mb * 1024 * 1024)
        dataset = load_dataset(base, vocab)
        tracker.stage("check")
        if X.is_export(uploads, limits):
            request = X.CheckRequest(config, args.upload, args.lang, args.wave, args.instrument)
            ok, result = X.check_export(request, uploads[0], dataset, vocab, limits)
            if ok is None:
                tracker.done()
                audit.record(AL.UPLOAD, user=by, upload=args.upload, outcome="needs mapping")
                return 0
        else:
            result = ingest(uploads, dataset, vocab, limits, args.lang)
            tracker.stage("keep")
            U.check(config, args.upload, U.report_of(result), result.tables if result.ok else None)
    except Exception:
        tracker.failed()
        U.check(config, args.upload, {"problems": [], "message": "the check failed"}, None)
        raise
    tracker.done()
    if result.ok:
        audit.record(
            AL.UPLOAD, user=by, upload=args.upload, outcome="checked", wave=result.wave, rows=sum(result.rows.values())
        )
        return 0
    rules = ",".join(sorted({p.rule for p in result.problems}))
    audit.record(AL.UPLOAD_REFUSED, user=by, upload=args.upload, rules=rules, problems=len(result.problems))
    return 1


def _cmd_rollback(args: argparse.Namespace) -> int:
    config = Config.from_env()
    try:
        P.rollback(config, args.version, _by(args))
    except (P.PublishError, P.PublishBusy) as err:
        print(f"not rolled back: {err}", file=sys.stderr)
        return 1
    AL.AuditLog(config.audit_log).record(AL.ROLLBACK, user=_by(args), version=args.version)
    print(f"serving version {args.version}")
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    config = Config.from_env()
    for v in H.versions(config.release_dir):
        mark = "*" if v.current else " "
        waves = ",".join(map(str, v.waves))
        print(f"{mark} {v.name}  {v.published_at}  by {v.by or '-'}  {v.dataset}  waves {waves}")
    return 0


def _cmd_worker(args: argparse.Namespace) -> int:
    """Run a worker of the steward's job queue (DASHBOARD_JOB_QUEUE must name a Redis)."""
    from dashboard.config import LOCAL_JOBS
    from dashboard.steward import queue as Q

    config = Config.from_env()
    if config.job_queue == LOCAL_JOBS:
        print("DASHBOARD_JOB_QUEUE is local (jobs need no worker); set it to redis://HOST:PORT/DB", file=sys.stderr)
        return 2
    Q.work(config, burst=args.burst)
    return 0


def add_steward_parsers(sub: argparse._SubParsersAction) -> None:
    publish = sub.add_parser("publish", help="check a survey wave (CSV/XLSX files), build, audit and publish it")
    publish.add_argument(
        "files", nargs="+", help="respondents.csv and encounters.csv, one .xlsx workbook, or one survey-tool export"
    )
    publish.add_argument("--instrument", help="the instrument mapping (YAML) of a survey-tool export")
    publish.add_argument("--wave", type=int, help="the wave of a survey-tool export (unless its mapping dates it)")
    publish.add_argument("--by", help="who publishes (recorded in the release history; default cli:<login>)")
    publish.set_defaults(func=_cmd_publish)
    rollback = sub.add_parser("rollback", help="serve an earlier published version again")
    rollback.add_argument("version", help="a version name from `history`")
    rollback.add_argument("--by", help="who rolls back (recorded in the release history)")
    rollback.set_defaults(func=_cmd_rollback)
    history = sub.add_parser("history", help="list published versions (* = served)")
    history.set_defaults(func=_cmd_history)
    check = sub.add_parser("steward-check", help="check a received upload (started by the steward page)")
    check.add_argument("upload")
    check.add_argument("--lang", choices=["en", "fr"], default="en")
    check.add_argument("--wave", type=int, help="the wave the steward gave for a survey-tool export")
    check.add_argument("--instrument", help="the saved instrument mapping to check a survey-tool export with")
    check.set_defaults(func=_cmd_check)
    prepare = sub.add_parser("steward-prepare", help="prepare a staged upload (started by the steward page)")
    prepare.add_argument("upload")
    prepare.set_defaults(func=_cmd_prepare)
    worker = sub.add_parser("steward-worker", help="run the steward's jobs from the Redis queue (DASHBOARD_JOB_QUEUE)")
    worker.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    worker.set_defaults(func=_cmd_worker)
