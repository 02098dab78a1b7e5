"""`digitpad export MODEL --onnx OUT` and `digitpad export-images --out DIR`.

Models leave DigitPad as ONNX graphs (trainer.onnx_export); MNIST leaves it as
PNG files in the ImageFolder layout, ready for `digitpad finetune` or any
other tool.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from tqdm import tqdm

from digitpad.cli.finetune import starting_model
from digitpad.training.mnist_places import mnist_from_args
from trainer.errors import ConfigError


def export_command(args: argparse.Namespace) -> int:
    from trainer.onnx_export import INPUT_NAME, export_onnx, output_names

    checkpoint = starting_model(args.model)
    if args.onnx.is_dir():
        raise ConfigError(f"{args.onnx}: is a folder; --onnx names the file to write")
    print(f"Exporting {args.model} ({checkpoint.arch}) to ONNX …", file=sys.stderr)
    export_onnx(checkpoint, args.onnx)
    calibration = checkpoint.calibration
    temperature = calibration.get("temperature")
    calibrated = f", calibrated (temperature {temperature:g})" if temperature else ""
    digits, *rejection = output_names(checkpoint)
    outputs = f"output '{digits}' (N, 10)" + "".join(f" and '{name}' (N,)" for name in rejection)
    print(f"Wrote {args.onnx}: input '{INPUT_NAME}' float32 (N, 1, 28, 28) in 0..1 with ink = 1, "
          f"{outputs}{calibrated}")
    rule = []
    if rejection and isinstance(calibration.get("not_a_digit"), (int, float)):
        rule.append(f"not a digit from {rejection[0]} >= {calibration['not_a_digit']:g}")
    if isinstance(calibration.get("sure"), (int, float)):
        rule.append(f"unsure below a top probability of {calibration['sure']:g}")
    if rule:
        print(f"As DigitPad judges: {', else '.join(rule)} (in the graph's metadata too)")
    return 0


def export_images_command(args: argparse.Namespace) -> int:
    from digitpad.store.image_folder import write_image_folder

    if args.count is not None and args.count < 1:
        raise ConfigError(f"--count must be at least 1, got {args.count}")
    mnist = mnist_from_args(args.data)
    images, labels = ((mnist.train_images, mnist.train_labels) if args.split == "train"
                      else (mnist.test_images, mnist.test_labels))
    chosen = balanced_order(labels)[:args.count]
    names = [f"{args.split}-{index:05d}" for index in chosen]
    with tqdm(total=len(chosen), unit="image", file=sys.stderr, disable=None,
              leave=False) as bar:
        count = write_image_folder(images[chosen], labels[chosen], args.out, names,
                                   lambda _done, _total: bar.update(1))
    print(f"Wrote {count:,} MNIST {args.split} digits as PNG files to {args.out}/0 … 9")
    return 0


def balanced_order(labels: np.ndarray) -> np.ndarray:
    """Indices taking the digits in turn (the first 0, the first 1, … the second 0, …), so
    the first N hold about N/10 of each digit; within a digit MNIST's own order."""
    labels = np.asarray(labels)
    rank = np.empty(len(labels), np.int64)
    for digit in np.unique(labels):
        where = np.flatnonzero(labels == digit)
        rank[where] = np.arange(len(where))
    return np.lexsort((labels, rank))
