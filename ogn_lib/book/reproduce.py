"""Execute the section notebooks and the book's notebook pages with papermill, and build
the book.

The notebooks in ``notebooks/`` are executed in place (through a temporary file and an
atomic rename, so a failed run never leaves a half-written notebook): the executed copies
are what the book publishes and what the nbval regression tests re-execute. Each notebook
makes or reuses its own data and models through ``ogn_lib``, so running one section alone
works on a fresh clone.

Each notebook runs in a kernel, a process in a session of its own that a Ctrl-C at the
terminal does not reach; Ctrl-C is therefore passed on to the running kernels, as
Jupyter's interrupt button does, and a kernel that does not stop is killed.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from ogn_lib.book.run_record import expected_seconds, record_run
from ogn_lib.files import partial_path
from ogn_lib.paths import REPOSITORY_ROOT, results_root

NOTEBOOKS = REPOSITORY_ROOT / "notebooks"


@dataclass(frozen=True)
class NotebookRun:
    """How one notebook's execution went."""

    name: str
    seconds: float
    error: str = ""
    """Empty on success; else the failing cell and the exception."""

    @property
    def ok(self) -> bool:
        return not self.error


KERNEL_GRACE_S = 10.0
"""How long after Ctrl-C a running notebook's kernel may take to stop its cell before it
is killed (a LAMMPS or torch call in C returns to Python, which sees the interrupt, only
when it ends)."""

_KERNEL_MANAGERS: weakref.WeakSet = weakref.WeakSet()
_KERNEL_MANAGERS_LOCK = threading.Lock()

BOOK_PAGES = ("ground_truth", "methods", "movies", "speed", "validation", "own_data",
              "ase_dynamics", "intro", "run_record")
"""Book pages that are notebooks too: executed beside the sections (none reads another's
results but the :data:`SUMMARY_PAGES`)."""

SUMMARY_PAGES = ("intro", "run_record")
"""Book pages that read what the others wrote (the introduction every page's verdicts,
the speed page's included; the run record every page's run): executed last, one after
the other, in this order."""


def runnable_notebooks(only: list[str] | None = None, folder: Path = NOTEBOOKS,
                       book: Path = REPOSITORY_ROOT / "book") -> list[Path]:
    """The section notebooks ``S01_*.ipynb`` ... in order, then the book pages; or those
    named in ``only`` (``["S02", "movies"]``)."""
    sections = sorted(path for path in folder.glob("S[0-9][0-9]_*.ipynb")
                      if ".partial" not in path.name)
    named = {path.name[:3]: path for path in sections}
    named.update({page: book / f"{page}.ipynb" for page in BOOK_PAGES})
    if not only:
        return list(named.values())
    unknown = [name for name in only if name.upper() not in named and name not in named]
    if unknown:
        raise ValueError(f"no notebook called {', '.join(unknown)}: available are "
                         f"{', '.join(named)}")
    return [named.get(name.upper(), named.get(name)) for name in only]


IOPUB_TIMEOUT_S = 60
"""How long a finished cell's output may take to arrive: nbclient's 4 s failed a cell that
had run LAMMPS in the kernel while two trainings held both cores."""


def execute(path: Path, parameters: dict) -> NotebookRun:
    """Run ``path`` with papermill, passing those of ``parameters`` it declares."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    declared = papermill.inspect_notebook(str(path))
    chosen = {key: value for key, value in parameters.items() if key in declared}
    partial = partial_path(path)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(path), str(partial), parameters=chosen,
                                   kernel_name="python3", progress_bar=False,
                                   cwd=str(path.parent),
                                   kernel_manager_class=_kernel_manager_class(),
                                   iopub_timeout=IOPUB_TIMEOUT_S)
    except PapermillExecutionError as error:
        partial.unlink(missing_ok=True)
        return NotebookRun(path.stem, time.perf_counter() - start,
                           f"cell {error.cell_index} (execution count {error.exec_count}): "
                           f"{error.ename}: {error.evalue}")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _hide_injected_parameters(partial, path)
    os.replace(partial, path)
    return NotebookRun(path.stem, time.perf_counter() - start)


def _hide_injected_parameters(path: Path, final: Path | None = None) -> None:
    """Tag papermill's injected-parameters cell ``remove-cell`` (the book shows the
    notebook's own parameters cell, not a second copy of it), and record papermill's input
    and output as the notebook's own name (``final``), so the committed notebook does not
    carry the absolute paths and partial names of the machine that executed it."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    record = notebook.metadata.get("papermill")
    if record is not None:
        name = Path(final or path).name
        record["input_path"] = record["output_path"] = name
    nbformat.write(notebook, path)


def reproduce(profile: str = "quick", only: list[str] | None = None, seed: int = 1,
              device: str = "cpu", retrain: bool = False, keep_going: bool = False,
              jobs: int = 1, report=print, remeasure: bool = False) -> list[NotebookRun]:
    """Execute the chosen notebooks, ``jobs`` at a time: the sections and the book pages,
    the longest first (:func:`longest_first`), then the :data:`SUMMARY_PAGES` one by one.
    Stop starting new notebooks at the first failure unless ``keep_going``. ``report`` receives a line as
    each notebook starts and as it finishes; each finished run is added to the run record
    (:func:`~ogn_lib.book.run_record.record_run`). ``retrain`` and ``remeasure`` reach
    the notebooks that declare them: train the models, measure the recorded MD measures
    (:mod:`ogn_lib.studies.recorded_measures`) again."""
    parameters = {"profile": profile, "seed": seed, "device": device, "retrain": retrain,
                  "remeasure": remeasure}
    paths = runnable_notebooks(only)
    pages = longest_first([path for path in paths if path.stem not in SUMMARY_PAGES],
                          expected_seconds(results_root()))
    stages = [(pages, jobs)] + [
        ([path], 1) for name in SUMMARY_PAGES for path in paths if path.stem == name]
    progress = Progress(len(paths), report)
    runs = []
    for stage, workers in stages:
        if runs and not keep_going and not all(run.ok for run in runs):
            break
        runs += execute_all(stage, parameters, workers, keep_going, progress, results_root())
    return runs


def longest_first(paths: list[Path], seconds: dict[str, float]) -> list[Path]:
    """``paths`` by their expected ``seconds`` (page name -> seconds), longest first, so
    that a long page does not start last and leave a worker idle; a page without an
    expected time first of all (it is unknown), then in the given order."""
    known = [path for path in paths if path.stem in seconds]
    return ([path for path in paths if path.stem not in seconds]
            + sorted(known, key=lambda path: -seconds[path.stem]))


class Progress:
    """One line per notebook as it starts and as it finishes, with how many of ``total``
    are done and running, so that a reader who waits knows how far the run is."""

    def __init__(self, total: int, report=print):
        self.total, self.report = total, report
        self.started = self.finished = 0
        self.seconds = 0.0
        self._lock = threading.Lock()

    def start(self, name: str) -> None:
        with self._lock:
            self.started += 1
            running = self.started - self.finished
            self.report(f"{name:<14} started    ({self.started} of {self.total}; "
                        f"{running} running)")

    def finish(self, run: NotebookRun) -> None:
        with self._lock:
            self.finished += 1
            self.seconds += run.seconds
            status = "ok" if run.ok else f"FAILED at {run.error}"
            left = self.total - self.finished
            self.report(f"{run.name:<14} {run.seconds:7.1f} s  {status}  ({self.finished} of "
                        f"{self.total} done, {left} left; {self.seconds / 60:.1f} "
                        "notebook-minutes so far)")


def execute_all(paths: list[Path], parameters: dict, jobs: int = 1,
                keep_going: bool = False, progress: Progress | None = None,
                record_folder: Path | None = None) -> list[NotebookRun]:
    """Execute ``paths`` on ``jobs`` workers (each notebook has its own kernel process);
    return the runs of those that were started, in the order of ``paths``. After a failure,
    notebooks not yet started are skipped unless ``keep_going``. Ctrl-C stops the running
    notebooks (:func:`_stop_kernels`), leaves them as they were, starts no other and
    raises ``KeyboardInterrupt``. ``progress`` reports each start and finish (by default
    printed); with ``record_folder`` each finished run joins the run record there."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    progress = progress or Progress(len(paths))
    failed, interrupted = threading.Event(), threading.Event()

    def run_one(path: Path) -> NotebookRun | None:
        if (failed.is_set() and not keep_going) or interrupted.is_set():
            return None
        progress.start(path.stem)
        run = execute(path, parameters)
        if interrupted.is_set():  # the cell's error is the interrupt
            return None
        if not run.ok:
            failed.set()
        if record_folder is not None:
            record_run(run.name, run.seconds, run.ok, parameters.get("profile", ""),
                       record_folder)
        progress.finish(run)
        return run

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_one, path) for path in paths]
        try:
            runs = [future.result() for future in futures]
        except KeyboardInterrupt:
            interrupted.set()
            _stop_kernels(futures)
            raise
    return [run for run in runs if run is not None]


@functools.cache
def _kernel_manager_class():
    """jupyter_client's kernel manager, remembering every instance, so that Ctrl-C reaches
    the kernels that papermill starts in the worker threads."""
    from jupyter_client.manager import AsyncKernelManager

    class RememberedKernelManager(AsyncKernelManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            with _KERNEL_MANAGERS_LOCK:
                _KERNEL_MANAGERS.add(self)

    return RememberedKernelManager


def _signal_kernels(signum: int) -> None:
    """Send ``signum`` to the process group of every running kernel (the kernel and the
    processes it started)."""
    with _KERNEL_MANAGERS_LOCK:
        managers = list(_KERNEL_MANAGERS)
    for manager in managers:
        group = getattr(manager.provisioner, "pgid", None)
        if manager.has_kernel and group:
            try:
                os.killpg(group, signum)
            except ProcessLookupError:
                pass


def _stop_kernels(futures) -> None:
    """Interrupt the running notebooks' cells (SIGINT, Jupyter's interrupt); kill the
    kernels still running :data:`KERNEL_GRACE_S` later or at a second Ctrl-C, and any
    that starts meanwhile, until every worker has returned."""
    _signal_kernels(signal.SIGINT)
    try:
        wait(futures, timeout=KERNEL_GRACE_S)
    except KeyboardInterrupt:
        pass
    while not all(future.done() for future in futures):
        _signal_kernels(signal.SIGKILL)
        wait(futures, timeout=0.5)


def build_book(strict: bool = True) -> None:
    """``jupyter-book build`` of the repository (notebooks are not re-executed)."""
    # --all: Sphinx does not see new movie files in _static as a reason to rebuild.
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", "--all",
               str(REPOSITORY_ROOT)]
    if strict:
        command += ["-W", "-n", "--keep-going"]
    subprocess.run(command, check=True, cwd=REPOSITORY_ROOT)
