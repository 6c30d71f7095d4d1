"""gunicorn's settings for ``gunicorn app:server`` (read from the working directory; flags on the command line win).

Each worker reads the served releases as soon as it has loaded the app, before it takes a request
(``dashboard.webapp.warm``): the first visitor of a worker does not wait while it reads a release (about 1.5 s for
the coalition release of 1,000,000 respondents).
"""


def post_worker_init(worker):  # noqa: ANN001, ANN201  # gunicorn's hook: its Worker, no result
    from dashboard.webapp import warm

    warm(worker.wsgi)
