"""The one verdict engine: a paper claim (:mod:`ogn_lib.analysis.claims`) against this
run's measurement, as a referee would judge it.

A measurement is a value with an interval over independent repetitions (starts, seeds,
quenches) or from a fit, the number ``n`` behind it, and the conditions it was made under
(which OGN, any correction, whether its training converged). The rule is applied to the
whole interval: *reproduced* when all of it meets the claim, *not reproduced* when none of
it does, *partly* otherwise. A claim the run could not test on its own terms is *not
tested here*, with one of :data:`NOT_TESTED`; a substitute (the Fast-OGN for the
Reference-OGN) or a correction the paper did not use (energy rescaling) is shown beside
the claim and never counts as reproducing it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ogn_lib.analysis.claims import PaperClaim

OUTCOMES = ("reproduced", "partly", "not reproduced", "not tested here")
NOT_TESTED = {
    "no number": "the paper gives no number",
    "substitute": "measured on a substitute model",
    "correction": "measured with a correction the paper does not use",
    "not converged": "training not converged",
    "not measured": "this run could not measure it",
}
"""Why a claim is *not tested here*: category -> what it means."""

CONFIDENCE = 0.95
"""Two-sided confidence of the interval over repetitions."""
CONVERGED_CHANGE = 0.05
"""A loss curve has converged when its fitted change over the last fifth of the epochs is
below 5% (issue 28's rule)."""
LAST_FRACTION = 0.2


@dataclass(frozen=True)
class Measurement:
    """This run's value for a claim, with its interval and conditions.

    Attributes:
        value: the central value (mean over repetitions, or a fit's estimate).
        low, high: the interval.
        n: independent repetitions behind it (starts, seeds, quenches, fitted points).
        how: what the interval is, e.g. ``95% t-interval over 8 starts``.
        model: the preset measured (``fast``/``reference``), ``own`` or None (MD alone).
        correction: a correction applied that the paper does not use, or "".
        converged: whether the training behind it converged (None: no training).
        failure: why it could not be measured, or "".
        note: conditions in words (the model's profile, the sizes).
    """

    value: float
    low: float
    high: float
    n: int
    how: str
    model: str | None = None
    correction: str = ""
    converged: bool | None = None
    failure: str = ""
    note: str = ""

    @classmethod
    def over(cls, values, what: str = "starts", **conditions) -> Measurement:
        """The mean of independent ``values`` with its two-sided :data:`CONFIDENCE`
        Student-t interval (``what`` names the repetitions); one value has no interval
        and none is measured."""
        values = np.asarray(values, dtype=float).ravel()
        finite = values[np.isfinite(values)]
        if len(finite) < len(values):
            return cls.failed(f"{len(values) - len(finite)} of {len(values)} {what} gave "
                              "no value", n=len(values), **conditions)
        if len(finite) < 2:
            return cls.failed(f"one {what.removesuffix('s')} gives no "
                              "interval", n=len(finite), **conditions)
        return cls.summarised(float(finite.mean()), float(finite.std(ddof=1)), len(finite),
                              what, **conditions)

    @classmethod
    def summarised(cls, mean: float, std: float, n: int, what: str = "starts",
                   **conditions) -> Measurement:
        """:meth:`over`'s interval from a record of the values' ``mean``, sample standard
        deviation ``std`` (ddof 1) and number ``n`` instead of the values themselves."""
        if n < 2:
            return cls.failed(f"one {what.removesuffix('s')} gives no interval" if n == 1
                              else f"no {what}", n=n, **conditions)
        if not (np.isfinite(mean) and np.isfinite(std)):
            return cls.failed(f"the record of {n} {what} holds no finite mean and "
                              "deviation", n=n, **conditions)
        half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * std / math.sqrt(n))
        return cls(float(mean), float(mean) - half, float(mean) + half, n,
                   f"{CONFIDENCE:.0%} t-interval over {n} {what}", **conditions)

    @classmethod
    def fitted(cls, value: float, stderr: float, n: int, what: str,
               **conditions) -> Measurement:
        """A fit's estimate with two standard errors either side (``what`` names the fit)."""
        if not (np.isfinite(value) and np.isfinite(stderr)):
            return cls.failed(f"the {what} gave no value", n=n, **conditions)
        return cls(float(value), float(value - 2 * stderr), float(value + 2 * stderr), n,
                   f"± 2 standard errors of the {what}", **conditions)

    @classmethod
    def exact(cls, value: float, n: int, how: str, **conditions) -> Measurement:
        """A value with no spread to speak of (a count, a grid point): its interval is
        itself."""
        if value is None or not np.isfinite(value):
            return cls.failed(f"{how}: no value", n=n, **conditions)
        return cls(float(value), float(value), float(value), n, how, **conditions)

    @classmethod
    def failed(cls, why: str, n: int = 0, **conditions) -> Measurement:
        """No value: ``why`` says what stopped it."""
        return cls(float("nan"), float("nan"), float("nan"), n, "", failure=why,
                   **conditions)

    def to_dict(self) -> dict:
        return {"value": json_number(float(self.value)), "low": json_number(float(self.low)),
                "high": json_number(float(self.high)), "n": self.n, "interval": self.how,
                "model": self.model, "correction": self.correction,
                "converged": self.converged, "failure": self.failure, "note": self.note}


def json_number(value):
    """A number as strict JSON holds it: null where it is not finite."""
    if isinstance(value, (int, float)) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class Verdict:
    """The outcome (:data:`OUTCOMES`), a one-line reason, and for *not tested here* its
    category (:data:`NOT_TESTED`)."""

    outcome: str
    reason: str
    category: str = ""


def judge(claim: PaperClaim, measurement: Measurement) -> Verdict:
    """The verdict on ``claim`` from ``measurement`` (see the module's rules)."""
    if claim.rule is None:
        return _not_tested("no number", f"it says \"{claim.statement}\"")
    measured = not measurement.failure and bool(np.isfinite(measurement.value))
    if measured and claim.preset in ("fast", "reference") and measurement.model != claim.preset:
        return _not_tested("substitute", f"the paper used the {claim.preset.capitalize()}"
                           f"-OGN; this value is the {str(measurement.model).capitalize()}"
                           "-OGN's")
    if measurement.correction:
        return _not_tested("correction", f"measured with {measurement.correction}, which "
                           "the paper does not use")
    if claim.needs_converged and measurement.converged is False:
        return _not_tested("not converged", "the loss still moved more than "
                           f"{CONVERGED_CHANGE:.0%} over the last fifth of its curve")
    if not measured:
        return _not_tested("not measured", measurement.failure or "no value")
    if claim.needs_converged and measurement.converged is None:
        return _not_tested("not measured", "the measurement does not say whether its "
                           "training converged")
    low, high = claim.rule.region
    rule = claim.rule.describe(claim.units)
    if low <= measurement.low and measurement.high <= high:
        return Verdict("reproduced", f"all of the interval is {rule}")
    if measurement.high < low or measurement.low > high:
        return Verdict("not reproduced", f"none of the interval is {rule}")
    return Verdict("partly", f"the interval straddles the bound ({rule})")


def _not_tested(category: str, why: str) -> Verdict:
    return Verdict("not tested here", f"{NOT_TESTED[category]}: {why}", category)


def loss_change_over_last_fifth(loss) -> float:
    """The relative change of a loss curve over its last fifth of epochs, from a straight
    line fitted to log loss there (noise averages out): ``exp(slope x span) - 1``."""
    loss = np.asarray(loss, dtype=float)
    tail = loss[-max(2, math.ceil(LAST_FRACTION * len(loss))):]
    if len(loss) < 2 or not np.all(np.isfinite(tail)) or np.any(tail <= 0):
        return float("nan")
    slope = np.polyfit(np.arange(len(tail)), np.log(tail), 1)[0]
    return float(np.expm1(slope * (len(tail) - 1)))


def converged(loss) -> bool:
    """Whether a loss curve has converged: it moved less than :data:`CONVERGED_CHANGE`
    over its last fifth (a curve of under five epochs has no fifth to judge: False)."""
    if len(loss) < 5:
        return False
    change = loss_change_over_last_fifth(loss)
    return bool(np.isfinite(change) and abs(change) < CONVERGED_CHANGE)


def final_loss(loss, model: str | None = "own") -> Measurement:
    """A training's final loss: the mean over the last fifth of its curve, with the
    t-interval over those epochs (the scatter of the test loss at the end), and whether the
    curve converged (:func:`converged`)."""
    loss = np.asarray(loss, dtype=float)
    tail = loss[-max(2, math.ceil(LAST_FRACTION * len(loss))):]
    return Measurement.over(tail, "epochs of the last fifth", model=model,
                            converged=converged(loss))


def equal_training(first_loss, first_per_epoch: float, second_loss,
                   second_per_epoch: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Two loss curves cut at the same amount of training, that of the shorter one, so
    that their final losses (:func:`final_loss`) compare equal training.

    ``per_epoch`` is the training one epoch of that curve holds, in any unit common to
    both (batches, or configurations seen: batches times batch size). Each curve keeps
    the epochs whose cumulative training is at most the shorter curve's total. Returns the
    two cut curves and that total."""
    if not (first_per_epoch > 0 and second_per_epoch > 0):
        raise ValueError(f"training per epoch {first_per_epoch}, {second_per_epoch}: give "
                         "positive amounts (batches or configurations per epoch)")
    first, second = np.asarray(first_loss, dtype=float), np.asarray(second_loss, dtype=float)
    shared = min(len(first) * first_per_epoch, len(second) * second_per_epoch)
    return (first[:int(shared // first_per_epoch)], second[:int(shared // second_per_epoch)],
            float(shared))


def ratio(numerator: Measurement, denominator: Measurement) -> Measurement:
    """``numerator / denominator`` with the interval of every ratio of values in the two
    intervals (both positive), converged only where both are."""
    conditions = {"model": numerator.model, "correction": numerator.correction,
                  "converged": (None if numerator.converged is None
                                else bool(numerator.converged and denominator.converged))}
    failure = numerator.failure or denominator.failure
    n = min(numerator.n, denominator.n)
    if failure or not denominator.value > 0:
        return Measurement.failed(failure or "a ratio over a value that is not positive",
                                  n=n, **conditions)
    how = (f"ratio, each side's {numerator.how}" if numerator.how == denominator.how
           else f"ratio of ({numerator.how}) and ({denominator.how})")
    value = numerator.value / denominator.value
    if not (denominator.low > 0 and numerator.low > 0):
        # An interval that reaches zero leaves the ratio unbounded.
        return Measurement(value, -math.inf, math.inf, n, how, **conditions)
    return Measurement(value, numerator.low / denominator.high,
                       numerator.high / denominator.low, n, how, **conditions)
