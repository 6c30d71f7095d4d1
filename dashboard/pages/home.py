"""The summary page (``/``), made for funders: headline figures, sentences, small charts, map, source.

Every number comes from the tier's published release through ``dashboard.summary`` and the explore page's
lookups and figure builders; the charts are ``dashboard.pages.sections.home``. Printing the page (the button, or
the browser's own print) gives a one- or two-page summary (``assets/print.css``).
"""

from __future__ import annotations

from typing import Any

from dash import ALL as ALL_IDS
from dash import ClientsideFunction, Input, Output, callback, clientside_callback, ctx, dcc, html

from dashboard import context, ids, language
from dashboard import formatting as FMT
from dashboard.accounts.store import PUBLIC
from dashboard.auth.guard import allow
from dashboard.components import download as DL
from dashboard.components.aria import Aria
from dashboard.components.toggles import clicked
from dashboard.i18n import localised, t
from dashboard.pages import register_page
from dashboard.pages.sections.home import charts, export_of
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.table import Release
from dashboard.summary import kpis as H
from dashboard.summary import sentences as S

register_page(__name__, "/", "nav.summary", "app.title", 0, "app.tagline")

# --- headline figures -------------------------------------------------------------------------------------


def _kpi_value(h: H.Headline, lang: str) -> str:
    if h.hidden:
        return TB.SUPPRESSED
    if not h.is_share:
        return FMT.count(h.latest.count, lang)
    return f"{t('number.percent', lang, pct=FMT.share(h.latest.pct, lang))} {h.latest.flag}".strip()


def _kpi_change(h: H.Headline, lang: str) -> str:
    if h.previous is None:
        return ""
    change = h.change
    if change is None:  # ``h.change_hidden``: there is a previous wave, but no change told from published figures
        return t("summary.kpi.change_hidden", lang, prev_wave=h.previous.wave)
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    if h.is_share:
        n = FMT.points(change, lang)
        return t("summary.kpi.change_pp", lang, sign=sign, n=n, count=n, prev_wave=h.previous.wave)
    return t("summary.kpi.change_count", lang, sign=sign, n=FMT.count(abs(change), lang), prev_wave=h.previous.wave)


def _kpi(h: H.Headline, rounded: bool, lang: str) -> html.Div:
    details = [t("summary.kpi.wave", lang, wave=h.latest.wave)]
    if h.hidden:
        details.append(t("summary.kpi.hidden", lang))
    elif h.is_share:
        values = S.share_values(h.latest, rounded, lang)
        values.update(lo=FMT.share(h.latest.ci_lo, lang), hi=FMT.share(h.latest.ci_hi, lang))
        details.append(t("summary.kpi.share_detail", lang, **values))
    elif rounded:
        details.append(t("summary.kpi.rounded", lang))
    details.append(_kpi_change(h, lang))
    return html.Div(
        [
            html.P(t(f"summary.kpi.{h.key}", lang), className="kpi-label"),
            html.P(_kpi_value(h, lang), className="kpi-value"),
            *[html.P(d, className="kpi-detail") for d in details if d],
        ],
        className="kpi",
        id=ids.summary_kpi_id(h.key),
    )


def _kpis(release: Release, lang: str) -> html.Section:
    items = H.headlines(release)
    rounded = bool(release.meta.get("rounded"))
    label = t("summary.kpi.label", lang, wave=max(release.waves))
    return html.Section(
        [_kpi(h, rounded, lang) for h in items],
        id=ids.SUMMARY_KPIS,
        className="kpi-strip",
        **Aria({"aria-label": label}),
    )


# --- sentences ----------------------------------------------------------------------------------------------


def _findings(release: Release, lang: str) -> html.Section:
    sentences = S.headline_sentences(release, lang)
    sentences += [S.top_sentence(H.top_categories(release, d), release, lang) for d in (D.LABOUR_SITE, D.VICTIMISATION)]
    items = [html.Li(s.text, className="sentence-hidden" if s.hidden else "sentence") for s in sentences]
    return html.Section(
        [html.H2(t("summary.findings.title", lang), id=f"{ids.SUMMARY_FINDINGS}-title"), html.Ul(items)],
        id=ids.SUMMARY_FINDINGS,
        className="card summary-findings",
        **Aria({"aria-labelledby": f"{ids.SUMMARY_FINDINGS}-title"}),
    )


def _cities(release: Release, lang: str) -> html.Section:
    by_wave = S.city_sentences(release, lang)
    body: list = [html.H2(t("summary.cities.title", lang), id=f"{ids.SUMMARY_CITIES}-title")]
    if not by_wave:
        tier = t(f"tier.{release.tier}", lang)
        body.append(html.P(t("summary.cities.not_published", lang, tier=tier), className="note"))
    else:
        body.append(html.P(t("summary.cities.intro", lang), className="chart-caption"))
        latest = max(release.waves)
        for wave, sentences in by_wave.items():
            key = "summary.cities.latest" if wave == latest else "summary.cities.earliest"
            body.append(html.H3(t(key, lang, wave=wave)))
            items = [html.Li(s.text) for s in sentences] or [html.Li(t("summary.cities.none", lang))]
            body.append(html.Ul(items, className="city-sentences"))
        body.append(html.P(t("legend.flags", lang), className="chart-legend"))
    return html.Section(
        body,
        id=ids.SUMMARY_CITIES,
        className="card summary-cities",
        **Aria({"aria-labelledby": f"{ids.SUMMARY_CITIES}-title"}),
    )


# --- vintage, source and citation -----------------------------------------------------------------------------


def _vintage(release: Release, lang: str) -> html.Section:
    v = H.vintage(release)
    lines = [
        t("summary.vintage.waves", lang, first=v["first_wave"], latest=v["latest_wave"], count=len(v["waves"])),
        t(
            "summary.vintage.release",
            lang,
            tier=t(f"tier.{v['tier']}", lang),
            name=v["dataset"],
            version=v["dataset_version"],
        ),
    ]
    if v["release_version"]:
        lines.append(t("summary.vintage.release_version", lang, version=v["release_version"]))
    if v["released"]:
        lines.append(t("summary.vintage.released", lang, date=FMT.day_or_text(v["released"], lang)))
    if v["rounded"]:
        lines.append(t("note.rounded", lang))
    lines += [t("summary.vintage.respondents", lang), t("legend.flags", lang)]
    return html.Section(
        [
            html.H2(t("summary.vintage.title", lang), id=f"{ids.SUMMARY_VINTAGE}-title"),
            html.P(" ".join(lines)),
            html.P(t("footer.source", lang, source=localised(v["source"], lang)), className="summary-source"),
            html.P(t("footer.cite", lang, citation=localised(v["citation"], lang)), className="summary-citation"),
            html.P(t("footer.licence", lang, licence=localised(v["licence"], lang))),
        ],
        id=ids.SUMMARY_VINTAGE,
        className="card summary-vintage",
        **Aria({"aria-labelledby": f"{ids.SUMMARY_VINTAGE}-title"}),
    )


def layout(lang: str = "", **_ignored: str) -> html.Div:
    lang = language.of_page(lang)
    release = context.current().release
    return html.Div(
        [
            html.H1(t("summary.heading", lang)),
            html.P(t("summary.intro", lang), className="lead"),
            html.Div(
                [
                    html.Button(
                        t("summary.print", lang), id=ids.SUMMARY_PRINT, className="button-secondary", type="button"
                    ),
                    html.Span(t("summary.print_hint", lang), className="note"),
                ],
                className="summary-actions",
            ),
            _kpis(release, lang),
            _findings(release, lang),
            charts(release, lang),
            _vintage(release, lang),
            _cities(release, lang),
            dcc.Download(id=ids.SUMMARY_DOWNLOAD),
        ],
        className="summary-page",
        lang=lang,
    )


# The print button prints; assets/summary-print.js fits the charts to the print layout while printing.
clientside_callback(
    ClientsideFunction(namespace="summary", function_name="print"),
    Output(ids.SUMMARY_PRINT, "title"),
    Input(ids.SUMMARY_PRINT, "n_clicks"),
)


@callback(
    Output(ids.SUMMARY_DOWNLOAD, "data"),
    Input({"type": ids.SUMMARY_DOWNLOAD_BUTTON, "chart": ALL_IDS, "fmt": ALL_IDS}, "n_clicks"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def download(_clicks: list[Any]) -> Any:
    """A summary card's published table, as its table view shows it, in a format the tier exports."""
    button = clicked(ctx.triggered_id, ctx.triggered)
    export = export_of(context.current().release, button, language.current()) if button is not None else None
    return DL.reply(export)
