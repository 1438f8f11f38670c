"""Molecular dynamics: the four systems (MD facts only), the engines (LAMMPS, HOOMD-blue),
the protocols that make liquids and glasses, and MD run as a baseline (a k-fold larger
step, the chaos floor). Knows nothing of torch or of the learned simulator.

The public face: ``from ogn_lib import md`` gives the systems (``md.SYSTEMS``), the MD
baselines (``md.chaos_floor``, ``md.md_with_larger_step``) and which engines are here
(``md.engine_installed``, ``md.engine_label``), each imported from its module on first
use, so ``import ogn_lib.md`` loads no engine (:mod:`ogn_lib.public_face`). Everything
else is imported from its module.
"""

from ogn_lib.public_face import public_face

_HOMES = {
    "SYSTEMS": "systems",
    "chaos_floor": "baselines",
    "md_with_larger_step": "baselines",
    "engine_installed": "engines",
    "engine_label": "engines",
}
"""Each public name -> the module of this package that defines it."""

__all__ = list(_HOMES)
__getattr__, __dir__ = public_face(__name__, _HOMES)
