"""Accounts: who may log in, with which role (SPEC §4, §7). Managed with ``python -m dashboard users``."""

from dashboard.accounts.store import (
    COALITION,
    FUNDER,
    PUBLIC,
    ROLE_TIER,
    ROLES,
    STEWARD,
    Account,
    AccountError,
    AccountStore,
)

__all__ = [
    "COALITION",
    "FUNDER",
    "PUBLIC",
    "ROLES",
    "ROLE_TIER",
    "STEWARD",
    "Account",
    "AccountError",
    "AccountStore",
]
