"""System-level analysis of trajectories, whoever produced them (MD or a learned model).

- RMSD per atom D(t) from freud's windowed mean-square displacement (S2, S4);
- the cage length of S2 by a written rule (below).

The fictive temperature of melt-quenches (S11) is in :mod:`ogn_lib.analysis.fictive`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.relaxation import mean_square_displacement
from ogn_lib.data.trajectory import Trajectory


@dataclass(frozen=True)
class RMSDCurve:
    """Root-mean-square displacement per atom ``rmsd`` (length unit) at lag ``time``
    (time unit), averaged over all time origins; lag 0 is left out."""

    time: np.ndarray
    rmsd: np.ndarray


def rmsd_curve(trajectory: Trajectory) -> RMSDCurve:
    """D(t) = sqrt(<|r(t0 + t) - r(t0)|^2>) of a trajectory's unwrapped positions
    (:func:`rmsd_curve_of`)."""
    return rmsd_curve_of(trajectory.unwrapped_positions,
                         trajectory.metadata.dt * trajectory.metadata.period_steps)


def rmsd_curve_of(unwrapped_positions: np.ndarray, frame_time: float) -> RMSDCurve:
    """D(t) of ``unwrapped_positions`` ``(F, N, 3)``, frames ``frame_time`` apart, over all
    time origins (:func:`~ogn_lib.analysis.relaxation.mean_square_displacement`)."""
    msd = mean_square_displacement(unwrapped_positions, frame_time)
    return RMSDCurve(time=msd.time[1:], rmsd=np.sqrt(msd.value[1:]))


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


def cage_length_by_slope(curve: RMSDCurve, exponent: float = 0.5) -> float:
    """A second reading of S2's rule, "the value of D(t) that starts to exhibit the root
    square dependence on time": D(t) at the first lag where the local slope
    d ln D / d ln t has fallen to ``exponent`` (1/2), interpolated between lags, in the
    length unit. NaN where the slope never gets there: a liquid without a cage approaches
    1/2 from above only as t grows without bound."""
    ln_time, ln_rmsd = np.log(curve.time), np.log(curve.rmsd)
    slope = np.gradient(ln_rmsd, ln_time)
    reached = np.flatnonzero(slope <= exponent)
    if len(reached) == 0:
        return float("nan")
    after = int(reached[0])
    if after == 0:
        return float(curve.rmsd[0])
    fraction = (slope[after - 1] - exponent) / (slope[after - 1] - slope[after])
    return float(np.exp(ln_rmsd[after - 1] + fraction * (ln_rmsd[after] - ln_rmsd[after - 1])))


CAGE_RULES = ("joins the diffusive line", "slope falls to 1/2")
"""The readings of S2's cage length that :func:`cage_lengths_by_temperature` applies:
:func:`cage_length` (S2's rule as this book reads it) and :func:`cage_length_by_slope`."""


@dataclass(frozen=True)
class CageScan:
    """The cage length of one liquid at several temperatures (ascending, the runs' set
    points), by each rule of :data:`CAGE_RULES` (length unit; NaN where a rule finds no
    cage)."""

    temperatures: np.ndarray
    values: dict
    """rule -> ``(T,)`` cage lengths."""

    def temperature_at(self, value: float, rule: str) -> float:
        """The temperature at which the rule's cage length crosses ``value`` between two
        scanned temperatures (linear interpolation; the first crossing from below in
        temperature), NaN where it does not within the scan."""
        lengths = self.values[rule]
        for index in range(len(lengths) - 1):
            low, high = lengths[index], lengths[index + 1]
            if np.isfinite(low) and np.isfinite(high) and (low - value) * (high - value) <= 0:
                if low == high:
                    return float(self.temperatures[index])
                fraction = (value - low) / (high - low)
                return float(self.temperatures[index] + fraction
                             * (self.temperatures[index + 1] - self.temperatures[index]))
        return float("nan")


def cage_lengths_by_temperature(trajectories: list[Trajectory]) -> CageScan:
    """Both rules' cage lengths of MD runs of one liquid at different temperatures (each
    run's ``parameters["temperature"]``), in temperature order."""
    if not trajectories:
        raise ValueError("no trajectories given: generate the liquid's cage-scan group")
    runs = sorted(trajectories, key=lambda run: _set_point(run))
    curves = [rmsd_curve(run) for run in runs]
    return CageScan(
        temperatures=np.array([_set_point(run) for run in runs]),
        values={CAGE_RULES[0]: np.array([cage_length(curve, rms_speed(run)).value
                                         for curve, run in zip(curves, runs)]),
                CAGE_RULES[1]: np.array([cage_length_by_slope(curve) for curve in curves])})


def _set_point(trajectory: Trajectory) -> float:
    temperature = trajectory.metadata.temperature
    if temperature is None:
        raise ValueError("a trajectory without a set-point temperature in its sidecar was "
                         "given: pass the runs of a temperature scan")
    return temperature
