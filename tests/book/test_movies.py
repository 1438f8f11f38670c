"""Movies S1-S4: a side-by-side animation that plays offline, one frame per frame."""

import numpy as np
import pytest
from md_helpers import small_trajectory

from ogn_lib.book.movie_writer import (
    count_frames,
    external_references,
    movie_frames,
    slab_atoms,
    write_movie,
)
from ogn_lib.configuration import Configuration
from ogn_lib.md.baselines import chaos_floor
from ogn_lib.md.systems import SYSTEMS


def drifting_atoms(n_frames: int, n_atoms: int = 40, shift: float = 0.05):
    """Configurations of atoms moving at constant velocity in a box of side 4."""
    rng = np.random.default_rng(0)
    box = np.full(3, 4.0)
    start = rng.uniform(-2.0, 2.0, (n_atoms, 3))
    return [Configuration(box_lengths=box,
                          positions=(start + i * shift + 2.0) % 4.0 - 2.0,
                          velocities=np.zeros((n_atoms, 3)),
                          images=np.zeros((n_atoms, 3), dtype=np.int32),
                          typeids=np.arange(n_atoms) % 2, type_names=("A", "B"),
                          masses=np.ones(n_atoms), step=i)
            for i in range(n_frames)]


def test_movie_has_one_frame_per_trajectory_frame_and_needs_no_network(tmp_path):
    truth = drifting_atoms(7)
    prediction = drifting_atoms(7, shift=0.06)
    path = write_movie(tmp_path / "movie.html", truth, prediction,
                       titles=("truth", "prediction"), caption="Movie S0 (test)")
    html = path.read_text()
    assert count_frames(html) == 7
    assert external_references(html) == []
    assert "<script src" not in html and "http://" not in html and "https://" not in html
    assert "truth" in html and html.lstrip().startswith("<!DOCTYPE html>")


def test_a_prediction_that_stopped_early_plays_beside_the_whole_truth(tmp_path):
    path = write_movie(tmp_path / "short.html", drifting_atoms(6), drifting_atoms(3))
    assert count_frames(path.read_text()) == 6


def test_the_file_appears_only_when_complete(tmp_path):
    path = write_movie(tmp_path / "movie.html", drifting_atoms(2), drifting_atoms(2))
    assert path.exists() and not list(tmp_path.glob("*.partial"))


def test_different_atoms_are_refused(tmp_path):
    with pytest.raises(ValueError, match="same atoms"):
        write_movie(tmp_path / "bad.html", drifting_atoms(3, n_atoms=40),
                    drifting_atoms(3, n_atoms=30))
    assert not (tmp_path / "bad.html").exists()


def test_the_drawn_slab_keeps_at_most_max_atoms_nearest_the_mid_plane():
    positions = np.zeros((10, 3))
    positions[:, 2] = np.linspace(-1.0, 1.0, 10)
    chosen = slab_atoms(positions, 4)
    assert len(chosen) == 4
    assert np.all(np.abs(positions[chosen, 2]) <= np.sort(np.abs(positions[:, 2]))[3])


def test_every_keeps_every_kth_frame():
    assert movie_frames(drifting_atoms(10), every=3).n_frames == 4


@pytest.mark.slow
def test_md_truth_beside_its_chaos_floor(tmp_path):
    truth = small_trajectory(tmp_path, "lj", production_steps=10, equilibration_steps=100)
    floor = chaos_floor(SYSTEMS["lj"], truth.configuration(0), n_steps=10)
    assert not floor.failure
    path = write_movie(tmp_path / "lj.html", truth, floor.frames,
                       titles=("LAMMPS", "LAMMPS restarted (chaos floor)"))
    html = path.read_text()
    assert count_frames(html) == truth.n_frames == len(floor.frames)
    assert external_references(html) == []


def test_a_movie_embeds_without_ipython_warning_into_the_page():
    import warnings

    from IPython.display import HTML

    from ogn_lib.book.movies import iframe

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = HTML(iframe({"file": "movie_S1_lj.html", "movie": 1, "system": "lj"})).data
    assert 'src="../_static/movies/movie_S1_lj.html"' in html and "<iframe" in html


def test_frames_are_stored_with_a_palette_at_the_width_of_the_text_column(tmp_path):
    import base64
    import io
    import re

    from PIL import Image

    from ogn_lib.book.movie_writer import PALETTE_COLOURS, PICTURE_PX

    path = write_movie(tmp_path / "movie.html", drifting_atoms(3), drifting_atoms(3))
    html = path.read_text()
    frames = re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]+)"', html)
    assert len(frames) == count_frames(html) == 3
    image = Image.open(io.BytesIO(base64.b64decode(frames[0].replace("\\\n", ""))))
    assert image.mode == "P" and len(image.getcolors()) <= PALETTE_COLOURS
    assert image.size == PICTURE_PX and PICTURE_PX[0] == 672


def test_a_movie_s_text_is_at_least_nine_pixels_where_the_page_shows_it():
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from ogn_lib.book.movie_writer import DPI, animation

    figure, movie = animation(movie_frames(drifting_atoms(2)), movie_frames(drifting_atoms(2)),
                              ("truth", "prediction"), caption="Movie S0")
    movie.to_jshtml()  # draws every frame's text
    sizes = [text.get_fontsize() for text in figure.findobj(Text) if text.get_text().strip()]
    plt.close(figure)
    assert min(sizes) * DPI / 72 >= 9


def test_the_frame_label_prints_the_time_unit_as_a_symbol():
    from ogn_lib.book.movies import frame_label

    assert frame_label(SYSTEMS["lj"], 5)(2) == "MD step 10  (t = 0.05 τ)"
    assert frame_label(SYSTEMS["silica"], 10)(1).endswith("(t = 10 fs)")


def test_the_movies_table_names_the_liquids_as_the_book_does():
    from ogn_lib.book.movies import manifest_rows

    row = {"movie": 4, "system": "cuzr", "prediction": "Fast-OGN, k = 10 (shipped)",
           "k_steps": 10, "md_steps": 1000, "frames": 101, "predicted_frames": 101,
           "placeholder": False}
    assert manifest_rows([row])[0]["system"] == "Cu-Zr"
    assert manifest_rows([row])[0]["MD steps"] == 1000


@pytest.mark.slow
def test_a_movie_s_truth_is_lammps_run_on_from_the_saved_frame_every_k_steps(tmp_path):
    from ogn_lib.book.movies import _truth

    start = small_trajectory(tmp_path, "lj", production_steps=2,
                             equilibration_steps=100).configuration(0)
    frames = _truth(SYSTEMS["lj"], start, 5, 3)
    assert len(frames) == 4
    assert [frame.step - start.step for frame in frames] == [0, 5, 10, 15]
