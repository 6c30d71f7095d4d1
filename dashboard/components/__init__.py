"""Reusable layout pieces: the page shell, chart cards with their accessible twins."""
