"""Checks a published release must pass, using nothing but the published tables (survey tables and extras).

- no count in 1 … threshold−1 in an exact tier; in a rounded tier every count is 0 or a multiple of 5 of at least
  5, network and voices counts included (SPEC §4: nothing in a rounded tier is exact);
- no suppressed cell with a count, no share without its numerator, no share over a group below the minimum;
- in a rounded tier every share is the one its rounded counts give: a survey or contact share is
  ``100 · count / n`` of the published counts, a network cross-sector share and E-I index those of a multiple of 5
  cross-sector ties out of the published ties, a density that of the published ties and organisations;
- no organisation-level network table below the coalition tier.

The attacker's integer programme over the published tables is in ``dashboard.release.attack`` (survey tables)
and ``dashboard.release.extras_attack`` (network and voices tables).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.privacy.rounding import BASE
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.network_schema import NW, ROUNDED_COUNTS, K
from dashboard.published.policy import TierPolicy, policy_for
from dashboard.published.voices_schema import VO

SHARE_TOLERANCE = 0.05 + 1e-9  # shares are published to one decimal
# Count columns of every extra table, and the threshold an exact tier protects them by: the sensitive item's
# (contact), the plain one (sources of a theme), or none (the coalition network is published in full, by design).
PLAIN, SENSITIVE, NONE = "plain", "sensitive", "none"
EXTRA_COUNTS: dict[str, tuple[tuple[str, ...], str]] = {
    NW.MATRIX: (ROUNDED_COUNTS[NW.MATRIX], NONE),
    NW.METRICS: (ROUNDED_COUNTS[NW.METRICS], NONE),
    NW.CONTACT: (ROUNDED_COUNTS[NW.CONTACT], SENSITIVE),
    VO.THEMES: ((TB.COUNT,), PLAIN),
}
ORGANISATION_TABLES = (NW.NODES, NW.EDGES, NW.BROKERS)


def check_release(release: TB.Release) -> list[str]:
    """Every rule problem of one tier's release: its survey tables and its extras."""
    policy = policy_for(release.tier)
    problems: list[str] = []
    for dims, table in release.tables.items():
        problems += _table_problems(table.name, dims, table.frame, policy)
    return problems + check_extras(release.tier, release.extras)


def _table_problems(name: str, dims: tuple[str, ...], f: pd.DataFrame, policy: TierPolicy) -> list[str]:
    problems = _count_problems(name, f[TB.COUNT], policy, policy.threshold(any(d in D.SENSITIVE_DIMS for d in dims)))
    problems += _flag_problems(name, f)
    pct, n = f[TB.PCT].notna(), f[TB.N]
    if (pct & f[TB.COUNT].isna()).any():
        problems.append(f"{name}: a share is shown without its numerator")
    if (pct & (n.isna() | (n < max(policy.min_group_size, 1)))).any():
        problems.append(f"{name}: a share is shown for a group below {policy.min_group_size}")
    if policy.max_dimensions is not None and len(dims) > policy.max_dimensions:
        problems.append(f"{name}: crosses {len(dims)} dimensions, more than {policy.max_dimensions}")
    if policy.sector_groups and D.SECTOR in dims:
        problems.append(f"{name}: shows sectors where this tier may only see sector groups")
    if (np.asarray(f[TB.PCT].dropna()) > 100).any():
        problems.append(f"{name}: a share above 100%")
    if policy.rounded:
        problems += _count_problems(name, n, policy, 0) + _share_problems(name, f)
    return problems


def _count_problems(name: str, values: pd.Series, policy: TierPolicy, threshold: int, column: str = "") -> list[str]:
    """A rounded tier: every shown count 0 or a multiple of 5 of at least 5; an exact tier: none in 1 … t−1."""
    shown = pd.to_numeric(values, errors="coerce").dropna()
    label = f"{name}.{column}" if column else name
    if policy.rounded:
        bad = int(((shown % BASE != 0) | shown.between(1, BASE - 1)).sum())
        return [f"{label}: {bad} count(s) not rounded to base 5"] if bad else []
    bad = int(shown.between(1, threshold - 1).sum()) if threshold > 1 else 0
    return [f"{label}: {bad} count(s) below the threshold {threshold}"] if bad else []


def _flag_problems(name: str, f: pd.DataFrame) -> list[str]:
    shown = f[TB.COUNT].notna()
    if (f.loc[~shown, TB.FLAG] != TB.SUPPRESSED).any() or (f.loc[shown, TB.FLAG] == TB.SUPPRESSED).any():
        return [f"{name}: suppression flags do not match the missing counts"]
    return []


def _share_problems(name: str, f: pd.DataFrame) -> list[str]:
    """A share shown must be ``100 · min(count, n) / n`` of the published (rounded) counts, to one decimal."""
    rows = f[f[TB.PCT].notna()]
    if rows.empty:
        return []
    k, n = rows[TB.COUNT].astype(float), rows[TB.N].astype(float)
    expected = 100 * np.minimum(k, n) / n.where(n > 0)
    bad = int(((rows[TB.PCT].astype(float) - expected).abs() > SHARE_TOLERANCE).sum())
    return [f"{name}: {bad} share(s) not computed from the published counts"] if bad else []


# ------------------------------------------------------------------------------------------------ network, voices


class ExtrasRuleError(Exception):
    """An extra table breaks a rule of its tier (a builder bug): nothing is published. ``problems`` says which."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the release failed its rule checks:\n" + "\n".join(f"  - {p}" for p in problems[:50]))


def require_extras(tables: dict[str, dict[str, pd.DataFrame]]) -> dict[str, dict[str, pd.DataFrame]]:
    """``tables`` (``{tier: {name: table}}``) if every one passes the rules of its tier; else ExtrasRuleError."""
    problems = [f"{tier}: {p}" for tier, extras in tables.items() for p in check_extras(tier, extras)]
    if problems:
        raise ExtrasRuleError(problems)
    return tables


def check_extras(tier: str, extras: dict[str, pd.DataFrame]) -> list[str]:
    """Rule problems of the network and voices tables of one tier."""
    policy = policy_for(tier)
    problems = [
        f"{name}: organisations published below the coalition tier"
        for name in ORGANISATION_TABLES
        if policy.sector_groups and name in extras
    ]
    for name, (columns, rule) in EXTRA_COUNTS.items():
        frame = extras.get(name)
        if frame is None:
            continue
        threshold = 0 if rule == NONE else policy.threshold(sensitive=rule == SENSITIVE)
        for column in columns:
            if column in frame:
                problems += _count_problems(name, frame[column], policy, threshold, column)
        if TB.COUNT in frame:
            problems += _flag_problems(name, frame)
    if NW.CONTACT in extras:
        problems += _contact_problems(extras[NW.CONTACT], policy)
    if NW.METRICS in extras:
        problems += _metrics_problems(extras[NW.METRICS], policy)
    return problems


def _contact_problems(f: pd.DataFrame, policy: TierPolicy) -> list[str]:
    name = NW.CONTACT
    pct = f[TB.PCT].notna()
    problems = []
    if (pct & (f[TB.COUNT].isna() | f[TB.N].isna())).any():
        problems.append(f"{name}: a share is shown without its counts")
    if (pct & (f[TB.N] < max(policy.min_group_size, 1))).fillna(False).any():
        problems.append(f"{name}: a share is shown for a group below {policy.min_group_size}")
    return problems + (_share_problems(name, f) if policy.rounded else [])


def _metrics_problems(f: pd.DataFrame, policy: TierPolicy) -> list[str]:
    name = NW.METRICS
    measures = [K.TIES, K.ORGS, K.DENSITY, K.CROSS_SHARE, K.EI, K.COMPONENTS]
    problems = []
    hidden = f[TB.FLAG] == TB.SUPPRESSED
    if f.loc[hidden, measures].notna().any().any():
        problems.append(f"{name}: a measure is shown for a view flagged x")
    if (f[K.CROSS_SHARE].notna() & f[K.TIES].isna()).any():
        problems.append(f"{name}: a cross-sector share is shown without its ties")
    if not policy.rounded:
        return problems
    rows = f[f[K.TIES].notna() & f[K.ORGS].notna()]
    ties, orgs = rows[K.TIES].astype(float), rows[K.ORGS].astype(float)
    density = np.minimum(ties / np.maximum(orgs * (orgs - 1) / 2, 1), 1.0).round(4)
    if ((rows[K.DENSITY].astype(float) - density).abs() > 5e-5 + 1e-9).any():
        problems.append(f"{name}: a density not computed from the published ties and organisations")
    shares = rows[rows[K.CROSS_SHARE].notna()]
    bad = sum(
        not _cross_of_five(int(t), float(s), float(e))
        for t, s, e in zip(shares[K.TIES], shares[K.CROSS_SHARE], shares[K.EI], strict=True)
    )
    if bad:
        problems.append(f"{name}: {bad} cross-sector share(s) not computed from rounded counts")
    return problems


def _cross_of_five(ties: int, share: float, ei: float) -> bool:
    """Some multiple of 5 cross-sector ties out of ``ties`` gives this share (1 decimal) and E-I index (3)."""
    if ties <= 0:
        return False
    centre = round(share * ties / 100 / BASE)
    crosses = [BASE * m for m in range(max(centre - 2, 0), centre + 3) if BASE * m <= ties]
    return any(
        abs(100 * c / ties - share) <= SHARE_TOLERANCE and abs((2 * c - ties) / ties - ei) <= 5e-4 + 1e-9
        for c in crosses
    )
