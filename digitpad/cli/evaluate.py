"""`digitpad eval`: loss, accuracy and confusion matrix on the MNIST test set."""

from __future__ import annotations

import argparse

from digitpad.cli.output import print_json
from digitpad.figures import percent
from digitpad.resources import embedded_model_path
from digitpad.training.mnist_places import mnist_from_args
from trainer.checkpoint import load_checkpoint
from trainer.digitset import mnist_sets
from trainer.engine import evaluate


def eval_command(args: argparse.Namespace) -> int:
    model_path = args.model or embedded_model_path()
    checkpoint = load_checkpoint(model_path)
    mnist = mnist_from_args(args.data)
    _, test = mnist_sets(mnist)
    result = evaluate(checkpoint.model, test)
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
