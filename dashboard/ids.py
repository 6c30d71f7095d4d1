"""Component IDs, unique app-wide. Browser tests select by these."""

from typing import Final

URL: Final = "url"
SKIP_LINK: Final = "skip-link"
MAIN: Final = "main-content"
NAV: Final = "main-nav"
SYNTHETIC_NOTICE: Final = "synthetic-notice"
FOOTER: Final = "site-footer"

HOME_RESPONDENTS_CHART: Final = "home-respondents-by-wave"

# Explore page. Per-chart IDs are built with explore_id(kind, chart).
EXPLORE_STATE: Final = "explore-state"
EXPLORE_URL_SYNC: Final = "explore-url-sync"
EXPLORE_CHOICE: Final = "explore-choice"  # pattern-matching type, {"type": ..., "dim": dimension, "value": code}
EXPLORE_REMOVE: Final = "explore-remove"  # pattern-matching type, {"type": ..., "dim": dimension}
EXPLORE_RESET: Final = "explore-reset"
EXPLORE_NOTICE: Final = "explore-notice"
EXPLORE_ACTIVE: Final = "explore-active"
EXPLORE_KPIS: Final = "explore-kpis"
EXPLORE_DOWNLOAD: Final = "explore-download"
EXPLORE_DOWNLOAD_BUTTON: Final = "explore-download-button"  # pattern-matching type, {"chart": ..., "fmt": ...}


def explore_id(kind: str, chart: str) -> str:
    """``explore-graph-sector``, ``explore-summary-sector``, ``explore-table-sector``, ``explore-message-sector``."""
    return f"explore-{kind}-{chart}"


# Network page (issue 6).
NETWORK_LANG: Final = "network-lang"
NETWORK_WAVE: Final = "network-wave"
NETWORK_TIE_TYPE: Final = "network-tie-type"
NETWORK_CITY: Final = "network-city"
NETWORK_SIZE_BY: Final = "network-size-by"
NETWORK_CHOICE: Final = "network-choice"
NETWORK_CONTROLS: Final = "network-controls"
NETWORK_OPTION: Final = "network-option"  # pattern-matching type, {"type": ..., "control": name, "value": str}
NETWORK_MESSAGE: Final = "network-message"
NETWORK_BODY: Final = "network-body"
NETWORK_GRAPH: Final = "network-graph"
NETWORK_HEATMAP: Final = "network-heatmap"
NETWORK_METRICS: Final = "network-metrics"
NETWORK_TREND: Final = "network-trend"
NETWORK_BROKERS: Final = "network-brokers"
NETWORK_CONTACT: Final = "network-contact"
NETWORK_DOWNLOAD: Final = "network-download"
NETWORK_DOWNLOAD_BUTTON: Final = "network-download-button"  # pattern-matching type, {"type": ..., "table": name}
