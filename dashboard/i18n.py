"""The message catalogue: every user-facing string, in English and French (SPEC §8).

Messages live in ``data/messages.yaml`` (and ``data/messages/*.yaml``) as ``key: {en: ..., fr: ...}`` and
may hold ``{placeholders}``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

import yaml

from dashboard import paths

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
NO_BREAK_SPACE = "\u00a0"
# French puts a space before % : ; ! ? » and after «; a line must never break there ("58,5 |%" on a printed page),
# so the catalogue's plain spaces at those places are read as no-break spaces.
_FRENCH_SPACES = re.compile(r" (?=[%:;!?»])|(?<=«) ")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages: ``data/messages.yaml`` plus one file per page area in ``data/messages/`` (keys unique)."""
    out: dict[str, dict[str, str]] = {}
    for path in [paths.MESSAGES_FILE, *sorted(paths.MESSAGES_DIR.glob("*.yaml"))]:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for k, v in raw.items():
            if str(k) in out:
                raise ValueError(f"message {k!r} is defined twice ({path.name})")
            out[str(k)] = {lang: typeset(str(v[lang]), lang) for lang in LANGUAGES if lang in v}
    return out


PLURAL_FORMS = ("one", "other")


def exists(key: str) -> bool:
    """Whether ``t(key, …)`` finds a message: the key itself, or one message per plural form."""
    messages = catalogue()
    return key in messages or all(f"{key}.{form}" in messages for form in PLURAL_FORMS)


def plural_form(count: object, lang: str) -> str:
    """``one`` or ``other``: the plural form of ``count`` in ``lang`` (Babel's CLDR rules); ``count`` may be a
    number or a number as the formatter writes it ("1 234", "1,7")."""
    text = re.sub(r"[\s\u00a0\u202f]", "", str(count)).replace("−", "-")  # a count as written: "1 234", "1,7"
    text = text.replace(",", ".") if lang == "fr" else text.replace(",", "")
    try:
        number = abs(Decimal(text))  # a Decimal keeps its written decimals: "1.0 points" in English, as CLDR says
    except ArithmeticError:
        return "other"
    if not number.is_finite():
        return "other"
    form = _plural_rule(lang)(number)
    return form if form in PLURAL_FORMS else "other"


@cache
def _plural_rule(lang: str) -> Any:
    from babel import Locale

    return Locale.parse({"fr": "fr_CA"}.get(lang, "en_CA")).plural_form


def typeset(text: str, lang: str) -> str:
    """``text`` with the language's no-break spaces (French: before % : ; ! ? » and after «)."""
    return _FRENCH_SPACES.sub(NO_BREAK_SPACE, text) if lang == "fr" else text


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The message ``key`` in ``lang`` (falling back to English), with ``values`` filled in.

    A message that depends on a number is written once per plural form, ``key.one`` and ``key.other``, and read
    with ``count=``: the form is the language's (CLDR, through Babel), so "1 wave" and "2 waves", but "0 vague" and
    "1 vague" in French, where 0 and 1 are both singular.
    """
    messages = catalogue()
    entry = messages.get(key) or messages[f"{key}.{plural_form(values.get('count'), lang)}"]  # else fail loudly
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def localised(value: object, lang: str) -> str:
    """A text a dataset or a deck gives either once (a string, shown as given) or per language (``{en: …, fr: …}``):
    the text in ``lang``, else in English, else the first given."""
    if isinstance(value, dict):
        if value.get(lang):
            return typeset(str(value[lang]), lang)
        return str(value.get(DEFAULT_LANGUAGE) or next(iter(value.values()), ""))
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
