"""``python -m dashboard users …``: manage the accounts database from the server's shell.

Passwords are read from a prompt (asked twice) on a terminal, otherwise from the first line of standard
input; never from the command line, where other users could read them in the process list or shell history.
Every change is recorded as an ``account`` event in the audit log. Exit codes: 0 ok, 1 refused, 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from dashboard.accounts.store import ROLES, Account, AccountError, AccountStore
from dashboard.audit_log import ACCOUNT, AuditLog
from dashboard.config import Config, ConfigError

OK, REFUSED, USAGE = 0, 1, 2
Change = Callable[[AccountStore, argparse.Namespace], tuple[str, Account]]


class _Refused(Exception):
    """The command stops without changing anything (the message goes to stderr)."""


def _config_path(explicit: str | None, setting: str) -> Path:
    return Path(explicit) if explicit else getattr(Config.from_env(), setting)


def _operator() -> str | None:
    """The login name of whoever runs the command, for the audit log (None if the system cannot tell)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def read_password() -> str:
    """A new password: prompted twice on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Repeat it: ") != first:
            raise _Refused("the two passwords differ; nothing was changed")
        return first
    line = sys.stdin.readline()
    if not line:
        raise _Refused("no password on standard input; nothing was changed")
    return line.rstrip("\r\n")


def _confirm(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _existing(store: AccountStore, username: str) -> Account:
    account = store.by_username(username)
    if account is None:
        raise AccountError(f"unknown user {username.strip().lower()[:64]!r}")
    return account


def _add(store: AccountStore, args: argparse.Namespace) -> tuple[str, Account]:
    if store.by_username(args.username) is not None:  # say so before asking for a password
        raise AccountError(f"username {args.username.strip().lower()!r} is taken")
    account = store.add(args.username, read_password(), args.role)
    return f"added {account.username} ({account.role})", account


def _set_role(store: AccountStore, args: argparse.Namespace) -> tuple[str, Account]:
    account = store.set_role(args.username, args.role)
    return f"{account.username} is now {account.role} (existing sessions ended)", account


def _passwd(store: AccountStore, args: argparse.Namespace) -> tuple[str, Account]:
    _existing(store, args.username)
    account = store.set_password(args.username, read_password())
    return f"password of {account.username} changed (existing sessions ended)", account


def _disable(store: AccountStore, args: argparse.Namespace) -> tuple[str, Account]:
    account = store.disable(args.username)
    return f"{account.username} is disabled (existing sessions ended)", account


def _enable(store: AccountStore, args: argparse.Namespace) -> tuple[str, Account]:
    account = store.enable(args.username)
    return f"{account.username} is enabled", account


def _remove(store: AccountStore, args: argparse.Namespace) -> tuple[str, Account]:
    account = _existing(store, args.username)
    if sys.stdin.isatty() and not args.yes and not _confirm(f"Remove account {account.username!r} for good?"):
        raise _Refused("not removed")
    store.remove(account.username)
    return f"removed {account.username}", account


CHANGES: dict[str, Change] = {
    "add": _add,
    "set-role": _set_role,
    "passwd": _passwd,
    "disable": _disable,
    "enable": _enable,
    "remove": _remove,
}


def _cmd_change(args: argparse.Namespace) -> int:
    try:
        db, log = _config_path(args.db, "accounts_db"), _config_path(args.audit_log, "audit_log")
    except ConfigError as err:
        print(str(err), file=sys.stderr)
        return USAGE
    try:
        store, audit = AccountStore(db), AuditLog(log)
    except (OSError, sqlite3.Error) as err:
        print(f"cannot open {db} or {log}: {err}", file=sys.stderr)
        return USAGE
    try:
        message, account = CHANGES[args.action](store, args)
    except (AccountError, _Refused) as err:
        print(str(err), file=sys.stderr)
        return REFUSED
    except sqlite3.Error as err:
        print(f"{db}: {err}; nothing was changed", file=sys.stderr)
        return REFUSED
    try:
        audit.record(ACCOUNT, action=args.action, username=account.username, role=account.role, operator=_operator())
    except OSError as err:
        print(f"{message}, but the audit log could not be written: {err}", file=sys.stderr)
        return REFUSED
    print(message)
    return OK


def _format_table(accounts: list[Account]) -> str:
    header = ("username", "role", "active", "created", "last login")
    rows = [(a.username, a.role, "yes" if a.active else "no", a.created_at, a.last_login or "never") for a in accounts]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in [header, *rows])
    return "\n".join(line.rstrip() for line in lines)


def _cmd_list(args: argparse.Namespace) -> int:
    try:
        path = _config_path(args.db, "accounts_db")
    except ConfigError as err:
        print(str(err), file=sys.stderr)
        return USAGE
    try:
        accounts = AccountStore(path).list()
    except (OSError, sqlite3.Error) as err:
        print(f"{path}: {err}", file=sys.stderr)
        return USAGE
    print(_format_table(accounts) if accounts else f"no accounts in {path}")
    return OK


def add_users_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``users`` and its sub-commands on the main parser's sub-parsers."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="accounts database (default DASHBOARD_ACCOUNTS)")
    common.add_argument("--audit-log", metavar="PATH", help="audit log (default DASHBOARD_AUDIT_LOG)")
    users = sub.add_parser("users", help="manage accounts: add, list, set-role, passwd, disable, enable, remove")
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    username = {"help": "account name (case-insensitive)"}
    add = actions.add_parser("add", parents=[common], help="add an account (password from a prompt or stdin)")
    add.add_argument("username", **username)
    add.add_argument("--role", required=True, choices=ROLES, help="the account's role")
    listing = actions.add_parser("list", parents=[common], help="list accounts (no hashes, no tokens)")
    listing.set_defaults(func=_cmd_list)
    set_role = actions.add_parser("set-role", parents=[common], help="change an account's role")
    set_role.add_argument("username", **username)
    set_role.add_argument("role", choices=ROLES, help="the new role")
    for name, text in (
        ("passwd", "change an account's password (from a prompt or stdin)"),
        ("disable", "refuse an account's logins and end its sessions"),
        ("enable", "allow a disabled account to log in again"),
        ("remove", "delete an account for good"),
    ):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("username", **username)
        if name == "remove":
            action.add_argument("--yes", action="store_true", help="do not ask for confirmation on a terminal")
    for name in CHANGES:
        actions.choices[name].set_defaults(func=_cmd_change)
