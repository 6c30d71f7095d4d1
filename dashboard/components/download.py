"""Downloads of the published table on screen: the buttons a tier is offered, and the one path that sends a file.

Which formats a tier gets comes from its policy (``policy_for(tier).exports``: the public tier none, funders CSV,
coalition members CSV and XLSX), the same on every page. ``send`` checks the format against that policy again (a
button can be forged), writes the file with the one writer (``dashboard.published.export``), names it with
``file_name`` and records one ``export`` entry in the audit log: table, format and rows, never values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard

import flask
import pandas as pd
from dash import dcc, html, no_update

from dashboard import audit_log as AL
from dashboard import context, language
from dashboard.auth.identity import viewer_name
from dashboard.i18n import t
from dashboard.published import export as EX
from dashboard.views.downloads import Export


def download_buttons(
    id_type: str, key: Mapping[str, str], tier: str, lang: str, *, images: bool = True
) -> html.Div | html.P | None:
    """One button per format the tier exports (id ``{"type": id_type, **key, "fmt": fmt}``).

    A tier that exports none gets the note that charts save as images (``images``: the panel draws a plotly chart
    with a camera button), or nothing.
    """
    formats = EX.formats_for(tier)
    if formats:
        buttons = [
            html.Button(
                t(f"download.{fmt}", lang),
                id={"type": id_type, **key, "fmt": fmt},
                className="button-secondary",
                type="button",
                n_clicks=0,
            )
            for fmt in formats
        ]
        return html.Div(buttons, className="downloads")
    return html.P(t("download.images_only", lang), className="chart-caption downloads") if images else None


def allowed(fmt: object, tier: str) -> TypeGuard[str]:
    return isinstance(fmt, str) and fmt in EX.formats_for(tier)


def send(frame: pd.DataFrame, table: str, fmt: object, parts: Iterable[object]) -> dict[str, Any] | None:
    """The file for ``dcc.Download`` (None when the viewer's tier does not export ``fmt``), with its audit record."""
    app = context.current()
    tier = app.release.tier
    if not allowed(fmt, tier):
        return None
    name = EX.file_name(table, parts, fmt)
    app.audit.record(
        AL.EXPORT, user=viewer_name(), address=flask.request.remote_addr, table=table, format=fmt, rows=len(frame)
    )
    if fmt == EX.CSV:
        return dcc.send_string(EX.to_csv(frame), name, type=EX.MEDIA_TYPES[EX.CSV])
    sheet = t("download.sheet", language.current())
    return dcc.send_bytes(EX.to_xlsx(frame, sheet), name, type=EX.MEDIA_TYPES[EX.XLSX])


def reply(export: Export | None) -> Any:
    """What a page's download callback returns: the file of ``export`` (``send``), or no update when there is none
    (a forged button, a format the tier does not export)."""
    sent = send(*export) if export is not None else None
    return sent if sent is not None else no_update
