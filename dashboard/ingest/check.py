"""Checks of the new rows against themselves and against the published dataset: values, wave, ids, links.

Frames here are indexed by data row (counted from 1) and hold mapped codes; cells already refused as
identifying are masked out, so no message can echo them. Ids are opaque codes and may be listed.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from dashboard.data import schema as S
from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T, TableSpec
from dashboard.data.validate import Problem
from dashboard.i18n import t
from dashboard.ingest.model import Rule, listing, rows_of

_WHOLE: Final = re.compile(r"\d+(?:\.0+)?")
YES: Final = "yes"


def missing_values(frame: pd.DataFrame, spec: TableSpec, file: str, excluded: pd.DataFrame, lang: str) -> list[Problem]:
    """An empty cell in a column that must have a value in every row."""
    problems: list[Problem] = []
    for col in spec.columns:
        if col.nullable or col.name not in frame.columns:
            continue
        empty = frame[col.name].isna() & ~excluded[col.name]
        if empty.any():
            problems.append(
                Problem(
                    file, col.name, rows_of(frame.index[empty]), Rule.MISSING_VALUE, t("ingest.missing_value", lang)
                )
            )
    return problems


def wave(
    frame: pd.DataFrame, file: str, base: Dataset, excluded: pd.DataFrame, lang: str
) -> tuple[int | None, list[Problem]]:
    """The one wave of the upload: a whole number in range, the same in every row, not yet published."""
    values = frame[C.WAVE].where(~excluded[C.WAVE]).dropna()
    if values.empty:
        return None, []  # every wave is empty or refused: reported already
    whole = values.map(lambda v: bool(_WHOLE.fullmatch(str(v))))
    if not whole.all():
        bad = values[~whole]
        return None, [
            Problem(
                file,
                C.WAVE,
                rows_of(bad.index),
                Rule.WAVE,
                t("ingest.wave.not_integer", lang, values=listing(bad, lang)),
            )
        ]
    numbers = values.map(lambda v: int(float(str(v))))
    distinct = sorted(set(numbers))
    if len(distinct) > 1:
        counts = numbers.value_counts()
        main = int(counts.index[0])
        others = numbers[numbers != main]
        return None, [
            Problem(
                file,
                C.WAVE,
                rows_of(others.index),
                Rule.WAVE,
                t("ingest.wave.several", lang, values=", ".join(map(str, distinct)), main=main),
            )
        ]
    number = distinct[0]
    if not S.MIN_WAVE <= number <= S.MAX_WAVE:
        return None, [
            Problem(
                file,
                C.WAVE,
                rows_of(values.index),
                Rule.WAVE,
                t("ingest.wave.range", lang, wave=number, low=S.MIN_WAVE, high=S.MAX_WAVE),
            )
        ]
    if number in base.waves:
        return number, [Problem(file, C.WAVE, (), Rule.WAVE_EXISTS, t("ingest.wave_exists", lang, wave=number))]
    return number, []


def _flagged(file: str, column: str, values: pd.Series, mask: pd.Series, rule: str, lang: str) -> list[Problem]:
    """One problem of ``rule`` (its message ``ingest.<rule>``) naming the rows of ``values`` where ``mask`` holds
    and listing their values; none if it never does."""
    if not mask.any():
        return []
    message = t(f"ingest.{rule}", lang, values=listing(values[mask], lang))
    return [Problem(file, column, rows_of(values.index[mask]), rule, message)]


def respondent_ids(frame: pd.DataFrame, file: str, base: Dataset, excluded: pd.DataFrame, lang: str) -> list[Problem]:
    """Respondent ids unique within the upload and not used by any published respondent."""
    ids = frame[C.RESPONDENT_ID].where(~excluded[C.RESPONDENT_ID]).dropna()
    published = ids.isin(set(base[T.RESPONDENTS][C.RESPONDENT_ID].dropna()))
    return [
        *_flagged(file, C.RESPONDENT_ID, ids, ids.duplicated(keep=False), Rule.DUPLICATE_ID, lang),
        *_flagged(file, C.RESPONDENT_ID, ids, published, Rule.ID_EXISTS, lang),
    ]


def org_ids(frame: pd.DataFrame, file: str, base: Dataset, excluded: pd.DataFrame, lang: str) -> list[Problem]:
    """Organisation ids, where given, that the published organisations table knows."""
    if C.ORG_ID not in frame.columns:
        return []
    orgs = frame[C.ORG_ID].where(~excluded[C.ORG_ID]).dropna()
    known = set(base.tables[T.ORGANISATIONS][C.ORG_ID].dropna()) if T.ORGANISATIONS in base.tables else set()
    return _flagged(file, C.ORG_ID, orgs, ~orgs.isin(known), Rule.UNKNOWN_ORG, lang)


def encounters(
    enc: pd.DataFrame,
    file: str,
    respondents: pd.DataFrame | None,
    excluded: pd.DataFrame,
    lang: str,
    check_contact: bool = True,
) -> list[Problem]:
    """Encounters that name a respondent of this upload who reported contact, each combination once.

    ``check_contact`` is False when the respondents' contact answers could not all be mapped (already reported).
    """
    problems: list[Problem] = []
    ids = enc[C.RESPONDENT_ID].where(~excluded[C.RESPONDENT_ID]).dropna()
    if respondents is not None:
        known = respondents[C.RESPONDENT_ID].dropna()
        unknown = ~ids.isin(set(known))
        problems += _flagged(file, C.RESPONDENT_ID, ids, unknown, Rule.UNKNOWN_RESPONDENT, lang)
        contact = respondents.loc[respondents[C.CONTACT] == YES, C.RESPONDENT_ID]
        without = ids.isin(set(known)) & ~ids.isin(set(contact.dropna()))
        if check_contact:
            problems += _flagged(file, C.RESPONDENT_ID, ids, without, Rule.ENCOUNTER_WITHOUT_CONTACT, lang)
    key = list(S.TABLE_BY_NAME[T.ENCOUNTERS].key)
    complete = enc[key].notna().all(axis=1)
    dup = enc[key][complete].duplicated(keep=False)
    if dup.any():
        problems.append(
            Problem(file, "/".join(key), rows_of(dup.index[dup]), Rule.DUPLICATE_KEY, t("ingest.duplicate_key", lang))
        )
    return problems
