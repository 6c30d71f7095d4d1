"""What a running app serves, attached to the Flask server at start-up and read inside requests.

A web process holds the published release of the tier it serves, and nothing else: no microdata.
"""

from __future__ import annotations

from dataclasses import dataclass

import flask

from dashboard.config import Config
from dashboard.data.vocab import Vocabularies
from dashboard.release.table import Release

EXTENSION_KEY = "trafficking_dashboard"


@dataclass(frozen=True)
class AppContext:
    config: Config
    release: Release
    vocab: Vocabularies


def attach(server: flask.Flask, ctx: AppContext) -> None:
    server.extensions[EXTENSION_KEY] = ctx


def current() -> AppContext:
    """The context of the app handling the current request."""
    return flask.current_app.extensions[EXTENSION_KEY]
