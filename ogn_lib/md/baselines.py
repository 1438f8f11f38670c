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
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ogn_lib.configuration import Configuration
from ogn_lib.md.engines import open_simulation
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
                        n_predictions: int) -> MDBaseline:
    """NVE from ``start`` with the MD step multiplied by ``k_steps``, ``n_predictions``
    steps; frame i corresponds to original MD step ``i * k_steps``."""
    if k_steps < 1:
        raise ValueError(f"k_steps={k_steps} must be a positive integer")
    coarse = replace(system, dt=system.dt * k_steps)
    result = same_start(coarse, start, n_predictions, 1)
    return replace(result, k_steps=k_steps,
                   frames=[replace(f, step=start.step + i * k_steps)
                           for i, f in enumerate(result.frames)])


def chaos_floor(system: System, start: Configuration, n_steps: int,
                period_steps: int = 1) -> MDBaseline:
    """The same MD restarted from ``start`` (as saved: float32 positions and velocities),
    recorded every ``period_steps`` MD steps."""
    return same_start(system, start, n_steps, period_steps)


def same_start(system: System, start: Configuration, n_steps: int, period_steps: int = 1,
               engine: str = "lammps") -> MDBaseline:
    """NVE of ``system`` from ``start`` by ``engine`` for ``n_steps`` MD steps, recorded
    every ``period_steps``: the chaos floor by LAMMPS, the other engine's twin by
    HOOMD-blue; cut where it blows up (:func:`cut_at_blow_up`)."""
    recorder = _Recorder(period_steps)
    failure = ""
    simulation = open_simulation(engine, system, seed=1)  # a missing engine raises here
    try:
        with simulation:
            simulation.load(start)
            simulation.run(n_steps, recorder)
    except Exception as error:  # LAMMPS raises a bare Exception when atoms are lost
        failure = str(error).splitlines()[0]
    return cut_at_blow_up(MDBaseline(recorder.frames, period_steps, failure=failure), start)
