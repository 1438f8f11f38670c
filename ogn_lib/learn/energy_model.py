"""A small learned potential-energy model, so that a rollout can hold its total energy
without a force field (FlashMD's energy rescaling; :mod:`ogn_lib.learn.ensembles`).

Each atom i is described by the radial densities of its neighbours of each type t,

    G_itb = sum_{j of type t, r_ij < r_c} g_b(r_ij),
    g_b(r) = exp(-((r - mu_b) / w)^2) f_c(r),   f_c(r) = (1 + cos(pi r / r_c)) / 2,

on ``n_basis`` centres mu_b evenly spaced from the closest pair distance in the training
data to r_c, with width w their spacing, and by angular moments of its neighbour shell on
``n_angular`` such (wider) functions h_a,

    P_iab = sum_{j,k} h_a(r_ij) h_b(r_ik) cos(theta_jik),
    Q_iab = sum_{j,k} h_a(r_ij) h_b(r_ik) (cos^2(theta_jik) - 1/3),   a <= b,

computed as products of ``sum_j h_a r_hat_ij`` and of ``sum_j h_a (r_hat_ij r_hat_ij^T -
I/3)``, without a loop over triplets (so the sums include j = k, a radial term). A
three-body energy such as Stillinger-Weber's ``(cos theta + 1/3)^2`` of Si is a sum of
such terms; radial densities alone could not tell it from noise. Its energy is a linear
function of the descriptors, with weights per type of atom i, plus a small MLP of its type
and descriptors, and U = sum_i e_i. A pair potential (KA-LJ, silica's Coulomb plus short
range) is a sum of radial terms, which the linear part represents up to its basis: it is
solved first, in closed form by ridge regression, and the MLP (starting from zero) then
carries what is many-body in Si (three-body) and Cu-Zr (embedded atom). The angular
moments are used where the energy is explicitly angular (:data:`SYSTEM_DESCRIPTORS`). It
is fitted to the potential energy that the MD engine saved in every frame of the training
trajectories, and checked on the test trajectories' frames.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ogn_lib.configuration import Configuration, typeids_by_name
from ogn_lib.data.trajectory import Trajectory
from ogn_lib.learn.checkpoint import load_plain_data, save_plain_data
from ogn_lib.learn.graph import neighbour_pairs
from ogn_lib.periodic import minimum_image

FORMAT = "ogn-energy-model-2"
"""Version 2: angular moments joined the radial densities (a version-1 file is fitted anew)."""


@dataclass(frozen=True)
class DescriptorSettings:
    """How an energy model describes atoms: ``n_basis`` radial functions, ``n_angular``
    functions of the angular moments (0: none) and the ridge of its linear part (times the
    number of frames)."""

    n_basis: int = 24
    n_angular: int = 0
    ridge: float = 1e-6

    def __post_init__(self):
        if self.n_basis < 2 or self.n_angular == 1 or self.n_angular < 0:
            raise ValueError(f"{self}: need at least 2 radial functions and 0 or at least 2 "
                             "angular ones (their spacing sets their width)")
        if not self.ridge >= 0:
            raise ValueError(f"{self}: the ridge must be zero or positive")


SYSTEM_DESCRIPTORS = {"si": DescriptorSettings(n_angular=4, ridge=1e-4)}
"""Descriptors of the systems whose energy is explicitly angular; the others have the
default radial densities only. Held-out RMSE of the energy per atom, quick data: Si 0.0096
eV with radial densities (the spread of the energies is 0.0098: no skill), 0.0037 eV with 4
angular functions and ridge 1e-4; KA-LJ 0.006 epsilon without, 0.033 with them (noise that
a pair potential does not need)."""


def descriptor_settings(system: str) -> DescriptorSettings:
    """The descriptors of ``system``'s energy model (:data:`SYSTEM_DESCRIPTORS`)."""
    return SYSTEM_DESCRIPTORS.get(system, DescriptorSettings())


@dataclass(frozen=True)
class EnergyModelSpec:
    """What fixes an energy model: its system, types, descriptor and the training-set
    scales (feature mean and standard deviation, energy per atom mean and deviation, in the
    system's energy unit)."""

    system: str
    type_names: tuple[str, ...]
    cutoff: float
    """r_c in the system's length unit."""
    closest: float
    """The first basis centre: the closest pair distance in the training data (length)."""
    n_basis: int
    n_angular: int
    """Radial functions of the angular moments (0: radial densities only)."""
    ridge: float
    """Ridge of the linear part's regression, times the number of frames."""
    hidden_size: int
    feature_mean: tuple[float, ...]
    feature_std: tuple[float, ...]
    energy_mean: float
    energy_std: float

    @property
    def settings(self) -> DescriptorSettings:
        return DescriptorSettings(self.n_basis, self.n_angular, self.ridge)

    @property
    def n_features(self) -> int:
        return len(self.type_names) * self.n_basis + self.n_angular * (self.n_angular + 1)


@dataclass(frozen=True)
class EnergyFit:
    """How a fit went: RMSE of the potential energy per atom (system's energy unit) on the
    training frames and on held-out frames, and the number of each."""

    train_rmse: float
    test_rmse: float
    n_train_frames: int
    n_test_frames: int
    test_energy_std: float
    """Standard deviation of the held-out frames' energy per atom: what a model that
    knew only the mean would miss by."""


def pair_vectors(positions: np.ndarray, box_lengths: np.ndarray, cutoff: float):
    """``(senders, receivers, displacements)`` of the ordered pairs closer than ``cutoff``,
    with the minimum-image ``r_sender - r_receiver`` ``(P, 3)``."""
    senders, receivers = neighbour_pairs(positions, box_lengths, cutoff)
    positions = np.asarray(positions, dtype=np.float64)
    return senders, receivers, minimum_image(positions[senders] - positions[receivers],
                                             np.asarray(box_lengths, dtype=np.float64))


def pair_distances(positions: np.ndarray, box_lengths: np.ndarray, cutoff: float):
    """``(senders, receivers, distances)`` of the ordered pairs closer than ``cutoff``."""
    senders, receivers, displacements = pair_vectors(positions, box_lengths, cutoff)
    return senders, receivers, np.linalg.norm(displacements, axis=1)


def gaussian_basis(distances: np.ndarray, cutoff: float, n_functions: int,
                   closest: float) -> np.ndarray:
    """``(P, n_functions)`` functions g_b(r) of the module docstring, on centres from
    ``closest`` to ``cutoff``."""
    centres = np.linspace(closest, cutoff, n_functions)
    width = centres[1] - centres[0]
    envelope = 0.5 * (1.0 + np.cos(np.pi * distances / cutoff))
    return np.exp(-(((distances[:, None] - centres) / width) ** 2)) * envelope[:, None]


def atom_descriptors(positions: np.ndarray, box_lengths: np.ndarray, typeids: np.ndarray,
                     n_types: int, cutoff: float, settings: DescriptorSettings,
                     closest: float = 0.0) -> np.ndarray:
    """``(N, n_types * n_basis + n_angular * (n_angular + 1))`` descriptors of the module
    docstring (sizes from ``settings``): radial densities G_itb, then the angular moments
    P_iab and Q_iab, on centres from ``closest`` to ``cutoff``."""
    n_basis, n_angular = settings.n_basis, settings.n_angular
    senders, receivers, displacements = pair_vectors(positions, box_lengths, cutoff)
    distances = np.linalg.norm(displacements, axis=1)
    basis = gaussian_basis(distances, cutoff, n_basis, closest)
    features = np.zeros((len(positions), n_types, n_basis))
    np.add.at(features, (receivers, np.asarray(typeids)[senders]), basis)
    radial = features.reshape(len(positions), n_types * n_basis)
    if not n_angular:
        return radial
    unit = displacements / distances[:, None]
    weights = gaussian_basis(distances, cutoff, n_angular, closest)  # (P, A)
    dyads = (unit[:, :, None] * unit[:, None, :] - np.eye(3) / 3).reshape(-1, 9)
    moments = np.zeros((len(positions), n_angular, 12))  # 3 vector + 9 tensor components
    np.add.at(moments, receivers, weights[:, :, None]
              * np.concatenate([unit, dyads], axis=1)[:, None, :])
    first, second = np.triu_indices(n_angular)
    dipole = np.einsum("nac,nac->na", moments[:, first, :3], moments[:, second, :3])
    quadrupole = np.einsum("nac,nac->na", moments[:, first, 3:], moments[:, second, 3:])
    return np.concatenate([radial, dipole, quadrupole], axis=1)


def per_type(inputs: torch.Tensor, one_hot: torch.Tensor) -> torch.Tensor:
    """``(N, T * F)``: each atom's ``(N, F)`` inputs in the block of its type, zeros
    elsewhere, so that one linear layer holds separate weights per atom type."""
    return (one_hot[:, :, None] * inputs[:, None, :]).reshape(len(inputs), -1)


class PotentialEnergyModel(nn.Module):
    """U = sum_i e_i(type_i, G_i); :meth:`potential_energy` gives it for a configuration."""

    def __init__(self, spec: EnergyModelSpec):
        super().__init__()
        self.spec = spec
        n_types = len(spec.type_names)
        n_in = spec.n_features + n_types
        self.linear = nn.Linear(n_types * n_in, 1)
        self.mlp = nn.Sequential(nn.Linear(n_in, spec.hidden_size), nn.SiLU(),
                                 nn.Linear(spec.hidden_size, spec.hidden_size), nn.SiLU(),
                                 nn.Linear(spec.hidden_size, 1))
        self.register_buffer("feature_mean", torch.tensor(spec.feature_mean))
        self.register_buffer("feature_std", torch.tensor(spec.feature_std))

    def forward(self, features: torch.Tensor, typeids: torch.Tensor) -> torch.Tensor:
        """Normalised per-atom energies ``(N,)`` from raw descriptors ``(N, F)``."""
        one_hot = nn.functional.one_hot(typeids, len(self.spec.type_names)).float()
        scaled = (features - self.feature_mean) / self.feature_std
        inputs = torch.cat([scaled, one_hot], dim=1)
        return (self.linear(per_type(inputs, one_hot)) + self.mlp(inputs)).squeeze(-1)

    def descriptors(self, configuration: Configuration) -> tuple[torch.Tensor, torch.Tensor]:
        typeids = typeids_by_name(configuration.type_names, configuration.typeids,
                                  self.spec.type_names, f"this energy model, fitted on "
                                  f"{self.spec.type_names}; fit one on these atoms")
        features = atom_descriptors(configuration.positions, configuration.box_lengths,
                                    typeids, len(self.spec.type_names), self.spec.cutoff,
                                    self.spec.settings, self.spec.closest)
        return torch.from_numpy(features.astype(np.float32)), torch.from_numpy(typeids)

    @torch.no_grad()
    def potential_energy(self, configuration: Configuration) -> float:
        """Total potential energy of ``configuration`` (system's energy unit)."""
        features, typeids = self.descriptors(configuration)
        per_atom = self(features, typeids).double().mean()
        return float(per_atom * self.spec.energy_std + self.spec.energy_mean) * len(typeids)


def _frames(trajectories: list[Trajectory], frame_stride: int) -> list[Configuration]:
    frames = [trajectory.configuration(index) for trajectory in trajectories
              for index in range(0, trajectory.n_frames, frame_stride)]
    missing = [t.metadata.system for t in trajectories if "potential_energy" not in t.energies]
    if missing:
        raise ValueError(f"trajectories of {sorted(set(missing))} hold no potential energy "
                         "per frame; an energy model is fitted to the energies MD saved")
    return frames


def fit_energy_model(train: list[Trajectory], test: list[Trajectory], cutoff: float,
                     settings: DescriptorSettings = DescriptorSettings(),
                     hidden_size: int = 32, frame_stride: int = 10, n_steps: int = 300,
                     seed: int = 0) -> tuple[PotentialEnergyModel, EnergyFit]:
    """Fit U per atom to every ``frame_stride``-th frame of ``train`` and score it on those
    of ``test``: the linear part by ridge regression, then linear part and MLP together by
    full-batch Adam for ``n_steps`` steps at a cosine-decayed rate."""
    if not train or not test:
        raise ValueError("an energy model needs training and test trajectories")
    systems = {trajectory.metadata.system for trajectory in [*train, *test]}
    if len(systems) != 1:
        raise ValueError(f"the trajectories are of several systems {sorted(systems)}; fit "
                         "one energy model per system")
    type_names = train[0].type_names
    system = train[0].metadata.system
    train_frames, test_frames = _frames(train, frame_stride), _frames(test, frame_stride)
    if len(train_frames) < 2:
        total = sum(t.n_frames for t in train)
        raise ValueError(f"a frame stride of {frame_stride} keeps {len(train_frames)} of the "
                         f"{total} training frames; an energy model needs at least 2 (to "
                         "normalise the energies): give a smaller frame stride")
    closest = min(float(pair_distances(frame.positions, frame.box_lengths, cutoff)[2].min())
                  for frame in train_frames)

    def stacked(frames):
        features, typeids, frame_of_atom, energies = [], [], [], []
        for index, frame in enumerate(frames):
            ids = typeids_by_name(frame.type_names, frame.typeids, type_names,
                                  f"the energy model of the first trajectory's {type_names}; "
                                  "fit one system at a time")
            features.append(atom_descriptors(frame.positions, frame.box_lengths, ids,
                                             len(type_names), cutoff, settings, closest))
            typeids.append(ids)
            frame_of_atom.append(np.full(len(ids), index))
            energies.append(frame.energies["potential_energy"] / frame.n_atoms)
        return (torch.from_numpy(np.concatenate(features).astype(np.float32)),
                torch.from_numpy(np.concatenate(typeids)),
                torch.from_numpy(np.concatenate(frame_of_atom)),
                torch.tensor(energies, dtype=torch.float64))

    train_data, test_data = stacked(train_frames), stacked(test_frames)
    features, typeids, frame_of_atom, energies = train_data
    spec = EnergyModelSpec(
        system=system, type_names=tuple(type_names), cutoff=float(cutoff), closest=closest,
        n_basis=settings.n_basis, n_angular=settings.n_angular, ridge=settings.ridge,
        hidden_size=hidden_size,
        feature_mean=tuple(features.mean(0).tolist()),
        feature_std=tuple(features.std(0).clamp_min(1e-6).tolist()),
        energy_mean=float(energies.mean()), energy_std=max(float(energies.std()), 1e-12))
    torch.manual_seed(seed)
    model = PotentialEnergyModel(spec)
    target = ((energies - spec.energy_mean) / spec.energy_std).float()
    counts = torch.bincount(frame_of_atom).float()
    _solve_linear_part(model, features, typeids, frame_of_atom, counts, target,
                       settings.ridge)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(n_steps):
        for group in optimizer.param_groups:
            group["lr"] = 1e-3 * 0.5 * (1.0 + math.cos(math.pi * step / n_steps))
        per_frame = torch.zeros(len(counts)).index_add_(0, frame_of_atom,
                                                        model(features, typeids)) / counts
        loss = torch.mean((per_frame - target) ** 2)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    @torch.no_grad()
    def rmse(data) -> float:
        features, typeids, frame_of_atom, energies = data
        per_frame = (torch.zeros(len(energies), dtype=torch.float64).index_add_(
            0, frame_of_atom, model(features, typeids).double())
            / torch.bincount(frame_of_atom)) * spec.energy_std + spec.energy_mean
        return float(torch.sqrt(torch.mean((per_frame - energies) ** 2)))

    fit = EnergyFit(train_rmse=rmse(train_data), test_rmse=rmse(test_data),
                    n_train_frames=len(train_frames), n_test_frames=len(test_frames),
                    test_energy_std=float(test_data[3].std()))
    return model.eval(), fit


@torch.no_grad()
def _solve_linear_part(model, features, typeids, frame_of_atom, counts, target,
                       ridge: float) -> None:
    """Set the linear part to the ridge solution on frame-averaged inputs and the MLP's
    last layer to zero, so that training starts from the best linear model."""
    one_hot = nn.functional.one_hot(typeids, len(model.spec.type_names)).double()
    inputs = per_type(torch.cat([(features.double() - model.feature_mean.double())
                                 / model.feature_std.double(), one_hot], dim=1), one_hot)
    means = torch.zeros(len(counts), inputs.shape[1], dtype=torch.float64).index_add_(
        0, frame_of_atom, inputs) / counts.double()[:, None]
    design = torch.cat([means, torch.ones(len(counts), 1, dtype=torch.float64)], dim=1)
    gram = design.T @ design + ridge * len(counts) * torch.eye(design.shape[1],
                                                                dtype=torch.float64)
    solution = torch.linalg.solve(gram, design.T @ target.double())
    model.linear.weight.copy_(solution[:-1].float()[None, :])
    model.linear.bias.copy_(solution[-1:].float())
    model.mlp[-1].weight.zero_()
    model.mlp[-1].bias.zero_()


def save_energy_model(path: Path, model: PotentialEnergyModel, fit: EnergyFit,
                      data_sha256: str = "") -> None:
    """Write the model, its fit and the SHA-256 of the data it was fitted to, atomically."""
    save_plain_data(path, {"format": FORMAT, "spec": asdict(model.spec),
                           "model": model.state_dict(), "fit": asdict(fit),
                           "data_sha256": data_sha256})


def load_energy_model(path: Path) -> tuple[PotentialEnergyModel, EnergyFit, str]:
    """The model, its fit and the SHA-256 of its data, from :func:`save_energy_model`."""
    payload = load_plain_data(path, FORMAT, "energy model", "`ogn fit-energy`")
    spec = payload["spec"]
    model = PotentialEnergyModel(EnergyModelSpec(**dict(
        spec, type_names=tuple(spec["type_names"]), feature_mean=tuple(spec["feature_mean"]),
        feature_std=tuple(spec["feature_std"]))))
    model.load_state_dict(payload["model"])
    return model.eval(), EnergyFit(**payload["fit"]), payload["data_sha256"]
