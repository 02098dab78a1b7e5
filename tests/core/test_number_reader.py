"""Reading whole numbers: hand-made cases for the stroke grouping, the image
fallback with its cut search, and what makes a reading unsure."""

from __future__ import annotations

import numpy as np
import pytest
from number_strokes import digit, dot, number

from digitpad.drawing.segments import MAYBE, SPLIT, image_pieces, stroke_pieces
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.number_reader import (
    HARD_TO_READ,
    NOT_A_DIGIT_PIECE,
    NOTHING,
    read_ink,
    read_strokes,
)
from digitpad.recognizer import Recognizer

pytestmark = pytest.mark.usefixtures("one_torch_thread")

PAD = (1200.0, 400.0)


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer.load()


def test_a_row_of_digits_is_read_left_to_right(recognizer) -> None:
    reading = read_strokes(recognizer, number("1247"), PAD)
    assert reading.number == "1247"
    assert reading.sure
    assert [d.digit for d in reading.digits] == [1, 2, 4, 7]
    lefts = [d.box[0] for d in reading.digits]
    assert lefts == sorted(lefts)
    assert reading.to_json()["digits"][0].keys() == {"digit", "confidence", "box"}


def test_a_digit_of_several_strokes_stays_one_digit(recognizer) -> None:
    pieces = stroke_pieces(digit(4, 100, 100), PAD)
    # The stem crosses the bar: the strongest evidence of one digit, but the network
    # has the last word (a 1 written through its neighbour crosses it too).
    assert (pieces.boundaries, pieces.evidence) == ([MAYBE], [-1.0])
    assert read_strokes(recognizer, digit(4, 100, 100), PAD).number == "4"


def test_a_single_digit_in_number_mode(recognizer) -> None:
    for value in (0, 1, 2, 7):
        reading = read_strokes(recognizer, digit(value, 300, 100), PAD)
        assert (reading.number, reading.sure, len(reading.digits)) == (str(value), True, 1)


def test_a_1_next_to_a_7(recognizer) -> None:
    # The 1 tucked under the end of the 7's bar: their boxes overlap.
    strokes = digit(7, 100, 100) + digit(1, 100 + 0.6 * 120 * 0.75, 120, 100)
    assert read_strokes(recognizer, strokes, PAD).number == "71"
    assert read_strokes(recognizer, number("17", gap=0.05), PAD).number == "17"


def test_a_1_written_through_its_neighbour_is_not_swallowed_by_it(recognizer) -> None:
    # The 1's stem crosses the right side of the 0 before it: once joined to the 0
    # for sure and read as a sure "0".
    for inside in (0.1, 0.15, 0.2, 0.25):  # how far into the 0, a share of its width
        for lower in (0.0, 10.0):
            strokes = digit(0, 100, 100) + digit(1, 172 - inside * 72 - 0.55 * 72,
                                                 100 + lower)
            reading = read_strokes(recognizer, strokes, PAD)
            assert reading.number == "01" or not reading.sure
    strokes = digit(0, 100, 100) + digit(1, 172 - 0.15 * 72 - 0.55 * 72, 110)
    assert read_strokes(recognizer, strokes, PAD).number == "01"


def test_a_touching_pair_of_strokes(recognizer) -> None:
    for overlap in (6, 15):  # ink touching, then the boxes overlapping
        strokes = digit(0, 100, 100) + digit(0, 100 + 0.6 * 120 - overlap, 100)
        assert read_strokes(recognizer, strokes, PAD).number == "00"


def test_a_stray_dot_is_not_a_digit(recognizer) -> None:
    reading = read_strokes(recognizer, number("70") + dot(300, 170), PAD)
    assert reading.number == "70"
    assert reading.dots == 1
    assert reading.sure


def test_digits_of_very_different_sizes(recognizer) -> None:
    strokes = digit(7, 40, 40, 300) + digit(0, 250, 240, 90)
    reading = read_strokes(recognizer, strokes, PAD)
    assert reading.number == "70"
    big, small = reading.digits
    assert big.box[3] > 2.5 * small.box[3]


def _stroke(points: list[tuple[float, float]], x: float, y: float, height: float = 120.0,
            pen: float = 14.0) -> Stroke:
    """A stroke through `points` given in a digit's box (0..1 of 0.6·height wide,
    0..1 of height tall) with its top-left at (x, y)."""
    return Stroke([(x + u * 0.6 * height, y + v * height) for u, v in points], pen)


def test_a_4_written_as_an_l_and_a_short_stem_apart_is_one_4(recognizer) -> None:
    # Some people write a 4 as an L and then a short stem beside it, not touching.
    # Each part alone reads as a sure 1; a digit far lower than the others is more
    # likely part of a digit than a digit (the reader used to read 2117).
    for pen in (8.0, 14.0, 20.0):
        four = [_stroke([(0.05, 0.0), (0.0, 0.62), (0.3, 0.62)], 142, 60, pen=pen),
                _stroke([(0.4, 0.5), (0.4, 1.0)], 142, 60, pen=pen)]
        strokes = digit(2, 40, 60) + four + digit(7, 244, 60)
        assert read_strokes(recognizer, strokes, PAD).number == "247"


def test_a_5_whose_bar_is_drawn_apart_is_left_to_the_network(recognizer) -> None:
    # The bar drawn last, above and to the right of the body, sharing a little of its
    # width: not surely another digit, so the network decides (it used to be cut off
    # and read as no digit).
    body = _stroke([(0.1, 0.05), (0.05, 0.45), (0.5, 0.4), (0.8, 0.55), (0.85, 0.8),
                    (0.6, 0.98), (0.1, 0.95)], 142, 60)
    bar = _stroke([(0.75, -0.15), (1.45, -0.15)], 142, 60)
    strokes = digit(1, 40, 60) + [body, bar] + digit(2, 300, 60)
    assert stroke_pieces(strokes, PAD).boundaries == [SPLIT, MAYBE, SPLIT]
    reading = read_strokes(recognizer, strokes, PAD)
    assert (reading.number, reading.sure) == ("152", True)


def test_strokes_far_apart_are_split_without_asking_the_network() -> None:
    pieces = stroke_pieces(number("17", gap=0.5), PAD)
    assert pieces.boundaries == [SPLIT]


def test_a_stroke_added_later_to_an_earlier_digit_joins_it(recognizer) -> None:
    four, seven = digit(4, 100, 100), digit(7, 250, 100)
    strokes = [four[0], *seven, four[1]]  # the 4's stem drawn after the 7
    assert read_strokes(recognizer, strokes, PAD).number == "47"


def test_rubbed_out_ink_is_not_read(recognizer) -> None:
    strokes = number("17")  # the 7's box: x 142..214, y 60..180
    zigzag = [(x, y) for x in range(135, 230, 12) for y in (45, 195)]
    strokes.append(Stroke(zigzag, 40.0, eraser=True))  # rub the whole 7 out
    assert read_strokes(recognizer, strokes, PAD).number == "1"


def test_nothing_written_is_no_number(recognizer) -> None:
    assert read_strokes(recognizer, [], PAD) == NOTHING
    assert read_ink(recognizer, np.zeros((50, 80), np.uint8)).number is None
    assert NOTHING.to_json() == {"number": None, "digits": [], "sure": False}


def test_an_image_of_touching_digits_is_cut_where_the_network_reads_best(recognizer) -> None:
    ink = render_strokes(digit(0, 20, 20) + digit(0, 20 + 0.6 * 120 - 6, 20), (300, 300), 300)
    assert len(image_pieces(ink)) > 1  # one blob of ink, cut into slices
    reading = read_ink(recognizer, ink)
    assert reading.number == "00"
    assert read_ink(recognizer, render_strokes(number("1247", 20, 20), (800, 800), 800)
                    ).number == "1247"


class _Doubtful:
    """A recognizer that says the widest piece of ink is not a digit (as a model with
    a not-a-digit output does), and reads everything else as the real one does."""

    def __init__(self, real: Recognizer) -> None:
        self.real = real

    def read(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        probabilities = self.real.probabilities(images)
        widths = (images.max(axis=1) > 0.5).sum(axis=1)
        return probabilities, (widths >= widths.max()).astype(np.float64)

    def thresholds(self) -> tuple[float, float]:
        return 0.6, 0.5


def test_a_piece_that_is_not_a_digit_makes_the_reading_unsure_not_wrong(recognizer) -> None:
    reading = read_strokes(_Doubtful(recognizer), digit(0, 100, 100), PAD)
    assert reading.number is None
    assert not reading.sure
    assert reading.reason == NOT_A_DIGIT_PIECE
    assert reading.digits[0].digit is None


class _Wary:
    """A recognizer that gives the widest piece of ink a 30 % chance of not being a
    digit (above its calibrated level for one drawing, 20 %), and reads the digits as
    the real one does."""

    def __init__(self, real: Recognizer) -> None:
        self.real = real

    def read(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        probabilities = self.real.probabilities(images)
        widths = (images.max(axis=1) > 0.5).sum(axis=1)
        return probabilities, np.where(widths >= widths.max(), 0.3, 0.0)

    def thresholds(self) -> tuple[float, float]:
        return 0.6, 0.2


def test_a_piece_that_may_not_be_a_digit_keeps_its_digit_but_is_unsure(recognizer) -> None:
    # "Not a digit" is not the network's likeliest answer for the piece (its digit is),
    # so in a number the piece keeps its digit; the reading is unsure, not blank.
    reading = read_strokes(_Wary(recognizer), number("17"), PAD)
    assert (reading.number, reading.sure, reading.reason) == ("17", False, HARD_TO_READ)
    assert [d.sure for d in reading.digits] == [True, False]  # the 7 is the wider


def test_a_scribble_beside_a_number_is_not_read_as_sure(recognizer) -> None:
    scribble = Stroke([(400 + 120 * ((i * 37) % 7) / 7, 60 + (i * 53 % 11) * 11)
                       for i in range(30)], 14.0)
    reading = read_strokes(recognizer, [*number("17"), scribble], PAD)
    assert not reading.sure


def test_a_line_too_long_for_a_digit_makes_the_reading_unsure(recognizer) -> None:
    underline = Stroke([(40.0, 200.0), (600.0, 205.0)], 14.0)
    reading = read_strokes(recognizer, [*number("17"), underline], PAD)
    assert (reading.number, reading.sure, reading.reason) == (None, False, NOT_A_DIGIT_PIECE)
    assert [d.digit for d in reading.digits] == [1, 7, None]  # the line is read as no digit


def test_a_wide_digit_in_an_image_is_not_cut_into_a_digit_and_a_1(recognizer) -> None:
    # A thick, wide 7 is one blob wide enough to be cut; its right-hand slice reads
    # as a 1 (with the cut's evidence at -0.3 this image read as 71).
    seven = [Stroke([(x * 1.2, y) for x, y in s.points], s.width)
             for s in digit(7, 20, 20, 150, pen=28)]
    ink = render_strokes(seven, (400.0, 300.0), 400)[:220, :200]
    assert len(image_pieces(ink)) > 1  # cut into slices, which the network joins again
    reading = read_ink(recognizer, ink)
    assert reading.number == "7" and len(reading.digits) == 1
