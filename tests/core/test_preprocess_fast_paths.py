"""digitpad.drawing.preprocess's fast paths give exactly what the plain steps give:
the paper around the ink, the input's type and layout, and the label type of the
speck search change nothing in the output."""

from __future__ import annotations

import numpy as np
import pytest
from test_preprocess import DIGITS, draw

from digitpad.drawing.preprocess import Preprocessed, preprocess, preprocess_in_one_thread


def same(a: Preprocessed | None, b: Preprocessed | None) -> None:
    assert a is not None and b is not None
    assert np.array_equal(a.image, b.image)
    assert (a.parts, a.specks_removed) == (b.parts, b.specks_removed)
    assert a.thickness == b.thickness


def with_specks(ink: np.ndarray) -> np.ndarray:
    ink = ink.copy()
    ink[5:8, 5:8] = 255
    ink[-9:-6, 100:103] = 200
    return ink


@pytest.mark.parametrize("name", DIGITS)
@pytest.mark.parametrize("specks", [False, True])
def test_the_paper_around_the_ink_changes_nothing(name: str, specks: bool) -> None:
    ink = draw(DIGITS[name], fill=0.4)
    ink = with_specks(ink) if specks else ink
    padded = np.pad(ink, ((37, 90), (0, 211)))
    same(preprocess(ink), preprocess(padded))
    if specks:
        assert preprocess(ink).specks_removed == 2


@pytest.mark.parametrize("name", DIGITS)
def test_bytes_and_floats_of_the_same_drawing_give_the_same_input(name: str) -> None:
    ink = with_specks(draw(DIGITS[name], width=6))
    same(preprocess(ink), preprocess(ink.astype(np.float32)))
    same(preprocess(ink), preprocess(ink.astype(np.float64) / 255))


def test_a_view_into_a_bigger_image_is_read_like_a_copy() -> None:
    ink = draw(DIGITS["4"])
    big = np.zeros((600, 600), np.uint8)
    big[100:100 + ink.shape[0], 200:200 + ink.shape[1]] = ink
    view = big[50:450:1, 150:550]
    assert not view.flags.c_contiguous
    same(preprocess(view), preprocess(view.copy()))
    same(preprocess(big.T.T), preprocess(big))


def test_a_storm_of_dots_too_many_for_16_bit_labels_is_still_read() -> None:
    # 8-connected dots two pixels apart: over 65,535 separate pieces.
    dots = np.zeros((560, 560), np.uint8)
    dots[::2, ::2] = 255
    dots[100:300, 100:300] = 255  # and one big piece, the "digit"
    result = preprocess(dots)
    assert result is not None and result.parts == 1 and result.specks_removed > 65_535


def test_one_thread_reads_the_same() -> None:
    ink = with_specks(draw(DIGITS["2"]))
    before = preprocess(ink)
    preprocess_in_one_thread()
    same(before, preprocess(ink))
