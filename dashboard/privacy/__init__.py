"""Disclosure control for published releases (SPEC §4).

``policy`` holds the per-tier parameters, ``rounding`` the seeded base-5 cell-key rounding, ``intervals`` Wilson
intervals and Statistics Canada quality flags, ``system`` the constraint system over published cells,
``suppression`` primary and secondary cell suppression, and ``audit`` the attacker's integer programme that a
release must pass before it is published.
"""
