"""Text normalisation shared by the column and label matching: accents, case, spaces and punctuation ignored."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_NON_WORD: Final = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """``text`` without accents, case-folded ("Montréal" -> "montreal")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise(name: str) -> str:
    """A column or sheet name as an identifier ("Respondent ID " -> "respondent_id", "Prénom" -> "prenom")."""
    return _NON_WORD.sub("_", fold(name)).strip("_")


def label_key(text: str) -> str:
    """A label as a matching key: no accents, case, spaces or punctuation ("Don't know" -> "dontknow")."""
    return "".join(ch for ch in fold(text) if ch.isalnum())
