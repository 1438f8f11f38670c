"""System-level validation of a rollout against MD from the same start: structure,
relaxation and energy, reduced to ratios OGN / MD (1 is perfect agreement).

The measures are those of :mod:`ogn_lib.analysis.structure` and
:mod:`ogn_lib.analysis.relaxation`, taken with the same settings on both trajectories over
the same span of MD steps: the first peak of every g_ab(r), the diffusion coefficient of
every species, tau_alpha from F_s(q, t) at the main peak of the true S(q), and for a
network former the coordination and bond-angle distribution of its first shell (the
shell's cutoff is the first minimum of the true g_ab). :mod:`ogn_lib.studies.rollout_validation`
runs the whole comparison for a shipped model in each rollout ensemble, and
:mod:`ogn_lib.studies.engine_comparison` compares two MD engines with the same measures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ogn_lib.analysis.relaxation import (
    Curve,
    diffusion_coefficient,
    msd_per_species,
    relaxation_time,
    self_intermediate_scattering,
)
from ogn_lib.analysis.structure import (
    PairDistribution,
    bond_angles,
    coordination,
    pair_distributions,
    structure_factor_peak,
)
from ogn_lib.data.trajectory import Trajectory


@dataclass(frozen=True)
class ValidationSettings:
    """How one system is measured: ``r_max`` of g(r) (length), the range of wave numbers
    (1/length) that holds the main peak of S(q), and, for a network former, the
    ``(centre, neighbour)`` species of its first shell."""

    r_max: float
    q_range: tuple[float, float]
    shell: tuple[str, str] | None = None


VALIDATION_SETTINGS = {
    "lj": ValidationSettings(r_max=3.0, q_range=(4.0, 10.0)),
    "silica": ValidationSettings(r_max=7.0, q_range=(4.0, 6.0), shell=("Si", "O")),
    "si": ValidationSettings(r_max=7.0, q_range=(1.5, 4.0)),
    "cuzr": ValidationSettings(r_max=7.0, q_range=(2.0, 4.0)),
    "lj-glass": ValidationSettings(r_max=3.0, q_range=(4.0, 10.0)),
}
"""Per system of the paper, and for the LJ glass; a 265-atom KA-LJ box (6.04 sigma, the
liquid's test trajectories and the glass's) holds g(r) only up to 3 sigma; lengths in sigma
(KA-LJ) or Angstrom. The q ranges hold the main peak of each liquid's number-number S(q):
about 7.3 per sigma for KA-LJ, 2.5 and 2.7 per Angstrom for Si and Cu-Zr; for silica at 4000
K, where the peak near 2.8 per Angstrom is weak in the unweighted S(q), the peak near 4.9
per Angstrom beyond the first sharp diffraction peak (1.6 per Angstrom)."""


@dataclass(frozen=True)
class SystemLevel:
    """The measures of one trajectory."""

    rdf: dict[tuple[str, str], PairDistribution]
    msd: dict[str, Curve]
    diffusion: dict[str, float]
    """Per species, length^2 per time unit."""
    q: float
    scattering: Curve
    tau_alpha: float
    """Time unit; NaN when F_s stays above 1/e."""
    shell_cutoff: float | None = None
    coordination: float | None = None
    angles: np.ndarray | None = None
    """Bond angles of the first shell, degrees."""


def first_md_steps(trajectory: Trajectory, md_steps: int) -> Trajectory:
    """The frames of ``trajectory`` within ``md_steps`` MD steps of its first."""
    return md_step_window(trajectory, 0, md_steps)


def md_step_window(trajectory: Trajectory, start_md_step: int, md_steps: int,
                   period_steps: int | None = None) -> Trajectory:
    """The frames of ``trajectory`` from ``start_md_step`` MD steps after its first to
    ``md_steps`` after that, every ``period_steps`` MD steps (default: every frame; a
    multiple of the trajectory's period); MD steps count from the window's first frame in
    the analyses that read it."""
    period = trajectory.metadata.period_steps
    if period_steps is not None and period_steps % period:
        raise ValueError(f"a period of {period_steps} MD steps from frames every {period}: "
                         f"give a multiple of {period}")
    offset = trajectory.steps - trajectory.steps[0] - start_md_step
    keep = (offset >= 0) & (offset <= md_steps)
    if period_steps is not None:
        keep &= offset % period_steps == 0
    n_frames = int(np.sum(keep))
    return replace(trajectory, positions=trajectory.positions[keep],
                   velocities=trajectory.velocities[keep], images=trajectory.images[keep],
                   steps=trajectory.steps[keep],
                   energies={k: v[keep] for k, v in trajectory.energies.items()},
                   metadata=replace(trajectory.metadata, n_frames=n_frames,
                                    period_steps=period_steps or period))


def system_level(trajectory: Trajectory, settings: ValidationSettings,
                 reference: SystemLevel | None = None, q: float | None = None) -> SystemLevel:
    """Measure ``trajectory``; with a ``reference`` (the truth's measures) its q and first
    shell cutoff are used, so that prediction and truth are measured alike. Without one,
    F_s is taken at ``q`` when given (the peak of this trajectory's S(q), found before),
    else at the peak of S(q) found here."""
    rdf = pair_distributions(trajectory, settings.r_max)
    msd = msd_per_species(trajectory)
    if reference is not None:
        q = reference.q
    elif q is None:
        q = structure_factor_peak(trajectory, *settings.q_range)
    scattering = self_intermediate_scattering(trajectory, q)
    shell = {}
    if settings.shell is not None:
        centre, neighbour = settings.shell
        cutoff = (reference.shell_cutoff if reference is not None
                  else rdf[tuple(sorted(settings.shell, key=trajectory.type_names.index))]
                  .first_minimum)
        shell = {"shell_cutoff": cutoff,
                 "coordination": coordination(trajectory, centre, neighbour, cutoff),
                 "angles": bond_angles(trajectory, centre, neighbour, cutoff)}
    return SystemLevel(rdf=rdf, msd=msd,
                       diffusion={name: diffusion_coefficient(curve)
                                  for name, curve in msd.items()},
                       q=q, scattering=scattering, tau_alpha=relaxation_time(scattering),
                       **shell)


def ratios(predicted: SystemLevel, truth: SystemLevel,
           settings: ValidationSettings) -> dict[str, float]:
    """Each measure of the prediction over the truth's, named for a table. Where the truth's
    F_s(q, t) stays above 1/e (a glass: no tau_alpha, so its ratio is NaN), F_s at half
    the run's length, on the plateau of the caged atoms, is compared as well (at the
    longest lag it would rest on a single time origin)."""
    result = {f"g_{a}{b}(r) first-peak height": predicted.rdf[a, b].first_peak[1]
              / truth.rdf[a, b].first_peak[1] for a, b in truth.rdf}
    result.update({f"D of {name}": predicted.diffusion[name] / truth.diffusion[name]
                   for name in truth.diffusion})
    result["tau_alpha"] = predicted.tau_alpha / truth.tau_alpha
    if not np.isfinite(truth.tau_alpha):
        half = truth.scattering.time[-1] / 2  # rollout and truth record on their own grids
        result["F_s(q, t) at half the run"] = float(
            np.interp(half, predicted.scattering.time, predicted.scattering.value)
            / np.interp(half, truth.scattering.time, truth.scattering.value))
    if settings.shell is not None:
        centre, neighbour = settings.shell
        result[f"{centre}-{neighbour} coordination"] = (predicted.coordination
                                                       / truth.coordination)
        result[f"mean {neighbour}-{centre}-{neighbour} angle"] = (
            float(np.mean(predicted.angles)) / float(np.mean(truth.angles)))
    return result
