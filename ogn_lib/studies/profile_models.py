"""The models of a profile's data sets: the shipped weights when there are some,
otherwise trained here on the catalogue's trajectories, made when missing.

:func:`trained_simulator` is what the notebooks call; :func:`claim_simulator` picks the
model a page judges one of the paper's claims with (the claimed preset when it was trained
to the end, else a stand-in). A model is named for the data it learns from: a system's
liquid (``lj``, ``silica``, ``si``, ``cuzr``) or a data set of
:data:`~ogn_lib.learn.presets.DATA_SETS` (``lj-glass``), whose trajectory groups are
``<name>-train`` and ``<name>-test``. Asking for a model here may run LAMMPS (the data it
learns from), which is why this is a study and not part of :mod:`ogn_lib.learn`.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from ogn_lib.data.catalogue import ensure_group, trajectory_paths
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import exclusive
from ogn_lib.learn.checkpoint import CheckpointError, load_simulator
from ogn_lib.learn.distributed import Placement
from ogn_lib.learn.energy_model import (
    EnergyFit,
    PotentialEnergyModel,
    descriptor_settings,
    fit_energy_model,
    load_energy_model,
    save_energy_model,
)
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import (
    OGN_NAMES,
    PRESETS,
    RETRAIN_EPOCHS,
    data_system,
    graph_cutoff,
    model_config,
    training_config,
)
from ogn_lib.learn.shipped_energy_models import ship_energy_model, shipped_energy_model
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.learn.trained_models import (
    data_sha256,
    load_shipped,
    read_provenance,
    ship,
    shipped_path,
    with_epochs,
    working_checkpoint,
)
from ogn_lib.learn.training import train
from ogn_lib.paths import data_root


def energy_model_for(profile: str, name: str) -> tuple[PotentialEnergyModel, EnergyFit]:
    """The potential-energy model of energy-rescaled rollouts of data set ``name`` (a
    system's liquid, or ``lj-glass``), fitted to its training trajectories and scored on its
    test ones at the system's OGN graph cutoff, with the system's descriptors
    (:func:`fit_profile_energy_model`): the shipped fit
    (:mod:`~ogn_lib.learn.shipped_energy_models`) where it was fitted and scored on these
    very trajectories, else one fitted here (seconds to minutes), kept in
    ``data/<profile>/models/<name>-energy.pt`` and reused only while it was fitted to
    trajectories of the same content with the same cutoff and descriptors."""
    train_paths, test_paths = (ensure_group(profile, f"{name}-{role}")
                               for role in ("train", "test"))
    data = (data_sha256(train_paths), data_sha256(test_paths))
    system = data_system(name)
    cutoff, settings = graph_cutoff(system), descriptor_settings(system)
    shipped = shipped_energy_model(profile, name, data, cutoff, settings)
    if shipped is not None:
        return shipped
    path = data_root() / profile / "models" / f"{name}-energy.pt"
    if path.exists():
        try:
            model, fit, fitted_to = load_energy_model(path)
            if (fitted_to, model.spec.cutoff, model.spec.settings) == (data[0], cutoff,
                                                                        settings):
                return model, fit
        except CheckpointError:
            pass  # unreadable or of an older format: fitted again below and replaced
    model, fit = fit_profile_energy_model(train_paths, test_paths)
    save_energy_model(path, model, fit, data_sha256=data[0])
    return model, fit


def fit_profile_energy_model(train_paths: list[Path], test_paths: list[Path]
                             ) -> tuple[PotentialEnergyModel, EnergyFit]:
    """Fit an energy model to the training trajectories ``train_paths`` and score it on
    ``test_paths``, at their system's OGN graph cutoff with the system's descriptors."""
    train, test = ([read_trajectory(path) for path in paths]
                   for paths in (train_paths, test_paths))
    system = train[0].metadata.system
    return fit_energy_model(train, test, graph_cutoff(system), descriptor_settings(system))


def ship_energy_model_for(profile: str, name: str) -> Path:
    """Fit data set ``name``'s energy model afresh (:func:`fit_profile_energy_model`, its
    trajectories made first when missing) and ship it with its provenance, the CPU seconds
    of the fit (reading the trajectories included) among it."""
    train_paths, test_paths = (ensure_group(profile, f"{name}-{role}")
                               for role in ("train", "test"))
    started = time.process_time()
    model, fit = fit_profile_energy_model(train_paths, test_paths)
    cpu_seconds = time.process_time() - started
    return ship_energy_model(profile, name, model, fit,
                             (data_sha256(train_paths), data_sha256(test_paths)), cpu_seconds)


def pairs_for(profile: str, name: str, preset: str, role: str,
              make_missing: bool = True) -> tuple[PairSet, list[Path]]:
    """The (state, state + k) pairs of data set ``name``'s ``train`` or ``test`` group and
    the trajectory files they come from; missing files are made, or with
    ``make_missing=False`` reading them raises an error that says how to make them."""
    group = f"{name}-{role}"
    paths = (ensure_group(profile, group) if make_missing
             else trajectory_paths(profile, group))
    k_steps = PRESETS[preset].k_steps(name)
    return PairSet([read_trajectory(path) for path in paths], k_steps), paths


def train_model(profile: str, name: str, preset: str, checkpoint: Path | None = None,
                seed: int = 0, progress: bool = True, cutoff: float | None = None,
                epochs: int | None = None, resume: bool = True,
                placement: Placement | None = None,
                make_missing: bool = True) -> tuple[Path, dict]:
    """Train (or resume) a preset on data set ``name`` (a system's liquid, or ``lj-glass``)
    with its profile's settings, optionally with
    another graph ``cutoff`` (the system's length unit) or number of ``epochs``; returns the
    checkpoint and its history. One process holds a lock on the checkpoint while it trains,
    so a second one asking for the same model waits and reuses it; under several processes
    (``placement``) the ranks train together and rank 0 writes."""
    train_pairs, _ = pairs_for(profile, name, preset, "train", make_missing)
    test_pairs, _ = pairs_for(profile, name, preset, "test", make_missing)
    system = data_system(name)
    model = model_config(preset, profile, len(train_pairs.type_names),
                         graph_cutoff(system) if cutoff is None else cutoff, system)
    config = with_epochs(replace(training_config(profile, preset, name), seed=seed), epochs)
    checkpoint = Path(checkpoint or working_checkpoint(profile, name, preset))
    placement = placement or Placement()
    with exclusive(checkpoint) if placement.world_size == 1 else nullcontext():
        history = train(model, train_pairs, test_pairs, config, checkpoint, resume=resume,
                        progress=progress, placement=placement)
    return checkpoint, history


def ship_profile_model(profile: str, name: str, preset: str, checkpoint: Path,
                       root: Path | None = None, command: str | None = None) -> Path:
    """:func:`~ogn_lib.learn.trained_models.ship` a model trained on the profile's groups
    of data set ``name`` (their files must exist: they are hashed into the provenance)."""
    data = (trajectory_paths(profile, f"{name}-train"), trajectory_paths(profile, f"{name}-test"))
    return ship(profile, name, preset, checkpoint, data, root=root, command=command)


def trained_simulator(profile: str, name: str, preset: str, retrain: bool = False,
                      progress: bool = False) -> tuple[LearnedSimulator, str]:
    """The model a notebook should use and a line saying which it is: the shipped weights
    when they exist (unless ``retrain``), otherwise one trained in this run. ``retrain``
    trains :data:`~ogn_lib.learn.presets.RETRAIN_EPOCHS` of the profile's settings, so a
    book build can repeat it; without shipped weights the profile's whole training runs."""
    if not retrain and shipped_path(profile, name, preset).exists():
        simulator, provenance = load_shipped(profile, name, preset)
        return simulator, (f"shipped {profile} {preset}-OGN weights "
                           f"({len(provenance.test_loss)} epochs, commit "
                           f"{provenance.commit[:7]})")
    full = training_config(profile, preset, name).epochs
    epochs = min(RETRAIN_EPOCHS[profile, preset], full) if retrain else full
    checkpoint, history = train_model(
        profile, name, preset, progress=progress,
        checkpoint=working_checkpoint(profile, name, preset,
                                      None if epochs == full else epochs),
        epochs=None if epochs == full else epochs)
    simulator = load_simulator(checkpoint, system=data_system(name))
    return simulator, (f"{preset}-OGN trained in this run ({len(history['test_loss'])} of "
                       f"the shipped model's {full} epochs)")


def stand_in_reason(profile: str, name: str, preset: str) -> str:
    """Why the shipped ``preset``-OGN of data set ``name`` cannot stand for the paper's
    trained model of that preset, empty when it can: it must have been trained to the end,
    i.e. come from a finished recorded training
    (:mod:`~ogn_lib.studies.recorded_training`, named by ``Provenance.recording``); the
    profile's own short trainings are not."""
    path = shipped_path(profile, name, preset)
    if not path.exists():
        return f"no {OGN_NAMES[preset]} of {name} is shipped with the {profile} profile"
    provenance = read_provenance(path)
    if provenance.recording:
        return ""
    return (f"the {profile} profile's {OGN_NAMES[preset]} was trained for "
            f"{len(provenance.test_loss)} epochs only, not by a recorded training to the end")


def claim_simulator(profile: str, name: str, claimed: str, stand_in: str = "fast",
                    retrain: bool = False) -> tuple[LearnedSimulator, str, str, str]:
    """The model a page judges a claim about the paper's ``claimed`` preset with: that
    preset's shipped model where it was trained to the end (:func:`stand_in_reason`),
    else the ``stand_in`` preset's (:func:`trained_simulator`, so ``retrain`` trains the
    stand-in). Returns the simulator, its line, the preset it is (which the page's
    measurements name, so that a stand-in's verdict is *not tested here*) and why the
    claimed one was not used (empty when it was)."""
    reason = ("this run retrains in front of the reader, and a long training of the "
              f"{OGN_NAMES[claimed]} does not fit" if retrain
              else stand_in_reason(profile, name, claimed))
    preset = stand_in if reason else claimed
    simulator, description = trained_simulator(profile, name, preset, retrain=retrain)
    return simulator, description, preset, reason
