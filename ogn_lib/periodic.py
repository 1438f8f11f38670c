"""Periodic boundaries of an orthorhombic box, handled in exactly one place.

Every minimum-image displacement in the project (graph edges, analysis, tests) comes from
:func:`minimum_image`. The functions are written with operators only, so they accept NumPy
arrays and PyTorch tensors alike and return the same kind.
"""

from __future__ import annotations


def minimum_image(displacement, box_lengths):
    """Fold displacements ``r_j - r_i`` (shape ``(..., 3)``) into ``[-L/2, L/2)`` per axis.

    ``box_lengths`` are the orthorhombic box edges ``(Lx, Ly, Lz)`` in the same length unit.
    """
    return displacement - box_lengths * ((displacement / box_lengths + 0.5) // 1.0)


def wrap(positions, box_lengths):
    """Wrap positions into the HOOMD-style box ``[-L/2, L/2)`` centred at the origin.

    Returns ``(wrapped, crossings)``: ``crossings`` is the integer number of box lengths that
    were removed per axis (to add to the image flags), as floats of the input's kind.
    """
    crossings = (positions / box_lengths + 0.5) // 1.0
    return positions - crossings * box_lengths, crossings


def unwrap(positions, images, box_lengths):
    """Unwrapped positions ``r + n L`` from wrapped positions and integer image flags.

    Given ``r2 - r1`` and ``n2 - n1`` instead, it returns the true displacement between the
    two states; the wrapped positions are then subtracted at their own (float32) precision
    before the box term is added, as the training pairs are computed.
    """
    return positions + images * box_lengths
