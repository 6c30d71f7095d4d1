"""The view a page shows (wave and filters, parsed from the URL) and the charts it needs, shared by every page."""
