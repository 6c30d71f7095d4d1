"""The message catalogue: every user-facing string, in English and French (SPEC §8).

Messages live in ``data/messages.yaml`` as ``key: {en: ..., fr: ...}`` and may hold ``{placeholders}``.
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
    raw = yaml.safe_load(paths.MESSAGES_FILE.read_text(encoding="utf-8"))
    return {str(k): {lang: str(v[lang]) for lang in LANGUAGES if lang in v} for k, v in raw.items()}


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The message ``key`` in ``lang`` (falling back to English), with ``values`` filled in."""
    entry = catalogue()[key]  # a missing key is a programming error: fail loudly
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
