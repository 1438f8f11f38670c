"""Toy training run by tests/test_distributed.py, once alone and once under torchrun.

``python distributed_training_run.py OUT_DIR`` trains the toy liquid from scratch into
``OUT_DIR/fresh.pt`` and resumes ``OUT_DIR/resumed.pt`` (written by the test) when it
exists; every process appends its rank to ``OUT_DIR/saves.log`` each time it writes a
checkpoint.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))  # the tests' shared helpers

from toy_lj import toy_trajectory  # noqa: E402

from ogn_lib.learn import training  # noqa: E402
from ogn_lib.learn.distributed import launched  # noqa: E402
from ogn_lib.learn.network import ModelConfig  # noqa: E402
from ogn_lib.learn.noise import NoiseConfig  # noqa: E402
from ogn_lib.learn.pairs import PairSet  # noqa: E402
from ogn_lib.learn.training import TrainingConfig  # noqa: E402

MODEL = ModelConfig(n_types=2, cutoff=1.4, n_layers=2, latent_size=32, hidden_size=32,
                    n_radial=8, n_vectors=4)
CONFIG = TrainingConfig(epochs=2, batches_per_epoch=3, batch_size=4, learning_rate=3e-3,
                        final_learning_rate=3e-4, n_test_pairs=4,
                        noise=NoiseConfig(position_fraction=0.5, velocity_fraction=0.01))
K_STEPS = 5


def toy_pairs() -> tuple[PairSet, PairSet]:
    """Training and test pairs of three short toy trajectories."""
    trajectories = [toy_trajectory(seed) for seed in range(3)]
    return PairSet(trajectories[:2], K_STEPS), PairSet(trajectories[2:], K_STEPS)


def main(out: Path) -> None:
    train_pairs, test_pairs = toy_pairs()
    with launched("cpu") as placement:
        save = training.save_checkpoint

        def logged_save(*args, **kwargs):
            with open(out / "saves.log", "a") as log:
                log.write(f"{placement.rank}\n")
            save(*args, **kwargs)

        training.save_checkpoint = logged_save
        training.train(MODEL, train_pairs, test_pairs, CONFIG, out / "fresh.pt",
                       progress=False, placement=placement)
        if (out / "resumed.pt").exists():
            training.train(MODEL, train_pairs, test_pairs, CONFIG, out / "resumed.pt",
                           resume=True, progress=False, placement=placement)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
