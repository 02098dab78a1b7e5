"""The figures of resources/MODEL.md, measured: size, parameters, data checksums, accuracy.

    python bench/model_figures.py [--model resources/digitnet.safetensors]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json

from _common import MNIST_DIR, machine, require
from digitpad.resources import embedded_model_path
from trainer.checkpoint import load_checkpoint
from trainer.digitset import mnist_sets
from trainer.engine import evaluate
from trainer.mnist import idx_candidates, load_mnist
from trainer.models import count_parameters


def sha256_decompressed(path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    digest = hashlib.sha256()
    with opener(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    path = args.model or embedded_model_path()
    checkpoint = load_checkpoint(path)
    print(f"Machine: {machine()}")
    print(f"Model file: {path}, {path.stat().st_size:,} bytes" if hasattr(path, "stat")
          else f"Model file: {path}")
    print(f"Architecture: {checkpoint.arch} {json.dumps(checkpoint.arch_params)}, "
          f"{count_parameters(checkpoint.model):,} parameters")
    print(f"Preprocessing version: {checkpoint.preprocess_version}")
    print(f"Recorded metrics: {json.dumps(checkpoint.metrics)}")
    config = checkpoint.config.to_dict() if checkpoint.config else None
    print(f"Recorded config: {json.dumps(config)}")
    print(f"Recorded info: {json.dumps(checkpoint.info)}")
    epochs = checkpoint.history.get("epochs", [])
    if epochs:
        print(f"Training time (sum of epochs): {sum(e['seconds'] for e in epochs):.0f} s "
              f"over {len(epochs)} epochs")
    folder = require(MNIST_DIR, "MNIST")
    for role in ("train_images", "train_labels", "test_images", "test_labels"):
        file = next(p for p in idx_candidates(folder, role) if p.exists())
        print(f"sha256 (decompressed) {file.name}: {sha256_decompressed(file)}")
    _, test = mnist_sets(load_mnist(folder))
    result = evaluate(checkpoint.model, test)
    print(result.tutorial_line())


if __name__ == "__main__":
    main()
