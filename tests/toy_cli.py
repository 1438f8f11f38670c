"""The ``ogn`` command on toy data, for tests that run it in a process of its own and stop it.

``python toy_cli.py ARGS...`` is ``ogn ARGS...`` with two changes:

- ``train`` trains on the toy liquid of ``toy_lj.py`` (as system ``lj``) for a few tiny
  epochs (:func:`use_toy_training`), and ``reproduce`` runs the notebooks of
  ``$OGN_TEST_NOTEBOOKS`` when it is set;
- when ``$OGN_TEST_PAUSE`` names a file, ``train`` stops inside the write of its second
  checkpoint (the first epoch's is whole, the second's partial file written) and
  ``rollout`` after its third frame: they write that file and wait a minute there, for the
  test to stop them at a known point (:func:`pause_for_signals`). A notebook pauses by
  itself.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # the tests' shared helpers

from toy_lj import toy_trajectory  # noqa: E402

from ogn_lib.data.trajectory_writer import TrajectoryWriter  # noqa: E402
from ogn_lib.learn.noise import NoiseConfig  # noqa: E402
from ogn_lib.learn.training import TrainingConfig  # noqa: E402

TOY_TRAINING = TrainingConfig(epochs=3, batches_per_epoch=2, batch_size=2, learning_rate=3e-3,
                              final_learning_rate=3e-4, n_test_pairs=4,
                              noise=NoiseConfig(position_fraction=0.5, velocity_fraction=0.01))
TOY_CUTOFF = 1.4
"""Below half the toy box (2.99 sigma), which the KA-LJ cutoff of 2.0 sigma is not."""
SEEDS = {"train": (0, 1), "test": (2,)}


def toy_data(folder: Path) -> dict[str, list[Path]]:
    """The toy training and test trajectories of system ``lj`` in ``folder`` (written when
    missing), by role."""
    paths = {role: [Path(folder) / f"toy-{role}-{seed}.gsd" for seed in seeds]
             for role, seeds in SEEDS.items()}
    for role, seeds in SEEDS.items():
        for seed, path in zip(seeds, paths[role]):
            if not path.exists():
                trajectory = toy_trajectory(seed, system="lj")
                with TrajectoryWriter(path) as writer:
                    for frame in range(trajectory.n_frames):
                        writer.append(trajectory.configuration(frame))
                    writer.commit({"system": "lj", "dt": trajectory.metadata.dt,
                                   "units": "lj"})
    return paths


def use_toy_training(patch, folder: Path) -> None:
    """Make ``ogn train`` (any profile and preset) train on :func:`toy_data` in ``folder``
    with :data:`TOY_TRAINING` and :data:`TOY_CUTOFF`; ``patch(module, name, value)`` is
    ``setattr`` or pytest's ``monkeypatch.setattr``."""
    from ogn_lib.studies import profile_models

    paths = toy_data(folder)
    patch(profile_models, "trajectory_paths",
          lambda profile, group: paths[group.rpartition("-")[2]])
    patch(profile_models, "training_config",
          lambda profile, preset, system=None: TOY_TRAINING)
    patch(profile_models, "graph_cutoff", lambda system: TOY_CUTOFF)


def _wait_for_signal(flag: Path) -> None:
    flag.write_text(str(os.getpid()))
    time.sleep(60)


def pause_for_signals(flag: Path) -> None:
    """Pause ``train`` in its second checkpoint write and ``rollout`` after its third
    frame (see the module's description)."""
    import torch

    save, saves = torch.save, []

    def paused_save(*args, **kwargs):
        save(*args, **kwargs)
        saves.append(args[1])
        if len(saves) == 2:
            _wait_for_signal(flag)

    torch.save = paused_save
    append = TrajectoryWriter.append

    def paused_append(writer, configuration):
        append(writer, configuration)
        if writer.n_frames == 3:
            _wait_for_signal(flag)

    TrajectoryWriter.append = paused_append


def use_notebooks(folder: Path) -> None:
    """Make ``ogn reproduce`` find its section notebooks in ``folder``."""
    from ogn_lib.book import reproduce

    reproduce.runnable_notebooks = functools.partial(reproduce.runnable_notebooks,
                                                     folder=folder, book=folder)


def main(argv: list[str]) -> int:
    from ogn_lib.cli import main as ogn

    # As from a terminal, whatever the starting shell did (a background job ignores it).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if argv[:1] == ["train"]:
        use_toy_training(setattr, Path(os.environ["OGN_DATA_DIR"]) / "toy")
    if os.environ.get("OGN_TEST_NOTEBOOKS"):
        use_notebooks(Path(os.environ["OGN_TEST_NOTEBOOKS"]))
    if os.environ.get("OGN_TEST_PAUSE"):
        pause_for_signals(Path(os.environ["OGN_TEST_PAUSE"]))
    return ogn(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
