"""Identifying data (SPEC §7): columns that hold it are stripped, cells that look like it refuse the upload.

A stripped column's values are never kept. A kept cell that looks like an e-mail address, a phone number, an IP
address, a person's name (in an id column) or free text is a problem that names the column and rows, never the value.
Cells that start like a spreadsheet formula are refused too, so that nothing published can run in a
spreadsheet later. Every check runs once per distinct value.

A kept cell longer than ``MAX_CELL_CHARS`` is refused before any pattern (or label lookup) sees it, and every
pattern runs in time linear in the cell: each repetition is possessive or bounded, and a match can only start
where a run of its characters starts, so no start position re-reads the run after it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Final

import pandas as pd

from dashboard.data.schema import TableSpec
from dashboard.data.validate import Problem
from dashboard.i18n import t
from dashboard.ingest.model import Rule, rows_of
from dashboard.published.export import FORMULA_STARTS

# Whole words of a normalised column name that mark it as identifying (English and French).
IDENTIFYING_WORDS: Final = frozenset(
    {
        "name",
        "names",
        "firstname",
        "lastname",
        "fullname",
        "surname",
        "forename",
        "givenname",
        "nom",
        "noms",
        "prenom",
        "prenoms",
        "email",
        "emails",
        "mail",
        "courriel",
        "phone",
        "phones",
        "telephone",
        "tel",
        "cell",
        "cellphone",
        "mobile",
        "fax",
        "address",
        "addresses",
        "adresse",
        "street",
        "rue",
        "postal",
        "postcode",
        "zip",
        "dob",
        "birth",
        "birthday",
        "birthdate",
        "naissance",
        "comment",
        "comments",
        "commentaire",
        "commentaires",
        "note",
        "notes",
        "remark",
        "remarks",
        "remarque",
        "remarques",
        "description",
        "descriptions",
        "sin",
        "nas",
        "ssn",
    }
)
# Fragments that mark a column name written without separators ("FirstName" -> "firstname").
IDENTIFYING_FRAGMENTS: Final = (
    "firstname",
    "lastname",
    "fullname",
    "surname",
    "givenname",
    "email",
    "courriel",
    "phone",
    "telephone",
    "address",
    "adresse",
    "birth",
    "naissance",
    "prenom",
    "comment",
    "postalcode",
)

# The same cells as r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b" (a local part holding a letter or digit, a domain with a dot
# followed by one), without its quadratic backtracking on "a.a.a.a...".
EMAIL: Final = re.compile(r"(?<![\w.+-])(?=[.+-]*+\w)[\w.+-]++@[\w-]++\.[.-]*+\w")
PHONE: Final = re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)")
PHONE_DIGITS: Final = re.compile(r"(?<![\w+])\+?1?\d{10}(?!\w)")
PHONE_LOCAL: Final = re.compile(r"(?<!\w)\d{3}[\s.-]\d{4}(?!\w)")
# An IP address (the "IP Address" column of an export renamed to look like a question): four dotted octets, or a
# run of hex groups and colons that ``ipaddress`` accepts as IPv6 ("10:30:00" is a time, not an address).
OCTET: Final = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4: Final = re.compile(rf"(?<![\w.]){OCTET}(?:\.{OCTET}){{3}}(?![\w.])")
IPV6: Final = re.compile(r"(?<![\w:.])[0-9A-Fa-f:]{2,39}+(?![\w:.])")
PERSON_NAME: Final = re.compile(r"[^\W\d_]++(?:['-][^\W\d_]++)*+(?:\s++[^\W\d_]++(?:['-][^\W\d_]++)*+)++")
FREE_TEXT_CHARS: Final = 40
FREE_TEXT_WORDS: Final = 3
MAX_CELL_CHARS: Final = 256  # the longest vocabulary label has under 100 characters

EMAIL_KIND: Final = "email"
PHONE_KIND: Final = "phone"
NAME_KIND: Final = "name"
IP_KIND: Final = "ip"
TEXT_KIND: Final = "free_text"
FORMULA_KIND: Final = "formula"
TOO_LONG_KIND: Final = "too_long"
KINDS: Final = (EMAIL_KIND, PHONE_KIND, IP_KIND, NAME_KIND, TEXT_KIND)


def is_identifying_name(normalised: str) -> bool:
    """Whether a normalised column name suggests names, contact details, birth dates or free-text notes."""
    words = set(normalised.split("_"))
    joined = normalised.replace("_", "")
    return bool(words & IDENTIFYING_WORDS) or any(f in joined for f in IDENTIFYING_FRAGMENTS)


def value_kind(value: str, kind: str, mapped: bool) -> str | None:
    """Which kind of identifying data (or formula) ``value`` looks like in a column of ``kind``, if any.

    ``mapped`` says the value is a known vocabulary label, which is never free text ("Extraction des
    ressources (pétrole, gaz, mines)" is long but fine).
    """
    if len(value) > MAX_CELL_CHARS:
        return TOO_LONG_KIND
    if EMAIL.search(value):
        return EMAIL_KIND
    if PHONE.search(value) or (kind != "id" and (PHONE_DIGITS.search(value) or PHONE_LOCAL.search(value))):
        return PHONE_KIND
    if IPV4.search(value) or any(_is_ipv6(m.group()) for m in IPV6.finditer(value) if m.group().count(":") >= 2):
        return IP_KIND
    if value.startswith(FORMULA_STARTS):  # the same characters the export writer neutralises
        return FORMULA_KIND
    if mapped:
        return None
    if kind == "id" and PERSON_NAME.fullmatch(value):
        return NAME_KIND
    if len(value) > FREE_TEXT_CHARS and len(value.split()) >= FREE_TEXT_WORDS:
        return TEXT_KIND
    return None


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _cell_kind(value: str, column: str, kind: str, maps: Callable[[str, str], bool]) -> str | None:
    """``value_kind`` of one distinct value, its length checked before the label lookup or any pattern runs."""
    if len(value) > MAX_CELL_CHARS:
        return TOO_LONG_KIND
    return value_kind(value, kind, kind == "code" and maps(column, value))


def screen(
    frame: pd.DataFrame, spec: TableSpec, file: str, maps: Callable[[str, str], bool], lang: str
) -> tuple[list[Problem], pd.DataFrame]:
    """Problems for identifying or formula-like cells, and a mask of those cells (left out of later checks).

    ``maps(column, value)`` says whether a value of a code column is a known label.
    """
    problems: list[Problem] = []
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for col in spec.columns:
        if col.name not in frame.columns:
            continue
        series = frame[col.name]
        kinds = {v: k for v in series.dropna().unique() if (k := _cell_kind(str(v), col.name, col.kind, maps))}
        if not kinds:
            continue
        found = series.map(kinds, na_action="ignore")
        mask[col.name] = found.notna()
        for kind in (TOO_LONG_KIND, *KINDS, FORMULA_KIND):
            hit = found == kind
            if not hit.any():
                continue
            rows = rows_of(series.index[hit.fillna(False)])
            if kind == TOO_LONG_KIND:
                text = t("ingest.cell_too_long", lang, limit=MAX_CELL_CHARS)
                problems.append(Problem(file, col.name, rows, Rule.CELL_TOO_LONG, text))
            elif kind == FORMULA_KIND:
                problems.append(Problem(file, col.name, rows, Rule.FORMULA, t("ingest.formula.text", lang)))
            else:
                what = t(f"ingest.kind.{kind}", lang)
                problems.append(
                    Problem(
                        file, col.name, rows, Rule.IDENTIFYING_VALUE, t("ingest.identifying_value", lang, what=what)
                    )
                )
    return problems, mask
