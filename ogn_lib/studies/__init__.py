"""Studies: experiments that make data, train or load models, roll out and measure, built
on the learning and analysis layers: the models of the profile's data sets (shipped, or
trained here on data made when missing), the loss-curve studies, the lever study and the
recorded trainings of the shipped models, the accuracy of rollouts beside every baseline
(from held-out starts, atom by atom, over swept conditions), the energies by the MD
engine's force field and the system-level validation of rollouts, the comparison of the
two MD engines, the learning ablation, the recorded loss curves and the ASE driver
against MD.

The public face: ``from ogn_lib import studies`` gives the model of a profile's data set
(``studies.trained_simulator``), the accuracy of rollouts (``studies.curves_over_starts``,
``studies.compare_rollout``) and the sweeps of S5-S7 (``studies.lj_sweep``), the
loss-curve studies and recorded curves, the system-level energies and validation, the
engine comparison and the ASE driver against MD, each imported from its module on first
use (:mod:`ogn_lib.public_face`). Everything else, the general
:func:`ogn_lib.studies.accuracy_sweep.accuracy_sweep` included (its name is its
module's), is imported from its module.
"""

from ogn_lib.public_face import public_face

_HOMES = {
    "trained_simulator": "profile_models",
    "curves_over_starts": "accuracy_curves",
    "compare_rollout": "rollout_comparison",
    "lj_sweep": "lj_sweeps",
    "LossCurveStudy": "loss_curves",
    "loss_curve": "loss_curves",
    "plateau_onset": "loss_curves",
    "section_curves": "recorded_curves",
    "energy_series": "system_level",
    "system_level_start": "system_level",
    "N_STARTS": "rollout_validation",
    "THERMOSTAT_COUPLING_MD_STEPS": "rollout_validation",
    "validate_system": "rollout_validation",
    "ENGINE_LIQUIDS": "recorded_measures",
    "compare_engines": "engine_comparison",
    "compare_with_md": "ase_comparison",
}
"""Each public name -> the module of this package that defines it."""

__all__ = list(_HOMES)
__getattr__, __dir__ = public_face(__name__, _HOMES)
