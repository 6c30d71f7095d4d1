"""The build side: the release builder, its protection and audits, and the network and voices builders.

Only the ``python -m dashboard`` commands and the steward's jobs (in their own processes) import this package; the
web process reads releases with ``dashboard.published`` and never imports it (``tests/test_imports.py``).
"""
