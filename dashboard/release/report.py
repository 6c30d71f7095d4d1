"""The steward report that goes with every release (human-readable and JSON; never served to other tiers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies
from dashboard.published import table as TB
from dashboard.release.linking import Linked
from dashboard.release.protect import Protection


def sample_uniques(dataset: Dataset) -> dict[str, Any]:
    """Respondents alone in their wave × city × sector × role group."""
    resp = dataset[T.RESPONDENTS]
    size = resp.groupby([C.WAVE, C.CITY, C.SECTOR, C.ROLE])[C.RESPONDENT_ID].transform("size")
    unique = size == 1
    by_wave = unique.groupby(resp[C.WAVE]).sum()
    return {
        "count": int(unique.sum()),
        "share": float(unique.mean()) if len(resp) else 0.0,
        "by_wave": {str(w): int(n) for w, n in by_wave.items()},
    }


def steward_report(
    dataset: Dataset,
    vocab: Vocabularies,
    releases: dict[str, TB.Release],
    protection: Protection,
    linked: Linked,
    value: np.ndarray,
) -> dict[str, Any]:
    del vocab
    tiers: dict[str, Any] = {}
    for tier, release in releases.items():
        ids = np.flatnonzero(protection.active[tier])
        hidden = protection.hidden[tier][ids]
        vals = value[ids]
        total = vals.sum()
        tiers[tier] = {
            "tables": len(release.tables),
            "cells": int(ids.size),
            "withheld_rows": sum(t["withheld_rows"] for t in release.meta["tables"]),
            "suppressed": int(hidden.sum()),
            "primary": int(protection.primary[tier][ids].sum()),
            "class_blocked": int(protection.class_blocked[tier][ids].sum()),
            "information_lost": float(vals[hidden].sum() / total) if total else 0.0,
            "audit": {
                "checked": protection.audits[tier].checked,
                "at_risk": len(protection.audits[tier].at_risk),
            },
        }
    return {
        "dataset": {k: dataset.manifest.get(k) for k in ("name", "version", "checksum", "synthetic")},
        "respondents": len(dataset[T.RESPONDENTS]),
        "sample_uniques": sample_uniques(dataset),
        "tiers": tiers,
    }
