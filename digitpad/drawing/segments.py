"""Cutting a written number into pieces that may be digits, without Qt or a model.

A number is read in two steps. This module does the first, which needs no
network: it cuts the ink into small *pieces* in writing order and says, for
each boundary between two neighbouring pieces, whether the two surely belong
to two digits (SPLIT) or whether the network must decide (MAYBE), and how much
the geometry says a new digit starts there (the evidence).
`digitpad.number_reader` then reads every plausible grouping of pieces with the
network and keeps the best.

Where pieces come from:

- **Strokes** (the canvas): one piece per stroke, in the order they were
  drawn, because people write a number digit after digit. Strokes with clear
  space between them belong to two digits (SPLIT); all others are MAYBE, with
  evidence: strokes that cross or touch and overlap horizontally most likely
  belong together, but the network has the last word. A stroke added later to an earlier
  digit (the bar of a 7 drawn at the end) is moved next to that digit first.
- **Images** (files): the connected components of the ink, left to right. A
  component wide enough to hold two digits (touching digits) is cut into
  slices at the columns with the least ink; the network chooses which cuts to
  keep.

In both, a stray dot (a piece much smaller than the digits in both directions)
is dropped: it is not a digit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from digitpad.drawing.preprocess import stroke_thickness
from digitpad.drawing.strokes import Stroke, render_strokes

SPLIT, MAYBE = "split", "maybe"

# A piece is a stray dot when both its sides are under this share of the digits' height.
DOT_SHARE = 0.22
# Pieces are rendered for the network with their longer side this many pixels
# (preprocess brings them to its own working size anyway).
PIECE_SIDE = 96
# Strokes whose pen paths come closer than this share of the digits' height touch
# (the paths, not the ink: a thick pen makes neighbouring digits' ink touch).
TOUCH_SHARE = 0.03
# ... and strokes whose paths stay further apart than this are apart.
APART_SHARE = 0.08
# Strokes apart whose paths share less than this of the narrower one's width surely
# belong to two digits; sharing more, the network decides (a 4 whose stem is drawn
# apart from its first stroke, a 5's bar drawn apart from its body).
# (TOUCH_SHARE and SPLIT_OVERLAP were chosen on numbers by writers 1-24, with
# bench/written_numbers.py --writers 1-24 and seeds 0-2: 0.05 and 0.3 before.)
SPLIT_OVERLAP = 0.1
# How many strokes before a new one may still belong to the same digit.
LOOK_BACK = 3
# Image components: a component this much wider than a digit is tall may hold
# several digits (touching ones).
WIDE_FOR_CUTS = 0.75
# ... and each slice cut from it is at least this share of its height wide,
MIN_SLICE = 0.18
# ... and it is cut in at most this many places.
MAX_CUTS = 8
# The evidence (see Pieces) at a cut through ink: against a new digit starting there
# (a slice of one digit is often read as a "1"). Chosen on images of numbers by
# writers 1-24, never on the writers bench/written_numbers.py reports: there
# (`--writers 1-24 --count 400 --baseline 61683b4`) -0.3 reads 72.0 % / 52.8 % of
# 2-4 / 5-8 digit numbers right, -0.8 79.5 % / 60.3 %, mostly by splitting fewer
# single digits in two. In one-off trials -1.2 did no better, and cutting digits
# from 0.6 of their height wide instead of 0.75 left a third as many readings sure.
CUT_EVIDENCE = -0.8

Box = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True)
class Pieces:
    """Ink cut into pieces in writing order, and what is known of each boundary."""

    boxes: list[Box]  # one per piece, in the source's units (canvas units or pixels)
    boundaries: list[str]  # between piece i and i + 1: SPLIT or MAYBE
    # Between piece i and i + 1, how much the geometry says "a new digit starts
    # here", from -1 (surely the same digit) to 1 (surely a new one).
    evidence: list[float]
    height: float  # a digit's typical height in the same units
    render: Callable[[Sequence[int]], np.ndarray]  # ink image (uint8) of some pieces
    dots: int = 0  # stray dots dropped
    largest_digit: int = 5  # at most this many neighbouring pieces make one digit
    # Boxes of the pen's path (without the pen's width), for judging overlap.
    paths: list[Box] | None = None
    from_image: bool = False  # blobs of an image, not strokes: their boxes are rougher

    def __len__(self) -> int:
        return len(self.boxes)


def union_box(boxes: Sequence[Box]) -> Box:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def horizontal_overlap(a: Box, b: Box) -> float:
    """How much of the narrower box's width the two share (0..1); negative: the gap
    between them as a share of the narrower width."""
    shared = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    return shared / max(min(a[2], b[2]), 1e-6)


def typical_height(boxes: Sequence[Box]) -> float:
    """A digit's height: most pieces of a number are whole digits or most of one,
    so a high percentile of the pieces' heights is robust to bars and dots."""
    if not boxes:
        return 1.0
    return max(float(np.percentile([b[3] for b in boxes], 80)), 1e-6)


def is_dot(box: Box, height: float) -> bool:
    return box[2] < DOT_SHARE * height and box[3] < DOT_SHARE * height


# ---- strokes ---------------------------------------------------------------------------


def stroke_pieces(strokes: Sequence[Stroke], canvas_size: tuple[float, float]) -> Pieces:
    """The canvas' strokes as pieces, in the order they were drawn (eraser strokes
    take ink away from every piece they pass over, dots are dropped)."""
    del canvas_size  # pieces are placed by their own boxes; kept for the callers' symmetry
    ink = [i for i, s in enumerate(strokes) if s.points and not s.eraser]
    arrays = {i: np.asarray(strokes[i].points, np.float64).reshape(-1, 2) for i in ink}
    boxes = {i: _stroke_box(arrays[i], strokes[i].width) for i in ink}
    height = typical_height([boxes[i] for i in ink])
    kept = [i for i in ink if not is_dot(boxes[i], height)]
    dots = len(ink) - len(kept)
    height = typical_height([boxes[i] for i in kept])
    dense: dict[int, np.ndarray] = {}
    # A straight vertical stroke has no width: give every path a little, so that
    # overlap is measured for it too.
    paths = {i: _stroke_box(arrays[i], 0.05 * height) for i in kept}
    distances: dict[tuple[int, int], float] = {}

    def distance(i: int, j: int) -> float:
        """How close the two strokes' pen paths come, as a share of the digits' height."""
        key = (min(i, j), max(i, j))
        if key not in distances:
            apart = _box_distance(paths[i], paths[j])
            if apart > APART_SHARE * height:  # far apart: no need to look closer
                distances[key] = apart / height
                return distances[key]
            for k in (i, j):
                if k not in dense:
                    dense[k] = _resample(arrays[k], height / 16)
            a, b = dense[i], dense[j]
            nearest = float(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2).min())
            distances[key] = nearest ** 0.5 / height
        return distances[key]

    order = _bring_back_late_strokes(kept, paths, distance)
    boundaries, evidence = [], []
    for position in range(1, len(order)):
        new = order[position]
        recent = order[max(0, position - LOOK_BACK):position]
        boundary, weight = _stroke_boundary(new, recent, paths, distance)
        boundaries.append(boundary)
        evidence.append(weight)

    erasers = [i for i, s in enumerate(strokes) if s.points and s.eraser]

    def render(members: Sequence[int]) -> np.ndarray:
        chosen = [order[m] for m in members]
        first = min(chosen)
        # Eraser strokes drawn after a piece's first stroke may have rubbed some of it out.
        wanted = sorted([*chosen, *(e for e in erasers if e > first)])
        return _render_placed([strokes[i] for i in wanted],
                              union_box([boxes[i] for i in chosen]))

    return Pieces([boxes[i] for i in order], boundaries, evidence, height, render, dots,
                  paths=[paths[i] for i in order])


def _stroke_box(points: np.ndarray, width: float) -> Box:
    low, high = points.min(axis=0) - width / 2, points.max(axis=0) + width / 2
    return (float(low[0]), float(low[1]), float(high[0] - low[0]), float(high[1] - low[1]))


def _box_distance(a: Box, b: Box) -> float:
    dx = max(0.0, max(a[0], b[0]) - min(a[0] + a[2], b[0] + b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[1] + a[3], b[1] + b[3]))
    return float(np.hypot(dx, dy))


def _resample(points: np.ndarray, spacing: float) -> np.ndarray:
    """Points along the polyline no further apart than `spacing` (tablets sample
    sparsely, so two crossing strokes may have no points near each other)."""
    if len(points) < 2:
        return points
    starts, steps = points[:-1], points[1:] - points[:-1]
    counts = np.maximum(1, np.ceil(np.hypot(steps[:, 0], steps[:, 1]) / max(spacing, 1e-6)))
    counts = counts.astype(np.int64)
    segment = np.repeat(np.arange(len(steps)), counts)
    offsets = np.arange(len(segment)) - np.repeat(np.cumsum(counts) - counts, counts)
    t = ((offsets + 1) / counts[segment])[:, None]
    return np.concatenate([points[:1], starts[segment] + steps[segment] * t])


def _stroke_boundary(new: int, recent: Sequence[int], paths: dict[int, Box],
                     distance: Callable[[int, int], float]) -> tuple[str, float]:
    """Whether stroke `new` starts a new digit after the `recent` strokes, and the
    evidence for it (-1..1), from how close its pen path comes to theirs and how
    much it overlaps them horizontally."""
    near = min(distance(new, i) for i in recent)
    overlap = max(horizontal_overlap(paths[new], paths[i]) for i in recent)
    if near > APART_SHARE and overlap < SPLIT_OVERLAP:
        return SPLIT, 1.0  # clear space between them: a new digit
    if near <= TOUCH_SHARE and overlap >= 0.6:
        # It crosses a stroke above or below it: most likely the same digit (a 4's
        # stem, a 7's bar), but a 1 written through an overlapping neighbour crosses
        # it too, so the network has the last word. (Joining these for sure cost
        # 0.8 points of 5-8 digit numbers on writers 1-24.)
        return MAYBE, -1.0
    apart = float(np.clip((near - (TOUCH_SHARE + APART_SHARE) / 2) / APART_SHARE, -1, 1))
    beside = float(np.clip((0.2 - overlap) / 0.4, -1, 1))
    # Overlap says more than distance: the parts of a 4 or a 5 need not touch.
    return MAYBE, 0.3 * apart + 0.7 * beside


def _bring_back_late_strokes(order: list[int], paths: dict[int, Box],
                             distance: Callable[[int, int], float]) -> list[int]:
    """A stroke that lies on an earlier digit, away from the stroke before it (the
    bar of a 7 or a 4's stem added at the end), moves next to that digit."""
    result: list[int] = []
    for stroke in order:
        if len(result) >= 2 and horizontal_overlap(paths[stroke], paths[result[-1]]) < 0 \
                and distance(stroke, result[-1]) > APART_SHARE:
            home = [p for p, i in enumerate(result[:-1])
                    if horizontal_overlap(paths[stroke], paths[i]) >= 0.5
                    and distance(stroke, i) <= TOUCH_SHARE]
            if home:
                result.insert(home[-1] + 1, stroke)
                continue
        result.append(stroke)
    return result


def _render_placed(strokes: Sequence[Stroke], box: Box) -> np.ndarray:
    """Strokes rendered so that `box` (which holds them) fills a PIECE_SIDE image."""
    x, y, w, h = box
    side = max(w, h) * 1.1
    dx, dy = side / 2 - (x + w / 2), side / 2 - (y + h / 2)
    moved = [Stroke([(px + dx, py + dy) for px, py in s.points], s.width, s.eraser)
             for s in strokes]
    return render_strokes(moved, (side, side), PIECE_SIDE)


# ---- images ----------------------------------------------------------------------------


def image_pieces(ink: np.ndarray) -> Pieces:
    """An ink image (ink high) as pieces: its connected components left to right,
    wide ones cut into slices at the columns with the least ink."""
    ink = np.asarray(ink)
    if ink.ndim != 2:
        raise ValueError(f"expected a 2-D ink image, got shape {ink.shape}")
    ink8 = _as_uint8(ink)
    peak = int(ink8.max()) if ink8.size else 0
    if peak == 0:
        return Pieces([], [], [], 1.0, lambda members: np.zeros((1, 1), np.uint8),
                      from_image=True)
    mask = (ink8 > peak // 2).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    components = [(label, tuple(float(v) for v in stats[label, :4])) for label in range(1, count)]
    height = typical_height([box for _, box in components])
    kept = [(label, box) for label, box in components if not is_dot(box, height)]
    dots = len(components) - len(kept)
    height = typical_height([box for _, box in kept])
    kept.sort(key=lambda item: item[1][0] + item[1][2] / 2)

    slices: list[tuple[int, int, int]] = []  # (label, first column, end column)
    boundaries: list[str] = []
    evidence: list[float] = []
    for label, box in kept:
        x, _, w, h = (int(v) for v in box)
        cuts = _cut_columns(mask[:, x:x + w] * (labels[:, x:x + w] == label),
                            max(h, int(0.8 * height)))
        edges = [x, *(x + c for c in cuts), x + w]
        if slices:
            # Clear space before this component: a new digit; overlapping or
            # nearly touching ones may be parts of one (a 5's detached bar).
            previous = _slice_box(labels, slices[-1])
            gap = box[0] - (previous[0] + previous[2])
            boundaries.append(MAYBE if gap < 0.05 * height else SPLIT)
            overlap = horizontal_overlap(previous, box)
            evidence.append(float(np.clip((0.2 - overlap) / 0.4, -1, 1)) / 2
                            if gap < 0.05 * height else 1.0)
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            if a != edges[0]:
                boundaries.append(MAYBE)  # a cut through ink: only the network can tell,
                evidence.append(CUT_EVIDENCE)  # and it should be sure
            slices.append((label, a, b))
    boxes = [_slice_box(labels, s) for s in slices]
    # The pen's path lies half a stroke inside the ink's edge.
    half = stroke_thickness(mask.astype(np.float32)) / 2
    paths = [(x + half, y + half, max(w - 2 * half, 1.0), max(h - 2 * half, 1.0))
             for x, y, w, h in boxes]

    def render(members: Sequence[int]) -> np.ndarray:
        x, y, w, h = (int(v) for v in union_box([boxes[m] for m in members]))
        region = labels[y:y + h, x:x + w]
        columns = np.arange(x, x + w)[None, :]
        keep = np.zeros(region.shape, np.uint8)
        for m in members:
            label, a, b = slices[m]
            keep |= ((region == label) & (columns >= a) & (columns < b)).astype(np.uint8)
        # The anti-aliased rim of the strokes lies just outside the component's mask.
        keep = cv2.dilate(keep, np.ones((3, 3), np.uint8))
        return ink8[y:y + h, x:x + w] * keep

    return Pieces(boxes, boundaries, evidence, height, render, dots, 1 + MAX_CUTS, paths,
                  from_image=True)


def _as_uint8(ink: np.ndarray) -> np.ndarray:
    if ink.dtype == np.uint8:
        return ink
    image = np.nan_to_num(ink.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    peak = max(float(image.max()), 1e-12)
    return np.clip(image * (255 / peak), 0, 255).astype(np.uint8)


def _slice_box(labels: np.ndarray, piece: tuple[int, int, int]) -> Box:
    label, a, b = piece
    rows = np.flatnonzero((labels[:, a:b] == label).any(axis=1))
    if len(rows) == 0:
        return (float(a), 0.0, float(b - a), 1.0)
    return (float(a), float(rows[0]), float(b - a), float(rows[-1] - rows[0] + 1))


def _cut_columns(mask: np.ndarray, height: int) -> list[int]:
    """Where a wide component may be cut: the columns with the least ink, about
    one for every third of a digit's height of width, each slice at least MIN_SLICE of the
    height wide; none for a component no wider than a digit. The network then
    decides which cuts to keep."""
    width = mask.shape[1]
    if width < WIDE_FOR_CUTS * height:
        return []
    smallest = max(2, int(MIN_SLICE * height))
    profile = mask.sum(axis=0).astype(np.float32)
    profile = np.convolve(profile, np.ones(3, np.float32) / 3, mode="same")
    wanted = min(MAX_CUTS, max(1, int(round(width / (0.3 * height)))))
    cuts: list[int] = []
    for column in np.argsort(profile[smallest:width - smallest], kind="stable") + smallest:
        if all(abs(column - c) >= smallest for c in cuts):
            cuts.append(int(column))
            if len(cuts) == wanted:
                break
    return sorted(cuts)
