"""Every setting that names an OGN variant, in one place: the presets of supplement S1
(Reference- and Fast-OGN), each system's graph cutoff and Fast-OGN stride, the network
sizes of each profile, and the training of the shipped models and of the loss-curve
figures.

A profile is a size: ``quick`` trains on a 2-core CPU in minutes to an hour, ``paper`` has
the GNS widths and the supplement's 1000 epochs for a GPU. The same code runs both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ogn_lib.learn.network import ModelConfig
from ogn_lib.learn.training import TrainingConfig

GRAPH_CUTOFFS = {"lj": 2.0, "silica": 5.0, "si": 4.0, "cuzr": 5.0}
"""Neighbour-list cutoff r_c of the OGN graph per system, in the system's length unit
(sigma for KA-LJ, Angstrom otherwise). KA-LJ: 2.0 sigma (40 neighbours per atom) was as
accurate as the 3.0 sigma that the 265-atom box allows, at a third of the edges."""

FAST_K_STEPS = {"lj": 5, "silica": 10, "si": 10, "cuzr": 10, "lj-glass": 10}
"""MD steps per Fast-OGN prediction, per data set (supplement S1: 5 for the LJ liquid, 10
for the others; S10: 10 for the LJ glass, the shortest of its strides)."""

@dataclass(frozen=True)
class DataSet:
    """Data that a model learns from besides a system's liquid: the system whose MD made it
    and a title for figures and tables."""

    system: str
    title: str


DATA_SETS = {"lj-glass": DataSet("lj", "Kob-Andersen LJ glass, melt-quenched to T = 0.5")}
"""Data sets besides the liquids, by name. The name prefixes the data's trajectory groups
(``lj-glass-train``, ``lj-glass-test``): ``lj-glass`` is the KA-LJ glass melt-quenched to
T = 0.5 and recorded in NVE there (S10). A system's liquid is named after the system
(``lj``, whose groups are ``lj-train``, ``lj-test``, ...)."""


def data_system(name: str) -> str:
    """The system whose MD made data set ``name`` (:data:`DATA_SETS`; a liquid's name is
    its system's)."""
    return DATA_SETS[name].system if name in DATA_SETS else name

FAST_K_STEPS_OTHER = 10
"""The Fast-OGN stride of a system not in :data:`FAST_K_STEPS` (a user's own liquid): the
supplement's stride for every liquid but LJ."""


@dataclass(frozen=True)
class Preset:
    """A named OGN variant of the paper: message-passing layers and MD steps per prediction
    (one stride for every system, or each system's from :data:`FAST_K_STEPS`)."""

    name: str
    n_layers: int
    k_steps_all: int | None = None
    """The same stride for every system; None: :data:`FAST_K_STEPS`."""

    def k_steps(self, name: str) -> int:
        """The stride for data set ``name`` (a system, or one of :data:`DATA_SETS`)."""
        if self.k_steps_all is not None:
            return self.k_steps_all
        return FAST_K_STEPS.get(name, FAST_K_STEPS_OTHER)


OGN_NAMES = {"fast": "Fast-OGN", "reference": "Reference-OGN"}
"""The paper's name of each preset."""

PRESETS = {
    "reference": Preset("reference", n_layers=10, k_steps_all=1),
    "fast": Preset("fast", n_layers=2),
}
"""Reference-OGN and Fast-OGN of supplement S1."""

PROFILE_SIZES = {"quick": (32, 64, 8), "paper": (128, 128, 16)}
"""Profile -> (latent size, MLP hidden width, vector channels): ``quick`` trains on a CPU,
``paper`` has the GNS sizes."""


def graph_cutoff(system_name: str) -> float:
    """The OGN graph cutoff of a system, in its length unit."""
    if system_name not in GRAPH_CUTOFFS:
        raise ValueError(f"no graph cutoff for system {system_name!r} (known: "
                         f"{', '.join(GRAPH_CUTOFFS)}); give one, e.g. `--cutoff 5.0`")
    return GRAPH_CUTOFFS[system_name]


TENSOR_CHANNELS = {"si": 8}
"""Rank-2 tensor channels per node (:class:`~ogn_lib.learn.network.InteractionLayer`) of
the systems whose forces are explicitly angular; none elsewhere. Si's Stillinger-Weber
three-body term ``(cos theta + 1/3)^2`` needs them: the quick Si Fast-OGN trained for 600
batches of 8 reached a test loss of 0.064 with 8 tensor channels against 0.240 without
(and 0.116 without after 5000 batches), at 1.1-1.4x the CPU time per batch
(``book/data/training_throughput_si.json``, where two identical rows differ by 20%: the
noise of a shared machine). KA-LJ, a pair potential, gained less than they cost: 0.0129
against 0.0146 at 600 batches, at ~1.2x the CPU time per batch."""


PAIR_ONCE: frozenset[str] = frozenset({"silica"})
"""Systems whose Fast-OGN evaluates each neighbour pair once for both atoms
(:attr:`~ogn_lib.learn.network.ModelConfig.pair_once`). Silica: a prediction costs 1/1.35-1/1.55
of a directed one (two runs), and trained longer (:data:`SYSTEM_EPOCHS`) the model reaches the
directed one's accuracy in position (test loss 0.0070 against 0.0075, position RMSE after
100 MD steps 0.135 Å against 0.131, after 200 0.553 against 0.555), though its raw NVE
energy drifts more (-0.27 against -0.03 of the kinetic energy over 2000 MD steps;
``book/data/pair_once_accuracy.json``). Trained with the directed models' batches,
pairs-once models of silica and Si were less accurate."""


def evaluates_pairs_once(preset: str, system: str) -> bool:
    """Whether the ``preset`` OGN of ``system`` evaluates each neighbour pair once: the
    Fast-OGNs of :data:`PAIR_ONCE`; every other model each direction."""
    return preset == "fast" and system in PAIR_ONCE


def model_config(preset: str, profile: str, n_types: int, cutoff: float,
                 system: str) -> ModelConfig:
    """The network sizes of a preset (``reference``/``fast``) in a profile (``quick``/``paper``),
    with the tensor channels of ``system`` (:data:`TENSOR_CHANNELS`) and, for a Fast-OGN,
    its pair evaluation (:data:`PAIR_ONCE`)."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}")
    if profile not in PROFILE_SIZES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILE_SIZES)}")
    latent, hidden, n_vectors = PROFILE_SIZES[profile]
    return ModelConfig(n_types=n_types, cutoff=cutoff, n_layers=PRESETS[preset].n_layers,
                       latent_size=latent, hidden_size=hidden, n_vectors=n_vectors,
                       n_tensors=TENSOR_CHANNELS.get(system, 0),
                       pair_once=evaluates_pairs_once(preset, system))


PROFILE_TRAINING = {
    ("quick", "fast"): TrainingConfig(epochs=100, batches_per_epoch=50, batch_size=8,
                                      learning_rate=1e-3, final_learning_rate=1e-5,
                                      schedule="cosine", warmup_batches=100),
    ("quick", "reference"): TrainingConfig(epochs=24, batches_per_epoch=50, batch_size=8,
                                           learning_rate=1e-3, final_learning_rate=1e-5,
                                           schedule="cosine", warmup_batches=100),
    ("paper", "fast"): TrainingConfig(epochs=1000, batches_per_epoch=100, batch_size=4,
                                      learning_rate=1e-3, final_learning_rate=1e-6),
    ("paper", "reference"): TrainingConfig(epochs=1000, batches_per_epoch=100, batch_size=4,
                                           learning_rate=1e-3, final_learning_rate=1e-6),
}
"""Training of the shipped models per (profile, preset). ``quick`` Fast-OGN: 5000 batches
of 8 (about an hour for KA-LJ on one core) at 1e-3 held by a cosine before it falls to
1e-5: the 1000 batches of 4 decaying geometrically to 1e-5 that came before left the loss
still falling (issue 11). ``quick`` Reference-OGN, ten layers at k = 1 and ~3x dearer per
sample, has the same schedule over 1200 batches of 8 (about an hour for KA-LJ on one
core; the Reference-OGNs of the other systems were shipped with the 250 batches of 4 that
came before, as their provenance says); ``paper`` runs the supplement's 1000 epochs."""


SYSTEM_EPOCHS = {("quick", "fast", "silica"): 144, ("quick", "fast", "cuzr"): 70,
                 ("quick", "fast", "lj-glass"): 90,
                 ("quick", "reference", "silica"): 20, ("quick", "reference", "cuzr"): 16}
"""Epochs of a (profile, preset, system or data set) whose batches are dearer than those of
the KA-LJ liquid, so that each shipped model trains within one CPU-hour (issue 11): a silica
batch costs ~1.3x, a Cu-Zr batch ~1.6x one of KA-LJ (Reference-OGN: 20 and 16 of KA-LJ's
24 epochs); an epoch of the LJ glass took 40 s on one core beside another training, so 90
of them. The schedule keeps its shape over the shorter run. The silica Fast-OGN evaluates
each pair once (:data:`PAIR_ONCE`), which made a batch ~1.8x cheaper: 144 epochs instead of
the 80 of its directed predecessor (42.5 CPU-minutes)."""


RETRAIN_EPOCHS = {("quick", "fast"): 10, ("quick", "reference"): 3,
                  ("paper", "fast"): 1000, ("paper", "reference"): 1000}
"""Epochs of a model that ``ogn reproduce --retrain`` trains in front of the reader: the
profile's own settings with fewer batches where the shipped training is too long to repeat
within a book build (quick Fast-OGN: 10 of its 100 epochs, about 6 CPU-minutes for KA-LJ;
quick Reference-OGN: 3 of its 24; the warm-up shrinks with the run)."""


def training_config(profile: str, preset: str, system: str | None = None) -> TrainingConfig:
    """The training settings of ``preset`` (``fast``/``reference``) in ``profile``, with the
    epochs of ``system`` (or data set) where :data:`SYSTEM_EPOCHS` has its own."""
    if (profile, preset) not in PROFILE_TRAINING:
        raise ValueError(f"no training settings for profile {profile!r} and preset "
                         f"{preset!r}; choose from {sorted(PROFILE_TRAINING)}")
    config = PROFILE_TRAINING[profile, preset]
    epochs = SYSTEM_EPOCHS.get((profile, preset, system))
    return config if epochs is None else replace(config, epochs=epochs)


CURVE_TRAINING = {
    "quick": TrainingConfig(epochs=8, batches_per_epoch=25, batch_size=4,
                            learning_rate=1e-3, final_learning_rate=1e-4),
    "paper": TrainingConfig(epochs=1000, batches_per_epoch=100, batch_size=4,
                            learning_rate=1e-3, final_learning_rate=1e-6),
}
"""Training of the loss-curve figures (S9, S10): ``quick`` is kept short (8 epochs of 25
batches) so that the figures' trends can be trained on a laptop while the reader waits;
``paper`` is the supplement's 1000 epochs."""

PRESET_CURVE_TRAINING = {
    ("quick", "fast"): TrainingConfig(epochs=4, batches_per_epoch=5, batch_size=4,
                                      learning_rate=1e-3, final_learning_rate=3e-4,
                                      n_test_pairs=8),
    ("quick", "reference"): TrainingConfig(epochs=3, batches_per_epoch=2, batch_size=4,
                                           learning_rate=1e-3, final_learning_rate=3e-4,
                                           n_test_pairs=8),
    ("paper", "fast"): CURVE_TRAINING["paper"],
    ("paper", "reference"): CURVE_TRAINING["paper"],
}
"""Training of the Fast- against Reference-OGN curves of every system (S1 A): eight models
trained while the reader waits. ``quick`` only shows how each starts (20 batches of the
Fast-OGN, 6 of the Reference-OGN, which is ten layers at k = 1 and ~5x dearer per batch),
next to the full quick trainings recorded with the shipped models; ``paper`` is the
supplement's 1000 epochs."""

RECORDED_CURVE_TRAINING = {
    "quick": TrainingConfig(epochs=60, batches_per_epoch=25, batch_size=4,
                            learning_rate=1e-3, final_learning_rate=1e-5, n_test_pairs=16),
}
"""Training of the recorded loss curves of S8-S10 (:mod:`ogn_lib.studies.recorded_curves`),
trained once in the background and read by the pages: 1,500 batches of 4, the rate falling
a hundredfold, so that each curve ends flat by the convergence rule of the verdicts (less
than 5% change over its last fifth). The ``paper`` profile's curves are the supplement's
1000 epochs (:data:`CURVE_TRAINING`), trained where they are run."""

LAYER_CURVE_TRAINING = {
    "quick": TrainingConfig(epochs=5, batches_per_epoch=12, batch_size=4,
                            learning_rate=1e-3, final_learning_rate=3e-4, n_test_pairs=16),
    "paper": CURVE_TRAINING["paper"],
}
"""Training of the MPNN-layer sweep (S8): six OGNs of 1 to 10 layers at k = 1, the ten-layer
one ~4x dearer per batch than the two-layer ones of S9, so ``quick`` trains each for 60
batches (about 4 CPU-minutes for the six). The rate decays only to 3e-4: decayed to 1e-4
within 60 batches, every OGN was still near the no-skill loss of 1 at the end; ``paper``
is the supplement's 1000 epochs."""
