"""The reader's language (issue 16): one answer per request, used by every page, callback, form and message.

In order: a ``?lang=`` parameter (kept in every link and permalink; for the requests a page's scripts make, the
page's language in the ``X-Dashboard-Language`` header, see ``HEADER``), then the ``lang`` cookie (set by the EN/FR
switch in the header, which is a ``?lang=`` link), then the browser's ``Accept-Language``, then the server's
``DASHBOARD_LANGUAGE``. A ``?lang=`` value that is not a language is ignored (the next source decides), never
an error. A valid ``?lang=`` also sets the cookie, so the callbacks of the page it opens (which carry the cookie,
not the page's query) and the next visit are in the same language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import flask
from werkzeug.datastructures import LanguageAccept

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

PARAM: Final = "lang"
COOKIE: Final = "lang"
COOKIE_DAYS: Final = 365
_G_KEY: Final = "dashboard_lang"
_CONFIG_KEY: Final = "DASHBOARD_DEFAULT_LANGUAGE"


HEADER: Final = "X-Dashboard-Language"
"""The language of the page a script request comes from (``assets/lang-header.js`` sends it with every request
to ``/_dash-…``): the page's own ``?lang=`` or ``<html lang>``, so that a page's callbacks speak the page's language
even when the cookie says otherwise (another tab, cookies refused)."""
_MAX_TAG = 16


def valid(value: object) -> str | None:
    """The catalogue language ``value`` names (``fr``, ``FR``, ``fr-CA``, ``fr_CA`` are French), else None."""
    if not isinstance(value, str) or not value or len(value) > _MAX_TAG:
        return None
    primary = value.replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def _asked(values: list[str]) -> str | None:
    """The first of several ``?lang=`` values that names a language."""
    return next((found for v in values if (found := valid(v))), None)


def negotiate(param: object, cookie: object, accept: LanguageAccept | None, default: str) -> str:
    """The language a reader gets from each source in turn (see the module's docstring)."""
    chosen = valid(param) or valid(cookie)
    if chosen:
        return chosen
    for tag, quality in accept or ():  # best first; "fr-CA" is French (werkzeug's best_match would take "en;q=0.5")
        primary = str(tag).split("-")[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return primary
    return valid(default) or DEFAULT_LANGUAGE


def current(default: str | None = None) -> str:
    """The language of the request being served (``default`` or English outside a request)."""
    if not flask.has_request_context():
        return valid(default) or DEFAULT_LANGUAGE
    found = flask.g.get(_G_KEY)
    if found is None:
        request = flask.request
        fallback = default or flask.current_app.config.get(_CONFIG_KEY, DEFAULT_LANGUAGE)
        page = _asked(request.args.getlist(PARAM)) or valid(request.headers.get(HEADER))
        found = negotiate(page, request.cookies.get(COOKIE), request.accept_languages, fallback)
        setattr(flask.g, _G_KEY, found)
    return str(found)


def adopt(value: object) -> None:
    """Serve the rest of this request in ``value`` if it names a language (a page layout called with ``lang=`` in
    its query, as Dash's page router does on navigation in the browser, where the request's own URL has no query)."""
    chosen = valid(value)
    if chosen and flask.has_request_context():
        setattr(flask.g, _G_KEY, chosen)


def of_page(value: object) -> str:
    """The reader's language for a page layout: ``adopt(value)`` (the page's ``lang=`` query value, if it names a
    language), then ``current()``. A page without ``lang=`` in its query is in the language negotiated for the
    request (cookie, Accept-Language, default): never a language of its own."""
    adopt(value)
    return current()


def translated(key: str) -> Callable[[], str]:
    """A page title or description for ``dash.register_page``: the message ``key`` in the reader's language."""
    return lambda: t(key, current())


def other(lang: str) -> str:
    """The language the switch offers: the other official language."""
    return next(code for code in LANGUAGES if code != lang)


def with_lang(href: str, lang: str) -> str:
    """``href`` with ``lang=`` set (other parameters kept, in order): links keep the reader's language."""
    parts = urlsplit(href)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    query.append((PARAM, lang))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def switch(lang: str, path: str) -> dict[str, str]:
    """The EN/FR switch of a page at ``path`` read in ``lang``: the other language's link (``path`` with ``lang=``),
    its text and tooltip written in that other language (so marked with it)."""
    target = other(lang)
    return {
        "href": with_lang(path, target),
        "lang": target,
        "text": t(f"lang.switch.{target}", target),
        "title": t("lang.switch.title", target),
    }


def _page_address(request: flask.Request) -> str:
    """The address of the page a plain page shows. A GET's own address; the answer to a form (a steward's upload,
    publish or rollback, a login) is not an address to open again, so it is the page the form belongs to: an
    upload's page, the steward's page, the login page, else home."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?") or "/"
    parts = request.path.strip("/").split("/")
    if parts[:2] == ["steward", "uploads"] and len(parts) >= 3:
        return f"/steward/uploads/{parts[2]}"
    return {"steward": "/steward", "login": "/login"}.get(parts[0], "/")


def install(server: flask.Flask, default: str, secure_cookies: bool) -> None:
    """Decide each request's language, remember a valid ``?lang=`` in the cookie, and give the plain pages'
    templates (login, logout, steward) the switch (``lang_switch``)."""
    server.config[_CONFIG_KEY] = valid(default) or DEFAULT_LANGUAGE

    @server.context_processor
    def _switch() -> dict[str, Callable[..., Any]]:
        return {"lang_switch": lambda lang: switch(lang, _page_address(flask.request))}

    @server.after_request
    def _remember(response: flask.Response) -> flask.Response:
        asked = _asked(flask.request.args.getlist(PARAM))
        if asked and flask.request.cookies.get(COOKIE) != asked:
            response.set_cookie(
                COOKIE,
                asked,
                max_age=COOKIE_DAYS * 24 * 3600,
                secure=secure_cookies,
                httponly=True,
                samesite="Lax",
            )
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
        response.vary.add(HEADER)
        return response
