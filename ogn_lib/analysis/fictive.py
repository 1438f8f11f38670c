"""The fictive temperature of melt-quenched glasses (S11): the potential energy against
temperature of a quench, and T_f read off it by two written rules (the peak of dE/dT, the
supplement's inflection point; two straight lines fitted to the liquid and glass branches),
for one quench, the mean of several, or a scan over cooling rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.data.trajectory import Trajectory


@dataclass(frozen=True)
class FictiveTemperature:
    """Rule (the supplement's): T_f is the inflection point of the potential energy E(T)
    during the quench, i.e. where dE/dT peaks as the liquid's larger slope gives way to
    the glass's. dE/dT is the least-squares slope of E against T in a sliding window."""

    value: float
    window_centres: np.ndarray
    slopes: np.ndarray
    """dE/dT at each window centre (energy per temperature unit)."""


def fictive_temperature(temperatures, energies, window: float = 0.25,
                        search_range: tuple[float, float] = (0.2, 1.5),
                        step: float = 0.01) -> FictiveTemperature:
    """T_f of a quench from its (T, E) samples (see :class:`FictiveTemperature`).

    ``window`` is the width of the temperature window of each slope fit; window centres
    run over ``search_range`` in steps of ``step``.
    """
    temperatures = np.asarray(temperatures, dtype=float)
    energies = np.asarray(energies, dtype=float)
    centres = np.arange(search_range[0], search_range[1] + step / 2, step)
    slopes = np.full(len(centres), np.nan)
    for index, centre in enumerate(centres):
        pick = np.abs(temperatures - centre) <= window / 2
        if pick.sum() >= 5:
            slopes[index] = np.polyfit(temperatures[pick], energies[pick], 1)[0]
    if np.all(np.isnan(slopes)):
        raise ValueError(f"no window of width {window} in T = {search_range} holds 5 "
                         "samples: log the quench more often or widen the window")
    return FictiveTemperature(value=float(centres[np.nanargmax(slopes)]),
                              window_centres=centres, slopes=slopes)


@dataclass(frozen=True)
class TwoLineFictiveTemperature:
    """Rule (the usual reading of a cooling curve): straight lines fitted to E(T) on the
    liquid branch and on the glass branch meet at T_f."""

    value: float
    liquid: tuple[float, float]
    """(slope, intercept) of E(T) on the liquid branch."""
    glass: tuple[float, float]
    """(slope, intercept) of E(T) on the glass branch."""
    stderr: float = float("nan")
    """Standard error of the crossing, from the two fits' covariances (delta method)."""
    slope_separation: float = float("nan")
    """How many combined standard errors the two slopes are apart."""
    between: tuple[float, float] = (float("-inf"), float("inf"))
    """The temperatures between the two fit windows (top of the glass window, bottom of
    the liquid window), where a crossing that marks a bend must lie."""

    @property
    def bend_resolved(self) -> bool:
        """Whether the two branches' slopes differ by more than :data:`BEND_SIGMAS`
        standard errors: otherwise E(T) shows no bend and the crossing means nothing."""
        return bool(self.slope_separation > BEND_SIGMAS)

    @property
    def readable(self) -> float:
        """T_f where the lines mark a bend (:attr:`bend_resolved`, crossing between the
        fit windows), else NaN."""
        low, high = self.between
        return self.value if self.bend_resolved and low <= self.value <= high else math.nan

    def measurement(self, n_quenches: int) -> Measurement:
        """T_f with two standard errors of the crossing, for the verdict engine; no value
        where the bend is not resolved."""
        if not self.bend_resolved:
            return Measurement.failed(
                f"the liquid and glass lines' slopes differ by {self.slope_separation:.1f} "
                f"standard errors (under {BEND_SIGMAS:g}): E(T) shows no bend to read T_f "
                "from", n=n_quenches)
        low, high = self.between
        if not low <= self.value <= high:
            return Measurement.failed(
                f"the lines meet at T = {self.value:.2g}, outside the gap between their fit "
                f"windows (T = {low:g}-{high:g}): they do not bracket a bend", n=n_quenches)
        return Measurement.fitted(self.value, self.stderr, n_quenches,
                                  f"two-line fit to the mean of {n_quenches} quenches")


LIQUID_WINDOW = (0.5, 0.9)
"""S11's liquid-branch fit window of the KA-LJ quench (ε/k_B): just above the transition."""
GLASS_WINDOW = (0.05, 0.25)
"""S11's glass-branch fit window of the KA-LJ quench (ε/k_B)."""

BEND_SIGMAS = 3.0
"""Slopes of the liquid and glass lines closer than this many standard errors: no bend."""


def fictive_temperature_by_intersection(
        temperatures, energies, liquid_window: tuple[float, float] = (0.8, 1.4),
        glass_window: tuple[float, float] = (0.05, 0.3)) -> TwoLineFictiveTemperature:
    """T_f where the line fitted to the (T, E) samples in ``liquid_window`` meets the line
    fitted to those in ``glass_window`` (see :class:`TwoLineFictiveTemperature`). The
    windows (temperature units; KA-LJ defaults) must each hold 4 samples (a line with an
    error needs two more than its two parameters) and the lines must not be parallel."""
    temperatures = np.asarray(temperatures, dtype=float)
    energies = np.asarray(energies, dtype=float)
    lines = []
    for name, (low, high) in (("liquid", liquid_window), ("glass", glass_window)):
        pick = (temperatures >= low) & (temperatures <= high)
        if pick.sum() < 4:
            raise ValueError(f"the {name} window T = {low}..{high} holds {pick.sum()} "
                             "samples, fewer than 4: widen it or log the quench more often")
        coefficients, covariance = np.polyfit(temperatures[pick], energies[pick], 1, cov=True)
        lines.append((tuple(float(c) for c in coefficients), covariance))
    ((liquid_slope, liquid_offset), liquid_cov), ((glass_slope, glass_offset), glass_cov) = lines
    if np.isclose(liquid_slope, glass_slope):
        raise ValueError("the liquid and glass branches have the same slope: no crossing; "
                         "choose windows on either side of the glass transition")
    difference = liquid_slope - glass_slope
    value = (glass_offset - liquid_offset) / difference
    # d value / d (slope, intercept) of each line; the two fits are independent.
    liquid_gradient = np.array([-value, -1.0]) / difference
    glass_gradient = np.array([value, 1.0]) / difference
    variance = (liquid_gradient @ liquid_cov @ liquid_gradient
                + glass_gradient @ glass_cov @ glass_gradient)
    return TwoLineFictiveTemperature(
        value=float(value), liquid=lines[0][0], glass=lines[1][0],
        stderr=float(np.sqrt(variance)),
        slope_separation=float(abs(difference) / np.sqrt(liquid_cov[0, 0] + glass_cov[0, 0])),
        between=(float(glass_window[1]), float(liquid_window[0])))


@dataclass(frozen=True)
class QuenchCurve:
    """Potential energy per atom against the thermostat's set point, averaged over
    independent quenches run with the same protocol."""

    temperature: np.ndarray
    energy_per_atom: np.ndarray
    n_quenches: int


def quench_curve(trajectories: list[Trajectory]) -> QuenchCurve:
    """Average the quench logs kept in the sidecars of melt-quench trajectories."""
    if not trajectories:
        raise ValueError("no quench trajectories given: generate the glass data first")
    logs = [t.metadata.quench for t in trajectories]
    if any(log is None for log in logs):
        raise ValueError("a trajectory without a quench log was given: pass the "
                         "melt-quench (glass) trajectories")
    set_points = np.asarray(logs[0]["set_point"])
    energies = np.asarray([log["potential_energy"] for log in logs], dtype=float)
    per_atom = energies.mean(axis=0) / len(trajectories[0].typeids)
    return QuenchCurve(temperature=set_points, energy_per_atom=per_atom,
                       n_quenches=len(trajectories))


FICTIVE_RULES = ("peak of dE/dT", "two lines")
"""The readings of T_f that :func:`fictive_temperature_by_rate` applies to every quench:
:func:`fictive_temperature` and :func:`fictive_temperature_by_intersection`."""


@dataclass(frozen=True)
class FictiveTemperatureScan:
    """T_f against cooling rate: for each rate (ascending, temperature per time unit), the
    T_f of every independent quench by each rule of :data:`FICTIVE_RULES`."""

    rates: np.ndarray
    values: dict
    """rule -> list over rates of ``(Q,)`` arrays, one T_f per quench (NaN where the rule
    reads none: two lines that mark no bend)."""

    def counts(self, rule: str) -> np.ndarray:
        """``(R,)`` quenches of each rate from which the rule read a T_f."""
        return np.array([int(np.isfinite(values).sum()) for values in self.values[rule]])

    def mean(self, rule: str) -> np.ndarray:
        """``(R,)`` mean T_f over the quenches of each rate that gave one (NaN: none)."""
        return np.array([np.mean(finite) if len(finite) else np.nan
                         for finite in self._finite(rule)])

    def spread(self, rule: str) -> np.ndarray:
        """``(R,)`` standard deviation over those quenches (NaN for fewer than two)."""
        return np.array([np.std(finite, ddof=1) if len(finite) > 1 else np.nan
                         for finite in self._finite(rule)])

    def _finite(self, rule: str) -> list[np.ndarray]:
        return [np.asarray(values)[np.isfinite(values)] for values in self.values[rule]]

    def rate_at(self, value: float, rule: str) -> float:
        """The cooling rate at which the straight line through the mean T_f against
        log10(rate) reaches ``value``, within the scanned rates only (never extrapolated);
        NaN outside them, where T_f does not rise with the rate, as it should, or where
        fewer than two rates gave a T_f."""
        means = self.mean(rule)
        read = np.isfinite(means)
        if read.sum() < 2:
            return float("nan")
        slope, offset = np.polyfit(np.log10(self.rates[read]), means[read], 1)
        if slope <= 0:
            return float("nan")
        rate = float(10 ** ((value - offset) / slope))
        return rate if self.rates.min() <= rate <= self.rates.max() else float("nan")


def fictive_temperature_by_rate(quenches: list[Trajectory],
                                liquid_window: tuple[float, float],
                                glass_window: tuple[float, float],
                                window: float = 0.25) -> FictiveTemperatureScan:
    """T_f of each melt-quench trajectory by each rule, grouped by the cooling rate of its
    protocol (``parameters["cooling_rate"]`` of its sidecar); ``window`` is that of the
    peak rule, the two windows those of the line fits (NaN where the lines mark no bend,
    :attr:`TwoLineFictiveTemperature.readable`). At least two rates are needed."""
    by_rate: dict[float, list[QuenchCurve]] = {}
    for quench in quenches:
        rate = (quench.metadata.parameters or {}).get("cooling_rate")
        if rate is None:
            raise ValueError("a trajectory without a cooling rate in its sidecar parameters "
                             "was given: pass melt-quench trajectories")
        by_rate.setdefault(float(rate), []).append(quench_curve([quench]))
    if len(by_rate) < 2:
        raise ValueError(f"quenches at {len(by_rate)} cooling rate(s): a scan needs at "
                         "least two; generate the lj-quench-rate group")
    rates = np.array(sorted(by_rate))
    values = {
        FICTIVE_RULES[0]: [np.array([fictive_temperature(c.temperature, c.energy_per_atom,
                                                         window).value
                                     for c in by_rate[rate]]) for rate in rates],
        FICTIVE_RULES[1]: [np.array([fictive_temperature_by_intersection(
            c.temperature, c.energy_per_atom, liquid_window, glass_window).readable
            for c in by_rate[rate]]) for rate in rates]}
    return FictiveTemperatureScan(rates=rates, values=values)
