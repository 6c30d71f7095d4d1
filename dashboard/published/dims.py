"""The dimensions a published table may cross, and the tables ("cubes") each tier publishes.

A dimension has an ordered list of categories. Respondent dimensions partition respondents (their cells add
up to the table's total); encounter dimensions are multi-response (a respondent who reported contact counts
once under each labour site they named), so their cells do not add up: each encounter dimension has an
``_any`` category, the respondents who named at least one, which is the parent of a multi-response relation.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Final

from dashboard.data.schema import C
from dashboard.data.vocab import Vocabularies
from dashboard.published.policy import TierPolicy

# The codes a published table uses besides a vocabulary's own (one definition each, used by every table):
MISSING: Final = "_missing"  # item not answered
ANY: Final = "_any"  # named at least one (encounter dimensions)
ALL: Final = "_all"  # every category of a dimension: a view's or a breakdown's total (network and voices tables)
NONE: Final = "_none"  # none stated: a source with no sector or city, a respondent with no organisation
# In a URL, "all" (``views.state.ALL``) is what a reader picks to lift a filter; it never reaches a table.
WAVE: Final = C.WAVE

# Dimension names (also column names in published tables).
PROVINCE: Final = C.PROVINCE
CITY: Final = C.CITY
SECTOR: Final = C.SECTOR
SECTOR_GROUP: Final = C.SECTOR_GROUP
ROLE: Final = C.ROLE
CONTACT: Final = C.CONTACT
TRAINED: Final = C.TRAINED
LABOUR_SITE: Final = C.LABOUR_SITE
VICTIMISATION: Final = C.VICTIMISATION

RESPONDENT_DIMS: Final = (PROVINCE, CITY, SECTOR, SECTOR_GROUP, ROLE, CONTACT, TRAINED)
ENCOUNTER_DIMS: Final = (LABOUR_SITE, VICTIMISATION)
# Items whose answers could harm a respondent if attributed: higher threshold, class-disclosure rule.
SENSITIVE_DIMS: Final = frozenset({CONTACT, TRAINED, LABOUR_SITE, VICTIMISATION})
# Dimensions that are answers to an item (a percentage is a share of the group answering it).
ITEM_DIMS: Final = (CONTACT, TRAINED, LABOUR_SITE, VICTIMISATION)
# Pairs that are never crossed: nested geography, sector with its own group, and contact with encounters
# (encounters exist only for respondents who reported contact).
EXCLUSIVE: Final = (
    frozenset({PROVINCE, CITY}),
    frozenset({SECTOR, SECTOR_GROUP}),
    frozenset({CONTACT, LABOUR_SITE}),
    frozenset({CONTACT, VICTIMISATION}),
)


@dataclass(frozen=True)
class Dimension:
    name: str
    categories: tuple[str, ...]
    multi: bool = False

    @property
    def size(self) -> int:
        return len(self.categories)


def dimensions(vocab: Vocabularies) -> dict[str, Dimension]:
    """Every dimension with its categories in vocabulary order."""
    return {
        PROVINCE: Dimension(PROVINCE, tuple(sorted(set(vocab.province_of().values())))),
        CITY: Dimension(CITY, vocab["city"].codes),
        SECTOR: Dimension(SECTOR, vocab["sector"].codes),
        SECTOR_GROUP: Dimension(SECTOR_GROUP, vocab["sector_group"].codes),
        ROLE: Dimension(ROLE, vocab["role"].codes),
        CONTACT: Dimension(CONTACT, (*vocab["contact"].codes, MISSING)),
        TRAINED: Dimension(TRAINED, (*vocab["trained"].codes, MISSING)),
        LABOUR_SITE: Dimension(LABOUR_SITE, (*vocab["labour_site"].codes, ANY), multi=True),
        VICTIMISATION: Dimension(VICTIMISATION, (*vocab["victimisation_type"].codes, ANY), multi=True),
    }


@dataclass(frozen=True, order=True)
class CubeSpec:
    """A table: counts of respondents by wave and ``dims`` (in canonical order)."""

    dims: tuple[str, ...]

    @property
    def name(self) -> str:
        return "total" if not self.dims else "__".join(self.dims)

    @property
    def is_encounter(self) -> bool:
        return any(d in ENCOUNTER_DIMS for d in self.dims)

    @property
    def sensitive(self) -> bool:
        return any(d in SENSITIVE_DIMS for d in self.dims)


CANONICAL_ORDER: Final = (PROVINCE, CITY, SECTOR_GROUP, SECTOR, ROLE, CONTACT, TRAINED, LABOUR_SITE, VICTIMISATION)


def canonical(dims: tuple[str, ...] | list[str] | set[str] | frozenset[str]) -> tuple[str, ...]:
    return tuple(d for d in CANONICAL_ORDER if d in set(dims))


def allowed(dims: tuple[str, ...]) -> bool:
    s = set(dims)
    return not any(pair <= s for pair in EXCLUSIVE)


def tier_dims(policy: TierPolicy) -> tuple[str, ...]:
    sector = SECTOR_GROUP if policy.sector_groups else SECTOR
    return canonical((PROVINCE, CITY, sector, ROLE, CONTACT, TRAINED, LABOUR_SITE, VICTIMISATION))


def cubes_for(policy: TierPolicy) -> tuple[CubeSpec, ...]:
    """Every allowed combination of up to ``policy.max_dimensions`` dimensions (besides the wave)."""
    pool = tier_dims(policy)
    k_max = len(pool) if policy.max_dimensions is None else policy.max_dimensions
    out = [
        CubeSpec(canonical(combo)) for k in range(k_max + 1) for combo in combinations(pool, k) if allowed(tuple(combo))
    ]
    return tuple(sorted(set(out), key=lambda c: (len(c.dims), c.dims)))
