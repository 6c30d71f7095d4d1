"""Pure figure builders: a published table in, a plotly figure out. No I/O, no globals, no filtering."""
