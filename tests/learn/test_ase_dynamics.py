"""The ASE driver advances Atoms as `ogn rollout` advances a configuration."""

import io
import json
from dataclasses import fields

import ase.io
import numpy as np
import pytest
import torch

from ogn_lib.data.atoms import atoms_from_configuration, configuration_from_atoms
from ogn_lib.files import file_sha256
from ogn_lib.learn.ase_dynamics import OGNDynamics
from ogn_lib.learn.checkpoint import CheckpointError, save_checkpoint
from ogn_lib.learn.ensembles import rollout_ensemble
from ogn_lib.learn.rollout import rollout_states
from ogn_lib.learn.trained_models import Provenance, load_checked
from tests.toy_lj import toy_trajectory
from tests.untrained import untrained_simulator

PREDICTIONS = 20


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A toy simulator with random weights, so that each prediction depends on the
    neighbourhood (an untrained one moves atoms at constant velocity)."""
    simulator = untrained_simulator(closest_approach=0.0)
    generator = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for parameter in simulator.network.parameters():
            parameter.copy_(0.2 * torch.randn(parameter.shape, generator=generator))
    path = tmp_path_factory.mktemp("model") / "toy.pt"
    save_checkpoint(path, simulator)
    return path


@pytest.fixture(scope="module")
def start():
    return toy_trajectory(n_frames=1).configuration(0)


@pytest.mark.parametrize(("ensemble", "options"), [
    ("nve", {}), ("nvt-csvr", {"temperature": 1.2, "seed": 5}),
    ("nvt-langevin", {"temperature": 0.8, "coupling_time": 0.05, "seed": 2})])
def test_driver_and_rollout_agree_after_20_predictions(checkpoint, start, ensemble, options):
    atoms = atoms_from_configuration(start, "lj")
    dynamics = OGNDynamics(atoms, checkpoint, "lj", ensemble=ensemble, **options)
    dynamics.run(PREDICTIONS)
    simulator = load_checked(checkpoint)
    expected = list(rollout_states(simulator, start, PREDICTIONS, rollout_ensemble(
        ensemble, simulator.spec, "lj", **options)))[-1]
    found = configuration_from_atoms(atoms, "lj")
    moved = np.abs(expected.unwrapped_positions - start.unwrapped_positions).max()
    assert moved > 0.05  # the atoms went somewhere
    assert np.allclose(found.unwrapped_positions, expected.unwrapped_positions,
                       rtol=0, atol=1e-5)
    assert np.allclose(found.velocities, expected.velocities, rtol=0, atol=1e-5)
    assert found.step == expected.step == start.step + PREDICTIONS * simulator.spec.k_steps
    assert dynamics.dt == pytest.approx(simulator.step_time)  # lj: 1 tau = 1 ASE time unit


def test_driver_writes_its_trajectory_log_and_calls_observers(checkpoint, start, tmp_path):
    atoms = atoms_from_configuration(start, "lj")
    log = io.StringIO()
    seen = []
    dynamics = OGNDynamics(atoms, checkpoint, "lj", trajectory=tmp_path / "run.traj",
                           logfile=log, loginterval=2)
    dynamics.attach(lambda: seen.append(atoms.info["step"]), interval=5)
    dynamics.run(10)
    frames = ase.io.read(tmp_path / "run.traj", index=":")
    assert len(frames) == 6  # the start and every 2nd of 10 predictions
    assert seen == [0, 25, 50]
    lines = log.getvalue().splitlines()
    assert lines[0].split()[:2] == ["t", "[tau]"] and len(lines) == 1 + 6
    assert int(lines[-1].split()[1]) == 50
    again = configuration_from_atoms(frames[-1], "lj")
    assert np.allclose(again.unwrapped_positions,
                       configuration_from_atoms(atoms, "lj").unwrapped_positions)


def test_driver_refuses_to_replace_a_trajectory_file(checkpoint, start, tmp_path):
    (tmp_path / "old.traj").write_text("keep me")
    with pytest.raises(ValueError, match="exists; give a new file name"):
        OGNDynamics(atoms_from_configuration(start, "lj"), checkpoint, "lj",
                    trajectory=tmp_path / "old.traj")
    assert (tmp_path / "old.traj").read_text() == "keep me"


def test_driver_checks_a_shipped_models_provenance(checkpoint, start, tmp_path):
    shipped = tmp_path / "shipped.pt"
    shipped.write_bytes(checkpoint.read_bytes())
    provenance = {field.name: "" for field in fields(Provenance)}
    provenance.update(checkpoint_sha256=file_sha256(checkpoint)[::-1], tree_clean=True,
                      training={}, train_loss=[], test_loss=[], epoch_seconds=[],
                      wall_seconds=0.0, hardware={})
    shipped.with_suffix(".json").write_text(json.dumps(provenance))
    with pytest.raises(CheckpointError, match="differs from its provenance"):
        OGNDynamics(atoms_from_configuration(start, "lj"), shipped, "lj")


def test_driver_refuses_species_its_model_does_not_know(checkpoint, start):
    renamed = start.__class__(**{**vars(start), "type_names": ("A", "C")})
    with pytest.raises(ValueError, match=r"atom types \['C'\] are unknown"):
        OGNDynamics(atoms_from_configuration(renamed, "lj"), checkpoint, "lj")


def test_driver_refuses_a_thermostat_without_temperature(checkpoint, start):
    with pytest.raises(ValueError, match="ensemble nvt-csvr needs a temperature"):
        OGNDynamics(atoms_from_configuration(start, "lj"), checkpoint, "lj",
                    ensemble="nvt-csvr")
