"""One module per URL. Each registers itself with :func:`register_page`: ``dash.register_page`` with its texts
translated (keep that name: Dash imports only the page files whose text says ``register_page``)."""

from __future__ import annotations

import dash

from dashboard import language


def register_page(module: str, path: str, nav: str, title: str, order: int, description: str | None = None) -> None:
    """Register the page ``module`` at ``path``: ``nav`` names it in the navigation (a message key, translated by
    the shell), ``title`` and ``description`` are message keys read in the visitor's language."""
    more = {} if description is None else {"description": language.translated(description)}
    dash.register_page(module, path=path, name=nav, title=language.translated(title), order=order, **more)
