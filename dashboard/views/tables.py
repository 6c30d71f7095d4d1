"""Published tables as a table view shows them (pure pandas: no Dash)."""

from __future__ import annotations

import pandas as pd

from dashboard.published import table as TB


def display_table(frame: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """A published table as shown in a table view: dimensions, then measures, ``x`` for hidden values."""
    keys = [c for c in frame.columns if c not in TB.MEASURES]
    out = frame[keys + measures].copy()
    for col in measures:
        out[col] = out[col].astype(object).where(out[col].notna(), TB.SUPPRESSED)
    return out
