"""The accounts store: roles, password policy, Argon2id hashes, session tokens, timing-safe login."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dashboard.accounts.store import (
    COALITION,
    FUNDER,
    ROLE_TIER,
    ROLES,
    STEWARD,
    AccountError,
    AccountStore,
)

PASSWORD = "correct horse battery staple"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "instance" / "accounts.sqlite3"


@pytest.fixture
def store(db: Path) -> AccountStore:
    return AccountStore(db, hasher=FAST)


def test_ac001_the_store_starts_empty_with_a_private_file(store: AccountStore, db: Path):
    assert store.count() == 0 and store.list() == []
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_ac002_roles_and_tiers():
    assert ROLES == (FUNDER, COALITION, STEWARD)
    assert ROLE_TIER == {FUNDER: "funder", COALITION: "coalition", STEWARD: "coalition"}


def test_ac003_add_get_list(store: AccountStore):
    bob = store.add("Bob", PASSWORD, FUNDER)
    ann = store.add("ann@example.org", PASSWORD, STEWARD)
    assert bob.username == "bob" and bob.role == FUNDER and bob.active and bob.last_login is None
    assert store.get(bob.id) == bob and store.get(9999) is None
    assert [a.username for a in store.list()] == ["ann@example.org", "bob"]
    assert store.count() == 2 and ann.created_at.endswith("+00:00")
    assert len(bob.session_token) >= 43 and bob.session_token != ann.session_token
    assert bob.session_token not in repr(bob)


def test_ac004_usernames_are_case_insensitive(store: AccountStore):
    store.add("  Carol.Smith ", PASSWORD, COALITION)
    assert store.by_username("CAROL.SMITH").username == "carol.smith"
    assert store.authenticate("Carol.Smith", PASSWORD) is not None
    with pytest.raises(AccountError, match="taken"):
        store.add("carol.smith", PASSWORD, FUNDER)
    assert store.count() == 1


@pytest.mark.parametrize("name", ["a", "-bob", "bob smith", "bo\nb", "b" * 65, "bob;drop", "", "bób"])
def test_ac005_malformed_usernames_are_refused(store: AccountStore, name: str):
    with pytest.raises(AccountError, match="invalid username"):
        store.add(name, PASSWORD, FUNDER)
    assert store.by_username(name) is None


def test_ac006_unknown_role_is_refused(store: AccountStore):
    with pytest.raises(AccountError, match="unknown role"):
        store.add("dave", PASSWORD, "admin")
    store.add("dave", PASSWORD, FUNDER)
    with pytest.raises(AccountError, match="unknown role"):
        store.set_role("dave", "public")


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("tiny pw", "at least 12 characters"),
        ("x" * 1025 + "yz", "at most 1,024"),
        ("my-name-is-ERIN-ok", "must not contain the username"),
        ("aaaaaaaaaaaaaaaa", "one character repeated"),
    ],
)
def test_ac007_weak_passwords_are_refused_by_rule(store: AccountStore, password: str, rule: str):
    with pytest.raises(AccountError, match=rule) as info:
        store.add("erin", password, FUNDER)
    assert password not in str(info.value)
    assert store.count() == 0
    store.add("erin", PASSWORD, FUNDER)
    with pytest.raises(AccountError, match=rule):
        store.set_password("erin", password)


def test_ac008_authenticate(store: AccountStore):
    store.add("frank", PASSWORD, COALITION)
    account = store.authenticate("frank", PASSWORD)
    assert account is not None and account.username == "frank" and account.last_login is not None
    assert store.by_username("frank").last_login == account.last_login
    assert store.authenticate("frank", PASSWORD + "!") is None
    assert store.authenticate("nobody", PASSWORD) is None
    assert store.authenticate("not a valid name", PASSWORD) is None
    assert store.authenticate("frank", "x" * 5000) is None
    store.disable("frank")
    assert store.authenticate("frank", PASSWORD) is None
    store.enable("frank")
    assert store.authenticate("frank", PASSWORD) is not None


def test_ac009_hashes_are_argon2id_and_no_plain_password_is_stored(store: AccountStore, db: Path):
    store.add("grace", PASSWORD, FUNDER)
    store.set_password("grace", "another long passphrase")
    store.authenticate("grace", "another long passphrase")
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT password_hash FROM accounts").fetchone()
    assert stored.startswith("$argon2id$")
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    assert PASSWORD.encode() not in raw and b"another long passphrase" not in raw


def test_ac010_session_token_rotates_on_password_role_and_active_changes(store: AccountStore):
    tokens = [store.add("heidi", PASSWORD, FUNDER).session_token]
    tokens.append(store.set_password("heidi", "a brand new passphrase").session_token)
    tokens.append(store.set_role("heidi", STEWARD).session_token)
    tokens.append(store.disable("heidi").session_token)
    tokens.append(store.enable("heidi").session_token)
    assert len(set(tokens)) == len(tokens)
    assert store.authenticate("heidi", "a brand new passphrase").session_token == tokens[-1]  # login keeps it
    account = store.by_username("heidi")
    assert account.role == STEWARD and account.active and account.session_token == tokens[-1]


def test_ac011_changes_to_unknown_users_are_refused(store: AccountStore):
    for change in (
        lambda: store.set_role("ivan", FUNDER),
        lambda: store.set_password("ivan", PASSWORD),
        lambda: store.disable("ivan"),
        lambda: store.enable("ivan"),
        lambda: store.remove("ivan"),
    ):
        with pytest.raises(AccountError, match="unknown user"):
            change()


def test_ac012_remove(store: AccountStore):
    judy = store.add("judy", PASSWORD, FUNDER)
    store.remove("JUDY")
    assert store.get(judy.id) is None and store.by_username("judy") is None and store.count() == 0
    assert store.authenticate("judy", PASSWORD) is None


def test_ac013_two_stores_on_one_file_see_each_others_changes(db: Path):
    first, second = AccountStore(db, hasher=FAST), AccountStore(db, hasher=FAST)
    first.add("kim", PASSWORD, FUNDER)
    assert second.by_username("kim").role == FUNDER
    second.set_role("kim", COALITION)
    assert first.by_username("kim").role == COALITION
    second.disable("kim")
    assert first.authenticate("kim", PASSWORD) is None


def test_ac014_concurrent_adds_from_threads(db: Path):
    store = AccountStore(db, hasher=FAST)
    errors: list[Exception] = []

    def add(i: int) -> None:
        try:
            AccountStore(db, hasher=FAST).add(f"user{i}", PASSWORD, FUNDER)
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and store.count() == 8


class SpyHasher(PasswordHasher):
    """A cheap hasher that counts verifications."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(str(hash))
        return super().verify(hash, password)


def test_ac015_one_verification_whatever_the_username(db: Path):
    spy = SpyHasher()
    store = AccountStore(db, hasher=spy)
    store.add("leo", PASSWORD, FUNDER)
    for name, password in [("nobody", PASSWORD), ("leo", "wrong password!!"), ("leo", PASSWORD), ("!!", PASSWORD)]:
        spy.verified.clear()
        store.authenticate(name, password)
        assert len(spy.verified) == 1 and spy.verified[0].startswith("$argon2id$")
    spy.verified.clear()
    store.authenticate("nobody", PASSWORD)
    store.authenticate("someone", PASSWORD)
    assert len(set(spy.verified)) == 1  # the same fixed dummy hash each time


def test_ac016_outdated_hashes_are_rehashed_at_login(db: Path):
    AccountStore(db, hasher=FAST).add("mia", PASSWORD, FUNDER)
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    store = AccountStore(db, hasher=stronger)
    before = store.by_username("mia").session_token
    assert store.authenticate("mia", PASSWORD) is not None
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT password_hash FROM accounts").fetchone()
    assert not stronger.check_needs_rehash(stored)
    assert store.by_username("mia").session_token == before
    assert AccountStore(db, hasher=stronger).authenticate("mia", PASSWORD) is not None


def test_ac017_an_existing_file_keeps_its_accounts_and_is_reopened(db: Path):
    AccountStore(db, hasher=FAST).add("nina", PASSWORD, FUNDER)
    assert AccountStore(db, hasher=FAST).count() == 1
    assert os.path.getsize(db) > 0
