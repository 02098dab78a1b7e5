"""How well DigitPad reads whole numbers written on the pad.

Numbers of 2 to 8 digits are composed from the pen-drawn digits of
../shared/data/pendigits, one writer per number (writers 25-30 by default, whom
the built-in model never saw), and written as strokes into a Drawing (what the
Canvas holds) the way a person writes a number: digit after digit, left to
right. Each number varies:

- gaps between neighbouring digits from overlapping (-15 % of their mean width)
  to wide (+60 %),
- a baseline drifting up or down (a slope of up to ±10 %, plus ±4 % jitter),
- each digit's height within ±20 % of the number's,
- the pen thin, normal or thick (4 %, 9 % or 16 % of a digit's height).

The reader under test (`digitpad.number_reader.read_strokes`) groups the strokes
into digits and splits by network-scored search. In the same run:

- a ceiling: each digit's own strokes read alone by the same model, as if the
  segmentation were perfect (no segmentation can do better than the model);
- DigitPad's image reader on the rendered number (components cut at columns
  scored by the network, as `digitpad predict --number` does for files);
- the plain baseline: connected components of the rendered image, one digit per
  blob (the contour method).

(The file is not called numbers.py: a script of that name would hide Python's
own `numbers` module from everything it imports.)

Goals: whole numbers right >= 98 % (2-4 digits) and >= 96 % (5-8 digits);
numbers marked sure but wrong <= 0.5 %; p99 reading time <= 50 ms for 8 digits.

    python bench/written_numbers.py [--writers 25-30] [--count 500] [--seed 0] [--model PATH]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict

import cv2
import numpy as np
import torch

from _common import PENDIGITS_FILE, machine, percentile, require
from digitpad.drawing.drawing import Drawing
from digitpad.drawing.preprocess import SPECK_SHARE, preprocess
from digitpad.drawing.segments import stroke_pieces
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.number_reader import read_ink, read_strokes
from digitpad.recognizer import Recognizer
from digitpad.training.pendigits import PenDigit, parse_writers, read_pendigits

HEIGHT = 100.0  # a digit's height on the pad, in drawing units
PENS = {"thin": 0.04, "normal": 0.09, "thick": 0.16}  # pen width / digit height
IMAGE_SCALE = 0.64  # rendered image pixels per drawing unit (digits about 64 px high)


def compose(samples: list[PenDigit], length: int, rng: np.random.Generator,
            pen: float) -> tuple[str, list[Stroke], tuple[float, float], list[int]]:
    """One number written as strokes: (its digits, the strokes, the pad's size, which
    digit each stroke belongs to)."""
    chosen = [samples[i] for i in rng.integers(len(samples), size=length)]
    slope = rng.uniform(-0.1, 0.1)
    placed: list[np.ndarray] = []  # each digit's strokes, scaled, left edge at 0
    for sample in chosen:
        points = [np.asarray(s, np.float64).reshape(-1, 2) for s in sample.strokes]
        low = np.min([p.min(axis=0) for p in points], axis=0)
        high = np.max([p.max(axis=0) for p in points], axis=0)
        height = HEIGHT * rng.uniform(0.8, 1.2)
        scale = height / max(high[1] - low[1], 1e-6)
        placed.append([(p - low) * scale for p in points])
    strokes, owners, x = [], [], 40.0
    previous_width = None
    for index, digit_strokes in enumerate(placed):
        width = max(p[:, 0].max() for p in digit_strokes)
        if previous_width is not None:
            x += rng.uniform(-0.15, 0.6) * (previous_width + width) / 2
        y = 60.0 + slope * (x - 40.0) + rng.normal(0, 0.04 * HEIGHT)
        for p in digit_strokes:
            strokes.append(Stroke([(float(a + x), float(b + y)) for a, b in p], pen * HEIGHT))
            owners.append(index)
        x += width
        previous_width = width
    size = (x + 40.0, 60.0 + abs(slope) * x + 2.4 * HEIGHT)
    return "".join(str(s.label) for s in chosen), strokes, size, owners


def known_cuts(recognizer: Recognizer, strokes: list[Stroke], owners: list[int]) -> str:
    """Each digit's own strokes read alone: the number as well as the model can read it
    when the segmentation is perfect (the ceiling any segmentation can reach)."""
    images = []
    for digit in range(max(owners) + 1):
        pieces = stroke_pieces([s for s, o in zip(strokes, owners, strict=True) if o == digit],
                               (1.0, 1.0))
        processed = preprocess(pieces.render(range(len(pieces))))
        images.append(processed.image)
    return "".join(str(int(p.argmax())) for p in recognizer.probabilities(np.stack(images)))


def contour_baseline(recognizer: Recognizer, ink: np.ndarray) -> str:
    """One digit per connected blob of ink, left to right; specks dropped as preprocess does."""
    mask = (ink > 127).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    blobs = [i + 1 for i in range(count - 1) if areas[i] >= SPECK_SHARE * areas.sum()]
    blobs.sort(key=lambda b: stats[b, 0] + stats[b, 2] / 2)
    images = []
    for b in blobs:
        x, y, w, h = stats[b, :4]
        crop = ink[y:y + h, x:x + w] * cv2.dilate((labels[y:y + h, x:x + w] == b)
                                                  .astype(np.uint8), np.ones((3, 3), np.uint8))
        processed = preprocess(crop)
        if processed is not None:
            images.append(processed.image)
    if not images:
        return ""
    return "".join(str(int(p.argmax())) for p in recognizer.probabilities(np.stack(images)))


def render_image(strokes: list[Stroke], size: tuple[float, float]) -> np.ndarray:
    side = int(max(size) * IMAGE_SCALE)
    ink = render_strokes(strokes, size, side)
    return ink[:int(size[1] * IMAGE_SCALE) + 1, :int(size[0] * IMAGE_SCALE) + 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="25-30", help="writers to test (never trained on)")
    parser.add_argument("--count", type=int, default=500, help="numbers per length group")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    recognizer = Recognizer.load(args.model)
    samples = read_pendigits(require(PENDIGITS_FILE, "pendigits"), parse_writers(args.writers))
    by_writer: dict[int, list[PenDigit]] = defaultdict(list)
    for sample in samples:
        by_writer[sample.writer].append(sample)
    writers = sorted(by_writer)
    rng = np.random.default_rng(args.seed)
    print(f"Machine: {machine()}")
    print(f"Model: {recognizer.describe()}")
    print(f"Numbers: {args.count} of 2-4 digits and {args.count} of 5-8, each by one of "
          f"writers {args.writers}, seed {args.seed}\n")

    methods = ["known cuts", "strokes"]
    if not args.no_baselines:
        methods += ["image", "contours"]
    right: dict[tuple[str, str], int] = defaultdict(int)
    sure_wrong: dict[str, int] = defaultdict(int)
    sure: dict[str, int] = defaultdict(int)
    per_pen: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    times: dict[tuple[str, int], list[float]] = defaultdict(list)
    failures: list[str] = []
    total = {"2-4": args.count, "5-8": args.count}
    for group, lengths in (("2-4", (2, 4)), ("5-8", (5, 8))):
        for _ in range(args.count):
            length = int(rng.integers(lengths[0], lengths[1] + 1))
            writer = writers[int(rng.integers(len(writers)))]
            pen_name = list(PENS)[int(rng.integers(len(PENS)))]
            truth, strokes, size, owners = compose(by_writer[writer], length, rng,
                                                   PENS[pen_name])
            drawing = Drawing()  # what the Canvas holds: the strokes in the order drawn
            drawing.set_strokes(strokes)
            started = time.perf_counter()
            reading = read_strokes(recognizer, drawing.strokes(), size)
            times[("strokes", length)].append(time.perf_counter() - started)
            # Speed reference in the same run: one digit read the Draw tab's single-digit way.
            first = [s for s, o in zip(strokes, owners, strict=True) if o == 0]
            started = time.perf_counter()
            recognizer.predict(preprocess(render_strokes(first, size)))
            times[("one digit", 1)].append(time.perf_counter() - started)
            results = {"strokes": (reading.number, reading.sure),
                       "known cuts": (known_cuts(recognizer, strokes, owners), False)}
            if len(methods) > 1:
                ink = render_image(drawing.strokes(), size)
                started = time.perf_counter()
                image_reading = read_ink(recognizer, ink)
                times[("image", length)].append(time.perf_counter() - started)
                results["image"] = (image_reading.number, image_reading.sure)
                started = time.perf_counter()
                results["contours"] = (contour_baseline(recognizer, ink), False)
                times[("contours", length)].append(time.perf_counter() - started)
            for method, (number, is_sure) in results.items():
                correct = number == truth
                right[(method, group)] += correct
                sure[method] += is_sure
                sure_wrong[method] += is_sure and not correct
                per_pen[(method, pen_name)][0] += correct
                per_pen[(method, pen_name)][1] += 1
            if results["strokes"][0] != truth and len(failures) < 12:
                failures.append(f"  writer {writer:2d}, {pen_name:6s} pen: {truth} read as "
                                f"{results['strokes'][0]} ({'sure' if reading.sure else 'unsure'}"
                                f"{', ' + reading.reason if reading.reason else ''})")

    numbers = sum(total.values())
    print(f"{'method':<34} {'2-4 digits':>11} {'5-8 digits':>11} {'sure':>8} "
          f"{'sure+wrong':>11} {'p99 ms, 8 digits':>17}")
    names = {"known cuts": "ceiling: digits cut where they are",
             "strokes": "strokes, network-scored grouping",
             "image": "image, components + cut search",
             "contours": "baseline: connected components"}
    for method in methods:
        p99 = 1000 * percentile(times[(method, 8)], 99) if times[(method, 8)] else float("nan")
        judged = method in ("strokes", "image")  # the others say nothing of sureness
        sure_text = f"{100 * sure[method] / numbers:7.1f}%" if judged else "      –"
        sw_text = f"{100 * sure_wrong[method] / numbers:10.2f}%" if judged else "          –"
        print(f"{names[method]:<34} {100 * right[(method, '2-4')] / total['2-4']:10.2f}% "
              f"{100 * right[(method, '5-8')] / total['5-8']:10.2f}% {sure_text} {sw_text} "
              f"{p99:17.1f}")
    print("\nWhole numbers right per pen (all lengths):")
    for method in methods:
        print(f"  {names[method]:<34} " + "  ".join(
            f"{pen} {100 * per_pen[(method, pen)][0] / max(per_pen[(method, pen)][1], 1):6.2f}%"
            for pen in PENS))
    eight = times[("strokes", 8)]
    one = times[("one digit", 1)]
    print(f"\nReading time, strokes, 8 digits ({len(eight)} numbers): median "
          f"{1000 * percentile(eight, 50):.1f} ms, p99 {1000 * percentile(eight, 99):.1f} ms "
          f"(one torch thread); one digit the single-digit way in the same run: median "
          f"{1000 * percentile(one, 50):.1f} ms, p99 {1000 * percentile(one, 99):.1f} ms")
    print(f"Load average while it ran (1, 5, 15 min): "
          f"{', '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    if failures:
        print("\nSome numbers the stroke reader got wrong:")
        print("\n".join(failures))
    s24 = right[("strokes", "2-4")] / total["2-4"]
    s58 = right[("strokes", "5-8")] / total["5-8"]
    sw = sure_wrong["strokes"] / numbers
    p99 = percentile(eight, 99) if eight else float("inf")
    print(f"\nGoals: 2-4 digits >= 98 % ({'met' if s24 >= 0.98 else 'NOT met'}), "
          f"5-8 digits >= 96 % ({'met' if s58 >= 0.96 else 'NOT met'}), "
          f"sure but wrong <= 0.5 % ({'met' if sw <= 0.005 else 'NOT met'}), "
          f"p99 <= 50 ms for 8 digits ({'met' if p99 <= 0.05 else 'NOT met'})")


if __name__ == "__main__":
    main()
