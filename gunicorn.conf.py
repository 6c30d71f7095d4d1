"""gunicorn's settings for ``gunicorn app:server`` (read from the working directory; flags on the command line win).

Threaded workers (``gthread``) keep each client's connection open between requests (HTTP keep-alive) and do not
wait for a client to read an answer and close its connection before taking the next request, as the ``sync`` worker
does: with many clients on few cores, a sync worker spends much of its time waiting so. The app is thread-safe
(``python app.py`` serves it with threads too): every cache is locked, each thread has its own accounts connection.

Each worker reads the served releases as soon as it has loaded the app, before it takes a request
(``dashboard.webapp.warm``): the first visitor of a worker does not wait while it reads a release (about 1.5 s for
the coalition release of 1,000,000 respondents).
"""

worker_class = "gthread"
threads = 4


def post_worker_init(worker):  # noqa: ANN001, ANN201  # gunicorn's hook: its Worker, no result
    from dashboard.webapp import warm

    warm(worker.wsgi)
