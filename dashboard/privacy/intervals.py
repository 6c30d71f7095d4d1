"""Wilson score intervals and Statistics Canada quality flags for proportions ``k of n`` (SPEC §4)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

Z_95 = 1.959963984540054
"""Standard normal quantile for a two-sided 95% interval."""

FLAG_NONE = ""
FLAG_SUPPRESSED = "x"
FLAG_CAUTION = "E"
FLAG_UNRELIABLE = "F"
"""Statistics Canada quality flags: ``x`` suppressed, ``E`` use with caution, ``F`` too unreliable."""

FLAG_LEGEND: dict[str, str] = {
    FLAG_SUPPRESSED: "suppressed to meet the confidentiality requirements",
    FLAG_CAUTION: "use with caution",
    FLAG_UNRELIABLE: "too unreliable to be published",
}
"""English legend of the flags (the message catalogue holds the translated text)."""

CV_CAUTION_PCT = 16.5
"""Largest coefficient of variation (percent, one decimal) that needs no flag."""
CV_UNRELIABLE_PCT = 33.3
"""Largest coefficient of variation (percent, one decimal) flagged ``E`` rather than ``F``."""
MIN_BASE_FOR_ZERO = 30
"""A zero (or undefined) estimate over fewer respondents than this is flagged ``F``."""


def _counts(k: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Broadcast ``k`` and ``n`` to float arrays and check ``0 <= k <= n``."""
    kk, nn = np.broadcast_arrays(np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64))
    if np.any(kk < 0) or np.any(kk > nn):
        raise ValueError("counts must satisfy 0 <= k <= n")
    return kk, nn


def wilson(k: ArrayLike, n: ArrayLike, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Return the Wilson score interval ``(low, high)`` for the proportion ``k / n``, elementwise.

    ``low, high = (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` with ``p = k / n``. Where ``n == 0``
    both bounds are NaN. Scalars in give 0-d arrays out.
    """
    kk, nn = _counts(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = kk / nn
        z2n = z * z / nn
        centre = (p + z2n / 2) / (1 + z2n)
        half = z * np.sqrt(p * (1 - p) / nn + z2n / (4 * nn)) / (1 + z2n)
        # The bounds are exactly 0 at k == 0 and exactly 1 at k == n; set them so rounding error cannot show.
        low = np.where(kk == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(kk == nn, 1.0, np.clip(centre + half, 0.0, 1.0))
        low = np.where(nn > 0, low, np.nan)
        high = np.where(nn > 0, high, np.nan)
    return low, high


def coefficient_of_variation(k: ArrayLike, n: ArrayLike) -> np.ndarray:
    """Return the CV ``sqrt(p(1-p)/n) / p`` of ``p = k / n`` as a fraction, NaN where ``k == 0`` or ``n == 0``."""
    kk, nn = _counts(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(kk > 0, np.sqrt((nn - kk) / (nn * kk)), np.nan)


def quality_flag(k: ArrayLike, n: ArrayLike) -> np.ndarray:
    """Return Statistics Canada's quality flag of the proportion ``p = k / n``, elementwise.

    The coefficient of variation ``CV = sqrt(p(1-p)/n) / p``, in percent rounded to one decimal, gives:

    - CV ≤ 16.5%: ``""`` (no flag);
    - 16.6% ≤ CV ≤ 33.3%: ``"E"``, use with caution;
    - CV > 33.3%: ``"F"``, too unreliable to be published.

    Where the CV is undefined (``k == 0`` or ``n == 0``) the flag is ``"F"`` when ``n < 30`` and ``""``
    otherwise. Returns an array of 1-character strings (``<U1``); suppression (``"x"``) is decided elsewhere.
    """
    kk, nn = _counts(k, n)
    cv_pct = np.round(coefficient_of_variation(kk, nn) * 100, 1)
    undefined = np.isnan(cv_pct)
    flags = np.full(kk.shape, FLAG_NONE, dtype="<U1")
    flags[~undefined & (cv_pct > CV_CAUTION_PCT)] = FLAG_CAUTION
    flags[~undefined & (cv_pct > CV_UNRELIABLE_PCT)] = FLAG_UNRELIABLE
    flags[undefined & (nn < MIN_BASE_FOR_ZERO)] = FLAG_UNRELIABLE
    return flags
