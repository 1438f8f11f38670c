"""How long the project's two main jobs take on a fresh clone (issue 31): ``make book`` and
``make test`` in a new clone of the repository's HEAD, next to ``../shared`` as CI has it,
phase by phase (the Makefile's own targets, each run on what the one before left), with
each page's seconds from the clone's run record. The report says how busy the machine was
(its load average as the job started and ended), since a second job on the cores slows
every phase."""

from __future__ import annotations

import calendar
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from ogn_lib.book.run_record import read_record
from ogn_lib.machine import describe_machine
from ogn_lib.paths import REPOSITORY_ROOT

PHASES = {
    "book": (("environment", "venv"), ("data", "data"), ("notebooks and book", "book")),
    "test": (("environment", "venv"), ("data", "data"), ("movies", "movies"),
             ("tests", "test")),
}
"""Each job's phases: (label, make target), in order; the last target is the job itself,
whose prerequisites the earlier phases have already made."""

TARGETS_MINUTES = {"book": 20.0, "test": 35.0}
"""Issue 31's targets on a fresh clone on 2 idle cores, minutes."""


def clone(destination: Path, source: Path = REPOSITORY_ROOT) -> str:
    """A fresh clone of ``source``'s HEAD at ``destination`` (refused if it exists); its
    commit."""
    if destination.exists():
        raise FileExistsError(f"{destination} exists: name a new folder for the fresh clone")
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(source),
                    str(destination)], check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=destination, check=True,
                          capture_output=True, text=True).stdout.strip()


def run_make(folder: Path, target: str, jobs: int, log: Path) -> None:
    """``make <target> JOBS=<jobs>`` in ``folder``, its output appended to ``log``."""
    with log.open("a") as output:
        subprocess.run(["make", target, f"JOBS={jobs}"], cwd=folder, check=True,
                       stdout=output, stderr=subprocess.STDOUT)


def time_job(folder: Path, job: str, jobs: int = 2,
             run: Callable[[Path, str, int, Path], None] = run_make) -> dict:
    """Run ``job`` (``book`` or ``test``) in the clone ``folder`` phase by phase
    (:data:`PHASES`); the report: each phase's seconds, the total, each page's seconds
    from the clone's run record (the pages this job executed), the machine and its load."""
    if job not in PHASES:
        raise ValueError(f"job {job!r}: choose one of {', '.join(PHASES)}")
    started, load_before = time.time(), os.getloadavg()[0]
    phases = []
    for label, target in PHASES[job]:
        start = time.perf_counter()
        run(folder, target, jobs, folder / f"fresh-{job}.log")
        phases.append({"phase": label, "target": target,
                       "seconds": round(time.perf_counter() - start, 1)})
    finished = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    pages = {name: entry["seconds"]
             for name, entry in read_record(folder / "results").get("pages", {}).items()
             if _after(entry.get("finished", ""), started)}
    total = sum(phase["seconds"] for phase in phases)
    return {"job": f"make {job}", "jobs": jobs, "finished": finished,
            "phases": phases, "total_seconds": round(total, 1),
            "target_minutes": TARGETS_MINUTES[job],
            "load_average_start": round(load_before, 2),
            "load_average_end": round(os.getloadavg()[0], 2),
            "machine": describe_machine(), "page_seconds": pages}


def _after(finished: str, started: float) -> bool:
    """Whether a run record's ``finished`` time (to the minute, UTC) is not before the
    minute ``started`` (seconds since the epoch) fell in."""
    if not finished:
        return False
    moment = calendar.timegm(time.strptime(finished, "%Y-%m-%d %H:%M UTC"))
    return moment >= started - started % 60
