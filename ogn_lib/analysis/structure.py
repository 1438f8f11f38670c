"""Structure of a trajectory, whoever produced it: what system-level validation compares.

- radial distribution functions g_ab(r) per pair of species (freud), averaged over frames,
  and the height and position of their first peak;
- the wave number of the main peak of the static structure factor S(q) (freud's Debye
  formula), where the self-intermediate scattering function is evaluated
  (:mod:`ogn_lib.analysis.relaxation`);
- for network formers (silica): the number of b neighbours of each a atom within a cutoff
  (Si-O coordination) and the distribution of b-a-b bond angles (O-Si-O).
"""

from __future__ import annotations

from dataclasses import dataclass

import freud
import numpy as np

from ogn_lib.data.trajectory import Trajectory
from ogn_lib.periodic import minimum_image


@dataclass(frozen=True)
class PairDistribution:
    """g_ab(r) of one ordered pair of species: ``r`` bin centres (length unit)."""

    pair: tuple[str, str]
    r: np.ndarray
    g: np.ndarray

    @property
    def first_peak(self) -> tuple[float, float]:
        """``(r, g)`` at the highest bin of the first stretch where g(r) > 1."""
        above = np.flatnonzero(self.g > 1.0)
        if len(above) == 0:
            raise ValueError(f"g_{'-'.join(self.pair)}(r) never exceeds 1: no first peak")
        falls = np.flatnonzero(self.g[above[0]:] < 1.0)
        end = above[0] + (falls[0] if len(falls) else len(self.g))
        index = above[0] + int(np.argmax(self.g[above[0]:end]))
        return float(self.r[index]), float(self.g[index])

    @property
    def first_minimum(self) -> float:
        """r (length) of the lowest g(r) after the first peak and before g(r) exceeds 1
        again: the usual cutoff of the first neighbour shell."""
        after = self.g[int(np.searchsorted(self.r, self.first_peak[0])):]
        below = np.flatnonzero(after < 1.0)
        if len(below) == 0:
            raise ValueError(f"g_{'-'.join(self.pair)}(r) stays above 1 after its first "
                             "peak: no first minimum within r_max; give a larger r_max")
        again = np.flatnonzero(after[below[0]:] > 1.0)
        end = below[0] + (again[0] if len(again) else len(after) - below[0])
        return float(self.r[len(self.g) - len(after) + int(np.argmin(after[:end]))])


def _box(trajectory: Trajectory) -> freud.box.Box:
    return freud.box.Box(*map(float, trajectory.box_lengths))


def _frames(trajectory: Trajectory, n_frames: int) -> np.ndarray:
    """Up to ``n_frames`` frame indices spread evenly over the trajectory."""
    return np.unique(np.linspace(0, trajectory.n_frames - 1, n_frames).round().astype(int))


def pair_distributions(trajectory: Trajectory, r_max: float, bins: int = 100,
                       n_frames: int = 20) -> dict[tuple[str, str], PairDistribution]:
    """g_ab(r) up to ``r_max`` (below half the box) for every pair a <= b of species,
    averaged over ``n_frames`` frames spread over the trajectory
    (:func:`pair_distributions_of`)."""
    return pair_distributions_of(trajectory.positions[_frames(trajectory, n_frames)],
                                 trajectory.box_lengths, trajectory.typeids,
                                 trajectory.type_names, r_max, bins)


def pair_distributions_of(positions: np.ndarray, box_lengths: np.ndarray,
                          typeids: np.ndarray, type_names: tuple[str, ...], r_max: float,
                          bins: int = 100) -> dict[tuple[str, str], PairDistribution]:
    """g_ab(r) up to ``r_max`` for every pair a <= b of species, averaged over the frames of
    ``positions`` ``(F, N, 3)`` in an orthorhombic box ``box_lengths``; atom ``i`` is of
    species ``type_names[typeids[i]]``. Arrays in, as freud's own functions take them."""
    if not 0 < r_max < 0.5 * float(np.min(box_lengths)):
        raise ValueError(f"r_max={r_max} must lie below half the box edge "
                         f"{0.5 * float(np.min(box_lengths)):.3g}")
    box = freud.box.Box(*map(float, box_lengths))
    result = {}
    for a in range(len(type_names)):
        for b in range(a, len(type_names)):
            rdf = freud.density.RDF(bins=bins, r_max=r_max)
            for frame in np.asarray(positions, dtype=np.float32):
                rdf.compute((box, frame[typeids == b]), query_points=frame[typeids == a],
                            neighbors={"r_max": r_max, "exclude_ii": a == b}, reset=False)
            result[type_names[a], type_names[b]] = PairDistribution(
                (type_names[a], type_names[b]), np.array(rdf.bin_centers), np.array(rdf.rdf))
    return result


def structure_factor_peak(trajectory: Trajectory, q_min: float, q_max: float,
                          n_q: int = 200, n_frames: int = 5) -> float:
    """The wave number (1/length) of the highest S(q) in ``[q_min, q_max]``, all atoms
    counted alike, averaged over ``n_frames`` frames."""
    sq = freud.diffraction.StaticStructureFactorDebye(num_k_values=n_q, k_max=q_max,
                                                      k_min=q_min)
    box = _box(trajectory)
    for frame in _frames(trajectory, n_frames):
        sq.compute((box, trajectory.positions[frame].astype(np.float32)), reset=False)
    return float(np.array(sq.k_values)[int(np.argmax(sq.S_k))])


def _neighbours(trajectory: Trajectory, frame: int, centre: str, neighbour: str,
                cutoff: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(centre indices, neighbour indices, vectors centre -> neighbour)`` within
    ``cutoff``, indices into the trajectory's atoms."""
    names = trajectory.type_names
    centres = np.flatnonzero(trajectory.typeids == names.index(centre))
    others = np.flatnonzero(trajectory.typeids == names.index(neighbour))
    positions = trajectory.positions[frame].astype(np.float64)
    query = freud.locality.AABBQuery(_box(trajectory), positions[others].astype(np.float32))
    pairs = query.query(positions[centres].astype(np.float32),
                        {"r_max": float(cutoff), "exclude_ii": centre == neighbour}
                        ).toNeighborList()
    i, j = centres[pairs.query_point_indices], others[pairs.point_indices]
    return i, j, minimum_image(positions[j] - positions[i], trajectory.box_lengths)


def coordination(trajectory: Trajectory, centre: str, neighbour: str, cutoff: float,
                 n_frames: int = 20) -> float:
    """Mean number of ``neighbour`` atoms within ``cutoff`` of a ``centre`` atom."""
    n_centres = int(np.sum(trajectory.typeids == trajectory.type_names.index(centre)))
    counts = [len(_neighbours(trajectory, frame, centre, neighbour, cutoff)[0]) / n_centres
              for frame in _frames(trajectory, n_frames)]
    return float(np.mean(counts))


def bond_angles(trajectory: Trajectory, centre: str, neighbour: str, cutoff: float,
                n_frames: int = 20) -> np.ndarray:
    """Every ``neighbour``-``centre``-``neighbour`` angle (degrees) between two neighbours
    of one centre atom within ``cutoff``, pooled over frames."""
    angles = []
    for frame in _frames(trajectory, n_frames):
        i, _, vectors = _neighbours(trajectory, frame, centre, neighbour, cutoff)
        for atom in np.unique(i):
            bonds = vectors[i == atom]
            unit = bonds / np.linalg.norm(bonds, axis=1, keepdims=True)
            first, second = np.triu_indices(len(unit), k=1)
            cosines = np.clip(np.sum(unit[first] * unit[second], axis=1), -1.0, 1.0)
            angles.append(np.degrees(np.arccos(cosines)))
    return np.concatenate(angles) if angles else np.zeros(0)
