"""MD measurements made once and recorded, read by the pages instead of long MD runs that
a fresh ``make book`` would otherwise spend most of its data step on (issue 31): S2's cage
lengths from the extra independent runs of each liquid and its temperature scans, S11's
cooling-rate scan, and the ground-truth page's second LAMMPS run of the liquids both
engines run.

A record holds the measure's result and its provenance. Its name carries a hash of
everything that determines the result: the measure's name, the profile, the file names of
the trajectories it reads (each a hash of what determines the trajectory: system,
protocol, seed, MD engine and release; :mod:`ogn_lib.data.catalogue`), the source of the
measuring function and its arguments. A changed parameter, engine or function therefore
misses the record: the page makes the trajectories, measures them and writes the new
record (atomically). ``remeasure=True`` (``ogn reproduce --remeasure``) does so even when
the record exists. The hash covers the measuring function's own source, not the helpers it
calls: a change there needs ``--remeasure`` (the test of the records checks that every
record the quick pages need exists).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ogn_lib.analysis.claims import LIQUIDS
from ogn_lib.analysis.dynamics import (
    CAGE_RULES,
    CageScan,
    cage_length,
    cage_length_by_slope,
    cage_lengths_by_temperature,
    rms_speed,
    rmsd_curve,
)
from ogn_lib.analysis.fictive import (
    GLASS_WINDOW,
    LIQUID_WINDOW,
    FictiveTemperatureScan,
    fictive_temperature_by_rate,
)
from ogn_lib.analysis.run_windows import window_ratios
from ogn_lib.analysis.system_validation import VALIDATION_SETTINGS, ValidationSettings
from ogn_lib.data.catalogue import ensure_group, trajectory_paths
from ogn_lib.data.trajectory import Trajectory, read_trajectory
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.trained_models import data_sha256
from ogn_lib.md.engines import engine_runs
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.revision import code_revision

MEASURES_FOLDER = REPOSITORY_ROOT / "data" / "shipped" / "measures"

CAGE_RUNS = 4
"""Independent MD runs of each liquid behind S2's cage length (seeds ``seed`` ..
``seed + 3``): the first is measured on the page, the others recorded."""

ENGINE_LIQUIDS = tuple(name for name in LIQUIDS if engine_runs("hoomd", SYSTEMS[name]))
"""The liquids both MD engines run (KA-LJ and silica, HOOMD-blue's systems), which the
ground-truth page compares them on."""

ENGINE_LIQUID_GROUP = "msd"
"""The group each engine makes of a liquid for the engines' comparison: its long NVE run."""

ENGINE_CONTROL_GROUP = "cage-scan"
"""LAMMPS's temperature scan, whose run at the liquid's temperature is a second LAMMPS run
of the same liquid (another seed): the spread between two runs of one engine."""

RECORDABLE = (CageScan, FictiveTemperatureScan)
"""The result types a record may hold besides arrays, lists and numbers."""


@dataclass(frozen=True)
class Source:
    """Trajectories a measure reads: a group of the catalogue at one base seed."""

    group: str
    base_seed: int = 1


@dataclass(frozen=True)
class Measure:
    """``function(trajectories, **arguments)`` over the trajectories of ``sources``,
    recorded under ``name``."""

    name: str
    sources: tuple[Source, ...]
    function: Callable[..., object]
    arguments: tuple[tuple[str, object], ...] = ()

    def key(self, profile: str) -> str:
        """SHA-256 (first 12 hex digits) of everything that determines the result;
        computed from the catalogue alone, without the trajectories."""
        files = [path.name for source in self.sources
                 for path in trajectory_paths(profile, source.group, base_seed=source.base_seed)]
        source_code = inspect.getsource(self.function).encode()
        determinants = {"name": self.name, "profile": profile, "files": files,
                        "function": _qualified(self.function),
                        "source_sha256": hashlib.sha256(source_code).hexdigest(),
                        "arguments": repr(self.arguments)}
        blob = json.dumps(determinants, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    def path(self, profile: str, folder: Path = MEASURES_FOLDER) -> Path:
        """Where its record is (it may not exist)."""
        return folder / profile / f"{self.name}-{self.key(profile)}.json"

    def result(self, profile: str, remeasure: bool = False, folder: Path = MEASURES_FOLDER):
        """The result: read from its record when one exists for exactly these inputs, else
        measured (making the trajectories that are missing) and recorded."""
        path = self.path(profile, folder)
        if path.exists() and not remeasure:
            return decode(json.loads(path.read_text())["result"])
        paths = [path for source in self.sources
                 for path in ensure_group(profile, source.group, base_seed=source.base_seed)]
        start = time.process_time()
        result = self.function([read_trajectory(path) for path in paths],
                               **dict(self.arguments))
        commit, clean = code_revision("ogn_lib")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, {
            "name": self.name, "profile": profile, "result": encode(result),
            "function": _qualified(self.function),
            "arguments": {key: encode(value) for key, value in self.arguments},
            "sources": [dataclasses.asdict(source) for source in self.sources],
            "files": [path.name for path in paths], "data_sha256": data_sha256(paths),
            "measure_cpu_seconds": round(time.process_time() - start, 1),
            "commit": commit, "library_tree_clean": clean,
            "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        })
        return result


def _qualified(function: Callable) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def encode(value):
    """``value`` as plain JSON: arrays, the :data:`RECORDABLE` dataclasses, dicts, lists,
    numbers; NaN as null."""
    if isinstance(value, RECORDABLE):
        return {"__dataclass__": type(value).__name__,
                "fields": {field.name: encode(getattr(value, field.name))
                           for field in dataclasses.fields(value)}}
    if isinstance(value, np.ndarray):
        return {"__array__": encode(value.tolist())}
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (int, np.integer, str)) or value is None:
        return value.item() if isinstance(value, np.integer) else value
    raise TypeError(f"cannot record a {type(value).__name__}: give arrays, numbers, "
                    f"lists, dicts or one of {', '.join(t.__name__ for t in RECORDABLE)}")


def decode(value):
    """The inverse of :func:`encode` (null inside an array: NaN)."""
    if isinstance(value, dict) and "__dataclass__" in value:
        kind = {cls.__name__: cls for cls in RECORDABLE}[value["__dataclass__"]]
        return kind(**{key: decode(item) for key, item in value["fields"].items()})
    if isinstance(value, dict) and "__array__" in value:
        return np.array(_nan_for_null(value["__array__"]), dtype=float)
    if isinstance(value, dict):
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def _nan_for_null(value):
    if isinstance(value, list):
        return [_nan_for_null(item) for item in value]
    return float("nan") if value is None else value


def cage_lengths_by_rule(trajectories: list[Trajectory]) -> dict[str, np.ndarray]:
    """Both rules' cage lengths (:data:`~ogn_lib.analysis.dynamics.CAGE_RULES`) of each
    run, in length units."""
    curves = [(rmsd_curve(run), rms_speed(run)) for run in trajectories]
    return {CAGE_RULES[0]: np.array([cage_length(curve, speed).value for curve, speed in curves]),
            CAGE_RULES[1]: np.array([cage_length_by_slope(curve) for curve, _ in curves])}


def cage_lengths_measure(name: str, seed: int = 1, runs: int = CAGE_RUNS) -> Measure:
    """Both rules' cage lengths of liquid ``name``'s extra independent runs: the ``msd``
    group at seeds ``seed + 1`` .. ``seed + runs - 1``."""
    return Measure(f"cage-lengths-{name}",
                   tuple(Source(f"{name}-msd", base_seed)
                         for base_seed in range(seed + 1, seed + runs)),
                   cage_lengths_by_rule)


def cage_scan_measure(name: str, seed: int = 1) -> Measure:
    """Both rules' cage lengths over liquid ``name``'s temperature scan (``cage-scan``)."""
    return Measure(f"cage-scan-{name}", (Source(f"{name}-cage-scan", seed),),
                   cage_lengths_by_temperature)


def quench_rate_measure(seed: int = 1, liquid_window: tuple[float, float] = LIQUID_WINDOW,
                        glass_window: tuple[float, float] = GLASS_WINDOW) -> Measure:
    """S11's fictive temperatures against cooling rate (``lj-quench-rate``) by both rules,
    the two lines fitted on ``liquid_window`` and ``glass_window``."""
    return Measure("quench-rate-scan", (Source("lj-quench-rate", seed),),
                   fictive_temperature_by_rate,
                   (("liquid_window", tuple(liquid_window)),
                    ("glass_window", tuple(glass_window))))


def second_run_window_ratios(trajectories: list[Trajectory], temperature: float,
                             r_max: float, q_range: tuple[float, float],
                             shell: tuple[str, str] | None) -> dict[str, np.ndarray]:
    """The window-by-window ratios (:func:`~ogn_lib.analysis.run_windows.window_ratios`)
    of the run at ``temperature`` among ``trajectories[1:]`` (a temperature scan) over
    ``trajectories[0]``, measured with the validation settings ``r_max``, ``q_range`` and
    ``shell`` (:class:`~ogn_lib.analysis.system_validation.ValidationSettings`)."""
    first, *scan = trajectories
    set_points = [getattr(run.metadata, "temperature", None) for run in scan]
    twins = [run for run, set_point in zip(scan, set_points)
             if set_point is not None and math.isclose(set_point, temperature)]
    if len(twins) != 1:
        raise ValueError(f"{len(twins)} runs at T = {temperature:g} in the scan, whose set "
                         f"points are {', '.join(f'{t:g}' for t in set_points if t is not None)}"
                         "; give the liquid's own temperature, at which the scan runs once")
    settings = ValidationSettings(r_max, tuple(q_range), tuple(shell) if shell else None)
    return window_ratios(twins[0], first, settings)


def engine_control_measure(name: str, seed: int = 1) -> Measure:
    """Liquid ``name``'s second LAMMPS run (its :data:`ENGINE_CONTROL_GROUP` run at the
    liquid's temperature) over its first (the :data:`ENGINE_LIQUID_GROUP` run), window by
    window, with the liquid's validation settings."""
    settings = VALIDATION_SETTINGS[name]
    return Measure(f"engine-control-{name}",
                   (Source(f"{name}-{ENGINE_LIQUID_GROUP}", seed),
                    Source(f"{name}-{ENGINE_CONTROL_GROUP}", seed)),
                   second_run_window_ratios,
                   (("temperature", SYSTEMS[name].temperature), ("r_max", settings.r_max),
                    ("q_range", settings.q_range), ("shell", settings.shell)))


def page_measures(seed: int = 1) -> list[Measure]:
    """Every recorded measure the pages read (S2, S11 and the ground-truth page)."""
    return ([cage_lengths_measure(name, seed) for name in LIQUIDS]
            + [cage_scan_measure(name, seed) for name in LIQUIDS] + [quench_rate_measure(seed)]
            + [engine_control_measure(name, seed) for name in ENGINE_LIQUIDS])


def cage_length_runs(profile: str, name: str, seed: int = 1, runs: int = CAGE_RUNS,
                     remeasure: bool = False) -> dict[str, np.ndarray]:
    """Both rules' cage lengths of liquid ``name``'s ``runs`` independent long NVE runs
    (the ``msd`` group at seeds ``seed`` ..), rule -> ``(runs,)``: the first run measured
    here, the others from their record."""
    first = cage_lengths_by_rule(
        [read_trajectory(path) for path in ensure_group(profile, f"{name}-msd", base_seed=seed)])
    if runs == 1:
        return first
    others = cage_lengths_measure(name, seed, runs).result(profile, remeasure)
    return {rule: np.concatenate([first[rule], others[rule]]) for rule in CAGE_RULES}


def cage_scan(profile: str, name: str, seed: int = 1, remeasure: bool = False) -> CageScan:
    """Both rules' cage lengths of liquid ``name`` over its temperature scan, from the
    record."""
    return cage_scan_measure(name, seed).result(profile, remeasure)


def quench_rate_scan(profile: str, seed: int = 1,
                     remeasure: bool = False) -> FictiveTemperatureScan:
    """S11's fictive temperatures against cooling rate, from the record."""
    return quench_rate_measure(seed).result(profile, remeasure)


def engine_control_ratios(profile: str, name: str, seed: int = 1,
                          remeasure: bool = False) -> dict[str, np.ndarray]:
    """Liquid ``name``'s second LAMMPS run over its first, each quantity's ratio per
    window (:func:`engine_control_measure`), from the record."""
    return engine_control_measure(name, seed).result(profile, remeasure)
