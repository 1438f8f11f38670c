"""The kinetic-energy term of the training loss: its energies, its scale, its error and its
place in the training loss."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from toy_lj import toy_trajectory

from ogn_lib.learn import training
from ogn_lib.learn.kinetic_loss import kinetic_change_scale, kinetic_energies, kinetic_error
from ogn_lib.learn.loss import batch_loss
from ogn_lib.learn.network import ModelConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.training import TrainingConfig, train

MODEL = ModelConfig(n_types=2, cutoff=1.4, n_layers=1, latent_size=16, hidden_size=16,
                    n_radial=4)
K_STEPS = 5


@pytest.fixture(scope="module")
def pairs():
    return PairSet([toy_trajectory(seed) for seed in range(2)], K_STEPS)


def test_kinetic_energy_of_each_configuration_from_arrays_or_tensors():
    velocities = np.array([[[1.0, 0, 0], [0, 2.0, 0]], [[0, 0, 0], [0, 0, 3.0]]])
    masses = np.array([2.0, 1.0])
    assert kinetic_energies(velocities, masses).tolist() == [3.0, 4.5]
    assert kinetic_energies(torch.as_tensor(velocities), torch.as_tensor(masses)).tolist() \
        == [3.0, 4.5]


def test_the_scale_is_the_rms_kinetic_energy_change_over_one_prediction(pairs):
    batch = pairs.batch(np.arange(len(pairs)))
    change = (kinetic_energies(batch.later_velocities, pairs.masses)
              - kinetic_energies(batch.velocities, pairs.masses))
    assert kinetic_change_scale(pairs, max_pairs=len(pairs)) == pytest.approx(
        np.sqrt(np.mean(change**2)))
    still = replace(pairs.trajectories[0], velocities=np.ones_like(
        pairs.trajectories[0].velocities))
    with pytest.raises(ValueError, match="never changes over one prediction"):
        kinetic_change_scale(PairSet([still], K_STEPS))


def test_friction_costs_its_kinetic_energy_error_over_the_scale():
    true = torch.tensor([[[1.0, 0, 0], [0, 1.0, 0]]])
    masses = torch.tensor([1.0, 1.0])
    assert float(kinetic_error(true, true, masses, 0.5)) == 0.0
    # 10% friction: K falls from 1 to 0.81, an error of 0.19 over a scale of 0.5.
    assert float(kinetic_error(0.9 * true, true, masses, 0.5)) == pytest.approx(
        (0.19 / 0.5)**2)


def test_the_training_loss_adds_the_weighted_kinetic_error(pairs):
    torch.manual_seed(2)
    simulator = training.new_simulator(pairs, MODEL)
    chosen = np.array([3, 8])
    with torch.no_grad():
        plain = float(batch_loss(simulator, pairs, chosen))
        once = float(batch_loss(simulator, pairs, chosen, kinetic=(1.0, 2.0)))
        thrice = float(batch_loss(simulator, pairs, chosen, kinetic=(3.0, 2.0)))
    batch = pairs.batch(chosen)
    typeids = simulator.typeids_for(pairs.type_names, pairs.typeids)
    predicted = np.stack([simulator.predict(p, v, pairs.box_lengths, typeids, pairs.masses)[1]
                          for p, v in zip(batch.positions, batch.velocities)])
    expected = float(kinetic_error(torch.as_tensor(predicted), torch.as_tensor(
        batch.later_velocities), torch.as_tensor(pairs.masses), 2.0))
    assert once - plain == pytest.approx(expected, rel=1e-3)
    assert thrice - plain == pytest.approx(3 * expected, rel=1e-3)


def test_chained_predictions_add_the_kinetic_error_of_each(pairs):
    """Over two chained predictions the term is the mean of each one's, and the second's
    is of the velocities the simulator itself reached: more than the first's alone."""
    torch.manual_seed(2)
    simulator = training.new_simulator(pairs, MODEL)
    chosen = np.array([3, 8])
    with torch.no_grad():
        plain = float(batch_loss(simulator, pairs, chosen, n_predictions=2))
        kinetic = float(batch_loss(simulator, pairs, chosen, n_predictions=2,
                                   kinetic=(1.0, 2.0)))
        first = (float(batch_loss(simulator, pairs, chosen, kinetic=(1.0, 2.0)))
                 - float(batch_loss(simulator, pairs, chosen)))
    assert kinetic - plain > 0 and kinetic - plain != pytest.approx(first / 2)


def test_a_training_with_the_kinetic_term_trains_on_it_and_keeps_its_setting(pairs, tmp_path):
    config = TrainingConfig(epochs=2, batches_per_epoch=3, batch_size=2, n_test_pairs=4,
                            kinetic_weight=1.0)
    history = train(MODEL, pairs, pairs, config, tmp_path / "k.pt", progress=False)
    without = train(MODEL, pairs, pairs, replace(config, kinetic_weight=0.0),
                    tmp_path / "plain.pt", progress=False)
    assert np.all(np.isfinite(history["train_loss"]))
    # Same seed, same batches: the first epoch's loss differs only by the term.
    assert history["train_loss"][0] > without["train_loss"][0]
    assert config.to_dict()["kinetic_weight"] == 1.0
    assert "kinetic_weight" not in replace(config, kinetic_weight=0.0).to_dict()
    with pytest.raises(ValueError, match="kinetic_weight = -1"):
        replace(config, kinetic_weight=-1.0)
