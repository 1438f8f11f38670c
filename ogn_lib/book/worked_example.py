"""The book's worked example: a researcher's own MD run through ogn.

A plain LAMMPS input script of the repository (``examples/lj_liquid/in.lj``: a
single-species Lennard-Jones liquid, none of ogn's systems) is run once per seed; its dumps
are brought in with :func:`~ogn_lib.data.imports.import_trajectory` (``ogn convert``) into
a data folder of ``train/`` and ``test/`` trajectories, on which
:func:`~ogn_lib.learn.trained_models.train_on_folder` (``ogn train --data``) trains. The
:data:`SYSTEM` says what the script simulates, so that the MD baselines of the accuracy
curves can run it too.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from ogn_lib.data.imports import RunDescription, import_trajectory
from ogn_lib.data.sidecar import TrajectoryError
from ogn_lib.data.trajectory import validate
from ogn_lib.files import file_sha256
from ogn_lib.md.lammps import run_script
from ogn_lib.md.systems import LennardJones, LennardJonesPair, Species, System
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.units import LJ_UNITS

SCRIPT = REPOSITORY_ROOT / "examples" / "lj_liquid" / "in.lj"
SYSTEM = System(
    name="my-lj", title="single-species Lennard-Jones liquid (examples/lj_liquid/in.lj)",
    species=(Species("A", 1.0),), composition=(1.0,),
    potential=LennardJones({("A", "A"): LennardJonesPair(epsilon=1.0, sigma=1.0)}),
    units=LJ_UNITS, dt=0.005, number_density=0.85, temperature=1.5,
    rationale="What the example script runs: fcc melted at density 0.85 and held at T = 1.5 "
              "by Nose-Hoover, then NVE.")
"""The system of the example script, in ogn's terms (for the MD baselines only)."""
DESCRIPTION = RunDescription(system=SYSTEM.name, dt=SYSTEM.dt, units=SYSTEM.units.name,
                             type_names=SYSTEM.type_names, masses=(1.0,),
                             temperature=SYSTEM.temperature)
"""What the script's dumps do not say: the MD step, units, type name and mass."""


@dataclass(frozen=True)
class ExampleRuns:
    """The runs of the example script: ``cells``^3 fcc cells of 4 atoms, equilibrated for
    ``equilibration`` MD steps and recorded every ``every`` step over ``steps``; one run
    per seed, the ``train_seeds`` for training and the ``test_seeds`` held out."""

    cells: int = 4
    equilibration: int = 2000
    steps: int = 1000
    every: int = 5
    train_seeds: tuple[int, ...] = (1, 2, 3, 4)
    test_seeds: tuple[int, ...] = (5,)

    def key(self) -> str:
        """Hash of the runs and of the script: a data folder of its own for each."""
        payload = json.dumps({**asdict(self), "script": file_sha256(SCRIPT)}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]


def example_data(root: Path, runs: ExampleRuns = ExampleRuns()) -> Path:
    """The data folder of ``runs`` under ``root`` (``lj-liquid-<key>/train``, ``/test``):
    each run's trajectory is reused when it is there and whole (its sidecar's SHA-256
    matches), otherwise the script is run and its dump converted."""
    folder = Path(root) / f"lj-liquid-{runs.key()}"
    for role, seeds in (("train", runs.train_seeds), ("test", runs.test_seeds)):
        for seed in seeds:
            target = folder / role / f"seed-{seed}.gsd"
            try:
                validate(target)
                continue
            except TrajectoryError:
                for stale in (target, target.with_suffix(".json")):
                    stale.unlink(missing_ok=True)
            with tempfile.TemporaryDirectory() as scratch:
                run_script(SCRIPT, {"cells": runs.cells, "equilibration": runs.equilibration,
                                    "steps": runs.steps, "every": runs.every, "seed": seed},
                           Path(scratch))
                import_trajectory(Path(scratch) / "liquid.dump", target, DESCRIPTION)
    return folder


def accuracy_figure(curves: list):
    """The page's figure: position (A) and velocity (B) RMSE per atom of the OGN and the
    baselines against MD steps, means over the starts' ``curves``
    (:class:`~ogn_lib.analysis.accuracy.AccuracyCurves`), with one legend under both
    panels, where it covers no curve."""
    import matplotlib.pyplot as plt

    from ogn_lib.book.plots import plot_accuracy

    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.6), layout="constrained")
    for ax, quantity, units in ((axes[0], "position", SYSTEM.units.length),
                                (axes[1], "velocity", SYSTEM.units.velocity)):
        plot_accuracy(ax, curves, quantity, units)
        ax.set_title(f"({'AB'[quantity == 'velocity']}) {quantity} RMSE per atom, mean of "
                     f"{len(curves)} starts", fontsize=8.5)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=5,
               fontsize=8, frameon=False)
    return fig
