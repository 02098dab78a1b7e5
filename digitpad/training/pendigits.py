"""Pen-drawn digits recorded as strokes (the UCI "pendigits" writers), replayed
through DigitPad's own drawing pipeline.

Used to measure how well the whole pipeline reads digits people really drew,
and optionally to train on some writers (keeping others out for measuring).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import fit_strokes, render_strokes
from digitpad.errors import SampleError
from trainer.files import refuse_special_file

CANVAS = 280.0
# Writer numbers are small (the data set has 30); this bounds a typo like 1-99999999.
MAX_WRITER = 10_000


@dataclass(frozen=True)
class PenDigit:
    label: int
    writer: int
    strokes: list  # list of point lists [[x, y], ...]


def read_pendigits(path: str | Path, writers: set[int] | None = None) -> list[PenDigit]:
    """Read the JSON-lines file; keep only `writers` if given."""
    path = Path(path)
    refuse_special_file(path, kind="a pendigits file", error=SampleError)
    samples = []
    try:
        with open(path, encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                    label, writer = int(value["label"]), int(value["writer"])
                    strokes = value["strokes"]
                    if not 0 <= label <= 9 or not strokes or not all(
                        len(s) and all(len(p) == 2 for p in s) for s in strokes
                    ):
                        raise ValueError("bad label or strokes")
                except (ValueError, KeyError, TypeError) as error:
                    raise SampleError(f"{path}, line {number}: not a pen digit ({error})") from None
                if writers is None or writer in writers:
                    samples.append(PenDigit(label, writer, strokes))
    except OSError as error:
        raise SampleError(f"{path}: cannot be read ({error.strerror or error})") from None
    return samples


def parse_writers(text: str) -> set[int]:
    """'1-24' or '1,3,5-7' → a set of writer numbers."""
    writers: set[int] = set()
    try:
        for part in text.split(","):
            low, _, high = part.strip().partition("-")
            first, last = int(low), int(high or low)
            if not 1 <= first <= last <= MAX_WRITER:
                raise ValueError
            writers.update(range(first, last + 1))
    except ValueError:
        raise SampleError(f"writers '{text}': expected numbers 1..{MAX_WRITER} and ranges "
                          f"like 1-24") from None
    return writers


def render_pendigit(sample: PenDigit, pen_width: float, fill: float,
                    centre: tuple[float, float] = (0.5, 0.5)) -> np.ndarray | None:
    """Replay one digit on a canvas and preprocess it as the Draw tab would."""
    return _drawn(sample.strokes, pen_width, fill, centre)


def _drawn(strokes: list, pen_width: float, fill: float,
           centre: tuple[float, float]) -> np.ndarray | None:
    """Tablet strokes fitted onto the canvas (`fill` of it, at `centre`), drawn with
    the pen and preprocessed as the Draw tab would: the 28×28 image, or None if empty."""
    fitted = fit_strokes(strokes, CANVAS, fill, centre, pen_width)
    processed = preprocess(render_strokes(fitted, (CANVAS, CANVAS)))
    return None if processed is None else processed.image


def training_images(samples: list[PenDigit], variants: int = 3,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Each sample rendered `variants` times with random pen widths and sizes,
    as uint8 (N, 28, 28) images and int64 labels, ready to join MNIST."""
    def draw(sample: PenDigit, rng: np.random.Generator) -> np.ndarray | None:
        fill = float(rng.uniform(0.3, 0.95))
        # Anywhere on the canvas, but never cut off at its edge.
        centre = tuple(rng.uniform(fill / 2, 1 - fill / 2, size=2))
        return render_pendigit(sample, float(rng.uniform(5, 30)), fill, centre)

    return _rendered(samples, variants, seed, draw)


def _rendered(samples: list[PenDigit], variants: int, seed: int,
              draw: Callable[[PenDigit, np.random.Generator], np.ndarray | None],
              ) -> tuple[np.ndarray, np.ndarray]:
    """`draw` each sample `variants` times (one random stream for all), as uint8
    (N, 28, 28) images and int64 labels; drawings that come out empty are left out."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for sample in samples:
        for _ in range(variants):
            image = draw(sample, rng)
            if image is not None:
                images.append(np.rint(image * 255).astype(np.uint8))
                labels.append(sample.label)
    return np.asarray(images, np.uint8).reshape(-1, 28, 28), np.asarray(labels, np.int64)


def varied_strokes(sample: PenDigit, rng: np.random.Generator) -> list:
    """The digit's strokes as another person might have drawn them: slanted,
    turned a little, narrower or wider, sampled more coarsely, a shakier hand."""
    slant, turn = rng.uniform(-0.35, 0.35), np.radians(rng.uniform(-10, 10))
    aspect = rng.uniform(0.8, 1.2)
    matrix = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]) @ \
        np.array([[aspect, slant], [0.0, 1.0]])
    keep_every = int(rng.choice([1, 1, 2, 3]))
    shake = rng.uniform(0, 4)  # tablet units, of a 500-unit writing box
    varied = []
    for stroke in sample.strokes:
        points = np.asarray(stroke, np.float64).reshape(-1, 2)
        if len(points) > 2 and keep_every > 1:  # keep both ends of the stroke
            points = np.concatenate([points[:-1:keep_every], points[-1:]])
        points = points @ matrix.T + rng.normal(0, shake, size=points.shape)
        varied.append(points.tolist())
    return varied


def varied_training_images(samples: list[PenDigit], variants: int = 5,
                           seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Like `training_images`, with more varied pens (thin to thick), sizes,
    slants, sampling rates and hands."""
    return _rendered(samples, variants, seed, _any_pen(varied_strokes))


def _any_pen(strokes_of: Callable[[PenDigit, np.random.Generator], list],
             ) -> Callable[[PenDigit, np.random.Generator], np.ndarray | None]:
    """Draw a digit's strokes as `strokes_of` varies them, at any size and place and
    with any pen from thin to thick (its width spread evenly on a log scale)."""
    def draw(sample: PenDigit, rng: np.random.Generator) -> np.ndarray | None:
        fill = float(rng.uniform(0.25, 0.95))
        centre = tuple(rng.uniform(fill / 2, 1 - fill / 2, size=2))
        width = float(np.exp(rng.uniform(np.log(4), np.log(34))))
        return _drawn(strokes_of(sample, rng), width, fill, centre)

    return draw


def thick_training_images(samples: list[PenDigit], variants: int = 2,
                          seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Like `varied_training_images`, but small digits drawn with a pen that is thick
    for their size (a fifth to two fifths of the digit's height): after preprocessing
    the strokes fill much of the digit, the hardest of the drawn conditions."""
    def draw(sample: PenDigit, rng: np.random.Generator) -> np.ndarray | None:
        fill = float(rng.uniform(0.2, 0.5))
        centre = tuple(rng.uniform(fill / 2, 1 - fill / 2, size=2))
        width = float(rng.uniform(0.2, 0.4)) * fill * CANVAS
        return _drawn(varied_strokes(sample, rng), width, fill, centre)

    return _rendered(samples, variants, seed, draw)


def bent_strokes(strokes: list, bend: np.ndarray) -> list:
    """The strokes with each axis of their box bent by t + a·t·(1 − t), a = `bend`
    (x, y): the box and the order of points along each axis stay (monotone for
    |a| < 1), but a > 0 widens the left or top part and narrows the other."""
    points = np.concatenate([np.asarray(stroke, np.float64).reshape(-1, 2)
                             for stroke in strokes])
    low, size = points.min(axis=0), np.maximum(np.ptp(points, axis=0), 1.0)
    bent = []
    for stroke in strokes:
        t = (np.asarray(stroke, np.float64).reshape(-1, 2) - low) / size
        bent.append((low + size * (t + bend * t * (1 - t))).tolist())
    return bent


def warped_strokes(sample: PenDigit, rng: np.random.Generator) -> list:
    """`varied_strokes` with the digit's proportions changed as well
    (`bent_strokes`), so a loop can come out smaller or larger beside its stem, a
    flag longer or shorter: people differ in these proportions more than a slant
    or a turn captures."""
    bent = bent_strokes(sample.strokes, rng.uniform(-0.6, 0.6, size=2))
    return varied_strokes(PenDigit(sample.label, sample.writer, bent), rng)


def warped_training_images(samples: list[PenDigit], variants: int = 2,
                           seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Like `varied_training_images`, with the proportions of `warped_strokes`."""
    return _rendered(samples, variants, seed, _any_pen(warped_strokes))


# The conditions bench/drawn_digits.py replays every digit under, with the pen width
# as a share of the pad's side: thin (8), normal (20) and thick (40) pens on the
# 400-unit pad, at small, normal and filling sizes in the centre, and a small
# digit with the normal pen in each of the four corners.
PEN_SHARES = {"thin": 0.02, "normal": 0.05, "thick": 0.1}
SIZES = {"small": 0.3, "normal": 0.6, "filling": 0.95}


def drawn_conditions() -> list[tuple[str, float, float, tuple[float, float]]]:
    """(name, pen width as a share of the pad, fill, centre) for each condition."""
    found = []
    for width_name, width in PEN_SHARES.items():
        for size_name, fill in SIZES.items():
            found.append((f"{width_name} pen, {size_name}, centre", width, fill, (0.5, 0.5)))
    edge = SIZES["small"] / 2 + 0.03
    for corner, centre in (("top left", (edge, edge)), ("top right", (1 - edge, edge)),
                           ("bottom left", (edge, 1 - edge)),
                           ("bottom right", (1 - edge, 1 - edge))):
        found.append((f"normal pen, small, {corner}", PEN_SHARES["normal"], SIZES["small"],
                      centre))
    return found


def condition_images(samples: list[PenDigit]) -> tuple[np.ndarray, np.ndarray]:
    """Every sample under every drawn condition, as float (N, 28, 28) and labels."""
    images, labels = [], []
    for _name, share, fill, centre in drawn_conditions():
        for sample in samples:
            image = render_pendigit(sample, share * CANVAS, fill, centre)
            if image is not None:
                images.append(image)
                labels.append(sample.label)
    return np.asarray(images, np.float32).reshape(-1, 28, 28), np.asarray(labels, np.int64)
