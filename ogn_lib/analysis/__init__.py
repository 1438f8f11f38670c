"""Analysis of trajectories, whoever made them (MD or an OGN): dynamics and glass
quantities, energies, scores, trivial baselines, accuracy against baselines and swept
conditions. Measures only: it never runs an MD engine, rolls a model out or loads one
(:mod:`ogn_lib.studies` does), and tables, figures and Markdown live in :mod:`ogn_lib.book`.

The public face: ``from ogn_lib import analysis`` gives the paper's claims and the
numbers they are made at (``analysis.CLAIMS``, ``analysis.ROLLOUT_MD_STEPS``, ...), the
verdict engine (``analysis.judge``, ``analysis.Measurement``, ``analysis.ratio``), the
validation page's bars and the engines' windows (``analysis.WINDOWS``), and the measures
the sections call: accuracy curves and tables, cage lengths, RMSD and fictive
temperatures, energies of predictions, the surge of the error and the atoms drawn in a
rollout, each imported from its module on first use (:mod:`ogn_lib.public_face`).
Everything else is imported from its module.
"""

from ogn_lib.public_face import public_face

_HOMES = {
    "CLAIMS": "claims",
    "LIQUIDS": "claims",
    "CAGE_LENGTH": "claims",
    "FAST_LOSS": "claims",
    "POSITION_OVER_CAGE": "claims",
    "ROLLOUT_MD_STEPS": "claims",
    "RMSD_AGREEMENT_MD_STEPS": "claims",
    "ENERGY_MD_STEPS": "claims",
    "SURGE_MD_STEPS": "claims",
    "TRAINING_SIZE": "claims",
    "LARGEST_SIZE": "claims",
    "TEMPERATURE_EXPONENT": "claims",
    "TRAINING_DENSITY_RATIO": "claims",
    "LAYER_COUNTS": "claims",
    "PLATEAU_LAYERS": "claims",
    "TIMESTEPS": "claims",
    "GLASS_TIMESTEPS": "claims",
    "TOLERANT_GLASS_TIMESTEPS": "claims",
    "FICTIVE_TEMPERATURE": "claims",
    "Measurement": "verdicts",
    "NOT_TESTED": "verdicts",
    "judge": "verdicts",
    "ratio": "verdicts",
    "final_loss": "verdicts",
    "AGREEMENT_TOLERANCE": "agreement",
    "CONSERVATION": "agreement",
    "WINDOWS": "run_windows",
    "accuracy_table": "accuracy",
    "mean_curves": "accuracy",
    "report_steps": "accuracy",
    "first_step_above": "accuracy",
    "CAGE_RULES": "dynamics",
    "cage_length": "dynamics",
    "cage_length_by_slope": "dynamics",
    "cage_lengths_by_temperature": "dynamics",
    "rms_speed": "dynamics",
    "rmsd_curve": "dynamics",
    "FICTIVE_RULES": "fictive",
    "quench_curve": "fictive",
    "fictive_temperature": "fictive",
    "fictive_temperature_by_intersection": "fictive",
    "fictive_temperature_by_rate": "fictive",
    "predictions_over": "energies",
    "STEEPENING": "surge",
    "surge_measurement": "surge",
    "choose_atoms": "rollout_comparison",
}
"""Each public name -> the module of this package that defines it."""

__all__ = list(_HOMES)
__getattr__, __dir__ = public_face(__name__, _HOMES)
