"""Headline figures and top categories of the latest wave, read from the published tables only.

A headline is a published count (respondents) or a published share (k of n, percent, 95% Wilson interval and
quality flag) for the latest wave, with the same figure for the previous wave so that the change can be told.
Nothing is computed from microdata: the change is the difference of two published figures, and it is
``None`` (hidden) when either of them is not published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import Figures, headline, lookup
from dashboard.published.table import Release
from dashboard.views.state import ViewState

RESPONDENTS: Final = "respondents"
CONTACT: Final = "contact"
TRAINED: Final = "trained"
# headline key -> the item whose "yes" share it is (None: the respondent count)
HEADLINE_ITEMS: Final = ((RESPONDENTS, None), (CONTACT, D.CONTACT), (TRAINED, D.TRAINED))
YES: Final = "yes"
TOP_N: Final = 5

# Release metadata set when a published release is loaded (``Release.load``: its version folder and time stamp).
_RELEASE_VERSION_KEYS: Final = ("release_version",)
_RELEASE_DATE_KEYS: Final = ("published_at",)


def _flag(value: Any) -> str:  # a table cell: a string, or None, NA or NaN
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return "" if text in ("None", "<NA>", "nan") else text


@dataclass(frozen=True)
class Share:
    """One published figure of a wave: a count, or k of n with its share, 95% interval and quality flag."""

    wave: int
    count: int | None
    n: int | None = None
    pct: float | None = None
    ci_lo: float | None = None
    ci_hi: float | None = None
    flag: str = ""

    @classmethod
    def of(cls, wave: int, h: Figures | None) -> Share:
        if h is None:
            return cls(wave, None, flag=TB.SUPPRESSED)
        return cls(wave, h["count"], h["n"], h["pct"], h["ci_lo"], h["ci_hi"], _flag(h["flag"]))

    @property
    def share_published(self) -> bool:
        """k, n, the share and its interval are all published."""
        return None not in (self.count, self.n, self.pct, self.ci_lo, self.ci_hi)


@dataclass(frozen=True)
class Headline:
    """A headline figure for the latest wave and the previous one."""

    key: str  # RESPONDENTS, CONTACT or TRAINED
    item: str | None  # the item whose "yes" share this is; None for the respondent count
    latest: Share
    previous: Share | None  # None when the release has a single wave

    @property
    def is_share(self) -> bool:
        return self.item is not None

    @property
    def hidden(self) -> bool:
        """The latest figure is not published."""
        return not self.latest.share_published if self.is_share else self.latest.count is None

    @property
    def change(self) -> float | int | None:
        """Change since the previous wave: percentage points for a share, respondents for the count."""
        if self.previous is None or self.hidden:
            return None
        if self.is_share:
            latest_pct, previous_pct = self.latest.pct, self.previous.pct
            if not self.previous.share_published or latest_pct is None or previous_pct is None:
                return None
            return round(float(latest_pct) - float(previous_pct), 1)
        if self.previous.count is None or self.latest.count is None:
            return None
        return int(self.latest.count) - int(self.previous.count)

    @property
    def change_hidden(self) -> bool:
        """There is a previous wave, but the change cannot be told from published figures."""
        return self.previous is not None and self.change is None


def _share(release: Release, wave: int, item: str | None) -> Share:
    if item is None:
        return Share.of(wave, headline(lookup(release, ViewState(wave), ())))
    if not release.has(item):
        return Share.of(wave, None)
    return Share.of(wave, headline(lookup(release, ViewState(wave), (item,), drop=(item,)), item, YES))


def headlines(release: Release) -> list[Headline]:
    """Respondents, share with contact and share trained: the latest wave and the change since the previous."""
    waves = sorted(release.waves)
    latest = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    return [
        Headline(
            key,
            item,
            _share(release, latest, item),
            None if previous is None else _share(release, previous, item),
        )
        for key, item in HEADLINE_ITEMS
    ]


@dataclass(frozen=True)
class Category:
    """A published category of a multi-response item: respondents who named it, of those who named any."""

    code: str
    count: int | None
    n: int | None
    pct: float | None
    ci_lo: float | None
    ci_hi: float | None
    flag: str  # the share's quality flag ("", "E", "F", "x")


@dataclass(frozen=True)
class Top:
    """The categories named most often in a wave, and those whose count is hidden."""

    dim: str
    wave: int
    shown: tuple[Category, ...]  # largest published counts first, at most ``TOP_N``
    hidden: tuple[str, ...]  # codes of categories whose count is not published
    base: int | None  # respondents who named at least one category (published ``_any`` row)
    frame: pd.DataFrame = field(compare=False, repr=False)  # every published row of the wave


def _opt_int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _opt_float(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def top_categories(release: Release, dim: str, wave: int | None = None, n: int = TOP_N) -> Top:
    """The ``n`` categories of ``dim`` with the most respondents in ``wave`` (default: the latest)."""
    wave = max(release.waves) if wave is None else wave
    view = lookup(release, ViewState(wave), (dim,), drop=(dim,))
    frame = view.frame
    if frame is None:
        frame = pd.DataFrame(columns=[D.WAVE, dim, *TB.MEASURES])
    categories = frame[frame[dim] != D.ANY]
    any_row = frame[frame[dim] == D.ANY]
    base = _opt_int(any_row[TB.COUNT].iloc[0]) if not any_row.empty else None
    published = categories[categories[TB.COUNT].notna()]
    published = published[published[TB.COUNT].astype(float) > 0]
    ranked = published.assign(_c=published[TB.COUNT].astype(float)).sort_values("_c", ascending=False, kind="stable")
    shown = tuple(
        Category(
            str(r[dim]),
            _opt_int(r[TB.COUNT]),
            _opt_int(r[TB.N]),
            _opt_float(r[TB.PCT]),
            _opt_float(r[TB.CI_LO]),
            _opt_float(r[TB.CI_HI]),
            _flag(r[TB.PCT_FLAG]),
        )
        for _, r in ranked.head(n).iterrows()
    )
    hidden = tuple(str(c) for c in categories.loc[categories[TB.COUNT].isna(), dim])
    return Top(dim, wave, shown, hidden, base, frame.reset_index(drop=True))


def vintage(release: Release) -> dict[str, Any]:
    """What the figures are and where they come from: waves, dataset and release versions, source, citation."""
    dataset = release.meta.get("dataset", {})
    waves = sorted(release.waves)
    release_version = next((release.meta[k] for k in _RELEASE_VERSION_KEYS if release.meta.get(k)), None)
    released = next((release.meta[k] for k in _RELEASE_DATE_KEYS if release.meta.get(k)), None)
    return {
        "first_wave": waves[0],
        "latest_wave": waves[-1],
        "waves": waves,
        "tier": release.tier,
        "rounded": bool(release.meta.get("rounded")),
        "dataset": dataset.get("name", ""),
        "dataset_version": dataset.get("version", ""),
        "release_version": None if release_version is None else str(release_version),
        "released": None if released is None else str(released)[:10],
        "source": dataset.get("source", ""),
        "citation": dataset.get("citation", ""),
        "licence": dataset.get("licence", ""),
        "synthetic": release.synthetic,
    }
