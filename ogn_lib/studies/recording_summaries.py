"""What the recordings' records say (:mod:`ogn_lib.studies.recorded_training`): which
recordings of a data set have begun, the held-out curve of one against its CPU-hours (after
that of the recording it continues) and where it stands, for the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.studies.recorded_training import (
    RECORDINGS,
    RECORDS_FOLDER,
    Recording,
    read_record,
    recording,
)


def recordings_of(name: str, folder: Path = RECORDS_FOLDER) -> list[Recording]:
    """The recordings of data set ``name`` that have reached a milestone in ``folder``, in
    the order they run."""
    return [each for each in RECORDINGS if each.name == name
            and read_record(folder / f"{each.key}.json").get("milestones")]


@dataclass(frozen=True)
class HeldOutCurve:
    """A recording's held-out position RMSE after ``md_steps`` MD steps at each milestone,
    against the training's CPU-hours so far; ``complete`` once its training has ended."""

    key: str
    md_steps: int
    hours: np.ndarray
    rmse: list[Measurement]
    complete: bool
    own_from: int = 0
    """Index of the first milestone of this recording's own training (after those of the
    recording it continues)."""


def held_out_curve(key: str, md_steps: int = 100, folder: Path = RECORDS_FOLDER
                   ) -> HeldOutCurve:
    """Recording ``key``'s :class:`HeldOutCurve` from its record in ``folder``: the mean
    over its held-out starts at each milestone, with its interval over them; a recording
    that continues another has that one's curve before its own."""
    path = folder / f"{key}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no record of recording {key!r}; train it with "
                                f"`python scripts/recorded_training.py {key}`")
    entry = read_record(path)
    rmse = [_rmse(milestone["score"], md_steps, path) for milestone in entry["milestones"]]
    hours = np.array([m["cpu_s"] / 3600 for m in entry["milestones"]])
    complete = (bool(entry["milestones"])
                and entry["milestones"][-1]["epoch"] == entry.get("epochs"))
    own_from = 0
    if "continues" in entry:
        earlier = held_out_curve(entry["continues"]["recording"], md_steps, folder)
        hours = np.concatenate([earlier.hours, hours + entry["continues"]["cpu_s"] / 3600])
        rmse, own_from = earlier.rmse + rmse, len(earlier.rmse)
    return HeldOutCurve(key, md_steps, hours, rmse, complete, own_from)


def _rmse(scored: dict, md_steps: int, path: Path) -> Measurement:
    """The held-out RMSE after ``md_steps`` MD steps of one score in record ``path``, with
    its interval over the score's starts."""
    if md_steps not in scored["md_steps"]:
        raise ValueError(f"{path}: scored after {scored['md_steps']} MD steps, not {md_steps}")
    at = scored["md_steps"].index(md_steps)
    return Measurement.summarised(scored["OGN"]["mean"][at], scored["OGN"]["std"][at],
                                  scored["starts"])


@dataclass(frozen=True)
class RecordingSummary:
    """Where a recording stands: epochs and CPU-hours trained (``earlier_hours`` those of
    the recording it ``continues``, if any), the last milestone's test loss, the held-out
    RMSE after ``md_steps`` MD steps (of the final score from more starts once it has
    ended, else of the last milestone), and once it has ended the raw NVE energy check over
    its held-out starts (largest excursion of each, fitted drift as a mean with its interval, both over
    the mean kinetic energy), the velocity-change R^2 of each held-out trajectory and the
    kinetic-energy error of one prediction."""

    key: str
    epochs_done: int
    epochs: int
    hours: float
    continues: str
    earlier_hours: float
    md_steps: int
    test_loss: float
    rmse: Measurement
    excursion: list[float] | None
    drift: Measurement | None
    r2: list[float] | None
    kinetic_error: Measurement | None = None
    """Mean relative kinetic-energy error of one prediction from true held-out states,
    with its interval over the held-out trajectories, once ended."""
    changes: dict = field(default_factory=dict)
    """The recording's changes to the quick profile's training settings and network
    (:attr:`~ogn_lib.studies.recorded_training.Recording.training` and ``model``)."""

    @property
    def complete(self) -> bool:
        return self.epochs_done == self.epochs


def recording_summary(key: str, md_steps: int = 100, folder: Path = RECORDS_FOLDER
                      ) -> RecordingSummary:
    """:class:`RecordingSummary` of recording ``key`` from its record in ``folder``, which
    must hold at least one milestone."""
    curve = held_out_curve(key, md_steps, folder)
    path = folder / f"{key}.json"
    entry = read_record(path)
    if not entry["milestones"]:
        raise ValueError(f"recording {key!r} has reached no milestone yet; summarise it "
                         "after its first")
    last = entry["milestones"][-1]
    energy = entry.get("energy")
    continues = entry.get("continues", {"recording": "", "cpu_s": 0.0})
    return RecordingSummary(
        key, last["epoch"], entry["epochs"], last["cpu_s"] / 3600, continues["recording"],
        continues["cpu_s"] / 3600, md_steps, last["test_loss"],
        _rmse(entry["final_score"], md_steps, path) if "final_score" in entry
        else curve.rmse[-1], energy and energy["excursion"],
        energy and Measurement.over(energy["drift"]),
        entry.get("velocity_change_r2", {}).get("per_trajectory"),
        Measurement.over(entry["kinetic_error"]["per_trajectory"], "held-out trajectories")
        if "kinetic_error" in entry else None,
        {**recording(key).training, **recording(key).model})


def bars_met(summary: RecordingSummary, accuracy_bar: float, energy_bar: float
             ) -> tuple[bool, bool]:
    """Whether a recording meets the accuracy bar (all of its held-out RMSE's interval at
    or below ``accuracy_bar``) and the energy bar (every start's raw NVE excursion at or
    below ``energy_bar`` of the kinetic energy, and all of its drift's interval within
    plus or minus it); the energy bar is unmet until the energy check has run."""
    accurate = summary.rmse.high <= accuracy_bar
    conserving = (summary.excursion is not None and max(summary.excursion) <= energy_bar
                  and -energy_bar <= summary.drift.low and summary.drift.high <= energy_bar)
    return accurate, conserving


def best_recording(summaries: list[RecordingSummary], accuracy_bar: float,
                   energy_bar: float) -> RecordingSummary:
    """The finished recording to ship among ``summaries`` (of one model): the one that
    meets most of the two bars (:func:`bars_met`), of those the lowest held-out RMSE."""
    finished = [s for s in summaries if s.complete and s.excursion is not None]
    if not finished:
        raise ValueError("no recording among "
                         f"{[s.key for s in summaries]} has finished with its energy check; "
                         "finish one with `python scripts/recorded_training.py <key>`")
    return min(finished, key=lambda s: (-sum(bars_met(s, accuracy_bar, energy_bar)),
                                        s.rmse.value))
