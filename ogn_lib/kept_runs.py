"""Runs kept at full precision: a list of configurations and why it stopped early, stored
by key with :func:`ogn_lib.keyed_arrays.keyed_arrays` and given back bit for bit.

A trajectory file holds float32 positions and velocities, as the ground truth does; the
in-memory runs that accuracy curves score (a learned rollout's float64 states, an MD
baseline's frames as the engine gathers them) would be rounded by it. Here every field of
every configuration is stacked with its own dtype (positions, velocities, images, type ids,
masses, box, step, energies), so a run read back equals the run made, and what is computed
from it does too. The callers name the run by a :func:`~ogn_lib.keyed_arrays.content_key`
of everything that determines it, the start's arrays (:func:`configuration_arrays`)
included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.keyed_arrays import keyed_arrays

FIELDS = ("box_lengths", "positions", "velocities", "images", "typeids", "masses")
"""The array fields of a configuration, stacked frame by frame."""

ENERGY = "energy:"
"""Prefix of the stored per-frame energies, one array per name."""


def configuration_arrays(configuration: Configuration) -> list[tuple[str, np.ndarray]]:
    """``(name, array)`` of each array field of ``configuration``, for a content key."""
    return [(name, np.asarray(getattr(configuration, name))) for name in FIELDS]


def run_arrays(frames: list[Configuration], failure: str | None) -> dict[str, np.ndarray]:
    """The arrays that store ``frames`` (none when the run failed at once) and
    ``failure`` (None: the run completed)."""
    arrays = {} if failure is None else {"failure": np.array(failure, dtype=str)}
    arrays["steps"] = np.array([int(frame.step) for frame in frames], dtype=np.int64)
    if not frames:
        return arrays
    names = {tuple(frame.type_names) for frame in frames}
    energies = {tuple(sorted(frame.energies)) for frame in frames}
    if len(names) > 1 or len(energies) > 1:
        raise ValueError(f"frames of one run carry type names {sorted(names)} and energies "
                         f"{sorted(energies)}: keep frames of one run of one system")
    arrays.update({name: np.stack([np.asarray(getattr(frame, name)) for frame in frames])
                   for name in FIELDS})
    arrays["type_names"] = np.array(frames[0].type_names, dtype=str)
    arrays.update({ENERGY + name: np.array([frame.energies[name] for frame in frames])
                   for name in energies.pop()})
    return arrays


def run_from_arrays(arrays: dict[str, np.ndarray]) -> tuple[list[Configuration], str | None]:
    """The frames and failure that :func:`run_arrays` stored."""
    failure = str(arrays["failure"]) if "failure" in arrays else None
    if not len(arrays["steps"]):
        return [], failure
    type_names = tuple(str(name) for name in arrays["type_names"])
    energy_names = [name for name in arrays if name.startswith(ENERGY)]
    frames = [Configuration(**{name: arrays[name][index] for name in FIELDS},
                            type_names=type_names, step=int(arrays["steps"][index]),
                            energies={name[len(ENERGY):]: float(arrays[name][index])
                                      for name in energy_names})
              for index in range(len(arrays["steps"]))]
    return frames, failure


def kept_run(folder: Path, kind: str, key: str,
             make: Callable[[], tuple[list[Configuration], str | None]]
             ) -> tuple[list[Configuration], str | None]:
    """The run ``make()`` returns for ``key`` (its frames and why it stopped early, None
    when it did not), read from ``folder`` when an earlier call made it, else made and
    kept there."""
    return run_from_arrays(keyed_arrays(folder, kind, key, lambda: run_arrays(*make())))
