"""Tables and columns of a dataset (SPEC §3), as constants.

Every column that holds a categorical value names the vocabulary it draws from. Nothing else in the
package spells a table or column name as a string literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


class T:
    """Table names (file stems inside a dataset folder)."""

    RESPONDENTS: Final = "respondents"
    ENCOUNTERS: Final = "encounters"
    ORGANISATIONS: Final = "organisations"
    TIES: Final = "ties"
    SOURCES: Final = "sources"
    THEMES: Final = "themes"
    QUOTES: Final = "quotes"


class C:
    """Column names."""

    RESPONDENT_ID: Final = "respondent_id"
    WAVE: Final = "wave"
    CITY: Final = "city"
    PROVINCE: Final = "province"
    SECTOR: Final = "sector"
    SECTOR_GROUP: Final = "sector_group"
    ROLE: Final = "role"
    CONTACT: Final = "contact_any"
    TRAINED: Final = "trained"
    ORG_ID: Final = "org_id"
    LABOUR_SITE: Final = "labour_site"
    VICTIMISATION: Final = "victimisation_type"
    VICTIM_STATUS: Final = "victim_status"
    COALITION_MEMBER: Final = "coalition_member"
    NAME: Final = "name"
    CONSENT_NAMED: Final = "consent_named"
    SOURCE_ORG: Final = "source_org"
    TARGET_ORG: Final = "target_org"
    TIE_TYPE: Final = "tie_type"
    SOURCE_ID: Final = "source_id"
    METHOD: Final = "method"
    YEAR: Final = "year"
    PARTICIPANTS: Final = "participants"
    THEME: Final = "theme"
    QUOTE_ID: Final = "quote_id"
    TEXT: Final = "text"
    ATTRIBUTION: Final = "attribution"
    AUDIENCE: Final = "audience"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "id", "code", "int", "bool", "text"
    vocabulary: str | None = None
    required: bool = True  # the column must exist
    nullable: bool = False  # empty values are allowed


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


TABLES: Final[tuple[TableSpec, ...]] = (
    TableSpec(
        T.RESPONDENTS,
        (
            Column(C.RESPONDENT_ID, "id"),
            Column(C.WAVE, "int"),
            Column(C.CITY, "code", "city"),
            Column(C.SECTOR, "code", "sector"),
            Column(C.ROLE, "code", "role"),
            Column(C.CONTACT, "code", "contact", nullable=True),
            Column(C.TRAINED, "code", "trained", nullable=True),
            Column(C.ORG_ID, "id", required=False, nullable=True),
        ),
        key=(C.RESPONDENT_ID,),
    ),
    TableSpec(
        T.ENCOUNTERS,
        (
            Column(C.RESPONDENT_ID, "id"),
            Column(C.LABOUR_SITE, "code", "labour_site"),
            Column(C.VICTIMISATION, "code", "victimisation_type"),
            Column(C.VICTIM_STATUS, "code", "victim_status", required=False, nullable=True),
        ),
        key=(C.RESPONDENT_ID, C.LABOUR_SITE, C.VICTIMISATION),
    ),
    TableSpec(
        T.ORGANISATIONS,
        (
            Column(C.ORG_ID, "id"),
            Column(C.SECTOR, "code", "sector"),
            Column(C.CITY, "code", "city"),
            Column(C.COALITION_MEMBER, "bool"),
            Column(C.NAME, "text", required=False, nullable=True),
            Column(C.CONSENT_NAMED, "bool", required=False),
        ),
        key=(C.ORG_ID,),
    ),
    TableSpec(
        T.TIES,
        (
            Column(C.WAVE, "int"),
            Column(C.SOURCE_ORG, "id"),
            Column(C.TARGET_ORG, "id"),
            Column(C.TIE_TYPE, "code", "tie_type"),
        ),
        key=(C.WAVE, C.SOURCE_ORG, C.TARGET_ORG, C.TIE_TYPE),
    ),
    TableSpec(
        T.SOURCES,
        (
            Column(C.SOURCE_ID, "id"),
            Column(C.METHOD, "code", "method"),
            Column(C.CITY, "code", "city", nullable=True),
            Column(C.SECTOR, "code", "sector", nullable=True),
            Column(C.YEAR, "int"),
            Column(C.PARTICIPANTS, "int"),
        ),
        key=(C.SOURCE_ID,),
        required=False,
    ),
    TableSpec(
        T.THEMES,
        (Column(C.SOURCE_ID, "id"), Column(C.THEME, "code", "theme")),
        key=(C.SOURCE_ID, C.THEME),
        required=False,
    ),
    TableSpec(
        T.QUOTES,
        (
            Column(C.QUOTE_ID, "id"),
            Column(C.SOURCE_ID, "id"),
            Column(C.THEME, "code", "theme"),
            Column(C.TEXT, "text"),
            Column(C.ATTRIBUTION, "text"),
            Column(C.AUDIENCE, "code", "audience"),
        ),
        key=(C.QUOTE_ID,),
        required=False,
    ),
)

TABLE_BY_NAME: Final = {t.name: t for t in TABLES}

# Foreign keys: (table, column) -> (table, column) it must reference.
REFERENCES: Final[tuple[tuple[str, str, str, str], ...]] = (
    (T.ENCOUNTERS, C.RESPONDENT_ID, T.RESPONDENTS, C.RESPONDENT_ID),
    (T.RESPONDENTS, C.ORG_ID, T.ORGANISATIONS, C.ORG_ID),
    (T.TIES, C.SOURCE_ORG, T.ORGANISATIONS, C.ORG_ID),
    (T.TIES, C.TARGET_ORG, T.ORGANISATIONS, C.ORG_ID),
    (T.THEMES, C.SOURCE_ID, T.SOURCES, C.SOURCE_ID),
    (T.QUOTES, C.SOURCE_ID, T.SOURCES, C.SOURCE_ID),
)

MANIFEST_FILE: Final = "manifest.json"
MANIFEST_FIELDS: Final = (
    "name",
    "description",
    "synthetic",
    "source",
    "citation",
    "licence",
    "waves",
    "version",
    "checksum",
)

MIN_WAVE: Final = 1990
MAX_WAVE: Final = 2100
