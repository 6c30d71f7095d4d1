"""The explore page's view: which filters are set, parsed from and written to the URL, checked against the tier.

Pure functions: no Dash, no I/O. Every value is checked against the categories the release publishes; anything
else falls back to "all" with a notice, so a copied link with a stale or forged value still opens a valid view.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final
from urllib.parse import parse_qsl, urlencode

from dashboard.parsing import ascii_digits
from dashboard.published import dims as D
from dashboard.published.table import Release

ALL: Final = "all"  # in a URL: no filter on this dimension, or every wave
WAVE_PARAM: Final = "wave"

# URL parameter -> dimension, in the order filters are shown.
PARAMS: Final = {
    "province": D.PROVINCE,
    "city": D.CITY,
    "sector": D.SECTOR,
    "sector_group": D.SECTOR_GROUP,
    "role": D.ROLE,
    "site": D.LABOUR_SITE,
    "type": D.VICTIMISATION,
    "contact": D.CONTACT,
    "trained": D.TRAINED,
}
DIM_PARAM: Final = {dim: param for param, dim in PARAMS.items()}


@dataclass(frozen=True)
class ViewState:
    """A wave (or all waves) and at most one value per dimension."""

    wave: int | None  # None: all waves (trend views)
    filters: tuple[tuple[str, str], ...] = ()  # (dimension, category), in PARAMS order

    @property
    def filter_dims(self) -> tuple[str, ...]:
        return tuple(d for d, _ in self.filters)

    def value(self, dim: str) -> str | None:
        return dict(self.filters).get(dim)

    def with_filter(self, dim: str, category: str | None) -> ViewState:
        values = dict(self.filters)
        if category in (None, ALL):
            values.pop(dim, None)
        else:
            values[dim] = category
        if dim == D.CITY and category not in (None, ALL):
            values.pop(D.PROVINCE, None)  # a city implies its province
        if dim == D.PROVINCE and category not in (None, ALL):
            values.pop(D.CITY, None)
        ordered = tuple((d, values[d]) for d in PARAMS.values() if d in values)
        return replace(self, filters=ordered)

    def to_query(self) -> str:
        pairs = [(WAVE_PARAM, ALL if self.wave is None else str(self.wave))]
        pairs += [(DIM_PARAM[d], v) for d, v in self.filters]
        return "?" + urlencode(pairs)


@dataclass(frozen=True)
class Options:
    """What the tier publishes: waves, the dimensions it has, their categories and how many may be crossed."""

    waves: tuple[int, ...]
    categories: dict[str, tuple[str, ...]]
    max_dims: int
    sector_dim: str

    @classmethod
    def of(cls, release: Release) -> Options:
        cats: dict[str, set[str]] = {}
        for dims, table in release.tables.items():
            for d in dims:
                cats.setdefault(d, set()).update(str(v) for v in table.frame[d].unique())
        order = {d: dim.categories for d, dim in _dimension_orders().items()}
        categories = {d: tuple(c for c in order[d] if c in values and c not in (D.ANY,)) for d, values in cats.items()}
        max_dims = max((len(d) for d in release.tables), default=0)
        sector_dim = D.SECTOR if D.SECTOR in categories else D.SECTOR_GROUP
        return cls(tuple(release.waves), categories, max_dims, sector_dim)

    @classmethod
    def cached(cls, release: Release) -> Options:
        """``Options.of(release)``, computed once per release (``Release.derived``)."""
        return release.derived(cls.of)

    def allows(self, dim: str, value: str) -> bool:
        return value in self.categories.get(dim, ())


@dataclass
class Parsed:
    state: ViewState
    notices: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (message key, values)


def _dimension_orders() -> dict[str, D.Dimension]:
    from dashboard.data.vocab import vocabularies

    return D.dimensions(vocabularies())


def parse(query: dict[str, str] | str, options: Options) -> Parsed:
    """The view a URL asks for, reduced to the nearest view the tier allows, with a notice for each change."""
    if isinstance(query, str):
        query = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    notices: list[tuple[str, dict[str, str]]] = []
    wave_raw = str(query.get(WAVE_PARAM, "") or "")
    latest = max(options.waves) if options.waves else None
    if wave_raw in ("", None):
        wave: int | None = latest
    elif wave_raw == ALL:
        wave = None
    elif ascii_digits(wave_raw, 4) and int(wave_raw) in options.waves:
        wave = int(wave_raw)
    else:
        wave = latest
        notices.append(("explore.notice.bad_value", {"param": WAVE_PARAM, "value": wave_raw[:40]}))
    state = ViewState(wave)
    for param, raw in query.items():
        if param in (WAVE_PARAM, "lang"):
            continue
        dim = PARAMS.get(param)
        value = str(raw)[:60]
        if dim is None:
            notices.append(("explore.notice.unknown_param", {"param": str(param)[:40]}))
            continue
        if value in ("", ALL):
            continue
        if not options.allows(dim, value):
            notices.append(("explore.notice.bad_value", {"param": param, "value": value}))
            continue
        if len(state.filters) >= options.max_dims:
            notices.append(("explore.notice.too_many", {"param": param, "count": str(options.max_dims)}))
            continue
        state = state.with_filter(dim, value)
    return Parsed(state, notices)
