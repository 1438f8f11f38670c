"""OGN dynamics in ASE: a driver in the style of ``ase.md`` that advances an ``Atoms`` by
a trained OGN, k MD steps per call.

:class:`OGNDynamics` is an ASE ``MolecularDynamics``: ``run(steps)``, ``attach``
observers, a ``trajectory`` file (ASE's ``.traj``), a ``logfile``. Each step reads the
state from the ``Atoms`` (so observers and constraints that change it are honoured), makes
one prediction of ``k`` MD steps with :func:`ogn_lib.learn.rollout.advance`, the same
function ``ogn rollout`` calls, applies the ensemble (NVE, energy-rescaled NVE, CSVR or
Langevin; :func:`ogn_lib.learn.ensembles.rollout_ensemble`) and writes positions
(unwrapped) and velocities back. As FlashMD's ASE integrators do, it never asks ASE for
forces: the atoms need no calculator, and ASE's ``timestep`` is the model's ``k dt``.

The checkpoint is loaded as ``ogn rollout`` loads it (:func:`load_checked`: a shipped
model's bytes are checked against its provenance). The unit system of the model's system
must be given: ASE's units are converted to it (:mod:`ogn_lib.data.atoms`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import ase
from ase.md.md import MolecularDynamics

from ogn_lib import thermo
from ogn_lib.data.atoms import REDUCED, LennardJonesScale, ase_scale, configuration_from_atoms
from ogn_lib.learn.ensembles import rollout_ensemble
from ogn_lib.learn.rollout import advance, check_start
from ogn_lib.learn.trained_models import load_checked
from ogn_lib.units import unit_system

LOG_HEADER = "{:>12} {:>10} {:>16} {:>14}"
LOG_LINE = "{:12.5g} {:10d} {:16.8g} {:14.6g}"


class OGNDynamics(MolecularDynamics):
    """Advance ``atoms`` by the OGN in ``checkpoint``, one prediction of k MD steps per
    step.

    Args:
        atoms: an ``Atoms`` in a periodic orthorhombic cell, with velocities; its species
            are the model's type names (chemical symbols, or ogn's ``info`` and tags as
            :func:`ogn_lib.data.atoms.atoms_from_configuration` writes them).
        checkpoint: a trained OGN (``.pt``); shipped models are checked against their
            provenance.
        units: the LAMMPS unit system of the model's system (``lj``, ``real``, ``metal``);
            for ``lj``, ``lennard_jones`` says what sigma, epsilon and m are in ASE.
        ensemble: ``nve`` (default), ``nve-rescaled`` (with ``energy_model``, a file of
            ``ogn fit-energy``), ``nvt-csvr`` or ``nvt-langevin`` (with ``temperature``
            and, optionally, ``coupling_time``, both in ``units``; noise from ``seed``),
            as ``ogn rollout --ensemble`` takes them.
        trajectory: an ASE ``.traj`` file to write every ``loginterval`` steps (a new
            file, or ``append_trajectory=True``).
        logfile: a file (or ``"-"``: standard output) for a line every ``loginterval``
            steps: time and kinetic energy per atom in ``units``, MD step, temperature.
    """

    def __init__(self, atoms: ase.Atoms, checkpoint: Path, units: str, *,
                 ensemble: str = "nve", temperature: float | None = None,
                 coupling_time: float | None = None, energy_model: Path | None = None,
                 seed: int = 0, lennard_jones: LennardJonesScale = REDUCED,
                 trajectory: str | Path | None = None, logfile: IO | str | Path | None = None,
                 loginterval: int = 1, append_trajectory: bool = False):
        if trajectory is not None and Path(trajectory).exists() and not append_trajectory:
            raise ValueError(f"trajectory {trajectory} exists; give a new file name, or "
                             "append_trajectory=True to add to it (nothing is overwritten)")
        self.units = unit_system(units)
        log, owned = (None, False) if logfile is None else _open_log(logfile)
        self.lennard_jones = lennard_jones
        self.scale = ase_scale(self.units.name, lennard_jones)
        self.simulator = load_checked(Path(checkpoint))
        start = configuration_from_atoms(atoms, self.units.name, lennard_jones,
                                         type_order=self.simulator.spec.type_names)
        check_start(self.simulator, start)
        self.ensemble = rollout_ensemble(
            ensemble, self.simulator.spec, self.units.name, temperature=temperature,
            coupling_time=coupling_time, energy_model=energy_model, seed=seed)
        self._typeids = self.simulator.typeids_for(start.type_names, start.typeids)
        self._update = self.ensemble.begin(start, self.simulator.step_time)
        self._start_step = start.step
        super().__init__(atoms, timestep=self.simulator.step_time * self.scale.time,
                         trajectory=None if trajectory is None else str(trajectory),
                         loginterval=loginterval, append_trajectory=append_trajectory)
        self._loginterval = loginterval
        self._log = self.closelater(log) if owned else log
        if self._log is not None:
            self._log.write(LOG_HEADER.format(f"t [{self.units.time}]", "MD step",
                                              f"Ekin/N [{self.units.energy}]",
                                              f"T [{self.units.temperature}]") + "\n")

    @property
    def k_steps(self) -> int:
        """MD steps per prediction (per ASE step)."""
        return self.simulator.spec.k_steps

    def todict(self) -> dict:
        return {**super().todict(), "k_steps": self.k_steps, "units": self.units.name,
                "ensemble": self.ensemble.name, "system": self.simulator.spec.system}

    def step(self) -> None:
        """One prediction: k MD steps of the learned dynamics."""
        state = configuration_from_atoms(self.atoms, self.units.name, self.lennard_jones,
                                         type_order=self.simulator.spec.type_names,
                                         step=self._start_step + self.nsteps * self.k_steps)
        state = advance(self.simulator, state, self._typeids, self._update, self.nsteps + 1)
        length = self.scale.length
        self.atoms.positions = (state.unwrapped_positions + state.box_lengths / 2) * length
        self.atoms.set_velocities(state.velocities * self.scale.velocity)
        self.atoms.info["step"] = int(state.step)

    def _refresh_properties(self) -> None:
        """Nothing to refresh: a learned step needs no forces (ASE's MD asks for them)."""

    def log(self) -> None:
        if self._log is None or self.nsteps % self._loginterval:
            return
        masses = self.atoms.get_masses() / self.scale.mass
        velocities = self.atoms.get_velocities() / self.scale.velocity
        kinetic = thermo.thermal_kinetic_energy(masses, velocities, self.units.mvv2e)
        temperature = (thermo.kinetic_temperature(masses, velocities, self.units.mvv2e)
                       / self.units.boltzmann)
        step = self._start_step + self.nsteps * self.k_steps
        self._log.write(LOG_LINE.format(step * self.simulator.spec.dt, step,
                                        kinetic / len(masses), temperature) + "\n")
        self._log.flush()


def _open_log(logfile: IO | str | Path) -> tuple[IO, bool]:
    """``logfile`` as an open text file and whether the driver owns it (and closes it):
    standard output for ``"-"``, a new file for a path (an existing one is refused), or the
    file object given."""
    if hasattr(logfile, "write"):
        return logfile, False
    if logfile == "-":
        return sys.stdout, False
    path = Path(logfile)
    if path.exists():
        raise ValueError(f"logfile {path} exists; give a new file name (nothing is "
                         "overwritten)")
    return path.open("x", encoding="utf-8"), True
