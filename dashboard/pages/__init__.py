"""One module per URL. Each registers itself with ``dash.register_page``."""
