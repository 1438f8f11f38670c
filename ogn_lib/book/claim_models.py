"""How a page names the model it judges one of the paper's claims with.

A claim about the paper's Reference-OGN is judged with this project's Reference-OGN once
a recorded training has taken it to the end; until then the Fast-OGN stands in
(:func:`~ogn_lib.studies.profile_models.claim_simulator`) and the verdicts say *not tested
here*. These sentences say which it is, and how it was trained, so that the page's prose
follows the model it was run with.
"""

from __future__ import annotations

from ogn_lib.book.tables import number
from ogn_lib.learn.presets import OGN_NAMES
from ogn_lib.learn.trained_models import Provenance


def model_sentence(system_title: str, claimed: str, preset: str, reason: str,
                   n_layers: int, k_steps: int) -> str:
    """Markdown: the model of the page (``preset``, with ``n_layers`` message-passing layers
    and ``k_steps`` MD steps per prediction) and, where it stands in for the paper's
    ``claimed`` preset, why (``reason``, from
    :func:`~ogn_lib.studies.profile_models.stand_in_reason`) and what that means for the
    verdicts."""
    steps = f"{k_steps} MD step{'' if k_steps == 1 else 's'}"
    model = (f"{OGN_NAMES[preset]} ({n_layers} message-passing layers, k = {steps} per "
             "prediction)")
    if not reason:
        return (f"The {system_title} model is the shipped {model}, the paper's own choice "
                "for this claim, trained to the end by this project's recorded training.")
    return (f"The {system_title} model is the {model}. It stands in for the paper's "
            f"{OGN_NAMES[claimed]}, as {reason}, so the paper's claims below are "
            "*not tested here*; its values are shown beside them.")


def training_phrase(provenance: Provenance) -> str:
    """How a shipped model was trained, in words: its batches of the whole training (those
    of the trainings it continued included; its configurations where their batch sizes
    differ) and, where recorded, their CPU-hours."""
    hours = (f" ({number(provenance.cpu_seconds / 3600, 2)} CPU-hours on one core)"
             if provenance.cpu_seconds else "")
    trainings = [(provenance.training["epochs"], provenance.training),
                 *((each["epochs"], each["training"]) for each in provenance.continued or [])]
    sizes = {training["batch_size"] for _, training in trainings}
    if len(sizes) == 1:
        return f"trained for {provenance.batches:,} batches of {sizes.pop()} configurations{hours}"
    seen = sum(epochs * training["batches_per_epoch"] * training["batch_size"]
               for epochs, training in trainings)
    return f"trained on {seen:,} configurations in batches of unequal sizes{hours}"
