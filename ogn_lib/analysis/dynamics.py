"""System-level analysis of trajectories, whoever produced them (MD or a learned model).

- RMSD per atom D(t) from freud's windowed mean-square displacement (S2, S4);
- the cage length of S2 by a written rule (below);
- the potential energy against temperature of melt-quenches and their fictive
  temperature (S11) by a written rule (below).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.relaxation import mean_square_displacement
from ogn_lib.analysis.verdicts import Measurement
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


def cage_length_of(trajectory: Trajectory) -> CageLength:
    """S2's cage length of an MD trajectory: :func:`cage_length` of its D(t) and its rms
    speed. The yardstick that this run's own MD gives, beside the paper's."""
    return cage_length(rmsd_curve(trajectory), rms_speed(trajectory))


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
    """rule -> list over rates of ``(Q,)`` arrays, one T_f per quench."""

    def mean(self, rule: str) -> np.ndarray:
        """``(R,)`` mean T_f over the quenches of each rate."""
        return np.array([np.mean(values) for values in self.values[rule]])

    def spread(self, rule: str) -> np.ndarray:
        """``(R,)`` standard deviation over the quenches of each rate (NaN for one)."""
        return np.array([np.std(values, ddof=1) if len(values) > 1 else np.nan
                         for values in self.values[rule]])

    def rate_at(self, value: float, rule: str) -> float:
        """The cooling rate at which the straight line through the mean T_f against
        log10(rate) reaches ``value``, within the scanned rates only (never extrapolated);
        NaN outside them or where T_f does not rise with the rate, as it should."""
        slope, offset = np.polyfit(np.log10(self.rates), self.mean(rule), 1)
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
    peak rule, the two windows those of the line fits. At least two rates are needed."""
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
            c.temperature, c.energy_per_atom, liquid_window, glass_window).value
            for c in by_rate[rate]]) for rate in rates]}
    return FictiveTemperatureScan(rates=rates, values=values)
