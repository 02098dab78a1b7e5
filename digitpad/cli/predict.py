"""`digitpad predict IMAGE...`: read the digit in image files.

The images go through the same preprocessing as the canvas, so a drawing
saved as a PNG and the same drawing on the pad give the same answer.
"""

from __future__ import annotations

import argparse
import sys

from digitpad.cli.output import EXIT_BAD_INPUT, one_line, print_json
from digitpad.drawing.imagefile import read_ink_image
from digitpad.errors import ImageError
from digitpad.figures import percent
from digitpad.recognizer import Recognizer, preprocess_version_warning


def predict_command(args: argparse.Namespace) -> int:
    recognizer = Recognizer.load(args.model)
    warning = preprocess_version_warning(recognizer.checkpoint)
    if warning:
        print(f"digitpad: warning: {warning}", file=sys.stderr)
    status = 0
    for path in args.images:
        try:
            prediction = recognizer.predict_ink(read_ink_image(path))
        except ImageError as error:
            # One bad file does not stop the others; the exit status tells.
            print(f"digitpad: error: {one_line(error)}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        if args.json:
            print_json({"file": str(path), **prediction.to_json()})
        elif prediction.digit is None:
            print(f"{one_line(path)}: no ink")
        else:
            note = "" if prediction.sure else f" (not sure: {prediction.reason})"
            print(f"{one_line(path)}: {prediction.digit} "
                  f"({percent(prediction.confidence, 1)}){note}")
    return status
