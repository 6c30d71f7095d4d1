"""Accounts in an embedded SQLite database (SPEC §7): Argon2id password hashes, roles, per-account session tokens.

Every method opens its own short connection, so one store is safe to share across threads and gunicorn
workers. The database starts empty: there is no default or demo account anywhere.

Why this module is longer than ~300 lines: one SQLite schema and every operation on it, kept together so that every
query is next to the schema it relies on.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dashboard.published.tiers import Tier

FUNDER = "funder"  # account roles: a role is not a tier (a steward reads the coalition tier)
COALITION = "coalition"
STEWARD = "steward"
ROLES = (FUNDER, COALITION, STEWARD)
PUBLIC = Tier.PUBLIC  # anonymous visitors: not a stored role
ROLE_TIER = {FUNDER: Tier.FUNDER, COALITION: Tier.COALITION, STEWARD: Tier.COALITION}

SCHEMA_VERSION = 1
FILE_MODE = 0o600
BUSY_TIMEOUT_S = 10
TOKEN_BYTES = 32
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    last_login TEXT,
    session_token TEXT NOT NULL
);
"""
_COLUMNS = "id, username, role, active, created_at, last_login, session_token"


class AccountError(ValueError):
    """Bad input: an unknown role or user, a username taken or malformed, a weak password."""


@dataclass(frozen=True)
class Account:
    """One account as the rest of the app sees it (never the password hash)."""

    id: int
    username: str
    role: str
    active: bool
    created_at: str
    last_login: str | None
    session_token: str = field(repr=False)


def normalise_username(username: str) -> str:
    """The stored form of a username (stripped, lower-cased); AccountError if it does not fit the pattern."""
    name = str(username).strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"invalid username {name[:64]!r}: 2 to 64 characters, letters, digits and . _ @ -, "
            "starting with a letter or digit"
        )
    return name


def check_password(password: str, username: str) -> None:
    """Raise AccountError naming the first password rule that ``password`` breaks (never echoing it)."""
    if not isinstance(password, str):
        raise AccountError("a password must be text")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password too short: it needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"password too long: it may have at most {MAX_PASSWORD_LENGTH:,} characters")
    if username.lower() in password.lower():
        raise AccountError("password refused: it must not contain the username")
    if len(set(password)) == 1:
        raise AccountError("password refused: it must not be one character repeated")


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role {str(role)[:32]!r}: choose one of {', '.join(ROLES)}")
    return role


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        username=row["username"],
        role=row["role"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        last_login=row["last_login"],
        session_token=row["session_token"],
    )


class AccountStore:
    """Accounts in the SQLite file ``path`` (created with mode 0600 and an empty schema if missing)."""

    def __init__(self, path: Path, hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path)
        self._hasher = hasher or PasswordHasher()
        self._local = threading.local()
        self._initialise()

    # -- storage -----------------------------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A short connection; the block is one transaction (committed on success, rolled back on error)."""
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)) as conn:
            conn.row_factory = sqlite3.Row
            with conn:
                yield conn

    def _reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (autocommit: every query sees the latest committed change), opened
        again after a fork. Used on the hot path, the session's account lookup on every logged-in request."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.row_factory = sqlite3.Row
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _initialise(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    conn.execute(statement)
                row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
                if row[0] is None:
                    conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
                elif row[0] > SCHEMA_VERSION:
                    raise AccountError(f"{self.path}: schema version {row[0]} is newer than this program knows")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _row(self, conn: sqlite3.Connection, username: str) -> sqlite3.Row | None:
        return conn.execute(
            f"SELECT {_COLUMNS}, password_hash FROM accounts WHERE username = ?", (username,)
        ).fetchone()

    def _update(self, username: str, assignments: str, values: tuple[object, ...]) -> Account:
        """Apply ``SET assignments`` to one account (AccountError if it does not exist); return it afterwards."""
        name = normalise_username(username)
        with self._connect() as conn:
            cursor = conn.execute(f"UPDATE accounts SET {assignments} WHERE username = ?", (*values, name))
            row = self._row(conn, name)
            if cursor.rowcount == 0 or row is None:
                raise AccountError(f"unknown user {name!r}")
        return _account(row)

    # -- queries -----------------------------------------------------------------------------------------------

    def get(self, account_id: int) -> Account | None:
        """The account with this id, or None."""
        row = self._reader().execute(f"SELECT {_COLUMNS} FROM accounts WHERE id = ?", (int(account_id),)).fetchone()
        return _account(row) if row else None

    def by_username(self, username: str) -> Account | None:
        """The account with this username (any case), or None (also for a username that could not exist)."""
        try:
            name = normalise_username(username)
        except AccountError:
            return None
        with self._connect() as conn:
            row = self._row(conn, name)
        return _account(row) if row else None

    def list(self) -> list[Account]:
        """Every account, by username."""
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY username").fetchall()
        return [_account(r) for r in rows]

    def count(self) -> int:
        """How many accounts exist (active or not)."""
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0])

    # -- changes -----------------------------------------------------------------------------------------------

    def add(self, username: str, password: str, role: str) -> Account:
        """Create an active account; AccountError for a taken or malformed username, unknown role, weak password."""
        name = normalise_username(username)
        _check_role(role)
        check_password(password, name)
        password_hash = self._hasher.hash(password)
        try:
            with self._connect() as conn:
                conn.execute(
                    "INSERT INTO accounts (username, password_hash, role, active, created_at, session_token) "
                    "VALUES (?, ?, ?, 1, ?, ?)",
                    (name, password_hash, role, _now(), _token()),
                )
        except sqlite3.IntegrityError as err:
            raise AccountError(f"username {name!r} is taken") from err
        account = self.by_username(name)
        assert account is not None
        return account

    def set_role(self, username: str, role: str) -> Account:
        """Change an account's role (ending its sessions)."""
        return self._update(username, "role = ?, session_token = ?", (_check_role(role), _token()))

    def set_password(self, username: str, password: str) -> Account:
        """Change an account's password (ending its sessions)."""
        name = normalise_username(username)
        check_password(password, name)
        return self._update(name, "password_hash = ?, session_token = ?", (self._hasher.hash(password), _token()))

    def end_sessions(self, username: str) -> Account:
        """A new session token: every session of the account ends (logging out ends them all)."""
        return self._update(username, "session_token = ?", (_token(),))

    def disable(self, username: str) -> Account:
        """Refuse further logins and end the account's sessions."""
        return self._update(username, "active = 0, session_token = ?", (_token(),))

    def enable(self, username: str) -> Account:
        """Allow logins again (with a fresh session token)."""
        return self._update(username, "active = 1, session_token = ?", (_token(),))

    def remove(self, username: str) -> None:
        """Delete an account for good."""
        name = normalise_username(username)
        with self._connect() as conn:
            if conn.execute("DELETE FROM accounts WHERE username = ?", (name,)).rowcount == 0:
                raise AccountError(f"unknown user {name!r}")

    # -- login -------------------------------------------------------------------------------------------------

    @cached_property
    def _dummy_hash(self) -> str:
        """A hash of a random secret with this hasher's parameters: unknown users cost one verification too."""
        return self._hasher.hash(secrets.token_urlsafe(TOKEN_BYTES))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account if the password is right and it is active, else None; always one Argon2 verification."""
        try:
            name = normalise_username(username)
        except AccountError:
            name = None
        with self._connect() as conn:
            row = self._row(conn, name) if name else None
        known = row is not None and isinstance(password, str) and len(password) <= MAX_PASSWORD_LENGTH
        candidate = password[:MAX_PASSWORD_LENGTH] if isinstance(password, str) else ""
        verified = self._verify(row["password_hash"] if row is not None and known else self._dummy_hash, candidate)
        if row is None or not (known and verified and row["active"]):
            return None
        old_hash = row["password_hash"]
        new_hash = self._hasher.hash(candidate) if self._hasher.check_needs_rehash(old_hash) else None
        with self._connect() as conn:
            conn.execute("UPDATE accounts SET last_login = ? WHERE id = ?", (_now(), row["id"]))
            if new_hash:  # only if the password was not changed meanwhile
                conn.execute(
                    "UPDATE accounts SET password_hash = ? WHERE id = ? AND password_hash = ?",
                    (new_hash, row["id"], old_hash),
                )
            fresh = self._row(conn, row["username"])
        return _account(fresh) if fresh else None
