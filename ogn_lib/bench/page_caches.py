"""Benchmark: the library calls of the two slowest pages, the validation page and S5
(system size), timed with what they keep made afresh, kept in an empty folder (cold) and
read back from it (warm), each checked against the first for the same numbers, bit for bit
(issue 31).

- ``validation``: :func:`~ogn_lib.studies.rollout_validation.validate_system` of every
  system and the LJ glass, as the page calls it. ``afresh`` (``cache=False``) evaluates the
  energies and S(q) peaks as the page did before they were kept; the learned rollouts come
  from the profile's rollout cache in every variant, as on any second build.
- ``S05``: the page's calls: :func:`~ogn_lib.studies.lj_sweeps.lj_sweep` of ``n_atoms``,
  :func:`~ogn_lib.studies.accuracy_curves.curves_over_starts` at the training size and at
  the largest size, and :meth:`~ogn_lib.studies.lj_sweeps.LJSweep.rollout_from` of the
  8000-atom liquid. ``afresh`` runs every rollout and MD baseline, as the page did before;
  the other variants keep them in the folder (the curves with ``cache=setup.cache``).
- ``cold rollouts``: what the validation page's rollouts cost when the rollout cache is
  empty (a fresh clone): one raw NVE rollout of each system over a few predictions, its
  seconds per prediction scaled to the page's (starts x modes x predictions); the
  rescaled and thermostatted ensembles add their own work on top.

Each variant gives every number its page reads (:func:`page_numbers`: every array, number
and string of the results, the trajectories themselves left out); ``identical`` says
whether they equal the ``afresh`` variant's, NaN equal to NaN, and
``identical_to_reference`` whether they equal numbers saved by the code before the caches
(a pickle of :func:`page_numbers`, when given). Wall and CPU seconds of one process; leave
the cores idle meanwhile (the load average is recorded).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

VARIANTS = ("afresh", "cold", "warm")
"""Nothing kept (the pages before); kept in an empty folder; read back from it."""

SKIPPED = {"Trajectory", "LearnedSimulator", "Configuration"}
"""Classes :func:`page_numbers` leaves out: the data a page reads, not what it shows."""


def page_numbers(value, prefix: str = "") -> dict[str, np.ndarray]:
    """Every number and string of ``value`` (dataclasses, dicts, lists, arrays), by path."""
    if type(value).__name__ in SKIPPED:
        return {}
    if dataclasses.is_dataclass(value):
        items = [(field.name, getattr(value, field.name))
                 for field in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)) and not all(
            isinstance(item, (int, float, str)) for item in value):
        items = list(enumerate(value))
    else:
        return {prefix: np.asarray("None" if value is None else value)}
    found = {}
    for name, item in items:
        found.update(page_numbers(item, f"{prefix}/{name}"))
    return found


def differences(found: dict[str, np.ndarray], reference: dict[str, np.ndarray]) -> list[str]:
    """The paths whose values differ (or exist in one only)."""
    names = sorted(set(found) | set(reference))
    return [name for name in names if name not in found or name not in reference
            or not _equal(found[name], reference[name])]


def _equal(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype.kind in "fc" and b.dtype.kind in "fc":
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    return a.shape == b.shape and bool(np.array_equal(a, b))


def timed(call: Callable):
    """``(result, wall seconds, CPU seconds)`` of ``call()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def validation_calls(profile: str, seed: int, cache) -> tuple[dict, dict]:
    """The page's validations and the seconds of each system."""
    from ogn_lib import md
    from ogn_lib.studies.rollout_validation import validate_system

    results, seconds = {}, {}
    for name in [*md.SYSTEMS, "lj-glass"]:
        results[name], wall, cpu = timed(
            lambda name=name: validate_system(profile, name, 2000, seed=seed, cache=cache))
        seconds[name] = {"wall": wall, "cpu": cpu}
    return results, seconds


def s05_calls(profile: str, seed: int, cache) -> tuple[dict, dict]:
    """S5's results and the seconds of each call, as the page makes them."""
    from ogn_lib.analysis.claims import LARGEST_SIZE, ROLLOUT_MD_STEPS
    from ogn_lib.data.catalogue import ensure_group
    from ogn_lib.data.trajectory import read_trajectory
    from ogn_lib.studies.accuracy_curves import curves_over_starts
    from ogn_lib.studies.lj_sweeps import lj_sweep

    seconds = {}
    setup, *seconds["sweep"] = timed(lambda: lj_sweep(profile, "n_atoms", seed, cache=cache))
    k, n_starts = setup.k, 4
    tests = [read_trajectory(path) for path in ensure_group(profile, "lj-test", base_seed=seed)]
    largest = [truth for truth in setup.truths if len(truth.typeids) == LARGEST_SIZE]
    largest += [read_trajectory(path) for base_seed in range(seed + 1, seed + n_starts)
                for path in ensure_group(profile, "lj-size", base_seed=base_seed,
                                         n_atoms=LARGEST_SIZE)]
    training, *seconds["training-size curves"] = timed(lambda: curves_over_starts(
        setup.model, tests, n_starts, ROLLOUT_MD_STEPS // k, cache=setup.cache))
    largest_curves, *seconds["largest-size curves"] = timed(lambda: curves_over_starts(
        setup.model, largest, n_starts, ROLLOUT_MD_STEPS // k, cache=setup.cache))
    large = next(truth for truth in setup.truths if len(truth.typeids) == 8000)
    comparison, *seconds["rollout_from(8000)"] = timed(lambda: setup.rollout_from(large))
    results = {"sweep": setup.sweep, "training": training, "largest": largest_curves,
               "comparison": comparison}
    return results, {name: {"wall": wall, "cpu": cpu} for name, (wall, cpu) in seconds.items()}


PAGES = {"validation": validation_calls, "S05": s05_calls}


def page_variants(page: str, profile: str, seed: int, folder: Path,
                  before: dict[str, np.ndarray] | None = None) -> dict:
    """The seconds of each of :data:`VARIANTS` of ``page`` and whether each gives the
    numbers of ``afresh`` (and of ``before``, numbers the code before the caches gave);
    ``folder`` must be empty (it is the cold variant's)."""
    calls = PAGES[page]
    report, reference = {}, None
    for variant in VARIANTS:
        results, seconds = calls(profile, seed, False if variant == "afresh" else folder)
        numbers = page_numbers(results)
        reference = numbers if reference is None else reference
        differ = differences(numbers, reference)
        report[variant] = {"seconds": seconds,
                           "total_wall": sum(s["wall"] for s in seconds.values()),
                           "total_cpu": sum(s["cpu"] for s in seconds.values()),
                           "numbers": len(numbers), "identical": not differ,
                           "differing": differ[:20]}
        if before is not None:
            report[variant]["identical_to_reference"] = not differences(numbers, before)
    report["kept_megabytes"] = sum(p.stat().st_size for p in folder.glob("*.npz")) / 1e6
    return report


def cold_rollouts(profile: str, n_predictions: int = 20) -> dict:
    """Seconds per prediction of one uncached raw NVE rollout of each validated system
    from its first start, scaled to the validation page's rollouts."""
    import torch

    from ogn_lib import md
    from ogn_lib.learn.rollout import rollout_until_blow_up
    from ogn_lib.learn.trained_models import load_shipped
    from ogn_lib.studies.rollout_validation import MODES, N_STARTS, validation_truths

    torch.set_num_threads(1)
    found = {}
    for name in [*md.SYSTEMS, "lj-glass"]:
        simulator, _ = load_shipped(profile, name, "fast")
        start = validation_truths(profile, name, 2000, 1)[0].configuration(0)
        _, wall, cpu = timed(lambda simulator=simulator, start=start: rollout_until_blow_up(
            simulator, start, n_predictions))
        per_rollout = 2000 // simulator.spec.k_steps
        found[name] = {"n_atoms": start.n_atoms, "k_steps": simulator.spec.k_steps,
                       "wall_per_prediction": wall / n_predictions,
                       "cpu_per_prediction": cpu / n_predictions,
                       "page_rollouts": N_STARTS * len(MODES),
                       "page_cpu_estimate": cpu / n_predictions * per_rollout * N_STARTS
                       * len(MODES)}
    found["total_page_cpu_estimate"] = sum(v["page_cpu_estimate"] for v in found.values())
    return found


def benchmark(profile: str = "quick", seed: int = 1, pages: tuple[str, ...] = tuple(PAGES),
              cold_predictions: int = 20,
              before: dict[str, dict[str, np.ndarray]] | None = None) -> dict:
    """Every page of ``pages`` in every variant (checked against ``before[page]`` where
    given), and the cold rollouts' estimate (none for ``cold_predictions=0``)."""
    from ogn_lib.machine import describe_machine

    report = {"machine": describe_machine(), "profile": profile, "seed": seed,
              "threads": os.environ.get("OMP_NUM_THREADS"),
              "load_average_start": os.getloadavg()}
    for page in pages:
        folder = Path(tempfile.mkdtemp(prefix=f"ogn-{page}-"))
        try:
            report[page] = page_variants(page, profile, seed, folder,
                                         (before or {}).get(page))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if cold_predictions:
        report["cold rollouts"] = cold_rollouts(profile, cold_predictions)
    report["load_average_end"] = os.getloadavg()
    return report
