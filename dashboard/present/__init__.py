"""Presentation mode (issue 5): slide decks written in YAML, checked against the public release, shown full screen.

- ``deck``: decks read from ``data/decks/`` and checked (``model``: the types; ``checks``: the checks; no Dash);
- ``slides``: what a chart or quote slide shows, from the public release only;
- ``source``: the public release a presenter sees, whatever tier the process serves.
"""
