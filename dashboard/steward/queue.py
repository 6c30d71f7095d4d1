"""The steward's jobs on an RQ queue in Redis (DASHBOARD_JOB_QUEUE=redis://…), for several instances of the app.

With a queue, a web process does not start a job's process itself: it puts the job (command, upload, options and
the settings naming the shared folders) on the ``dashboard-steward`` queue and records the job's id as the upload's
owner. Any ``python -m dashboard steward-worker`` on any machine takes it up and runs it exactly as the embedded
default does (``jobs.supervise``: the job lock, then the check or preparation as a child process under the
DASHBOARD_JOB_* limits), so the limits hold for queued jobs too. Whether a job still runs is asked of RQ, not of a
process id, so every instance can tell a running job from a dead one.
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import redis

    from dashboard.config import Config

QUEUE: Final = "dashboard-steward"
TIMEOUT_MARGIN_S: Final = 60  # RQ's own timeout sits past the wall-clock limit the supervisor enforces
RESULT_TTL_S: Final = 24 * 3600
RUNNING: Final = ("created", "queued", "started", "deferred", "scheduled")


@cache
def connection(url: str) -> redis.Redis:
    """One Redis client per URL and process (its connection pool reconnects after a fork)."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def enqueue(config: Config, command: str, upload_id: str, options: tuple[str, ...], settings: dict[str, str]) -> str:
    """Put one job of ``upload_id`` on the queue; returns its id (the upload's owner while it runs). Raises
    ``redis.RedisError`` when the queue cannot be reached."""
    from rq import Queue

    job_id = f"{command}_{upload_id}_{secrets.token_hex(4)}"  # RQ allows letters, digits, "_" and "-"
    Queue(QUEUE, connection=connection(config.job_queue)).enqueue_call(
        "dashboard.steward.queue.run",
        args=(command, upload_id, list(options), settings),
        job_id=job_id,
        timeout=config.job_wall_seconds + TIMEOUT_MARGIN_S,
        result_ttl=RESULT_TTL_S,
        failure_ttl=RESULT_TTL_S,
        description=f"{command} {upload_id}",
    )
    return job_id


def running(config: Config, job_id: str) -> bool:
    """Whether RQ says the job is waiting or running. A Redis that does not answer: assumed running (nothing is
    swept on a guess); a job RQ no longer knows, or that ended: not running."""
    import redis
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        status = Job.fetch(job_id, connection=connection(config.job_queue)).get_status(refresh=True)
    except NoSuchJobError:
        return False
    except redis.RedisError:
        return True
    return str(getattr(status, "value", status)) in RUNNING


def run(command: str, upload_id: str, options: list[str], settings: dict[str, str]) -> int:
    """What a worker runs for one queued job: the job's settings, then the same supervisor as a local job."""
    from rq import get_current_job

    from dashboard.config import Config
    from dashboard.steward import jobs as J

    os.environ.update(settings)  # the worker forks a process per job: this changes only that process
    os.umask(J.PRIVATE_UMASK)
    job = get_current_job()
    return J.supervise(command, upload_id, options, Config.from_env(), owner=job.id if job else None)


def work(config: Config, burst: bool = False) -> Any:
    """Run a worker of the steward's queue (until stopped; with ``burst``, until the queue is empty)."""
    from rq import Queue, Worker

    conn = connection(config.job_queue)
    return Worker([Queue(QUEUE, connection=conn)], connection=conn).work(burst=burst, logging_level="WARNING")
