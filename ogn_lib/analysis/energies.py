"""System-level quantities along a trajectory, whoever produced it (S4), measured.

Per-atom errors of a learned rollout grow quickly, but averages over all atoms can stay
right much longer. Two such averages are compared between a rollout and the truth: the
RMSD per atom D(t) (:func:`ogn_lib.analysis.dynamics.rmsd_curve`), as a ratio, and the
potential, kinetic and total energy per atom (:class:`EnergySeries`), whose drift and
excursions are read here. The energies themselves come from the MD engine's force field on
every frame, predicted or true alike (:func:`ogn_lib.studies.system_level.energy_series`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.dynamics import RMSDCurve
from ogn_lib.data.trajectory import Trajectory


@dataclass(frozen=True)
class EnergySeries:
    """Energies per atom (the system's energy unit) of each frame of a trajectory.

    ``md_steps`` counts MD steps from the trajectory's first frame."""

    md_steps: np.ndarray
    potential: np.ndarray
    kinetic: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.potential + self.kinetic

    @property
    def total_drift(self) -> float:
        """Total energy per atom of the last frame minus that of the first."""
        return float(self.total[-1] - self.total[0])

    @property
    def relative_total_drift(self) -> float:
        """:attr:`total_drift` over the mean kinetic energy per atom (k_B T scale)."""
        return self.total_drift / float(np.mean(self.kinetic))

    def mean_after(self, part: str, md_step: int) -> float:
        """Mean per-atom ``part`` (``"potential"``, ``"kinetic"`` or ``"total"``) over the
        frames from ``md_step`` on."""
        if part not in ("potential", "kinetic", "total"):
            raise ValueError(f"part {part!r}: choose 'potential', 'kinetic' or 'total'")
        frames = self.md_steps >= md_step
        if not frames.any():
            raise ValueError(f"no frame at or after MD step {md_step}; the series ends at "
                             f"{self.md_steps[-1]}")
        return float(np.mean(getattr(self, part)[frames]))

    def relative_drift_rate(self, md_steps: int = 1000) -> float:
        """Slope of the total energy per atom, fitted over the whole series, per
        ``md_steps`` MD steps, over the mean kinetic energy per atom."""
        slope = np.polyfit(self.md_steps.astype(np.float64), self.total, 1)[0]
        return float(slope * md_steps / np.mean(self.kinetic))

    @property
    def total_spread(self) -> float:
        """Largest minus smallest total energy per atom along the trajectory."""
        return float(np.ptp(self.total))

    @property
    def relative_largest_excursion(self) -> float:
        """The total energy's largest departure from its start value, over the mean
        kinetic energy per atom: how far it strays at worst (S4's conservation rule)."""
        return float(np.max(np.abs(self.total - self.total[0])) / np.mean(self.kinetic))

    @property
    def relative_fitted_drift(self) -> float:
        """The total energy's straight-line drift over the whole series, over the mean
        kinetic energy per atom (S4's conservation rule, with the excursion)."""
        return self.relative_drift_rate(int(self.md_steps[-1] - self.md_steps[0]))

    @property
    def relative_total_spread(self) -> float:
        """:attr:`total_spread` over the mean kinetic energy per atom: how far the total
        energy wanders on the way, which a small end-to-end drift can hide."""
        return self.total_spread / float(np.mean(self.kinetic))


def rmsd_ratio(predicted: RMSDCurve, truth: RMSDCurve, time: float) -> float:
    """D_predicted(t) / D_true(t) at lag ``time`` (time unit), interpolated linearly."""
    for name, curve in (("predicted", predicted), ("true", truth)):
        if not curve.time[0] <= time <= curve.time[-1]:
            raise ValueError(f"lag {time} lies outside the {name} RMSD curve "
                             f"[{curve.time[0]}, {curve.time[-1]}]: choose a lag both cover")
    return float(np.interp(time, predicted.time, predicted.rmsd)
                 / np.interp(time, truth.time, truth.rmsd))


def predictions_over(truth: Trajectory, k_steps: int) -> int:
    """The predictions of stride ``k_steps`` MD steps that span ``truth`` from its first
    frame to its last."""
    return (truth.n_frames - 1) * truth.metadata.period_steps // k_steps
