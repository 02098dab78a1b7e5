"""Drawings that are not a digit, made without new data, to teach and measure
"not a digit".

Families: letters and symbols from OpenCV's Hershey vector fonts (drawn with a
random pen and warped, so no two look alike), geometric shapes, doodles,
random scribbles, two or three pen-drawn digits side by side and crossed-out
digits. Shapes, doodles and scribbles are lists of strokes drawn through
DigitPad's own stroke renderer with jittered points and varied pens; every
drawing then goes through the same preprocessing as the pad.

Whole families are kept out of training (`HELD_OUT`) so that
bench/not_a_digit.py can say how well "not a digit" carries over to kinds of
drawing the model never saw. Shapes that are digits (an empty circle or
ellipse is a 0, a single stroke a 1) and letters that look like digits (O, I,
l, S, Z, B, b, g, q…) are left out on purpose.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import cv2
import numpy as np

from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import INK_SIDE, fit_strokes, render_strokes

Points = list[tuple[float, float]]
Rng = np.random.Generator

# Letters a digit could be read as are left out: O o Q D (0), I l i j J (1),
# Z z (2), S s (5), b G (6), T (7), B (8), g q a (9), and y, which some write as a 4.
LETTERS = "ACEFHKLMNPRUVWXYcdefhkmnprtuvwx"
SYMBOLS = "+#%&@*=~<>"
FONTS = {
    "simplex": cv2.FONT_HERSHEY_SIMPLEX,
    "plain": cv2.FONT_HERSHEY_PLAIN,
    "duplex": cv2.FONT_HERSHEY_DUPLEX,
    "complex": cv2.FONT_HERSHEY_COMPLEX,
    "script simplex": cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
    "italic": cv2.FONT_HERSHEY_SIMPLEX | cv2.FONT_ITALIC,
    "triplex": cv2.FONT_HERSHEY_TRIPLEX,
    "script complex": cv2.FONT_HERSHEY_SCRIPT_COMPLEX,
}


# -- drawing helpers ----------------------------------------------------------------


def _jitter(points: Points, rng: Rng, amount: float) -> Points:
    noise = rng.normal(0, amount, size=(len(points), 2))
    return [(x + dx, y + dy) for (x, y), (dx, dy) in zip(points, noise, strict=True)]


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float,
         steps: int = 40) -> Points:
    angles = np.linspace(start, end, steps)
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


def _polygon(corners: Sequence[tuple[float, float]], closed: bool = True) -> Points:
    points = list(corners) + ([corners[0]] if closed else [])
    dense: Points = []
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        for t in np.linspace(0, 1, 8, endpoint=False):
            dense.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    dense.append(points[-1])
    return dense


def _fill(cx: float, cy: float, radius: float, inside: Callable[[float, float], bool],
          rng: Rng) -> Points:
    """Back-and-forth strokes colouring a shape in, as a person fills one with a pen."""
    points: Points = []
    rows = int(rng.integers(10, 18))
    for row, y in enumerate(np.linspace(cy - radius, cy + radius, rows)):
        xs = [x for x in np.linspace(cx - radius, cx + radius, 40) if inside(x, y)]
        if xs:
            ends = (xs[0], xs[-1]) if row % 2 == 0 else (xs[-1], xs[0])
            points += [(ends[0], y), (ends[1], y)]
    return points


# -- shapes -------------------------------------------------------------------------


def filled_circle(rng: Rng) -> list[Points]:
    outline = _arc(0, 0, 1, 1, 0, 2 * math.pi)
    return [outline, _fill(0, 0, 0.95, lambda x, y: x * x + y * y <= 0.95, rng)]


def square(rng: Rng) -> list[Points]:
    aspect = rng.uniform(0.7, 1.4)
    return [_polygon([(-1, -aspect), (1, -aspect), (1, aspect), (-1, aspect)])]


def filled_square(rng: Rng) -> list[Points]:
    return square(rng) + [_fill(0, 0, 1, lambda x, y: abs(x) <= 1 and abs(y) <= 1, rng)]


def triangle(rng: Rng) -> list[Points]:
    top = rng.uniform(-0.6, 0.6)
    return [_polygon([(top, -1), (1, 1), (-1, 1)])]


def filled_triangle(rng: Rng) -> list[Points]:
    return triangle(rng) + [_fill(0, 0.1, 0.9, lambda x, y: abs(x) <= (y + 1) / 2, rng)]


def cross(rng: Rng) -> list[Points]:
    return [[(-1, -1), (1, 1)], [(1, -1), (-1, 1)]] if rng.random() < 0.5 else \
        [[(0, -1), (0, 1)], [(-1, 0), (1, 0)], [(-1, -1), (1, -1)]]


def zigzag(rng: Rng) -> list[Points]:
    teeth = int(rng.integers(5, 9))
    return [[(x, -0.5 if i % 2 else 0.5) for i, x in enumerate(np.linspace(-1, 1, teeth))]]


def wave(rng: Rng) -> list[Points]:
    periods = rng.uniform(2, 3.5)
    xs = np.linspace(-1, 1, 60)
    return [[(x, 0.4 * math.sin(periods * math.pi * x)) for x in xs]]


def grid(rng: Rng) -> list[Points]:
    lines = int(rng.integers(2, 4))
    at = np.linspace(-0.6, 0.6, lines)
    return [[(a, -1), (a, 1)] for a in at] + [[(-1, a), (1, a)] for a in at]


def star(rng: Rng) -> list[Points]:
    points = int(rng.choice([5, 5, 6]))
    corners = []
    for i in range(2 * points):
        radius = 1 if i % 2 == 0 else rng.uniform(0.35, 0.5)
        angle = -math.pi / 2 + i * math.pi / points
        corners.append((radius * math.cos(angle), radius * math.sin(angle)))
    return [_polygon(corners)]


def spiral(rng: Rng) -> list[Points]:
    turns = rng.uniform(2.2, 3.5)
    angles = np.linspace(0, turns * 2 * math.pi, 120)
    return [[(t / angles[-1] * math.cos(t), t / angles[-1] * math.sin(t)) for t in angles]]


def heart(rng: Rng) -> list[Points]:
    t = np.linspace(0, 2 * math.pi, 80)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [list(zip(x / 16, y / 16, strict=True))]


def cloud(rng: Rng) -> list[Points]:
    """A bumpy closed outline: a loop that is clearly no 0."""
    bumps = int(rng.integers(5, 9))
    t = np.linspace(0, 2 * math.pi, 30 * bumps)
    radius = 1 + 0.35 * np.abs(np.sin(bumps * t / 2))
    return [list(zip(radius * np.cos(t), 0.75 * radius * np.sin(t), strict=True))]


def teardrop(rng: Rng) -> list[Points]:
    """A closed outline with one sharp point, turned any way but upright."""
    t = np.linspace(0, 2 * math.pi, 60)
    x, y = np.sin(t) * np.sin(t / 2) ** rng.uniform(2, 3.5), -np.cos(t)
    turn = rng.uniform(0.5, 1.5) * math.pi * rng.choice([-1, 1])
    return [[(float(a * math.cos(turn) - b * math.sin(turn)),
              float(a * math.sin(turn) + b * math.cos(turn))) for a, b in zip(x, y, strict=True)]]


def crescent(rng: Rng) -> list[Points]:
    outer = _arc(0, 0, 1, 1, 0.5 * math.pi, 1.5 * math.pi)
    inner = _arc(-0.35, 0, 0.7, 0.85, 1.5 * math.pi, 0.5 * math.pi)
    return [outer + inner]


def arrow(rng: Rng) -> list[Points]:
    """A sideways arrow (an upright one could be a 1)."""
    tip = 1.0 if rng.random() < 0.5 else -1.0
    return [[(-tip, rng.uniform(-0.3, 0.3)), (tip, 0.0)],
            [(tip * 0.5, -0.45), (tip, 0.0), (tip * 0.5, 0.45)]]


# -- doodles ------------------------------------------------------------------------


def smiley(rng: Rng) -> list[Points]:
    eye = rng.uniform(0.06, 0.12)
    return [_arc(0, 0, 1, 1, 0, 2 * math.pi), _arc(-0.35, -0.3, eye, eye, 0, 2 * math.pi, 12),
            _arc(0.35, -0.3, eye, eye, 0, 2 * math.pi, 12),
            _arc(0, 0.05, 0.55, rng.uniform(0.3, 0.5), 0.15 * math.pi, 0.85 * math.pi)]


def house(rng: Rng) -> list[Points]:
    return [_polygon([(-1, 0), (1, 0), (1, 1.2), (-1, 1.2)]),
            _polygon([(-1.1, 0), (0, -1), (1.1, 0)], closed=False),
            _polygon([(-0.2, 1.2), (-0.2, 0.6), (0.2, 0.6), (0.2, 1.2)], closed=False)]


def stick_figure(rng: Rng) -> list[Points]:
    return [_arc(0, -0.75, 0.25, 0.25, 0, 2 * math.pi, 24), [(0, -0.5), (0, 0.4)],
            [(-0.5, -0.2), (0, -0.3), (0.5, -0.2)], [(-0.4, 1), (0, 0.4), (0.4, 1)]]


def flower(rng: Rng) -> list[Points]:
    petals = int(rng.integers(5, 8))
    strokes = [_arc(0, 0, 0.2, 0.2, 0, 2 * math.pi, 16)]
    for i in range(petals):
        angle = 2 * math.pi * i / petals
        cx, cy = 0.5 * math.cos(angle), 0.5 * math.sin(angle)
        strokes.append(_arc(cx, cy, 0.28, 0.28, 0, 2 * math.pi, 20))
    return strokes


def sun(rng: Rng) -> list[Points]:
    rays = int(rng.integers(6, 11))
    strokes = [_arc(0, 0, 0.45, 0.45, 0, 2 * math.pi)]
    for i in range(rays):
        angle = 2 * math.pi * i / rays
        strokes.append([(0.6 * math.cos(angle), 0.6 * math.sin(angle)),
                        (1.0 * math.cos(angle), 1.0 * math.sin(angle))])
    return strokes


# -- scribbles ----------------------------------------------------------------------


def scribble(rng: Rng) -> list[Points]:
    """A random walk that turns often: what a child or an impatient user draws."""
    steps = int(rng.integers(20, 45))
    heading, point = rng.uniform(0, 2 * math.pi), np.zeros(2)
    points = [tuple(point)]
    for _ in range(steps):
        heading += rng.normal(0, 1.4)
        point = np.clip(point + 0.35 * np.array([math.cos(heading), math.sin(heading)]), -1, 1)
        points.append((float(point[0]), float(point[1])))
    return [points]


def loops(rng: Rng) -> list[Points]:
    """A row of cursive loops, like "eeee" or a spring."""
    count = int(rng.integers(3, 6))
    t = np.linspace(0, count * 2 * math.pi, 40 * count)
    return [[(0.25 * tt / math.pi - count / 4 + 0.3 * math.cos(tt), 0.5 * math.sin(tt))
             for tt in t]]


# -- letters ------------------------------------------------------------------------


def _text_ink(text: str, font: int, rng: Rng) -> np.ndarray:
    """Hershey text drawn with a random pen, then warped (rotation, shear, aspect)."""
    image = np.zeros((INK_SIDE, INK_SIDE), np.uint8)
    thickness = int(rng.integers(2, 14))
    scale = 4.0
    (width, height), _ = cv2.getTextSize(text, font, scale, thickness)
    scale *= rng.uniform(0.25, 0.85) * INK_SIDE / max(width, height, 1)
    (width, height), baseline = cv2.getTextSize(text, font, scale, thickness)
    thickness = max(1, int(thickness * scale / 4.0 * rng.uniform(0.7, 1.6)))
    origin = (int((INK_SIDE - width) / 2), int((INK_SIDE + height) / 2))
    cv2.putText(image, text, origin, font, scale, 255, thickness, cv2.LINE_AA)
    angle = rng.uniform(-15, 15)
    matrix = cv2.getRotationMatrix2D((INK_SIDE / 2, INK_SIDE / 2), angle, 1.0)
    matrix[0, 1] += rng.uniform(-0.25, 0.25)
    matrix[1, 1] *= rng.uniform(0.85, 1.15)
    return cv2.warpAffine(image, matrix, (INK_SIDE, INK_SIDE))


def letter_family(font: int) -> Callable[[Rng], np.ndarray]:
    def draw(rng: Rng) -> np.ndarray:
        length = 1 if rng.random() < 0.8 else int(rng.integers(2, 4))
        return _text_ink("".join(rng.choice(list(LETTERS), length)), font, rng)
    return draw


def symbols(rng: Rng) -> np.ndarray:
    font = FONTS["simplex"] if rng.random() < 0.5 else FONTS["duplex"]
    return _text_ink(str(rng.choice(list(SYMBOLS))), font, rng)


# -- digits that are not one digit ----------------------------------------------------


def _digit_strokes(sample, x0: float, rng: Rng) -> list[Points]:
    """A pen digit scaled to height 2, its left edge at x0."""
    points = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in sample.strokes])
    low, high = points.min(0), points.max(0)
    scale = 2 / max(high[1] - low[1], 1e-6) * rng.uniform(0.85, 1.1)
    return [[(x0 + (x - low[0]) * scale, (y - low[1]) * scale - 1) for x, y in stroke]
            for stroke in sample.strokes]


def digits_side_by_side(samples: Sequence, rng: Rng) -> list[Points]:
    strokes: list[Points] = []
    x = 0.0
    for _ in range(2 if rng.random() < 0.8 else 3):
        sample = samples[int(rng.integers(len(samples)))]
        placed = _digit_strokes(sample, x, rng)
        strokes += placed
        x = max(px for stroke in placed for px, _ in stroke) + rng.uniform(0.15, 0.6)
    return strokes


def crossed_out_digit(samples: Sequence, rng: Rng) -> list[Points]:
    strokes = _digit_strokes(samples[int(rng.integers(len(samples)))], 0.0, rng)
    points = np.concatenate([np.asarray(s) for s in strokes])
    (x0, y0), (x1, y1) = points.min(0), points.max(0)
    # As wide as most of its height: a narrow X over a 1 would be an hourglass, like an 8.
    half = max((x1 - x0) / 2, 0.4 * (y1 - y0) * rng.uniform(1, 1.4))
    x0, x1 = (x0 + x1) / 2 - half, (x0 + x1) / 2 + half
    if rng.random() < 0.5:  # an X over it
        return strokes + [[(x0, y0), (x1, y1)], [(x1, y0), (x0, y1)]]
    rows = int(rng.integers(4, 8))  # or scribbled over, back and forth
    ys = np.linspace(y0, y1, rows)
    zig = [(x0 if i % 2 == 0 else x1, float(y) + rng.normal(0, 0.05)) for i, y in enumerate(ys)]
    return strokes + [zig]


# -- the families -------------------------------------------------------------------

STROKE_FAMILIES: dict[str, Callable[[Rng], list[Points]]] = {
    "filled circle": filled_circle, "square": square, "filled square": filled_square,
    "triangle": triangle, "cross": cross, "zigzag": zigzag, "wave": wave, "grid": grid,
    "smiley": smiley, "house": house, "stick figure": stick_figure, "flower": flower,
    "scribble": scribble, "cloud": cloud, "teardrop": teardrop, "crescent": crescent,
    "arrow": arrow,
    # held out:
    "star": star, "spiral": spiral, "heart": heart, "filled triangle": filled_triangle,
    "sun": sun, "loops": loops,
}
INK_FAMILIES: dict[str, Callable[[Rng], np.ndarray]] = {
    **{f"letters ({name})": letter_family(font) for name, font in FONTS.items()},
    "symbols": symbols,
}
DIGIT_FAMILIES = {"digits side by side": digits_side_by_side,
                  "crossed-out digit": crossed_out_digit}
FAMILIES = (*STROKE_FAMILIES, *INK_FAMILIES, *DIGIT_FAMILIES)
# Never trained on: how well "not a digit" carries over to new kinds of drawing.
HELD_OUT = ("star", "spiral", "heart", "filled triangle", "sun", "loops",
            "letters (triplex)", "letters (script complex)")
TRAINING = tuple(name for name in FAMILIES if name not in HELD_OUT)


def draw_ink(family: str, rng: Rng, digits: Sequence = ()) -> np.ndarray:
    """One drawing of `family` as a INK_SIDE² ink image; `digits` (pen digits) are
    needed for the families made of digits."""
    if family in INK_FAMILIES:
        return INK_FAMILIES[family](rng)
    if family in DIGIT_FAMILIES:
        if not digits:
            raise ValueError(f"'{family}' needs pen-drawn digits")
        point_lists = DIGIT_FAMILIES[family](digits, rng)
    else:
        point_lists = STROKE_FAMILIES[family](rng)
    side = 400.0
    fill = rng.uniform(0.3, 0.95)
    centre = tuple(rng.uniform(fill / 2, 1 - fill / 2, size=2))
    width = float(rng.uniform(5, 40))
    strokes = fit_strokes(point_lists, side, fill, centre, width)
    wobble = rng.uniform(0, 0.012) * side
    for stroke in strokes:
        stroke.points = _jitter(stroke.points, rng, wobble)
    return render_strokes(strokes, (side, side))


def negative_images(count: int, families: Sequence[str] = TRAINING, seed: int = 0,
                    digits: Sequence = ()) -> tuple[np.ndarray, list[str]]:
    """`count` not-a-digit drawings spread evenly over `families`, preprocessed like
    the pad's: uint8 (N, 28, 28) and the family of each."""
    rng = np.random.default_rng(seed)
    usable = [f for f in families if f not in DIGIT_FAMILIES or digits]
    images, names = [], []
    for i in range(count):
        family = usable[i % len(usable)]
        processed = preprocess(draw_ink(family, rng, digits))
        if processed is not None:
            images.append(np.rint(processed.image * 255).astype(np.uint8))
            names.append(family)
    return np.asarray(images, np.uint8).reshape(-1, 28, 28), names
