"""GSD trajectories in HOOMD-blue's layout, read whole and checked against their sidecar.

A trajectory file ``name.gsd`` holds every recorded frame with positions (wrapped into
``[-L/2, L/2)``), velocities, image flags, type ids, box and the thermodynamic quantities
under the log names HOOMD-blue writes itself (:data:`LOG_KEYS`), so HOOMD and freud users
can open it as is. Velocities are stored in every frame (HOOMD's own writer needs
``dynamic=['momentum']`` for that). The sidecar ``name.json`` (:mod:`ogn_lib.data.sidecar`)
holds units, the MD step, the recording period, the provenance of the file and the SHA-256
of the GSD bytes, and is written last (:mod:`ogn_lib.data.trajectory_writer`): a GSD file
without a matching sidecar is incomplete. A :class:`Trajectory` holds one in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gsd.hoomd
import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.data.sidecar import TrajectoryError, TrajectoryMetadata, read_metadata
from ogn_lib.files import file_sha256
from ogn_lib.periodic import unwrap

_THERMO = "md/compute/ThermodynamicQuantities/"
LOG_KEYS = {
    "potential_energy": _THERMO + "potential_energy",
    "kinetic_energy": _THERMO + "kinetic_energy",
    "kinetic_temperature": _THERMO + "kinetic_temperature",
    "pressure": _THERMO + "pressure",
}
"""Short names -> HOOMD-blue log keys. Energies are totals (not per atom) in the system's
energy unit; ``kinetic_temperature`` is k_B T in that energy unit, as HOOMD writes it."""


def validate(path: Path) -> TrajectoryMetadata:
    """Check that a trajectory is whole: sidecar present, SHA-256 and frame count match.

    Returns the sidecar metadata; raises :class:`TrajectoryError` naming the problem.
    """
    path = Path(path)
    if path.suffix == ".json" and path.with_suffix(".gsd").exists():
        raise TrajectoryError(f"{path}: the JSON sidecar of a trajectory, not the trajectory; "
                              f"give {path.with_suffix('.gsd')}")
    if not path.exists():
        raise TrajectoryError(f"{path}: no such trajectory; run `ogn generate` to make it.")
    if not path.is_file():
        raise TrajectoryError(f"{path}: a folder, not a trajectory; give a .gsd file.")
    metadata = read_metadata(path)
    actual = file_sha256(path)
    if actual != metadata.gsd_sha256:
        raise TrajectoryError(
            f"{path}: contents (sha256 {actual[:12]}) do not match the sidecar "
            f"({str(metadata.gsd_sha256)[:12]}); the file is truncated or was "
            "modified. Delete it and run `ogn generate` again.")
    try:
        with gsd.hoomd.open(str(path), mode="r") as trajectory:
            n_frames = len(trajectory)
            steps = check_frames(path, trajectory.file)
    except TrajectoryError:
        raise
    except (RuntimeError, OSError, ValueError) as error:
        raise TrajectoryError(f"{path}: unreadable GSD ({error}); regenerate it.") from error
    if n_frames != metadata.n_frames:
        raise TrajectoryError(
            f"{path}: {n_frames} frames, sidecar says {metadata.n_frames}; regenerate it.")
    gaps = set(np.diff(steps).tolist())
    if gaps and gaps != {metadata.period_steps}:
        raise TrajectoryError(
            f"{path}: frames are {' or '.join(map(str, sorted(gaps)))} MD steps apart, "
            f"but the sidecar's period_steps is {metadata.period_steps}; the sidecar does "
            "not belong to this file. Regenerate the trajectory with `ogn generate`.")
    return metadata


def check_frames(path: Path, file) -> np.ndarray:
    """The MD step of each frame of the open GSD ``file`` (``gsd.fl.GSDFile``), after
    checking that it holds what :class:`Trajectory` can represent: a box that is
    orthorhombic and the same in every frame, and velocities stored in every frame (GSD
    readers silently repeat frame 0's velocities in frames that lack them, as in a
    HOOMD-blue file written without ``dynamic=['momentum']``)."""
    if file.nframes == 0:
        raise TrajectoryError(f"{path}: the GSD file holds no frame; regenerate it.")
    if not file.chunk_exists(0, "configuration/box"):
        raise TrajectoryError(f"{path}: frame 0 has no box; give a trajectory whose first "
                              "frame stores configuration/box.")
    box = file.read_chunk(0, "configuration/box")
    if np.any(box[3:6] != 0):
        raise TrajectoryError(
            f"{path}: the box is tilted (tilt factors xy, xz, yz = "
            f"{', '.join(f'{t:g}' for t in box[3:6])}); only orthorhombic boxes are "
            "supported. Re-run the MD in an orthorhombic box.")
    steps = []
    for frame in range(file.nframes):
        if not file.chunk_exists(frame, "particles/velocity"):
            raise TrajectoryError(
                f"{path}: frame {frame} stores no velocities; the OGN needs them in every "
                "frame. Record them (HOOMD-blue: GSD writer with dynamic=['property', "
                "'momentum']) or regenerate the trajectory with `ogn generate`.")
        if frame and file.chunk_exists(frame, "configuration/box") and not np.array_equal(
                file.read_chunk(frame, "configuration/box"), box):
            raise TrajectoryError(f"{path}: the box changes at frame {frame}; only "
                                  "constant-volume trajectories are supported.")
        has_step = file.chunk_exists(frame, "configuration/step")
        steps.append(int(file.read_chunk(frame, "configuration/step")[0]) if has_step
                     else steps[0] if steps else 0)
    return np.asarray(steps, dtype=np.int64)


@dataclass(frozen=True)
class Trajectory:
    """A whole trajectory in memory, frames stacked along the first axis.

    Attributes:
        box_lengths: ``(3,)``.
        positions: ``(F, N, 3)`` wrapped; ``velocities`` and ``images`` likewise.
        steps: ``(F,)`` MD step of each frame.
        typeids, masses: ``(N,)``; ``type_names``: species names.
        energies: short name (see :data:`LOG_KEYS`) -> ``(F,)`` array.
        metadata: the sidecar (system, MD step, period, units, provenance).
    """

    box_lengths: np.ndarray
    positions: np.ndarray
    velocities: np.ndarray
    images: np.ndarray
    steps: np.ndarray
    typeids: np.ndarray
    type_names: tuple[str, ...]
    masses: np.ndarray
    energies: dict
    metadata: TrajectoryMetadata

    @property
    def n_frames(self) -> int:
        return len(self.positions)

    @property
    def unwrapped_positions(self) -> np.ndarray:
        return unwrap(self.positions, self.images, self.box_lengths)

    def configuration(self, index: int) -> Configuration:
        return Configuration(
            box_lengths=self.box_lengths, positions=self.positions[index],
            velocities=self.velocities[index], images=self.images[index],
            typeids=self.typeids, type_names=self.type_names, masses=self.masses,
            step=int(self.steps[index]),
            energies={k: float(v[index]) for k, v in self.energies.items()})


def frame_stride(trajectory: Trajectory, k_steps: int) -> int:
    """Frames of ``trajectory`` per ``k_steps`` MD steps; refuses a k that is not a
    multiple of the recording period."""
    period = trajectory.metadata.period_steps
    if k_steps % period:
        raise ValueError(f"k = {k_steps} MD steps is not a multiple of the trajectory's "
                         f"recording period {period}; use a trajectory recorded every "
                         f"{k_steps} steps or a divisor of it")
    return k_steps // period


def frames_k_steps_apart(trajectory: Trajectory, k_steps: int, start_frame: int,
                         n_strides: int) -> list[Configuration]:
    """The recorded states at ``start_frame`` and k, 2k, ..., ``n_strides`` k MD steps
    after it (``n_strides + 1`` configurations), checked to exist."""
    stride = frame_stride(trajectory, k_steps)
    last = start_frame + n_strides * stride
    if start_frame < 0 or last >= trajectory.n_frames:
        raise ValueError(
            f"start frame {start_frame} + {n_strides} predictions of {k_steps} MD steps "
            f"needs frame {last}, but the trajectory has {trajectory.n_frames} frames; "
            "choose an earlier start or fewer predictions")
    return [trajectory.configuration(start_frame + i * stride) for i in range(n_strides + 1)]


def read_trajectory(path: Path, check: bool = True) -> Trajectory:
    """Load a GSD trajectory (validated against its sidecar unless ``check=False``)."""
    path = Path(path)
    metadata = validate(path) if check else read_metadata(path)
    with gsd.hoomd.open(str(path), mode="r") as frames:
        if not check:
            check_frames(path, frames.file)
        first = frames[0]
        positions, velocities, images, steps = [], [], [], []
        energies = {short: [] for short, key in LOG_KEYS.items() if key in first.log}
        for frame in frames:
            positions.append(frame.particles.position)
            velocities.append(frame.particles.velocity)
            images.append(frame.particles.image)
            steps.append(frame.configuration.step)
            for short in energies:
                energies[short].append(frame.log[LOG_KEYS[short]][0])
    return Trajectory(
        box_lengths=np.asarray(first.configuration.box[:3], dtype=np.float64),
        positions=np.stack(positions), velocities=np.stack(velocities),
        images=np.stack(images), steps=np.asarray(steps, dtype=np.int64),
        typeids=np.asarray(first.particles.typeid), type_names=tuple(first.particles.types),
        masses=np.asarray(first.particles.mass, dtype=np.float64),
        energies={k: np.asarray(v) for k, v in energies.items()}, metadata=metadata)


def trajectory_from_configurations(configurations: list[Configuration],
                                   metadata: dict) -> Trajectory:
    """Stack configurations of one system (e.g. a learned rollout held in memory) into a
    :class:`Trajectory`, so analyses read it like a file. ``metadata`` (sidecar keys) must
    give ``system``, ``dt`` (the MD step) and ``period_steps`` (MD steps between consecutive
    configurations); ``n_frames`` is the number of configurations."""
    if not configurations:
        raise ValueError("no configurations given; pass at least the starting one")
    missing = [key for key in ("system", "dt", "period_steps") if metadata.get(key) is None]
    if missing:
        raise ValueError(f"metadata lacks {missing}: give the system name 'system', the MD "
                         "step 'dt' and the MD steps between configurations 'period_steps'")
    first = configurations[0]
    for configuration in configurations[1:]:
        if (configuration.n_atoms != first.n_atoms
                or not np.array_equal(configuration.box_lengths, first.box_lengths)):
            raise ValueError(
                f"configuration at step {configuration.step} ({configuration.n_atoms} atoms, "
                f"box {configuration.box_lengths}) differs from the first ({first.n_atoms} "
                f"atoms, box {first.box_lengths}): stack configurations of one system only")
    shared = set.intersection(*(set(c.energies) for c in configurations))
    return Trajectory(
        box_lengths=np.asarray(first.box_lengths, dtype=np.float64),
        positions=np.stack([c.positions for c in configurations]),
        velocities=np.stack([c.velocities for c in configurations]),
        images=np.stack([c.images for c in configurations]),
        steps=np.array([c.step for c in configurations], dtype=np.int64),
        typeids=first.typeids, type_names=tuple(first.type_names), masses=first.masses,
        energies={k: np.array([c.energies[k] for c in configurations]) for k in sorted(shared)},
        metadata=TrajectoryMetadata.from_dict(dict(metadata, n_frames=len(configurations))))
