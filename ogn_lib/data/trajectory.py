"""GSD trajectories in HOOMD-blue's layout, with a JSON sidecar for units and provenance.

A trajectory file ``name.gsd`` holds every recorded frame with positions (wrapped into
``[-L/2, L/2)``), velocities, image flags, type ids, box and the thermodynamic quantities
under the log names HOOMD-blue writes itself, so HOOMD and freud users can open it as is.
Velocities are stored in every frame (HOOMD's own writer needs ``dynamic=['momentum']`` for
that). The sidecar ``name.json`` holds units, the MD step, the recording period, the
provenance of the file and the SHA-256 of the GSD bytes, and is written last: a GSD file
without a matching sidecar is incomplete.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from numbers import Integral, Real
from pathlib import Path

import gsd.hoomd
import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.files import file_sha256, partial_path
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


class TrajectoryError(RuntimeError):
    """A trajectory file is missing, truncated, corrupt or inconsistent with its sidecar."""


@dataclass(frozen=True)
class TrajectoryMetadata:
    """The sidecar of a trajectory: what the code reads, typed, and the rest in ``extra``.

    Required: ``system`` (name in ``SYSTEMS``), ``dt`` (MD step, time unit),
    ``period_steps`` (MD steps between frames) and ``n_frames``. The optional fields are
    ``None`` when the sidecar lacks them: ``units`` (the unit table ``ogn generate``
    writes), ``gsd_sha256`` (``None`` for a trajectory held in memory), ``key`` (the
    catalogue's cache key), ``parameters`` (the protocol's conditions), ``quench`` (the
    melt-quench log) and ``blow_up`` (why a rollout stopped early). ``extra`` holds every
    other key, and a typed optional key stored as null (a completed rollout's
    ``blow_up``), so that :meth:`to_dict` gives back the sidecar exactly.
    """

    system: str
    dt: float
    period_steps: int
    n_frames: int
    units: dict | str | None = None
    gsd_sha256: str | None = None
    key: str | None = None
    parameters: dict | None = None
    quench: dict | None = None
    blow_up: str | None = None
    extra: dict = field(default_factory=dict)

    REQUIRED = ("system", "dt", "period_steps", "n_frames")

    @classmethod
    def from_dict(cls, sidecar: dict, source: Path | str = "sidecar") -> TrajectoryMetadata:
        """Read the sidecar's JSON object; ``source`` (its path) names it in errors."""
        if not isinstance(sidecar, dict):
            raise TrajectoryError(
                f"{source}: the sidecar holds a JSON {type(sidecar).__name__}, not an object "
                "of named fields; delete it and regenerate the trajectory with `ogn generate`.")
        missing = [key for key in cls.REQUIRED if sidecar.get(key) is None]
        if missing:
            raise TrajectoryError(
                f"{source}: sidecar lacks {', '.join(map(repr, missing))} (needs "
                f"{', '.join(cls.REQUIRED)}); delete it and regenerate the trajectory "
                "with `ogn generate`.")
        typed = {f.name for f in fields(cls)} - {"extra"}
        given = {k: v for k, v in sidecar.items() if k in typed and v is not None}
        for key, value in given.items():
            _check_sidecar_value(key, value, source)
        extra = {k: v for k, v in sidecar.items() if k not in given}
        return cls(**given, extra=extra)

    @property
    def temperature(self) -> float | None:
        """The set-point temperature of the recorded frames, in the system's unit: the
        protocol's ``temperature`` (a liquid) or ``t_glass`` (a melt-quenched glass, recorded
        after a hold there); None when the sidecar does not say."""
        parameters = self.parameters or {}
        value = parameters.get("temperature", parameters.get("t_glass"))
        return None if value is None else float(value)

    def to_dict(self) -> dict:
        """The sidecar's JSON object, key for key as :meth:`from_dict` read it."""
        typed = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        return {**self.extra, **{k: v for k, v in typed.items() if v is not None}}


_SIDECAR_TYPES = {
    "system": (str, "a system name"), "dt": (Real, "a positive MD step"),
    "period_steps": (Integral, "a whole number of MD steps, at least 1"),
    "n_frames": (Integral, "a whole number of frames, at least 1"),
    "units": ((dict, str), "a unit table or name"), "gsd_sha256": (str, "a hex digest"),
    "key": (str, "a cache key"), "parameters": (dict, "an object"),
    "quench": (dict, "an object"), "blow_up": (str, "a reason"),
}


def _check_sidecar_value(key: str, value, source) -> None:
    """A typed sidecar field holds what readers expect (JSON has no integers of its own,
    so a period of 2.5 or an MD step of "0.005" would otherwise fail far from the file)."""
    expected, meaning = _SIDECAR_TYPES[key]
    valid = isinstance(value, expected) and not isinstance(value, bool)
    if valid and key == "dt":
        valid = value > 0
    elif valid and key in ("period_steps", "n_frames"):
        valid = value >= 1
    if not valid:
        raise TrajectoryError(
            f"{source}: sidecar field {key!r} = {value!r} is not {meaning}; delete the "
            "sidecar and regenerate the trajectory with `ogn generate`.")


def sidecar_path(gsd_path: Path) -> Path:
    return Path(gsd_path).with_suffix(".json")


def _first_frame(configuration: Configuration) -> gsd.hoomd.Frame:
    """Frame 0 holds everything, constants included (types, masses, box)."""
    frame = gsd.hoomd.Frame()
    frame.configuration.step = int(configuration.step)
    frame.configuration.box = [*map(float, configuration.box_lengths), 0.0, 0.0, 0.0]
    frame.particles.N = configuration.n_atoms
    frame.particles.types = list(configuration.type_names)
    frame.particles.typeid = np.ascontiguousarray(configuration.typeids, dtype=np.uint32)
    frame.particles.mass = np.ascontiguousarray(configuration.masses, dtype=np.float32)
    frame.particles.position = np.ascontiguousarray(configuration.positions, dtype=np.float32)
    frame.particles.velocity = np.ascontiguousarray(configuration.velocities, dtype=np.float32)
    frame.particles.image = np.ascontiguousarray(configuration.images, dtype=np.int32)
    for short, key in LOG_KEYS.items():
        if short in configuration.energies:
            frame.log[key] = np.array([configuration.energies[short]], dtype=np.float64)
    return frame


def _dynamic_chunks(configuration: Configuration) -> dict[str, np.ndarray]:
    """What changes from frame to frame; readers take the rest from frame 0, as they do
    in HOOMD-blue's own files."""
    chunks = {
        "configuration/step": np.array([configuration.step], dtype=np.uint64),
        "particles/position": np.ascontiguousarray(configuration.positions, dtype=np.float32),
        "particles/velocity": np.ascontiguousarray(configuration.velocities, dtype=np.float32),
        "particles/image": np.ascontiguousarray(configuration.images, dtype=np.int32),
    }
    for short, key in LOG_KEYS.items():
        if short in configuration.energies:
            chunks["log/" + key] = np.array([configuration.energies[short]],
                                            dtype=np.float64)
    return chunks


class TrajectoryWriter:
    """Appends configurations to a GSD file that appears under its name only when complete.

    Frames go to a partial file of the writer's own; :meth:`commit` closes it, renames it
    atomically to ``name.gsd`` and writes the sidecar. A writer left without commit (an
    interrupted run) leaves no file under the final name, so an existing good file is never
    damaged.
    """

    def __init__(self, path: Path, period_steps: int = 1):
        if period_steps < 1:
            raise ValueError(f"period_steps={period_steps}: a writer needs a period of at "
                             "least 1 MD step")
        self.path = Path(path)
        self.period_steps = int(period_steps)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._partial = partial_path(self.path)
        self._file = gsd.hoomd.open(str(self._partial), mode="w")
        self.n_frames = 0

    def append(self, configuration: Configuration) -> None:
        if self.n_frames == 0:
            self._file.append(_first_frame(configuration))
        else:
            for name, data in _dynamic_chunks(configuration).items():
                self._file.file.write_chunk(name, data)
            self._file.file.end_frame()
        self.n_frames += 1

    def commit(self, metadata: dict) -> None:
        """Close, move the file into place and write its sidecar: ``metadata`` (``system``
        and ``dt`` at least, then units and provenance), the frame count, period and hash."""
        missing = [key for key in ("system", "dt") if metadata.get(key) is None]
        if missing:
            raise ValueError(f"{self.path}: commit metadata lacks {missing}; give the system "
                             "name 'system' and the MD step 'dt', which every reader needs")
        self._close()
        sidecar = TrajectoryMetadata.from_dict(
            dict(metadata, n_frames=self.n_frames, period_steps=self.period_steps,
                 gsd_sha256=file_sha256(self._partial)), sidecar_path(self.path))
        # The sidecar is written in full before either file takes its name, so that a full
        # disk leaves neither a GSD without sidecar nor a sidecar without GSD; the two
        # renames cannot run out of space.
        side_partial = partial_path(sidecar_path(self.path))
        try:
            side_partial.write_text(json.dumps(sidecar.to_dict(), indent=2, sort_keys=True)
                                    + "\n", encoding="utf-8")
            os.replace(self._partial, self.path)
            os.replace(side_partial, sidecar_path(self.path))
        except BaseException:
            side_partial.unlink(missing_ok=True)
            raise

    def abort(self) -> None:
        """Drop the partial file, even when closing it fails (a full disk)."""
        try:
            self._close()
        except OSError:
            self._file = None  # the file is going anyway; what failed is reported already
        finally:
            self._partial.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.abort()


def read_metadata(path: Path) -> TrajectoryMetadata:
    side = sidecar_path(path)
    if not side.exists():
        raise TrajectoryError(
            f"{path}: no sidecar {side.name}; the file is incomplete or was not written by "
            "ogn. Bring another program's file in with `ogn convert`; regenerate one of "
            "ogn's data sets with `ogn generate`.")
    try:
        sidecar = json.loads(side.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise TrajectoryError(f"{side}: not valid JSON ({error}); delete it and regenerate "
                              "with `ogn generate`.") from error
    except OSError as error:
        raise TrajectoryError(f"{side}: the sidecar cannot be read ({error.strerror}); "
                              "it should be the JSON file `ogn generate` wrote") from error
    return TrajectoryMetadata.from_dict(sidecar, side)


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
