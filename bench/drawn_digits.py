"""How well the whole drawing pipeline reads digits people really drew.

Replays the pen-drawn digits of ../shared/data/pendigits on the real Canvas
widget (offscreen) through its stroke API, at several pen widths (thin,
normal, thick), sizes (small, normal, filling the canvas) and positions
(centre, the four corners), renders what the canvas holds, preprocesses it and
asks the embedded model — exactly the Draw tab's path. Prints accuracy overall,
per condition, per writer and per digit, the confusion matrix, and the digits
misread under most conditions (which writer drew them, what they were read as).

Only writers the model never saw count: the embedded model was trained on
writers 1-24, so the default is writers 25-30.
Goal (issue 10): ≥ 99.3 % overall and no condition below 98.8 %; it also
prints the share of these real digits called "not a digit". With --baseline,
a second model is measured beside the first in the same run.

    python bench/drawn_digits.py [--writers 25-30] [--model PATH] [--baseline PATH]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from _drawn import (  # noqa: E402
    comparison_arguments,
    condition_sets,
    models_to_compare,
    readings,
    writers_of,
)

from _common import a_digit, machine, met  # noqa: E402
from digitpad.cli.evaluate import format_confusion  # noqa: E402

GOAL_OVERALL, GOAL_CONDITION = 0.993, 0.988
# A digit misread under this share of the conditions is misread by its shape, not
# by how it was drawn on the pad: the bench lists those.
MOSTLY = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args = comparison_arguments(parser)
    started = time.perf_counter()
    sets = condition_sets(args.writers)
    models = models_to_compare(args.model, args.baseline)
    print(f"Machine: {machine()}")
    for label, recognizer in models:
        print(f"{label}: {recognizer.describe()}")
    print(f"Digits: {len(sets[0][2])} by writers {args.writers}, replayed on the Canvas under "
          f"{len(sets)} conditions\n")

    # For each model and condition: (right digit, called "not a digit").
    results = {label: [] for label, _ in models}
    confusion = np.zeros((10, 10), np.int64)
    misread = np.zeros(len(sets[0][2]), np.int64)  # per digit: conditions it was misread under
    read_as = [Counter() for _ in misread]
    for label, recognizer in models:
        for _name, images, labels in sets:
            reading = readings(recognizer, images)
            right = reading["digit"] == labels
            results[label].append((right, reading["not_a_digit"]))
            if label == "model":
                np.add.at(confusion, (labels, reading["digit"]), 1)
                misread += ~right
                for index in np.flatnonzero(~right):
                    read_as[index][int(reading["digit"][index])] += 1
    header = "".join(f"{label:>22}" for label, _ in models)
    print(f"Accuracy per condition (and share called 'not a digit'):\n  {'':<36}{header}")
    for i, (name, *_rest) in enumerate(sets):
        cells = "".join(f"{100 * right.mean():9.2f} % ({100 * rejected.mean():5.2f} %)"
                        for right, rejected in (results[label][i] for label, _ in models))
        print(f"  {name:<36}{cells}")
    print("\nOverall:")
    for label, _ in models:
        right = np.concatenate([r for r, _ in results[label]])
        rejected = np.concatenate([n for _, n in results[label]])
        worst = min(range(len(sets)), key=lambda i: results[label][i][0].mean())
        worst_accuracy = results[label][worst][0].mean()
        print(f"  {label:<9} {100 * right.mean():.2f} % of {len(right):,} readings; worst "
              f"condition {sets[worst][0]} {100 * worst_accuracy:.2f} %; right and not called "
              f"'not a digit' {100 * (right & ~rejected).mean():.2f} %; called 'not a digit' "
              f"{100 * rejected.mean():.2f} %")
        print(f"            goals: overall >= {100 * GOAL_OVERALL:.1f} % "
              f"({met(right.mean() >= GOAL_OVERALL)}), every condition >= "
              f"{100 * GOAL_CONDITION:.1f} % ({met(worst_accuracy >= GOAL_CONDITION)})")
    print("\nAccuracy per digit (model):")
    for digit in range(10):
        row = confusion[digit]
        print(f"  {digit}: {100 * row[digit] / max(row.sum(), 1):6.2f} %")
    writers = writers_of(args.writers)
    print("\nAccuracy per writer (model, all conditions):")
    for writer in np.unique(writers):
        mine = writers == writer
        count = mine.sum() * len(sets)
        print(f"  writer {writer:2d}: {100 * (1 - misread[mine].sum() / count):6.2f} % "
              f"of {count:,} readings")
    print("\nConfusion matrix (model, all conditions):")
    print(format_confusion(confusion.tolist()))
    labels = sets[0][2]
    often = np.flatnonzero(misread >= MOSTLY * len(sets))
    often = often[np.argsort(-misread[often], kind="stable")]
    lost = misread[often].sum()
    print(f"\nDigits misread under at least {MOSTLY:.0%} of the conditions (model): {len(often)}, "
          f"{lost} readings ({100 * lost / (misread.size * len(sets)):.2f} points)")
    for index in often:
        named = ", ".join(f"{digit} ({count})" for digit, count in read_as[index].most_common())
        print(f"  digit #{index:4d} by writer {writers[index]:2d}: "
              f"{a_digit(labels[index])} read as {named}")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
