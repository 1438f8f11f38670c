"""The three sweeps of a condition of the KA-LJ liquid (S5 system size, S6 temperature, S7
density), set up alike: the profile's Fast-OGN of the liquid (shipped, or trained here),
the test trajectories made at each value of the swept condition (made when missing), and
the accuracy of the OGN and of every baseline :data:`~ogn_lib.analysis.claims.ROLLOUT_MD_STEPS`
MD steps after each start (:func:`~ogn_lib.studies.accuracy_sweep.accuracy_sweep`).

:func:`lj_sweep` is what the three sections call; :func:`measure_sweep` is its measuring
half, for a model and trajectories at hand. The runs (rollouts and MD baselines) are kept
in the profile's cache folder (:func:`~ogn_lib.paths.cache_folder`): a second build scores
the same runs without making them again, and :meth:`LJSweep.rollout_from` reads the sweep's
own rollout from the same start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ogn_lib.analysis.claims import ROLLOUT_MD_STEPS
from ogn_lib.analysis.rollout_comparison import RolloutComparison
from ogn_lib.analysis.sweeps import AccuracySweep
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import Trajectory, read_trajectory
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.paths import chosen_cache
from ogn_lib.studies.accuracy_sweep import accuracy_sweep
from ogn_lib.studies.profile_models import trained_simulator
from ogn_lib.studies.rollout_comparison import compare_rollout

SWEPT_GROUPS = {"n_atoms": "lj-size", "temperature": "lj-temperature",
                "number_density": "lj-density"}
"""The protocol parameter each sweep varies -> the catalogue's group of its test
trajectories."""


@dataclass(frozen=True)
class LJSweep:
    """A Fast-OGN of KA-LJ scored at every value of one swept condition.

    Attributes:
        model: the learned simulator, on the device it was asked for.
        description: which weights it has (shipped or trained here), for the page.
        truths: the test trajectories of the sweep, as the catalogue lists them.
        sweep: the errors of the OGN and of every baseline at each swept value.
        cache: where its runs are kept (None: nowhere), for the page's other curves of
            the same model (``curves_over_starts(..., cache=setup.cache)``).
    """

    model: LearnedSimulator
    description: str
    truths: list[Trajectory]
    sweep: AccuracySweep
    cache: Path | None = None

    @property
    def k(self) -> int:
        """MD steps per prediction of :attr:`model`."""
        return self.model.spec.k_steps

    def rollout_from(self, truth: Trajectory) -> RolloutComparison:
        """The OGN rolled out from the first frame of ``truth`` over the sweep's MD steps,
        beside the truth, atom by atom."""
        return compare_rollout(self.model, truth, 0, self.sweep.md_steps // self.k, self.cache)


def measure_sweep(model: LearnedSimulator, description: str, truths: list[Trajectory],
                  parameter: str, start_frames: tuple[int, ...] = (0,),
                  md_steps: int = ROLLOUT_MD_STEPS, cache: Path | None = None) -> LJSweep:
    """Score ``model`` and every baseline ``md_steps`` MD steps after each start frame of
    each trajectory of ``truths``, grouped by their value of ``parameter``; the runs are
    kept in ``cache`` when given."""
    sweep = accuracy_sweep(model, truths, parameter, md_steps=md_steps,
                           start_frames=start_frames, cache=cache)
    return LJSweep(model, description, truths, sweep, cache)


def lj_sweep(profile: str, parameter: str, seed: int, device: str = "cpu",
             retrain: bool = False, start_frames: tuple[int, ...] = (0,),
             cache: bool | Path = True) -> LJSweep:
    """The sweep of ``parameter`` (a key of :data:`SWEPT_GROUPS`) of profile ``profile``:
    its Fast-OGN of KA-LJ (:func:`~ogn_lib.studies.profile_models.trained_simulator`,
    ``retrain`` as there) on ``device``, scored from ``start_frames`` of each test
    trajectory of base seed ``seed``. Its runs are kept in the profile's cache folder
    (``cache=True``), in another folder, or nowhere (``False``: all made afresh)."""
    if parameter not in SWEPT_GROUPS:
        raise ValueError(f"parameter {parameter!r} is not swept on KA-LJ: choose one of "
                         f"{sorted(SWEPT_GROUPS)}")
    model, description = trained_simulator(profile, "lj", "fast", retrain=retrain)
    model.to(device)
    truths = [read_trajectory(path)
              for path in ensure_group(profile, SWEPT_GROUPS[parameter], base_seed=seed)]
    return measure_sweep(model, description, truths, parameter, start_frames,
                         cache=chosen_cache(profile, cache))
