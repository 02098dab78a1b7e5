"""Single-image inference latency with the embedded model: preprocess + forward.

Replays pen-drawn digits (../shared/data/pendigits) into ink images first, then
times, per image, `preprocess` and the Recognizer's reading separately and
together, one image at a time as the Draw tab does. Prints p50 and p99.

Beside it, in alternating rounds of the same run, the baseline: `preprocess`
as commit --baseline had it (before its fast paths) and the model as trained,
read directly (before BatchNorm was folded and the weights made channels-last).
Each round gives both p50s; the ratio is taken within the round and its median
printed, since this machine's speed drifts. The two must read every drawing the
same way (checked: same digit, probabilities within 1e-5).

    python bench/inference_latency.py [--images 1000] [--rounds 5] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from _common import (
    BASELINE,
    PENDIGITS_FILE,
    machine,
    module_at,
    paired_ratio,
    percentile,
    require,
)
from digitpad.drawing.preprocess import preprocess, preprocess_in_one_thread
from digitpad.drawing.strokes import fit_strokes, render_strokes
from digitpad.reading import judge
from digitpad.recognizer import Recognizer
from digitpad.training.pendigits import CANVAS, read_pendigits
from trainer.calibration import digit_probabilities, not_a_digit_probability


def baseline_reader(recognizer: Recognizer):
    """predict() as it was: the trained model itself, BatchNorm and all."""
    checkpoint = recognizer.checkpoint
    thresholds = recognizer.thresholds()

    def predict(processed):
        batch = torch.from_numpy(np.ascontiguousarray(processed.image[None], np.float32))
        with torch.inference_mode():
            logits = checkpoint.model(batch.view(-1, 1, 28, 28))
            probabilities = digit_probabilities(logits, checkpoint).numpy()
            rejection = not_a_digit_probability(logits, checkpoint).numpy()
        return judge(probabilities[0], float(rejection[0]), processed.image, *thresholds)
    return predict


def timed(inks, prepare, predict, clock) -> tuple[list[float], list[float], list[float]]:
    pre, forward, total = [], [], []
    for ink in inks:
        t0 = clock()
        processed = prepare(ink)
        t1 = clock()
        predict(processed)
        t2 = clock()
        pre.append(t1 - t0)
        forward.append(t2 - t1)
        total.append(t2 - t0)
    return pre, forward, total


# Wall-clock time is what a user waits; this thread's processor time is the work
# itself, which other programs on a busy machine cannot inflate by taking the
# processor away (with one torch thread, all the work is on this thread).
CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (the Draw tab uses 1, leaving cores for the GUI); "
                             "with 1, OpenCV is also kept to one thread, as in the Draw tab")
    parser.add_argument("--baseline", default=BASELINE, help="commit of the baseline preprocess")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.threads == 1:  # for the baseline too: the ratio is not flattered by it
        preprocess_in_one_thread()
    samples = read_pendigits(require(PENDIGITS_FILE, "pendigits"))[: args.images]
    inks = [render_strokes(fit_strokes(s.strokes, CANVAS, 0.7, width=16), (CANVAS, CANVAS))
            for s in samples]
    recognizer = Recognizer.load()
    old_preprocess = module_at(args.baseline, "digitpad/drawing/preprocess.py").preprocess
    contenders = {"now": (preprocess, recognizer.predict),
                  "baseline": (old_preprocess, baseline_reader(recognizer))}
    print(f"Machine: {machine()}")
    print(f"Model: {recognizer.describe()}; {len(inks)} drawn digits, one at a time, "
          f"{args.rounds} rounds; baseline: preprocess at {args.baseline[:8]}, model unfused")

    worst = 0.0
    for ink in inks:  # the same readings, and warm-up
        now, before = (predict(prepare(ink)) for prepare, predict in contenders.values())
        if now.digit != before.digit:
            raise SystemExit("the fast path reads a drawing differently from the baseline")
        worst = max(worst, float(np.abs(np.subtract(now.probabilities,
                                                    before.probabilities)).max()))
    print(f"Same digit for all {len(inks)} drawings; largest probability difference "
          f"{worst:.1e}")

    p50 = {(name, clock): {"preprocess": [], "forward": [], "total": []}
           for name in contenders for clock in CLOCKS}
    p99 = {(name, clock): [] for name in contenders for clock in CLOCKS}
    for round_number in range(args.rounds):
        names = list(contenders) if round_number % 2 == 0 else list(reversed(contenders))
        for clock in CLOCKS:
            for name in names:
                pre, forward, total = timed(inks, *contenders[name], CLOCKS[clock])
                for part, values in (("preprocess", pre), ("forward", forward),
                                     ("total", total)):
                    p50[name, clock][part].append(percentile(values, 50))
                p99[name, clock].append(percentile(total, 99))
    for clock in CLOCKS:
        print(f"\n{clock} time (median over rounds of each round's p50; ratio within rounds):")
        for part in ("preprocess", "forward", "total"):
            now, before = p50["now", clock][part], p50["baseline", clock][part]
            ratio = paired_ratio(now, before)
            print(f"{part:>10}: p50 {1000 * statistics.median(now):.2f} ms, baseline "
                  f"{1000 * statistics.median(before):.2f} ms, ratio {ratio:.2f}")
        print(f"{'total':>10}: p99 {1000 * statistics.median(p99['now', clock]):.2f} ms, "
              f"baseline {1000 * statistics.median(p99['baseline', clock]):.2f} ms")
    met = statistics.median(p50["now", "wall"]["total"]) <= 0.002
    print(f"\ngoal total p50 <= 2 ms (wall): {'met' if met else 'NOT met'} on this run's "
          f"machine")


if __name__ == "__main__":
    main()
