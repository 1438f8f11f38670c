"""The learned simulator: periodic graph, network, simulator (normalisation and
integrator), training noise, presets, training, checkpoints, distributed placement,
rollouts and their cache, shipped models and energy models with their provenance. Learns
from the trajectories it is given; never reaches the MD layer, not even through the data
layer.

The public face: ``from ogn_lib import learn`` gives the shipped models and their
provenance (``learn.load_shipped``, ``learn.shipped_path``, ``learn.read_provenance``,
``learn.load_checked``), a checkpoint's simulator, training on a folder of trajectories,
the cached rollouts, the presets and training settings the pages quote, and
``learn.OGNDynamics``, the ASE driver, each imported from its module on first use, so
``import ogn_lib.learn`` loads no torch (:mod:`ogn_lib.public_face`). Everything else is
imported from its module.
"""

from ogn_lib.public_face import public_face

_HOMES = {
    "load_shipped": "trained_models",
    "shipped_path": "trained_models",
    "read_provenance": "trained_models",
    "load_checked": "trained_models",
    "folder_trajectories": "trained_models",
    "train_on_folder": "trained_models",
    "load_simulator": "checkpoint",
    "cached_rollout": "rollout_cache",
    "OVERLAP_FRACTION": "rollout",
    "EDGE_CHUNK": "network",
    "PRESETS": "presets",
    "GRAPH_CUTOFFS": "presets",
    "CURVE_TRAINING": "presets",
    "PRESET_CURVE_TRAINING": "presets",
    "LAYER_CURVE_TRAINING": "presets",
    "RECORDED_CURVE_TRAINING": "presets",
    "OGNDynamics": "ase_dynamics",
}
"""Each public name -> the module of this package that defines it."""

__all__ = list(_HOMES)
__getattr__, __dir__ = public_face(__name__, _HOMES)
