"""Drawings that are not digits, made from fonts, shapes, doodles, scribbles and
pen digits, for teaching and measuring "not a digit"."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.training.negatives import FAMILIES, HELD_OUT, TRAINING, draw_ink, negative_images
from digitpad.training.pendigits import (
    PenDigit,
    bent_strokes,
    condition_images,
    drawn_conditions,
    thick_training_images,
    varied_training_images,
    warped_strokes,
    warped_training_images,
)

ONE = PenDigit(1, 1, [[[10, 0], [10, 50], [10, 100]]])
SEVEN = PenDigit(7, 2, [[[0, 0], [60, 0], [20, 100]]])


def test_every_family_draws_ink() -> None:
    rng = np.random.default_rng(0)
    for family in FAMILIES:
        ink = draw_ink(family, rng, [ONE, SEVEN])
        assert ink.shape == (256, 256) and ink.dtype == np.uint8 and ink.max() > 100, family


def test_held_out_families_are_never_trained_on() -> None:
    assert set(HELD_OUT) <= set(FAMILIES) and not set(HELD_OUT) & set(TRAINING)
    assert any(name.startswith("letters") for name in HELD_OUT)


def test_negative_images_look_like_the_pads_input() -> None:
    images, names = negative_images(30, TRAINING, seed=1, digits=[ONE, SEVEN])
    assert images.shape == (30, 28, 28) and images.dtype == np.uint8
    assert set(names) <= set(TRAINING) and len(set(names)) > 10
    again, _ = negative_images(30, TRAINING, seed=1, digits=[ONE, SEVEN])
    assert np.array_equal(images, again)  # the same seed, the same drawings


def test_families_made_of_digits_are_skipped_without_digits() -> None:
    _, names = negative_images(40, TRAINING, seed=2)
    assert "digits side by side" not in names and "crossed-out digit" not in names
    with pytest.raises(ValueError, match="pen-drawn digits"):
        draw_ink("crossed-out digit", np.random.default_rng(0))


def test_varied_renderings_and_the_drawn_conditions() -> None:
    images, labels = varied_training_images([ONE, SEVEN], variants=3, seed=0)
    assert images.shape == (6, 28, 28) and list(labels) == [1, 1, 1, 7, 7, 7]
    images, labels = thick_training_images([ONE, SEVEN], variants=2, seed=0)
    assert images.shape == (4, 28, 28) and list(labels) == [1, 1, 7, 7]
    assert len(drawn_conditions()) == 13
    images, labels = condition_images([SEVEN])
    assert images.shape == (13, 28, 28) and set(labels) == {7}


def test_bent_strokes_change_the_proportions_inside_the_same_box() -> None:
    # A 9: a loop on top of a stem, its loop a third of the height.
    nine = PenDigit(9, 3, [[[20, 0], [0, 15], [20, 30], [40, 15], [20, 0], [40, 15], [40, 90]]])
    points = np.asarray(nine.strokes[0], float)
    for bend, loop in (((0.0, -0.6), "smaller"), ((0.0, 0.6), "larger")):
        bent = np.asarray(bent_strokes(nine.strokes, np.array(bend))[0])
        assert np.allclose(bent.min(axis=0), points.min(axis=0))
        assert np.allclose(bent.max(axis=0), points.max(axis=0))
        assert np.array_equal(np.argsort(bent[:, 1], kind="stable"),
                              np.argsort(points[:, 1], kind="stable"))
        assert (bent[2, 1] < points[2, 1]) == (loop == "smaller"), loop
    assert warped_strokes(nine, np.random.default_rng(0))
    images, labels = warped_training_images([ONE, SEVEN, nine], variants=2, seed=0)
    assert images.shape == (6, 28, 28) and list(labels) == [1, 1, 7, 7, 9, 9]
