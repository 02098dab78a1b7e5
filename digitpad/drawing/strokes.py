"""Strokes, and how they become an ink image.

A drawing is a list of strokes; a stroke is the list of points the pen passed
through between pen-down and pen-up, in the canvas' logical coordinates, with
the pen width it was drawn with. The Qt canvas draws strokes on screen for the
eye; the image the network sees is always made here, headless, so it is the
same for the canvas, `digitpad predict` on a replay, the benchmarks and the
sample store, and never depends on the screen's pixel density.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

# The network's ink image is rendered at this size whatever the canvas size,
# so the result depends only on the drawing's shape, not on the window.
INK_SIDE = 256
_SUBPIXEL_BITS = 4


@dataclass
class Stroke:
    """One pen-down..pen-up, in logical canvas coordinates."""

    points: list[tuple[float, float]] = field(default_factory=list)
    width: float = 16.0
    eraser: bool = False

    def add(self, x: float, y: float) -> None:
        self.points.append((float(x), float(y)))

    def to_json(self) -> dict:
        return {"points": [list(p) for p in self.points], "width": self.width,
                "eraser": self.eraser}

    @classmethod
    def from_json(cls, value: dict) -> Stroke:
        return cls([(float(x), float(y)) for x, y in value["points"]], float(value["width"]),
                   bool(value.get("eraser", False)))


def render_strokes(strokes: Iterable[Stroke], canvas_size: tuple[float, float],
                   side: int = INK_SIDE) -> np.ndarray:
    """Render strokes drawn on a canvas of `canvas_size` (w, h) into a side×side
    uint8 ink image (ink = 255), anti-aliased, with round caps and joins.

    Eraser strokes remove ink, so the result is what the user sees."""
    width, height = canvas_size
    scale = side / max(width, height, 1e-6)
    image = np.zeros((side, side), np.uint8)
    factor = 1 << _SUBPIXEL_BITS
    for stroke in strokes:
        if not stroke.points:
            continue
        colour = 0 if stroke.eraser else 255
        thickness = max(1, int(round(stroke.width * scale)))
        points = np.round(np.asarray(stroke.points, np.float64) * scale * factor).astype(np.int32)
        if len(points) == 1 or np.all(points == points[0]):
            cv2.circle(image, tuple(int(v) for v in points[0]), max(1, thickness * factor // 2),
                       colour, -1, cv2.LINE_AA, _SUBPIXEL_BITS)
            continue
        # OpenCV's thick anti-aliased lines have round ends, so consecutive
        # segments join smoothly like a real pen.
        cv2.polylines(image, [points.reshape(-1, 1, 2)], False, colour, thickness,
                      cv2.LINE_AA, _SUBPIXEL_BITS)
    return image


def fit_strokes(point_lists: Sequence[Sequence[Sequence[float]]], canvas_side: float,
                fill: float = 0.6, centre: tuple[float, float] = (0.5, 0.5),
                width: float = 16.0) -> list[Stroke]:
    """Place strokes from another coordinate system (a tablet, a file) on a
    square canvas: the drawing's longer side becomes `fill` of the canvas, its
    centre at `centre` (fractions of the canvas). Used to replay recorded digits."""
    all_points = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in point_lists])
    low, high = all_points.min(axis=0), all_points.max(axis=0)
    extent = max(float((high - low).max()), 1e-6)
    scale = fill * canvas_side / extent
    middle = (low + high) / 2
    target = np.asarray(centre) * canvas_side
    strokes = []
    for points in point_lists:
        placed = (np.asarray(points, np.float64).reshape(-1, 2) - middle) * scale + target
        strokes.append(Stroke([(float(x), float(y)) for x, y in placed], width))
    return strokes
