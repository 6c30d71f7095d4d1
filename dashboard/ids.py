"""Component IDs, unique app-wide. Browser tests select by these."""

from typing import Final

URL: Final = "url"
SKIP_LINK: Final = "skip-link"
MAIN: Final = "main-content"
NAV: Final = "main-nav"
SYNTHETIC_NOTICE: Final = "synthetic-notice"
FOOTER: Final = "site-footer"
ACCOUNT: Final = "account-area"
LOGIN_LINK: Final = "login-link"
LOGOUT_LINK: Final = "logout-link"
STEWARD_LINK: Final = "steward-link"
WHO: Final = "account-who"
TIER_NOTICE: Final = "tier-notice"

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
NETWORK_WAVE: Final = "network-wave"
NETWORK_TIE_TYPE: Final = "network-tie-type"
NETWORK_CITY: Final = "network-city"
NETWORK_SIZE_BY: Final = "network-size-by"
NETWORK_CHOICE: Final = "network-choice"
NETWORK_URL_SYNC: Final = "network-url-sync"
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
NETWORK_DOWNLOAD_BUTTON: Final = "network-download-button"  # pattern-matching type, {"table": name, "fmt": ...}


# Presentation mode (issue 5). assets/present.js selects the same IDs.
PRESENT_ROOT: Final = "present"
PRESENT_COUNTER: Final = "present-counter"
PRESENT_PREV: Final = "present-prev"
PRESENT_NEXT: Final = "present-next"
PRESENT_NOTES_TOGGLE: Final = "present-notes-toggle"
PRESENT_FULLSCREEN: Final = "present-fullscreen"
PRESENT_LIVE: Final = "present-live"
PRESENT_NOTICE: Final = "present-notice"
PRESENT_ERRORS: Final = "present-errors"


def present_slide_id(number: int) -> str:
    """``present-slide-3``: the section of slide 3 (numbered from 1)."""
    return f"present-slide-{number}"


# Voices page (issue 5).
VOICES_METHOD: Final = "voices-method"
VOICES_SECTOR: Final = "voices-sector"
VOICES_CITY: Final = "voices-city"
VOICES_QUOTES: Final = "voices-quotes"
VOICES_CONTENT_NOTE: Final = "voices-content-note"
VOICES_QUOTES_TOGGLE: Final = "voices-quotes-toggle"
VOICES_QUOTES_BODY: Final = "voices-quotes-body"
VOICES_QUOTES_STATUS: Final = "voices-quotes-status"
VOICES_QUOTES_LABELS: Final = "voices-quotes-labels"
VOICES_DOWNLOAD: Final = "voices-download"
VOICES_DOWNLOAD_BUTTON: Final = "voices-download-button"  # pattern-matching type, {"card": name, "fmt": ...}


# Summary page (issue 5): the home page for funders and its one-pager. KPI IDs: summary_kpi_id(key).
SUMMARY_PRINT: Final = "summary-print"
SUMMARY_KPIS: Final = "summary-kpis"
SUMMARY_FINDINGS: Final = "summary-findings"
SUMMARY_CITIES: Final = "summary-cities"
SUMMARY_VINTAGE: Final = "summary-vintage"
SUMMARY_TREND_CONTACT: Final = "summary-trend-contact"
SUMMARY_TREND_TRAINED: Final = "summary-trend-trained"
SUMMARY_LABOUR_SITE: Final = "summary-labour-site"
SUMMARY_VICTIMISATION: Final = "summary-victimisation-type"
SUMMARY_MAP: Final = "summary-map"
SUMMARY_DOWNLOAD: Final = "summary-download"
SUMMARY_DOWNLOAD_BUTTON: Final = "summary-download-button"  # pattern-matching type: {"chart": card, "fmt": fmt}


def summary_kpi_id(key: str) -> str:
    """``summary-kpi-respondents``, ``summary-kpi-contact``, ``summary-kpi-trained``."""
    return f"summary-kpi-{key}"


LANG_SWITCH: Final = "lang-switch"
