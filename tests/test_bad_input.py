"""Bad input to the ``ogn`` command: every case ends with exit code 2 and a message naming
the problem, and leaves every file as it was (same SHA-256, nothing added or removed)."""

import hashlib
import json
import os
import shutil
from dataclasses import fields, replace

import gsd.hoomd
import pytest
import torch
from toy_cli import use_toy_training
from toy_lj import DT, toy_trajectory
from untrained import untrained_simulator

from ogn_lib.cli import main
from ogn_lib.data.sidecar import read_metadata, sidecar_path
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.files import file_sha256
from ogn_lib.learn.checkpoint import FORMAT, save_checkpoint
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.learn.trained_models import Provenance

N_FRAMES = 30


class RunsCode:
    def __reduce__(self):
        return (print, ("this ran while loading",))


def _write_trajectory(path):
    trajectory = toy_trajectory(n_frames=N_FRAMES, with_energies=True)
    with TrajectoryWriter(path) as writer:
        for frame in range(trajectory.n_frames):
            writer.append(trajectory.configuration(frame))
        writer.commit({"system": "toy-lj", "dt": DT, "units": "lj"})


def _ship(checkpoint):
    """A provenance JSON beside ``checkpoint``, as `ogn train --ship` writes it."""
    provenance = {f.name: "" for f in fields(Provenance)}
    provenance.update(checkpoint_sha256=file_sha256(checkpoint), tree_clean=True,
                      training={}, train_loss=[], test_loss=[], epoch_seconds=[],
                      wall_seconds=0.0, hardware={})
    checkpoint.with_suffix(".json").write_text(json.dumps(Provenance(**provenance).to_dict()))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A start trajectory, a checkpoint for it and a shipped copy with its provenance."""
    folder = tmp_path_factory.mktemp("inputs")
    _write_trajectory(folder / "start.gsd")
    save_checkpoint(folder / "model.pt", untrained_simulator())
    (folder / "shipped").mkdir()
    save_checkpoint(folder / "shipped" / "model.pt", untrained_simulator())
    _ship(folder / "shipped" / "model.pt")
    return folder


@pytest.fixture
def work(template, tmp_path):
    return shutil.copytree(template, tmp_path / "work")


def fingerprint(folder):
    """SHA-256 of every file under ``folder``: what a refused command must not change."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def ogn(argv, capsys):
    """Exit code and standard error of ``ogn ARGV``, argparse's refusals included."""
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as exit_info:
        code = exit_info.code
    return code, capsys.readouterr().err


def refused(argv, capsys, folder, message):
    """Run ``ogn ARGV``; check exit code 2, ``message`` in the error, ``folder`` intact."""
    before = fingerprint(folder)
    code, error = ogn(argv, capsys)
    assert code == 2, error
    assert message in error
    assert fingerprint(folder) == before
    return error


# ---- ogn rollout ---------------------------------------------------------------------

def rollout_argv(work, **changes):
    options = {"--checkpoint": work / "model.pt", "--start": work / "start.gsd",
               "--out": work / "pred.gsd", "--predictions": 2, **changes}
    return ["rollout", *[item for pair in options.items() for item in pair]]


def _rewrite_gsd(work, change):
    """Rewrite start.gsd frame by frame through ``change(frame)``, with a sidecar whose
    hash matches, so that only the change can be refused."""
    source, target = work / "start.gsd", work / "changed.gsd"
    with gsd.hoomd.open(str(source)) as frames, gsd.hoomd.open(str(target), "w") as out:
        for frame in frames:
            change(frame)
            out.append(frame)
    sidecar = json.loads(sidecar_path(source).read_text())
    sidecar["gsd_sha256"] = file_sha256(target)
    sidecar_path(target).write_text(json.dumps(sidecar))
    return {"--start": target}


def _edit_sidecar(work, edit):
    sidecar = json.loads(sidecar_path(work / "start.gsd").read_text())
    sidecar_path(work / "start.gsd").write_text(json.dumps(edit(sidecar)))
    return {}


def _tilt(frame):
    frame.configuration.box = [*frame.configuration.box[:3], 0.1, 0.0, 0.0]


def _drop_velocities(frame):
    frame.particles.velocity = None


def _write(path, data, **changes):
    """Put ``data`` (text or bytes) in ``path``; the command line changes are ``changes``."""
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data)
    return changes


def _truncate(path):
    return _write(path, path.read_bytes()[: path.stat().st_size // 2])


def _hard_link(work):
    os.link(work / "start.gsd", work / "hard.gsd")
    return {"--out": work / "hard.gsd"}


def _symbolic_link(work):
    (work / "link.gsd").symlink_to(work / "start.gsd")
    return {"--out": work / "link.gsd"}


def _wrong_shaped_weights(work):
    simulator = untrained_simulator()
    wider = LearnedSimulator(replace(simulator.spec, model=replace(simulator.spec.model,
                                                                    latent_size=16)))
    torch.save({"format": FORMAT, "spec": simulator.spec.to_dict(),
                "model": wider.network.state_dict()}, work / "model.pt")
    return {}


def _edited_spec(work, **changes):
    """The working checkpoint with entries of its stored spec replaced."""
    payload = torch.load(work / "model.pt", weights_only=True)
    payload["spec"] = {**payload["spec"], **changes}
    torch.save(payload, work / "model.pt")
    return {}


def _changed_shipped_checkpoint(work):
    checkpoint = work / "shipped" / "model.pt"
    save_checkpoint(checkpoint, untrained_simulator(closest_approach=0.5))
    return {"--checkpoint": checkpoint}


def _provenance(work, text):
    (work / "shipped" / "model.json").write_text(text)
    return {"--checkpoint": work / "shipped" / "model.pt"}


ROLLOUT_CASES = {
    # output paths: inputs are never overwritten, earlier outputs only with --force
    "out is start": (lambda w: {"--out": w / "start.gsd"}, "would overwrite --start"),
    "out is the start's sidecar": (lambda w: {"--out": w / "start.json"},
                                   "would overwrite --start's sidecar"),
    "out is the checkpoint": (lambda w: {"--out": w / "model.pt"},
                              "would overwrite --checkpoint"),
    "out is the provenance": (
        lambda w: {"--checkpoint": w / "shipped" / "model.pt",
                   "--out": w / "shipped" / "model.json"},
        "would overwrite the checkpoint's provenance"),
    "out's sidecar is the provenance": (
        lambda w: {"--checkpoint": w / "shipped" / "model.pt",
                   "--out": w / "shipped" / "model.gsd"},
        "--out's sidecar"),
    "out is start spelled otherwise": (
        lambda w: (w / "sub").mkdir() or {"--out": w / "sub" / ".." / "start.gsd"},
        "would overwrite --start"),
    "out is a symbolic link to start": (_symbolic_link, "would overwrite --start"),
    "out is a hard link to start": (_hard_link, "would overwrite --start"),
    "out is not gsd": (lambda w: {"--out": w / "pred.xyz"}, "ending in .gsd"),
    "out exists": (lambda w: _write(w / "pred.gsd", "earlier"),
                   "already exists; give another --out, or --force"),
    "out's sidecar exists": (lambda w: _write(w / "pred.json", "{}"),
                             "pred.json already exists"),
    "out is a folder": (lambda w: (w / "pred.gsd").mkdir() or {}, "is a folder"),
    "out inside a file": (lambda w: {"--out": w / "model.pt" / "pred.gsd"},
                          "model.pt is a file, not a folder"),
    # numbers
    "no prediction": (lambda w: {"--predictions": 0}, "0 is below 1"),
    "negative predictions": (lambda w: {"--predictions": -3}, "-3 is below 1"),
    "predictions not a number": (lambda w: {"--predictions": "two"},
                                 "'two' is not a whole number"),
    "negative frame": (lambda w: {"--frame": -1}, f"frames are 0 to {N_FRAMES - 1}"),
    "frame past the end": (lambda w: {"--frame": N_FRAMES},
                           f"--frame {N_FRAMES} is outside"),
    "no thread": (lambda w: {"--threads": 0}, "argument --threads: 0 is below 1"),
    "threads beyond the cores": (lambda w: {"--threads": 100000},
                                 "--threads 100000: this machine has"),
    # checkpoints
    "checkpoint missing": (lambda w: {"--checkpoint": w / "none.pt"},
                           "no such checkpoint"),
    "checkpoint is a folder": (lambda w: (w / "folder.pt").mkdir()
                               or {"--checkpoint": w / "folder.pt"},
                               "a folder, not a checkpoint"),
    "checkpoint empty": (lambda w: _write(w / "model.pt", b""),
                         "not a checkpoint (0 bytes that are not the zip archive"),
    "checkpoint random bytes": (lambda w: _write(w / "model.pt", os.urandom(300)),
                                "not a checkpoint (300 bytes"),
    "checkpoint truncated": (lambda w: _truncate(w / "model.pt"), "truncated"),
    "checkpoint of wrong shape": (_wrong_shaped_weights, "size mismatch for"),
    "checkpoint runs code": (
        lambda w: torch.save({"format": FORMAT, "x": RunsCode()}, w / "model.pt") or {},
        "refused, it holds objects other than tensors"),
    "checkpoint of another format": (
        lambda w: torch.save({"weights": torch.zeros(2)}, w / "model.pt") or {},
        "not an ogn checkpoint"),
    "checkpoint without spec": (
        lambda w: torch.save({"format": FORMAT, "model": {}}, w / "model.pt") or {},
        "spec is missing or malformed"),
    "checkpoint with a fractional stride": (
        lambda w: _edited_spec(w, k_steps=2.5), "k = 2.5 MD steps per prediction; a stride "
        "is a whole number of MD steps"),
    "checkpoint with a zero stride": (lambda w: _edited_spec(w, k_steps=0),
                                      "k = 0 MD steps per prediction"),
    "checkpoint with a negative stride": (lambda w: _edited_spec(w, k_steps=-5),
                                          "k = -5 MD steps per prediction"),
    "checkpoint with a negative MD step": (lambda w: _edited_spec(w, dt=-0.005),
                                           "dt = -0.005; the MD step is a positive finite"),
    "checkpoint with an infinite MD step": (lambda w: _edited_spec(w, dt=float("inf")),
                                            "dt = inf; the MD step is a positive finite"),
    "checkpoint for another system": (
        lambda w: save_checkpoint(w / "model.pt", untrained_simulator(system="si")) or {},
        "trained for system 'si', not 'toy-lj'"),
    "shipped checkpoint changed": (_changed_shipped_checkpoint,
                                   "differs from its provenance"),
    "provenance not json": (lambda w: _provenance(w, "{not json"), "not the provenance"),
    "provenance a list": (lambda w: _provenance(w, "[1, 2]"), "not the provenance"),
    # start trajectories
    "start missing": (lambda w: {"--start": w / "none.gsd"}, "no such trajectory"),
    "start is a folder": (lambda w: (w / "folder.gsd").mkdir()
                          or {"--start": w / "folder.gsd"}, "a folder, not a trajectory"),
    "start without sidecar": (lambda w: (w / "start.json").unlink() or {},
                              "Bring another program's file in with `ogn convert`"),
    "start is its sidecar": (lambda w: {"--start": w / "start.json"},
                             "the JSON sidecar of a trajectory, not the trajectory; give "),
    "checkpoint is its provenance": (
        lambda w: {"--checkpoint": w / "shipped" / "model.json"},
        "a JSON file (a shipped model's provenance?), not a checkpoint"),
    "sidecar not json": (lambda w: _write(w / "start.json", "{"),
                         "not valid JSON"),
    "sidecar a list": (lambda w: _write(w / "start.json", "[]"),
                       "holds a JSON list, not an object"),
    "sidecar without dt": (lambda w: _edit_sidecar(w, lambda s: {**s, "dt": None}),
                           "sidecar lacks 'dt'"),
    "sidecar dt a string": (lambda w: _edit_sidecar(w, lambda s: {**s, "dt": "0.002"}),
                            "'dt' = '0.002' is not a positive MD step"),
    "sidecar frames not whole": (lambda w: _edit_sidecar(w, lambda s: {**s, "n_frames": 2.5}),
                                 "'n_frames' = 2.5"),
    "sidecar system a number": (lambda w: _edit_sidecar(w, lambda s: {**s, "system": 5}),
                                "'system' = 5 is not a system name"),
    "sidecar period disagrees with the steps": (
        lambda w: _edit_sidecar(w, lambda s: {**s, "period_steps": 2}),
        "frames are 1 MD steps apart, but the sidecar's period_steps is 2"),
    "start truncated": (lambda w: _truncate(w / "start.gsd"), "truncated"),
    "start not gsd": (
        lambda w: _write(w / "start.gsd", os.urandom(4000)) or _edit_sidecar(
            w, lambda s: {**s, "gsd_sha256": file_sha256(w / "start.gsd")}),
        "unreadable GSD"),
    "start in a tilted box": (lambda w: _rewrite_gsd(w, _tilt), "the box is tilted"),
    "start with an infinite velocity": (
        lambda w: _rewrite_gsd(w, lambda f: f.particles.velocity.__setitem__((3, 0), "inf")),
        "the start frame (MD step 0): atom 3 has velocities [inf"),
    "start with a NaN position": (
        lambda w: _rewrite_gsd(w, lambda f: f.particles.position.__setitem__((5, 2), "nan")),
        "atom 5 has positions ["),
    "start with two atoms at one place": (
        lambda w: _rewrite_gsd(w, lambda f: f.particles.position.__setitem__(
            1, f.particles.position[0])), "atoms 0 and 1 are 0 apart, below"),
    "start without velocities": (lambda w: _rewrite_gsd(w, _drop_velocities),
                                 "frame 0 stores no velocities"),
    # ensembles
    "unknown ensemble": (lambda w: {"--ensemble": "npt"}, "invalid choice: 'npt'"),
    "thermostat without temperature": (lambda w: {"--ensemble": "nvt-csvr"},
                                       "ensemble nvt-csvr needs a temperature"),
    "temperature without thermostat": (lambda w: {"--temperature": 1.0},
                                       "ensemble nve takes no temperature"),
    "negative temperature": (lambda w: {"--ensemble": "nvt-langevin", "--temperature": -1},
                             "-1.0 is not a positive finite number"),
    "zero coupling time": (lambda w: {"--ensemble": "nvt-csvr", "--temperature": 1,
                                      "--coupling-time": 0}, "0.0 is not a positive finite"),
    "coupling time without thermostat": (lambda w: {"--coupling-time": 0.1},
                                         "is a thermostat's; ensemble nve has none"),
    "rescaling without energy model": (lambda w: {"--ensemble": "nve-rescaled"},
                                       "nve-rescaled needs an energy model"),
    "energy model for raw nve": (lambda w: {"--energy-model": w / "model.pt"},
                                 "an energy model is used by nve-rescaled"),
    "energy model is an OGN checkpoint": (
        lambda w: {"--ensemble": "nve-rescaled", "--energy-model": w / "model.pt"},
        "not an ogn energy model"),
    "energy model missing": (
        lambda w: {"--ensemble": "nve-rescaled", "--energy-model": w / "none.pt"},
        "no such energy model; write one with `ogn fit-energy`"),
}


@pytest.mark.parametrize("case", ROLLOUT_CASES)
def test_rollout_refuses_bad_input(case, work, capsys):
    prepare, message = ROLLOUT_CASES[case]
    changes = prepare(work)
    error = refused(rollout_argv(work, **changes), capsys, work, message)
    assert not list(work.rglob("*.partial-*"))
    if "argument" not in error:  # argparse prints its usage; the others one line
        assert error.startswith("ogn rollout: ") and error.count("\n") == 1


@pytest.mark.parametrize("error, message", [
    (PermissionError(13, "Permission denied", "locked.gsd"), "locked.gsd: Permission denied"),
    (IsADirectoryError(21, "Is a directory", "folder.gsd"), "folder.gsd: Is a directory"),
    (OSError(5, "Input/output error", "disk.gsd"), "disk.gsd: Input/output error"),
])
def test_an_unreadable_input_is_one_line_naming_the_file(error, message, work, capsys,
                                                         monkeypatch):
    def unreadable(path):
        raise error

    monkeypatch.setattr("ogn_lib.cli.rollout_command.read_trajectory", unreadable)
    error_text = refused(rollout_argv(work), capsys, work, message)
    assert error_text.startswith("ogn rollout: ") and error_text.count("\n") == 1
    assert "check that the path names a readable file" in error_text


def test_rollout_writes_a_new_file_and_replaces_one_only_with_force(work, capsys):
    assert ogn(rollout_argv(work), capsys)[0] == 0
    assert read_trajectory(work / "pred.gsd").n_frames == 3
    first = fingerprint(work)
    refused(rollout_argv(work), capsys, work, "--force")
    assert ogn(rollout_argv(work, **{"--predictions": 4}) + ["--force"], capsys)[0] == 0
    assert read_trajectory(work / "pred.gsd").n_frames == 5
    assert {name: digest for name, digest in fingerprint(work).items()
            if not name.startswith("pred.")} == {
        name: digest for name, digest in first.items() if not name.startswith("pred.")}


def test_energy_model_fitted_by_the_cli_holds_a_rescaled_rollout(work, capsys):
    refused(["fit-energy", "--train", work / "start.gsd", "--test", work / "start.gsd",
             "--out", work / "energy.pt"], capsys, work,
            "no graph cutoff for system 'toy-lj'")
    fit = ["fit-energy", "--train", work / "start.gsd", "--test", work / "start.gsd",
           "--out", work / "energy.pt", "--cutoff", 1.4, "--frame-stride", 1]
    assert ogn(fit, capsys)[0] == 0
    refused(fit, capsys, work, "energy.pt exists; give another --out, or --force")
    refused([*fit[:6], work / "start.gsd", *fit[7:]], capsys, work,
            "is one of the trajectories")
    refused([*fit[:-1], 1000, "--force"], capsys, work,
            f"a frame stride of 1000 keeps 1 of the {N_FRAMES} training frames; an energy "
            "model needs at least 2")
    argv = rollout_argv(work, **{"--ensemble": "nve-rescaled",
                                 "--energy-model": work / "energy.pt"})
    assert ogn(argv, capsys)[0] == 0
    recorded = read_metadata(work / "pred.gsd").extra
    assert recorded["ensemble"] == {"name": "nve-rescaled", "mvv2e": 1.0}
    assert recorded["energy_model_sha256"] == file_sha256(work / "energy.pt")
    payload = torch.load(work / "energy.pt", weights_only=True)
    payload["spec"] = {**payload["spec"], "system": "lj"}
    torch.save(payload, work / "energy-lj.pt")
    other = rollout_argv(work, **{"--ensemble": "nve-rescaled", "--out": work / "other.gsd",
                                  "--energy-model": work / "energy-lj.pt"})
    refused(other, capsys, work, "energy-lj.pt was fitted to system 'lj' with types "
            "['A', 'B'], the checkpoint simulates 'toy-lj'")


def test_thermostatted_rollout_records_its_thermostat_in_the_sidecar(work, capsys):
    argv = rollout_argv(work, **{"--ensemble": "nvt-csvr", "--temperature": 0.8,
                                 "--seed": 4})
    assert ogn(argv, capsys)[0] == 0
    assert read_metadata(work / "pred.gsd").extra["ensemble"] == {
        "name": "nvt-csvr", "temperature": 0.8, "coupling_time": 100 * DT, "mvv2e": 1.0,
        "seed": 4}


def test_rollout_of_a_shipped_model_checks_its_hash_and_runs(work, capsys):
    argv = rollout_argv(work, **{"--checkpoint": work / "shipped" / "model.pt"})
    assert ogn(argv, capsys)[0] == 0


# ---- ogn train -----------------------------------------------------------------------

def train_argv(*options):
    return ["train", "--system", "lj", "--profile", "quick", *options]


def _working_checkpoint(data_dir):
    path = data_dir / "quick" / "models" / "lj-fast.pt"
    save_checkpoint(path, untrained_simulator(system="lj"))
    return path


TRAIN_CASES = {
    "checkpoint exists": (lambda w, d: ["--checkpoint", w / "model.pt"],
                          "use --resume to continue it or --force to start over"),
    "default checkpoint exists": (lambda w, d: _working_checkpoint(d) and [],
                                  "lj-fast.pt exists; use --resume"),
    "nothing to resume": (lambda w, d: ["--checkpoint", w / "none.pt", "--resume"],
                          "nothing to resume at"),
    "resume a damaged checkpoint": (
        lambda w, d: _write(w / "model.pt", b"junk")
        or ["--checkpoint", w / "model.pt", "--resume"], "not a checkpoint"),
    "resume and force": (lambda w, d: ["--resume", "--force"],
                         "not allowed with argument"),
    "checkpoint is a folder": (lambda w, d: ["--checkpoint", w / "shipped"], "is a folder"),
    "no epoch": (lambda w, d: ["--epochs", "0"], "argument --epochs: 0 is below 1"),
    "negative threads": (lambda w, d: ["--threads", "-1"], "-1 is below 1"),
    "negative cutoff": (lambda w, d: ["--cutoff", "-1"], "not a positive finite number"),
    "device gpu": (lambda w, d: ["--device", "gpu"], "'gpu' is not a torch device name"),
    "device with no such gpu": (lambda w, d: ["--device", "cuda:7"], "cuda:7"),
    "device mps": (lambda w, d: ["--device", "mps"], "'mps' is not supported"),
    "ship with other epochs": (lambda w, d: ["--ship", "--epochs", "3"],
                               "--ship ships the profile's own settings"),
}


@pytest.mark.parametrize("case", TRAIN_CASES)
def test_train_refuses_bad_input(case, work, data_dir, capsys):
    prepare, message = TRAIN_CASES[case]
    refused(train_argv(*prepare(work, data_dir)), capsys, work.parent, message)


def test_ship_replaces_a_shipped_model_only_with_force(work, data_dir, monkeypatch, capsys):
    from ogn_lib.learn import trained_models

    use_toy_training(monkeypatch.setattr, data_dir / "toy")
    monkeypatch.setattr(trained_models, "SHIPPED_ROOT", work / "shipped-root")
    shipped = work / "shipped-root" / "quick" / "lj-fast.pt"
    shipped.parent.mkdir(parents=True)
    shutil.copy(work / "shipped" / "model.pt", shipped)
    shutil.copy(work / "shipped" / "model.json", shipped.with_suffix(".json"))
    before = file_sha256(shipped)
    argv = train_argv("--ship", "--threads", "1", "--device", "cpu")
    refused(argv, capsys, work.parent, "lj-fast.pt exists and --ship would replace it; add "
                                       "--force")
    assert ogn(argv + ["--force"], capsys)[0] == 0
    assert file_sha256(shipped) != before
    assert trained_models.verified_provenance(shipped).system == "lj"


def test_bad_thread_count_in_the_environment_is_named(work, monkeypatch, capsys):
    monkeypatch.setenv("OGN_THREADS", "many")
    refused(rollout_argv(work), capsys, work, "$OGN_THREADS='many' is not a whole number")


# ---- ogn generate, benchmark-md, reproduce ----------------------------------------------

def _data_dir_is(value):
    def prepare(folder, monkeypatch):
        monkeypatch.setenv("OGN_DATA_DIR", value(folder))
        return ["generate", "lj"]
    return prepare


OTHER_CASES = {
    "generate no job": (lambda f, m: ["generate", "lj", "--jobs", "0"], "0 is below 1"),
    "generate jobs not a number": (lambda f, m: ["generate", "lj", "--jobs", "2.5"],
                                   "'2.5' is not a whole number"),
    "potential file for lj": (lambda f, m: ["generate", "lj", "--potential-file",
                                            f / "model.pt"], "use it with SYSTEM=cuzr"),
    "potential file missing": (lambda f, m: ["generate", "cuzr", "--potential-file",
                                             f / "none.fs"], "none.fs does not exist"),
    "potential file a folder": (lambda f, m: ["generate", "cuzr", "--potential-file",
                                              f / "shipped"], "shipped is a folder"),
    "potential file not EAM": (lambda f, m: ["generate", "cuzr", "--potential-file",
                                             f / "model.pt"], "not an EAM setfl file"),
    "potential file of other elements": (
        lambda f, m: _write(f / "AlNi.eam.fs", "c\nc\nc\n2 Al Ni\n100 0.1 100 0.1 5.0\n")
        or ["generate", "cuzr", "--potential-file", f / "AlNi.eam.fs"],
        "its elements are ['Al', 'Ni'], without ['Cu', 'Zr']"),
    "seed zero": (lambda f, m: ["generate", "lj", "--seed", "0"], "seed=0"),
    "data dir empty": (_data_dir_is(lambda f: ""), "$OGN_DATA_DIR is set but empty"),
    "data dir a file": (_data_dir_is(lambda f: str(f / "model.pt")),
                        "model.pt is a file, not a folder"),
    "benchmark no atom": (lambda f, m: ["benchmark-md", "--atoms", "0"], "0 is below 1"),
    "benchmark one atom": (lambda f, m: ["benchmark-md", "--atoms", "1"],
                           "--atoms 1: a benchmark liquid needs at least 100 atoms"),
    "benchmark negative steps": (lambda f, m: ["benchmark-md", "--steps", "-5"],
                                 "-5 is below 1"),
    "reproduce no job": (lambda f, m: ["reproduce", "--jobs", "0", "--no-book"],
                         "0 is below 1"),
    # --only S42 (no such notebook) would be refused next: the device is checked first
    "reproduce device gpu": (lambda f, m: ["reproduce", "--device", "gpu", "--only", "S42",
                                           "--no-book"], "'gpu' is not a torch device name"),
    "reproduce device with no such gpu": (
        lambda f, m: ["reproduce", "--device", "cuda:7", "--only", "S42", "--no-book"],
        "cuda:7"),
    "reproduce device mps": (lambda f, m: ["reproduce", "--device", "mps", "--only", "S42",
                                           "--no-book"], "'mps' is not supported"),
}


@pytest.mark.parametrize("case", OTHER_CASES)
def test_other_commands_refuse_bad_input(case, work, data_dir, monkeypatch, capsys):
    prepare, message = OTHER_CASES[case]
    refused(prepare(work, monkeypatch), capsys, work.parent, message)



# ---- ogn convert ---------------------------------------------------------------------

DUMP_HEADER = "ITEM: ATOMS id type x y z vx vy vz ix iy iz"
DUMP_ROWS = ("1 1 0.5 0.5 0.5 0.1 0 0 0 0 0", "2 1 2.5 0.5 0.5 0 0.1 0 0 0 0",
             "3 1 0.5 2.5 0.5 0 0 0.1 0 0 0", "4 1 2.5 2.5 2.5 -0.1 -0.1 -0.1 0 0 0")


def _dump(work, rows=DUMP_ROWS, header=DUMP_HEADER):
    """A two-frame LAMMPS text dump of four atoms, the first frame's rows as given."""
    frames = []
    for step, frame_rows in ((0, rows), (5, DUMP_ROWS)):
        if header != DUMP_HEADER:
            frame_rows = [" ".join(row.split()[:8]) for row in frame_rows]
        frames += ["ITEM: TIMESTEP", str(step), "ITEM: NUMBER OF ATOMS", "4",
                   "ITEM: BOX BOUNDS pp pp pp", "0 5", "0 5", "0 5", header, *frame_rows]
    (work / "run.dump").write_text("\n".join(frames) + "\n")
    return work / "run.dump"


def convert_argv(work, **changes):
    options = {"--system": "my-lj", "--dt": 0.005, "--units": "lj", "--types": "A",
               "--masses": "1.0", **changes}
    return ["convert", work / "run.dump", work / "in.gsd",
            *[item for pair in options.items() for item in pair]]


def _row(index, edit):
    return tuple(edit(row) if i == index else row for i, row in enumerate(DUMP_ROWS))


CONVERT_CASES = {
    "duplicated atom id": (lambda w: _dump(w, _row(1, lambda r: "1" + r[1:])) and {},
                           "atom id 1 appears 2 times"),
    "type 0": (lambda w: _dump(w, _row(2, lambda r: r[:2] + "0" + r[3:])) and {},
               "atom id 3 has type 0; LAMMPS types count from 1"),
    "NaN velocity": (lambda w: _dump(w, _row(0, lambda r: r.replace("0.1", "nan"))) and {},
                     "atom id 1 has vx = nan"),
    "text in a number": (lambda w: _dump(w, _row(3, lambda r: r.replace("2.5 2.5", "2.5 x")))
                         and {}, "is not a row of numbers"),
    "no image flags": (lambda w: _dump(w, header="ITEM: ATOMS id type x y z vx vy vz") and {},
                       "wrapped positions without image flags"),
    "known system in other units": (lambda w: _dump(w) and {"--system": "lj",
                                                            "--units": "real"},
                                    "in LAMMPS lj units, not real; give --units lj"),
    "known system with other masses": (lambda w: _dump(w) and {"--system": "lj",
                                                               "--masses": "2.0"},
                                       "A atoms have mass 2, but"),
    "infinite mass": (lambda w: _dump(w) and {"--masses": "inf"},
                      "every mass must be a positive finite number"),
}


@pytest.mark.parametrize("case", CONVERT_CASES)
def test_convert_refuses_bad_input(case, work, capsys):
    prepare, message = CONVERT_CASES[case]
    changes = prepare(work)
    error = refused(convert_argv(work, **changes), capsys, work, message)
    assert error.startswith("ogn convert: ") and error.count("\n") == 1
    assert not (work / "in.gsd").exists() and not list(work.rglob("*.partial-*"))


def test_convert_of_a_good_dump_writes_the_trajectory_quietly(work, capsys):
    _dump(work)
    code, error = ogn(convert_argv(work), capsys)
    assert code == 0 and error == ""
    assert read_trajectory(work / "in.gsd").n_frames == 2
