"""Fit the potential-energy models of the energy-rescaled rollouts afresh and ship them
(:mod:`ogn_lib.learn.shipped_energy_models`), so that the validation page reads them
instead of fitting each on every fresh clone:

    OMP_NUM_THREADS=1 .venv/bin/python scripts/ship_energy_models.py

Each data set's training and test trajectories are made first when missing. Commit the
``data/shipped/energy/<profile>/<name>.pt`` and ``.json`` files it writes.
"""

from __future__ import annotations

import argparse

import torch

from ogn_lib.learn.presets import DATA_SETS
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.studies.profile_models import ship_energy_model_for

NAMES = (*SYSTEMS, *DATA_SETS)
"""Every data set a validation rolls out: the four liquids and the LJ glass."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*",
                        help=f"data sets to fit (default: {' '.join(NAMES)})")
    parser.add_argument("--profile", default="quick")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(NAMES))
    if unknown:
        parser.error(f"no data set {', '.join(unknown)}: choose from {', '.join(NAMES)}")
    torch.set_num_threads(1)
    for name in args.names or NAMES:
        path = ship_energy_model_for(args.profile, name)
        print(f"{path}: shipped", flush=True)


if __name__ == "__main__":
    main()
