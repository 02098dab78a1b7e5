"""digitpad.drawing.preprocess: a drawing becomes a 28×28 MNIST-like digit."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.drawing.preprocess import (
    PREPROCESS_VERSION,
    _normalise_thickness,
    preprocess,
    stroke_thickness,
)
from digitpad.drawing.strokes import Stroke, fit_strokes, render_strokes

SEVEN = [[(0, 0), (100, 0), (40, 160)]]
TWO = [[(0, 30), (20, 0), (60, 0), (80, 30), (0, 160), (90, 160)]]
FOUR = [[(60, 0), (0, 100), (90, 100)], [(60, 0), (60, 160)]]
DIGITS = {"7": SEVEN, "2": TWO, "4": FOUR}
CANVAS = 280


def draw(points, width: float = 16, fill: float = 0.6,
         centre: tuple[float, float] = (0.5, 0.5)) -> np.ndarray:
    strokes = fit_strokes(points, CANVAS, fill=fill, centre=centre, width=width)
    return render_strokes(strokes, (CANVAS, CANVAS))


def image_of(ink: np.ndarray) -> np.ndarray:
    result = preprocess(ink)
    assert result is not None
    return result.image


def difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize("ink", [
    np.zeros((200, 200), np.uint8),
    np.zeros((5, 7), np.float32),
    np.full((50, 50), 30, np.uint8),  # faint paper texture, not ink
    np.full((10, 10), -3.0),
    np.full((10, 10), np.nan),
], ids=["blank", "blank float", "faint", "negative", "nan"])
def test_no_ink_gives_none(ink: np.ndarray) -> None:
    assert preprocess(ink) is None


@pytest.mark.parametrize("shape", [(0, 0), (0, 10), (3, 4, 5), (7,)])
def test_not_a_2d_image_is_a_value_error(shape: tuple) -> None:
    with pytest.raises(ValueError, match="2-D ink image"):
        preprocess(np.zeros(shape, np.uint8))


@pytest.mark.parametrize("name", list(DIGITS))
def test_output_is_an_mnist_like_digit(name: str) -> None:
    result = preprocess(draw(DIGITS[name]))
    assert result is not None
    image = result.image
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() <= 1 and image.max() > 0.9
    rows, cols = np.indices(image.shape)
    total = image.sum()
    assert (rows * image).sum() / total == pytest.approx(14, abs=0.3)
    assert (cols * image).sum() / total == pytest.approx(14, abs=0.3)
    ys, xs = np.nonzero(image > 0.1)
    longer = max(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1)
    assert 19 <= longer <= 22
    assert result.parts == 1  # each test digit is drawn in one connected piece
    assert result.specks_removed == 0


def test_works_on_float_images_too() -> None:
    ink = draw(SEVEN)
    np.testing.assert_allclose(image_of(ink.astype(np.float64) / 255 * 3.0), image_of(ink),
                               atol=1e-5)


def test_different_digits_look_different() -> None:
    images = {name: image_of(draw(points)) for name, points in DIGITS.items()}
    assert difference(images["7"], images["2"]) > 0.1
    assert difference(images["7"], images["4"]) > 0.1
    assert difference(images["2"], images["4"]) > 0.1


def _nearest(image: np.ndarray) -> str:
    references = {name: image_of(draw(points)) for name, points in DIGITS.items()}
    return min(references, key=lambda name: difference(image, references[name]))


@pytest.mark.parametrize("name", list(DIGITS))
def test_thin_and_thick_pens_give_similar_images(name: str) -> None:
    thin = preprocess(draw(DIGITS[name], width=4))
    thick = preprocess(draw(DIGITS[name], width=40))
    assert thin.thickness < thick.thickness  # measured before normalising
    assert difference(thin.image, thick.image) < 0.06
    assert _nearest(thin.image) == _nearest(thick.image) == name


@pytest.mark.parametrize("name", list(DIGITS))
def test_tiny_in_a_corner_and_huge_give_similar_images(name: str) -> None:
    tiny = image_of(draw(DIGITS[name], width=4, fill=0.15, centre=(0.12, 0.12)))
    huge = image_of(draw(DIGITS[name], width=30, fill=0.97))
    assert difference(tiny, huge) < 0.07
    assert _nearest(tiny) == _nearest(huge) == name


@pytest.mark.parametrize("name", list(DIGITS))
def test_stray_dot_far_away_is_removed(name: str) -> None:
    clean = draw(DIGITS[name])
    dotted = clean.copy()
    dotted[244:252, 8:16] = 255
    result = preprocess(dotted)
    assert result.specks_removed == 1
    assert difference(result.image, image_of(clean)) < 0.005
    # The dot would otherwise have moved and shrunk the digit.
    assert result.image.sum() == pytest.approx(image_of(clean).sum(), rel=0.02)


def test_two_real_parts_are_both_kept() -> None:
    ink = np.zeros((100, 100), np.uint8)
    ink[10:90, 20:30] = 255
    ink[10:90, 60:70] = 255  # two equal bars: neither is a speck
    result = preprocess(ink)
    assert result.parts == 2 and result.specks_removed == 0
    assert result.image[:, :12].sum() > 0 and result.image[:, 16:].sum() > 0


def test_same_drawing_anywhere_on_the_canvas_gives_the_same_image() -> None:
    left = image_of(draw(TWO, centre=(0.3, 0.35)))
    right = image_of(draw(TWO, centre=(0.7, 0.65)))
    assert difference(left, right) < 0.01


def test_a_single_dot_is_read_as_a_blob_not_an_error() -> None:
    image = render_strokes([Stroke([(140.0, 140.0)], 20)], (CANVAS, CANVAS))
    result = preprocess(image)
    assert result is not None and result.image.shape == (28, 28)


def test_stroke_thickness_measures_bars() -> None:
    bar = np.zeros((100, 100), np.float32)
    bar[10:90, 40:48] = 1
    assert stroke_thickness(bar) == pytest.approx(8, rel=0.15)
    assert stroke_thickness(np.zeros((10, 10), np.float32)) == 0


def test_version_is_recorded() -> None:
    assert isinstance(PREPROCESS_VERSION, int) and PREPROCESS_VERSION >= 1


def test_thinning_never_takes_most_of_the_ink_away() -> None:
    """The thinning step on its own (the working image preprocess hands it): a thick
    bar is thinned, but a blob that erosion would shrink to less than about a third
    is left as it is. preprocess() itself never gets there: at its 64-pixel working
    size even a filled square keeps 0.38 of its ink, so no drawing can show it."""
    bar = np.zeros((64, 64), np.float32)
    bar[:, 16:48] = 1.0  # 32 px wide, far thicker than MNIST's 7.5
    thinned, thickness = _normalise_thickness(bar)
    assert thickness > 15
    assert 0.35 * bar.sum() <= (thinned > 0.5).sum() < 0.8 * bar.sum()

    blob = np.ones((160, 160), np.float32)  # a square this big would keep 0.3
    kept, thickness = _normalise_thickness(blob)
    assert thickness > 70
    assert (kept > 0.5).sum() == blob.sum()
