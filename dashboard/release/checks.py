"""Checks a published release must pass, using nothing but the published tables.

- no count in 1 … threshold−1 in an exact tier, every count a multiple of 5 in a rounded tier;
- no suppressed cell with a count, no share without its numerator, no share over a group below the minimum.
The attacker's integer programme over the published tables is in ``dashboard.release.attack``.
"""

from __future__ import annotations

import numpy as np

from dashboard.privacy.policy import policy_for
from dashboard.release import dims as D
from dashboard.release import table as TB


def check_release(release: TB.Release) -> list[str]:
    policy = policy_for(release.tier)
    problems: list[str] = []
    for dims, table in release.tables.items():
        f = table.frame
        count = f[TB.COUNT]
        shown = count.notna()
        sensitive = any(d in D.SENSITIVE_DIMS for d in dims)
        t = policy.threshold(sensitive)
        if policy.rounded:
            bad = shown & (count % 5 != 0)
            if bad.any():
                problems.append(f"{table.name}: {int(bad.sum())} count(s) not rounded to base 5")
        else:
            bad = shown & (count >= 1) & (count < t)
            if bad.any():
                problems.append(f"{table.name}: {int(bad.sum())} count(s) below the threshold {t}")
        if (f.loc[~shown, TB.FLAG] != TB.SUPPRESSED).any() or (f.loc[shown, TB.FLAG] == TB.SUPPRESSED).any():
            problems.append(f"{table.name}: suppression flags do not match the missing counts")
        pct = f[TB.PCT].notna()
        if (pct & ~shown).any():
            problems.append(f"{table.name}: a share is shown without its numerator")
        n = f[TB.N]
        if (pct & (n.isna() | (n < max(policy.min_group_size, 1)))).any():
            problems.append(f"{table.name}: a share is shown for a group below {policy.min_group_size}")
        if policy.max_dimensions is not None and len(dims) > policy.max_dimensions:
            problems.append(f"{table.name}: crosses {len(dims)} dimensions, more than {policy.max_dimensions}")
        if policy.sector_groups and D.SECTOR in dims:
            problems.append(f"{table.name}: shows sectors where this tier may only see sector groups")
        if (np.asarray(f[TB.PCT].dropna()) > 100).any():
            problems.append(f"{table.name}: a share above 100%")
    return problems
