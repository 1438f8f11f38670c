"""Specification of training: learning, checkpoints, resume and refusals."""

import os
from dataclasses import replace

import numpy as np
import pytest
import torch
from toy_lj import toy_trajectory

from ogn_lib.learn import training
from ogn_lib.learn.checkpoint import FORMAT, CheckpointError, load_checkpoint, load_simulator
from ogn_lib.learn.loss import batch_loss, held_out_loss
from ogn_lib.learn.network import ModelConfig, OGNNetwork
from ogn_lib.learn.noise import NoiseConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.training import TrainingConfig, TrainingDiverged, train
from ogn_lib.periodic import wrap

MODEL = ModelConfig(n_types=2, cutoff=1.4, n_layers=2, latent_size=32, hidden_size=32,
                    n_radial=8)
K_STEPS = 5


@pytest.fixture(scope="module")
def trajectories():
    return [toy_trajectory(seed) for seed in range(3)]


def quick_config(**changes) -> TrainingConfig:
    config = TrainingConfig(epochs=2, batches_per_epoch=3, batch_size=2, learning_rate=3e-3,
                            final_learning_rate=3e-4, n_test_pairs=4,
                            noise=NoiseConfig(position_fraction=0.5, velocity_fraction=0.01))
    return replace(config, **changes)


def test_model_overfits_a_tiny_data_set(trajectories, tmp_path):
    tiny = PairSet([trajectories[0]], K_STEPS)
    tiny.index = tiny.index[:2]
    config = quick_config(epochs=8, batches_per_epoch=40, learning_rate=1e-2,
                          final_learning_rate=1e-3, noise=NoiseConfig())
    history = train(MODEL, tiny, tiny, config, tmp_path / "tiny.pt", progress=False)
    first = held_out_loss(training.new_simulator(tiny, MODEL), tiny, 2, 2)
    assert history["test_loss"][-1] < first / 100


def test_test_loss_is_recorded_every_epoch(trajectories, tmp_path):
    pairs, held_out = PairSet(trajectories[:2], K_STEPS), PairSet(trajectories[2:], K_STEPS)
    history = train(MODEL, pairs, held_out, quick_config(), tmp_path / "c.pt", progress=False)
    assert len(history["test_loss"]) == len(history["train_loss"]) == 2
    assert load_checkpoint(tmp_path / "c.pt")["history"] == history


def test_checkpoint_round_trip_gives_the_same_predictions(trajectories, tmp_path):
    pairs = PairSet(trajectories[:1], K_STEPS)
    train(MODEL, pairs, pairs, quick_config(epochs=1), tmp_path / "c.pt", progress=False)
    trained = load_simulator(tmp_path / "c.pt")
    again = load_simulator(tmp_path / "c.pt", system="toy-lj", k_steps=K_STEPS)
    assert trained.spec == again.spec and trained.spec.k_steps == K_STEPS
    assert (held_out_loss(trained, pairs, 4, 2)
            == held_out_loss(again, pairs, 4, 2))


class VariantNetwork(OGNNetwork):
    """A variant network, as an ablation would train one."""


def test_a_network_factory_chooses_the_network_trained_and_loaded(trajectories, tmp_path):
    pairs = PairSet(trajectories[:1], K_STEPS)
    train(MODEL, pairs, pairs, quick_config(epochs=1), tmp_path / "c.pt", progress=False,
          network_factory=VariantNetwork)
    trained = load_simulator(tmp_path / "c.pt", network_factory=VariantNetwork)
    assert type(trained.network) is VariantNetwork
    assert type(load_simulator(tmp_path / "c.pt").network) is OGNNetwork


def test_resumed_run_ends_exactly_where_an_uninterrupted_run_ends(trajectories, tmp_path,
                                                                  monkeypatch):
    pairs, held_out = PairSet(trajectories[:2], K_STEPS), PairSet(trajectories[2:], K_STEPS)
    uninterrupted = train(MODEL, pairs, held_out, quick_config(), tmp_path / "a.pt",
                          progress=False)

    save = training.save_checkpoint

    def save_then_die(*args, **kwargs):
        save(*args, **kwargs)
        raise KeyboardInterrupt("killed after the first epoch")

    monkeypatch.setattr(training, "save_checkpoint", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        train(MODEL, pairs, held_out, quick_config(), tmp_path / "b.pt", progress=False)
    monkeypatch.setattr(training, "save_checkpoint", save)
    resumed = train(MODEL, pairs, held_out, quick_config(), tmp_path / "b.pt", resume=True,
                    progress=False)
    assert resumed["test_loss"] == uninterrupted["test_loss"]
    a, b = load_checkpoint(tmp_path / "a.pt"), load_checkpoint(tmp_path / "b.pt")
    for name, weights in a["model"].items():
        assert torch.equal(weights, b["model"][name]), name


def test_training_paused_at_an_epoch_resumes_to_the_uninterrupted_end(trajectories, tmp_path):
    """``until`` pauses a run (to measure it) with the schedule still spanning all epochs;
    resuming ends where a run without the pause ends."""
    pairs, held_out = PairSet(trajectories[:2], K_STEPS), PairSet(trajectories[2:], K_STEPS)
    uninterrupted = train(MODEL, pairs, held_out, quick_config(), tmp_path / "a.pt",
                          progress=False)
    paused = train(MODEL, pairs, held_out, quick_config(), tmp_path / "b.pt", progress=False,
                   until=1)
    assert len(paused["test_loss"]) == 1 < len(uninterrupted["test_loss"])
    assert paused["test_loss"][0] == uninterrupted["test_loss"][0]
    resumed = train(MODEL, pairs, held_out, quick_config(), tmp_path / "b.pt", resume=True,
                    progress=False)
    assert resumed["test_loss"] == uninterrupted["test_loss"]


def test_resume_with_other_settings_is_refused(trajectories, tmp_path):
    pairs = PairSet(trajectories[:1], K_STEPS)
    train(MODEL, pairs, pairs, quick_config(epochs=1), tmp_path / "c.pt", progress=False)
    with pytest.raises(ValueError, match="training settings"):
        train(MODEL, pairs, pairs, quick_config(epochs=1, learning_rate=1.0),
              tmp_path / "c.pt", resume=True, progress=False)


def test_checkpoint_from_before_tensor_channels_resumes(trajectories, tmp_path):
    """A checkpoint written before ModelConfig had ``n_tensors`` (or ``pair_once``) holds
    no such key; it is the same model as one with none, and new checkpoints of such a
    model leave the keys out as well."""
    pairs = PairSet(trajectories[:1], K_STEPS)
    done = train(MODEL, pairs, pairs, quick_config(epochs=1), tmp_path / "old.pt",
                 progress=False)
    payload = torch.load(tmp_path / "old.pt", weights_only=True)
    assert not {"n_tensors", "pair_once"} & set(payload["spec"]["model"])
    resumed = train(MODEL, pairs, pairs, quick_config(epochs=1), tmp_path / "old.pt",
                    resume=True, progress=False)
    assert resumed["test_loss"] == done["test_loss"]


class RunsCode:
    def __reduce__(self):
        return (os.system, ("echo this checkpoint ran code",))


def test_checkpoint_holding_pickled_code_is_refused(tmp_path):
    torch.save({"format": FORMAT, "payload": RunsCode()}, tmp_path / "evil.pt")
    with pytest.raises(CheckpointError, match="refused"):
        load_checkpoint(tmp_path / "evil.pt")


def test_checkpoint_for_another_system_or_k_is_refused(trajectories, tmp_path):
    pairs = PairSet(trajectories[:1], K_STEPS)
    train(MODEL, pairs, pairs, quick_config(epochs=1), tmp_path / "c.pt", progress=False)
    with pytest.raises(CheckpointError, match="trained for system 'toy-lj', not 'silica'"):
        load_simulator(tmp_path / "c.pt", system="silica")
    with pytest.raises(CheckpointError, match="not k = 10"):
        load_simulator(tmp_path / "c.pt", k_steps=10)


def test_nan_loss_stops_training_naming_epoch_and_batch(trajectories, tmp_path):
    broken = replace(trajectories[0], velocities=np.full_like(trajectories[0].velocities,
                                                              np.nan))
    pairs = PairSet([trajectories[0]], K_STEPS)
    pairs.trajectories[0] = broken  # past the door's check: the loss itself must catch it
    with pytest.raises(TrainingDiverged, match="epoch 1, batch 1"):
        train(MODEL, pairs, pairs, quick_config(noise=NoiseConfig()), tmp_path / "nan.pt",
              progress=False)


def test_pairs_of_data_that_is_not_finite_are_refused_naming_the_frame(trajectories):
    velocities = trajectories[1].velocities.copy()
    velocities[4, 2, 0] = np.inf
    broken = replace(trajectories[1], velocities=velocities)
    with pytest.raises(ValueError, match="trajectory 1 of 2 .* velocities that are not finite "
                                         "in frame 4"):
        PairSet([trajectories[0], broken], K_STEPS)


def test_pairs_of_atoms_whose_type_id_names_no_type_are_refused(trajectories):
    typeids = trajectories[0].typeids.copy()
    typeids[0] = 4294967295  # a LAMMPS type 0 stored as an unsigned GSD type id
    with pytest.raises(ValueError, match="type ids 0 to 4294967295 for 2 type names"):
        PairSet([replace(trajectories[0], typeids=typeids)], K_STEPS)


def test_pairs_need_k_to_be_a_multiple_of_the_recording_period(trajectories):
    sparse = replace(trajectories[0], metadata=replace(trajectories[0].metadata, period_steps=2))
    with pytest.raises(ValueError, match="not a multiple of the recording period 2"):
        PairSet([sparse], 5)


def test_pairs_from_different_systems_are_refused(trajectories):
    other = replace(trajectories[1], metadata=replace(trajectories[1].metadata, system="si"))
    with pytest.raises(ValueError, match="disagree on system"):
        PairSet([trajectories[0], other], K_STEPS)


def test_cosine_schedule_warms_up_then_falls_to_the_final_rate():
    config = TrainingConfig(epochs=10, batches_per_epoch=10, learning_rate=1e-3,
                            final_learning_rate=1e-5, schedule="cosine", warmup_batches=10)
    rates = [config.learning_rate_at(i) for i in range(100)]
    assert rates[0] == pytest.approx(1e-4)
    assert rates[9] == pytest.approx(1e-3)
    assert all(a >= b for a, b in zip(rates[9:], rates[10:]))
    assert rates[-1] == pytest.approx(1e-5)
    # Halfway through the fall the cosine is at the mean of the two rates, well above
    # where the exponential decay would be (the geometric mean, 1e-4).
    assert config.learning_rate_at(10 + 89 // 2) == pytest.approx(5.05e-4, rel=0.02)


def test_exponential_schedule_is_geometric():
    config = TrainingConfig(epochs=1, batches_per_epoch=3, learning_rate=1e-2,
                            final_learning_rate=1e-4)
    assert [config.learning_rate_at(i) for i in range(3)] == pytest.approx([1e-2, 1e-3, 1e-4])


def test_unknown_schedule_or_too_long_warmup_is_refused():
    with pytest.raises(ValueError, match="schedule"):
        TrainingConfig(schedule="linear")
    with pytest.raises(ValueError, match="warm-up"):
        TrainingConfig(epochs=1, batches_per_epoch=5, warmup_batches=5)


def test_a_chained_loss_scores_the_simulators_own_second_prediction(trajectories):
    """Two chained predictions: the loss is the mean of the single-prediction loss and the
    error of a second prediction made from the state the simulator itself reached,
    recomputed here through the rollout path (``predict``, its own graph search)."""
    pairs = PairSet(trajectories[:1], K_STEPS)
    torch.manual_seed(3)
    simulator = training.new_simulator(pairs, MODEL)
    chosen = np.array([4, 9])
    with torch.no_grad():
        chained = float(batch_loss(simulator, pairs, chosen, n_predictions=2))
        single = float(batch_loss(simulator, pairs, chosen))
    first, second = pairs.batch(chosen), pairs.batch(chosen, ahead=2)
    typeids = simulator.typeids_for(pairs.type_names, pairs.typeids)
    errors = []
    for b in range(len(chosen)):
        moved, velocities, _ = simulator.predict(first.positions[b], first.velocities[b],
                                                 pairs.box_lengths, typeids, pairs.masses)
        positions, _ = wrap(first.positions[b] + moved, pairs.box_lengths)
        with torch.no_grad():
            graph = simulator.graph_of(positions, pairs.box_lengths)
            velocities = torch.as_tensor(velocities, dtype=torch.float32)
            predicted = simulator.network_outputs(graph, typeids, velocities)
            targets = simulator.normalised_targets(
                velocities, torch.as_tensor(second.later_velocities[b]),
                torch.as_tensor(second.displacements[b] - moved, dtype=torch.float32))
        errors.append(sum(float((p - t).square().mean()) for p, t in zip(predicted, targets)))
    assert chained == pytest.approx((single + np.mean(errors)) / 2, rel=1e-4)


def test_chained_training_draws_only_starts_with_a_whole_chain(trajectories, tmp_path):
    pairs = PairSet(trajectories[:1], K_STEPS)
    frames, offset = trajectories[0].n_frames, pairs.frame_offset
    assert len(pairs.chain_starts(1)) == len(pairs) == frames - offset
    assert pairs.index[pairs.chain_starts(3), 1].max() == frames - 3 * offset - 1
    with pytest.raises(ValueError, match="no trajectory is long enough for 100 chained"):
        pairs.chain_starts(100)
    with pytest.raises(ValueError, match="rollout_steps = 0"):
        quick_config(rollout_steps=0)
    history = train(MODEL, pairs, pairs, quick_config(epochs=1, rollout_steps=3),
                    tmp_path / "chain.pt", progress=False)
    assert np.isfinite(history["train_loss"][0])


def test_settings_from_before_chained_predictions_keep_their_keys():
    assert "rollout_steps" not in quick_config().to_dict()
    assert quick_config(rollout_steps=2).to_dict()["rollout_steps"] == 2


def test_fine_tuning_starts_from_the_given_weights(trajectories, tmp_path):
    pairs = PairSet(trajectories[:1], K_STEPS)
    train(MODEL, pairs, pairs, quick_config(epochs=1), tmp_path / "base.pt", progress=False)
    base = load_simulator(tmp_path / "base.pt")
    no_steps = quick_config(epochs=1, learning_rate=0.0, final_learning_rate=0.0,
                            schedule="cosine", noise=NoiseConfig())
    train(MODEL, pairs, pairs, no_steps, tmp_path / "tuned.pt", progress=False, initial=base)
    tuned = load_simulator(tmp_path / "tuned.pt")
    assert tuned.spec == base.spec
    for name, weights in base.network.state_dict().items():
        assert torch.equal(weights, tuned.network.state_dict()[name]), name
    with pytest.raises(ValueError, match="not .* fine-tune with its own model settings"):
        train(replace(MODEL, latent_size=16), pairs, pairs, no_steps, tmp_path / "x.pt",
              progress=False, initial=base)
