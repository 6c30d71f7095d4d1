"""What a running app serves, attached to the Flask server at start-up and read inside requests."""

from __future__ import annotations

from dataclasses import dataclass

import flask

from dashboard.config import Config
from dashboard.data.dataset import Dataset
from dashboard.data.vocab import Vocabularies

EXTENSION_KEY = "trafficking_dashboard"


@dataclass(frozen=True)
class AppContext:
    config: Config
    dataset: Dataset
    vocab: Vocabularies


def attach(server: flask.Flask, ctx: AppContext) -> None:
    server.extensions[EXTENSION_KEY] = ctx


def current() -> AppContext:
    """The context of the app handling the current request."""
    return flask.current_app.extensions[EXTENSION_KEY]
