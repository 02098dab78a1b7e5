"""How well the whole drawing pipeline reads digits people really drew.

Replays the pen-drawn digits of ../shared/data/pendigits on the real Canvas
widget (offscreen) through its stroke API, at several pen widths (thin,
normal, thick), sizes (small, normal, filling the canvas) and positions
(centre, the four corners), renders what the canvas holds, preprocesses it and
asks the embedded model — exactly the Draw tab's path. Prints accuracy overall,
per condition and per digit, and the confusion matrix.

Only writers the model never saw count: the embedded model was trained on
writers 1-24, so the default is writers 25-30.
Goal: ≥ 98.5 % overall and no condition below 97 %.

    python bench/drawn_digits.py [--writers 25-30] [--model PATH]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from _common import PENDIGITS_FILE, machine, require  # noqa: E402
from digitpad.cli.evaluate import format_confusion  # noqa: E402
from digitpad.drawing.preprocess import preprocess  # noqa: E402
from digitpad.drawing.strokes import fit_strokes, render_strokes  # noqa: E402
from digitpad.recognizer import Recognizer  # noqa: E402
from digitpad.training.pendigits import parse_writers, read_pendigits  # noqa: E402
from digitpad.ui.draw.canvas import DRAWING_SIDE, Canvas  # noqa: E402

WIDTHS = {"thin": 8.0, "normal": 20.0, "thick": 40.0}
SIZES = {"small": 0.3, "normal": 0.6, "filling": 0.95}


def conditions() -> list[tuple[str, float, float, tuple[float, float]]]:
    """(name, pen width, fill, centre): every width × size at the centre, and
    the four corners for a small digit drawn with the normal pen."""
    found = []
    for width_name, width in WIDTHS.items():
        for size_name, fill in SIZES.items():
            found.append((f"{width_name} pen, {size_name}, centre", width, fill, (0.5, 0.5)))
    edge = SIZES["small"] / 2 + 0.03
    for corner, centre in (("top left", (edge, edge)), ("top right", (1 - edge, edge)),
                           ("bottom left", (edge, 1 - edge)),
                           ("bottom right", (1 - edge, 1 - edge))):
        found.append((f"normal pen, small, {corner}", WIDTHS["normal"], SIZES["small"], centre))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="25-30", help="writers to test (never trained on)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    canvas.resize(420, 420)
    recognizer = Recognizer.load(args.model)
    samples = read_pendigits(require(PENDIGITS_FILE, "pendigits"), parse_writers(args.writers))
    print(f"Machine: {machine()}")
    print(f"Model: {recognizer.describe()}")
    print(f"Digits: {len(samples)} by writers {args.writers}, replayed on the Canvas "
          f"({DRAWING_SIDE:.0f}×{DRAWING_SIDE:.0f} drawing units)\n")

    confusion = np.zeros((10, 10), np.int64)
    per_condition = []
    started = time.perf_counter()
    for name, width, fill, centre in conditions():
        correct = 0
        for sample in samples:
            canvas.set_strokes(fit_strokes(sample.strokes, DRAWING_SIDE, fill, centre, width))
            ink = render_strokes(canvas.strokes(), canvas.canvas_size())
            prediction = recognizer.predict(preprocess(ink))
            digit = -1 if prediction.digit is None else prediction.digit
            if digit >= 0:
                confusion[sample.label, digit] += 1
            correct += digit == sample.label
        per_condition.append((name, correct / len(samples)))
        app.processEvents()
    seconds = time.perf_counter() - started

    total = sum(len(samples) for _ in per_condition)
    overall = np.trace(confusion) / total
    print("Accuracy per condition:")
    for name, accuracy in per_condition:
        flag = "" if accuracy >= 0.97 else "   <-- below 97 %"
        print(f"  {name:<36} {100 * accuracy:6.2f} %{flag}")
    print("\nAccuracy per digit:")
    for digit in range(10):
        row = confusion[digit]
        print(f"  {digit}: {100 * row[digit] / max(row.sum(), 1):6.2f} %")
    print("\nConfusion matrix (all conditions):")
    print(format_confusion(confusion.tolist()))
    worst = min(per_condition, key=lambda item: item[1])
    print(f"\nOverall: {100 * overall:.2f} % of {total:,} readings "
          f"({len(per_condition)} conditions × {len(samples)} digits) in {seconds:.0f} s")
    print(f"Worst condition: {worst[0]} at {100 * worst[1]:.2f} %")
    print(f"Goals: overall >= 98.5 % ({'met' if overall >= 0.985 else 'NOT met'}), "
          f"no condition below 97 % ({'met' if worst[1] >= 0.97 else 'NOT met'})")


if __name__ == "__main__":
    main()
