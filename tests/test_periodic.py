"""Specification of the periodic box: wrapping, unwrapping, minimum image."""

import numpy as np
import torch

from ogn_lib.periodic import minimum_image, unwrap, wrap

BOX = np.array([4.0, 5.0, 6.0])


def far_positions(seed=0, n_atoms=50):
    """Unwrapped positions up to three box lengths from the origin."""
    return np.random.default_rng(seed).uniform(-3, 3, (n_atoms, 3)) * BOX


def test_unwrap_undoes_wrap():
    positions = far_positions()
    wrapped, images = wrap(positions, BOX)
    assert np.all(np.abs(wrapped) <= BOX / 2)
    np.testing.assert_allclose(unwrap(wrapped, images.astype(np.int32), BOX), positions,
                               atol=1e-12)


def test_unwrap_accepts_tensors():
    positions = torch.as_tensor(far_positions(seed=1))
    wrapped, images = wrap(positions, torch.as_tensor(BOX))
    unwrapped = unwrap(wrapped, images, torch.as_tensor(BOX))
    assert isinstance(unwrapped, torch.Tensor)
    torch.testing.assert_close(unwrapped, positions)


def test_unwrapping_differences_gives_the_true_displacement():
    before, after = far_positions(seed=2), far_positions(seed=3)
    (wrapped_before, images_before), (wrapped_after, images_after) = (
        wrap(before, BOX), wrap(after, BOX))
    displacement = unwrap(wrapped_after - wrapped_before, images_after - images_before, BOX)
    np.testing.assert_allclose(displacement, after - before, atol=1e-12)


def test_minimum_image_folds_into_half_a_box():
    folded = minimum_image(far_positions(seed=4), BOX)
    assert np.all(folded >= -BOX / 2) and np.all(folded < BOX / 2)
