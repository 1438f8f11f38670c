"""The ASE driver beside MD and ``ogn rollout`` from the same starts: what the worked page
"OGN dynamics in ASE" measures.

From each start of held-out MD trajectories the start is handed to ASE as an extended XYZ
file, read back with ``ase.io.read``, and advanced by :class:`OGNDynamics`; every state is
scored against the MD frame k MD steps later (position RMSE per atom), next to the
no-motion guess, and against ``ogn rollout``'s state from the same start (which the
driver must reproduce to float32 rounding).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ogn_lib.analysis.scores import per_atom_rmse
from ogn_lib.configuration import Configuration
from ogn_lib.data.atoms import atoms_from_configuration, configuration_from_atoms
from ogn_lib.data.trajectory import Trajectory, frames_k_steps_apart
from ogn_lib.files import partial_path, write_text_atomic
from ogn_lib.learn.ase_dynamics import OGNDynamics
from ogn_lib.learn.rollout import rollout_states
from ogn_lib.units import unit_system


@dataclass(frozen=True)
class AseComparison:
    """The driver against MD over ``S`` starts, ``P`` predictions each.

    Attributes:
        md_steps: ``(P + 1,)`` MD steps after the start.
        driver_rmse: ``(S, P + 1)`` position RMSE per atom of the driver's states against
            the MD frames at the same MD step, in the system's length unit.
        no_motion_rmse: ``(S, P + 1)`` the same for atoms left at their start.
        rollout_difference: the largest distance of an atom between the driver's and
            ``ogn rollout``'s states, over every start and prediction (length unit).
    """

    md_steps: np.ndarray
    driver_rmse: np.ndarray
    no_motion_rmse: np.ndarray
    rollout_difference: float


def starts_of(truths: list[Trajectory], starts_per_trajectory: int, k_steps: int,
              n_predictions: int) -> list[tuple[Trajectory, int]]:
    """``starts_per_trajectory`` start frames per trajectory, evenly spaced so that each
    has ``n_predictions`` strides of ``k_steps`` MD steps of truth after it."""
    starts = []
    for truth in truths:
        span = n_predictions * k_steps // truth.metadata.period_steps
        last = truth.n_frames - 1 - span
        if last < 0:
            raise ValueError(f"{truth.metadata.system}: {truth.n_frames} frames are fewer "
                             f"than {n_predictions} predictions of {k_steps} MD steps need")
        frames = np.linspace(0, last, starts_per_trajectory).astype(int)
        starts.extend((truth, int(frame)) for frame in frames)
    return starts


def drive(start_file: Path, checkpoint: Path, units: str, n_predictions: int,
          xyz_out: Path | None = None) -> list[Configuration]:
    """Read ``start_file`` with ASE, advance it ``n_predictions`` times by the OGN in
    ``checkpoint``, and return the states (start included) as configurations in
    ``units``; with ``xyz_out``, every state is written there as extended XYZ (the file
    appears when the run is complete)."""
    import ase.io

    atoms = ase.io.read(start_file)
    states = [configuration_from_atoms(atoms, units)]
    dynamics = OGNDynamics(atoms, checkpoint, units)
    dynamics.attach(lambda: states.append(configuration_from_atoms(atoms, units)))
    partial = None if xyz_out is None else partial_path(Path(xyz_out))
    if partial is not None:
        dynamics.attach(lambda: ase.io.write(partial, atoms, format="extxyz", append=True))
    try:
        dynamics.run(n_predictions)
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    if partial is not None:
        os.replace(partial, xyz_out)
    return states[:1] + states[2:]  # ASE's observers also see the start, before step 1


def compare_with_md(checkpoint: Path, truths: list[Trajectory], n_predictions: int,
                    starts_per_trajectory: int, folder: Path) -> AseComparison:
    """The driver of ``checkpoint`` from starts spread over ``truths`` (held-out MD of its
    system), each start written to ``folder`` as extended XYZ and read back by ASE; the
    first start's states are written to ``folder/ogn-dynamics.xyz``."""
    import ase.io

    from ogn_lib.learn.trained_models import load_checked

    simulator = load_checked(checkpoint)
    k_steps = simulator.spec.k_steps
    starts = starts_of(truths, starts_per_trajectory, k_steps, n_predictions)
    folder.mkdir(parents=True, exist_ok=True)
    driver_rmse, no_motion_rmse, difference = [], [], 0.0
    for index, (truth, frame) in enumerate(starts):
        units = unit_system(truth.metadata.units).name
        md = frames_k_steps_apart(truth, k_steps, frame, n_predictions)
        start_file, text = folder / f"start-{index}.xyz", io.StringIO()
        ase.io.write(text, atoms_from_configuration(md[0], units), format="extxyz")
        write_text_atomic(start_file, text.getvalue())
        xyz_out = folder / "ogn-dynamics.xyz" if index == 0 else None
        if xyz_out is not None:
            xyz_out.unlink(missing_ok=True)
        driven = drive(start_file, checkpoint, units, n_predictions, xyz_out)
        rolled = [md[0], *rollout_states(simulator, md[0], n_predictions)]
        driver_rmse.append([_rmse(state, truth_state) for state, truth_state in zip(driven, md)])
        no_motion_rmse.append([_rmse(md[0], truth_state) for truth_state in md])
        difference = max(difference, max(
            float(np.abs(a.unwrapped_positions - b.unwrapped_positions).max())
            for a, b in zip(driven, rolled)))
    return AseComparison(md_steps=np.arange(n_predictions + 1) * k_steps,
                         driver_rmse=np.array(driver_rmse),
                         no_motion_rmse=np.array(no_motion_rmse),
                         rollout_difference=difference)


def _rmse(state: Configuration, truth: Configuration) -> float:
    return per_atom_rmse(state.unwrapped_positions - truth.unwrapped_positions)
