"""The web app: ``create_app`` wires config, the release store, accounts, the audit log and the pages together.

``app.py`` (the composition root) calls it; tests build an app per test session with it.

Why this module is longer than ~300 lines: it is the one place where the web process is put together (the Dash app,
compression, the security headers, the 404 page, the steward's routes and the refusal log), and each of those parts
is a short function that only makes sense with the others; a reader auditing what a deployment serves reads one file.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
from typing import Any

import flask
import plotly.io as pio
from dash import Dash
from flask_compress import Compress
from werkzeug.serving import WSGIRequestHandler

from dashboard import context, language, meta, paths
from dashboard.accounts.store import AccountStore
from dashboard.audit_log import DENIED, AuditLog
from dashboard.auth import guard
from dashboard.auth import web as auth_web
from dashboard.auth.identity import viewer_name, viewer_role
from dashboard.callback_cache import CACHE_KEY, CallbackCache
from dashboard.components.shell import shell
from dashboard.config import Config
from dashboard.data.vocab import vocabularies
from dashboard.i18n import t
from dashboard.published.startup import ensure_release
from dashboard.published.store import ReleaseStore
from dashboard.published.table import ReleaseError
from dashboard.views.state import Options

INDEX_STRING = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {{%scripts%}}
            {{%renderer%}}
        </footer>
    </body>
</html>"""

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

LOG = logging.getLogger(__name__)
SERVER_NAME = "dashboard"
CURRENT_CHECK_S = 0.1  # how often a worker reads `current` (one readlink, microseconds): a publish is served
# everywhere within a second, with most of that second left for reading the new version on a busy machine
_HTML_LANG = re.compile(r'<html lang="[a-z]{2}">')

# Everything comes from this host (SPEC §5). Inline scripts are only Dash's own, allowed by hash
# (``app.csp_hashes()``); plotly and the Dash components set inline styles, hence 'unsafe-inline' for styles only.
CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)


# What flask-compress sends compressed (brotli, else gzip). Its own defaults leave out GeoJSON, the province map.
COMPRESSED_MIMETYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
    "image/x-icon",
)


class CompressedFiles:
    """flask-compress's cache, for the fixed files only: each script, stylesheet and map file is compressed once per
    worker and encoding instead of on every request (brotli takes some 50-150 ms for the 1.4 MB plotly.js). Their
    URLs carry the file's version or modification time (Dash's fingerprints), so a changed file has a new key; pages
    and callback answers (an empty key) are compressed afresh every time, as before."""

    STATIC = ("/_dash-component-suites/", "/assets/")
    MAX_FILES = 256

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    @classmethod
    def key(cls, request: flask.Request) -> str:
        return request.full_path if request.method == "GET" and request.path.startswith(cls.STATIC) else ""

    def get(self, key: str) -> bytes | None:
        return None if key.endswith(";") else self._data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";") or key in self._data:  # "encoding;" and nothing after it: not a fixed file
            return
        with self._lock:
            if len(self._data) < self.MAX_FILES:
                self._data[key] = value


# plotly.js with only the trace types the figure builders emit (tools/plotly-bundle builds it from the npm registry's
# plotly.js at the version plotly.py bundles): 1.4 MB instead of 4.8 MB, under 0.5 MB compressed.
PLOTLY_BUNDLE = "vendor/plotly-dashboard.min.js"  # inside the dashboard package
# plotly.js's own French dictionary for the mode bar and its messages (dist/plotly-locale-fr.js of the same plotly.js
# version, MIT): loaded after the bundle, it registers itself, and a graph whose config says ``locale: "fr"`` uses it.
PLOTLY_LOCALES = ("vendor/plotly-locale-fr.js",)


class DashboardDash(Dash):
    """Dash, with each page's ``<html lang>`` in the reader's language (``dashboard.language``), and dcc.Graph drawn
    with the app's own partial plotly.js bundle."""

    def _setup_plotlyjs(self) -> None:
        # Dash registers plotly.py's full plotly.min.js as a dynamic script that dcc.Graph fetches once it mounts, after
        # the layout. Instead, the partial bundle is an ordinary script of every page, fetched with the other scripts;
        # dcc.Graph uses ``window.Plotly`` when it is set, and the full bundle is not served at all.
        self.scripts.append_script({"relative_package_path": PLOTLY_BUNDLE, "namespace": "dashboard"})
        for script in PLOTLY_LOCALES:
            self.scripts.append_script({"relative_package_path": script, "namespace": "dashboard"})
        self._plotlyjs_url = self.get_relative_path(f"/_dash-component-suites/dashboard/{PLOTLY_BUNDLE}")

    def interpolate_index(self, **kwargs: Any) -> Any:  # type: ignore[override]  # Dash passes keywords only
        kwargs["title"] = _page_title(kwargs.get("title", ""))
        page = super().interpolate_index(**kwargs)
        lang = language.current()
        page = _HTML_LANG.sub(f'<html lang="{lang}">', page, count=1)
        return page.replace("<body>", _body_tag(lang), 1)


def _body_tag(lang: str) -> str:
    """``<body>`` with the text Dash shows while a page loads, in the reader's language.

    dash-renderer writes a fixed English "Loading..." while it fetches the layout; ``style.css`` hides it and shows
    ``--dashboard-loading`` instead (a CSS string, in an HTML attribute).
    """
    loading = html.escape(f"--dashboard-loading: {json.dumps(t('app.loading', lang), ensure_ascii=False)}", quote=True)
    return f'<body style="{loading}">'


def _page_title(default: str) -> str:
    """The ``<title>`` of the page asked for, in the reader's language (Dash writes its app title there)."""
    from dash._pages import _path_to_page

    page, _ = _path_to_page(flask.request.path.strip("/"))
    if not page:
        return t("error.not_found.title", language.current())
    title = page.get("title")
    if callable(title):
        return str(title())
    return t("app.title", language.current()) if not title else str(title)


def create_app(config: Config | None = None) -> Dash:
    """Build the app serving the published releases of ``config.tiers()``, each visitor their own tier.

    Raises StartupError (naming every problem) if there is no release and none can be built.

    Dash's page registry is process-global: build one app per process.
    """
    config = config or Config.from_env()
    # Dash writes every callback answer with plotly's JSON writer. With orjson installed, plotly's default ("auto")
    # tries orjson first, which refuses the Dash components in every answer of this app (summaries, table views),
    # then cleans the whole answer in Python and writes it again: about twice as slow as the standard library here.
    pio.json.config.default_engine = "json"
    vocab = vocabularies()
    ensure_release(config)
    app = DashboardDash(
        __name__,
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(paths.ASSETS_DIR),
        assets_ignore=r"^steward-",  # the steward's plain pages load these themselves; Dash pages never do
        serve_locally=True,
        title=t("app.title", config.language),
        update_title=None,  # type: ignore[arg-type]  # Dash documents None (no "Updating..." title), annotates str
        # The layout is built per viewer. Without this, Dash computes a "validation layout" from every page's layout
        # on the first request a process gets, for whoever sent it, and embeds it in every page's HTML for everyone:
        # a coalition member's first request would put coalition-tier layouts in anonymous visitors' pages.
        suppress_callback_exceptions=True,
    )
    app.index_string = INDEX_STRING.format(lang=config.language)
    app.server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_MIMETYPES)  # Dash's compress=True, with this list
    app.server.config["COMPRESS_CACHE_BACKEND"] = CompressedFiles
    app.server.config["COMPRESS_CACHE_KEY"] = CompressedFiles.key
    Compress(app.server)
    language.install(app.server, config.language, config.secure_cookies)
    accounts = AccountStore(config.accounts_db)
    audit = AuditLog(config.audit_log)
    releases = ReleaseStore(config.release_dir, config.tiers(), check_every=CURRENT_CHECK_S)
    ctx = context.AppContext(config=config, releases=releases, vocab=vocab, accounts=accounts, audit=audit)
    context.attach(app.server, ctx)
    auth_web.install(app.server, config, accounts, audit)
    _install_steward(app, ctx)
    meta.install(app.server, ctx)
    app.layout = lambda: shell(ctx.release, language.current(), viewer_role(), viewer_name())
    cache = CallbackCache(config.callback_cache_mb * 2**20, releases.version) if config.callback_cache_mb else None
    app.server.extensions[CACHE_KEY] = cache
    guard.install(app, on_refused=lambda refused: _log_refusal(audit, refused), cache=cache)
    _install_headers(app, config)
    _install_not_found(app)  # after: Flask runs the later hook first, so a replaced answer still gets the headers
    if config.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = config.proxy_hops
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=hops, x_proto=hops)
    return app


def warm(server: flask.Flask) -> None:
    """Read the release of every tier ``server`` serves, and what each request derives from it first (the options a
    view may take, every table's lookup columns), before the first request: gunicorn's ``post_worker_init``
    (``gunicorn.conf.py``) calls it in each worker, so that no visitor waits while a worker reads a release. A
    release published later is read on its first request, as before."""
    ctx: context.AppContext = server.extensions[context.EXTENSION_KEY]
    for tier in ctx.releases.tiers:
        try:
            release = ctx.releases.get(tier)
        except ReleaseError as err:  # left to the first request of that tier, which says so as before
            LOG.warning("could not read the %s release at start-up: %s", tier, err)
            continue
        Options.cached(release)
        for table in release.tables.values():
            _ = table.index


def _install_steward(app: Dash, ctx: context.AppContext) -> None:
    """The steward's routes (upload, prepare, publish), only in a process that serves the steward's tier: a
    process capped below it has no upload route at all."""
    from dashboard.accounts.store import ROLE_TIER, STEWARD

    if ROLE_TIER[STEWARD] not in ctx.config.tiers():
        return  # not even imported: the upload and ingest code stays out of a process capped below the steward
    from dashboard.steward.web import install

    install(app.server, ctx)


def _log_refusal(audit: AuditLog, refused: guard.Refused) -> None:
    if refused.status == 403:
        audit.record(DENIED, user=viewer_name(), address=flask.request.remote_addr, reason=refused.message)


class QuietRequestHandler(WSGIRequestHandler):
    """The development server's request handler, naming no versions in ``Server`` (gunicorn names none)."""

    def version_string(self) -> str:
        return SERVER_NAME


def _install_not_found(app: Dash) -> None:
    """An address that is no page answers 404, not 200: Dash serves its page shell for every path and shows the
    not-found page in it, which a browser, a link checker or a search engine would take for a page. An unknown
    ``/_dash-…`` address (a script that does not exist) gets a plain 404, not the page shell."""
    from dash._pages import _path_to_page

    @app.server.after_request
    def _status(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.endpoint not in ("/", "/<path:path>") or response.status_code != 200:
            return response
        if request.path.startswith("/_dash-"):
            return flask.Response(t("error.not_found.title", language.current()), 404, mimetype="text/plain")
        page, _ = _path_to_page(request.path.strip("/"))
        if not page:
            response.status_code = 404
        return response


def _install_headers(app: Dash, config: Config) -> None:
    policy: list[str] = []
    hsts = f"max-age={config.hsts_seconds}" if config.hsts_seconds else None

    @app.server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        if not policy:  # after the first request's set-up, when every inline script is known
            policy.append(CSP.format(hashes=" ".join(app.csp_hashes())))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", policy[0])
        if hsts:
            response.headers["Strict-Transport-Security"] = hsts
        if flask.request.path.startswith(("/login", "/logout", "/steward")):
            response.headers["Cache-Control"] = "no-store"
        return response


__all__ = ["QuietRequestHandler", "create_app", "warm"]
