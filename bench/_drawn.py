"""What the drawing benchmarks share: the pen digits of writers the model never
saw, replayed on the real Canvas widget under the 13 conditions, and the
verdicts a model gives them, read in batches."""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path

import numpy as np

from _common import PENDIGITS_FILE, require
from digitpad.drawing.preprocess import PREPROCESS_VERSION, preprocess
from digitpad.drawing.strokes import fit_strokes, render_strokes
from digitpad.recognizer import Recognizer
from digitpad.training.pendigits import drawn_conditions, parse_writers, read_pendigits


def condition_sets(writers: str = "25-30") -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(condition, images float (N, 28, 28), labels) for each of the 13 conditions,
    replayed on the Canvas exactly as the Draw tab reads them. Kept in the temporary
    folder between runs (keyed by the data, writers and preprocessing version)."""
    source = require(PENDIGITS_FILE, "pendigits")
    key = hashlib.sha256(f"{source.stat().st_size}:{writers}:{PREPROCESS_VERSION}:2"
                         .encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"digitpad-drawn-{key}.npz"
    names = [name for name, *_ in drawn_conditions()]
    if cache.exists():
        data = np.load(cache)
        return [(name, data[f"images{i}"], data[f"labels{i}"]) for i, name in enumerate(names)]
    from PySide6.QtWidgets import QApplication

    from digitpad.ui.draw.canvas import DRAWING_SIDE, Canvas

    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    canvas.resize(420, 420)
    samples = read_pendigits(source, parse_writers(writers))
    found = []
    for name, share, fill, centre in drawn_conditions():
        images, labels = [], []
        for sample in samples:
            canvas.set_strokes(fit_strokes(sample.strokes, DRAWING_SIDE, fill, centre,
                                           share * DRAWING_SIDE))
            processed = preprocess(render_strokes(canvas.strokes(), canvas.canvas_size()))
            images.append(processed.image if processed is not None else np.zeros((28, 28)))
            labels.append(sample.label)
        found.append((name, np.asarray(images, np.float32), np.asarray(labels, np.int64)))
        app.processEvents()
    np.savez_compressed(cache, **{f"images{i}": images for i, (_, images, _) in enumerate(found)},
                        **{f"labels{i}": labels for i, (_, _, labels) in enumerate(found)})
    return found


def writers_of(writers: str = "25-30") -> np.ndarray:
    """The writer of each digit, in the order of condition_sets' images."""
    samples = read_pendigits(require(PENDIGITS_FILE, "pendigits"), parse_writers(writers))
    return np.asarray([sample.writer for sample in samples], np.int64)


def readings(recognizer: Recognizer, images: np.ndarray) -> dict[str, np.ndarray]:
    """The digit read, its probability, and the verdict flags, for many images at once
    (the same thresholds as Recognizer.predict)."""
    digits, rejections = [], []
    for start in range(0, len(images), 2000):
        p, r = recognizer.read(images[start:start + 2000])
        digits.append(p)
        rejections.append(r)
    probabilities = np.concatenate(digits)
    rejection = np.concatenate(rejections)
    sure, rejection_level = recognizer.thresholds()
    digit = probabilities.argmax(1)
    confidence = probabilities.max(1)
    not_a_digit = rejection >= rejection_level
    return {"digit": digit, "confidence": confidence, "probabilities": probabilities,
            "not_a_digit": not_a_digit, "unsure": ~not_a_digit & (confidence < sure),
            "sure": ~not_a_digit & (confidence >= sure)}


def models_to_compare(model: str | None, baseline: str | None) -> list[tuple[str, Recognizer]]:
    """[("baseline", …), ("model", …)], or just the model when no baseline is given."""
    found = []
    if baseline:
        found.append(("baseline", Recognizer.load(baseline)))
    found.append(("model", Recognizer.load(model)))
    return found


def comparison_arguments(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The options every drawing benchmark takes (a model, a baseline beside it, the
    writers, torch threads), parsed, with the threads applied."""
    import torch

    parser.add_argument("--model", default=None, help="the model to measure (default: built-in)")
    parser.add_argument("--baseline", default=None,
                        help="a model to measure beside it in the same run")
    parser.add_argument("--writers", default="25-30", help="writers to test (never trained on)")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    return args
