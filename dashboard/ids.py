"""Component IDs, unique app-wide. Browser tests select by these."""

from typing import Final

URL: Final = "url"
SKIP_LINK: Final = "skip-link"
MAIN: Final = "main-content"
NAV: Final = "main-nav"
SYNTHETIC_NOTICE: Final = "synthetic-notice"
FOOTER: Final = "site-footer"

HOME_RESPONDENTS_CHART: Final = "home-respondents-by-wave"
