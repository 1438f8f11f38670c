"""The ``ogn`` command line answers bad input with a clear message and exit code 2."""

import pytest

from ogn_lib.cli import main


def test_unknown_system_is_rejected(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "argon"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'argon'" in capsys.readouterr().err


def test_system_or_all_is_required(capsys):
    assert main(["generate"]) == 2
    assert "name one SYSTEM or give --all" in capsys.readouterr().err


def test_missing_potential_file_is_named(capsys, tmp_path, data_dir):
    assert main(["generate", "cuzr", "--potential-file", str(tmp_path / "no.fs")]) == 2
    assert "no.fs does not exist" in capsys.readouterr().err


def test_non_positive_seed_is_refused(capsys, data_dir):
    assert main(["generate", "lj", "--seed", "0"]) == 2
    assert "seed=0" in capsys.readouterr().err


def test_training_without_data_says_how_to_make_it(capsys, data_dir):
    assert main(["train", "--system", "si", "--profile", "quick"]) == 2
    assert "run `ogn generate`" in capsys.readouterr().err


def test_glass_training_of_a_system_without_glass_data_is_refused(capsys, data_dir):
    assert main(["train", "--system", "silica", "--glass"]) == 2
    assert "no glass data for silica: only lj has" in capsys.readouterr().err


def test_glass_training_without_data_names_the_glass_group(capsys, data_dir):
    assert main(["train", "--system", "lj", "--glass", "--profile", "quick"]) == 2
    error = capsys.readouterr().err
    assert "lj-glass-train" in error and "run `ogn generate`" in error


def test_unknown_notebook_lists_the_available_ones(capsys):
    assert main(["reproduce", "--only", "S42", "--no-book"]) == 2
    error = capsys.readouterr().err
    assert "no notebook called S42" in error and "S02" in error and "movies" in error


def test_a_partial_notebook_left_by_a_killed_run_is_not_a_section(tmp_path):
    from ogn_lib.book.reproduce import runnable_notebooks

    for name in ("S02_cage.ipynb", "S02_cage.partial.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in runnable_notebooks(["S02"], folder=tmp_path)] == ["S02_cage.ipynb"]


def test_train_with_overrides_writes_a_checkpoint_with_them(capsys, tmp_path):
    """`ogn train` on the quick LJ data (made by `make data`, or here when missing) with
    another cutoff and one epoch: the checkpoint carries both."""
    from ogn_lib.learn.checkpoint import load_checkpoint, load_simulator
    from ogn_lib.studies.profile_models import pairs_for

    pairs_for("quick", "lj", "fast", "train")
    pairs_for("quick", "lj", "fast", "test")
    checkpoint = tmp_path / "lj-short.pt"
    assert main(["train", "--system", "lj", "--profile", "quick", "--epochs", "1",
                 "--cutoff", "1.6", "--threads", "1", "--device", "cpu",
                 "--checkpoint", str(checkpoint)]) == 0
    assert "after 1 epochs on 1 process(es), cpu" in capsys.readouterr().out
    assert len(load_checkpoint(checkpoint)["history"]["test_loss"]) == 1
    assert load_simulator(checkpoint, system="lj").spec.model.cutoff == 1.6


def test_your_own_lammps_run_in_convert_train_and_roll_out(capsys, tmp_path):
    """The flow of the README: a plain LAMMPS script's dumps (a single-species LJ liquid, a
    system ogn does not know) converted, trained on for one epoch, rolled out."""
    from ogn_lib.data.trajectory import read_trajectory
    from ogn_lib.learn.trained_models import verified_provenance
    from ogn_lib.md.lammps import run_script
    from ogn_lib.paths import REPOSITORY_ROOT

    script = REPOSITORY_ROOT / "examples" / "lj_liquid" / "in.lj"
    for role, seed in (("train", 1), ("test", 2)):
        run = tmp_path / f"run-{role}"
        run.mkdir()
        run_script(script, {"cells": 3, "equilibration": 200, "steps": 60, "every": 5,
                            "seed": seed}, run)
        assert main(["convert", str(run / "liquid.dump"), str(tmp_path / "data" / role / "a.gsd"),
                     "--system", "my-lj", "--dt", "0.005", "--units", "lj",
                     "--types", "A", "--masses", "1.0"]) == 0
    assert "13 frames, 5 MD steps apart, system 'my-lj'" in capsys.readouterr().out
    data = tmp_path / "data"
    arguments = ["train", "--data", str(data), "--k", "5", "--cutoff", "2.0", "--epochs", "1",
                 "--threads", "1", "--device", "cpu"]
    assert main(arguments) == 0
    kept = data / "models" / "quick" / "my-lj-fast.pt"
    assert f"{kept}: test loss" in capsys.readouterr().out
    assert verified_provenance(kept).system == "my-lj"
    assert main(arguments) == 2  # the checkpoint exists: --resume or --force
    assert "exists; use --resume" in capsys.readouterr().err
    finished = kept.read_bytes(), kept.with_suffix(".json").read_bytes()
    assert main([*arguments, "--checkpoint", str(tmp_path / "other.pt")]) == 2
    assert "holds a finished training of this folder" in capsys.readouterr().err
    assert (kept.read_bytes(), kept.with_suffix(".json").read_bytes()) == finished
    assert not (tmp_path / "other.pt").exists()
    out = tmp_path / "rollout.gsd"
    assert main(["rollout", "--checkpoint", str(kept), "--start", str(data / "test" / "a.gsd"),
                 "--predictions", "3", "--out", str(out)]) == 0
    assert read_trajectory(out).n_frames == 4


def test_training_on_a_file_instead_of_a_folder_says_so(capsys, tmp_path):
    (tmp_path / "one.gsd").write_bytes(b"")
    assert main(["train", "--data", str(tmp_path / "one.gsd")]) == 2
    assert "one.gsd is a file, not a folder; give a folder that holds" in capsys.readouterr().err


def test_training_on_a_folder_without_test_data_says_where_to_put_it(capsys, tmp_path):
    (tmp_path / "train").mkdir()
    assert main(["train", "--data", str(tmp_path)]) == 2
    assert "holds no .gsd trajectory; put the training" in capsys.readouterr().err


@pytest.mark.parametrize("on_demand", [False, True])
def test_generate_leaves_the_recorded_measures_groups_to_the_pages(monkeypatch, capsys, data_dir,
                                                                   on_demand):
    from ogn_lib.data import catalogue

    asked = []
    monkeypatch.setattr(catalogue, "generate", lambda specs, *args, **kwargs: asked.extend(specs))
    assert main(["generate", "lj"] + (["--on-demand"] if on_demand else [])) == 0
    groups = {spec.group for spec in asked}
    assert ({"cage-scan", "quench-rate"} <= groups) == on_demand
    assert {"train", "test", "msd", "glass-train"} <= groups
    if not on_demand:
        assert "--on-demand makes them" in capsys.readouterr().out
