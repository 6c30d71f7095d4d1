"""The steward's background jobs (checking an upload, preparing its release), each run under limits by a supervisor.

``python -m dashboard.steward.jobs COMMAND UPLOAD [OPTIONS]`` is what the web process starts (in a session of its
own) with the embedded default; with a queue (DASHBOARD_JOB_QUEUE, ``queue``) a worker calls ``supervise`` itself.
It holds the upload's job lock for the whole run (a second job of the same upload exits at once), then runs
``python -m dashboard COMMAND UPLOAD [OPTIONS]`` as its child with

- an address-space limit (``RLIMIT_AS``, DASHBOARD_JOB_MEMORY_MB): an allocation past it fails in the child;
- a CPU-time limit (``RLIMIT_CPU``, DASHBOARD_JOB_CPU_SECONDS): the kernel stops the child past it;
- a wall-clock limit (DASHBOARD_JOB_WALL_SECONDS): the supervisor kills the child past it;
- no core dumps (a dump would write microdata to disk), private file modes (umask 077), a lower priority (the
  web process keeps its share of the cores), and death with the supervisor.

When the child is stopped by a limit or dies, the supervisor records it for the steward as a clear refusal (a
check: the received files are deleted) or failure (a preparation: its partial output is deleted). The child's
standard error is read only to tell a memory failure from another one, and never kept.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Final

from dashboard import paths
from dashboard.config import Config
from dashboard.i18n import t
from dashboard.steward import uploads as U

CHECK: Final = "steward-check"
PREPARE: Final = "steward-prepare"
COMMANDS: Final = (CHECK, PREPARE)
MB: Final = 1024 * 1024
CPU_GRACE_S: Final = 2  # between the CPU limit's SIGXCPU and the kernel's SIGKILL
NICENESS: Final = 10
PRIVATE_UMASK: Final = 0o077
PR_SET_PDEATHSIG: Final = 1
STDERR_TAIL: Final = 4096
MEMORY: Final = "memory"
CPU: Final = "cpu"
TIME: Final = "time"
DIED: Final = "died"
FINISHED: Final = "finished"
START_WAIT_S: Final = 5.0


@dataclass(frozen=True)
class JobLimits:
    """What one job may use: address space (MB), CPU time and wall-clock time (seconds)."""

    memory_mb: int
    cpu_seconds: int
    wall_seconds: int

    @classmethod
    def of(cls, config: Config) -> JobLimits:
        return cls(config.job_memory_mb, config.job_cpu_seconds, config.job_wall_seconds)


def limit_child(limits: JobLimits) -> Callable[[], None]:
    """What the child runs before ``exec``: its limits, no core dumps, a lower priority, death with its parent."""

    def apply() -> None:
        memory = limits.memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + CPU_GRACE_S))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.umask(PRIVATE_UMASK)
        os.nice(NICENESS)
        with suppress(OSError, AttributeError):  # Linux only: elsewhere the wall-clock limit still holds
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    return apply


def run_limited(argv: list[str], limits: JobLimits, env: dict[str, str] | None = None) -> str:
    """Run ``argv`` under ``limits``; how it ended: ``FINISHED`` (by itself) or the limit that stopped it, ``DIED``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        argv,
        cwd=paths.REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=limit_child(limits),  # safe: the supervisor runs a single thread
    )
    try:
        _, err = proc.communicate(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return TIME
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return _outcome(proc.returncode, err[-STDERR_TAIL:], cpu, limits)


# What a process out of address space (RLIMIT_AS) writes: Python's own error, or the loader's when an extension
# module (scipy's, numpy's) cannot be mapped, which surfaces as an ImportError instead.
OUT_OF_MEMORY: Final = (b"MemoryError", b"failed to map segment", b"Cannot allocate memory", b"cannot allocate memory")


def _outcome(returncode: int, err_tail: bytes, cpu: float, limits: JobLimits) -> str:
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL) and cpu >= limits.cpu_seconds - 0.5:
        return CPU
    if any(sign in err_tail for sign in OUT_OF_MEMORY) or returncode == -signal.SIGKILL:  # RLIMIT_AS, or OOM killer
        return MEMORY
    if returncode < 0:
        return DIED
    return FINISHED


def refusal(outcome: str, command: str, config: Config, lang: str) -> str:
    """The message that tells the steward which limit stopped the job."""
    job = t(f"steward.job.{'check' if command == CHECK else 'prepare'}", lang)
    limit = {MEMORY: config.job_memory_mb, CPU: config.job_cpu_seconds, TIME: config.job_wall_seconds}.get(outcome)
    return t(f"steward.job.{outcome}", lang, job=job, limit=limit)


def supervise(command: str, upload_id: str, options: list[str], config: Config, owner: object = None) -> int:
    """Run one job of ``upload_id`` under the configured limits and record how a limit stopped it.

    Jobs of one upload run one after another (the job lock), and a job runs only while the upload's state says it
    is the one started (``owner``: this supervisor's pid, or the id of the queued job it runs): a job started
    twice, or after the upload moved on, does nothing.
    """
    lang = options[options.index("--lang") + 1] if "--lang" in options[:-1] else config.language
    job = U.CHECKING if command == CHECK else U.PREPARING
    pid = os.getpid() if owner is None else owner
    with U.job_lock(config, upload_id):
        if not _started_as(config, upload_id, job, pid):
            return 0
        argv = [sys.executable, "-m", "dashboard", command, upload_id, *options]
        outcome = run_limited(argv, JobLimits.of(config), dict(os.environ))
        stopped = outcome != FINISHED
        message = refusal(outcome if stopped else DIED, command, config, lang)
        return int(U.end_job(config, upload_id, job, pid, message, after_failure=stopped))


def _started_as(config: Config, upload_id: str, job: str, pid: object) -> bool:
    """Whether the upload's state names this job, waiting a little for a starter that records the pid after it
    started the job (without the state lock)."""
    deadline = time.monotonic() + START_WAIT_S
    while not U.owns(config, upload_id, job, pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] not in COMMANDS:
        print(f"usage: python -m dashboard.steward.jobs {{{','.join(COMMANDS)}}} UPLOAD [OPTIONS]", file=sys.stderr)
        return 2
    os.umask(PRIVATE_UMASK)
    return supervise(args[0], args[1], args[2:], Config.from_env())


if __name__ == "__main__":
    raise SystemExit(main())
