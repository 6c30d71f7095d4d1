"""The guard every Dash callback goes through: deny by default, validate the request, then check the role.

Any client can POST anything to ``/_dash-update-component``. Before Dash sees a request, the guard checks that
it is JSON of a sane size and depth, that it names a callback the app defines with the inputs that callback
declares, and that the callback was marked with ``@allow(role)`` for a role the viewer has (from the server-side
session). A callback with no mark is refused: forgetting the mark fails closed. Each refusal is a 4xx with a
one-line JSON message; a callback that still fails answers 400 "not available", never a traceback.

Marks are read from Dash's callback map: ``@allow`` sets an attribute that ``functools.wraps`` (used by Dash's
own wrapper) copies, so ``@allow`` goes *below* ``@callback``.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any, Final, TypeVar

import flask
from dash import Dash
from werkzeug.exceptions import BadRequest

from dashboard import language
from dashboard.accounts.store import PUBLIC
from dashboard.auth.identity import RANK, at_least, viewer_role
from dashboard.callback_cache import CallbackCache, is_cacheable
from dashboard.i18n import LocalisedError, t

LOG = logging.getLogger(__name__)

ROLE_ATTR: Final = "dashboard_required_role"
MAX_BODY: Final = 512 * 1024  # the largest legitimate callback body is a few kilobytes
MAX_DEPTH: Final = 16  # nesting of the JSON body (pattern-matching inputs reach about 6)
MAX_ITEMS: Final = 2_000  # inputs + state entries, including pattern-matching lists

F = TypeVar("F", bound=Callable[..., Any])


class Refused(LocalisedError):
    """A callback request the guard refuses: an HTTP status and a catalogue message (``guard.*``)."""

    def __init__(self, status: int, key: str, **values: object) -> None:
        super().__init__(key, **values)
        self.status = status
        self.message = str(self)  # English, for the audit log, which is read in one language


def allow(role: str) -> Callable[[F], F]:
    """Mark a callback as open to ``role`` and every role above it."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}")

    def mark(func: F) -> F:
        setattr(func, ROLE_ATTR, role)
        return func

    return mark


# Callbacks Dash defines itself, by output key: the pages router is open to everyone, because each page's layout
# reads the viewer's own release.
DASH_OWN: Final = {".._pages_content.children..._pages_store.data..": PUBLIC}


def required_role(app: Dash, output: str) -> str | None:
    """The least role that may call the callback writing ``output``; None (refused) for an unmarked one."""
    entry = app.callback_map.get(output)
    if entry is None:
        return None
    return getattr(entry.get("callback"), ROLE_ATTR, None) or DASH_OWN.get(output)


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 1, ``[1]`` is 2), without recursion, level by level, stopping
    past ``MAX_DEPTH``."""
    level, frontier = 1, [value]
    while frontier:
        below: list[Any] = []
        nested = False
        for node in frontier:
            children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
            if children:
                nested = True
                below.extend(c for c in children if isinstance(c, dict | list))
        if not nested:
            return level
        level += 1
        if level > MAX_DEPTH:
            return level
        frontier = below
    return level


def _parse(request: flask.Request) -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise Refused(415, "guard.json_only")
    length = request.content_length
    if length is None or length > MAX_BODY:
        raise Refused(413, "guard.too_large", kb=MAX_BODY // 1024) if length else Refused(413, "guard.no_length")
    try:  # parsed once: Flask caches it for Dash's own get_json
        body = request.get_json(cache=True)
    except (BadRequest, RecursionError):
        raise Refused(400, "guard.bad_json") from None
    if _depth(body) > MAX_DEPTH:
        raise Refused(400, "guard.too_deep")
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise Refused(400, "guard.no_output")
    for key in ("inputs", "state", "changedPropIds"):
        if not isinstance(body.get(key, []), list):
            raise Refused(400, "guard.not_list", field=key)
    return body


def _same_id(sent: Any, declared: Any) -> bool:
    if isinstance(declared, dict):  # pattern-matching: keys equal, fixed values equal
        if not isinstance(sent, dict) or set(sent) != set(declared):
            return False
        return all(isinstance(v, list) or sent[k] == v for k, v in declared.items())
    return sent == declared


@functools.lru_cache(maxsize=4096)
def _declared_id(raw: str) -> Any:
    """A pattern-matching id as Dash's callback map spells it (JSON), parsed once (read only, never changed)."""
    return json.loads(raw)


def _check_items(sent: list[Any], declared: list[dict[str, Any]], what: str) -> int:
    """Each sent input (or state) must be the declared one: same id (pattern) and property. Returns item count."""
    if len(sent) != len(declared):

        def items(lang: str) -> str:  # "2 inputs", "0 entrée": the noun in the reader's language and plural form
            return t(f"guard.items.{what}", lang, count=len(sent))

        raise Refused(400, "guard.count", sent=len(sent), what=items, declared=len(declared))
    count = 0
    for item, spec in zip(sent, declared, strict=True):
        pattern = isinstance(item, list)
        for one in _flat([item]):
            if not isinstance(one, dict) or not isinstance(one.get("property"), str):
                raise Refused(400, "guard.malformed", what=what[:-1])
            declared_id = _declared_id(spec["id"]) if pattern or str(spec["id"]).startswith("{") else spec["id"]
            if one["property"] != spec["property"] or not _same_id(one.get("id"), declared_id):
                raise Refused(400, "guard.mismatch", what=what[:-1])
            count += 1
    return count


def check(app: Dash, request: flask.Request) -> None:
    """Raise Refused unless ``request`` is a well-formed call of a callback the viewer may use."""
    body = _parse(request)
    entry = app.callback_map.get(body["output"])
    if entry is None:
        raise Refused(404, "guard.no_such")
    needed = required_role(app, body["output"])
    if needed is None:
        LOG.error("callback %s has no @allow mark: refused", body["output"][:80])
        raise Refused(403, "guard.not_available")
    role = viewer_role()
    if not at_least(role, needed):
        raise Refused(403, "guard.not_yours" if role != PUBLIC else "guard.log_in")
    items = _check_items(body.get("inputs", []), entry["inputs"], "inputs")
    items += _check_items(body.get("state", []), entry.get("state", []), "states")
    if items > MAX_ITEMS:
        raise Refused(413, "guard.too_many")
    _check_outputs(body.get("outputs"))
    _check_changed(body.get("changedPropIds", []), body.get("inputs", []))


def _flat(items: list[Any]) -> list[Any]:
    """A request's inputs, states or outputs, each pattern-matching group (a list) opened into its components."""
    return [one for item in items for one in (item if isinstance(item, list) else [item])]


def _check_outputs(outputs: Any) -> None:
    """The renderer always sends the outputs it asks for (one, or a list): without them Dash fails after the call."""
    group = outputs if isinstance(outputs, list) else [outputs]
    if not group or not all(isinstance(one, dict) and isinstance(one.get("property"), str) for one in _flat(group)):
        raise Refused(400, "guard.no_outputs")


def _check_changed(changed: list[Any], inputs: list[Any]) -> None:
    """Each changed property the request names is one of the inputs it sends (an id, or a pattern-matching id's
    JSON, then ``.property``, as Dash splits it): ``ctx.triggered_id`` parses them, and a forged one fails there."""
    sent = [(one["id"], one["property"]) for one in _flat(inputs)]
    for name in changed:
        raw, dot, prop = name.rpartition(".") if isinstance(name, str) else ("", "", "")
        ident: Any = raw
        if raw.startswith("{"):
            try:
                ident = json.loads(raw)
            except (ValueError, RecursionError):
                ident = None
        if not dot or (ident, prop) not in sent:
            raise Refused(400, "guard.changed")


def _cache_key(cache: CallbackCache | None, request: flask.Request) -> bytes | None:
    """The key of this request's answer in ``cache``, for a JSON body of a size the guard accepts (else None)."""
    if cache is None or request.mimetype != "application/json":
        return None
    if request.content_length is None or request.content_length > MAX_BODY:
        return None
    return cache.key(request.get_data(cache=True))


def _refusal(app: Dash, on_refused: Callable[[Refused], None] | None) -> tuple[flask.Response, int] | None:
    """``check`` this request: None if it passes, else the refusal's answer (reported to ``on_refused``)."""
    try:
        check(app, flask.request)
    except Refused as refused:
        if on_refused is not None:
            on_refused(refused)
        return flask.jsonify(message=refused.text(language.current())), refused.status
    return None


def _remember_if_cacheable(app: Dash, cache: CallbackCache, key: bytes) -> None:
    """Have ``cache`` keep this accepted request's answer if its callback is ``@cacheable``."""
    if is_cacheable(app.callback_map, flask.request.get_json(cache=True)["output"]):
        cache.remember(key)


def install(app: Dash, on_refused: Callable[[Refused], None] | None = None, cache: CallbackCache | None = None) -> None:
    """Run ``check`` before every callback request, and turn a failing callback into a 400, not a 500. With a
    ``cache``, the answers of ``@cacheable`` callbacks are kept, and the same body from the same role, in the same
    language and release, is answered with the kept answer: that body passed every check for that role when it was
    kept (``dashboard.callback_cache``)."""
    endpoint = f"{app.config.routes_pathname_prefix}_dash-update-component"
    suites = f"{app.config.routes_pathname_prefix}_dash-component-suites/"

    @app.server.before_request
    def _guard() -> flask.Response | tuple[flask.Response, int] | None:
        if flask.request.path != endpoint:
            return None
        key = _cache_key(cache, flask.request)
        kept = cache.answer(key) if cache is not None and key is not None else None
        if kept is not None:
            return kept
        refused = _refusal(app, on_refused)
        if refused is None and cache is not None and key is not None:
            _remember_if_cacheable(app, cache, key)
        return refused

    if cache is not None:
        app.server.after_request(lambda response: cache.keep(response) if flask.request.path == endpoint else response)

    @app.server.errorhandler(Exception)
    def _failed(err: Exception) -> tuple[flask.Response, int] | Exception:
        from werkzeug.exceptions import HTTPException

        if isinstance(err, HTTPException):
            return _http_error(err)
        if flask.request.path.startswith(suites):  # a script Dash does not serve: not found, no traceback
            LOG.info("no such component file: %s", flask.request.path[:120])
            return flask.Response(t("guard.not_found", language.current()), 404, mimetype="text/plain"), 404
        LOG.exception("request failed: %s", flask.request.path)
        if flask.request.path == endpoint:
            return flask.jsonify(message=t("guard.not_available", language.current())), 400
        return flask.Response(t("guard.failed", language.current()), 500, mimetype="text/plain"), 500


# Werkzeug's own pages for these statuses are English HTML; a reader gets one line in their language instead.
_HTTP_MESSAGES: Final = {404: "guard.not_found", 405: "guard.method_not_allowed"}


def _http_error(err: Any) -> Any:
    """``err`` (a werkzeug HTTPException) as the reader's message when it is a plain 404 or 405 (one raised with a
    message of its own, or any other status, is answered as raised)."""
    key = _HTTP_MESSAGES.get(err.code or 0)
    if key is None or err.description != type(err).description:
        return err
    response = flask.Response(t(key, language.current()), err.code, mimetype="text/plain")
    allow = err.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response, err.code
