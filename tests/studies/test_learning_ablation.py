"""The learning ablation: what each variant changes, how a variant is scored, and the
table that keeps every variant measured so far."""

import json
from dataclasses import replace

import numpy as np
import pytest
import torch
from md_helpers import small_trajectory

from ogn_lib.learn.checkpoint import save_checkpoint
from ogn_lib.learn.graph import build_graph
from ogn_lib.learn.network import ModelConfig, OGNNetwork
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import graph_cutoff, model_config, training_config
from ogn_lib.learn.trained_models import load_shipped
from ogn_lib.learn.training import new_simulator
from ogn_lib.studies import learning_ablation
from ogn_lib.studies.learning_ablation import (
    BASE,
    FINE_TUNING,
    PROFILE_EPOCHS,
    LabFrameNetwork,
    evaluate,
    markdown_table,
    read_wrapped,
    run_variant,
    variant_settings,
    write_summary,
)

PROFILE = model_config("fast", "quick", 2, graph_cutoff("lj"), "lj")


@pytest.fixture(scope="module")
def truth_path(tmp_path_factory):
    """A 500-step, 265-atom KA-LJ liquid written as GSD."""
    folder = tmp_path_factory.mktemp("truth")
    small_trajectory(folder, "lj", production_steps=500)
    return next(folder.glob("*.gsd"))


def test_base_variants_train_without_equivariant_channels_for_a_short_run():
    preset, k, model, config, network, initial = variant_settings("lj", "wide", 2)
    assert (preset, k, network, initial) == ("fast", 5, OGNNetwork, None)
    assert model == replace(PROFILE, n_vectors=0, n_tensors=0, latent_size=64,
                            hidden_size=128)
    assert config == BASE
    assert variant_settings("lj", "cutoff-2.5", 2)[2].cutoff == 2.5
    assert variant_settings("lj", "fast-k1", 2)[1] == 1
    assert variant_settings("lj", "lab-frame-gns-like", 2)[4] is LabFrameNetwork


def test_profile_variants_change_one_thing_of_the_profiles_fast_ogn():
    _, _, model, config, _, _ = variant_settings("lj", "profile-600-tensors-0", 2)
    assert model == replace(PROFILE, n_tensors=0)
    assert config == replace(training_config("quick", "fast"), epochs=PROFILE_EPOCHS)


def test_shipped_variants_continue_the_shipped_model_with_chained_predictions():
    _, _, model, config, _, initial = variant_settings("lj", "shipped+300-chain-2", 2)
    shipped, _ = load_shipped("quick", "lj", "fast")
    assert model == shipped.spec.model == initial.spec.model
    assert config == replace(FINE_TUNING, epochs=6, rollout_steps=2)


def test_the_lab_frame_control_has_no_built_in_rotation_equivariance(truth_path):
    torch.manual_seed(0)
    truth = read_wrapped(truth_path)
    config = ModelConfig(n_types=2, cutoff=1.5, n_layers=2, latent_size=8, hidden_size=8,
                         n_radial=4)
    network = LabFrameNetwork(config).eval()
    quarter_turn = torch.tensor([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    graph = build_graph(truth.positions[0], truth.box_lengths, config.cutoff)
    typeids = torch.as_tensor(truth.typeids, dtype=torch.long)
    velocities = torch.as_tensor(truth.velocities[0])
    with torch.no_grad():
        first, _ = network(graph, typeids, velocities)
        turned, _ = network(replace(graph, displacements=graph.displacements @ quarter_turn.T),
                            typeids, velocities @ quarter_turn.T)
    assert first.shape == (len(truth.typeids), 3)
    assert not torch.allclose(turned, first @ quarter_turn.T, atol=1e-4)


def test_a_variant_is_scored_at_the_reported_md_steps_from_two_starts(truth_path):
    simulator, _ = load_shipped("quick", "lj", "fast")
    scores = evaluate(simulator, [truth_path])
    assert scores["md_steps"] == [25, 50, 100, 200] and scores["n_rollouts"] == 2
    for key in ("rmse_ogn", "rmse_no_motion", "rmse_constant_velocity"):
        assert len(scores[key]) == 4 and all(np.isfinite(scores[key]))
    assert scores["blow_ups"] == 0 and scores["energy_rollout_blow_up"] is None
    assert np.isfinite(scores["energy_drift_over_mean_kinetic"])
    assert scores["velocity_change_r2"] <= 1


def test_a_variant_trained_before_is_scored_again_without_training(
        truth_path, tmp_path, monkeypatch):
    _, k, model, _, _, _ = variant_settings("lj", "vectors-8", 2)
    pairs = PairSet([read_wrapped(truth_path)], k)
    save_checkpoint(tmp_path / "lj-vectors-8.pt", new_simulator(pairs, model))
    (tmp_path / "lj-vectors-8.json").write_text(json.dumps({
        "training_minutes": 2.0, "training_cpu_minutes": 1.5, "test_loss": [0.1],
        "seconds_per_batch": 0.2}))

    def no_training(*args, **kwargs):
        raise AssertionError("a variant with a checkpoint and a record is not trained again")

    monkeypatch.setattr(learning_ablation, "train", no_training)
    monkeypatch.setattr(learning_ablation, "evaluate",
                        lambda simulator, test_paths: {"scored": simulator.spec.to_dict()})
    row = run_variant("lj", "vectors-8", [truth_path], [truth_path], tmp_path)
    assert row["scored"]["model"] == model.to_dict() and row["training_cpu_minutes"] == 1.5
    assert (row["variant"], row["k_steps"], row["network"]) == ("vectors-8", 5, "OGNNetwork")
    assert json.loads((tmp_path / "lj-vectors-8.json").read_text())["variant"] == "vectors-8"


def row(variant, **measured):
    return {"variant": variant, "k_steps": 5, "model": {"n_layers": 2, "cutoff": 2.0},
            "training": {"batches_per_epoch": 50, "batch_size": 4}, "test_loss": [0.2, 0.1],
            "seconds_per_batch": 0.5, "training_minutes": 3.0, **measured}


def test_the_table_says_not_run_where_a_row_was_measured_before_a_column_existed():
    table = markdown_table([row("old", note="measured long ago"),
                            row("new", training_cpu_minutes=2.0, rmse_ogn=[0.01, 0.02],
                                rmse_no_motion=[0.1, 0.2], md_steps=[25, 50],
                                temperature_ratio_all_rollouts=1.01,
                                energy_drift_over_mean_kinetic=0.05, blow_ups=0,
                                n_rollouts=4, velocity_change_r2=0.9)])
    header, rule, old, new, blank, note = table.splitlines()
    assert header.count("|") == rule.count("|") == old.count("|") == new.count("|") == 16
    assert old.startswith("| old | 5 | 2 | 2.0 | 100 | ~3.0 (wall) | 8.0 | 0.1000 |")
    assert old.count("not run") == 6
    assert "| 25 / 50 | 0.010 / 0.020 | 0.100 / 0.200 | 1.010 | 0.050 | 0/4 | 0.900 |" in new
    assert (blank, note) == ("", "- old: measured long ago")


def test_the_summary_keeps_earlier_variants_and_replaces_those_measured_again(tmp_path):
    summary = tmp_path / "learning_ablation_lj"
    write_summary(summary, [row("a"), row("b")])
    write_summary(summary, [row("b", training_cpu_minutes=9.0)])
    rows = json.loads(summary.with_suffix(".json").read_text())
    assert [r["variant"] for r in rows] == ["a", "b"]
    assert rows[1]["training_cpu_minutes"] == 9.0
    assert summary.with_suffix(".md").read_text() == markdown_table(rows)
