"""The steward pages (``/steward``): upload a wave, read its checks, prepare and publish it, roll back.

Plain server-rendered form routes: every POST carries a CSRF token, every route requires the steward role from
the server-side session (anonymous visitors are sent to log in, other roles get 403), and every upload, publish
and rollback is written to the audit log without data values.

Every route is listed at the end of this module, one table per concern (the files offered, uploads and their
checks, the mapping form, preparing and publishing); ``install`` registers them all, each answered by a typed
function of the app's context and the URL's values.

Why this module is longer than ~300 lines: the route tables and the small functions that answer them are read
together by whoever checks that every steward route is guarded, CSRF-checked and audited; the work itself (reading
uploads, jobs, publishing) lives in the modules they call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Final

import flask
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as Redirect

from dashboard import audit_log as AL
from dashboard import formatting as FMT
from dashboard.accounts.store import PUBLIC, STEWARD
from dashboard.auth.identity import at_least, viewer_name, viewer_role
from dashboard.auth.web import csrf_ok, login_url, request_lang
from dashboard.config import Config
from dashboard.context import AppContext
from dashboard.i18n import t, text_of
from dashboard.ingest.exports import Instrument
from dashboard.ingest.mapping import LabelIndex, label_index
from dashboard.parsing import ascii_digits
from dashboard.published import export as EX
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

Page = tuple[str, int]


def steward_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Deny by default: only a logged-in steward gets past; anyone else is sent to log in or refused."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        role = viewer_role()
        if role == PUBLIC:
            return flask.redirect(login_url(flask.request.path, request_lang()), code=303)
        if not at_least(role, STEWARD):
            return _page("steward_denied.html", 403)
        return view(*args, **kwargs)

    return guarded


def install(server: flask.Flask, ctx: AppContext) -> None:
    """Register every steward route on ``server``, each behind :func:`steward_only`."""
    for concern in (FILES, UPLOADS, MAPPING, PUBLISHING):
        for route in concern:
            route.register(server, ctx)


@dataclass(frozen=True)
class Route:
    """One steward route: ``view(ctx, **url_values)`` answers ``method`` on ``PREFIX + path``."""

    method: str
    path: str
    endpoint: str  # Flask's name of the route
    view: Callable[..., Any]

    def register(self, server: flask.Flask, ctx: AppContext) -> None:
        view = self.view

        def answer(**url_values: Any) -> Any:
            return view(ctx, **url_values)

        server.add_url_rule(PREFIX + self.path, self.endpoint, steward_only(answer), methods=[self.method])


# ------------------------------------------------------------------------------------------------- shared parts
def _page(template: str, status: int = 200, **values: Any) -> Page:
    lang = request_lang()
    body = flask.render_template(
        template, lang=lang, t=t, fmt=FMT, when=FMT.moment, csrf_token=generate_csrf(), who=viewer_name(), **values
    )
    return body, status


def _home(ctx: AppContext, status: int = 200, **values: Any) -> Page:
    """The steward's home page: versions, recent actions and uploads, with an error or a message if given."""
    config = ctx.config
    return _page(
        "steward.html",
        status,
        versions=H.versions(config.release_dir),
        actions=list(reversed(H.entries(config.release_dir)[-20:])),
        uploads=U.recent_uploads(config),
        max_mb=config.max_upload_mb,
        **values,
    )


def _error(ctx: AppContext, status: int, key: str) -> Page:
    """The home page with the message ``key`` as its error."""
    return _home(ctx, status, error=t(key, request_lang()))


def _address() -> str:
    return flask.request.remote_addr or "unknown"


def _audit(ctx: AppContext, event: str, **fields: Any) -> None:
    """An audit record of ``event`` by the steward of this request, from their address."""
    ctx.audit.record(event, user=viewer_name(), address=_address(), **fields)


def _see_upload(upload_id: str) -> Redirect:
    return flask.redirect(f"{PREFIX}/uploads/{upload_id}", code=303)


def _download(data: bytes, name: str, mimetype: str) -> flask.Response:
    response = flask.Response(data, content_type=mimetype)  # as given: a mimetype would get a second charset
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----------------------------------------------------------------------------------------- templates, dictionary
# The templates are written by ``dashboard.ingest.template`` through the downloads' one writer (``published.export``:
# the CSV header by ``to_csv``, CRLF and a BOM; the workbook's cells by ``neutralise_value``), with its media types.
# They hold no published table, so ``components.download.send`` (a tier's export policy, the ``export`` audit
# record) does not apply: only a steward reaches these routes.
def _template_xlsx(ctx: AppContext) -> flask.Response:
    from dashboard.ingest import template_xlsx as make

    return _download(make(ctx.vocab, request_lang()), "survey-wave-template.xlsx", EX.MEDIA_TYPES[EX.XLSX])


def _template_csv(ctx: AppContext, table: str) -> flask.Response | Page:
    from dashboard.ingest import template_csv as make

    if table not in ("respondents", "encounters"):
        return _error(ctx, 404, "steward.error.no_such")
    return _download(make(table), f"{table}-template.csv", f"{EX.MEDIA_TYPES[EX.CSV]}; charset=utf-8")


def _dictionary(ctx: AppContext) -> Page:
    from dashboard.ingest import data_dictionary

    return _page("steward_dictionary.html", rows=data_dictionary(ctx.vocab, request_lang()))


# ------------------------------------------------------------------------------------------------------- uploads
def _upload(ctx: AppContext) -> Any:
    config = ctx.config
    lang = request_lang()
    limit = config.max_upload_mb * 1024 * 1024
    flask.request.max_content_length = limit * MAX_FILES + 64 * 1024
    try:
        if not csrf_ok():
            return _error(ctx, 400, "auth.error.csrf")
        files = [f for f in flask.request.files.getlist("files") if f and f.filename][:MAX_FILES]
    except RequestEntityTooLarge:
        _audit(ctx, AL.UPLOAD_REFUSED, rules="too_large")
        return _home(ctx, 413, error=t("steward.error.too_large", lang, limit_mb=config.max_upload_mb))
    if not files:
        return _error(ctx, 400, "steward.error.no_file")
    wave = flask.request.form.get("wave", "").strip()[:8]
    if not _wave_ok(wave, required=False):
        return _error(ctx, 400, "steward.error.wave")
    received = [(f.filename or "upload", f.read(limit + 1)) for f in files]  # one byte over: "too large"
    try:
        upload_id = U.receive(config, received, viewer_name() or "?", lang, ("--wave", wave) if wave else ())
    except U.UploadError as err:  # the job queue did not answer: nothing was kept
        return _home(ctx, 503, error=err.text(lang))
    _audit(ctx, AL.UPLOAD, files=", ".join(name[:80] for name, _ in received), upload=upload_id)
    return _see_upload(upload_id)


def _upload_page(ctx: AppContext, upload_id: str) -> Page:
    config = ctx.config
    meta = _read(U.upload_meta, config, upload_id)
    if not meta:
        return _error(ctx, 404, "steward.error.no_such")
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


def _upload_progress(ctx: AppContext, upload_id: str) -> tuple[dict[str, Any], int]:
    config = ctx.config
    state = _read(U.status, config, upload_id)
    if not state:
        return {"error": t("steward.error.no_such", request_lang())}, 404
    record = PG.read(config, upload_id)
    shown: dict[str, Any] = {k: state[k] for k in ("state", "message", "version", "wave") if k in state}
    progress = PG.shown(record, request_lang())
    key = shown_key(state, progress)
    return {**shown, "progress": progress, "failure": PG.failure_note(record, request_lang()), "key": key}, 200


def _read(read: Callable[[Config, str], dict[str, Any]], config: Config, upload_id: str) -> dict[str, Any]:
    """What ``read`` (``U.upload_meta``, ``U.status``) says of an upload; empty when it cannot say."""
    try:
        return read(config, upload_id)
    except U.UploadError:
        return {}


def _wave_ok(wave: str, required: bool) -> bool:
    """A wave as the steward typed it: four digits, or nothing when the mapping dates the wave itself."""
    return ascii_digits(wave, WAVE_DIGITS, least=WAVE_DIGITS) if wave or required else True


def shown_key(state: dict[str, Any], progress: dict[str, Any] | None) -> str:
    """What an upload page shows, in one string: the page's script reloads when the progress JSON's differs."""
    p = progress or {}
    return "|".join(str(v) for v in (state.get("state", ""), p.get("state", ""), p.get("step", ""), p.get("stage", "")))


# ------------------------------------------------------------------------------------------------------- mapping
def _mapping(ctx: AppContext, upload_id: str) -> Any:
    lang = request_lang()
    if not csrf_ok():
        return _error(ctx, 400, "auth.error.csrf")
    meta = _waiting_export(ctx, upload_id)
    if meta is None:
        return _error(ctx, 404, "steward.error.no_such")
    instrument, wave = F.from_post(flask.request.form, meta["export"], ctx.vocab)
    if flask.request.form.get("action") != "save":
        return _mapping_page(ctx, meta, instrument, wave, [])
    messages = _mapping_messages(ctx, meta, instrument, wave, lang)
    if messages:
        return _mapping_page(ctx, meta, instrument, wave, messages, 400)
    X.save_instrument(ctx.config, instrument)
    _audit(ctx, AL.UPLOAD, upload=upload_id, outcome="mapping saved", instrument=instrument.name)
    try:
        U.recheck(
            ctx.config, upload_id, "--lang", lang, "--instrument", instrument.name, *(("--wave", wave) if wave else ())
        )
    except U.UploadError as err:
        return _mapping_page(ctx, meta, instrument, wave, [err.text(lang)], 409)
    return _see_upload(upload_id)


def _waiting_export(ctx: AppContext, upload_id: str) -> dict[str, Any] | None:
    """The metadata of an upload whose export waits for its mapping; None for any other upload or none."""
    meta = _read(U.upload_meta, ctx.config, upload_id)
    if _read(U.status, ctx.config, upload_id).get("state") != X.MAPPING or "export" not in meta:
        return None
    return meta


def _mapping_messages(ctx: AppContext, meta: dict[str, Any], instrument: Instrument, wave: str, lang: str) -> list[str]:
    """What is wrong with a mapping the steward asked to save (nothing: it can be saved)."""
    shown = F.view(meta["export"], instrument, ctx.vocab, _index(ctx), wave, lang)
    messages = F.checked(instrument, shown, ctx.vocab, lang)
    if not _wave_ok(wave, instrument.wave_from == "form"):
        messages.append(t("steward.error.wave", lang))
    return messages


def _index(ctx: AppContext) -> LabelIndex:
    global _LABEL_INDEX
    if _LABEL_INDEX is None:
        _LABEL_INDEX = label_index(ctx.vocab)
    return _LABEL_INDEX


def _mapping_page(
    ctx: AppContext, meta: dict[str, Any], instrument: Instrument, wave: str, problems: list[str], status: int = 200
) -> Page:
    """The mapping form of an export waiting for its instrument mapping."""
    lang = request_lang()
    form = F.view(meta["export"], instrument, ctx.vocab, _index(ctx), wave, lang)
    return _page("steward_mapping.html", status, upload=meta, form=form, problems=problems, no_answer=F.NO_ANSWER)


# -------------------------------------------------------------------------------------- prepare, publish, rollback
def _prepare(ctx: AppContext, upload_id: str) -> Any:
    if not csrf_ok():
        return _error(ctx, 400, "auth.error.csrf")
    try:
        if U.status(ctx.config, upload_id).get("state") not in (U.CHECKED, U.FAILED):
            raise U.UploadError("steward.error.not_checked")
        U.start_prepare(ctx.config, upload_id)
    except U.UploadError as err:
        return _home(ctx, 400, error=err.text(request_lang()))
    return _see_upload(upload_id)


def _publish(ctx: AppContext, upload_id: str) -> Page:
    lang = request_lang()
    if not csrf_ok():
        return _error(ctx, 400, "auth.error.csrf")
    try:
        version = P.publish_prepared(ctx.config, upload_id, viewer_name() or "?")
    except (P.PublishError, P.PublishBusy, U.UploadError) as err:
        _audit(ctx, AL.PUBLISH_FAILED, upload=upload_id[:40], reason=str(err))
        return _home(ctx, 409, error=text_of(err, lang))
    ctx.releases.refresh()
    _audit(ctx, AL.PUBLISH, upload=upload_id, version=version)
    return _home(ctx, 200, message=t("steward.published", lang, version=version))


def _rollback(ctx: AppContext) -> Page:
    lang = request_lang()
    if not csrf_ok():
        return _error(ctx, 400, "auth.error.csrf")
    version = flask.request.form.get("version", "")[:64]
    try:
        P.rollback(ctx.config, version, viewer_name() or "?")
    except (P.PublishError, P.PublishBusy) as err:
        return _home(ctx, 409, error=text_of(err, lang))
    ctx.releases.refresh()
    _audit(ctx, AL.ROLLBACK, version=version)
    return _home(ctx, 200, message=t("steward.rolled_back", lang, version=version))


# ----------------------------------------------------------------------------------------- the routes, per concern
FILES: Final = (  # the steward's home page and what it offers to download
    Route("GET", "", "steward_home", _home),
    Route("GET", "/template.xlsx", "template_xlsx", _template_xlsx),
    Route("GET", "/template/<table>.csv", "template_csv", _template_csv),
    Route("GET", "/dictionary", "dictionary", _dictionary),
)
UPLOADS: Final = (  # receiving an upload, its page, its state and progress as JSON (from whichever instance)
    Route("POST", "/upload", "upload", _upload),
    Route("GET", "/uploads/<upload_id>", "upload_page", _upload_page),
    Route("GET", "/uploads/<upload_id>/progress", "upload_progress", _upload_progress),
)
MAPPING: Final = (  # an export's mapping form: shown again on each change, saved and rechecked on "save"
    Route("POST", "/uploads/<upload_id>/mapping", "mapping", _mapping),
)
PUBLISHING: Final = (  # preparing a checked upload, publishing it, rolling back to an earlier version
    Route("POST", "/uploads/<upload_id>/prepare", "prepare", _prepare),
    Route("POST", "/uploads/<upload_id>/publish", "publish", _publish),
    Route("POST", "/rollback", "rollback", _rollback),
)
