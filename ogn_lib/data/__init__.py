"""Trajectories (GSD files with a validated metadata sidecar) and the data-set catalogue:
which trajectories each profile needs and how they are generated. Imports the MD layer
only to generate data.

The public face: ``from ogn_lib import data`` gives the trajectories of a profile's group
(``data.ensure_group``, made when missing, and ``data.read_trajectory``), a trajectory
from configurations in memory, the profiles' sizes and the LJ scans' set points, and the
conversion between ``ase.Atoms`` and a configuration, each imported from its module on
first use, so ``import ogn_lib.data`` loads neither torch nor an MD engine
(:mod:`ogn_lib.public_face`). Everything else, :func:`ogn_lib.data.catalogue.catalogue`
included (its name is its module's), is imported from its module.
"""

from ogn_lib.public_face import public_face

_HOMES = {
    "ensure_group": "catalogue",
    "LJ_TEMPERATURES": "catalogue",
    "LJ_DENSITY_RATIOS": "catalogue",
    "SIZES": "profiles",
    "read_trajectory": "trajectory",
    "trajectory_from_configurations": "trajectory",
    "configuration_from_atoms": "atoms",
    "atoms_from_configuration": "atoms",
}
"""Each public name -> the module of this package that defines it."""

__all__ = list(_HOMES)
__getattr__, __dir__ = public_face(__name__, _HOMES)
