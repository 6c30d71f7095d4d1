"""Parts of pages too large for the page module: what a page's sections and callbacks return, built from views.

Not pages themselves (Dash imports only the modules of ``dashboard/pages`` that call ``register_page``), and no
callbacks here: each page module keeps its layout and its thin callbacks, which hand over to these functions.
"""
