"""Does the confidence mean what it says? Expected calibration error and the
"sure" readings, on MNIST test and on real drawn digits.

For each model (with --baseline, a second one beside it in the same run):
the expected calibration error (15 equal-width bins of the top probability)
on the MNIST test set and on the pen-drawn digits of writers 25-30 under the
13 conditions of bench/drawn_digits.py, before calibration (plain softmax,
T = 1) and after (the model file's own calibration); and, with the model's
own "sure" threshold, the share of drawn digits shown as sure (coverage) and
how often those sure readings are right. Writes the reliability diagram
(drawn digits, before and after) as a PNG.

Goals (issue 10): ECE <= 1.0 % on both sets; sure readings right >= 99.7 %
while >= 97 % of the drawn digits are shown as sure.

    python bench/calibration.py --out reliability.png [--model PATH] [--baseline PATH]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from _drawn import (  # noqa: E402
    comparison_arguments,
    condition_sets,
    models_to_compare,
    readings,
)

from _common import MNIST_DIR, machine, met, require  # noqa: E402
from trainer.calibration import reliability  # noqa: E402
from trainer.mnist import load_mnist  # noqa: E402

GOAL_ECE, GOAL_SURE_ACCURACY, GOAL_COVERAGE = 0.01, 0.997, 0.97


def plain(recognizer):
    """The same model read without its calibration (T = 1, the default thresholds)."""
    from digitpad.recognizer import Recognizer
    from trainer.checkpoint import Checkpoint

    c = recognizer.checkpoint
    return Recognizer(Checkpoint(model=c.model, arch=c.arch, arch_params=c.arch_params,
                                 calibration={}))


def diagram(curves: list[tuple[str, dict, tuple[int, int, int]]], path: str) -> None:
    """A reliability diagram: accuracy against confidence per bin, one line per curve."""
    size, margin = 480, 50
    image = np.full((size + 2 * margin, size + 2 * margin + 220, 3), 255, np.uint8)

    def at(x: float, y: float) -> tuple[int, int]:
        return int(margin + x * size), int(margin + (1 - y) * size)

    cv2.rectangle(image, at(0, 0), at(1, 1), (180, 180, 180), 1)
    cv2.line(image, at(0, 0), at(1, 1), (150, 150, 150), 1, cv2.LINE_AA)
    for tick in np.linspace(0, 1, 6):
        cv2.putText(image, f"{tick:.1f}", (at(tick, 0)[0] - 10, size + margin + 20),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.4, (90, 90, 90), 1, cv2.LINE_AA)
        cv2.putText(image, f"{tick:.1f}", (10, at(0, tick)[1] + 4),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.4, (90, 90, 90), 1, cv2.LINE_AA)
    cv2.putText(image, "confidence", (margin + size // 2 - 40, size + margin + 42),
                cv2.FONT_HERSHEY_SIMPLEX, 0.5, (60, 60, 60), 1, cv2.LINE_AA)
    cv2.putText(image, "accuracy", (4, margin - 14), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                (60, 60, 60), 1, cv2.LINE_AA)
    for row, (name, bins, colour) in enumerate(curves):
        points = [at(c, a) for c, a, n in zip(bins["confidence"], bins["accuracy"],
                                              bins["counts"], strict=True) if n]
        for p, q in zip(points, points[1:], strict=False):
            cv2.line(image, p, q, colour, 2, cv2.LINE_AA)
        for p in points:
            cv2.circle(image, p, 4, colour, -1, cv2.LINE_AA)
        y = margin + 20 + 40 * row
        cv2.line(image, (size + margin + 20, y), (size + margin + 45, y), colour, 3)
        cv2.putText(image, name, (size + margin + 52, y + 5), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                    (40, 40, 40), 1, cv2.LINE_AA)
        cv2.putText(image, f"ECE {100 * bins['ece']:.2f} %", (size + margin + 52, y + 22),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (90, 90, 90), 1, cv2.LINE_AA)
    cv2.imwrite(path, image)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the reliability diagram")
    args = comparison_arguments(parser)
    started = time.perf_counter()
    mnist = load_mnist(require(MNIST_DIR, "MNIST"))
    test_images = mnist.test_images.astype(np.float32) / 255
    sets = condition_sets(args.writers)
    drawn_images = np.concatenate([images for _, images, _ in sets])
    drawn_labels = np.concatenate([labels for _, _, labels in sets])
    print(f"Machine: {machine()}")
    print(f"MNIST test: {len(test_images):,} images; drawn digits: {len(drawn_labels):,} "
          f"readings (writers {args.writers}, {len(sets)} conditions)\n")
    colours = [(200, 120, 40), (40, 40, 220), (150, 150, 150), (40, 160, 40)]
    curves = []
    for label, recognizer in models_to_compare(args.model, args.baseline):
        calibration = recognizer.checkpoint.calibration
        print(f"{label}: {recognizer.describe()}; temperature "
              f"{calibration.get('temperature', 1.0)}, fitted on "
              f"{calibration.get('fitted_on', 'nothing (uncalibrated)')}")
        for name, images, labels in (("MNIST test", test_images, mnist.test_labels),
                                     ("drawn digits", drawn_images, drawn_labels)):
            figures = []
            for stage, reader in (("before", plain(recognizer)), ("after", recognizer)):
                reading = readings(reader, images)
                bins = reliability(torch.from_numpy(reading["confidence"]),
                                   torch.from_numpy(reading["digit"] == labels))
                figures.append(bins["ece"])
                if name == "drawn digits":
                    curves.append((f"{label}, {stage}", bins, colours[len(curves) % 4]))
            print(f"  ECE on {name:<13} before {100 * figures[0]:.2f} %, after "
                  f"{100 * figures[1]:.2f} % (goal <= {100 * GOAL_ECE:.1f} %: "
                  f"{met(figures[1] <= GOAL_ECE)})")
        reading = readings(recognizer, drawn_images)
        right = reading["digit"] == drawn_labels
        sure = reading["sure"]
        coverage, accuracy = sure.mean(), right[sure].mean() if sure.any() else 0.0
        threshold = recognizer.thresholds()[0]
        print(f"  sure readings (top probability >= {threshold:.4f}, not 'not a digit'): "
              f"{100 * coverage:.2f} % of drawn digits shown as sure, right "
              f"{100 * accuracy:.2f} % of the time (goals >= {100 * GOAL_COVERAGE:.0f} %: "
              f"{met(coverage >= GOAL_COVERAGE)}, >= {100 * GOAL_SURE_ACCURACY:.1f} %: "
              f"{met(accuracy >= GOAL_SURE_ACCURACY)})")
        print(f"  unsure {100 * reading['unsure'].mean():.2f} %, not a digit "
              f"{100 * reading['not_a_digit'].mean():.2f} %; accuracy of the top digit "
              f"{100 * right.mean():.2f} %\n")
    diagram(curves, args.out)
    print(f"Reliability diagram (drawn digits) written to {args.out}; "
          f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
