"""Shipped weights: provenance, integrity, and the recorded test loss on regenerated data."""

import json
import shutil
from dataclasses import replace

import pytest
import torch
from toy_lj import DT, toy_trajectory

from ogn_lib import revision
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.learn import trained_models
from ogn_lib.learn.checkpoint import CheckpointError, load_checkpoint, load_simulator
from ogn_lib.learn.loss import held_out_loss
from ogn_lib.learn.network import ModelConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.trained_models import (
    SHIPPED_ROOT,
    TEST_LOSS_TOLERANCE,
    load_shipped,
    read_provenance,
    ship,
    shipped_path,
)
from ogn_lib.learn.training import TrainingConfig, train
from ogn_lib.studies import profile_models
from ogn_lib.studies.profile_models import pairs_for

MODEL = ModelConfig(n_types=2, cutoff=1.4, n_layers=1, latent_size=16, hidden_size=16,
                    n_radial=4)
CONFIG = TrainingConfig(epochs=2, batches_per_epoch=2, batch_size=2, n_test_pairs=4)
K_STEPS = 10  # a Fast-OGN of a system other than LJ predicts 10 MD steps


def _write(trajectory, path):
    with TrajectoryWriter(path) as writer:
        for frame in range(trajectory.n_frames):
            writer.append(trajectory.configuration(frame))
        writer.commit({"system": "toy-lj", "dt": DT})
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A finished toy training, its data files and a shipped copy in a temporary root."""
    folder = tmp_path_factory.mktemp("ship")
    trajectories = [toy_trajectory(seed) for seed in range(2)]
    paths = [_write(t, folder / f"toy-{i}.gsd") for i, t in enumerate(trajectories)]
    pairs = PairSet(trajectories, K_STEPS)
    working = folder / "working.pt"
    history = train(MODEL, pairs, pairs, CONFIG, working, progress=False)
    root = folder / "shipped"
    target = ship("quick", "toy-lj", "fast", working, root=root, command="ogn train toy",
                  data=(paths[:1], paths[1:]))
    return {"root": root, "target": target, "working": working, "history": history,
            "pairs": pairs, "paths": paths}


def test_provenance_records_whether_the_tree_was_clean_before_shipping(trained, tmp_path,
                                                                      monkeypatch):
    """Shipping writes into the repository; the record is of the code before that."""
    root = tmp_path / "shipped"

    def git(*args):
        if args[0] == "status":  # dirty as soon as anything was written under root
            return " M data/shipped" if root.exists() else ""
        return "0123abc"

    monkeypatch.setattr(revision, "git", git)
    target = ship("quick", "toy-lj", "fast", trained["working"], root=root, command="c",
                  data=(trained["paths"][:1], trained["paths"][1:]))
    assert read_provenance(target).tree_clean and read_provenance(target).commit == "0123abc"


def test_a_continued_training_ships_with_the_history_it_continued(trained, tmp_path):
    working = tmp_path / "continued.pt"
    more = train(MODEL, trained["pairs"], trained["pairs"], replace(CONFIG, epochs=3),
                 working, progress=False, initial=load_simulator(trained["working"]))
    target = ship("quick", "toy-lj", "fast", working, root=tmp_path / "shipped", command="c",
                  data=(trained["paths"][:1], trained["paths"][1:]),
                  continued=[trained["working"]])
    provenance = read_provenance(target)
    assert provenance.test_loss == trained["history"]["test_loss"] + more["test_loss"]
    assert [each["epochs"] for each in provenance.continued] == [2]
    assert provenance.training["epochs"] == 3
    assert provenance.continued[0]["training"]["epochs"] == 2
    assert provenance.cpu_seconds == pytest.approx(
        sum(trained["history"]["cpu_seconds"]) + sum(more["cpu_seconds"]))
    assert load_checkpoint(target)["history"]["test_loss"] == provenance.test_loss
    assert provenance.batches == (2 + 3) * CONFIG.batches_per_epoch
    assert read_provenance(trained["target"]).continued is None
    assert read_provenance(trained["target"]).batches == 2 * CONFIG.batches_per_epoch
    again = tmp_path / "again.pt"
    last = train(MODEL, trained["pairs"], trained["pairs"], replace(CONFIG, epochs=1),
                 again, progress=False, initial=load_simulator(working))
    chained = read_provenance(ship("quick", "toy-lj", "fast", again, root=tmp_path / "s3",
                                   command="c", data=(trained["paths"][:1],
                                                      trained["paths"][1:]),
                                   continued=[trained["working"], working],
                                   recording="toy-lj-fast-again"))
    assert chained.test_loss == provenance.test_loss + last["test_loss"]
    assert [each["epochs"] for each in chained.continued] == [2, 3]
    assert chained.batches == (2 + 3 + 1) * CONFIG.batches_per_epoch
    assert chained.recording == "toy-lj-fast-again" and provenance.recording is None
    other = tmp_path / "other.pt"
    train(replace(MODEL, latent_size=8), trained["pairs"], trained["pairs"], CONFIG, other,
          progress=False)
    with pytest.raises(CheckpointError, match="does not continue .*different models"):
        ship("quick", "toy-lj", "fast", other, root=tmp_path / "s2", command="c",
             data=(trained["paths"][:1], trained["paths"][1:]), continued=[trained["working"]])


def test_shipped_checkpoint_holds_weights_and_history_but_no_optimizer(trained):
    payload = load_checkpoint(trained["target"])
    assert "optimizer" not in payload and "generator" not in payload
    assert payload["history"] == trained["history"]


def test_provenance_records_command_data_losses_hardware_and_hash(trained):
    provenance = read_provenance(trained["target"])
    assert provenance.command == "ogn train toy"
    assert provenance.test_loss == trained["history"]["test_loss"]
    assert provenance.wall_seconds == pytest.approx(sum(trained["history"]["seconds"]))
    assert provenance.cpu_seconds == pytest.approx(sum(trained["history"]["cpu_seconds"]))
    assert 0 < provenance.cpu_seconds
    assert len(provenance.training_data_sha256) == len(provenance.test_data_sha256) == 64
    assert provenance.training_data_sha256 != provenance.test_data_sha256
    assert provenance.hardware["cpu_count"] >= 1 and provenance.training["epochs"] == 2


def test_loading_checks_the_recorded_hash(trained, tmp_path):
    assert load_shipped("quick", "toy-lj", "fast", root=trained["root"])[0].spec.k_steps == K_STEPS
    copy = shutil.copytree(trained["root"], tmp_path / "copy")
    target = shipped_path("quick", "toy-lj", "fast", copy)
    target.write_bytes(target.read_bytes() + b"\0")
    with pytest.raises(CheckpointError, match="differs from its provenance"):
        load_shipped("quick", "toy-lj", "fast", root=copy)


def test_a_missing_shipped_model_says_how_to_make_it(tmp_path):
    with pytest.raises(CheckpointError, match="--system lj --preset fast .*--ship"):
        load_shipped("quick", "lj", "fast", root=tmp_path)
    with pytest.raises(CheckpointError, match="--system lj --glass --preset fast"):
        load_shipped("quick", "lj-glass", "fast", root=tmp_path)


def test_an_unfinished_training_is_not_shipped(trained, tmp_path):
    pairs = trained["pairs"]
    unfinished = tmp_path / "unfinished.pt"
    train(MODEL, pairs, pairs, replace(CONFIG, epochs=1), unfinished, progress=False)
    payload = load_checkpoint(unfinished)
    payload["training"] = json.dumps({**json.loads(payload["training"]), "epochs": 5})
    torch.save(payload, unfinished)
    with pytest.raises(CheckpointError, match="1 of 5 epochs"):
        ship("quick", "toy-lj", "fast", unfinished, root=tmp_path / "s", data=([], []))


SHIPPED = sorted(SHIPPED_ROOT.glob("*/*.pt"))


@pytest.mark.parametrize("checkpoint", SHIPPED, ids=[f"{p.parent.name}/{p.stem}" for p in SHIPPED])
def test_every_shipped_model_reproduces_its_recorded_test_loss(checkpoint):
    """Loads safely (weights only), matches its hash, and gives its recorded test loss on
    test data regenerated here, within TEST_LOSS_TOLERANCE."""
    profile, (system, preset) = checkpoint.parent.name, checkpoint.stem.rsplit("-", 1)
    simulator, provenance = load_shipped(profile, system, preset)
    pairs, _ = pairs_for(profile, system, preset, "test")
    settings = provenance.training
    recomputed = held_out_loss(simulator, pairs, settings["n_test_pairs"],
                               settings["batch_size"])
    assert recomputed == pytest.approx(provenance.test_loss[-1], rel=TEST_LOSS_TOLERANCE)


def test_retrain_trains_a_tenth_of_the_quick_fast_ogn_in_its_own_checkpoint(monkeypatch,
                                                                            data_dir):
    calls = {}

    def fake_train_model(profile, system, preset, **options):
        calls.update(options)
        return options["checkpoint"], {"test_loss": [1.0] * (options["epochs"] or 100)}

    monkeypatch.setattr(profile_models, "train_model", fake_train_model)
    monkeypatch.setattr(profile_models, "load_simulator", lambda path, system: "model")
    model, description = profile_models.trained_simulator("quick", "lj", "fast", retrain=True)
    assert model == "model"
    assert calls["epochs"] == 10 and calls["checkpoint"].name == "lj-fast-10epochs.pt"
    assert description == "fast-OGN trained in this run (10 of the shipped model's 100 epochs)"


def test_the_energy_model_is_fitted_once_and_refitted_when_its_data_change(monkeypatch,
                                                                           data_dir, tmp_path):
    paths = {"lj-train": [tmp_path / "train-0.gsd", tmp_path / "train-1.gsd"],
             "lj-test": [tmp_path / "test-0.gsd"]}
    for seed, path in enumerate([*paths["lj-train"], *paths["lj-test"]]):
        _write(toy_trajectory(seed, n_frames=40, system="lj", with_energies=True), path)
    monkeypatch.setattr(profile_models, "ensure_group", lambda profile, group: paths[group])
    monkeypatch.setattr(profile_models, "graph_cutoff", lambda system: 1.4)
    fits = []
    real_fit = profile_models.fit_energy_model

    def counted_fit(*args, **kwargs):
        fits.append(1)
        return real_fit(*args, **kwargs, n_steps=20)

    monkeypatch.setattr(profile_models, "fit_energy_model", counted_fit)
    model, fit = profile_models.energy_model_for("quick", "lj")
    again, _ = profile_models.energy_model_for("quick", "lj")
    assert len(fits) == 1 and fit.n_train_frames == 8
    frame = toy_trajectory(5, n_frames=1).configuration(0)
    assert again.potential_energy(frame) == model.potential_energy(frame)
    _write(toy_trajectory(7, n_frames=40, system="lj", with_energies=True),
           paths["lj-train"][1])  # new content, same file name
    profile_models.energy_model_for("quick", "lj")
    assert len(fits) == 2
    (data_dir / "quick" / "models" / "lj-energy.pt").write_bytes(b"truncated")
    profile_models.energy_model_for("quick", "lj")
    assert len(fits) == 3


def test_a_data_folder_of_mixed_md_steps_names_the_file_that_differs(tmp_path):
    trajectory = toy_trajectory(n_frames=5)
    for role, dt in (("train", DT), ("test", 2 * DT)):
        (tmp_path / role).mkdir()
        with TrajectoryWriter(tmp_path / role / "a.gsd") as writer:
            for frame in range(trajectory.n_frames):
                writer.append(trajectory.configuration(frame))
            writer.commit({"system": "toy-lj", "dt": dt, "units": "lj"})
    with pytest.raises(ValueError, match=f"test/a.gsd has dt = {2 * DT}, .*train/a.gsd {DT}; "
                                         "a data folder holds trajectories of one system"):
        trained_models.folder_trajectories(tmp_path)
