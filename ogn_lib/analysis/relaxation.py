"""How a liquid relaxes along a trajectory, whoever produced it: mean-square displacement
per species and the self-intermediate scattering function with its relaxation time.

    MSD_a(t)  = < |r_j(t0 + t) - r_j(t0)|^2 >_{j of species a, t0}
    F_s(q, t) = < sin(q |dr_j|) / (q |dr_j|) >_{j, t0},   dr_j = r_j(t0 + t) - r_j(t0)

(the isotropic average of exp(i q . dr) over directions of q), and the alpha-relaxation
time tau_alpha by the usual rule: the lag at which F_s(q, t) first falls to 1/e, linearly
interpolated. The diffusion coefficient is the slope of MSD = 6 D t over the last half of
the lags.
"""

from __future__ import annotations

from dataclasses import dataclass

import freud
import numpy as np

from ogn_lib.data.trajectory import Trajectory


@dataclass(frozen=True)
class Curve:
    """A function of lag ``time`` (time unit); lag 0 included."""

    time: np.ndarray
    value: np.ndarray


def _lag_time(trajectory: Trajectory) -> float:
    return trajectory.metadata.dt * trajectory.metadata.period_steps


def mean_square_displacement(unwrapped_positions: np.ndarray, frame_time: float) -> Curve:
    """MSD(t) (length^2) of atoms at ``unwrapped_positions`` ``(F, N, 3)``, frames
    ``frame_time`` apart, over all time origins (freud's window mode); arrays in, as
    freud's own functions take them."""
    msd = freud.msd.MSD(mode="window").compute(np.asarray(unwrapped_positions)).msd
    return Curve(np.arange(len(msd)) * frame_time, np.asarray(msd))


def msd_per_species(trajectory: Trajectory) -> dict[str, Curve]:
    """MSD_a(t) (length^2) of each species of a trajectory (:func:`mean_square_displacement`)."""
    unwrapped = trajectory.unwrapped_positions
    return {name: mean_square_displacement(unwrapped[:, trajectory.typeids == index],
                                           _lag_time(trajectory))
            for index, name in enumerate(trajectory.type_names)}


def diffusion_coefficient(msd: Curve) -> float:
    """D (length^2 per time unit) from MSD = 6 D t fitted through 0 on the last half of the
    lags."""
    late = msd.time >= 0.5 * msd.time[-1]
    if late.sum() < 2:
        raise ValueError("too few lags for a diffusion coefficient; give a longer trajectory")
    t, value = msd.time[late], msd.value[late]
    return float(np.sum(t * value) / np.sum(t * t)) / 6.0


def self_intermediate_scattering(trajectory: Trajectory, q: float,
                                 max_origins: int = 50) -> Curve:
    """F_s(q, t) of a trajectory (:func:`self_intermediate_scattering_of`)."""
    return self_intermediate_scattering_of(trajectory.unwrapped_positions, _lag_time(trajectory),
                                           q, max_origins)


def self_intermediate_scattering_of(unwrapped_positions: np.ndarray, frame_time: float,
                                    q: float, max_origins: int = 50) -> Curve:
    """F_s(q, t) for every lag of ``unwrapped_positions`` ``(F, N, 3)`` (frames
    ``frame_time`` apart), averaged over all atoms and up to ``max_origins`` time origins
    per lag."""
    if not q > 0:
        raise ValueError(f"q={q}: give a positive wave number (1/length)")
    unwrapped = np.asarray(unwrapped_positions, dtype=np.float64)
    n_frames = len(unwrapped)
    values = np.empty(n_frames)
    for lag in range(n_frames):
        origins = np.arange(n_frames - lag)
        origins = origins[np.unique(np.linspace(0, len(origins) - 1, max_origins)
                                    .round().astype(int))]
        distance = np.linalg.norm(unwrapped[origins + lag] - unwrapped[origins], axis=-1)
        values[lag] = np.mean(np.sinc(q * distance / np.pi))  # np.sinc(x) = sin(pi x)/(pi x)
    return Curve(np.arange(n_frames) * frame_time, values)


def relaxation_time(scattering: Curve, level: float = float(np.exp(-1.0))) -> float:
    """tau_alpha: the first lag at which F_s falls to ``level`` (1/e), interpolated
    linearly; NaN when it never does within the trajectory."""
    below = np.flatnonzero(scattering.value <= level)
    if len(below) == 0:
        return float("nan")
    after = int(below[0])
    if after == 0:
        return 0.0
    t0, t1 = scattering.time[after - 1], scattering.time[after]
    f0, f1 = scattering.value[after - 1], scattering.value[after]
    return float(t0 + (f0 - level) * (t1 - t0) / (f0 - f1))
