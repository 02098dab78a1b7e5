"""Pen-drawn digits recorded as strokes (the UCI "pendigits" writers), replayed
through DigitPad's own drawing pipeline.

Used to measure how well the whole pipeline reads digits people really drew,
and optionally to train on some writers (keeping others out for measuring).
"""

from __future__ import annotations

import json
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
    strokes = fit_strokes(sample.strokes, CANVAS, fill, centre, pen_width)
    processed = preprocess(render_strokes(strokes, (CANVAS, CANVAS)))
    return None if processed is None else processed.image


def training_images(samples: list[PenDigit], variants: int = 3,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Each sample rendered `variants` times with random pen widths and sizes,
    as uint8 (N, 28, 28) images and int64 labels, ready to join MNIST."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for sample in samples:
        for _ in range(variants):
            fill = float(rng.uniform(0.3, 0.95))
            # Anywhere on the canvas, but never cut off at its edge.
            centre = tuple(rng.uniform(fill / 2, 1 - fill / 2, size=2))
            image = render_pendigit(sample, float(rng.uniform(5, 30)), fill, centre)
            if image is not None:
                images.append(np.rint(image * 255).astype(np.uint8))
                labels.append(sample.label)
    return np.asarray(images, np.uint8).reshape(-1, 28, 28), np.asarray(labels, np.int64)
