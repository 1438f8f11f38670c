"""Movies S1-S4: true and predicted atoms side by side, as one self-contained HTML file.

The two trajectories are anything that holds frames of the same atoms: a
:class:`~ogn_lib.data.trajectory.Trajectory` read from GSD (ground truth or an OGN rollout
written by :func:`ogn_lib.learn.rollout.rollout`) or a list of
:class:`~ogn_lib.configuration.Configuration` (e.g. the frames of an MD baseline). Each
panel shows the same slab of atoms (the ``max_atoms`` closest to the mid-plane z = 0 in the
first frame, followed wherever they go) projected on the x-y plane and coloured by type.

The animation is matplotlib's JavaScript player (``FuncAnimation.to_jshtml``): every frame
is a PNG embedded in the page, so the file plays in any browser with no network and no
ffmpeg. The player's only external resource, a font-awesome style sheet for its button
icons, is replaced by a few lines of inline CSS. The picture is drawn as wide as the book's
text column (:data:`PICTURE_PX`), so its text shows at its size, and each frame is stored
with a palette of :data:`PALETTE_COLOURS` colours, a quarter of the bytes of a full-colour
PNG of the same flat-coloured drawing.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np

from ogn_lib.files import write_text_atomic

TYPE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e")
"""Colour of type id 0, 1, ...: the same species has the same colour in both panels."""

_ICON_CSS = """
.anim-buttons button { min-width: 2.2em; }
.fa { font-style: normal; font-family: sans-serif; }
.fa-play:before { content: "\\25B6"; }
.fa-pause:before { content: "\\2016"; }
.fa-step-forward:before { content: "\\25B6\\2759"; }
.fa-step-backward:before { content: "\\2759\\25C0"; }
.fa-fast-forward:before { content: "\\25B6\\25B6"; }
.fa-fast-backward:before { content: "\\25C0\\25C0"; }
.fa-plus:before { content: "+"; }
.fa-minus:before { content: "\\2212"; }
.fa-flip-horizontal { display: inline-block; transform: scaleX(-1); }
"""
_REMOTE_STYLESHEET = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>", re.DOTALL)
FRAME_PATTERN = re.compile(r"frames\[\d+\] = \"data:image/png;base64,")
"""How the player stores each frame; a movie of F frames matches it F times."""
_FRAME_DATA = re.compile(r"(frames\[\d+\] = \"data:image/png;base64,)([A-Za-z0-9+/=\\\n]+)\"")

FIGURE_INCHES = (7.0, 4.25)
DPI = 96
PICTURE_PX = (round(FIGURE_INCHES[0] * DPI), round(FIGURE_INCHES[1] * DPI))
"""The movie's picture in pixels: 672 wide, the book's text column, so that a point of its
text is 4/3 of a CSS pixel where the page shows it (its smallest text, 9 points, 12 pixels).
Both sides even: the player's writer trims an odd side by a pixel."""
PALETTE_COLOURS = 64
"""Colours of each stored frame: the species' colours, black, white and the shades of their
anti-aliased edges."""


@dataclass(frozen=True)
class MovieFrames:
    """Positions of one trajectory, ready to draw.

    Attributes:
        positions: ``(F, N, 3)`` wrapped into ``[-L/2, L/2)``.
        typeids: ``(N,)``; ``type_names``: species names.
        box_lengths: ``(3,)``.
    """

    positions: np.ndarray
    typeids: np.ndarray
    type_names: tuple[str, ...]
    box_lengths: np.ndarray

    @property
    def n_frames(self) -> int:
        return len(self.positions)


def movie_frames(trajectory, every: int = 1) -> MovieFrames:
    """Every ``every``-th frame of a :class:`Trajectory` or a sequence of Configurations."""
    if every < 1:
        raise ValueError(f"every={every}: keep at least every frame (every >= 1)")
    if hasattr(trajectory, "positions") and np.ndim(trajectory.positions) == 3:
        positions = np.asarray(trajectory.positions)[::every]
        first = trajectory
    else:
        frames = list(trajectory)[::every]
        if not frames:
            raise ValueError("no frames to draw: pass a trajectory with at least one frame")
        positions = np.stack([frame.positions for frame in frames])
        first = frames[0]
    return MovieFrames(positions=positions, typeids=np.asarray(first.typeids),
                       type_names=tuple(first.type_names),
                       box_lengths=np.asarray(first.box_lengths, dtype=float))


def slab_atoms(positions: np.ndarray, max_atoms: int) -> np.ndarray:
    """Indices of the ``max_atoms`` atoms closest to the plane z = 0 (all if fewer)."""
    if len(positions) <= max_atoms:
        return np.arange(len(positions))
    return np.sort(np.argsort(np.abs(positions[:, 2]), kind="stable")[:max_atoms])


def _check_same_atoms(truth: MovieFrames, prediction: MovieFrames) -> None:
    if truth.positions.shape[1] != prediction.positions.shape[1]:
        raise ValueError(f"truth has {truth.positions.shape[1]} atoms, prediction "
                         f"{prediction.positions.shape[1]}: a movie compares the same atoms")
    if not np.array_equal(truth.typeids, prediction.typeids):
        raise ValueError("truth and prediction list different atom types per atom; pass "
                         "a prediction started from a frame of the true trajectory")
    if prediction.n_frames > truth.n_frames:
        raise ValueError(f"prediction has {prediction.n_frames} frames, truth only "
                         f"{truth.n_frames}: give the truth at the prediction's times")


def animation(truth: MovieFrames, prediction: MovieFrames, titles: tuple[str, str],
              caption: str = "", max_atoms: int = 200, frame_label=None,
              interval_ms: int = 100):
    """The matplotlib ``FuncAnimation`` of the two panels, one frame per true frame.

    A prediction shorter than the truth (a rollout that blew up) keeps its last frame,
    greyed, with a note, while the truth plays on. ``frame_label(i)`` gives the text under
    the panels at frame ``i`` (default: the frame number).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    _check_same_atoms(truth, prediction)
    chosen = slab_atoms(truth.positions[0], max_atoms)
    colours = np.array(TYPE_COLOURS)[truth.typeids[chosen] % len(TYPE_COLOURS)]
    half = truth.box_lengths / 2
    marker_size = 3500.0 / max(len(chosen), 1) ** 0.8
    figure, axes = plt.subplots(1, 2, figsize=FIGURE_INCHES, dpi=DPI, layout="constrained")
    scatters = []
    for axis, title, frames in zip(axes, titles, (truth, prediction)):
        axis.set_xlim(-half[0], half[0])
        axis.set_ylim(-half[1], half[1])
        axis.set_aspect("equal")
        axis.set_title(title, fontsize=10)
        axis.set_xticks([])
        axis.set_yticks([])
        scatters.append(axis.scatter(*frames.positions[0][chosen, :2].T, c=colours,
                                     s=marker_size, edgecolors="k", linewidths=0.3))
    legend = [axes[0].scatter([], [], c=TYPE_COLOURS[i % len(TYPE_COLOURS)], label=name,
                              edgecolors="k", linewidths=0.3)
              for i, name in enumerate(truth.type_names)]
    figure.legend(handles=legend, loc="outside lower left", ncol=len(legend), fontsize=9,
                  frameon=False)
    if caption:
        figure.suptitle(caption, fontsize=11)
    label = figure.text(0.98, 0.015, "", ha="right", fontsize=9)
    stopped = axes[1].text(0.5, 0.5, "", transform=axes[1].transAxes, ha="center",
                           fontsize=10, color="#b00000")
    frame_label = frame_label or (lambda i: f"frame {i}")

    def draw(i: int):
        scatters[0].set_offsets(truth.positions[i][chosen, :2])
        last = min(i, prediction.n_frames - 1)
        scatters[1].set_offsets(prediction.positions[last][chosen, :2])
        if i > last:
            scatters[1].set_alpha(0.3)
            stopped.set_text(f"prediction stopped\nafter frame {last}")
        label.set_text(frame_label(i))
        return (*scatters, label, stopped)

    # Lay the panels out once: every frame has the same texts' extents, and the layout
    # engine would otherwise redo the layout at each of a frame's draws.
    figure.canvas.draw()
    figure.set_layout_engine("none")
    movie = FuncAnimation(figure, draw, frames=truth.n_frames, interval=interval_ms,
                          blit=False)
    return figure, movie


def movie_html(truth, prediction, titles: tuple[str, str] = ("MD (truth)", "OGN"),
               caption: str = "", every: int = 1, max_atoms: int = 200,
               frame_label=None) -> str:
    """A whole HTML document playing ``truth`` beside ``prediction``, with no network."""
    import matplotlib
    import matplotlib.pyplot as plt

    truth_frames, predicted_frames = movie_frames(truth, every), movie_frames(prediction, every)
    figure, movie = animation(truth_frames, predicted_frames, titles, caption, max_atoms,
                              frame_label)
    with matplotlib.rc_context({"animation.embed_limit": 200.0}):
        player = movie.to_jshtml(default_mode="loop")
    plt.close(figure)
    player = _palette_frames(_REMOTE_STYLESHEET.sub("", player))
    title = escape(caption or f"{titles[0]} vs {titles[1]}")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}</title>\n<style>{_ICON_CSS}</style>\n</head>\n"
            f"<body style=\"margin:0;font-family:sans-serif\">\n"
            f"<p style=\"margin:4px 8px;font-size:13px\">Left: {escape(titles[0])}. "
            f"Right: {escape(titles[1])}.</p>\n{player}\n</body>\n</html>\n")


def _palette_frames(player: str, colours: int = PALETTE_COLOURS) -> str:
    """The player's HTML with each embedded PNG frame stored with a palette of
    ``colours`` colours."""
    from PIL import Image

    def reduce(match: re.Match) -> str:
        png = base64.b64decode(match.group(2).replace("\\\n", ""))
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(
            colors=colours, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        image.save(buffer, format="png")
        return f'{match.group(1)}{base64.b64encode(buffer.getvalue()).decode("ascii")}"'
    return _FRAME_DATA.sub(reduce, player)


def write_movie(path: Path, truth, prediction, **options) -> Path:
    """Write :func:`movie_html` to ``path`` atomically (a partial file never bears its name)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(path, movie_html(truth, prediction, **options))


def count_frames(html: str) -> int:
    """Number of frames embedded in a movie written by :func:`movie_html`."""
    return len(FRAME_PATTERN.findall(html))


def external_references(html: str) -> list[str]:
    """Every ``src``/``href`` of the page that points outside it (empty if self-contained)."""
    return [url for url in re.findall(r"(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", html)
            if not url.startswith(("data:", "#", "javascript:"))]


def frame_times(k_steps: int, dt: float, time_unit: str):
    """A ``frame_label`` for frames ``k_steps`` MD steps apart: MD step and time."""
    def label(i: int) -> str:
        return f"MD step {i * k_steps}  (t = {i * k_steps * dt:.4g} {time_unit})"
    return label

