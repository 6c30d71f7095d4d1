"""Link the cubes of one or more tiers into one set of cells and the relations an attacker knows between them.

A cell is identified by its wave and its (dimension, category) pairs, so the same count published in two
tables (or two tiers) is one cell. Encounter cells with the ``_any`` category are identified with the cell of
the smaller table they equal (respondents naming victimisation ``v`` at any site are the respondents naming
``v``), and "named at least one" is one cell whichever encounter table shows it.

Relations:
- additive: a table's cells along one respondent dimension sum to the table without it; cities sum to their
  province; sectors sum to their sector group (across tiers);
- multi-response: along an encounter dimension, every category is at most the ``_any`` cell and together they
  are at least it;
- at most: respondents naming at least one encounter are at most the respondents of their group, and at most
  those of them who answered contact = yes (a validation rule of every dataset, so the attacker knows it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.data.vocab import Vocabularies
from dashboard.published import dims as D
from dashboard.published.dims import CubeSpec

ENCOUNTER_ANY = "encounter"


def cell_keys(frame: pd.DataFrame, spec: CubeSpec) -> list[str]:
    """Identity of every row of a cube frame (wave and dims columns)."""
    enc = [d for d in spec.dims if d in D.ENCOUNTER_DIMS]
    other = [d for d in spec.dims if d not in D.ENCOUNTER_DIMS]
    waves = frame[D.WAVE].astype(str).to_numpy()
    parts = [np.char.add(f"|{d}=", frame[d].to_numpy(dtype=str)) for d in other]
    base = waves.astype(object)
    for p in parts:
        base = base + p.astype(object)
    if not enc:
        return list(base)
    enc_values = [frame[d].to_numpy(dtype=object) for d in enc]
    all_any = np.logical_and.reduce([v == D.ANY for v in enc_values])
    suffix = np.full(len(frame), "", dtype=object)
    for d, v in zip(enc, enc_values, strict=True):
        suffix = suffix + np.where(v == D.ANY, "", "|" + d + "=" + v.astype(str))
    suffix = np.where(all_any, f"|{ENCOUNTER_ANY}={D.ANY}", suffix)
    return list(base + suffix)


@dataclass
class Linked:
    """Cells of several cubes, each cube's rows mapped to cell ids, and the relations between cells."""

    keys: dict[str, int] = field(default_factory=dict)
    ids: dict[tuple[str, CubeSpec], np.ndarray] = field(default_factory=dict)  # (tier, cube) -> cell ids
    additive: list[tuple[int, np.ndarray]] = field(default_factory=list)
    multi: list[tuple[int, np.ndarray]] = field(default_factory=list)
    at_most: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))  # (small, big) pairs
    sensitive: list[bool] = field(default_factory=list)

    @property
    def n_cells(self) -> int:
        return len(self.keys)

    def register(self, tier: str, spec: CubeSpec, frame: pd.DataFrame) -> np.ndarray:
        ids = np.empty(len(frame), dtype=np.int64)
        keys = self.keys
        for i, k in enumerate(cell_keys(frame, spec)):
            cid = keys.get(k)
            if cid is None:
                cid = len(keys)
                keys[k] = cid
                self.sensitive.append(spec.sensitive)
            ids[i] = cid
        self.ids[(tier, spec)] = ids
        return ids


def _groups(ids: np.ndarray, sizes: list[int], axis: int) -> np.ndarray:
    """Rows of cell ids along ``axis`` (one row per combination of the other axes, in C order)."""
    grid = ids.reshape(sizes)
    return np.moveaxis(grid, axis, -1).reshape(-1, sizes[axis])


def _add(target: list[tuple[int, np.ndarray]], parents: np.ndarray, children: np.ndarray) -> None:
    for p, ch in zip(parents.tolist(), children, strict=True):
        if ch.size and p not in ch:
            target.append((int(p), ch.copy()))


def link(
    cubes: Iterable[tuple[str, CubeSpec, pd.DataFrame]],
    vocab: Vocabularies,
    n_waves: int,
) -> Linked:
    """Register the cubes of (tier, spec, frame) and derive every relation between their cells."""
    dims = D.dimensions(vocab)
    linked = Linked()
    cube_list = list(cubes)
    for tier, spec, frame in cube_list:
        linked.register(tier, spec, frame)
    index = {(tier, spec.dims): spec for tier, spec, _ in cube_list}
    for tier, spec, _ in cube_list:
        ids = linked.ids[(tier, spec)]
        sizes = [n_waves] + [dims[d].size for d in spec.dims]
        for axis, d in enumerate(spec.dims, start=1):
            groups = _groups(ids, sizes, axis)
            if dims[d].multi:
                _add(linked.multi, groups[:, -1], groups[:, :-1])
                continue
            rest = tuple(x for x in spec.dims if x != d)
            parent_spec = _find(index, rest, tier)
            if parent_spec is not None:
                parent_ids = linked.ids[parent_spec]
                _add(linked.additive, parent_ids, groups)
            if d in HIERARCHY:
                coarse, mapping = HIERARCHY[d](vocab)
                _link_hierarchy(linked, index, tier, spec, groups, (d, coarse, mapping), dims, n_waves)
    linked.additive = dedupe(linked.additive)
    linked.multi = dedupe(linked.multi)
    linked.at_most = _encounters_at_most(linked, cube_list)
    return linked


CONTACT_YES = "yes"


def _encounters_at_most(linked: Linked, cubes: list[tuple[str, CubeSpec, pd.DataFrame]]) -> np.ndarray:
    """Pairs (small, big): "named at least one encounter" of a group is at most the group's respondents, and at
    most its respondents with contact = yes (when the group is not already split by contact)."""
    pairs: set[tuple[int, int]] = set()
    for tier, spec, frame in cubes:
        enc = [d for d in spec.dims if d in D.ENCOUNTER_DIMS]
        if not enc:
            continue
        rest = tuple(d for d in spec.dims if d not in D.ENCOUNTER_DIMS)
        rows = np.logical_and.reduce([(frame[d] == D.ANY).to_numpy() for d in enc])
        small = linked.ids[(tier, spec)][rows]
        sub = frame.loc[rows, [D.WAVE, *rest]]
        groups = [(rest, sub)]
        if D.CONTACT not in rest:
            groups.append((D.canonical((*rest, D.CONTACT)), sub.assign(**{D.CONTACT: CONTACT_YES})))
        for dims, group in groups:
            keys = cell_keys(group, CubeSpec(dims))
            for s, key in zip(small.tolist(), keys, strict=True):
                big = linked.keys.get(key)
                if big is not None and big != s:
                    pairs.add((int(s), int(big)))
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def _find(index: dict, dims: tuple[str, ...], tier: str) -> tuple[str, CubeSpec] | None:
    """The registered cube with ``dims``, preferring ``tier`` itself."""
    if (tier, dims) in index:
        return tier, index[(tier, dims)]
    for (t, ds), spec in index.items():
        if ds == dims:
            return t, spec
    return None


def _link_hierarchy(
    linked: Linked,
    index: dict,
    tier: str,
    spec: CubeSpec,
    groups: np.ndarray,
    hierarchy: tuple[str, str, dict[str, str]],
    dims: dict[str, D.Dimension],
    n_waves: int,
) -> None:
    """Children along a fine dimension (city, sector) sum to their coarse category (province, sector group).

    ``hierarchy`` is ``(fine, coarse, parent_of_child)``: the two dimensions and each fine category's parent. The
    coarse dimension sits where the fine one did in canonical order, so the other axes keep their order.
    """
    fine, coarse, parent_of_child = hierarchy
    coarse_dims = D.canonical([coarse if x == fine else x for x in spec.dims])
    found = _find(index, coarse_dims, tier)
    if found is None:
        return
    coarse_ids = linked.ids[found]
    sizes = [n_waves] + [dims[x].size for x in coarse_dims]
    coarse_groups = _groups(coarse_ids, sizes, coarse_dims.index(coarse) + 1)
    parent_of = np.asarray([parent_of_child[c] for c in dims[fine].categories])
    for j, category in enumerate(dims[coarse].categories):
        members = np.flatnonzero(parent_of == category)
        if members.size:
            _add(linked.additive, coarse_groups[:, j], groups[:, members])


HIERARCHY = {
    D.CITY: lambda vocab: (D.PROVINCE, vocab.province_of()),
    D.SECTOR: lambda vocab: (D.SECTOR_GROUP, vocab.sector_group_of()),
}


def dedupe(relations: list[tuple[int, np.ndarray]]) -> list[tuple[int, np.ndarray]]:
    seen: set[tuple[int, bytes]] = set()
    out = []
    for parent, children in relations:
        key = (parent, np.sort(children).tobytes())
        if key not in seen:
            seen.add(key)
            out.append((parent, children))
    return out
