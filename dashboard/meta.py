"""Meta routes under ``/-/`` (as Datasette keeps them): what this process serves, for a load balancer or a person.

``/-/release`` answers, as JSON, the release version this process serves the visitor's tier from and its waves:
the same for every instance of one deployment within a second of a publish (``ReleaseStore.check_every``). It
names no data value and, like every page, serves each visitor only their own tier.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Final

import flask

from dashboard.context import AppContext

RELEASE_PATH: Final = "/-/release"


def install(server: flask.Flask, ctx: AppContext) -> None:
    @server.get(RELEASE_PATH)
    def served_release() -> dict[str, Any]:
        release = ctx.release  # reads ``current`` (at most ten times a second) before the version is named
        version = PurePosixPath(ctx.releases.version()).name  # ``versions/<name>``: the name, as the history has it
        return {"version": version, "tier": ctx.tier, "waves": list(release.meta.get("waves", []))}
