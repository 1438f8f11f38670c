"""What more training would buy: a power law fitted to a recorded training's held-out error
against its CPU time, and the CPU time at which it reaches a target.

The milestones of a recorded training (:mod:`ogn_lib.studies.recorded_training`) give the
held-out position RMSE after 100 MD steps against the CPU-hours trained so far. A straight
line in log-log, ``log RMSE = log a + b log h``, fitted by least squares over the
milestones from ``from_hours`` on, says how the error fell: RMSE(h) = a h^b. The CPU-hours
at which it reaches a target are h* = (target / a)^(1/b), with an interval of two standard
errors of log h* from the fit's covariance (the delta method); h* beyond the last milestone
is an extrapolation, and the pages say so. A recording's learning-rate schedule spans its
own budget, so a longer budget would not follow this very curve: the fit is the estimate
the issue of the training asks for where a target stays out of reach, not a promise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.verdicts import Measurement


@dataclass(frozen=True)
class PowerLawFit:
    """RMSE(h) = ``amplitude`` h^``exponent`` (h in CPU-hours), fitted to ``n_points``
    milestones between ``hours_range``; ``covariance`` of (log amplitude, exponent)."""

    amplitude: float
    exponent: float
    covariance: np.ndarray
    n_points: int
    hours_range: tuple[float, float]

    def rmse_at(self, hours) -> np.ndarray:
        """The fitted RMSE at ``hours`` CPU-hours (the error's length unit)."""
        return self.amplitude * np.asarray(hours, dtype=float) ** self.exponent

    def hours_for(self, target: float) -> Measurement:
        """The CPU-hours at which the fitted RMSE reaches ``target``, with two standard
        errors of its logarithm either side; failed where the error does not fall."""
        if not target > 0:
            raise ValueError(f"target {target:g}: give a positive error to reach")
        if not self.exponent < 0:
            return Measurement.failed(f"the error did not fall (exponent {self.exponent:.2g})",
                                      n=self.n_points)
        log_hours = (math.log(target) - math.log(self.amplitude)) / self.exponent
        # d(log h*)/d(log a) = -1/b, d(log h*)/d(b) = -log h*/b
        gradient = np.array([-1.0, -log_hours]) / self.exponent
        stderr = float(np.sqrt(gradient @ self.covariance @ gradient))
        return Measurement(math.exp(log_hours), math.exp(log_hours - 2 * stderr),
                           math.exp(log_hours + 2 * stderr), self.n_points,
                           f"± 2 standard errors of the power-law fit over {self.n_points} "
                           "milestones, in log CPU-hours")


MIN_FIT_POINTS = 4
"""Milestones a fit needs: a line and its interval from fewer says nothing."""


def power_law_fit(hours, rmse, from_hours: float = 0.0) -> PowerLawFit:
    """Least-squares fit of ``log rmse`` against ``log hours`` over the points at or after
    ``from_hours`` CPU-hours (at least :data:`MIN_FIT_POINTS`, all positive and finite)."""
    hours, rmse = np.asarray(hours, dtype=float), np.asarray(rmse, dtype=float)
    keep = (hours >= from_hours) & np.isfinite(hours) & np.isfinite(rmse)
    bad = keep & ((hours <= 0) | (rmse <= 0))
    if np.any(bad):
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(f"milestone {first} has {hours[first]:g} CPU-hours and an error of "
                         f"{rmse[first]:g}: a power law needs positive CPU-hours and errors; "
                         "leave that milestone out")
    if int(keep.sum()) < MIN_FIT_POINTS:
        raise ValueError(f"{int(keep.sum())} milestones from {from_hours:g} CPU-hours on: a "
                         f"line with an interval needs at least {MIN_FIT_POINTS}")
    (exponent, log_amplitude), covariance = np.polyfit(np.log(hours[keep]),
                                                       np.log(rmse[keep]), 1, cov=True)
    # polyfit orders (slope, intercept); keep (log amplitude, exponent)
    covariance = covariance[::-1, ::-1]
    return PowerLawFit(float(math.exp(log_amplitude)), float(exponent), covariance,
                       int(keep.sum()), (float(hours[keep].min()), float(hours[keep].max())))


def fit_when_possible(hours, rmse) -> PowerLawFit | None:
    """:func:`power_law_fit` over every milestone, or None while a training has fewer than
    :data:`MIN_FIT_POINTS` that a fit can use (positive and finite)."""
    hours, rmse = np.asarray(hours, dtype=float), np.asarray(rmse, dtype=float)
    usable = np.isfinite(hours) & np.isfinite(rmse) & (hours > 0) & (rmse > 0)
    if int(usable.sum()) < MIN_FIT_POINTS:
        return None
    return power_law_fit(hours[usable], rmse[usable])
