"""The read side: published releases as the web process reads them (tiers, policies, tables, lookups).

Nothing here imports the build side (``dashboard.release``, ``dashboard.privacy``) or its solvers: see the import
contract in ``pyproject.toml`` and ``tests/test_imports.py``.
"""
