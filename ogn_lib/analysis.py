"""System-level analysis of trajectories, whoever produced them (MD or a learned model).

- RMSD per atom D(t) from freud's windowed mean-square displacement (S2, S4);
- the cage length of S2 by a written rule (below);
- the fictive temperature of a melt-quench (S11) by a written rule (below).
"""

from __future__ import annotations

from dataclasses import dataclass

import freud
import numpy as np

from ogn_lib.trajectory import Trajectory


@dataclass(frozen=True)
class RMSDCurve:
    """Root-mean-square displacement per atom ``rmsd`` (length unit) at lag ``time``
    (time unit), averaged over all time origins; lag 0 is left out."""

    time: np.ndarray
    rmsd: np.ndarray


def rmsd_curve(trajectory: Trajectory) -> RMSDCurve:
    """D(t) = sqrt(<|r(t0 + t) - r(t0)|^2>) of unwrapped positions, with freud's MSD."""
    dt = trajectory.metadata["dt"] * trajectory.metadata["period_steps"]
    msd = freud.msd.MSD(mode="window").compute(trajectory.unwrapped_positions).msd
    lags = np.arange(len(msd))
    return RMSDCurve(time=lags[1:] * dt, rmsd=np.sqrt(msd[1:]))


def rms_speed(trajectory: Trajectory) -> float:
    """sqrt(<|v|^2>) over atoms and frames (length per time unit)."""
    return float(np.sqrt(np.mean(np.sum(trajectory.velocities.astype(np.float64) ** 2,
                                        axis=-1))))


@dataclass(frozen=True)
class CageLength:
    """The cage length of S2: the D(t) at which the RMSD starts to follow D ~ t^(1/2).

    Rule: fit the diffusive line D(t) = (6 D_s t)^(1/2) on the long-time window; the cage
    length is D(t) at the earliest lag from which the curve stays within ``tolerance``
    (10%) of that line. For reference, the free-flight line D = v t (v: rms speed) meets
    the diffusive line at ``crossover`` = 6 D_s / v, a lower bound of the cage length.
    """

    value: float
    """In the length unit."""
    time: float
    """The lag at which D(t) joins the diffusive line (time unit)."""
    crossover: float
    rms_speed: float
    diffusion_coefficient: float
    """D_s in length^2 per time unit."""


def cage_length(curve: RMSDCurve, speed: float,
                fit_window: tuple[float, float] = (0.1, 0.5),
                tolerance: float = 0.1) -> CageLength:
    """Apply the rule of :class:`CageLength` to a D(t) curve.

    ``fit_window`` gives the lags used to fit MSD = 6 D_s t, as fractions of the longest
    lag: long enough to be diffusive, short enough to average over many time origins.
    """
    if not speed > 0:
        raise ValueError(f"rms speed {speed} must be positive")
    low, high = (fraction * curve.time[-1] for fraction in fit_window)
    window = (curve.time >= low) & (curve.time <= high)
    if window.sum() < 3:
        raise ValueError(f"only {window.sum()} lags in the diffusive fit window "
                         f"{fit_window}: record a longer trajectory")
    t, msd = curve.time[window], curve.rmsd[window] ** 2
    diffusion = float(np.sum(t * msd) / np.sum(t * t)) / 6.0
    deviation = np.abs(curve.rmsd / np.sqrt(6.0 * diffusion * curve.time) - 1.0)
    inside_up_to_window = deviation[: np.nonzero(window)[0][-1] + 1] <= tolerance
    outside = np.nonzero(~inside_up_to_window)[0]
    join = 0 if len(outside) == 0 else outside[-1] + 1
    return CageLength(value=float(curve.rmsd[join]), time=float(curve.time[join]),
                      crossover=6.0 * diffusion / speed, rms_speed=speed,
                      diffusion_coefficient=diffusion)


@dataclass(frozen=True)
class FictiveTemperature:
    """Rule: fit straight lines to the potential energy of the liquid (high-T) and glass
    (low-T) branches of a quench; the fictive temperature is where they cross."""

    value: float
    liquid_fit: tuple[float, float]
    """(slope, intercept) of E(T) on the liquid branch."""
    glass_fit: tuple[float, float]


def fictive_temperature(temperatures, energies, liquid_range: tuple[float, float],
                        glass_range: tuple[float, float]) -> FictiveTemperature:
    """Tf from a quench's (T, E) samples; the ranges choose the two branches."""
    temperatures = np.asarray(temperatures, dtype=float)
    energies = np.asarray(energies, dtype=float)
    fits = []
    for name, (low, high) in (("liquid", liquid_range), ("glass", glass_range)):
        pick = (temperatures >= low) & (temperatures <= high)
        if pick.sum() < 3:
            raise ValueError(f"only {pick.sum()} samples on the {name} branch "
                             f"T in [{low}, {high}]: widen the range or log more often")
        fits.append(tuple(np.polyfit(temperatures[pick], energies[pick], 1)))
    (a_liquid, b_liquid), (a_glass, b_glass) = fits
    if np.isclose(a_liquid, a_glass):
        raise ValueError("the liquid and glass branches are parallel: no crossing")
    return FictiveTemperature(value=float((b_glass - b_liquid) / (a_liquid - a_glass)),
                              liquid_fit=fits[0], glass_fit=fits[1])
