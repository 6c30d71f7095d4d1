"""The data steward's path: upload a wave, check it, prepare and publish a release, roll back (SPEC §7)."""
