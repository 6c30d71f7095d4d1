"""``python -m dashboard users``: passwords only from a prompt or stdin, never echoed, every change audited."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dashboard.accounts import cli as users_cli
from dashboard.accounts.store import AccountStore
from dashboard.audit_log import ACCOUNT, AuditLog
from dashboard.cli import main

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Tr0ub4dor&3-but-longer"


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    return {"db": tmp_path / "accounts.sqlite3", "log": tmp_path / "logs" / "audit.log"}


@pytest.fixture(autouse=True)
def _fast_hasher(monkeypatch: pytest.MonkeyPatch):
    """The CLI builds its own store: make it cheap, except where a test asks for the real thing."""
    fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    real = AccountStore.__init__

    def init(self, path, hasher=None):
        real(self, path, hasher or fast)

    monkeypatch.setattr(AccountStore, "__init__", init)


def run(paths: dict[str, Path], *argv: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["users", *argv, "--db", str(paths["db"]), "--audit-log", str(paths["log"])])


def test_uc001_add_list_set_role_disable_enable_remove(paths, monkeypatch, capsys):
    assert run(paths, "add", "Olga", "--role", "funder", stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 0
    assert "added olga (funder)" in capsys.readouterr().out
    assert run(paths, "list", monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["username", "role", "active", "created", "last", "login"]
    assert out.splitlines()[1].split()[:3] == ["olga", "funder", "yes"] and "never" in out
    assert run(paths, "set-role", "OLGA", "steward", monkeypatch=monkeypatch) == 0
    assert run(paths, "disable", "olga", monkeypatch=monkeypatch) == 0
    store = AccountStore(paths["db"])
    assert store.by_username("olga").role == "steward" and not store.by_username("olga").active
    assert store.authenticate("olga", PASSWORD) is None
    assert run(paths, "enable", "olga", monkeypatch=monkeypatch) == 0
    assert store.authenticate("olga", PASSWORD) is not None
    assert run(paths, "passwd", "olga", stdin="a completely new phrase\n", monkeypatch=monkeypatch) == 0
    assert store.authenticate("olga", "a completely new phrase") is not None
    assert run(paths, "remove", "olga", monkeypatch=monkeypatch) == 0
    assert store.count() == 0
    actions = [(e["event"], e["action"], e["username"]) for e in AuditLog(paths["log"]).read()]
    assert actions == [
        (ACCOUNT, action, "olga") for action in ("add", "set-role", "disable", "enable", "passwd", "remove")
    ]
    assert [e["role"] for e in AuditLog(paths["log"]).read()][:2] == ["funder", "steward"]


def test_uc002_refusals_exit_1_with_a_message(paths, monkeypatch, capsys):
    assert run(paths, "add", "pat", "--role", "funder", stdin="too short\n", monkeypatch=monkeypatch) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert run(paths, "add", "pat", "--role", "funder", stdin="", monkeypatch=monkeypatch) == 1
    assert "no password" in capsys.readouterr().err
    assert run(paths, "add", "pat", "--role", "funder", stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 0
    assert run(paths, "add", "PAT", "--role", "coalition", stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 1
    assert "taken" in capsys.readouterr().err
    for argv in (["disable", "quinn"], ["remove", "quinn"], ["set-role", "quinn", "funder"], ["passwd", "quinn"]):
        assert run(paths, *argv, stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 1
        assert "unknown user 'quinn'" in capsys.readouterr().err
    assert [e["action"] for e in AuditLog(paths["log"]).read()] == ["add"]


def test_uc003_there_is_no_password_option(paths, monkeypatch, capsys):
    for argv in (
        ["add", "rita", "--role", "funder", "--password", PASSWORD],
        ["passwd", "rita", "--password", PASSWORD],
        ["add", "rita", "--role", "admin"],
        ["add", "rita"],
        [],
    ):
        with pytest.raises(SystemExit) as info:
            run(paths, *argv, stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
        assert info.value.code == 2
    assert not paths["db"].exists()


def test_uc004_the_password_is_never_printed_or_logged(paths, monkeypatch, capsys):
    secret = "sup3r-secret-passphrase"
    assert run(paths, "add", "sam", "--role", "coalition", stdin=secret + "\n", monkeypatch=monkeypatch) == 0
    assert run(paths, "passwd", "sam", stdin=secret + "-2\n", monkeypatch=monkeypatch) == 0
    assert run(paths, "passwd", "sam", stdin="sam-" + secret + "\n", monkeypatch=monkeypatch) == 1
    assert run(paths, "list", monkeypatch=monkeypatch) == 0
    captured = capsys.readouterr()
    token = AccountStore(paths["db"]).by_username("sam").session_token
    for text in (captured.out, captured.err, paths["log"].read_text()):
        assert "secret" not in text and "argon2" not in text and token not in text


def test_uc005_prompts_twice_on_a_terminal(paths, monkeypatch, capsys):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter([PASSWORD, PASSWORD + "typo"])
    monkeypatch.setattr(users_cli.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(sys, "stdin", Tty())
    args = ["--db", str(paths["db"]), "--audit-log", str(paths["log"])]
    assert main(["users", "add", "tom", "--role", "funder", *args]) == 1
    assert "differ" in capsys.readouterr().err and AccountStore(paths["db"]).count() == 0
    answers = iter([PASSWORD, PASSWORD])
    assert main(["users", "add", "tom", "--role", "funder", *args]) == 0
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["users", "remove", "tom", *args]) == 1
    assert main(["users", "remove", "tom", "--yes", *args]) == 0
    assert AccountStore(paths["db"]).count() == 0


def test_uc006_defaults_come_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_ACCOUNTS", str(tmp_path / "env.sqlite3"))
    monkeypatch.setenv("DASHBOARD_AUDIT_LOG", str(tmp_path / "env-audit.log"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "uma", "--role", "steward"]) == 0
    assert AccountStore(tmp_path / "env.sqlite3").by_username("uma").role == "steward"
    assert AuditLog(tmp_path / "env-audit.log").read()[0]["username"] == "uma"
    assert main(["users", "list"]) == 0 and "uma" in capsys.readouterr().out


def test_uc007_subprocess_with_the_password_on_stdin_and_the_real_hasher(tmp_path):
    db, log = tmp_path / "accounts.sqlite3", tmp_path / "audit.log"
    command = [sys.executable, "-m", "dashboard", "users", "add", "xavier", "--role", "funder"]
    out = subprocess.run(
        [*command, "--db", str(db), "--audit-log", str(log)],
        cwd=REPO,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert PASSWORD not in out.stdout + out.stderr + log.read_text()
    account = AccountStore(db, hasher=PasswordHasher()).authenticate("xavier", PASSWORD)  # the default hasher
    assert account is not None and account.role == "funder"
    assert PasswordHasher().check_needs_rehash(_stored_hash(db)) is False
    assert json.loads(log.read_text().splitlines()[0])["action"] == "add"


def _stored_hash(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT password_hash FROM accounts").fetchone()[0]


def test_uc008_an_unreadable_database_or_bad_setting_is_a_usage_error(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_text("garbage " * 200)
    assert main(["users", "list", "--db", str(bad)]) == 2
    assert "not a database" in capsys.readouterr().err
    monkeypatch.setenv("DASHBOARD_DEBUG", "maybe")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "vera", "--role", "funder"]) == 2
    assert "DASHBOARD_DEBUG" in capsys.readouterr().err
