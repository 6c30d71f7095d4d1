"""Every setting in one table: name, environment variable, default and meaning. Read once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from dashboard import paths


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
        "public",
        "Audience tier this process serves (`public`, `funder` or `coalition`); it loads only that release.",
    ),
    Setting(
        "debug",
        "DASHBOARD_DEBUG",
        "false",
        "Dash debug mode (dev tools, reloader). Only for local development: never set it on a server.",
    ),
    Setting("language", "DASHBOARD_LANGUAGE", "en", "Default interface language: `en` or `fr`."),
)

TIERS = ("public", "funder", "coalition")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Config:
        env = os.environ if env is None else env
        raw = {s.name: env.get(s.env, s.default) for s in SETTINGS}
        raw.update({k: v for k, v in overrides.items() if v is not None})
        try:
            port = int(raw["port"])
        except ValueError as err:
            raise ConfigError(f"PORT must be a whole number, not {raw['port']!r}") from err
        debug = str(raw["debug"]).strip().lower()
        if debug not in _TRUE | _FALSE:
            raise ConfigError(f"DASHBOARD_DEBUG must be true or false, not {raw['debug']!r}")
        language = str(raw["language"])
        if language not in ("en", "fr"):
            raise ConfigError(f"DASHBOARD_LANGUAGE must be en or fr, not {language!r}")
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
            debug=debug in _TRUE,
            language=language,
        )

    def shown(self) -> dict[str, str]:
        """Settings as they may be displayed (secrets redacted)."""
        secret = {s.name for s in SETTINGS if s.secret}
        return {f.name: ("***" if f.name in secret else str(getattr(self, f.name))) for f in fields(self)}
