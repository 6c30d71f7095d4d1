"""Published tables and releases: the only data the web process ever reads.

A release folder holds one sub-folder per tier; a tier folder holds ``release.json`` (metadata and the table
index) and one Parquet file per table. A web process serving a tier opens only that tier's folder.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import pandas as pd

from dashboard.published import dims as D

if TYPE_CHECKING:
    from dashboard.published.lookup import TableIndex

T = TypeVar("T")

RELEASE_META: Final = "release.json"
CURRENT: Final = "current"
VERSIONS: Final = "versions"

# Columns of every published table, besides the wave and its dimensions.
COUNT: Final = "count"  # respondents in the cell (rounded in rounded tiers); missing when suppressed
FLAG: Final = "flag"  # "x" when the count is suppressed
N: Final = "n"  # denominator of the share: respondents in the group who answered the item
PCT: Final = "pct"  # share in percent, published only with its numerator and a large enough group
CI_LO: Final = "ci_lo"
CI_HI: Final = "ci_hi"
PCT_FLAG: Final = "pct_flag"  # "", "E" (use with caution), "F" (too unreliable), "x" (not published)
MEASURES: Final = (COUNT, FLAG, N, PCT, CI_LO, CI_HI, PCT_FLAG)

SUPPRESSED: Final = "x"


class ReleaseError(Exception):
    """A release folder is missing, incomplete or not of the expected tier."""


def served_base(folder: Path) -> Path:
    """The folder a release folder serves its tiers from: ``folder/current`` when it has one, else ``folder``."""
    return folder / CURRENT if (folder / CURRENT).exists() else folder


@dataclass(frozen=True)
class DatasetInfo:
    """What a release says about the dataset behind it (``release.json``'s ``dataset``)."""

    name: str
    description: str
    synthetic: bool
    source: str
    citation: str
    licence: str
    version: str
    checksum: str

    @classmethod
    def of(cls, dataset: dict[str, Any]) -> DatasetInfo:
        """From ``release.json``'s ``dataset``: other keys ignored, a missing text empty, synthetic if it says so."""
        info: dict[str, Any] = {f.name: str(dataset.get(f.name, "")) for f in fields(cls)}
        info["synthetic"] = bool(dataset.get("synthetic", False))
        return cls(**info)


@dataclass(frozen=True)
class ReleaseMeta:
    """``release.json`` of one tier, typed: what the pages read about a release besides its tables."""

    tier: str
    rounded: bool
    waves: tuple[int, ...]
    dataset: DatasetInfo
    sector_groups: bool  # the tier shows sector groups, not sectors
    max_dimensions: int | None
    min_group_size: int
    release_version: str = ""  # versions/<stamp> the release was read from ("" for a folder without versions)
    published_at: str = ""  # ISO time of the publish, from the version's stamp

    @classmethod
    def of(cls, meta: dict[str, Any]) -> ReleaseMeta:
        policy = meta.get("policy") or {}
        return cls(
            tier=str(meta["tier"]),
            rounded=bool(meta["rounded"]),
            waves=tuple(int(w) for w in meta.get("waves", [])),
            dataset=DatasetInfo.of(meta.get("dataset") or {}),
            sector_groups=bool(policy.get("sector_groups", False)),
            max_dimensions=policy.get("max_dimensions"),
            min_group_size=int(policy.get("min_group_size", 0)),
            release_version=str(meta.get("release_version", "")),
            published_at=str(meta.get("published_at", "")),
        )


@dataclass(frozen=True)
class PublishedTable:
    """One published, protected table: wave × ``dims`` with the measures above."""

    dims: tuple[str, ...]
    frame: pd.DataFrame
    item: str | None  # the dimension the share is computed over (None: counts only)
    rounded: bool
    not_published: frozenset[int] = frozenset()  # waves the tier does not publish this table for (too sparse)

    @property
    def name(self) -> str:
        return "total" if not self.dims else "__".join(self.dims)

    @cached_property
    def index(self) -> TableIndex:
        """The table as numpy columns with its lookup groups: built once per table, the first time it is read."""
        from dashboard.published.lookup import TableIndex

        return TableIndex.of(self)

    def select(self, **values: object) -> pd.DataFrame:
        """Rows matching ``dim=value`` for the given dims (a dimension not given keeps all its rows)."""
        mask = pd.Series(True, index=self.frame.index)
        for dim, value in values.items():
            if dim not in self.frame.columns:
                raise KeyError(f"table {self.name} has no dimension {dim!r}")
            mask &= self.frame[dim] == value
        return self.frame[mask]


def extra_file_name(name: str) -> str:
    return f"extra__{name}.parquet"


def table_file_name(dims: tuple[str, ...]) -> str:
    return ("total" if not dims else "__".join(dims)) + ".parquet"


def _version_of(base: Path) -> dict[str, str]:
    """The published version a release folder is (``versions/<UTC time stamp>``), and when it was published."""
    folder = base.resolve()
    if folder.parent.name != VERSIONS:
        return {}
    try:
        published = datetime.strptime(folder.name, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return {"release_version": folder.name}
    return {"release_version": folder.name, "published_at": published.isoformat(timespec="seconds")}


@dataclass
class Release:
    """The published release of one tier, as read from disk (or as just built)."""

    tier: str
    meta: dict[str, Any]
    tables: dict[tuple[str, ...], PublishedTable] = field(default_factory=dict)
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)  # other published tables (network, themes)
    _derived: dict[Callable[[Release], Any], Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _derived_lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, folder: Path, tier: str) -> Release:
        """Read the ``tier`` release from a release folder (``folder/current/tier`` or ``folder/tier``)."""
        base = served_base(folder)
        tier_dir = base / tier
        meta_path = tier_dir / RELEASE_META
        if not meta_path.is_file():
            raise ReleaseError(f"no published {tier} release in {folder}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update(_version_of(base))
        if meta.get("tier") != tier:
            raise ReleaseError(f"{meta_path} is the {meta.get('tier')!r} release, not {tier!r}")
        release = cls(tier, meta)
        for entry in meta["tables"]:
            dims = tuple(entry["dims"])
            frame = pd.read_parquet(tier_dir / entry["file"])
            left_out = frozenset(int(w) for w in entry.get("not_published_waves", ()))
            release.tables[dims] = PublishedTable(dims, frame, entry.get("item"), bool(meta["rounded"]), left_out)
        for name in meta.get("extras", []):
            release.extras[name] = pd.read_parquet(tier_dir / extra_file_name(name))
        return release

    @cached_property
    def info(self) -> ReleaseMeta:
        """``meta``, typed."""
        return ReleaseMeta.of(self.meta)

    def derived(self, compute: Callable[[Release], T]) -> T:
        """``compute(self)``, computed once per release (a release is immutable once read): what pages derive from
        a release (the options a view may take, what a deck may show) lives and dies with the release."""
        if compute not in self._derived:
            with self._derived_lock:
                if compute not in self._derived:
                    self._derived[compute] = compute(self)
        return self._derived[compute]

    @property
    def waves(self) -> list[int]:
        return [int(w) for w in self.meta["waves"]]

    @property
    def synthetic(self) -> bool:
        return bool(self.meta["dataset"].get("synthetic"))

    @cached_property
    def dims_available(self) -> frozenset[str]:
        return frozenset(d for dims in self.tables for d in dims)

    def table(self, *dims: str) -> PublishedTable:
        """The table crossing exactly ``dims`` (in any order); KeyError if this tier does not publish it."""
        key = D.canonical(dims)
        if key not in self.tables:
            raise KeyError(f"the {self.tier} release has no table by {', '.join(dims) or 'total'}")
        return self.tables[key]

    def has(self, *dims: str) -> bool:
        return D.canonical(dims) in self.tables
