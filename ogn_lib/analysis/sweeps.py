"""Rollout accuracy against a swept condition of the test liquid (S5-S7), measured.

The learned simulator is trained on one condition (265 KA-LJ atoms at T = 3 and number
density 1.2) and tested on trajectories that change one of them: the number of atoms
(S5), the temperature (S6) or the density (S7). :func:`sweep_from_curves` reduces the
accuracy curves of every run (made by :func:`ogn_lib.studies.accuracy_sweep.accuracy_sweep`)
to the per-atom RMSE after a fixed number of MD steps for the OGN and every baseline at each
condition, averaged over the runs of a condition; :func:`fit_power_law` fits RMSE ~ T^a
(Eq. S1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ogn_lib.analysis.accuracy import METHODS, AccuracyCurves

PARAMETERS = ("n_atoms", "temperature", "number_density")
"""Conditions a test trajectory's protocol sets (``metadata.parameters``)."""


@dataclass(frozen=True)
class PowerLaw:
    """y = prefactor * x^exponent, fitted by least squares on log y against log x."""

    exponent: float
    prefactor: float
    exponent_stderr: float
    """Standard error of the exponent from the residuals (NaN with only two points)."""

    def __call__(self, x) -> np.ndarray:
        return self.prefactor * np.asarray(x, dtype=float) ** self.exponent


def fit_power_law(x, y) -> PowerLaw:
    """Fit ``y = c x^a`` to positive, finite samples (e.g. RMSE against temperature)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x {x.shape} and y {y.shape} must be 1-D arrays of equal length")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))
            and np.all(x > 0) and np.all(y > 0)):
        raise ValueError(f"a power law needs positive, finite samples; got x={x}, y={y}: "
                         "drop the failed (NaN) or zero points first")
    if len(np.unique(x)) < 2:
        raise ValueError(f"x={x}: need samples at two or more distinct values")
    log_x, log_y = np.log(x), np.log(y)
    (exponent, intercept), residuals, *_ = np.polyfit(log_x, log_y, 1, full=True)
    dof = len(x) - 2
    if dof > 0:
        variance = float(residuals[0]) / dof if len(residuals) else 0.0
        stderr = float(np.sqrt(variance / np.sum((log_x - log_x.mean()) ** 2)))
    else:
        stderr = float("nan")
    return PowerLaw(exponent=float(exponent), prefactor=float(np.exp(intercept)),
                    exponent_stderr=stderr)


@dataclass(frozen=True)
class AccuracySweep:
    """Errors after ``md_steps`` MD steps at each value of one condition.

    Attributes:
        parameter: the swept protocol parameter, one of :data:`PARAMETERS`.
        values: ``(C,)`` its distinct values, ascending (the protocol's set points).
        md_steps: MD steps after each start at which the errors are read.
        position_rmse: method -> ``(C,)`` mean over the trajectories and starts of a value
            (length unit); keys :data:`ogn_lib.analysis.accuracy.METHODS`. NaN where the method
            failed before ``md_steps`` in any of them.
        velocity_rmse: the same for velocities (velocity unit).
        measured_temperature: ``(C,)`` mean kinetic temperature of the true frames scored.
        n_runs: ``(C,)`` how many (trajectory, start) pairs each value averages.
        failures: method -> ``[(value, reason), ...]``.
        run_errors: ``(quantity, method)`` -> list over :attr:`values` of ``(R,)`` arrays,
            the error of each run (trajectory and start) of that value, for intervals.
    """

    parameter: str
    values: np.ndarray
    md_steps: int
    position_rmse: dict
    velocity_rmse: dict
    measured_temperature: np.ndarray
    n_runs: np.ndarray
    failures: dict
    run_errors: dict = field(default_factory=dict)

    def runs(self, value: float, method: str = "OGN", quantity: str = "position") -> np.ndarray:
        """``(R,)`` the error of each run at one swept value (NaN where it failed)."""
        self.at(value, method, quantity)  # refuses a value or method not in the sweep
        index = int(np.flatnonzero(np.isclose(self.values, value))[0])
        return self.run_errors[quantity, method][index]

    def errors(self, method: str = "OGN", quantity: str = "position") -> np.ndarray:
        """``(C,)`` errors of ``method`` for ``quantity`` ``"position"`` or ``"velocity"``."""
        if quantity not in ("position", "velocity"):
            raise ValueError(f"quantity {quantity!r}: choose 'position' or 'velocity'")
        if method not in METHODS:
            raise ValueError(f"method {method!r}: choose one of {METHODS}")
        return (self.position_rmse if quantity == "position" else self.velocity_rmse)[method]

    def at(self, value: float, method: str = "OGN", quantity: str = "position") -> float:
        """The error at one swept value (one of :attr:`values`)."""
        match = np.flatnonzero(np.isclose(self.values, value))
        if len(match) == 0:
            raise ValueError(f"{self.parameter} = {value} is not in the sweep; choose one "
                             f"of {self.values.tolist()}")
        return float(self.errors(method, quantity)[match[0]])

    def relative_to(self, baseline: str = "no motion", method: str = "OGN",
                    quantity: str = "position") -> np.ndarray:
        """``(C,)`` error of ``method`` over that of ``baseline``: below 1 where it beats it."""
        return self.errors(method, quantity) / self.errors(baseline, quantity)

    def best_value(self, method: str = "OGN", quantity: str = "position") -> float:
        """The swept value at which ``method``'s error is smallest (failures ignored)."""
        errors = self.errors(method, quantity)
        if not np.any(np.isfinite(errors)):
            raise ValueError(f"{method} failed at every {self.parameter}: no smallest error")
        return float(self.values[np.nanargmin(errors)])

    def power_law(self, method: str = "OGN", quantity: str = "position",
                  x: str = "measured_temperature") -> PowerLaw:
        """Fit error ~ x^a over the values where ``method`` did not fail; ``x`` is
        ``"measured_temperature"`` or ``"values"``."""
        if x not in ("measured_temperature", "values"):
            raise ValueError(f"x={x!r}: choose 'measured_temperature' or 'values'")
        errors = self.errors(method, quantity)
        finite = np.isfinite(errors)
        return fit_power_law(getattr(self, x)[finite], errors[finite])


def sweep_from_curves(parameter: str, runs: dict[float, list[AccuracyCurves]]) -> AccuracySweep:
    """The sweep of ``parameter`` from its runs: each value -> the accuracy curves of its
    trajectories and starts, all read at the MD step where they end."""
    ends = {int(curves.md_steps[-1]) for value in runs for curves in runs[value]}
    if len(ends) != 1:
        raise ValueError(f"the runs end at MD steps {sorted(ends)}; a sweep reads them all "
                         "at one: predict the same number of MD steps from every start")
    values = np.array(sorted(runs))

    def at_end(field: str, name: str) -> np.ndarray:
        return np.array([np.mean([getattr(c, field)[name][-1] for c in runs[v]])
                         for v in values])

    failures = {}
    for value in values:
        for curves in runs[value]:
            for name, reason in curves.failures.items():
                failures.setdefault(name, []).append((float(value), reason))
    return AccuracySweep(
        parameter=parameter, values=values, md_steps=ends.pop(),
        position_rmse={name: at_end("position_rmse", name) for name in METHODS},
        velocity_rmse={name: at_end("velocity_rmse", name) for name in METHODS},
        measured_temperature=np.array([np.mean([np.mean(c.temperature["truth"])
                                                for c in runs[v]]) for v in values]),
        n_runs=np.array([len(runs[v]) for v in values]),
        failures=failures,
        run_errors={(quantity, name): [np.array([getattr(c, f"{quantity}_rmse")[name][-1]
                                                 for c in runs[v]]) for v in values]
                    for quantity in ("position", "velocity") for name in METHODS})
