"""The book's Movies S1-S4: which trajectory, which prediction, where the files go.

For each liquid the movie starts from the first frame of the first test trajectory and
shows the true MD beside a prediction, one frame per prediction of k MD steps
(k of the Fast-OGN: 5 for LJ, 10 for the others), over the spans of Fig. S1 B
(100 MD steps, 400 for Cu-Zr; doubled here so that the atoms visibly move).

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

from ogn_lib.book.movie_writer import frame_times, write_movie
from ogn_lib.data.trajectory import frames_k_steps_apart, read_trajectory
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.presets import PRESETS
from ogn_lib.md.systems import SYSTEMS, System
from ogn_lib.paths import REPOSITORY_ROOT, SHIPPED_ROOT, data_root


@dataclass(frozen=True)
class MovieSpec:
    number: int
    system: str
    md_steps: int


MOVIES = (MovieSpec(1, "lj", 200), MovieSpec(2, "silica", 200), MovieSpec(3, "si", 200),
          MovieSpec(4, "cuzr", 400))
"""Movie S1-S4 of the supplement: system and the number of MD steps shown."""

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
    truth = read_trajectory(truth_path)
    k_steps = PRESETS["fast"].k_steps(spec.system)
    n_predictions = spec.md_steps // k_steps
    true_frames = frames_k_steps_apart(truth, k_steps, 0, n_predictions)
    checkpoint = fast_ogn_checkpoint(profile, spec.system, models)
    predicted, title = _prediction(system, true_frames[0], k_steps, n_predictions, checkpoint)
    path = movie_path(folder, spec)
    write_movie(path, true_frames, predicted, titles=("LAMMPS (truth)", title),
                caption=f"Movie S{spec.number}: {system.title}",
                frame_label=frame_times(k_steps, system.dt, system.units.time))
    return {"movie": spec.number, "system": spec.system, "file": path.name,
            "truth": truth_path.name, "prediction": title, "k_steps": k_steps,
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


def iframe(row: dict, page_to_static: str = "../_static/movies") -> str:
    """The HTML that embeds one movie of the manifest in a book page under ``book/``. The
    frame sits in a ``div``: IPython warns about (and prints into the page) HTML that
    starts with an iframe."""
    from html import escape

    return (f'<div><iframe class="ogn-movie" src="{page_to_static}/{row["file"]}" '
            f'title="Movie S{row["movie"]}: {escape(SYSTEMS[row["system"]].title)}" '
            'width="100%" height="480" style="border:0"></iframe></div>')


def manifest_rows(rows: list[dict]) -> list[dict]:
    """What each movie shows, for the table of the movies page."""
    return [{"movie": f"S{row['movie']}", "system": row["system"],
             "right panel": row["prediction"].replace("\n", "; "),
             "k": row["k_steps"], "frames": row["frames"],
             "predicted frames": row["predicted_frames"],
             "placeholder": "yes" if row["placeholder"] else "no"}
            for row in rows]


if __name__ == "__main__":
    import sys

    for row in make_movies(*sys.argv[1:2]):
        print(json.dumps(row))
