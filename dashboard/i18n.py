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


def localised(value: object, lang: str) -> str:
    """A text a dataset or a deck gives either once (a string, shown as given) or per language (``{en: …, fr: …}``):
    the text in ``lang``, else in English, else the first given."""
    if isinstance(value, dict):
        found = value.get(lang) or value.get(DEFAULT_LANGUAGE) or next(iter(value.values()), "")
        return str(found)
    return "" if value is None else str(value)


class LocalisedError(Exception):
    """An error a person reads: a catalogue key and its values, written in the reader's language by ``text``.

    ``str(err)`` is the English text (for logs and the audit log). A value may itself be a LocalisedError or a
    callable ``lang -> str``: it is written in the same language."""

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(self.text(DEFAULT_LANGUAGE))

    def text(self, lang: str) -> str:
        return t(self.key, lang, **{k: _localised(v, lang) for k, v in self.values.items()})

    def texts(self) -> dict[str, str]:
        """The text in every language (kept with a job's status, read later in the reader's language)."""
        return {lang: self.text(lang) for lang in LANGUAGES}


def _localised(value: Any, lang: str) -> Any:
    if isinstance(value, LocalisedError):
        return value.text(lang)
    if callable(value):
        return value(lang)
    return value


def text_of(err: BaseException, lang: str) -> str:
    """What a person reads of ``err``: in ``lang`` when it is a LocalisedError, else its own text."""
    return err.text(lang) if isinstance(err, LocalisedError) else str(err)
