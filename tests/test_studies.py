"""Loss-curve checkpoints are named by everything that determines the training."""

from dataclasses import replace

from ogn_lib.model import model_config
from ogn_lib.studies import CURVE_TRAINING, LossCurveStudy, _checkpoint


def test_checkpoint_name_follows_study_model_training_and_seed(data_dir):
    study = LossCurveStudy("lj", "fast", n_layers=2, k_steps=5)
    model = model_config("fast", "quick", 2, 3.0)
    training = CURVE_TRAINING["quick"]
    base = _checkpoint(study, "quick", model, training, 1)
    assert base == _checkpoint(study, "quick", model, training, 1)
    assert base.name.startswith("lj-fast-M2-k5-")
    others = [_checkpoint(replace(study, k_steps=10), "quick", model, training, 1),
              _checkpoint(study, "quick", replace(model, cutoff=2.0), training, 1),
              _checkpoint(study, "quick", model, replace(training, epochs=9), 1),
              _checkpoint(study, "quick", model, training, 2),
              _checkpoint(study, "paper", model, training, 1)]
    assert len({base, *others}) == 6
