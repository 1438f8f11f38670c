"""The learned potential-energy model of energy-rescaled rollouts."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from toy_lj import PAIR_CUTOFF, potential_energy, toy_trajectory

from ogn_lib.learn.checkpoint import CheckpointError
from ogn_lib.learn.energy_model import (
    DescriptorSettings,
    atom_descriptors,
    fit_energy_model,
    gaussian_basis,
    load_energy_model,
    save_energy_model,
)
from ogn_lib.periodic import minimum_image


@pytest.fixture(scope="module")
def fitted():
    train = [toy_trajectory(seed, n_frames=200, with_energies=True) for seed in range(12)]
    test = [toy_trajectory(seed, n_frames=200, with_energies=True) for seed in (20, 21)]
    return fit_energy_model(train, test, cutoff=PAIR_CUTOFF,
                            settings=DescriptorSettings(n_basis=8), frame_stride=20, n_steps=200)


def test_fitted_energy_follows_held_out_frames_far_better_than_their_mean(fitted):
    _, fit = fitted
    assert fit.n_train_frames == 120 and fit.n_test_frames == 20
    assert fit.test_rmse < 0.3 * fit.test_energy_std


def test_energy_of_a_configuration_is_the_fitted_total(fitted):
    model, fit = fitted
    frame = toy_trajectory(12, n_frames=2).configuration(1)
    truth = potential_energy(frame.positions.astype(np.float64), frame.typeids,
                             frame.box_lengths)
    assert model.potential_energy(frame) == pytest.approx(truth, abs=4 * fit.test_rmse
                                                          * frame.n_atoms)


def test_descriptors_count_each_neighbour_once_per_type():
    box = np.full(3, 10.0)
    positions = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.5, 0.0]])
    features = atom_descriptors(positions, box, np.array([0, 0, 1]), 2, 2.0,
                                DescriptorSettings(n_basis=5))
    assert features.shape == (3, 10)
    # Atom 0 sees one type-0 neighbour at 1.0 and one type-1 neighbour at 1.5.
    centres, width = np.linspace(0.0, 2.0, 5), 0.5
    envelope = 0.5 * (1 + np.cos(np.pi * 1.0 / 2.0))
    np.testing.assert_allclose(features[0, :5],
                               np.exp(-(((1.0 - centres) / width) ** 2)) * envelope)
    assert features[2, 5:].sum() == 0  # atom 2 has no type-1 neighbour


def test_angular_moments_are_the_sums_over_neighbour_pairs_of_cos_and_cos_squared():
    """P_iab and Q_iab against the explicit double sum over neighbours j, k (j = k
    included) of h_a(r_ij) h_b(r_ik) cos(theta_jik) and (cos^2 - 1/3)."""
    rng = np.random.default_rng(3)
    box, cutoff, closest, n_angular = np.full(3, 6.0), 2.5, 0.5, 3
    positions = rng.uniform(-3.0, 3.0, size=(30, 3))
    features = atom_descriptors(positions, box, np.zeros(30, int), 1, cutoff,
                                DescriptorSettings(n_basis=4, n_angular=n_angular), closest)
    assert features.shape == (30, 4 + 2 * 6)
    upper = np.triu_indices(n_angular)
    for atom in (0, 7):
        vectors = minimum_image(np.delete(positions, atom, 0) - positions[atom], box)
        distances = np.linalg.norm(vectors, axis=1)
        near = distances < cutoff
        unit, h = vectors[near] / distances[near, None], gaussian_basis(
            distances[near], cutoff, n_angular, closest)
        cos = unit @ unit.T
        dipole = np.einsum("ja,kb,jk->ab", h, h, cos)[upper]
        quadrupole = np.einsum("ja,kb,jk->ab", h, h, cos**2 - 1 / 3)[upper]
        np.testing.assert_allclose(features[atom, 4:], np.concatenate([dipole, quadrupole]),
                                   rtol=1e-10, atol=1e-12)


def test_saved_model_gives_the_same_energies_and_refuses_other_files(fitted, tmp_path):
    model, fit = fitted
    save_energy_model(tmp_path / "energy.pt", model, fit, data_sha256="abc")
    loaded, loaded_fit, sha = load_energy_model(tmp_path / "energy.pt")
    frame = toy_trajectory(12, n_frames=1).configuration(0)
    assert loaded.potential_energy(frame) == model.potential_energy(frame)
    assert (loaded_fit, sha) == (fit, "abc")
    torch.save({"format": "something-else"}, tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match="not an ogn energy model"):
        load_energy_model(tmp_path / "other.pt")
    torch.save({"format": "ogn-energy-model-1"}, tmp_path / "old.pt")
    with pytest.raises(CheckpointError, match=r"older format \(ogn-energy-model-1.*ogn fit-energy"):
        load_energy_model(tmp_path / "old.pt")


def test_descriptor_settings_that_cannot_describe_atoms_are_refused():
    for bad in ({"n_basis": 1}, {"n_angular": 1}, {"n_angular": -2}, {"ridge": -1.0}):
        with pytest.raises(ValueError, match="radial functions|ridge"):
            DescriptorSettings(**bad)


def test_trajectories_without_energies_are_refused_with_the_reason():
    plain = [toy_trajectory(0, n_frames=4)]
    with pytest.raises(ValueError, match="hold no potential energy per frame"):
        fit_energy_model(plain, plain, cutoff=PAIR_CUTOFF)


def test_atoms_of_an_unknown_type_are_refused(fitted):
    model, _ = fitted
    frame = toy_trajectory(0, n_frames=1).configuration(0)
    with pytest.raises(ValueError, match="unknown to this energy model"):
        model.potential_energy(replace(frame, type_names=("A", "C")))


def test_trajectories_of_several_systems_are_refused():
    lj = toy_trajectory(0, n_frames=4, with_energies=True)
    other = toy_trajectory(1, n_frames=4, system="lj", with_energies=True)
    with pytest.raises(ValueError, match="several systems .* one energy model per system"):
        fit_energy_model([lj], [other], cutoff=PAIR_CUTOFF)
