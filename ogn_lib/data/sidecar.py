"""The JSON sidecar ``name.json`` of a GSD trajectory ``name.gsd``: units, the MD step, the
recording period, the provenance of the file and the SHA-256 of the GSD bytes, read into a
typed :class:`TrajectoryMetadata`; :class:`TrajectoryError` names what is wrong with a
trajectory or its sidecar."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from numbers import Integral, Real
from pathlib import Path


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
