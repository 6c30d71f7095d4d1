"""What a running app serves, attached to the Flask server at start-up and read inside requests.

A web process holds the published releases of the tiers it serves (read on first use), never microdata. Which
release a request sees is decided here, on the server, from the session's account: ``current().release``.
"""

from __future__ import annotations

from dataclasses import dataclass

import flask

from dashboard.accounts.store import AccountStore
from dashboard.audit_log import AuditLog
from dashboard.auth.identity import tier_for, viewer_role
from dashboard.config import Config
from dashboard.data.vocab import Vocabularies
from dashboard.published.store import ReleaseStore
from dashboard.published.table import Release

EXTENSION_KEY = "trafficking_dashboard"


@dataclass(frozen=True)
class AppContext:
    config: Config
    releases: ReleaseStore
    vocab: Vocabularies
    accounts: AccountStore
    audit: AuditLog

    @property
    def tier(self) -> str:
        """The audience tier of the viewer of the current request."""
        return tier_for(viewer_role(), self.releases.tiers)

    @property
    def release(self) -> Release:
        """The published release of the viewer's tier (public for anyone not logged in)."""
        return self.releases.get(self.tier)


def attach(server: flask.Flask, ctx: AppContext) -> None:
    server.extensions[EXTENSION_KEY] = ctx


def current() -> AppContext:
    """The context of the app handling the current request."""
    return flask.current_app.extensions[EXTENSION_KEY]
