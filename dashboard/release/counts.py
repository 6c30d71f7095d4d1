"""Exact counts (and cell keys) of every cube, computed once from microdata when a release is built.

Respondent dimensions are coded as small integers once; a cube's cells are a ``np.bincount`` over a mixed-radix
index of its dimensions and the wave. Cell keys (SPEC §4) are the sums of the respondents' record keys modulo
2**32, computed in the same pass. Encounter (multi-response) cubes count distinct respondents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies
from dashboard.published import dims as D
from dashboard.published.dims import CubeSpec, Dimension

_MASK16 = np.uint64(0xFFFF)


@dataclass(frozen=True)
class Units:
    """Counting units of one kind: one row per unit, each with a wave index, a record key and dimension codes."""

    wave: np.ndarray  # int index into the dataset's waves
    key: np.ndarray  # uint32 record key of the respondent behind the unit
    codes: dict[str, np.ndarray]  # dimension name -> int codes


@dataclass(frozen=True)
class CubeCounts:
    spec: CubeSpec
    frame: pd.DataFrame  # wave, dims..., count, cell_key


def _codes(values: pd.Series, dim: Dimension) -> np.ndarray:
    lookup = {c: i for i, c in enumerate(dim.categories)}
    filled = values.astype(object).where(values.notna(), D.MISSING)
    return filled.map(lookup).to_numpy(dtype=np.int16)


class Counter:
    """Counts every cube of a dataset. Build once per release; all heavy work is vectorised."""

    def __init__(self, dataset: Dataset, vocab: Vocabularies, record_keys: np.ndarray) -> None:
        self.dims = D.dimensions(vocab)
        self.waves = tuple(dataset.waves)
        resp = dataset[T.RESPONDENTS]
        self._resp = resp
        self._enc = dataset[T.ENCOUNTERS]
        self._vocab = vocab
        self._keys = np.asarray(record_keys, dtype=np.uint32)
        if self._keys.shape[0] != len(resp):
            raise ValueError("one record key per respondent is needed")

    @cached_property
    def respondent_units(self) -> Units:
        resp, dims = self._resp, self.dims
        derived = pd.DataFrame(
            {
                D.PROVINCE: resp[C.CITY].map(self._vocab.province_of()),
                D.CITY: resp[C.CITY],
                D.SECTOR: resp[C.SECTOR],
                D.SECTOR_GROUP: resp[C.SECTOR].map(self._vocab.sector_group_of()),
                D.ROLE: resp[C.ROLE],
                D.CONTACT: resp[C.CONTACT],
                D.TRAINED: resp[C.TRAINED],
            }
        )
        codes = {name: _codes(derived[name], dims[name]) for name in D.RESPONDENT_DIMS}
        wave = resp[C.WAVE].map({w: i for i, w in enumerate(self.waves)}).to_numpy(dtype=np.int16)
        return Units(wave, self._keys, codes)

    def _encounter_units(self, with_site: bool, with_vict: bool) -> Units:
        """Distinct respondent × (site or ANY) × (victimisation or ANY) units, for the encounter dims asked."""
        base = self.respondent_units
        position = pd.Series(np.arange(len(self._resp)), index=self._resp[C.RESPONDENT_ID])
        enc = self._enc
        site_dim, vict_dim = self.dims[D.LABOUR_SITE], self.dims[D.VICTIMISATION]
        row = position.reindex(enc[C.RESPONDENT_ID]).to_numpy()
        site = _codes(enc[C.LABOUR_SITE], site_dim)
        vict = _codes(enc[C.VICTIMISATION], vict_dim)
        any_site, any_vict = site_dim.size - 1, vict_dim.size - 1
        n_site, n_vict = site_dim.size, vict_dim.size
        site_options = (site, np.full_like(site, any_site)) if with_site else (np.full_like(site, any_site),)
        vict_options = (vict, np.full_like(vict, any_vict)) if with_vict else (np.full_like(vict, any_vict),)
        parts = [
            (row.astype(np.int64) * n_site + s.astype(np.int64)) * n_vict + v.astype(np.int64)
            for s in site_options
            for v in vict_options
        ]
        packed = np.unique(np.concatenate(parts))  # one int64 per distinct unit: fast to sort
        units = np.stack([packed // (n_site * n_vict), (packed // n_vict) % n_site, packed % n_vict], axis=1)
        r = units[:, 0]
        codes = {name: base.codes[name][r] for name in D.RESPONDENT_DIMS}
        codes[D.LABOUR_SITE] = units[:, 1].astype(np.int16)
        codes[D.VICTIMISATION] = units[:, 2].astype(np.int16)
        return Units(base.wave[r], base.key[r], codes)

    @cached_property
    def _site_units(self) -> Units:
        return self._encounter_units(True, False)

    @cached_property
    def _vict_units(self) -> Units:
        return self._encounter_units(False, True)

    @cached_property
    def _both_units(self) -> Units:
        return self._encounter_units(True, True)

    def units_for(self, spec: CubeSpec) -> Units:
        has_site, has_vict = D.LABOUR_SITE in spec.dims, D.VICTIMISATION in spec.dims
        if has_site and has_vict:
            return self._both_units
        if has_site:
            return self._site_units
        if has_vict:
            return self._vict_units
        return self.respondent_units

    def count(self, spec: CubeSpec) -> CubeCounts:
        units = self.units_for(spec)
        sizes = [len(self.waves)] + [self.dims[d].size for d in spec.dims]
        index = np.ravel_multi_index([units.wave, *(units.codes[d] for d in spec.dims)], sizes)
        n_cells = int(np.prod(sizes))
        counts = np.bincount(index, minlength=n_cells).astype(np.int64)
        key64 = units.key.astype(np.uint64)
        low = np.bincount(index, weights=(key64 & _MASK16).astype(np.float64), minlength=n_cells)
        high = np.bincount(index, weights=(key64 >> np.uint64(16)).astype(np.float64), minlength=n_cells)
        cell_key = (low.astype(np.uint64) + (high.astype(np.uint64) << np.uint64(16))) & np.uint64(0xFFFFFFFF)
        grid = np.unravel_index(np.arange(n_cells), sizes)
        frame = {D.WAVE: np.asarray(self.waves, dtype=np.int64)[grid[0]]}
        for i, d in enumerate(spec.dims, start=1):
            frame[d] = np.asarray(self.dims[d].categories, dtype=object)[grid[i]]
        frame["count"] = counts
        frame["cell_key"] = cell_key.astype(np.uint32)
        return CubeCounts(spec, pd.DataFrame(frame))
