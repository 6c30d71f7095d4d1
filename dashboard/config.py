"""Every setting in one table: name, environment variable, default and meaning. Read once at start-up.

Why this module is longer than ~300 lines: every setting's name, default, help text and check in one table, so
that a setting is added, documented and validated in one place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from dashboard import paths
from dashboard.published.tiers import PUBLISHED_TIERS, Tier


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "HOST", "127.0.0.1", "Address `python app.py` listens on."),
    Setting("port", "PORT", "8050", "Port `python app.py` listens on."),
    Setting(
        "dataset_dir",
        "DASHBOARD_DATASET",
        str(paths.DEMO_DATASET_DIR),
        "Dataset the first release is built from when DASHBOARD_RELEASES holds none (validated first: the app "
        "refuses to start if it is broken). The web process itself never reads it.",
    ),
    Setting(
        "release_dir",
        "DASHBOARD_RELEASES",
        str(paths.REPO_ROOT / "instance" / "releases"),
        "Folder of published releases (`current` points at the one served). If it holds none at start-up, one "
        "is built from DASHBOARD_DATASET in a separate process.",
    ),
    Setting(
        "secret_file",
        "DASHBOARD_SECRET_FILE",
        str(paths.REPO_ROOT / "instance" / "release.secret"),
        "File holding the release secret behind the seeded rounding (created with 32 random bytes if missing). "
        "Keep it private and stable: it never leaves the server.",
        secret=True,
    ),
    Setting(
        "tier",
        "DASHBOARD_TIER",
        Tier.COALITION,
        "Highest audience tier this process serves (`public`, `funder` or `coalition`). Visitors who are not "
        "logged in always get `public`; an account gets its role's tier up to this one. The process loads only "
        "the releases of tiers it serves, each when first needed: set `public` for a public-only server.",
    ),
    Setting(
        "accounts_db",
        "DASHBOARD_ACCOUNTS",
        str(paths.REPO_ROOT / "instance" / "accounts.sqlite3"),
        "SQLite database of accounts (created empty if missing; there is no default account). Manage it with "
        "`python -m dashboard users`.",
    ),
    Setting(
        "audit_log",
        "DASHBOARD_AUDIT_LOG",
        str(paths.REPO_ROOT / "instance" / "audit.log"),
        "Append-only audit log (JSON lines): logins, failed logins, uploads, publishes, rollbacks, exports. "
        "It never holds data values or passwords.",
    ),
    Setting(
        "session_secret_file",
        "DASHBOARD_SESSION_SECRET_FILE",
        str(paths.REPO_ROOT / "instance" / "session.secret"),
        "File holding the key that signs session cookies (created with 32 random bytes if missing). Every "
        "worker and instance must read the same file.",
        secret=True,
    ),
    Setting(
        "secure_cookies",
        "DASHBOARD_SECURE_COOKIES",
        "true",
        "Send the session cookie only over HTTPS. Set `false` only to log in over plain http on a local machine "
        "(browsers also accept secure cookies from http://localhost and http://127.0.0.1).",
    ),
    Setting(
        "session_hours",
        "DASHBOARD_SESSION_HOURS",
        "12",
        "Absolute lifetime of a login, in hours (1 to 168): after it the visitor logs in again, however active. A "
        "session also ends after 8 idle hours, at logout (every session of the account ends) and on any change of "
        "the account.",
    ),
    Setting(
        "hsts_seconds",
        "DASHBOARD_HSTS_SECONDS",
        "0",
        "When above 0, every response carries `Strict-Transport-Security: max-age=N` (browsers then use only "
        "HTTPS for this host). Set it (for example 31536000) only when the site is served over HTTPS.",
    ),
    Setting(
        "job_memory_mb",
        "DASHBOARD_JOB_MEMORY_MB",
        "6144",
        "Address-space limit of each upload check and release preparation process, in megabytes. A file that needs "
        "more is refused with a clear message; the web process is never at risk.",
    ),
    Setting(
        "job_cpu_seconds",
        "DASHBOARD_JOB_CPU_SECONDS",
        "600",
        "CPU-time limit of each upload check and release preparation process, in seconds.",
    ),
    Setting(
        "job_wall_seconds",
        "DASHBOARD_JOB_WALL_SECONDS",
        "900",
        "Wall-clock limit of each upload check and release preparation process, in seconds (it is stopped after).",
    ),
    Setting(
        "ratelimit_storage",
        "DASHBOARD_RATELIMIT_STORAGE",
        "memory://",
        "Where login rate-limit counters live (a flask-limiter storage URI). `memory://` counts per worker; "
        "use `redis://host:6379` to share them across gunicorn workers and instances.",
    ),
    Setting(
        "job_queue",
        "DASHBOARD_JOB_QUEUE",
        "local",
        "Where the steward's checks and preparations run. `local`: in a process the web process starts on its own "
        "machine (one instance). `redis://host:6379/0`: on an RQ queue in that Redis, run by "
        "`python -m dashboard steward-worker` on any machine, with their progress kept in Redis, so that every "
        "instance sees them (several instances must also share DASHBOARD_RELEASES and DASHBOARD_UPLOADS).",
    ),
    Setting(
        "proxy_hops",
        "DASHBOARD_PROXY_HOPS",
        "0",
        "Number of reverse proxies in front of the app whose X-Forwarded-For and X-Forwarded-Proto headers are "
        "trusted (0: none). Set it behind a proxy so that login rate limits and the audit log see the visitor's "
        "address, not the proxy's.",
    ),
    Setting(
        "upload_dir",
        "DASHBOARD_UPLOADS",
        str(paths.REPO_ROOT / "instance" / "uploads"),
        "Where a steward's checked uploads and the published datasets are kept (server-side only, never served).",
    ),
    Setting(
        "max_upload_mb",
        "DASHBOARD_MAX_UPLOAD_MB",
        "5",
        "Largest file a steward may upload, in megabytes (a larger one is refused before it is read). 5 MB holds "
        "about 80,000 respondents as CSV; checking an XLSX that large takes seconds in the request.",
    ),
    Setting(
        "debug",
        "DASHBOARD_DEBUG",
        "false",
        "Dash debug mode (dev tools, reloader). Only for local development: never set it on a server.",
    ),
    Setting("language", "DASHBOARD_LANGUAGE", "en", "Default interface language: `en` or `fr`."),
    Setting(
        "callback_cache_mb",
        "DASHBOARD_CALLBACK_CACHE_MB",
        "64",
        "Memory each worker keeps for answers of the explore page's callbacks, in megabytes (0: none). The same "
        "view asked again by a viewer of the same role and language gets the kept answer while the same release is "
        "served; a publish or rollback empties it.",
    ),
    Setting(
        "network_nodes",
        "DASHBOARD_NETWORK_NODES",
        "150",
        "Organisations the coalition network graph draws per view, 10 to 300: the best connected; the others are "
        "summarised by sector with their ties listed in the table view. Positions are computed with the release.",
    ),
)

TIERS = PUBLISHED_TIERS
LOCAL_JOBS = "local"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# Whole-number settings and the range each must lie in.
BOUNDS: dict[str, tuple[int, int]] = {
    "session_hours": (1, 168),
    "hsts_seconds": (0, 2 * 365 * 24 * 3600),
    "job_memory_mb": (256, 1024 * 1024),
    "job_cpu_seconds": (5, 24 * 3600),
    "job_wall_seconds": (5, 24 * 3600),
    "callback_cache_mb": (0, 4096),
    "network_nodes": (10, 300),  # at most network_layout.LAYOUT_MAX: positions exist for no more
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _flag(value: object, env: str) -> bool:
    text = str(value).strip().lower()
    if text not in _TRUE | _FALSE:
        raise ConfigError(f"{env} must be true or false, not {value!r}")
    return text in _TRUE


def _bounded(raw: Mapping[str, object], name: str) -> int:
    """A whole-number setting within its bounds (ConfigError naming the variable otherwise)."""
    env = next(s.env for s in SETTINGS if s.name == name)
    low, high = BOUNDS[name]
    try:
        value = int(str(raw[name]).strip())
    except ValueError:
        raise ConfigError(f"{env} must be a whole number, not {raw[name]!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{env} must be between {low} and {high}, not {value}")
    return value


@dataclass(frozen=True)
class Config:
    host: str
    port: int
    dataset_dir: Path
    release_dir: Path
    secret_file: Path
    tier: str
    debug: bool
    language: str
    accounts_db: Path
    audit_log: Path
    session_secret_file: Path
    secure_cookies: bool
    ratelimit_storage: str
    job_queue: str
    proxy_hops: int
    upload_dir: Path
    max_upload_mb: int
    session_hours: int
    hsts_seconds: int
    job_memory_mb: int
    job_cpu_seconds: int
    job_wall_seconds: int
    callback_cache_mb: int
    network_nodes: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Config:
        env = os.environ if env is None else env
        raw: dict[str, Any] = {s.name: env.get(s.env, s.default) for s in SETTINGS}  # str, or an override's value
        raw.update({k: v for k, v in overrides.items() if v is not None})
        try:
            port = int(raw["port"])
        except ValueError as err:
            raise ConfigError(f"PORT must be a whole number, not {raw['port']!r}") from err
        debug = _flag(raw["debug"], "DASHBOARD_DEBUG")
        secure = _flag(raw["secure_cookies"], "DASHBOARD_SECURE_COOKIES")
        try:
            max_upload_mb = int(raw["max_upload_mb"])
        except ValueError as err:
            raise ConfigError(f"DASHBOARD_MAX_UPLOAD_MB must be a whole number, not {raw['max_upload_mb']!r}") from err
        try:
            proxy_hops = int(raw["proxy_hops"])
        except ValueError as err:
            raise ConfigError(f"DASHBOARD_PROXY_HOPS must be a whole number, not {raw['proxy_hops']!r}") from err
        if not 0 <= proxy_hops <= 5:
            raise ConfigError(f"DASHBOARD_PROXY_HOPS must be between 0 and 5, not {proxy_hops}")
        if not 1 <= max_upload_mb <= 1024:
            raise ConfigError(f"DASHBOARD_MAX_UPLOAD_MB must be between 1 and 1024, not {max_upload_mb}")
        bounded = {name: _bounded(raw, name) for name in BOUNDS}
        language = str(raw["language"])
        if language not in ("en", "fr"):
            raise ConfigError(f"DASHBOARD_LANGUAGE must be en or fr, not {language!r}")
        job_queue = str(raw["job_queue"]).strip()
        if job_queue != LOCAL_JOBS and not job_queue.startswith(REDIS_SCHEMES):
            raise ConfigError(f"DASHBOARD_JOB_QUEUE must be local or a redis:// URL, not {job_queue!r}")
        tier = str(raw["tier"])
        if tier not in TIERS:
            raise ConfigError(f"DASHBOARD_TIER must be one of {', '.join(TIERS)}, not {tier!r}")
        return cls(
            host=str(raw["host"]),
            port=port,
            dataset_dir=Path(str(raw["dataset_dir"])),
            release_dir=Path(str(raw["release_dir"])),
            secret_file=Path(str(raw["secret_file"])),
            tier=tier,
            debug=debug,
            language=language,
            accounts_db=Path(str(raw["accounts_db"])),
            audit_log=Path(str(raw["audit_log"])),
            session_secret_file=Path(str(raw["session_secret_file"])),
            secure_cookies=secure,
            ratelimit_storage=str(raw["ratelimit_storage"]),
            job_queue=job_queue,
            proxy_hops=proxy_hops,
            upload_dir=Path(str(raw["upload_dir"])),
            max_upload_mb=max_upload_mb,
            **bounded,
        )

    def tiers(self) -> tuple[str, ...]:
        """The tiers this process serves, lowest first."""
        return TIERS[: TIERS.index(self.tier) + 1]

    def shown(self) -> dict[str, str]:
        """Settings as they may be displayed (secrets redacted)."""
        secret = {s.name for s in SETTINGS if s.secret}
        return {f.name: ("***" if f.name in secret else _no_password(str(getattr(self, f.name)))) for f in fields(self)}


def _no_password(value: str) -> str:
    """A URL's password replaced by ``***`` (``redis://:pw@host`` is shown as ``redis://:***@host``)."""
    scheme, sep, rest = value.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return value
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"


def scratch_env(folder: Path) -> dict[str, str]:
    """Settings that put every file a process writes besides its releases (accounts, audit log, the two secrets,
    uploads) under ``folder``, and send the session cookie over plain http: for a throwaway process on
    http://127.0.0.1 (the tests', the benchmarks'), never for a deployment."""
    return {
        "DASHBOARD_SECRET_FILE": str(folder / "secret"),
        "DASHBOARD_ACCOUNTS": str(folder / "accounts.sqlite3"),
        "DASHBOARD_AUDIT_LOG": str(folder / "audit.log"),
        "DASHBOARD_SESSION_SECRET_FILE": str(folder / "session.secret"),
        "DASHBOARD_UPLOADS": str(folder / "uploads"),
        "DASHBOARD_SECURE_COOKIES": "false",
    }
