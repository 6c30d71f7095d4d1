"""Tests of Wilson intervals and Statistics Canada quality flags."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.privacy.intervals import (
    FLAG_CAUTION,
    FLAG_NONE,
    FLAG_UNRELIABLE,
    Z_95,
    coefficient_of_variation,
    quality_flag,
    wilson,
)


def _wilson_by_roots(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson bounds as the roots of (p - pi)^2 = z^2 pi (1 - pi) / n, solved as a quadratic in pi."""
    p = k / n
    a = 1 + z * z / n
    b = -(2 * p + z * z / n)
    c = p * p
    disc = math.sqrt(b * b - 4 * a * c)
    return (-b - disc) / (2 * a), (-b + disc) / (2 * a)


def test_wilson_12_of_27() -> None:
    # By hand: centre (0.44444 + 0.07114) / 1.14228 = 0.45136, half-width 1.95996 * 0.10229 / 1.14228 = 0.17551.
    low, high = wilson(12, 27)
    assert float(low) == pytest.approx(0.2759, abs=1e-4)
    assert float(high) == pytest.approx(0.6269, abs=1e-4)


def test_wilson_matches_quadratic_roots_vectorised() -> None:
    ks = np.array([0, 1, 12, 20, 26, 27, 5])
    ns = np.array([27, 27, 27, 45, 27, 27, 10])
    low, high = wilson(ks, ns)
    for k, n, lo, hi in zip(ks, ns, low, high, strict=True):
        exp_lo, exp_hi = _wilson_by_roots(int(k), int(n))
        assert lo == pytest.approx(max(exp_lo, 0.0), abs=1e-12)
        assert hi == pytest.approx(min(exp_hi, 1.0), abs=1e-12)
        assert 0 <= lo <= k / n <= hi <= 1


def test_wilson_edge_cases() -> None:
    low, high = wilson(np.array([0, 3, 0]), np.array([10, 3, 0]))
    assert low[0] == 0.0
    assert high[0] == pytest.approx(0.2775, abs=5e-4)
    assert high[1] == 1.0
    assert low[1] == pytest.approx(0.4385, abs=5e-4)
    assert np.isnan(low[2])
    assert np.isnan(high[2])
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson(5, 4)
    narrower_lo, narrower_hi = wilson(12, 27, z=1.0)
    wide_lo, wide_hi = wilson(12, 27)
    assert wide_lo < narrower_lo < narrower_hi < wide_hi


def test_quality_flag_known_values() -> None:
    # 12 of 27: CV = sqrt(15 / 324) = 21.5%  -> E;  50 of 100: 10%  -> none;  2 of 27: 68%  -> F.
    k = np.array([12, 50, 2, 0, 0, 0, 27])
    n = np.array([27, 100, 27, 29, 30, 0, 27])
    assert quality_flag(k, n).tolist() == ["E", "", "F", "F", "", "F", ""]
    assert coefficient_of_variation(12, 27) == pytest.approx(math.sqrt(15 / 324))


def test_quality_flag_boundaries_at_one_decimal() -> None:
    pairs = [(k, n) for n in range(1, 400) for k in range(1, n + 1)]
    cv = {(k, n): round(100 * math.sqrt((n - k) / (n * k)), 1) for k, n in pairs}
    wanted = {16.5: FLAG_NONE, 16.6: FLAG_CAUTION, 33.3: FLAG_CAUTION, 33.4: FLAG_UNRELIABLE}
    for target, flag in wanted.items():
        k, n = next(kn for kn in pairs if cv[kn] == target)
        assert quality_flag(k, n).item() == flag, (k, n, target)
