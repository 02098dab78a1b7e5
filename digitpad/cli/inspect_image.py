"""`digitpad inspect IMAGE --out DIR`: what every layer of the network makes of a drawing.

Writes the 28×28 image the network sees, one picture per layer with its
outputs tiled, the first convolution's kernels, the saliency of the answer
(brighter: that ink mattered more) and inspect.json with the answer and the
layers; prints the layers as a readable table.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import cv2
import numpy as np

from digitpad.cli.predict import reading_line
from digitpad.drawing.imagefile import read_ink_image
from digitpad.drawing.preprocess import preprocess
from digitpad.errors import ImageError, OutputError
from digitpad.figures import percent
from digitpad.inside.pictures import (
    influence,
    kernels_picture,
    layer_picture,
    picture_scale,
    to_uint8,
)
from digitpad.reading import NOT_A_DIGIT, Prediction
from digitpad.recognizer import Recognizer
from trainer.files import atomic_write

SALIENCY_SCALE = 10  # saliency.png is 280×280: ten screen pixels per input pixel


def inspect_command(args: argparse.Namespace) -> int:
    recognizer = Recognizer.load(args.model)
    processed = preprocess(read_ink_image(args.image))
    if processed is None:
        raise ImageError(f"{args.image}: no ink found, nothing to inspect")
    out = prepare_folder(args.out)
    prediction, seen = recognizer.inspect(processed, saliency_for="answer")
    write_png(out / "input.png", to_uint8(processed.image))
    for number, layer in enumerate(seen.layers, 1):
        picture = layer_picture(seen.activations[layer.name])
        write_png(out / f"{number:02d}-{safe_name(layer.name)}.png",
                  to_uint8(picture, picture_scale(picture)))
    if seen.kernels is not None:
        picture = kernels_picture(seen.kernels)
        write_png(out / "kernels.png", to_uint8(picture, picture_scale(picture)))
    if seen.saliency is not None:
        write_png(out / "saliency.png", to_uint8(influence(seen.saliency), SALIENCY_SCALE))
    report = {**prediction.to_json(), "saliency_for": seen.saliency_for,
              "model": recognizer.describe(),
              "layers": [layer.to_json() for layer in seen.layers]}
    atomic_write(out / "inspect.json", (json.dumps(report, indent=1) + "\n").encode(),
                 error=OutputError)
    print(f"Model: {recognizer.describe()}")
    print(f"Answer: {answer_line(prediction)}\n")
    print(layer_table(seen.layers))
    print(f"\nWrote {len(seen.layers) + 4} files to {out}")
    return 0


def answer_line(prediction: Prediction) -> str:
    """The verdict as `predict` gives it; for "not a digit" also the digit the maps and
    the saliency are about, the nearest one."""
    if prediction.verdict == NOT_A_DIGIT and prediction.digit is not None:
        return (f"not a digit ({percent(prediction.not_a_digit, 0)} sure); nearest digit "
                f"{prediction.digit} ({percent(prediction.confidence, 1)})")
    return reading_line(prediction)


def layer_table(layers) -> str:
    """The layers as the tutorial prints the model, with shapes, sizes and a sentence each."""
    lines = [f"{'#':>3}  {'layer':<16}{'kind':<12}{'output':<14}{'parameters':>11}"]
    for number, layer in enumerate(layers, 1):
        shape = "×".join(str(n) for n in layer.shape)
        lines.append(f"{number:>3}  {layer.name:<16}{layer.kind:<12}{shape:<14}"
                     f"{layer.parameters:>11,}")
        lines.append(f"     {layer.sentence}")
    return "\n".join(lines)


def prepare_folder(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{path}: cannot create the folder ({error.strerror})") from None
    return path


def safe_name(name: str) -> str:
    """A module name as a file name part (module names are identifiers and dots)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "layer"


def write_png(path: Path, pixels: np.ndarray) -> None:
    ok, encoded = cv2.imencode(".png", pixels)
    if not ok:
        raise OutputError(f"{path}: the picture could not be encoded")
    atomic_write(path, encoded.tobytes(), error=OutputError)
