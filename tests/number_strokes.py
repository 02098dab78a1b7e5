"""Hand-made digits as pen strokes, for the number-reading tests: each digit
drawn the way a person writes it, placed by its top-left corner and height."""

from __future__ import annotations

import math

from digitpad.drawing.strokes import Stroke

PEN = 14.0


def digit(value: int, x: float, y: float, height: float = 120.0,
          pen: float = PEN) -> list[Stroke]:
    """The strokes of one digit (0, 1, 2, 4 or 7) with its box's top-left at (x, y)."""
    w = 0.6 * height

    def at(points: list[tuple[float, float]]) -> Stroke:
        return Stroke([(x + u * w, y + v * height) for u, v in points], pen)

    if value == 0:
        ring = [(0.5 + 0.5 * math.sin(t), 0.5 - 0.5 * math.cos(t))
                for t in (2 * math.pi * i / 40 for i in range(41))]
        return [at(ring)]
    if value == 1:
        return [at([(0.3, 0.15), (0.55, 0.0), (0.55, 0.5), (0.55, 1.0)])]
    if value == 2:
        arc = [(0.5 - 0.45 * math.cos(t), 0.3 - 0.3 * math.sin(t))
               for t in (math.pi * i / 12 for i in range(13))]
        return [at([*arc[:-3], (0.6, 0.55), (0.0, 1.0), (1.0, 1.0)])]
    if value == 4:
        return [at([(0.6, 0.0), (0.0, 0.65), (1.0, 0.65)]), at([(0.7, 0.3), (0.7, 1.0)])]
    if value == 7:
        return [at([(0.0, 0.0), (1.0, 0.0), (0.35, 1.0)])]
    raise ValueError(f"no hand-made {value}")


def dot(x: float, y: float, pen: float = PEN) -> list[Stroke]:
    return [Stroke([(x, y)], pen)]


def number(digits: str, x: float = 40.0, y: float = 60.0, height: float = 120.0,
           gap: float = 0.25) -> list[Stroke]:
    """A row of digits, `gap` (a share of the height) between their boxes."""
    strokes: list[Stroke] = []
    for value in digits:
        strokes += digit(int(value), x, y, height)
        x += 0.6 * height + gap * height
    return strokes
