"""The sentences that name the model a page judges a claim with (book.claim_models)."""

from ogn_lib.book.claim_models import model_sentence, training_phrase
from ogn_lib.learn.trained_models import Provenance


def test_the_claimed_model_and_a_stand_in_are_named_with_the_reason():
    own = model_sentence("LJ", "reference", "reference", "", 10, 1)
    assert own.startswith("The LJ model is the shipped Reference-OGN (10 message-passing "
                          "layers, k = 1 MD step per prediction), the paper's own choice")
    assert "not tested here" not in own
    stand_in = model_sentence("LJ", "reference", "fast", "it was trained for 24 epochs only",
                              2, 5)
    assert "Fast-OGN (2 message-passing layers, k = 5 MD steps per prediction)" in stand_in
    assert "stands in for the paper's Reference-OGN, as it was trained for 24 epochs only" in (
        stand_in) and "*not tested here*" in stand_in
    assert "shipped" not in stand_in  # a retrained run's stand-in is not


def _provenance(training, continued=None, cpu_seconds=None):
    fields = {name: None for name in Provenance.__dataclass_fields__}
    return Provenance(**dict(fields, training=training, continued=continued,
                             cpu_seconds=cpu_seconds))


def test_the_training_counts_the_batches_of_the_trainings_it_continued():
    first = {"epochs": 100, "batches_per_epoch": 50, "batch_size": 4}
    last = {"epochs": 10, "batches_per_epoch": 50, "batch_size": 4}
    phrase = training_phrase(_provenance(last, [{"epochs": 100, "training": first}], 7200.0))
    assert phrase == "trained for 5,500 batches of 4 configurations (2 CPU-hours on one core)"
    assert training_phrase(_provenance(last)) == "trained for 500 batches of 4 configurations"
    larger = dict(last, batch_size=8)
    assert training_phrase(_provenance(larger, [{"epochs": 100, "training": first}])) == (
        "trained on 24,000 configurations in batches of unequal sizes")
