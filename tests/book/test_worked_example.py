"""The worked example's data: the repository's LAMMPS script run per seed and converted,
reused while whole, made again when damaged."""

from ogn_lib.book.worked_example import SYSTEM, ExampleRuns, example_data
from ogn_lib.data.trajectory import read_trajectory

TINY = ExampleRuns(cells=3, equilibration=100, steps=20, every=5, train_seeds=(1,),
                   test_seeds=(2,))


def test_the_example_runs_become_a_data_folder_that_is_reused_while_whole(tmp_path):
    folder = example_data(tmp_path, TINY)
    train, test = folder / "train" / "seed-1.gsd", folder / "test" / "seed-2.gsd"
    trajectory = read_trajectory(train)
    assert trajectory.metadata.system == SYSTEM.name and trajectory.n_frames == 5
    assert trajectory.metadata.temperature == SYSTEM.temperature
    assert len(trajectory.typeids) == 4 * 3**3
    made = train.stat().st_mtime_ns
    assert example_data(tmp_path, TINY) == folder and train.stat().st_mtime_ns == made
    test.write_bytes(test.read_bytes()[:-10])  # damaged: made again
    example_data(tmp_path, TINY)
    assert read_trajectory(test).n_frames == 5


def test_other_runs_get_a_folder_of_their_own(tmp_path):
    assert ExampleRuns(steps=20).key() != ExampleRuns(steps=40).key()


def test_the_accuracy_figure_has_one_legend_under_its_two_panels():
    import matplotlib.pyplot as plt
    import numpy as np

    from ogn_lib.analysis.accuracy import METHODS, AccuracyCurves
    from ogn_lib.book.worked_example import accuracy_figure

    steps = np.arange(5, 101, 5)
    errors = {method: 1e-3 * (index + 1) * steps for index, method in enumerate(METHODS)}
    curves = [AccuracyCurves("my-lj", 5, steps, errors, errors, {}, {}) for _ in range(2)]
    figure = accuracy_figure(curves)
    (legend,) = figure.legends
    assert [text.get_text() for text in legend.get_texts()] == list(METHODS)
    assert all(ax.get_legend() is None for ax in figure.axes)
    assert figure.axes[0].get_title().endswith("mean of 2 starts")
    plt.close(figure)
