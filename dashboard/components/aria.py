"""The ARIA attributes the pages set, as a typed mapping to spread into a Dash component (``**Aria({...})``).

Dash's components take ``aria-*`` attributes through ``**kwargs``; a plain ``dict[str, str]`` spread there reads,
to a type checker, as a string for every named parameter too (``n_clicks``, ``hidden``, ...). A ``TypedDict``
names its keys, so only the ``aria-*`` ones reach ``**kwargs`` and a misspelt attribute is an error.
"""

from __future__ import annotations

from typing import TypedDict

Aria = TypedDict(
    "Aria",
    {
        "aria-atomic": str,
        "aria-controls": str,
        "aria-describedby": str,
        "aria-disabled": str,
        "aria-expanded": str,
        "aria-label": str,
        "aria-labelledby": str,
        "aria-live": str,
        "aria-pressed": str,
        "aria-roledescription": str,
    },
    total=False,
)
