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
into digits and splits by network-scored search. Each number it gets wrong is
put in one of three kinds, with the condition it was written under (pen, the
narrowest gap between two neighbours, how much the digits' sizes differ):

- segmentation: the digits it found are not the digits written (one too many or
  too few, strokes grouped wrongly, a stroke dropped as a dot);
- not a digit: every digit found where it was written, but one called no digit;
- misread: every digit found where it was written, but one read as another digit.

In the same run:

- a ceiling: each digit's own strokes read alone by the same model, its likeliest
  digit taken ("not a digit" ignored), as if the segmentation were perfect; a
  reader that reads each digit once, as the model reads one drawing, cannot do
  better. Its per-digit accuracy is printed too;
- with --baseline REV, the number reader of commit REV (its segments.py and
  number_reader.py) on the same numbers, in alternating turns, so that its
  figures and times are beside today's (its image reader too, on the same images);
- DigitPad's image reader on the rendered number (components cut at columns
  scored by the network, as `digitpad predict --number` does for files);
- the plain baseline: connected components of the rendered image, one digit per
  blob (the contour method).

(The file is not called numbers.py: a script of that name would hide Python's
own `numbers` module from everything it imports.)

Goals: whole numbers right >= 98 % (2-4 digits) and >= 96 % (5-8 digits);
numbers marked sure but wrong <= 0.5 %; p99 reading time <= 50 ms for 8 digits.

    python bench/written_numbers.py [--writers 25-30] [--count 500] [--seed 0] [--model PATH]
                                    [--baseline REV]

Choose anything tunable on --writers 1-24 and report on 25-30 (the built-in model
trained on writers 1-20; 21-24 fitted its calibration).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from types import ModuleType

import cv2
import numpy as np
import torch

from _common import PENDIGITS_FILE, machine, module_at, percentile, require
from digitpad.drawing import segments
from digitpad.drawing.drawing import Drawing
from digitpad.drawing.preprocess import SPECK_SHARE, preprocess
from digitpad.drawing.segments import stroke_pieces, union_box
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.number_reader import NumberReading, read_ink, read_strokes
from digitpad.recognizer import Recognizer
from digitpad.training.pendigits import PenDigit, parse_writers, read_pendigits

HEIGHT = 100.0  # a digit's height on the pad, in drawing units
PENS = {"thin": 0.04, "normal": 0.09, "thick": 0.16}  # pen width / digit height
IMAGE_SCALE = 0.64  # rendered image pixels per drawing unit (digits about 64 px high)


def compose(samples: list[PenDigit], length: int, rng: np.random.Generator,
            pen: float) -> tuple[str, list[Stroke], tuple[float, float], list[int], dict]:
    """One number written as strokes: (its digits, the strokes, the pad's size, which
    digit each stroke belongs to, its conditions: the narrowest gap between two
    neighbours as a share of their mean width, and the tallest digit's height over
    the smallest's)."""
    chosen = [samples[i] for i in rng.integers(len(samples), size=length)]
    slope = rng.uniform(-0.1, 0.1)
    placed: list[np.ndarray] = []  # each digit's strokes, scaled, left edge at 0
    heights, gaps = [], []
    for sample in chosen:
        points = [np.asarray(s, np.float64).reshape(-1, 2) for s in sample.strokes]
        low = np.min([p.min(axis=0) for p in points], axis=0)
        high = np.max([p.max(axis=0) for p in points], axis=0)
        height = HEIGHT * rng.uniform(0.8, 1.2)
        heights.append(height)
        scale = height / max(high[1] - low[1], 1e-6)
        placed.append([(p - low) * scale for p in points])
    strokes, owners, x = [], [], 40.0
    previous_width = None
    for index, digit_strokes in enumerate(placed):
        width = max(p[:, 0].max() for p in digit_strokes)
        if previous_width is not None:
            gaps.append(rng.uniform(-0.15, 0.6))
            x += gaps[-1] * (previous_width + width) / 2
        y = 60.0 + slope * (x - 40.0) + rng.normal(0, 0.04 * HEIGHT)
        for p in digit_strokes:
            strokes.append(Stroke([(float(a + x), float(b + y)) for a, b in p], pen * HEIGHT))
            owners.append(index)
        x += width
        previous_width = width
    size = (x + 40.0, 60.0 + abs(slope) * x + 2.4 * HEIGHT)
    conditions = {"gap": min(gaps, default=1.0), "sizes": max(heights) / min(heights)}
    return "".join(str(s.label) for s in chosen), strokes, size, owners, conditions


def gap_name(gap: float) -> str:
    return "overlapping" if gap < 0 else "close (0-15 %)" if gap < 0.15 else "apart (>15 %)"


def sizes_name(ratio: float) -> str:
    return "sizes within 25 %" if ratio < 1.25 else "sizes differ 25 %+"


def failure_kind(reading: NumberReading, truth: str, strokes: list[Stroke],
                 owners: list[int]) -> str:
    """Why a number was read wrong: "segmentation" when the digits found are not
    the digits written (each found digit's box must be the box of one written
    digit's strokes), else "not a digit" or "misread"."""
    written = []
    for digit in range(len(truth)):
        own = [s for s, o in zip(strokes, owners, strict=True) if o == digit]
        written.append(union_box([_ink_box(s) for s in own]))
    found = [d.box for d in reading.digits]
    if len(found) != len(written) or any(
            max(abs(a - b) for a, b in zip(f, w, strict=True)) > 0.5
            for f, w in zip(found, written, strict=True)):
        return "segmentation"
    return "not a digit" if any(d.digit is None for d in reading.digits) else "misread"


def _ink_box(stroke: Stroke) -> tuple[float, float, float, float]:
    points = np.asarray(stroke.points, np.float64).reshape(-1, 2)
    low, high = points.min(axis=0) - stroke.width / 2, points.max(axis=0) + stroke.width / 2
    return (float(low[0]), float(low[1]), float(high[0] - low[0]), float(high[1] - low[1]))


def reader_at(rev: str) -> ModuleType:
    """The number reader of commit `rev`, with the segmentation of the same commit."""
    old_segments = module_at(rev, "digitpad/drawing/segments.py")
    # The old reader imports its segmentation by name while it loads: give it the old one.
    sys.modules["digitpad.drawing.segments"] = old_segments
    try:
        return module_at(rev, "digitpad/number_reader.py")
    finally:
        sys.modules["digitpad.drawing.segments"] = segments


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


def _share(counts: list[int]) -> str:
    """"right of all" as a percentage."""
    return f"{100 * counts[0] / max(counts[1], 1):6.2f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="25-30", help="writers to test (never trained on)")
    parser.add_argument("--count", type=int, default=500, help="numbers per length group")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-baselines", action="store_true",
                        help="leave out the image reader and connected components")
    parser.add_argument("--baseline", metavar="REV", default=None,
                        help="also read every number with the number reader of this commit")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    recognizer = Recognizer.load(args.model)
    samples = read_pendigits(require(PENDIGITS_FILE, "pendigits"), parse_writers(args.writers))
    by_writer: dict[int, list[PenDigit]] = defaultdict(list)
    for sample in samples:
        by_writer[sample.writer].append(sample)
    writers = sorted(by_writer)
    rng = np.random.default_rng(args.seed)
    readers = {"strokes": read_strokes}
    old_reader = reader_at(args.baseline) if args.baseline else None
    if old_reader is not None:
        readers["strokes at " + args.baseline] = old_reader.read_strokes
    print(f"Machine: {machine()}")
    print(f"Model: {recognizer.describe()}")
    print(f"Numbers: {args.count} of 2-4 digits and {args.count} of 5-8, each by one of "
          f"writers {args.writers}, seed {args.seed}\n")

    methods = ["known cuts", *readers]
    old_image = f"image at {args.baseline}"
    if not args.no_baselines:
        methods += ["image", *([old_image] if old_reader is not None else []), "contours"]
    right: dict[tuple[str, str], int] = defaultdict(int)
    sure_wrong: dict[str, int] = defaultdict(int)
    sure: dict[str, int] = defaultdict(int)
    per_pen: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    per_writer: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    times: dict[tuple[str, int], list[float]] = defaultdict(list)
    kinds: dict[str, Counter] = defaultdict(Counter)  # method -> failure kind -> count
    # (method, condition) -> failure kind -> count; "numbers" counts the numbers written so
    conditions: dict[tuple[str, str], Counter] = defaultdict(Counter)
    digits_right = digits_read = 0
    failures: list[str] = []
    total = {"2-4": args.count, "5-8": args.count}
    turn = 0
    for group, lengths in (("2-4", (2, 4)), ("5-8", (5, 8))):
        for _ in range(args.count):
            length = int(rng.integers(lengths[0], lengths[1] + 1))
            writer = writers[int(rng.integers(len(writers)))]
            pen_name = list(PENS)[int(rng.integers(len(PENS)))]
            truth, strokes, size, owners, condition = compose(by_writer[writer], length, rng,
                                                              PENS[pen_name])
            drawing = Drawing()  # what the Canvas holds: the strokes in the order drawn
            drawing.set_strokes(strokes)
            readings: dict[str, NumberReading] = {}
            turn += 1  # readers take turns going first, so neither is favoured by the load
            for method in (list(readers) if turn % 2 else list(readers)[::-1]):
                started = time.perf_counter()
                readings[method] = readers[method](recognizer, drawing.strokes(), size)
                times[(method, length)].append(time.perf_counter() - started)
            # Speed reference in the same run: one digit read the Draw tab's single-digit way.
            first = [s for s, o in zip(strokes, owners, strict=True) if o == 0]
            started = time.perf_counter()
            recognizer.predict(preprocess(render_strokes(first, size)))
            times[("one digit", 1)].append(time.perf_counter() - started)
            ceiling = known_cuts(recognizer, strokes, owners)
            digits_right += sum(a == b for a, b in zip(ceiling, truth, strict=True))
            digits_read += length
            results = {method: (r.number, r.sure) for method, r in readings.items()}
            results["known cuts"] = (ceiling, False)
            if not args.no_baselines:
                ink = render_image(drawing.strokes(), size)
                started = time.perf_counter()
                image_reading = read_ink(recognizer, ink)
                times[("image", length)].append(time.perf_counter() - started)
                results["image"] = (image_reading.number, image_reading.sure)
                if old_reader is not None:  # the image reader of --baseline, on the same ink
                    started = time.perf_counter()
                    image_reading = old_reader.read_ink(recognizer, ink)
                    times[(old_image, length)].append(time.perf_counter() - started)
                    results[old_image] = (image_reading.number, image_reading.sure)
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
                per_writer[(method, writer)][0] += correct
                per_writer[(method, writer)][1] += 1
            for method, reading in readings.items():
                kind = None if reading.number == truth else failure_kind(reading, truth,
                                                                         strokes, owners)
                for name in (f"{pen_name} pen", gap_name(condition["gap"]),
                             sizes_name(condition["sizes"])):
                    conditions[(method, name)]["numbers"] += 1
                    if kind:
                        conditions[(method, name)][kind] += 1
                if kind:
                    kinds[method][kind] += 1
            reading = readings["strokes"]
            if reading.number != truth and len(failures) < 12:
                failures.append(f"  writer {writer:2d}, {pen_name:6s} pen: {truth} read as "
                                f"{reading.number} ({'sure' if reading.sure else 'unsure'}"
                                f"{', ' + reading.reason if reading.reason else ''})")

    numbers = sum(total.values())
    print(f"{'method':<34} {'2-4 digits':>11} {'5-8 digits':>11} {'sure':>8} "
          f"{'sure+wrong':>11} {'p99 ms, 8 digits':>17}")
    names = {"known cuts": "ceiling: digits cut where they are",
             "strokes": "strokes, network-scored grouping",
             "image": "image, components + cut search",
             "contours": "baseline: connected components"}
    for method in methods:
        names.setdefault(method, method)
    for method in methods:
        p99 = 1000 * percentile(times[(method, 8)], 99) if times[(method, 8)] else float("nan")
        # the others say nothing of sureness
        judged = method in readers or method.startswith("image")
        sure_text = f"{100 * sure[method] / numbers:7.1f}%" if judged else "      –"
        sw_text = f"{100 * sure_wrong[method] / numbers:10.2f}%" if judged else "          –"
        print(f"{names[method]:<34} {100 * right[(method, '2-4')] / total['2-4']:10.2f}% "
              f"{100 * right[(method, '5-8')] / total['5-8']:10.2f}% {sure_text} {sw_text} "
              f"{p99:17.1f}")
    print(f"\nThe ceiling read {digits_right} of {digits_read} digits right "
          f"({100 * digits_right / digits_read:.2f} %), each from its own strokes alone.")
    print("\nWhole numbers right per pen (all lengths):")
    for method in methods:
        print(f"  {names[method]:<34} " + "  ".join(
            f"{pen} {_share(per_pen[(method, pen)])}" for pen in PENS))
    print("\nWhole numbers right per writer (all lengths; how many in brackets):")
    for method in ["known cuts", *readers]:
        print(f"  {names[method]:<34} " + "  ".join(
            f"{writer} {_share(per_writer[(method, writer)])} ({per_writer[(method, writer)][1]})"
            for writer in writers))
    order = ("segmentation", "not a digit", "misread")
    for method in readers:
        print(f"\nNumbers {names[method]} got wrong, by kind: " + ", ".join(
            f"{kind} {kinds[method][kind]}" for kind in order))
        print(f"  {'condition':<20} {'numbers':>8} " + " ".join(f"{k:>13}" for k in order))
        names_seen = sorted({name for m, name in conditions if m == method},
                            key=lambda n: (n.split()[-1] != "pen", n))
        for name in names_seen:
            counts = conditions[(method, name)]
            print(f"  {name:<20} {counts['numbers']:8d} " + " ".join(
                f"{counts[k]:13d}" for k in order))
    for method in readers:
        eight = times[(method, 8)]
        print(f"\nReading time, {names[method]}, 8 digits ({len(eight)} numbers): median "
              f"{1000 * percentile(eight, 50):.1f} ms, p99 {1000 * percentile(eight, 99):.1f} ms "
              f"(one torch thread)")
    one = times[("one digit", 1)]
    print(f"One digit the single-digit way in the same run: median "
          f"{1000 * percentile(one, 50):.1f} ms, p99 {1000 * percentile(one, 99):.1f} ms")
    print(f"Load average while it ran (1, 5, 15 min): "
          f"{', '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    if failures:
        print("\nSome numbers the stroke reader got wrong:")
        print("\n".join(failures))
    eight = times[("strokes", 8)]
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
