"""``python -m dashboard publish | rollback | history | steward-prepare``: the steward's path on the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboard import audit_log as AL
from dashboard.config import Config
from dashboard.steward import history as H
from dashboard.steward import publish as P
from dashboard.steward import uploads as U


def _by(args: argparse.Namespace) -> str:
    return args.by or f"cli:{getpass.getuser()}"


def _cmd_publish(args: argparse.Namespace) -> int:
    from dashboard.data.validate import load_dataset
    from dashboard.data.vocab import vocabularies
    from dashboard.ingest import Limits, Upload, ingest

    config = Config.from_env()
    vocab = vocabularies()
    limit = config.max_upload_mb * 1024 * 1024
    uploads = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{path}: not a file", file=sys.stderr)
            return 2
        with open(path, "rb") as fh:
            uploads.append(Upload(path.name, fh.read(limit + 1)))
    base = H.dataset_of(config.release_dir, H.current_version(config.release_dir), config.dataset_dir)
    result = ingest(uploads, load_dataset(base, vocab), vocab, Limits(max_bytes=limit))
    for notice in result.notices:
        print(f"notice: {notice.file}: {notice.message} [{notice.rule}]")
    if not result.ok or result.tables is None:
        print(f"refused: {len(result.problems)} problem(s); nothing was published", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    upload_id = U.stage(
        config,
        result.tables,
        {"wave": result.wave, "rows": result.rows, "files": ", ".join(u.name for u in uploads)},
        _by(args),
    )
    audit = AL.AuditLog(config.audit_log)
    audit.record(AL.UPLOAD, user=_by(args), upload=upload_id, wave=result.wave, rows=sum(result.rows.values()))
    try:
        version = P.publish_upload(config, upload_id, _by(args))
    except (P.PublishError, P.PublishBusy) as err:
        audit.record(AL.PUBLISH_FAILED, user=_by(args), upload=upload_id, reason=str(err))
        print(f"not published: {err}", file=sys.stderr)
        return 1
    audit.record(AL.PUBLISH, user=_by(args), upload=upload_id, version=version)
    print(f"published version {version} (wave {result.wave} added)")
    return 0


def _cmd_prepare(args: argparse.Namespace) -> int:
    config = Config.from_env()
    try:
        P.prepare(config, args.upload)
    except P.PublishError as err:
        U.set_status(config, args.upload, state=U.FAILED, message=str(err))
        return 1
    except Exception as err:
        U.set_status(config, args.upload, state=U.FAILED, message=f"the build failed: {type(err).__name__}")
        raise
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """Check a received upload (started by the steward page): never in the web process, which serves the public."""
    from dashboard.data.validate import load_dataset
    from dashboard.data.vocab import vocabularies
    from dashboard.ingest import Limits, Upload, ingest

    config = Config.from_env()
    audit = AL.AuditLog(config.audit_log)
    by = str(U.upload_meta(config, args.upload).get("by", "?"))
    try:
        vocab = vocabularies()
        uploads = [Upload(name, data) for name, data in U.incoming_uploads(config, args.upload)]
        base = H.dataset_of(config.release_dir, H.current_version(config.release_dir), config.dataset_dir)
        limits = Limits(max_bytes=config.max_upload_mb * 1024 * 1024)
        result = ingest(uploads, load_dataset(base, vocab), vocab, limits, args.lang)
        U.check(config, args.upload, U.report_of(result), result.tables if result.ok else None)
    except Exception:
        U.check(config, args.upload, {"problems": [], "message": "the check failed"}, None)
        raise
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


def add_steward_parsers(sub: argparse._SubParsersAction) -> None:
    publish = sub.add_parser("publish", help="check a survey wave (CSV/XLSX files), build, audit and publish it")
    publish.add_argument("files", nargs="+", help="respondents.csv and encounters.csv, or one .xlsx workbook")
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
    check.set_defaults(func=_cmd_check)
    prepare = sub.add_parser("steward-prepare", help="prepare a staged upload (started by the steward page)")
    prepare.add_argument("upload")
    prepare.set_defaults(func=_cmd_prepare)
