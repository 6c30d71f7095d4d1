"""Earlier waves keep what the served release published of them (issue 12, part 6).

Someone who downloaded last year's release and downloads this year's could compare the two: if an earlier wave's
pattern changed, a cell hidden in one version and shown in the other could be recovered by subtraction. So a new
release starts from the served release's pattern for every wave both releases hold: a cell the served release
hid stays hidden, and a cell it showed is not chosen as a complement (the attacker knows it from the old download
anyway). Secondary suppression and the audit then protect the new wave with that pattern fixed.

When the published rows of an earlier wave still differ (the steward corrected that wave's data, so its counts
moved; or the pattern could not be kept, as when the last step of the fallback ladder hides a whole wave), the
steward report names the wave: the audit does not model both versions together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.dims import CubeSpec
from dashboard.published.tiers import Tier
from dashboard.release.linking import Linked, cell_keys


@dataclass(frozen=True)
class EarlierPattern:
    """Per tier, the linked cells of the earlier waves the served release showed, and those it hid."""

    shown: dict[str, np.ndarray]
    hidden: dict[str, np.ndarray]
    waves: tuple[int, ...]  # the shared waves at least one served row of which was matched to a cell
    shared: tuple[int, ...] = ()  # every wave both releases hold
    not_built: tuple[str, ...] = ()  # "tier: dims" of served tables this build does not make (not held fixed)

    def shown_anywhere(self, n_cells: int) -> np.ndarray:
        """Cells some tier of the served release showed (none of them is hidden as a complement)."""
        out = np.zeros(n_cells, dtype=bool)
        for mask in self.shown.values():
            out |= mask
        return out


def earlier_pattern(
    previous: Mapping[str, TB.Release],
    linked: Linked,
    specs: Mapping[Tier, tuple[CubeSpec, ...]],
    waves: list[int],
) -> EarlierPattern:
    """The served release's pattern, on the linked cells of the new build, for the waves both hold."""
    served = {w for release in previous.values() for w in release.waves}
    common = sorted(served & set(waves))
    shown: dict[str, np.ndarray] = {}
    hidden: dict[str, np.ndarray] = {}
    matched: set[int] = set()
    not_built: list[str] = []
    for tier, tier_specs in specs.items():
        shown[tier] = np.zeros(linked.n_cells, dtype=bool)
        hidden[tier] = np.zeros(linked.n_cells, dtype=bool)
        release = previous.get(tier)
        if release is None:
            continue
        built = {spec.dims for spec in tier_specs}
        not_built += [f"{tier}: {' × '.join(dims) or 'total'}" for dims in sorted(release.tables) if dims not in built]
        for spec in tier_specs:
            table = release.tables.get(spec.dims)
            if table is None:
                continue
            frame = table.frame[table.frame[D.WAVE].isin(common)]
            if frame.empty:
                continue
            ids = np.array([linked.keys.get(k, -1) for k in cell_keys(frame, spec)], dtype=np.int64)
            found = ids >= 0
            is_shown = frame[TB.COUNT].notna().to_numpy()
            shown[tier][ids[found & is_shown]] = True
            hidden[tier][ids[found & ~is_shown]] = True
            matched.update(int(w) for w in frame[D.WAVE].to_numpy()[found])
    waves_kept = tuple(int(w) for w in common if int(w) in matched)
    return EarlierPattern(shown, hidden, waves_kept, tuple(int(w) for w in common), tuple(not_built))


WaveRows = dict[int, tuple[np.ndarray, np.ndarray]]


def _wave_rows(frame: pd.DataFrame, dims: tuple[str, ...], waves: tuple[int, ...]) -> WaveRows:
    """Per wave of ``waves``, a table's rows as sorted ``key#flag`` labels and their counts (NaN: hidden)."""
    rows = frame[frame[D.WAVE].astype(int).isin(waves)]
    keys = pd.Series(cell_keys(rows, CubeSpec(dims)), index=rows.index, dtype=object)
    flags = rows[TB.FLAG].astype(object).where(rows[TB.FLAG].notna(), "").astype(str)
    labels = (keys + "#" + flags).to_numpy(dtype=str)
    counts = pd.to_numeric(rows[TB.COUNT], errors="coerce").to_numpy(dtype=np.float64)
    wave_of = rows[D.WAVE].astype(int).to_numpy()
    out: WaveRows = {}
    for wave in waves:
        mine = wave_of == wave
        order = np.argsort(labels[mine], kind="stable")
        out[wave] = (labels[mine][order], counts[mine][order])
    return out


def _same(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    return bool(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1], equal_nan=True))


def changed_waves(
    previous: Mapping[str, TB.Release], releases: Mapping[str, TB.Release], waves: tuple[int, ...]
) -> list[int]:
    """The earlier waves whose published rows (counts and flags) differ between the served and the new release."""
    changed: set[int] = set()
    for tier, release in releases.items():
        before = previous.get(tier)
        if before is None:
            continue
        for dims, table in release.tables.items():
            old = before.tables.get(dims)
            if old is None:
                continue
            open_waves = tuple(w for w in waves if w not in changed)
            if not open_waves:
                continue
            before_rows, after_rows = _wave_rows(old.frame, dims, open_waves), _wave_rows(table.frame, dims, open_waves)
            changed.update(w for w in open_waves if not _same(before_rows[w], after_rows[w]))
    return sorted(changed)
