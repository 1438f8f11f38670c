"""ogn: a reproducible companion to Liu et al., Materials Horizons 2023 (the OGN paper).

The data flow one way through the package:
system definitions (:mod:`ogn_lib.md.systems`) -> MD engine (:mod:`ogn_lib.md.lammps`,
:mod:`ogn_lib.md.protocols`) -> GSD trajectories (:mod:`ogn_lib.data.trajectory`) -> data sets
(:mod:`ogn_lib.data.catalogue`) -> graph -> model -> training / rollout -> analysis.
"""

__version__ = "0.1.0"
