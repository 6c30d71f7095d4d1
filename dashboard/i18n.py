"""The message catalogue: every user-facing string, in English and French (SPEC §8).

Messages live in ``data/messages.yaml`` (and ``data/messages/*.yaml``) as ``key: {en: ..., fr: ...}`` and
may hold ``{placeholders}``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from dashboard import paths

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages: ``data/messages.yaml`` plus one file per page area in ``data/messages/`` (keys unique)."""
    out: dict[str, dict[str, str]] = {}
    for path in [paths.MESSAGES_FILE, *sorted(paths.MESSAGES_DIR.glob("*.yaml"))]:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for k, v in raw.items():
            if str(k) in out:
                raise ValueError(f"message {k!r} is defined twice ({path.name})")
            out[str(k)] = {lang: str(v[lang]) for lang in LANGUAGES if lang in v}
    return out


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The message ``key`` in ``lang`` (falling back to English), with ``values`` filled in."""
    entry = catalogue()[key]  # a missing key is a programming error: fail loudly
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
