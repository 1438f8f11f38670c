"""A subpackage's public face (PEP 562): the few names a notebook or a user needs, as
``from ogn_lib import learn; learn.load_shipped(...)``, each imported from the module that
defines it on first use. Importing the subpackage itself loads nothing more, so the MD and
data layers stay free of torch and ``import ogn_lib.md.systems`` starts no engine.

A public name must not be the name of one of the subpackage's modules: Python sets that
attribute to the module once it is imported, and the face would silently change.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module


def public_face(package: str, homes: dict[str, str]
                ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of package ``package``, whose
    public names are the keys of ``homes``, each defined in the module of ``package`` that
    its value names (``{"SYSTEMS": "systems"}``: ``ogn_lib.md.systems.SYSTEMS``)."""

    def __getattr__(name: str) -> object:
        if name not in homes:
            raise AttributeError(
                f"module {package!r} has no attribute {name!r}: its public names are "
                f"{', '.join(sorted(homes))}; import anything else from the module that "
                f"defines it ({package}.<module>)")
        return getattr(import_module(f"{package}.{homes[name]}"), name)

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *homes})

    return __getattr__, __dir__
