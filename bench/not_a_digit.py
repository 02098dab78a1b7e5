"""Does DigitPad know when a drawing is not a digit?

For each model (with --baseline, a second one beside it in the same run):
the share of drawings that are not digits called "not a digit" or "unsure",
family by family, for the families kept out of training
(digitpad.training.negatives.HELD_OUT: some fonts, some shapes, a doodle, a
kind of scribble) and, drawn anew with other random choices, the families
trained on; the families made of digits use writers 25-30, whom no model saw.
Then the share of real drawn digits (writers 25-30, the 13 conditions of
bench/drawn_digits.py) wrongly called "not a digit".

Goals (issue 10): held-out families called "not a digit" or "unsure" >= 95 %;
real digits called "not a digit" <= 0.5 %.

    python bench/not_a_digit.py [--per-family 300] [--model PATH] [--baseline PATH]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from _drawn import (  # noqa: E402
    comparison_arguments,
    condition_sets,
    models_to_compare,
    readings,
)

from _common import PENDIGITS_FILE, machine, met, require  # noqa: E402
from digitpad.training.negatives import HELD_OUT, TRAINING, negative_images  # noqa: E402
from digitpad.training.pendigits import parse_writers, read_pendigits  # noqa: E402

GOAL_CAUGHT, GOAL_REJECTED_DIGITS = 0.95, 0.005
SEED = 2026  # other drawings than any training run's


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-family", type=int, default=300)
    args = comparison_arguments(parser)
    started = time.perf_counter()
    digits = read_pendigits(require(PENDIGITS_FILE, "pendigits"), parse_writers(args.writers))
    families = {}
    for group, names in (("held out", HELD_OUT), ("trained on", TRAINING)):
        for name in names:
            images, _ = negative_images(args.per_family, [name], SEED + len(families), digits)
            families[name] = (group, images.astype(np.float32) / 255)
    sets = condition_sets(args.writers)
    drawn = np.concatenate([images for _, images, _ in sets])
    models = models_to_compare(args.model, args.baseline)
    print(f"Machine: {machine()}")
    for label, recognizer in models:
        print(f"{label}: {recognizer.describe()}; thresholds (sure, not a digit) "
              f"{recognizer.thresholds()}")
    print(f"{args.per_family} drawings per family; digits in them by writers {args.writers}\n")

    header = "".join(f"{label + ': caught (not a digit)':>30}" for label, _ in models)
    print(f"  {'family':<28}{header}")
    caught = {label: {"held out": [], "trained on": []} for label, _ in models}
    for name, (group, images) in families.items():
        cells = ""
        for label, recognizer in models:
            reading = readings(recognizer, images)
            flagged = reading["not_a_digit"] | reading["unsure"]
            caught[label][group].append(flagged)
            cells += (f"{100 * flagged.mean():20.1f} % ({100 * reading['not_a_digit'].mean():5.1f}"
                      f" %)")
        print(f"  {name + ('' if group == 'trained on' else ' *'):<28}{cells}")
    print("  (* kept out of training)\n")
    for label, recognizer in models:
        held = np.concatenate(caught[label]["held out"])
        trained = np.concatenate(caught[label]["trained on"])
        rejected = readings(recognizer, drawn)["not_a_digit"]
        print(f"{label}: held-out families called 'not a digit' or 'unsure' "
              f"{100 * held.mean():.2f} % (goal >= {100 * GOAL_CAUGHT:.0f} %: "
              f"{met(held.mean() >= GOAL_CAUGHT)}); trained-on families "
              f"{100 * trained.mean():.2f} %")
        print(f"{' ' * len(label)}  real drawn digits called 'not a digit' "
              f"{100 * rejected.mean():.2f} % "
              f"of {len(rejected):,} (goal <= {100 * GOAL_REJECTED_DIGITS:.1f} %: "
              f"{met(rejected.mean() <= GOAL_REJECTED_DIGITS)})")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
