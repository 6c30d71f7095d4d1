"""Who is asking: the viewer's role and audience tier, from the server-side session only (never from the request).

Roles rank ``public < funder < coalition < steward``. Anonymous visitors are ``public``. The tier of data a viewer
sees is their role's tier (a steward sees the coalition release) capped at the highest tier the process serves.
"""

from __future__ import annotations

from typing import Final

import flask
from flask_login import current_user

from dashboard.accounts.store import COALITION, FUNDER, PUBLIC, ROLE_TIER, STEWARD

RANK: Final = {PUBLIC: 0, FUNDER: 1, COALITION: 2, STEWARD: 3}


def viewer_role() -> str:
    """The role of the account logged in on this request, ``public`` if none (or outside a request)."""
    if not flask.has_request_context():
        return PUBLIC
    user = current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    role = getattr(user, "role", PUBLIC)
    return role if role in RANK else PUBLIC


def viewer_name() -> str | None:
    if viewer_role() == PUBLIC:
        return None
    return str(current_user.username)


def tier_for(role: str, served: tuple[str, ...]) -> str:
    """The audience tier ``role`` sees in a process serving ``served`` (lowest first)."""
    wanted = ROLE_TIER.get(role, PUBLIC)
    return wanted if wanted in served else served[-1]  # ``served`` always starts at public: cap at its top


def at_least(role: str, required: str) -> bool:
    return RANK.get(role, -1) >= RANK[required]
