"""The steward pages (``/steward``): upload a wave, read its checks, prepare and publish it, roll back.

Plain server-rendered form routes: every POST carries a CSRF token, every route requires the steward role from
the server-side session (anonymous visitors are sent to log in, other roles get 403), and every upload, publish
and rollback is written to the audit log without data values.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Final

import flask
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard import audit_log as AL
from dashboard.accounts.store import STEWARD
from dashboard.auth.identity import at_least, viewer_name, viewer_role
from dashboard.auth.web import csrf_ok, login_url, request_lang
from dashboard.context import AppContext
from dashboard.i18n import t, text_of
from dashboard.ingest.exports import Instrument
from dashboard.ingest.mapping import LabelIndex, label_index
from dashboard.steward import exports as X
from dashboard.steward import history as H
from dashboard.steward import mapping_form as F
from dashboard.steward import progress as PG
from dashboard.steward import publish as P
from dashboard.steward import uploads as U

PREFIX: Final = "/steward"
MAX_FILES: Final = 4
WAVE_DIGITS: Final = 4
_LABEL_INDEX: LabelIndex | None = None  # the vocabularies' labels and synonyms, built once per process


def steward_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Deny by default: only a logged-in steward gets past; anyone else is sent to log in or refused."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        role = viewer_role()
        if role == "public":
            return flask.redirect(login_url(flask.request.path), code=303)
        if not at_least(role, STEWARD):
            return _page("steward_denied.html", 403)
        return view(*args, **kwargs)

    return guarded


def _page(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    lang = request_lang()
    body = flask.render_template(template, lang=lang, t=t, csrf_token=generate_csrf(), who=viewer_name(), **values)
    return body, status


def install(server: flask.Flask, ctx: AppContext) -> None:
    config = ctx.config
    audit = ctx.audit

    def address() -> str:
        return flask.request.remote_addr or "unknown"

    def home(status: int = 200, **values: Any) -> tuple[str, int]:
        return _page(
            "steward.html",
            status,
            versions=H.versions(config.release_dir),
            actions=list(reversed(H.entries(config.release_dir)[-20:])),
            uploads=U.recent_uploads(config),
            max_mb=config.max_upload_mb,
            **values,
        )

    @server.get(PREFIX)
    @steward_only
    def steward_home() -> tuple[str, int]:
        return home()

    @server.get(f"{PREFIX}/template.xlsx")
    @steward_only
    def template_xlsx() -> flask.Response:
        from dashboard.ingest import template_xlsx as make

        return _download(
            make(ctx.vocab, request_lang()),
            "survey-wave-template.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    @server.get(f"{PREFIX}/template/<table>.csv")
    @steward_only
    def template_csv(table: str) -> flask.Response | tuple[str, int]:
        from dashboard.ingest import template_csv as make

        if table not in ("respondents", "encounters"):
            return home(404, error=t("steward.error.no_such", request_lang()))
        return _download(make(table), f"{table}-template.csv", "text/csv; charset=utf-8")

    @server.get(f"{PREFIX}/dictionary")
    @steward_only
    def dictionary() -> tuple[str, int]:
        from dashboard.ingest import data_dictionary

        return _page("steward_dictionary.html", rows=data_dictionary(ctx.vocab, request_lang()))

    @server.post(f"{PREFIX}/upload")
    @steward_only
    def upload() -> Any:
        lang = request_lang()
        limit = config.max_upload_mb * 1024 * 1024
        flask.request.max_content_length = limit * MAX_FILES + 64 * 1024
        try:
            if not csrf_ok():
                return home(400, error=t("auth.error.csrf", lang))
            files = [f for f in flask.request.files.getlist("files") if f and f.filename][:MAX_FILES]
        except RequestEntityTooLarge:
            audit.record(AL.UPLOAD_REFUSED, user=viewer_name(), address=address(), rules="too_large")
            return home(413, error=t("steward.error.too_large", lang, limit_mb=config.max_upload_mb))
        if not files:
            return home(400, error=t("steward.error.no_file", lang))
        wave = flask.request.form.get("wave", "").strip()[:8]
        if not _wave_ok(wave, required=False):
            return home(400, error=t("steward.error.wave", lang))
        received = [(f.filename or "upload", f.read(limit + 1)) for f in files]  # one byte over: "too large"
        try:
            upload_id = U.receive(config, received, viewer_name() or "?", lang, ("--wave", wave) if wave else ())
        except U.UploadError as err:  # the job queue did not answer: nothing was kept
            return home(503, error=err.text(lang))
        names = ", ".join(name[:80] for name, _ in received)
        audit.record(AL.UPLOAD, user=viewer_name(), address=address(), files=names, upload=upload_id)
        return flask.redirect(f"{PREFIX}/uploads/{upload_id}", code=303)

    @server.get(f"{PREFIX}/uploads/<upload_id>")
    @steward_only
    def upload_page(upload_id: str) -> tuple[str, int]:
        try:
            meta = U.upload_meta(config, upload_id)
        except U.UploadError:
            meta = {}
        if not meta:
            return home(404, error=t("steward.error.no_such", request_lang()))
        if U.status(config, upload_id).get("state") == X.MAPPING and "export" in meta:
            instrument = Instrument.from_dict(meta.get("instrument") or {})
            wave = "" if meta.get("wave_given") is None else str(meta["wave_given"])
            problems = [p.get("text", "") for p in meta.get("mapping_problems", [])]
            return _mapping_page(ctx, meta, instrument, wave, problems)
        record = PG.read(config, upload_id)
        return _page(
            "steward_upload.html",
            upload_id=upload_id,
            upload=meta,
            report=meta,
            state=U.status(config, upload_id),
            served=H.current_version(config.release_dir),
            progress=PG.shown(record, request_lang()),
            failure=PG.failure_note(record, request_lang()),
            shown_key=shown_key(U.status(config, upload_id), PG.shown(record, request_lang())),
        )

    @server.get(f"{PREFIX}/uploads/<upload_id>/progress")
    @steward_only
    def upload_progress(upload_id: str) -> tuple[dict[str, Any], int]:
        """The upload's state and progress as JSON (what the upload page shows), from whichever instance."""
        try:
            state = U.status(config, upload_id)
        except U.UploadError:
            state = {}
        if not state:
            return {"error": t("steward.error.no_such", request_lang())}, 404
        record = PG.read(config, upload_id)
        shown: dict[str, Any] = {k: state[k] for k in ("state", "message", "version", "wave") if k in state}
        progress = PG.shown(record, request_lang())
        key = shown_key(state, progress)
        return {**shown, "progress": progress, "failure": PG.failure_note(record, request_lang()), "key": key}, 200

    @server.post(f"{PREFIX}/uploads/<upload_id>/mapping")
    @steward_only
    def mapping(upload_id: str) -> Any:
        lang = request_lang()
        if not csrf_ok():
            return home(400, error=t("auth.error.csrf", lang))
        try:
            meta = U.upload_meta(config, upload_id)
            if U.status(config, upload_id).get("state") != X.MAPPING or "export" not in meta:
                raise U.UploadError("steward.error.no_such")
        except U.UploadError:
            return home(404, error=t("steward.error.no_such", lang))
        instrument, wave = F.from_post(flask.request.form, meta["export"], ctx.vocab)
        if flask.request.form.get("action") != "save":
            return _mapping_page(ctx, meta, instrument, wave, [])
        shown = F.view(meta["export"], instrument, ctx.vocab, _index(ctx), wave, lang)
        messages = F.checked(instrument, shown, ctx.vocab, lang)
        if not _wave_ok(wave, instrument.wave_from == "form"):
            messages.append(t("steward.error.wave", lang))
        if messages:
            return _mapping_page(ctx, meta, instrument, wave, messages, 400)
        X.save_instrument(config, instrument)
        audit.record(
            AL.UPLOAD,
            user=viewer_name(),
            address=address(),
            upload=upload_id,
            outcome="mapping saved",
            instrument=instrument.name,
        )
        try:
            U.recheck(
                config, upload_id, "--lang", lang, "--instrument", instrument.name, *(("--wave", wave) if wave else ())
            )
        except U.UploadError as err:
            return _mapping_page(ctx, meta, instrument, wave, [err.text(lang)], 409)
        return flask.redirect(f"{PREFIX}/uploads/{upload_id}", code=303)

    @server.post(f"{PREFIX}/uploads/<upload_id>/prepare")
    @steward_only
    def prepare(upload_id: str) -> Any:
        if not csrf_ok():
            return home(400, error=t("auth.error.csrf", request_lang()))
        try:
            if U.status(config, upload_id).get("state") not in (U.CHECKED, U.FAILED):
                raise U.UploadError("steward.error.not_checked")
            U.start_prepare(config, upload_id)
        except U.UploadError as err:
            return home(400, error=err.text(request_lang()))
        return flask.redirect(f"{PREFIX}/uploads/{upload_id}", code=303)

    @server.post(f"{PREFIX}/uploads/<upload_id>/publish")
    @steward_only
    def publish(upload_id: str) -> Any:
        lang = request_lang()
        if not csrf_ok():
            return home(400, error=t("auth.error.csrf", lang))
        try:
            version = P.publish_prepared(config, upload_id, viewer_name() or "?")
        except (P.PublishError, P.PublishBusy, U.UploadError) as err:
            audit.record(
                AL.PUBLISH_FAILED, user=viewer_name(), address=address(), upload=upload_id[:40], reason=str(err)
            )
            return home(409, error=text_of(err, lang))
        ctx.releases.refresh()
        audit.record(AL.PUBLISH, user=viewer_name(), address=address(), upload=upload_id, version=version)
        return home(200, message=t("steward.published", lang, version=version))

    @server.post(f"{PREFIX}/rollback")
    @steward_only
    def rollback() -> Any:
        lang = request_lang()
        if not csrf_ok():
            return home(400, error=t("auth.error.csrf", lang))
        version = flask.request.form.get("version", "")[:64]
        try:
            P.rollback(config, version, viewer_name() or "?")
        except (P.PublishError, P.PublishBusy) as err:
            return home(409, error=text_of(err, lang))
        ctx.releases.refresh()
        audit.record(AL.ROLLBACK, user=viewer_name(), address=address(), version=version)
        return home(200, message=t("steward.rolled_back", lang, version=version))


def _wave_ok(wave: str, required: bool) -> bool:
    """A wave as the steward typed it: four digits, or nothing when the mapping dates the wave itself."""
    return (wave.isascii() and wave.isdigit() and len(wave) == WAVE_DIGITS) if wave or required else True


def _index(ctx: AppContext) -> LabelIndex:
    global _LABEL_INDEX
    if _LABEL_INDEX is None:
        _LABEL_INDEX = label_index(ctx.vocab)
    return _LABEL_INDEX


def _mapping_page(
    ctx: AppContext, meta: dict[str, Any], instrument: Instrument, wave: str, problems: list[str], status: int = 200
) -> tuple[str, int]:
    """The mapping form of an export waiting for its instrument mapping."""
    lang = request_lang()
    form = F.view(meta["export"], instrument, ctx.vocab, _index(ctx), wave, lang)
    return _page("steward_mapping.html", status, upload=meta, form=form, problems=problems, no_answer=F.NO_ANSWER)


def _download(data: bytes, name: str, mimetype: str) -> flask.Response:
    response = flask.Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def shown_key(state: dict[str, Any], progress: dict[str, Any] | None) -> str:
    """What an upload page shows, in one string: the page's script reloads when the progress JSON's differs."""
    p = progress or {}
    return "|".join(str(v) for v in (state.get("state", ""), p.get("state", ""), p.get("step", ""), p.get("stage", "")))
