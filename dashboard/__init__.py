"""Trafficking-trends dashboard: a Dash app over published, disclosure-controlled survey releases.

Imports nothing, so that ``import dashboard.<module>`` loads only that module: ``dashboard.webapp`` builds the app,
``dashboard.published`` is the read side, ``dashboard.release`` the build side.
"""

__version__ = "0.1.0"
