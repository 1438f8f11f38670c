"""ogn: a reproducible companion to Liu et al., Materials Horizons 2023 (the OGN paper).

The data flow one way through the package:
system definitions (:mod:`ogn_lib.systems`) -> MD engine (:mod:`ogn_lib.lammps_engine`,
:mod:`ogn_lib.protocols`) -> GSD trajectories (:mod:`ogn_lib.trajectory`) -> data sets
(:mod:`ogn_lib.datasets`) -> graph -> model -> training / rollout -> analysis.
"""

__version__ = "0.1.0"
