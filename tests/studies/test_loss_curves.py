"""Loss-curve studies: checkpoints named by everything that determines the training, and
where a sweep of final losses flattens out."""

from dataclasses import replace

import pytest

from ogn_lib.learn.presets import CURVE_TRAINING, model_config
from ogn_lib.studies.loss_curves import LossCurveStudy, curve_name, plateau_onset


def test_curve_name_follows_study_model_training_and_seed(data_dir):
    study = LossCurveStudy("lj", "fast", n_layers=2, k_steps=5)
    model = model_config("fast", "quick", 2, 3.0, "lj")
    training = CURVE_TRAINING["quick"]
    base = curve_name(study, "quick", model, training, 1)
    assert base == curve_name(study, "quick", model, training, 1)
    assert base.startswith("lj-fast-M2-k5-")
    others = [curve_name(replace(study, k_steps=10), "quick", model, training, 1),
              curve_name(study, "quick", replace(model, cutoff=2.0), training, 1),
              curve_name(study, "quick", model, replace(training, epochs=9), 1),
              curve_name(study, "quick", model, training, 2),
              curve_name(study, "paper", model, training, 1)]
    assert len({base, *others}) == 6


def test_plateau_onset_is_the_fewest_layers_within_tolerance_of_the_best():
    final = {1: 1.0, 2: 0.3, 4: 0.26, 6: 0.25, 8: 0.27, 10: 0.25}
    assert plateau_onset(final, tolerance=0.2) == 2
    assert plateau_onset(final, tolerance=0.05) == 4
    assert plateau_onset({1: 1.0, 2: 0.5, 10: 0.1}) == 10


def test_plateau_onset_rejects_an_empty_sweep():
    with pytest.raises(ValueError, match="no final losses"):
        plateau_onset({})
