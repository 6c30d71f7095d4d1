"""Published releases: the release builder and the tables it publishes for every tier.

Other published tables plug into the builder here (``builder.EXTRA_BUILDERS``), so that every way of building a
release (``python -m dashboard release``, the start-up build, tests) publishes them too.
"""

from dashboard.release import builder, network, voices

builder.EXTRA_BUILDERS.append(network.build_tables)
builder.EXTRA_BUILDERS.append(voices.build_tables)
