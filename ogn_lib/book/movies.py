"""The book's Movies S1-S4: which trajectory, which prediction, where the files go.

For each liquid the movie starts from the first frame of the first test trajectory and
shows the true MD beside a prediction, one frame per prediction of k MD steps
(k of the Fast-OGN: 5 for LJ, 10 for the others), :data:`PREDICTIONS` of them: long enough
to see atoms rattle in their cages and some leave them. The truth is LAMMPS run on from that
saved frame (:func:`ogn_lib.md.baselines.chaos_floor`, recorded every k MD steps), since
the held-out trajectories of the quick profile's Angstrom liquids hold 500 MD steps, fewer
than a movie shows; from the same saved numbers it is as true as the recorded trajectory,
and the prediction starts from exactly them.

The prediction is the Fast-OGN the project ships (``data/shipped/<profile>/<system>-fast.pt``),
else one trained here (``data/<profile>/models/<system>-fast.pt``, as ``ogn train --preset
fast`` writes it). Without either the right panel is **a placeholder, labelled as such**:
LAMMPS itself run with a k-fold larger step
(:func:`ogn_lib.md.baselines.md_with_larger_step`), the baseline a learned simulator of
stride k must beat.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ogn_lib.analysis.claims import LIQUID_TITLES
from ogn_lib.book.movie_writer import frame_times, write_movie
from ogn_lib.book.tables import formula_mathtext, unit_symbol
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.presets import PRESETS
from ogn_lib.md.systems import SYSTEMS, System
from ogn_lib.paths import REPOSITORY_ROOT, SHIPPED_ROOT, data_root


@dataclass(frozen=True)
class MovieSpec:
    number: int
    system: str


MOVIES = (MovieSpec(1, "lj"), MovieSpec(2, "silica"), MovieSpec(3, "si"), MovieSpec(4, "cuzr"))
"""Movie S1-S4 of the supplement and their systems."""

PREDICTIONS = 100
"""Predictions of k MD steps in each movie (one frame each, and the start): 500 MD steps of
KA-LJ, 1000 of the others. A movie costs some 15-20 CPU seconds (the truth's MD, the rollout,
the frames) and about 3.5 MB."""

DEFAULT_FOLDER = REPOSITORY_ROOT / "book" / "_static" / "movies"
"""Where the book finds the movies (copied to ``_build/html/_static/movies/``)."""


def movie_path(folder: Path, spec: MovieSpec) -> Path:
    return Path(folder) / f"movie_S{spec.number}_{spec.system}.html"


def fast_ogn_checkpoint(profile: str, system: str, models: Path) -> Path | None:
    """The Fast-OGN a movie uses: the shipped one, else one trained here, else None."""
    from ogn_lib.learn.trained_models import shipped_path

    for path in (shipped_path(profile, system, "fast"), Path(models) / f"{system}-fast.pt"):
        if path.exists():
            return path
    return None


def frame_label(system: System, k_steps: int):
    """The text under a movie's frame ``i``: its MD step and time, the time unit as the book
    prints it (``MD step 10  (t = 0.05 τ)``)."""
    return frame_times(k_steps, system.dt, unit_symbol(system.units.time))


def _truth(system: System, start, k_steps: int, n_predictions: int) -> list:
    """The true frames, ``start`` and every k MD steps after it: LAMMPS run on from the
    saved frame."""
    from ogn_lib.md.baselines import chaos_floor

    run = chaos_floor(system, start, n_predictions * k_steps, k_steps)
    if run.failure or len(run.frames) != n_predictions + 1:
        raise RuntimeError(f"LAMMPS could not run {system.name} on for the movie's "
                           f"{n_predictions * k_steps} MD steps: "
                           f"{run.failure or f'{len(run.frames)} frames'}")
    return run.frames


def _prediction(system: System, start, k_steps: int, n_predictions: int,
                checkpoint: Path | None) -> tuple[list, str]:
    """Predicted frames (start included) and the right panel's title."""
    if checkpoint is not None:
        from ogn_lib.learn.checkpoint import load_simulator
        from ogn_lib.learn.rollout import RolloutBlowUp, rollout_states

        simulator = load_simulator(checkpoint, system=system.name, k_steps=k_steps)
        frames = [start]
        source = "shipped" if SHIPPED_ROOT in checkpoint.resolve().parents else "trained here"
        title = f"Fast-OGN, k = {k_steps} ({source})"
        try:
            frames.extend(rollout_states(simulator, start, n_predictions))
        except RolloutBlowUp:
            title += f"\nstopped after {len(frames) - 1} predictions: rollout blew up"
        return frames, title
    from ogn_lib.md.baselines import md_with_larger_step

    baseline = md_with_larger_step(system, start, k_steps, n_predictions)
    title = f"PLACEHOLDER (no OGN yet): LAMMPS at {k_steps} x dt"
    if baseline.failure:
        title += f"\nstopped after {len(baseline.frames) - 1} steps: LAMMPS failed"
    return baseline.frames, title


def make_movie(spec: MovieSpec, profile: str, folder: Path, models: Path) -> dict:
    """Write one movie and return what it shows (for the manifest)."""
    from ogn_lib.data.catalogue import catalogue, ensure

    system = SYSTEMS[spec.system]
    first_test = next(s for s in catalogue(profile, (spec.system,)) if s.group == "test")
    truth_path = ensure(first_test, profile).path
    start = read_trajectory(truth_path).configuration(0)
    k_steps = PRESETS["fast"].k_steps(spec.system)
    true_frames = _truth(system, start, k_steps, PREDICTIONS)
    checkpoint = fast_ogn_checkpoint(profile, spec.system, models)
    predicted, title = _prediction(system, start, k_steps, PREDICTIONS, checkpoint)
    path = movie_path(folder, spec)
    write_movie(path, true_frames, predicted, titles=("LAMMPS (truth)", title),
                caption=f"Movie S{spec.number}: {formula_mathtext(system.title)}",
                frame_label=frame_label(system, k_steps))
    return {"movie": spec.number, "system": spec.system, "file": path.name,
            "truth": f"LAMMPS from frame 0 of {truth_path.name}", "prediction": title,
            "k_steps": k_steps, "md_steps": PREDICTIONS * k_steps,
            "frames": len(true_frames), "predicted_frames": len(predicted),
            "placeholder": checkpoint is None}


def make_movies(profile: str = "quick", folder: Path = DEFAULT_FOLDER,
                models: Path | None = None, systems: tuple[str, ...] = tuple(SYSTEMS)) -> list:
    """Write the movies of ``systems`` into ``folder`` with a ``movies.json`` manifest."""

    models = Path(models) if models else data_root() / profile / "models"
    rows = [make_movie(spec, profile, Path(folder), models)
            for spec in MOVIES if spec.system in systems]
    write_json_atomic(Path(folder) / "movies.json", {"profile": profile, "movies": rows})
    return rows


IFRAME_HEIGHT_PX = 560
"""The frame's height on the page: the movie's picture (:data:`~ogn_lib.book.movie_writer.
PICTURE_PX`, 408 px high), the line above it and the player's slider and buttons."""


def iframe(row: dict, page_to_static: str = "../_static/movies") -> str:
    """The HTML that embeds one movie of the manifest in a book page under ``book/``. The
    frame sits in a ``div``: IPython warns about (and prints into the page) HTML that
    starts with an iframe."""
    from html import escape

    return (f'<div><iframe class="ogn-movie" src="{page_to_static}/{row["file"]}" '
            f'title="Movie S{row["movie"]}: {escape(SYSTEMS[row["system"]].title)}" '
            f'width="100%" height="{IFRAME_HEIGHT_PX}" style="border:0"></iframe></div>')


def manifest_rows(rows: list[dict]) -> list[dict]:
    """What each movie shows, for the table of the movies page."""
    return [{"movie": f"S{row['movie']}",
             "system": LIQUID_TITLES.get(row["system"], row["system"]),
             "right panel": row["prediction"].replace("\n", "; "),
             "k": row["k_steps"], "MD steps": row.get("md_steps", "–"), "frames": row["frames"],
             "predicted frames": row["predicted_frames"],
             "placeholder": "yes" if row["placeholder"] else "no"}
            for row in rows]


if __name__ == "__main__":
    import sys

    for row in make_movies(*sys.argv[1:2]):
        print(json.dumps(row))
