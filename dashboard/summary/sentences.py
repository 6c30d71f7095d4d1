"""Plain-language sentences from published numbers only, in English and French (``summary.*`` messages).

Each sentence is built from a message with placeholders. A number the release does not publish is said to be
hidden; in rounded tiers (public, funder) counts read "about k of n" and a note says counts are rounded.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import formatting as FMT
from dashboard.i18n import t
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import headline, lookup
from dashboard.published.table import Release
from dashboard.summary.kpis import YES, Headline, Share, Top, headlines
from dashboard.views.charts import labels
from dashboard.views.state import ViewState


@dataclass(frozen=True)
class Sentence:
    """One sentence (or two, for a figure and its change) and what it is about."""

    key: str  # the main message key
    text: str
    hidden: bool = False  # the figure it is about is not published
    wave: int | None = None
    city: str | None = None


def k_of_n(share: Share, rounded: bool, lang: str) -> str:
    key = "summary.k_of_n_rounded" if rounded else "summary.k_of_n"
    return t(key, lang, k=FMT.count(share.count, lang), n=FMT.count(share.n, lang))


def share_values(share: Share, rounded: bool, lang: str) -> dict[str, str]:
    """Placeholders of a published share: k_of_n, pct, lo, hi, wave."""
    return {
        "k_of_n": k_of_n(share, rounded, lang),
        "pct": FMT.share(share.pct, lang),
        "lo": FMT.share(share.ci_lo, lang),
        "hi": FMT.share(share.ci_hi, lang),
        "wave": str(share.wave),
    }


def flag_note(flag: str, lang: str) -> str:
    """A sentence for an E or F quality flag (empty otherwise)."""
    return t(f"summary.flag.{flag}", lang) if flag in ("E", "F") else ""


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _change_text(h: Headline, lang: str) -> str:
    if h.previous is None:
        return ""
    prev_wave = h.previous.wave
    change = h.change
    if change is None:  # h.change_hidden: the change cannot be told from published figures
        return t("summary.change.hidden", lang, prev_wave=prev_wave)
    direction = "same" if change == 0 else ("up" if change > 0 else "down")
    if h.is_share:
        return t(
            f"summary.change.pp_{direction}",
            lang,
            n=FMT.points(change, lang),
            prev_wave=prev_wave,
            prev=FMT.share(h.previous.pct, lang),
        )
    return t(f"summary.change.count_{direction}", lang, n=FMT.count(abs(change), lang), prev_wave=prev_wave)


def headline_sentence(h: Headline, rounded: bool, lang: str) -> Sentence:
    """The sentence of one headline: its latest figure (or that it is hidden), then its change."""
    wave = h.latest.wave
    if h.hidden:
        key = f"summary.sentence.{h.key}_hidden"
        return Sentence(key, t(key, lang, wave=wave), hidden=True, wave=wave)
    key = f"summary.sentence.{h.key}"
    if h.is_share:
        main = t(key, lang, **share_values(h.latest, rounded, lang))
        text = _join(main, flag_note(h.latest.flag, lang), _change_text(h, lang))
    else:
        count_key = "summary.count_rounded" if rounded else "summary.count"
        count = t(count_key, lang, n=FMT.count(h.latest.count, lang))
        text = _join(t(key, lang, count=count, wave=wave), _change_text(h, lang))
    return Sentence(key, text, hidden=False, wave=wave)


def headline_sentences(release: Release, lang: str = "en") -> list[Sentence]:
    """One sentence per headline figure, then (rounded tiers) the note that counts are rounded."""
    rounded = bool(release.meta.get("rounded"))
    out = [headline_sentence(h, rounded, lang) for h in headlines(release)]
    if rounded:
        out.append(Sentence("summary.sentence.rounded", t("summary.sentence.rounded", lang)))
    return out


def _city_share(release: Release, wave: int, city: str) -> Share:
    view = lookup(release, ViewState(wave, ((D.CITY, city),)), (D.CONTACT,))
    return Share.of(wave, headline(view, D.CONTACT, YES))


def _cities_with_respondents(release: Release, wave: int) -> list[str]:
    """Cities of the city × contact table with respondents in ``wave`` (a hidden count may hide some)."""
    rows = lookup(release, ViewState(wave), (D.CITY, D.CONTACT)).frame
    if rows is None:
        return []
    nonzero = rows[rows[TB.COUNT].isna() | (rows[TB.COUNT].astype("Float64").fillna(1) > 0)]
    present = set(nonzero[D.CITY].astype(str))
    return [c for c in labels(D.CITY, "en") if c in present]


def city_sentence(release: Release, wave: int, city: str, lang: str) -> Sentence:
    """ "In Calgary in 2012, 12 of 27 respondents (44%, 95% CI 28–63%) had contact …", or that it is hidden."""
    share = _city_share(release, wave, city)
    name = labels(D.CITY, lang).get(city, city)
    if not share.share_published:
        key = "summary.city.hidden"
        return Sentence(key, t(key, lang, city=name, wave=wave), hidden=True, wave=wave, city=city)
    rounded = bool(release.meta.get("rounded"))
    key = "summary.city.share"
    text = _join(t(key, lang, city=name, **share_values(share, rounded, lang)), flag_note(share.flag, lang))
    return Sentence(key, text, hidden=False, wave=wave, city=city)


def city_waves(release: Release) -> list[int]:
    """The waves city sentences are given for: the latest, then the earliest (the founding study's)."""
    waves = sorted(release.waves)
    return [waves[-1]] if len(waves) == 1 else [waves[-1], waves[0]]


def city_sentences(release: Release, lang: str = "en") -> dict[int, list[Sentence]]:
    """Per wave (latest, earliest), one sentence per city with respondents in the city × contact table.

    Empty when the tier does not publish that table (the public tier crosses one dimension at a time).
    """
    if not release.has(D.CITY, D.CONTACT):
        return {}
    return {
        wave: [city_sentence(release, wave, city, lang) for city in _cities_with_respondents(release, wave)]
        for wave in city_waves(release)
    }


def _list(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return t("summary.list", lang, head=", ".join(items[:-1]), last=items[-1])


def top_sentence(top: Top, release: Release, lang: str = "en") -> Sentence:
    """The categories named most often in the wave, with their shares; how many are hidden."""
    names = labels(top.dim, lang)
    key = f"summary.top.{top.dim}"
    if not top.shown:
        text = t("summary.top.none", lang, wave=top.wave)
        return Sentence("summary.top.none", _join(text, _hidden_categories(top, lang)), hidden=True, wave=top.wave)
    items = [
        t("summary.top.item", lang, label=names.get(c.code, c.code), pct=FMT.share(c.pct, lang))
        if c.pct is not None
        else names.get(c.code, c.code)
        for c in top.shown
    ]
    rounded = bool(release.meta.get("rounded"))
    if top.base is not None:
        base_key = "summary.count_rounded" if rounded else "summary.count"
        base = t(base_key, lang, n=FMT.count(top.base, lang))
        text = t(key, lang, wave=top.wave, base=base, list=_list(items, lang))
    else:
        text = t(f"{key}_nobase", lang, wave=top.wave, list=_list(items, lang))
    return Sentence(key, _join(text, _hidden_categories(top, lang)), wave=top.wave)


def _hidden_categories(top: Top, lang: str) -> str:
    if not top.hidden:
        return ""
    if len(top.hidden) == 1:
        return t("summary.top.hidden_one", lang)
    return t("summary.top.hidden_many", lang, n=len(top.hidden))
