"""A pool of worker processes that never outlives its parent and stops cleanly.

MD runs for minutes inside LAMMPS's C code; a plain process pool would leave them running
after a Ctrl-C or a killed parent. :func:`run_in_workers` starts spawned workers that the
kernel kills when the parent dies (Linux ``prctl``), that leave Ctrl-C to the parent, and
that unwind on SIGTERM so a task's writer removes its partial file.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

PR_SET_PDEATHSIG = 1
"""Linux ``prctl`` option: the signal a process receives when its parent dies."""
STOP_GRACE_SECONDS = 10.0
"""How long a stopped worker may take to remove its partial file before it is killed."""


def run_in_workers(function, tasks: list[tuple], jobs: int, on_result) -> None:
    """Call ``function(*task)`` for every task in ``jobs`` worker processes, handing each
    result to ``on_result`` as it completes.

    The workers never outlive this process: on Linux the kernel kills them when it dies,
    even by ``kill -9``. Any exception here (Ctrl-C, a failed task) cancels the queued
    tasks and stops the running ones before it propagates, so nothing keeps computing.
    """
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"),
                               initializer=_worker_setup, initargs=(os.getpid(),))
    try:
        futures = [pool.submit(_call_until_stopped, function, *task) for task in tasks]
        for future in as_completed(futures):
            on_result(future.result())
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _worker_setup(parent_pid: int) -> None:
    """Initialiser of a worker process: die with the parent, leave Ctrl-C to the parent
    (which stops the workers itself), and let SIGTERM unwind through Python so that the
    task's writer removes its partial file."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _call_until_stopped(function, *args):
    """``function(*args)`` in a worker; stopped by SIGTERM, the worker exits once the task
    has unwound (its partial file removed) instead of taking the next queued task, which
    the pool has already handed to it and cannot cancel."""
    try:
        return function(*args)
    except SystemExit as stop:
        os._exit(stop.code if isinstance(stop.code, int) else 1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued tasks and stop the running ones: SIGTERM, then SIGKILL for a
    worker still busy after :data:`STOP_GRACE_SECONDS` (a long LAMMPS ``run``)."""
    # Before Python 3.14 (terminate_workers) the pool offers no public way to stop a
    # running task; its worker processes are in _processes until shutdown clears it.
    workers = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join()
