"""`digitpad predict IMAGE...`: read the digit in image files.

The images go through the same preprocessing as the canvas, so a drawing
saved as a PNG and the same drawing on the pad give the same answer.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from digitpad.cli.output import EXIT_BAD_INPUT, one_line, print_json
from digitpad.drawing.imagefile import read_ink_image
from digitpad.errors import ImageError
from digitpad.figures import percent
from digitpad.numpy_recognizer import NumpyRecognizer
from digitpad.reading import (
    EMPTY_VERDICT,
    NOT_A_DIGIT,
    UNSURE,
    BaseRecognizer,
    Prediction,
    preprocess_version_warning,
)
from digitpad.resources import embedded_model_path
from trainer.errors import CheckpointError

T = TypeVar("T")


def predict_command(args: argparse.Namespace) -> int:
    return read_images(args, BaseRecognizer.predict_ink, Prediction.to_json, reading_line)


def read_images(args: argparse.Namespace, read: Callable[[BaseRecognizer, np.ndarray], T],
                to_json: Callable[[T], dict], line: Callable[[T], str]) -> int:
    """Read each of `args.images` with `read` and print what it found, as JSON or as
    one line per file; a bad file is one line on stderr and exit status 2, and
    the other files are still read. Shared by `predict` and `predict --number`. The
    model is read with NumPy where it can be: torch would take a second to import."""
    recognizer = quickest_recognizer(args.model)
    warning = preprocess_version_warning(recognizer.checkpoint)
    if warning:
        print(f"digitpad: warning: {warning}", file=sys.stderr)
    status = 0
    for path in args.images:
        try:
            result = read(recognizer, read_ink_image(path))
        except ImageError as error:
            # One bad file does not stop the others; the exit status tells.
            print(f"digitpad: error: {one_line(error)}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        if args.json:
            print_json({"file": str(path), **to_json(result)})
        else:
            print(f"{one_line(path)}: {line(result)}")
    return status


def quickest_recognizer(path: str | Path | None = None) -> BaseRecognizer:
    """A recognizer for the model file at `path` (None: the built-in model): with NumPy
    if it can read it, else with torch (which raises CheckpointError if the file is bad)."""
    path = path or embedded_model_path()
    try:
        return NumpyRecognizer.load(path)
    except (CheckpointError, ImportError):
        from digitpad.recognizer import Recognizer

        return Recognizer.load(path)


def reading_line(prediction: Prediction) -> str:
    """The verdict in a few words: "7 (98.1 %)", "unsure: 7 (55 %) or 1 (40 %)",
    "not a digit", "no ink"."""
    if prediction.verdict == EMPTY_VERDICT:
        return "no ink"
    if prediction.verdict == NOT_A_DIGIT:
        return "not a digit"
    if prediction.verdict == UNSURE:
        second = prediction.runner_up
        return (f"unsure: {prediction.digit} ({percent(prediction.confidence, 0)}) or "
                f"{second} ({percent(prediction.probabilities[second], 0)})")
    return f"{prediction.digit} ({percent(prediction.confidence, 1)})"
