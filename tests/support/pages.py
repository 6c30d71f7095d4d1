"""The page modules as the app loaded them.

Dash loads page modules outside ``sys.modules``' usual names; importing ``dashboard.pages.<page>`` again in a test
registers the page a second time, without its layout, and breaks every later test of that process that walks the
page registry (``test_la012``). A test that needs a page's helper takes it from here.
"""

from __future__ import annotations

import sys
from types import ModuleType


def loaded_page(path: str) -> ModuleType:
    """The module of the registered page at ``path`` ("/", "/explore"), as the app imported it."""
    import dash

    module = next(p["module"] for p in dash.page_registry.values() if p["path"] == path)
    return sys.modules[module]
