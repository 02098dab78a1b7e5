"""Reading a whole number: pieces of ink grouped into digits, the grouping chosen
by the network.

`digitpad.drawing.segments` cuts the ink into pieces and marks the boundaries
between them SPLIT or MAYBE. Here every plausible group of neighbouring
pieces is rendered, preprocessed exactly like a single digit and read in one
batch; a beam search over the MAYBE boundaries then picks the grouping whose
digits the network reads best, with a few plain priors from the geometry (a
digit is not much wider than tall, two digits side by side do not overlap
much). The reading is *sure* only when every digit is a sure digit and no other
grouping giving another number comes close; a piece that is not a digit makes
the reading unsure, never a wrong number.

A piece of a number is called "not a digit" only when that is the network's
likeliest answer for it (its not-a-digit probability beats the best digit's
share). One drawing alone is called so from a lower, calibrated level; in a
number that level only makes the piece's digit unsure. (Of the pen-drawn numbers
of bench/written_numbers.py, writers 1-24 and 25-30, 12 in 2,000 were left blank
by that level although every digit's likeliest reading was right: one odd 8 or 1
is enough. Now they are read, and shown unsure.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.segments import (
    SPLIT,
    Box,
    Pieces,
    image_pieces,
    stroke_pieces,
    union_box,
)
from digitpad.drawing.strokes import Stroke
from digitpad.reading import BaseRecognizer

# A group much wider than tall is two digits, or part of a number: not read as one.
MAX_ASPECT = 2.2
# Priors on a grouping, in units of the network's log-probability.
# (Shapes are judged on the pen's path, without its width, where it is known.
# Of the pen-drawn digits of writers 1-24, the median is 0.63 times as wide as
# tall, and 1 in 10 is wider than 0.95 times. These costs were chosen on numbers
# written by writers 1-24, never on the writers bench/written_numbers.py reports.)
WIDE = 0.8  # a digit wider than this (width / its height) ...
BROAD = 0.8  # ... or than this share of the digits' typical height ...
WIDE_COST = 6.0  # ... costs this much per unit beyond it
# Blobs of an image: their boxes are only roughly the pen's path (half the stroke's
# thickness in from the ink's edge), so the same priors, looser.
IMAGE_WIDE, IMAGE_WIDE_COST = 1.0, 3.0
FLAT = 0.35  # a digit lower than this share of the digits' height ...
FLAT_COST = 3.0  # ... costs up to this much
# Strokes: a digit lower than this share of the digits' height costs up to SHORT_COST:
# it is more often part of a digit (a 4's stem, read as a 1) than a small digit.
# (Chosen on writers 1-24, seeds 0-2 of bench/written_numbers.py; not tried on the
# slices of image blobs, which keep the priors they had.)
SHORT = 0.75
SHORT_COST = 4.0
# Each digit earns this: the network reads two digits run together as one with
# nearly the confidence it gives each of them alone.
DIGIT_BONUS = 0.3
OVERLAP_COST = 0.3  # two neighbouring digits cost this times their overlap / mean width
# Going against the geometry's evidence at a boundary (segments.Pieces.evidence):
JOIN_COST = 2.0  # joining pieces that look like two digits, at full evidence
# splitting pieces that look like one digit, at full evidence: strokes (0.25, chosen on
# writers 1-24 when touching strokes were left to the network) and slices of image blobs
SPLIT_COST, IMAGE_SPLIT_COST = 0.25, 0.5
BEAM = 12
# Sure: each digit at least this probable, and no grouping that gives another number
# within this much (log-probability) of the best.
DIGIT_SURE = 0.9
MARGIN_SURE = 1.5


@dataclass(frozen=True)
class DigitReading:
    """One digit of a number: what it is, how sure, and where it was found."""

    digit: int | None  # None: this piece is not a digit
    confidence: float
    box: Box  # x, y, width, height in the drawing's units (or the image's pixels)
    sure: bool
    image: np.ndarray | None = field(default=None, repr=False, compare=False)  # 28×28 input

    def to_json(self) -> dict:
        return {"digit": self.digit, "confidence": round(self.confidence, 6),
                "box": [round(v, 1) for v in self.box]}


@dataclass(frozen=True)
class NumberReading:
    """A whole number: its digits left to right, and whether the reading is sure."""

    number: str | None  # "2026"; None when nothing was read or a piece is not a digit
    digits: tuple[DigitReading, ...]
    sure: bool
    reason: str = ""  # why not sure, for the user
    dots: int = 0  # stray dots left out

    def to_json(self) -> dict:
        return {"number": self.number, "digits": [d.to_json() for d in self.digits],
                "sure": self.sure}


# Why a reading is not sure, in the words the window translates.
NOTHING_DRAWN = "nothing drawn yet"
NOT_A_DIGIT_PIECE = "a piece does not look like a digit"
HARD_TO_READ = "some digits are hard to read"
SPLIT_ANOTHER_WAY = "the digits could be split another way"
NOTHING = NumberReading(None, (), False, NOTHING_DRAWN)


def read_strokes(recognizer: BaseRecognizer, strokes: Sequence[Stroke],
                 canvas_size: tuple[float, float]) -> NumberReading:
    """The number written on a canvas, from its strokes."""
    return read_pieces(recognizer, stroke_pieces(strokes, canvas_size))


def read_ink(recognizer: BaseRecognizer, ink: np.ndarray) -> NumberReading:
    """The number in an ink image (an image file), from its connected components."""
    return read_pieces(recognizer, image_pieces(ink))


@dataclass(frozen=True)
class _Group:
    first: int
    end: int  # one past the last piece
    box: Box
    digit: int | None
    probability: float  # of the digit, and of being a digit at all
    score: float  # its log-probability plus the priors on its shape
    image: np.ndarray | None
    doubtful: bool = False  # the network gives "not a digit" enough weight to doubt it


def read_pieces(recognizer: BaseRecognizer, pieces: Pieces) -> NumberReading:
    """Choose the grouping of `pieces` into digits that the network reads best."""
    if len(pieces) == 0:
        return NOTHING
    groups = _read_groups(recognizer, pieces)
    chosen: list[_Group] = []
    margins: list[float] = []
    for start, end in _regions(pieces):
        best, margin = _best_grouping(groups, pieces, start, end)
        chosen.extend(best)
        margins.append(margin)
    chosen = [g for g in chosen if g.image is not None]
    if not chosen:
        return NumberReading(None, (), False, NOTHING_DRAWN, pieces.dots)
    chosen.sort(key=lambda g: g.box[0] + g.box[2] / 2)
    digit_sure, _ = _thresholds(recognizer)
    digits = tuple(DigitReading(g.digit, g.probability, g.box,
                                g.digit is not None and g.probability >= digit_sure
                                and not g.doubtful, g.image)
                   for g in chosen)
    reason = ""
    if any(d.digit is None for d in digits):
        reason = NOT_A_DIGIT_PIECE
    elif not all(d.sure for d in digits):
        reason = HARD_TO_READ
    elif min(margins) < MARGIN_SURE:
        reason = SPLIT_ANOTHER_WAY
    number = None if any(d.digit is None for d in digits) else "".join(
        str(d.digit) for d in digits)
    return NumberReading(number, digits, not reason, reason, pieces.dots)


def _regions(pieces: Pieces) -> list[tuple[int, int]]:
    """Runs of pieces with no SPLIT inside: each is read on its own."""
    regions, start = [], 0
    for position, boundary in enumerate(pieces.boundaries, 1):
        if boundary == SPLIT:
            regions.append((start, position))
            start = position
    regions.append((start, len(pieces)))
    return regions


def _candidates(pieces: Pieces) -> list[tuple[int, int]]:
    """Groups of neighbouring pieces that could be one digit."""
    found = []
    for start, end in _regions(pieces):
        for first in range(start, end):
            for last in range(first, min(end, first + pieces.largest_digit)):
                # A single piece is always a candidate, even one too wide to be a
                # digit (a long line): it is then read as no digit.
                if last > first and _too_wide(union_box(pieces.boxes[first:last + 1]),
                                              pieces.height):
                    break  # wider only grows from here
                found.append((first, last + 1))
    return found


def _read_groups(recognizer: BaseRecognizer, pieces: Pieces) -> dict[tuple[int, int], _Group]:
    spans = _candidates(pieces)
    images, readable = [], []
    for span in spans:
        processed = preprocess(pieces.render(range(*span)))
        if processed is not None:
            images.append(processed.image)
            readable.append(span)
    groups: dict[tuple[int, int], _Group] = {}
    for first, end in spans:  # ink that vanished under the eraser: nothing to read
        groups[(first, end)] = _Group(first, end, union_box(pieces.boxes[first:end]), None,
                                      1.0, 0.0, None)
    if not images:
        return groups
    probabilities, not_digit = _read(recognizer, np.stack(images))
    _, rejection = _thresholds(recognizer)
    for (first, end), image, p, rejected in zip(readable, images, probabilities, not_digit,
                                                strict=True):
        box = union_box(pieces.boxes[first:end])
        if _too_wide(box, pieces.height):
            rejected = 1.0  # a line, or several digits in one stroke: not one digit
        digit = int(p.argmax())
        probability = float(p[digit])
        is_digit = 1.0 - float(rejected)
        shape = union_box(pieces.paths[first:end]) if pieces.paths is not None else box
        score = math.log(max(probability * is_digit, 1e-6)) + _shape_prior(
            shape, pieces.height, pieces.from_image)
        score -= JOIN_COST * sum(max(0.0, e) for e in pieces.evidence[first:end - 1])
        not_a_digit = rejected > probability * is_digit  # the likeliest of the eleven answers
        groups[(first, end)] = _Group(first, end, box, None if not_a_digit else digit,
                                      probability, score + DIGIT_BONUS, image,
                                      doubtful=rejected >= rejection)
    return groups


def _too_wide(box: Box, height: float) -> bool:
    return box[2] > MAX_ASPECT * max(box[3], 0.5 * height)


def _shape_prior(box: Box, height: float, from_image: bool = False) -> float:
    wide, broad, cost = (IMAGE_WIDE, IMAGE_WIDE, IMAGE_WIDE_COST) if from_image else (
        WIDE, BROAD, WIDE_COST)
    aspect = box[2] / max(box[3], 1e-6)
    prior = -cost * max(0.0, aspect - wide)
    prior -= cost * max(0.0, box[2] / max(height, 1e-6) - broad)
    share = box[3] / max(height, 1e-6)
    if share < FLAT:
        prior -= FLAT_COST * (FLAT - share) / FLAT
    if share < SHORT and not from_image:
        prior -= SHORT_COST * (SHORT - share) / SHORT
    return prior


def _best_grouping(groups: dict[tuple[int, int], _Group], pieces: Pieces, start: int,
                   end: int) -> tuple[list[_Group], float]:
    """The best grouping of pieces start..end-1, and how far ahead of the best
    grouping that reads as another number it is (inf when there is none)."""
    # beams[p]: the best partial groupings of pieces start..p-1, as
    # (score, groups, digits read); pruned to BEAM, keeping one per reading.
    beams: list[list[tuple[float, list[_Group], str]]] = [[] for _ in range(end + 1)]
    beams[start] = [(0.0, [], "")]
    split_cost = IMAGE_SPLIT_COST if pieces.from_image else SPLIT_COST
    for position in range(start, end):
        for score, path, text in beams[position]:
            for stop in range(position + 1, end + 1):
                group = groups.get((position, stop))
                if group is None:
                    continue
                step = group.score
                if path:
                    step -= split_cost * max(0.0, -pieces.evidence[position - 1])
                    step -= OVERLAP_COST * _shared_width(_path_box(pieces, path[-1]),
                                                         _path_box(pieces, group))
                digit = "?" if group.digit is None else str(group.digit)
                beams[stop].append((score + step, [*path, group], text + digit))
        for stop in range(position + 1, end + 1):
            beams[stop] = _prune(beams[stop])
    final = sorted(beams[end], key=lambda item: -item[0])
    if not final:  # cannot happen: every single piece is a candidate
        return [], 0.0
    best_score, best_path, _ = final[0]
    rivals = [s for s, path, _ in final[1:] if _as_number(path) != _as_number(best_path)]
    return best_path, best_score - rivals[0] if rivals else math.inf


def _shared_width(a: Box, b: Box) -> float:
    """How much of their mean width two neighbours share (0..1)."""
    shared = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    return float(np.clip(shared / max((a[2] + b[2]) / 2, 1e-6), 0, 1))


def _path_box(pieces: Pieces, group: _Group) -> Box:
    """The group's box without the pen's width, where known (strokes)."""
    if pieces.paths is None:
        return group.box
    return union_box(pieces.paths[group.first:group.end])


def _as_number(path: list[_Group]) -> str:
    """The digits of a grouping left to right (groups come in writing order)."""
    ordered = sorted(path, key=lambda g: g.box[0] + g.box[2] / 2)
    return "".join("?" if g.digit is None else str(g.digit) for g in ordered)


def _prune(beam: list[tuple[float, list[_Group], str]]) -> list[tuple[float, list[_Group], str]]:
    beam.sort(key=lambda item: -item[0])
    kept, seen = [], set()
    for item in beam:
        key = (item[2], len(item[1]))
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
        if len(kept) == BEAM:
            break
    return kept


def _read(recognizer: BaseRecognizer, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Digit probabilities (N, 10) and not-a-digit probabilities (N,) in one forward pass."""
    probabilities, not_digit = recognizer.read(images)
    return np.asarray(probabilities)[:, :10], np.asarray(not_digit)


def _thresholds(recognizer: BaseRecognizer) -> tuple[float, float]:
    """(least probability of a sure digit in a number, least not-a-digit probability
    that makes a piece's digit unsure): a number needs surer digits than one digit does."""
    sure, rejection = recognizer.thresholds()
    return max(sure, DIGIT_SURE), rejection
