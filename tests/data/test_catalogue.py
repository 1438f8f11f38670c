"""Data sets: split by trajectory, named by hash, reused when valid, remade when not."""

import dataclasses

import pytest

from ogn_lib.data import catalogue
from ogn_lib.data.trajectory import read_trajectory, sidecar_path
from ogn_lib.md.protocols import LiquidProtocol, MeltQuenchProtocol


def tiny_spec(seed=11, steps=10, temperature=3.0):
    return catalogue.TrajectorySpec(
        system="lj", group="train", index=0, seed=seed,
        protocol=LiquidProtocol(n_atoms=108, temperature=temperature,
                                number_density=1.2, equilibration_steps=50,
                                production_steps=steps))


def test_training_and_test_sets_share_no_trajectory():
    for profile in catalogue.PROFILES:
        specs = catalogue.catalogue(profile)
        seeds = [(s.system, s.seed) for s in specs]
        assert len(seeds) == len(set(seeds))
        train = {s.seed for s in specs if s.group == "train"}
        test = {s.seed for s in specs if s.group == "test"}
        assert train and test and not train & test


def test_quick_profile_has_every_group_the_supplement_needs():
    groups = {f"{s.system}-{s.group}" for s in catalogue.catalogue("quick")}
    for system in ("lj", "silica", "si", "cuzr"):
        assert {f"{system}-train", f"{system}-test", f"{system}-msd"} <= groups
    assert {"lj-size", "lj-temperature", "lj-density", "lj-glass-train",
            "lj-glass-test"} <= groups
    sizes = {s.protocol.n_atoms for s in catalogue.catalogue("quick") if s.group == "size"}
    assert min(sizes) == 265 and max(sizes) == 10000


def test_file_name_hash_follows_every_parameter(data_dir):
    base = catalogue.trajectory_path(tiny_spec(), "quick")
    assert catalogue.trajectory_path(tiny_spec(), "quick") == base
    assert catalogue.trajectory_path(tiny_spec(seed=12), "quick") != base
    assert catalogue.trajectory_path(tiny_spec(temperature=2.0), "quick") != base
    assert catalogue.trajectory_path(tiny_spec(), "paper").name != base.name


def test_same_parameters_and_seed_give_the_same_file(tmp_path):
    first = catalogue.ensure(tiny_spec(), "quick", root=tmp_path / "a")
    second = catalogue.ensure(tiny_spec(), "quick", root=tmp_path / "b")
    assert first.path.read_bytes() == second.path.read_bytes()


def test_valid_file_is_reused_and_corrupt_file_is_remade(data_dir):
    made = catalogue.ensure(tiny_spec(), "quick")
    assert made.status == "made" and made.n_frames == 11
    again = catalogue.ensure(tiny_spec(), "quick")
    assert again.status == "reused"
    good = made.path.read_bytes()
    made.path.write_bytes(good[: len(good) // 2])
    remade = catalogue.ensure(tiny_spec(), "quick")
    assert remade.status == "remade" and "truncated" in remade.reason
    assert made.path.read_bytes() == good
    assert read_trajectory(made.path).n_frames == 11


def test_only_missing_files_go_to_worker_processes(data_dir, monkeypatch):
    specs = [tiny_spec(seed=21), tiny_spec(seed=22)]
    for spec in specs:
        catalogue.ensure(spec, "quick")

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started with every file valid")

    monkeypatch.setattr(catalogue, "ProcessPoolExecutor", no_pool)
    results = catalogue.generate(specs, "quick", jobs=2)
    assert [r.status for r in results] == ["reused", "reused"]
    assert [r.spec for r in results] == specs


def test_failed_generation_damages_no_existing_file(data_dir, monkeypatch):
    kept = catalogue.ensure(tiny_spec(), "quick")
    before = kept.path.read_bytes(), sidecar_path(kept.path).read_text()

    def explode(self, system, seed, writer):
        raise RuntimeError("simulated crash")  # while the writer's file is open

    monkeypatch.setattr(LiquidProtocol, "run", explode)
    with pytest.raises(RuntimeError, match="simulated crash"):
        catalogue.ensure(tiny_spec(seed=99), "quick")
    assert (kept.path.read_bytes(), sidecar_path(kept.path).read_text()) == before
    assert not list(data_dir.rglob("*.partial*"))
    assert not catalogue.trajectory_path(tiny_spec(seed=99), "quick").exists()


def test_melt_quench_logs_energy_against_temperature(tmp_path):
    protocol = MeltQuenchProtocol(n_atoms=108, number_density=1.2, t_melt=2.0, t_glass=0.5,
                                  t_final=0.05, cooling_rate=0.2, equilibration_steps=100,
                                  hold_steps=50, production_steps=20, log_period_steps=20)
    spec = catalogue.TrajectorySpec("lj", "glass-train", 0, 5, protocol)
    result = catalogue.ensure(spec, "quick", root=tmp_path)
    quench = read_trajectory(result.path).metadata.quench
    temperatures, energies = quench["temperature"], quench["potential_energy"]
    assert quench["set_point"][0] > quench["set_point"][-1] == pytest.approx(0.05)
    assert len(temperatures) == len(energies) > 50
    assert temperatures[0] > 1.2 and temperatures[-1] < 0.3
    assert energies[-1] < energies[0]


@pytest.mark.parametrize("bad, message", [
    (dict(number_density=0.0), "number_density=0.0 must be positive"),
    (dict(temperature=-1.0), "temperature=-1.0 must be positive"),
])
def test_non_positive_state_point_is_refused(bad, message):
    fields = dict(n_atoms=100, temperature=3.0, number_density=1.2, equilibration_steps=10,
                  production_steps=10)
    with pytest.raises(ValueError, match=message):
        LiquidProtocol(**{**fields, **bad})


def test_unknown_profile_and_group_are_named():
    with pytest.raises(ValueError, match="unknown profile 'fast'"):
        catalogue.catalogue("fast")
    with pytest.raises(ValueError, match="unknown system 'argon'"):
        catalogue.catalogue("quick", ("argon",))
    with pytest.raises(ValueError, match="known groups are"):
        catalogue.trajectory_paths("quick", "lj-validation")


def test_spec_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        tiny_spec().seed = 3
