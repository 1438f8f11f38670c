"""Where a rollout's error surges, by a stated rule rather than by eye (supplement S3).

Rule: fit log RMSE against log MD steps with two straight segments that meet at a break
(the break chosen by least squares over every step that leaves each segment
:data:`MIN_POINTS` points). The error *surges* at the break when the later segment is at
least :data:`STEEPENING` times as steep as the earlier one; a single power law (a smooth
growth) has no surge. Each start is judged alone, and the surge step of the claim is their
mean with its interval over starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.accuracy import AccuracyCurves
from ogn_lib.analysis.verdicts import Measurement

STEEPENING = 2.0
"""The later segment's log-log slope over the earlier one's that makes a surge."""
MIN_POINTS = 3


@dataclass(frozen=True)
class Surge:
    """The best two-segment fit of one error curve: the break (MD steps), the slopes of
    log RMSE against log t before and after it, and whether that is a surge."""

    break_step: float
    early_slope: float
    late_slope: float

    @property
    def surges(self) -> bool:
        return bool(self.early_slope > 0 and self.late_slope >= STEEPENING * self.early_slope)


def _line_residual(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    coefficients, residual, *_ = np.polyfit(x, y, 1, full=True)
    return float(coefficients[0]), float(residual[0]) if len(residual) else 0.0


def two_segment_fit(md_steps, rmse) -> Surge:
    """The two-segment fit of :mod:`this rule <ogn_lib.analysis.surge>` to one curve
    (finite, positive errors only)."""
    md_steps, rmse = np.asarray(md_steps, dtype=float), np.asarray(rmse, dtype=float)
    keep = np.isfinite(rmse) & (rmse > 0)
    x, y = np.log(md_steps[keep]), np.log(rmse[keep])
    if len(x) < 2 * MIN_POINTS:
        raise ValueError(f"{len(x)} finite errors: a two-segment fit needs at least "
                         f"{2 * MIN_POINTS}; roll out for more predictions")
    best = None
    for split in range(MIN_POINTS, len(x) - MIN_POINTS + 1):
        early, early_residual = _line_residual(x[:split], y[:split])
        late, late_residual = _line_residual(x[split - 1:], y[split - 1:])
        total = early_residual + late_residual
        if best is None or total < best[0]:
            best = (total, float(np.exp(x[split - 1])), early, late)
    return Surge(break_step=best[1], early_slope=best[2], late_slope=best[3])


def segment_fits(curves: list[AccuracyCurves], method: str = "OGN") -> list[Surge]:
    """The :func:`two_segment_fit` of each start's position RMSE of ``method``."""
    return [two_segment_fit(curve.md_steps, curve.position_rmse[method]) for curve in curves]


def surge_measurement(curves: list[AccuracyCurves], method: str = "OGN",
                      **conditions) -> Measurement:
    """The surge step over the starts of ``curves`` (position RMSE of ``method``); no value
    where a start's error grows without a surge, and then the failure says what was
    measured instead: where each start's fit breaks and how its slope changes there."""
    fits = segment_fits(curves, method)
    smooth = [fit for fit in fits if not fit.surges]
    if smooth:
        return Measurement.failed(_no_surge(smooth, len(fits)), n=len(fits), **conditions)
    return Measurement.over([fit.break_step for fit in fits], "starts", **conditions)


def _no_surge(smooth: list[Surge], n_starts: int) -> str:
    breaks = _listed([f"{fit.break_step:.0f}" for fit in smooth])
    changes = _listed([f"{fit.early_slope:.2g} to {fit.late_slope:.2g}" for fit in smooth])
    slows = all(fit.late_slope < fit.early_slope for fit in smooth)
    return (f"the error grows without a surge in {len(smooth)} of {n_starts} starts: the "
            "two-segment fit of log RMSE against log MD steps breaks at "
            f"{breaks} MD steps, where its slope goes from {changes}"
            + (", so the growth slows there instead of surging" if slows else "")
            + f"; a surge needs the later slope at least {STEEPENING:g} times the earlier")


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
