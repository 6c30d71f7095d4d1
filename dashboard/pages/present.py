"""Presentation mode (``/present``, issue 5): full-screen slides of a deck, from the public release only.

Every slide of the deck is laid out at once and ``assets/present.js`` shows one at a time (keys, buttons, a URL per
slide with ``history.pushState``), so a talk keeps working with no network once the page is open. The URL
``/present?deck=kaye-2013&slide=3&lang=fr`` opens a slide; a value that is not valid falls back with a notice. A
deck that cannot be shown lists its problems on the page (never a 500).
"""

from __future__ import annotations

import logging
from typing import Final, TypedDict
from urllib.parse import urlencode

import dash
from dash import dcc, html

from dashboard import context, ids, language, paths
from dashboard.components.aria import Aria
from dashboard.components.chart import graph_config, markdown_table
from dashboard.components.quote import quote_figure
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from dashboard.pages import register_page
from dashboard.parsing import ascii_digits
from dashboard.paths import PROVINCES_ASSET
from dashboard.present import deck as DK
from dashboard.present import slides as SL
from dashboard.present.source import published
from dashboard.published.table import Release, ReleaseError
from dashboard.published.tiers import Tier

register_page(__name__, "/present", "nav.present", "present.title", 4, "present.description")

DEFAULT_DECK: Final = "kaye-2013"
LOG = logging.getLogger(__name__)
GRAPH_CONFIG: Final[dcc.Graph.Config] = {"displayModeBar": False, "displaylogo": False, "responsive": True}

DeckData = TypedDict(
    "DeckData",
    {"data-deck": str, "data-lang": str, "data-current": str, "data-total": str, "data-counter": str},
)
"""The deck's ``data-*`` attributes, read by ``assets/present.js`` (a typed mapping: see ``components.aria``)."""


def _graph_config(draw: str, lang: str) -> dcc.Graph.Config:
    return graph_config(draw == "map", GRAPH_CONFIG, lang)


FLAG_KEYS: Final = {"E": "present.flag.E", "F": "present.flag.F"}


def layout(deck: str = DEFAULT_DECK, slide: str = "1", lang: str = "", **_ignored: str) -> html.Div:
    language.adopt(lang)
    lang = str(lang) if lang else language.current()  # a language the deck lacks gets its notice in _layout
    try:
        return _layout(str(deck), str(slide), str(lang))
    except Exception:  # a deck must never take the page down: say so and log it
        LOG.exception("presentation of deck %r failed", str(deck)[:80])
        ui = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        return _errors([t("present.errors.no_release", ui)], ui, show_default=False)


def _layout(name: str, slide: str, lang: str) -> html.Div:
    notices: list[str] = []
    ui = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if DK.deck_path(paths.DECKS_DIR, name) is None:
        notices.append(t("present.notice.deck", ui, value=name[:60]))
        name = DEFAULT_DECK
    app = context.current()
    try:
        release = app.releases.get(Tier.PUBLIC)  # presenters show public numbers only, whoever is logged in
    except ReleaseError:
        LOG.exception("no public release for the presentation mode")
        return _errors([t("present.errors.no_release", ui)], ui, show_default=False)
    loaded = DK.load(paths.DECKS_DIR, name, published(release), ui)
    if not loaded.ok or loaded.deck is None:
        return _errors([p.text(ui) for p in loaded.problems], ui, show_default=name != DEFAULT_DECK)
    deck = loaded.deck
    if lang not in deck.languages:
        fallback = deck.languages[0]
        notices.append(t("present.notice.lang", ui, value=lang[:20], lang=t(f"present.language.{fallback}", ui)))
        lang = fallback
    total = len(deck.slides)
    plain = ascii_digits(slide, 4)  # not a superscript two, not 5,000 nines
    current = int(slide) if plain and 1 <= int(slide) <= total else 1
    if str(current) != slide:
        notices.append(t("present.notice.slide", lang, value=slide[:20]))
    return _deck(deck, release, lang, current, notices)


def _errors(messages: list[str], lang: str, show_default: bool) -> html.Div:
    children: list = [
        html.H1(t("present.errors.heading", lang)),
        html.P(t("present.errors.intro", lang)),
        html.Ul([html.Li(m) for m in messages]),
    ]
    if show_default:
        children.append(html.A(t("present.errors.default", lang), href=f"?{urlencode({'deck': DEFAULT_DECK})}"))
    return html.Div(children, id=ids.PRESENT_ERRORS, className="present-errors", role="alert")


def _query(deck: str, slide: int, lang: str) -> str:
    return "?" + urlencode({"deck": deck, "slide": slide, "lang": lang})


def _button(label: str, button_id: str, aria: Aria | None = None) -> html.Button:
    """One of the presentation's control buttons (``assets/present.js`` finds them by id)."""
    return html.Button(label, id=button_id, type="button", className="present-button", **(aria or Aria()))


def _deck(deck: DK.Deck, release: Release, lang: str, current: int, notices: list[str]) -> html.Div:
    total = len(deck.slides)
    sections = [_slide(s, deck, release, lang, current) for s in deck.slides]
    other_languages = [
        html.A(
            t(f"present.language.{code}", lang),
            href=_query(deck.name, current, code),
            lang=code,
            hrefLang=code,
            className="present-lang",
        )
        for code in deck.languages
        if code != lang
    ]
    controls = html.Nav(
        [
            _button(t("present.previous", lang), ids.PRESENT_PREV, Aria({"aria-disabled": str(current == 1).lower()})),
            _button(t("present.next", lang), ids.PRESENT_NEXT, Aria({"aria-disabled": str(current == total).lower()})),
            _button(t("present.notes_toggle", lang), ids.PRESENT_NOTES_TOGGLE, Aria({"aria-pressed": "false"})),
            _button(t("present.fullscreen", lang), ids.PRESENT_FULLSCREEN),
            *other_languages,
            html.P(t("present.keys", lang), className="present-keys"),
        ],
        className="present-controls",
        **Aria({"aria-label": t("present.controls", lang)}),
    )
    return html.Div(
        [
            html.Div(
                [
                    html.H1(DK.localised(deck.title, lang), className="present-deck-title"),
                    html.P(t("present.counter", lang, n=current, total=total), id=ids.PRESENT_COUNTER),
                    # the shell's notice is not in the full-screen view: the slides say it themselves
                    html.P(t("present.synthetic", lang), className="present-synthetic") if release.synthetic else None,
                ],
                className="present-bar",
            ),
            html.Div(
                [html.P(n) for n in notices],
                id=ids.PRESENT_NOTICE,
                className="present-notice",
                role="status",
                hidden=not notices,
            ),
            html.Div(sections, className="present-slides"),
            controls,
            html.Div(
                id=ids.PRESENT_LIVE, className="present-live", **Aria({"aria-live": "polite", "aria-atomic": "true"})
            ),
        ],
        id=ids.PRESENT_ROOT,
        className="present",
        lang=lang,
        **DeckData(
            {
                "data-deck": deck.name,
                "data-lang": lang,
                "data-current": str(current),
                "data-total": str(total),
                "data-counter": t("present.counter", lang, n="{n}", total="{total}"),
            }
        ),
    )


def _slide(slide: DK.Slide, deck: DK.Deck, release: Release, lang: str, current: int) -> html.Section:
    sid = ids.present_slide_id(slide.number)
    title = DK.localised(slide.title, lang)
    body: list = [html.H2(title, id=f"{sid}-title", className="present-title")]
    if slide.kind == "chart" and slide.chart is not None:
        body += _chart(slide.chart, release, lang, sid, title)
    elif slide.kind == "quote" and slide.quote_id is not None:
        body.append(_quote(release, slide.quote_id, lang))
    else:
        body += _text(slide, lang)
    if slide.notes:
        body.append(
            html.Aside(
                [html.H3(t("present.notes", lang)), dcc.Markdown(DK.localised(slide.notes, lang))],
                className="present-notes",
                **Aria({"aria-label": t("present.notes", lang)}),
            )
        )
    label = t("present.slide_label", lang, n=slide.number, total=len(deck.slides), title=title)
    return html.Section(
        body,
        id=sid,
        className=f"present-slide present-slide-{slide.kind}",
        hidden=slide.number != current,
        role="group",
        **Aria({"aria-roledescription": t("present.roledescription", lang), "aria-label": label}),
    )


def _chart(spec: DK.ChartSpec, release: Release, lang: str, sid: str, title: str) -> list:
    """A chart slide's body: the parts of ``components.chart.chart_panel`` in its order (text summary, the figure
    region it describes, caption, flags legend, table view), in a slide's large type rather than a card, and with
    no downloads: a deck shows public numbers to a room, and its tables are on /explore; a slide can also be one
    published figure (``stat``), which a card never is."""
    content = SL.chart_content(spec, release, lang, dash.get_asset_url(PROVINCES_ASSET))
    out: list = []
    if content.hidden is not None:
        out.append(html.P(content.hidden, id=f"{sid}-summary", className="present-hidden"))
    else:
        out.append(html.P(content.summary, id=f"{sid}-summary", className="present-summary"))
    if content.figure is not None:
        out.append(
            html.Div(
                dcc.Graph(
                    id=f"{sid}-graph",
                    figure=content.figure,
                    config=_graph_config(spec.draw, lang),
                    className="present-chart",
                ),
                role="figure",
                className="present-figure",
                **Aria(
                    {"aria-label": t("present.chart.label", lang, title=title), "aria-describedby": f"{sid}-summary"}
                ),
            )
        )
    elif content.stat is not None:
        stat = content.stat
        out.append(
            html.Div(
                [
                    html.P([stat.value, html.Sup(stat.flag) if stat.flag else None], className="present-stat-value"),
                    html.P(stat.detail, className="present-stat-detail"),
                    html.P(t(FLAG_KEYS[stat.flag], lang), className="present-caption") if stat.flag else None,
                ],
                className="present-stat",
            )
        )
    out.append(html.P(DK.localised(spec.caption, lang), className="present-caption"))
    if content.hidden is None:
        out.append(html.P(t("present.legend.flags", lang), className="present-legend"))
    if content.table is not None:
        out.append(
            html.Details(
                [
                    html.Summary(t("table.view", lang)),
                    dcc.Markdown(markdown_table(content.table, content.headers, lang), className="data-table-md"),
                ],
                className="table-view present-table",
            )
        )
    return out


def _quote(release: Release, quote_id: str, lang: str) -> html.P | html.Figure:
    found = SL.quote(release, quote_id)
    if found is None:
        return html.P(t("present.quote.hidden", lang), className="present-hidden")
    return quote_figure(found.text, found.attribution, lang, "present-quote")


def _text(slide: DK.Slide, lang: str) -> list:
    out: list = []
    if slide.body:
        out.append(dcc.Markdown(DK.localised(slide.body, lang), className="present-markdown"))
    if slide.bullets:
        items = "\n".join(f"- {DK.localised(b, lang)}" for b in slide.bullets)
        out.append(dcc.Markdown(items, className="present-markdown present-bullets"))
    return out
