"""Shipped potential-energy models: used only as shipped and only for the data they were
fitted to; the quick ones fit the quick trajectories made here."""

import json
from dataclasses import replace

import pytest
import torch
from toy_lj import toy_trajectory

from ogn_lib.data.catalogue import ensure_group
from ogn_lib.learn import shipped_energy_models
from ogn_lib.learn.checkpoint import CheckpointError
from ogn_lib.learn.energy_model import DescriptorSettings, descriptor_settings, fit_energy_model
from ogn_lib.learn.presets import data_system, graph_cutoff
from ogn_lib.learn.shipped_energy_models import (
    ship_energy_model,
    shipped_energy_model,
    shipped_energy_path,
)
from ogn_lib.learn.trained_models import data_sha256
from ogn_lib.paths import SHIPPED_ROOT
from ogn_lib.studies import profile_models

CUTOFF = 1.4
SETTINGS = DescriptorSettings(n_basis=8)
DATA = ("a" * 64, "b" * 64)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A toy energy model shipped into a temporary root, and that root."""
    train = [toy_trajectory(seed, n_frames=40, with_energies=True) for seed in range(2)]
    test = [toy_trajectory(9, n_frames=40, with_energies=True)]
    model, fit = fit_energy_model(train, test, CUTOFF, SETTINGS, n_steps=20)
    root = tmp_path_factory.mktemp("shipped")
    ship_energy_model("quick", "toy-lj", model, fit, DATA, cpu_seconds=1.25, root=root,
                      command="fit toy")
    return model, fit, root


def test_a_shipped_model_comes_back_as_it_was_fitted_with_its_provenance(shipped):
    model, fit, root = shipped
    found, found_fit = shipped_energy_model("quick", "toy-lj", DATA, CUTOFF, SETTINGS,
                                            root=root)
    assert found_fit == fit
    for name, tensor in model.state_dict().items():
        assert torch.equal(found.state_dict()[name], tensor)
    provenance = json.loads(shipped_energy_path("quick", "toy-lj", root)
                            .with_suffix(".json").read_text())
    assert provenance["command"] == "fit toy" and provenance["cpu_seconds"] == 1.2
    assert (provenance["training_data_sha256"], provenance["test_data_sha256"]) == DATA
    assert provenance["settings"] == {"n_basis": 8, "n_angular": 0, "ridge": 1e-6}


@pytest.mark.parametrize("asked", [(("c" * 64, DATA[1]), CUTOFF, SETTINGS),
                                   ((DATA[0], "c" * 64), CUTOFF, SETTINGS),
                                   (DATA, 1.5, SETTINGS),
                                   (DATA, CUTOFF, DescriptorSettings(n_basis=9))],
                         ids=["other training data", "other test data", "other cutoff",
                              "other descriptors"])
def test_a_shipped_model_of_other_data_or_settings_is_not_used(shipped, asked):
    assert shipped_energy_model("quick", "toy-lj", *asked, root=shipped[2]) is None


def test_nothing_shipped_is_no_model(tmp_path):
    assert shipped_energy_model("quick", "lj", DATA, CUTOFF, SETTINGS, root=tmp_path) is None


@pytest.mark.parametrize("damage", ["truncated", "no provenance", "broken provenance"])
def test_a_damaged_shipped_model_is_refused_with_how_to_restore_it(shipped, tmp_path, damage):
    source = shipped_energy_path("quick", "toy-lj", shipped[2])
    path = shipped_energy_path("quick", "toy-lj", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(source.read_bytes()[:-10] if damage == "truncated"
                     else source.read_bytes())
    if damage == "broken provenance":
        path.with_suffix(".json").write_text("{")
    elif damage == "truncated":
        path.with_suffix(".json").write_bytes(source.with_suffix(".json").read_bytes())
    with pytest.raises(CheckpointError, match="git checkout"):
        shipped_energy_model("quick", "toy-lj", DATA, CUTOFF, SETTINGS, root=tmp_path)


def test_the_profile_reads_the_shipped_fit_of_its_data_and_else_fits_its_own(
        monkeypatch, data_dir, tmp_path, shipped):
    paths = {"lj-train": [tmp_path / "train.gsd"], "lj-test": [tmp_path / "test.gsd"]}
    model, fit, root = shipped
    folder = tmp_path / "root" / "energy" / "quick"
    folder.mkdir(parents=True)
    for suffix in (".pt", ".json"):
        (folder / f"lj{suffix}").write_bytes(
            shipped_energy_path("quick", "toy-lj", root).with_suffix(suffix).read_bytes())
    hashes = {"train.gsd": DATA[0], "test.gsd": DATA[1]}
    monkeypatch.setattr(profile_models, "ensure_group", lambda profile, group: paths[group])
    monkeypatch.setattr(profile_models, "data_sha256", lambda found: hashes[found[0].name])
    monkeypatch.setattr(profile_models, "graph_cutoff", lambda system: CUTOFF)
    monkeypatch.setattr(profile_models, "descriptor_settings", lambda system: SETTINGS)
    monkeypatch.setattr(shipped_energy_models, "SHIPPED_ROOT", tmp_path / "root")
    fitted = []
    refitted = replace(fit, train_rmse=99.0)
    monkeypatch.setattr(profile_models, "fit_profile_energy_model",
                        lambda train, test: fitted.append(train) or (model, refitted))
    _, found = profile_models.energy_model_for("quick", "lj")
    assert not fitted and found == fit
    hashes["test.gsd"] = "d" * 64  # the test data changed: the shipped score is not theirs
    _, found = profile_models.energy_model_for("quick", "lj")
    assert fitted == [paths["lj-train"]] and found == refitted


SHIPPED = sorted((SHIPPED_ROOT / "energy").glob("*/*.pt"))


@pytest.mark.parametrize("path", SHIPPED, ids=[f"{p.parent.name}/{p.stem}" for p in SHIPPED])
def test_every_shipped_energy_model_was_fitted_to_the_trajectories_made_here(path):
    """Else the validation page would fit it again on every fresh clone (minutes)."""
    profile, name = path.parent.name, path.stem
    system = data_system(name)
    data = tuple(data_sha256(ensure_group(profile, f"{name}-{role}"))
                 for role in ("train", "test"))
    assert shipped_energy_model(profile, name, data, graph_cutoff(system),
                                descriptor_settings(system)) is not None
