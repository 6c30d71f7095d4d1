"""Trafficking-trends dashboard: a Dash app over published, disclosure-controlled survey releases."""

from __future__ import annotations

import dash
import flask
from dash import Dash

from dashboard import context, paths
from dashboard.components.shell import shell
from dashboard.config import Config
from dashboard.data.vocab import vocabularies
from dashboard.i18n import t
from dashboard.release.startup import ensure_release

__version__ = "0.1.0"

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
}


def create_app(config: Config | None = None) -> Dash:
    """Build the app serving the published release of ``config.tier``.

    Raises StartupError (naming every problem) if there is no release and none can be built.

    Dash's page registry is process-global: build one app per process.
    """
    config = config or Config.from_env()
    vocab = vocabularies()
    release = ensure_release(config)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(paths.ASSETS_DIR),
        serve_locally=True,
        compress=True,  # flask-compress: scripts, map files and callbacks are sent brotli- or gzip-compressed
        title=t("app.title", config.language),
        update_title=None,
        suppress_callback_exceptions=False,
    )
    app.index_string = INDEX_STRING.format(lang=config.language)
    context.attach(app.server, context.AppContext(config=config, release=release, vocab=vocab))
    app.layout = lambda: shell(release, config.language)

    @app.server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


__all__ = ["create_app", "dash"]
