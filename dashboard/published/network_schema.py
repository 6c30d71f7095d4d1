"""Names of the published network and voices tables and their columns, read by the pages and written by the builders.

Also the published order of organisations a graph draws (``DRAW_RANK``) and their positions (``X``, ``Y``),
computed when the release is built (``dashboard.release.network_layout``).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from dashboard.data.schema import C
from dashboard.published.dims import NONE

BETWEEN: Final = "_between"
VIEW: Final = (C.WAVE, C.TIE_TYPE, C.CITY)


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


# Respondents' organisations by their number of cross-sector partners in the wave (lower bound, code).
CROSS_BANDS: Final = ((0, "0"), (1, "1-2"), (3, "3-5"), (6, "6+"))
NO_ORG: Final = NONE  # respondent not linked to an organisation
BAND_CODES: Final = (*(code for _, code in CROSS_BANDS), NO_ORG)

DRAW_RANK: Final = "draw_rank"
X: Final = "x"
Y: Final = "y"


def draw_ranks(node_ids: pd.Series, degree: pd.Series, betweenness: pd.Series) -> np.ndarray:
    """Rank 1 … n of every organisation of a view: most partners first, then betweenness, then node id."""
    order = np.lexsort((node_ids.to_numpy(dtype=str), -betweenness.to_numpy(float), -degree.to_numpy(float)))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks
