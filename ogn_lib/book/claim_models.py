"""How a page names the model it judges one of the paper's claims with.

A claim about the paper's Reference-OGN is judged with this project's Reference-OGN once
a recorded training has taken it to the end; until then the Fast-OGN stands in
(:func:`~ogn_lib.studies.profile_models.claim_simulator`) and the verdicts say *not tested
here*. These sentences say which it is, and how it was trained, so that the page's prose
follows the model it was run with.
"""

from __future__ import annotations

from ogn_lib.learn.trained_models import Provenance

OGN_NAMES = {"fast": "Fast-OGN", "reference": "Reference-OGN"}
"""The paper's name of each preset."""


def model_sentence(system_title: str, claimed: str, preset: str, reason: str,
                   n_layers: int, k_steps: int) -> str:
    """Markdown: the model of the page (``preset``, with ``n_layers`` message-passing layers
    and ``k_steps`` MD steps per prediction) and, where it stands in for the paper's
    ``claimed`` preset, why (``reason``, from
    :func:`~ogn_lib.studies.profile_models.stand_in_reason`) and what that means for the
    verdicts."""
    steps = f"{k_steps} MD step{'' if k_steps == 1 else 's'}"
    model = (f"the shipped {OGN_NAMES[preset]} ({n_layers} message-passing layers, "
             f"k = {steps} per prediction)")
    if not reason:
        return (f"The {system_title} model is {model}, the paper's own choice for this "
                "claim, trained to the end by this project's recorded training.")
    return (f"The {system_title} model is {model}. It stands in for the paper's "
            f"{OGN_NAMES[claimed]}, as {reason}, so the paper's claims below are "
            "*not tested here*; its values are shown beside them.")


def training_phrase(provenance: Provenance) -> str:
    """How a shipped model was trained, in words: its batches of the whole training (those
    of the trainings it continued included; its configurations where their batch sizes
    differ) and, where recorded, their CPU-hours."""
    hours = (f" ({provenance.cpu_seconds / 3600:.2g} CPU-hours on one core)"
             if provenance.cpu_seconds else "")
    trainings = [provenance.training, *(each["training"] for each in provenance.continued or [])]
    sizes = {each["batch_size"] for each in trainings}
    if len(sizes) == 1:
        return f"trained for {provenance.batches:,} batches of {sizes.pop()} configurations{hours}"
    epochs = [provenance.training["epochs"], *(each["epochs"] for each in provenance.continued)]
    seen = sum(n * each["batches_per_epoch"] * each["batch_size"]
               for n, each in zip(epochs, trainings))
    return f"trained on {seen:,} configurations in batches of unequal sizes{hours}"
