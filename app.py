"""Composition root: ``gunicorn app:server`` or ``python app.py``."""

from __future__ import annotations

import sys

from dashboard.config import Config
from dashboard.published.startup import StartupError
from dashboard.webapp import QuietRequestHandler, create_app

try:
    app = create_app()
except StartupError as err:  # refuse to start rather than show something wrong
    print(f"The dashboard cannot start: {err}", file=sys.stderr)
    raise SystemExit(2) from None
server = app.server

if __name__ == "__main__":
    config = Config.from_env()
    app.run(host=config.host, port=config.port, debug=config.debug, request_handler=QuietRequestHandler)
