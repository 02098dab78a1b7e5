"""Single-image inference latency with the embedded model: preprocess + forward.

Replays pen-drawn digits (../shared/data/pendigits) into ink images first, then
times, per image, `preprocess` and the model's forward pass separately and
together, one image at a time as the Draw tab does. Prints p50 and p99.

    python bench/inference_latency.py [--images 1000] [--threads 1]
"""

from __future__ import annotations

import argparse
import time

import torch

from _common import PENDIGITS_FILE, machine, percentile, require
from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import fit_strokes, render_strokes
from digitpad.recognizer import Recognizer
from digitpad.training.pendigits import CANVAS, read_pendigits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (the Draw tab uses 1, leaving cores for the GUI)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    samples = read_pendigits(require(PENDIGITS_FILE, "pendigits"))[: args.images]
    inks = [render_strokes(fit_strokes(s.strokes, CANVAS, 0.7, width=16), (CANVAS, CANVAS))
            for s in samples]
    recognizer = Recognizer.load()
    print(f"Machine: {machine()}")
    print(f"Model: {recognizer.describe()}; {len(inks)} drawn digits, one at a time")
    for ink in inks[:20]:  # warm-up
        recognizer.predict(preprocess(ink))
    pre, forward, total = [], [], []
    for ink in inks:
        t0 = time.perf_counter()
        processed = preprocess(ink)
        t1 = time.perf_counter()
        recognizer.predict(processed)
        t2 = time.perf_counter()
        pre.append(t1 - t0)
        forward.append(t2 - t1)
        total.append(t2 - t0)
    for name, values in (("preprocess", pre), ("forward", forward), ("total", total)):
        print(f"{name:>10}: p50 {1000 * percentile(values, 50):.2f} ms, "
              f"p99 {1000 * percentile(values, 99):.2f} ms")


if __name__ == "__main__":
    main()
