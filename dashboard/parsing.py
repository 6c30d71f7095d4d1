"""Checks of short values typed into a form or a URL, before they are turned into numbers.

``str.isdigit`` alone accepts superscripts and other scripts' digits, and ``int`` accepts any length: every such
check goes through :func:`ascii_digits`.
"""

from __future__ import annotations


def ascii_digits(text: str, most: int, least: int = 1) -> bool:
    """True when ``text`` is ``least`` to ``most`` ASCII digits (``0``-``9``) and nothing else."""
    return text.isascii() and text.isdigit() and least <= len(text) <= most
