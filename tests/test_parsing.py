"""The one check of short digit strings typed into a form or a URL (``dashboard.parsing``)."""

from __future__ import annotations

import pytest

from dashboard.parsing import ascii_digits


@pytest.mark.parametrize("text", ["0", "2024", "0042"])
def test_ascii_digits_up_to_most_pass(text):
    assert ascii_digits(text, 4)


@pytest.mark.parametrize(
    "text",
    ["", "20245", "²", "٢٠٢٤", "20 4", "-1", "+1", "1.0", "１２"],  # empty, too long, superscript, Arabic, fullwidth
)
def test_anything_else_fails(text):
    assert not ascii_digits(text, 4)


def test_least_bounds_the_length_from_below():
    assert ascii_digits("2024", 4, least=4)
    assert not ascii_digits("202", 4, least=4)
    assert not ascii_digits("", 4, least=0)  # "" is no digits, whatever the bounds
