"""Baselines that MD itself provides, beside every accuracy figure of the learned simulator.

- **MD with a k-fold larger step**: the honest competitor of a simulator that predicts k
  MD steps at once. It may blow up (atoms lost, or heated far beyond its start), which is
  itself the answer.
- **Chaos floor**: the same MD restarted from the saved, float32-rounded state. Its
  divergence from the original trajectory comes only from rounding amplified by chaos;
  no simulator can be expected to follow the truth more closely.
- **The same MD by another engine** (:func:`same_start` with ``engine="hoomd"``): how far
  HOOMD-blue's trajectory from the same saved state departs from LAMMPS's, beside the
  chaos floor (the ground-truth page).

Each is a deterministic run from a saved start; with a ``cache`` folder it is made once
and read back bit for bit later (:mod:`ogn_lib.kept_runs`), named by a hash of the start,
the run's length and period, the system and the engine's release (:func:`run_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ogn_lib.configuration import Configuration
from ogn_lib.kept_runs import configuration_arrays, kept_run
from ogn_lib.keyed_arrays import content_key
from ogn_lib.md.engines import md_record, open_simulation
from ogn_lib.md.systems import System
from ogn_lib.thermo import kinetic_temperature


class _Recorder:
    """Keeps the engine's configurations in memory, every ``period_steps``."""

    def __init__(self, period_steps: int):
        self.period_steps = period_steps
        self.frames: list[Configuration] = []

    def append(self, configuration: Configuration) -> None:
        self.frames.append(configuration)


@dataclass(frozen=True)
class MDBaseline:
    """Frames of a baseline run, one every ``k_steps`` original MD steps.

    ``frames[i]`` is the state after ``i * k_steps`` original MD steps (frame 0 = start).
    ``failure`` names why the run stopped early (e.g. LAMMPS lost atoms), else "".
    """

    frames: list
    k_steps: int
    failure: str = ""


RUN_FORMAT = 1
"""Bumped when the way a baseline is run or kept changes, so kept runs are made again."""

SEED = 1
"""The engine's random seed: NVE draws no random numbers, but a simulation is opened with
one."""

BLOW_UP_HEATING = 10.0
"""A baseline whose kinetic temperature rises above this multiple of its start's has blown
up: NVE of a liquid in equilibrium keeps its temperature within percent, and an MD step
too long for the forces heats the system without bound (LAMMPS notices only later, when
atoms leave the box)."""


def _then(failure: str) -> str:
    """The engine's own later failure, in a few words for the blow-up's reason."""
    if not failure:
        return ""
    if "Lost atoms" in failure:
        return "; LAMMPS then lost atoms"
    return f"; then: {failure.splitlines()[0][:80]}"


def cut_at_blow_up(run: MDBaseline, start: Configuration) -> MDBaseline:
    """``run`` up to its first frame that is :data:`BLOW_UP_HEATING` times hotter than
    ``start``, failed there (with the engine's own later failure, if any, in a few
    words)."""
    limit = BLOW_UP_HEATING * kinetic_temperature(start.masses, start.velocities)
    if not limit > 0:  # a start at rest: no scale to heat against
        return run
    for index, frame in enumerate(run.frames):
        heating = kinetic_temperature(frame.masses, frame.velocities)
        if not heating <= limit:  # NaN too
            return replace(run, frames=run.frames[:index], failure=(
                f"blew up within {index * run.k_steps} MD steps (kinetic temperature above "
                f"{BLOW_UP_HEATING:g} times the start's{_then(run.failure)})"))
    return run


def md_with_larger_step(system: System, start: Configuration, k_steps: int,
                        n_predictions: int, cache: Path | None = None) -> MDBaseline:
    """NVE from ``start`` with the MD step multiplied by ``k_steps``, ``n_predictions``
    steps; frame i corresponds to original MD step ``i * k_steps``; kept in ``cache``
    when given (:func:`same_start`)."""
    if k_steps < 1:
        raise ValueError(f"k_steps={k_steps} must be a positive integer")
    coarse = replace(system, dt=system.dt * k_steps)
    result = same_start(coarse, start, n_predictions, 1, cache=cache)
    return replace(result, k_steps=k_steps,
                   frames=[replace(f, step=start.step + i * k_steps)
                           for i, f in enumerate(result.frames)])


def chaos_floor(system: System, start: Configuration, n_steps: int,
                period_steps: int = 1, cache: Path | None = None) -> MDBaseline:
    """The same MD restarted from ``start`` (as saved: float32 positions and velocities),
    recorded every ``period_steps`` MD steps; kept in ``cache`` when given
    (:func:`same_start`)."""
    return same_start(system, start, n_steps, period_steps, cache=cache)


def run_key(system: System, start: Configuration, n_steps: int, period_steps: int,
            engine: str) -> str:
    """The SHA-256 (hex) of everything that determines :func:`same_start`'s run."""
    return content_key({"format": RUN_FORMAT, **md_record(system, engine), "seed": SEED,
                        "n_steps": int(n_steps), "period_steps": int(period_steps),
                        "type_names": list(start.type_names), "step": int(start.step)},
                       configuration_arrays(start))


def same_start(system: System, start: Configuration, n_steps: int, period_steps: int = 1,
               engine: str = "lammps", cache: Path | None = None) -> MDBaseline:
    """NVE of ``system`` from ``start`` by ``engine`` for ``n_steps`` MD steps, recorded
    every ``period_steps``: the chaos floor by LAMMPS, the other engine's twin by
    HOOMD-blue; cut where it blows up (:func:`cut_at_blow_up`). With a ``cache`` folder
    the run is read from there when an earlier call made it (:func:`run_key`), else run
    and kept there."""
    if cache is None:
        return _run(system, start, n_steps, period_steps, engine)

    def make():
        run = _run(system, start, n_steps, period_steps, engine)
        return run.frames, run.failure

    frames, failure = kept_run(cache, "md", run_key(system, start, n_steps, period_steps,
                                                     engine), make)
    return MDBaseline(frames, period_steps, failure=failure)


def _run(system: System, start: Configuration, n_steps: int, period_steps: int,
         engine: str) -> MDBaseline:
    recorder = _Recorder(period_steps)
    failure = ""
    simulation = open_simulation(engine, system, seed=SEED)  # a missing engine raises here
    try:
        with simulation:
            simulation.load(start)
            simulation.run(n_steps, recorder)
    except Exception as error:  # LAMMPS raises a bare Exception when atoms are lost
        failure = str(error).splitlines()[0]
    return cut_at_blow_up(MDBaseline(recorder.frames, period_steps, failure=failure), start)
