"""`digitpad eval`: loss, accuracy and confusion matrix on the MNIST test set."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from digitpad.cli.output import print_json
from digitpad.figures import percent
from digitpad.resources import embedded_model_path
from digitpad.training.mnist_places import mnist_from_args
from trainer.checkpoint import load_checkpoint
from trainer.digitset import DigitSet, mnist_sets
from trainer.engine import evaluate


def eval_command(args: argparse.Namespace) -> int:
    model_path = args.model or embedded_model_path()
    checkpoint = load_checkpoint(model_path)
    mnist = mnist_from_args(args.data)
    _, test = mnist_sets(mnist)
    result = evaluate(checkpoint.model, test)
    if args.mistakes is not None:
        written = write_mistakes(args.mistakes, model_path, test)
        print(f"Wrote {written} misread test images to {args.mistakes}", file=sys.stderr)
    if args.json:
        print_json({"model": str(model_path), "data": str(mnist.source), "loss": result.loss,
                    "accuracy": result.accuracy, "correct": result.correct,
                    "total": result.total, "confusion": result.confusion})
        return 0
    print(f"Model: {model_path} ({checkpoint.arch})")
    print(f"Data: {mnist.describe()}")
    print(result.tutorial_line())
    print()
    print(format_confusion(result.confusion))
    return 0


def format_confusion(confusion: list[list[int]]) -> str:
    """The confusion matrix as a table: rows are true digits, columns predictions."""
    lines = ["true\\pred" + "".join(f"{d:>6}" for d in range(10)) + "  accuracy"]
    for digit, row in enumerate(confusion):
        total = sum(row)
        accuracy = percent(row[digit] / total if total else None)
        lines.append(f"{digit:>9}" + "".join(f"{n:>6}" for n in row) + f"  {accuracy:>8}")
    return "\n".join(lines)


def write_mistakes(folder: Path, model_path: Path, test: DigitSet) -> int:
    """Every test image the model misreads, as `true7-read2-0123.png`; returns how many."""
    from digitpad.cli.inspect_image import prepare_folder, write_png
    from digitpad.inside.mistakes import mistake_file_name, read_all, run_to_end
    from digitpad.recognizer import Recognizer

    recognizer = Recognizer.load(model_path)
    images = test.images.numpy()
    found = run_to_end(read_all(recognizer.probabilities, images, test.labels.numpy()))
    prepare_folder(folder)
    for mistake in found.mistakes:
        write_png(folder / mistake_file_name(mistake, len(test)), images[mistake.index])
    return len(found.mistakes)
