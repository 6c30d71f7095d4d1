"""The page shell: skip link, header with navigation, synthetic-data notice, main region, footer."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import dash
import flask
from dash import dcc, html

from dashboard import ids, language
from dashboard.accounts.store import PUBLIC, ROLE_TIER, STEWARD
from dashboard.components.aria import Aria
from dashboard.i18n import localised, t
from dashboard.published.table import Release


def navigation(lang: str) -> html.Nav:
    """The pages, each link in the reader's language and keeping it (``?lang=``)."""
    links = [
        html.Li(
            dcc.Link(t(page["name"], lang), href=language.with_lang(page["relative_path"], lang), className="nav-link")
        )
        for page in dash.page_registry.values()
        if page.get("nav", True)
    ]
    return html.Nav(html.Ul(links, className="nav-list"), id=ids.NAV, **Aria({"aria-label": t("nav.label", lang)}))


def language_switch(lang: str) -> html.A:
    """The link to this page in the other official language (``language.switch``, as on the plain pages). It keeps
    the view: ``assets/lang-switch.js`` sets its address from the address bar whenever it is followed or copied;
    opening it sets the reader's language cookie."""
    found = language.switch(lang, _request_path())
    return html.A(
        found["text"],
        href=found["href"],
        id=ids.LANG_SWITCH,
        lang=found["lang"],
        hrefLang=found["lang"],
        className="lang-switch",
        title=found["title"],
    )


def _request_path() -> str:
    """The page the reader is on. The shell is built for ``/_dash-layout``, which the page asks for itself: its
    page is then the referrer (same site only, ``Referrer-Policy: same-origin``), else the home page."""
    if not flask.has_request_context():
        return "/"
    request = flask.request
    if not request.path.startswith("/_dash"):
        return request.full_path.rstrip("?") or "/"
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return "/"
    return urlunsplit(("", "", referrer.path, referrer.query, ""))


def account_area(lang: str, tier: str, role: str, name: str | None) -> html.Div:
    """The release tier shown; log in, or who is logged in with their role, log out, the steward page."""
    items: list = [html.Span(t("notice.tier", lang, tier=t(f"tier.{tier}", lang)), id=ids.TIER_NOTICE)]
    if name is None:
        items.append(html.A(t("auth.header.login", lang), href=language.with_lang("/login", lang), id=ids.LOGIN_LINK))
    else:
        items.append(html.Span(t("auth.header.who", lang, name=name, role=t(f"auth.role.{role}", lang)), id=ids.WHO))
        if role == STEWARD and tier == ROLE_TIER[STEWARD]:  # a process capped below it has no steward page
            items.append(html.A(t("steward.nav", lang), href=language.with_lang("/steward", lang), id=ids.STEWARD_LINK))
        items.append(
            html.A(t("auth.header.logout", lang), href=language.with_lang("/logout", lang), id=ids.LOGOUT_LINK)
        )
    return html.Div(
        items,
        className="account-area",
        id=ids.ACCOUNT,
        role="group",
        **Aria({"aria-label": t("auth.account.label", lang)}),
    )


def synthetic_notice(release: Release, lang: str) -> html.Div | None:
    if not release.synthetic:
        return None
    return html.Div(
        t("notice.synthetic", lang), id=ids.SYNTHETIC_NOTICE, className="notice notice-synthetic", role="note"
    )


def footer(release: Release, lang: str) -> html.Footer:
    m = release.meta["dataset"]
    waves = f"{min(release.waves)}–{max(release.waves)}"
    return html.Footer(
        [
            html.P(t("footer.source", lang, source=localised(m["source"], lang))),
            html.P(t("footer.cite", lang, citation=localised(m["citation"], lang))),
            html.P(
                [
                    t("footer.licence", lang, licence=localised(m["licence"], lang)),
                    " · ",
                    t("footer.version", lang, name=m["name"], version=m["version"], waves=waves),
                ]
            ),
        ],
        id=ids.FOOTER,
        className="site-footer",
    )


def shell(release: Release, lang: str, role: str = PUBLIC, name: str | None = None) -> html.Div:
    return html.Div(
        [
            html.A(t("app.skip", lang), href=f"#{ids.MAIN}", id=ids.SKIP_LINK, className="skip-link"),
            html.Header(
                [
                    html.Div(
                        [
                            html.P(t("app.title", lang), className="site-title"),
                            html.P(t("app.tagline", lang), className="site-tagline"),
                        ]
                    ),
                    navigation(lang),
                    language_switch(lang),
                    account_area(lang, release.tier, role, name),
                ],
                className="site-header",
            ),
            synthetic_notice(release, lang),
            html.Main(dash.page_container, id=ids.MAIN, tabIndex="-1"),
            footer(release, lang),
        ],
        className="site",
    )
