"""Writing a GSD trajectory frame by frame, so that it appears under its name only when
complete and with its sidecar beside it. Frame 0 holds everything, later frames what
changes, as in HOOMD-blue's own files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import gsd.hoomd
import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.data.sidecar import TrajectoryMetadata, sidecar_path
from ogn_lib.data.trajectory import LOG_KEYS
from ogn_lib.files import file_sha256, partial_path


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
