"""Names of the published network and voices tables and their columns (shared by the builders and the checks)."""

from __future__ import annotations

from typing import Final

from dashboard.data.schema import C

ALL: Final = "_all"
BETWEEN: Final = "_between"
VIEW: Final = (C.WAVE, C.TIE_TYPE, C.CITY)


class VO:
    """Names of the published voices tables (``release.extras[name]``)."""

    THEMES: Final = "voices_themes"
    QUOTES: Final = "voices_quotes"


class NW:
    """Names of the published network tables (``release.extras[name]``)."""

    MATRIX: Final = "network_matrix"
    METRICS: Final = "network_metrics"
    GROUPS: Final = "network_groups"  # funder: organisations per sector group, banded
    NODES: Final = "network_nodes"  # coalition
    EDGES: Final = "network_edges"  # coalition
    BROKERS: Final = "network_brokers"  # coalition
    CONTACT: Final = "network_contact"


class K:
    """Columns of the network tables (besides ``C.WAVE``, ``C.TIE_TYPE``, ``C.CITY`` and ``TB`` measures)."""

    SECTOR_A: Final = "sector_a"  # sector group in public and funder tiers, sector in coalition
    SECTOR_B: Final = "sector_b"
    TIES: Final = "ties"
    ORGS: Final = "organisations"
    DENSITY: Final = "density"
    CROSS_SHARE: Final = "cross_share"  # percent of ties between sector groups (sectors in coalition)
    EI: Final = "ei_index"
    COMPONENTS: Final = "components"
    NODE: Final = "node"
    NAME: Final = "name"
    PSEUDONYM: Final = "pseudonym"
    MEMBER: Final = "coalition_member"
    DEGREE: Final = "degree"
    BETWEENNESS: Final = "betweenness"
    CROSS_TIES: Final = "cross_ties"
    SOURCE: Final = "source"
    TARGET: Final = "target"
    CROSS: Final = "cross"
    TIE_TYPES: Final = "tie_types"
    SIZE_BAND: Final = "size_band"
    RANK: Final = "rank"
    BAND: Final = "cross_ties_band"


# Count columns of the tables a rounded tier publishes: every value is 0 or a multiple of 5 of at least 5.
ROUNDED_COUNTS: Final = {
    NW.MATRIX: ("count",),
    NW.METRICS: (K.TIES, K.ORGS, K.COMPONENTS),
    NW.CONTACT: ("count", "n"),
}
