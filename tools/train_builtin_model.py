"""Make the built-in model: the previous one, given an eleventh output ("not a
digit") and fine-tuned on MNIST, varied renderings of pen-drawn digits and
drawings that are not digits; then calibrated.

    python tools/train_builtin_model.py --start resources/digitnet.safetensors \
        --out NEW.safetensors [--epochs 4] [--threads 2]

Data (../shared/data): MNIST's 60,000 training images; pendigits writers
1-20, each digit rendered 3 times as before (digitpad.training.pendigits
`training_images`) and 4 times more varied (`varied_training_images`); 20,000
not-a-digit drawings of the training families (digitpad.training.negatives).
Writers 21-24 are kept out of the fine-tune to fit the calibration on (their
digits under the 13 drawn conditions); writers 25-30 are never used here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digitpad.drawing.preprocess import PREPROCESS_VERSION  # noqa: E402
from digitpad.training.calibrate import calibrate_file  # noqa: E402
from digitpad.training.negatives import TRAINING, negative_images  # noqa: E402
from digitpad.training.pendigits import (  # noqa: E402
    condition_images,
    parse_writers,
    read_pendigits,
    training_images,
    varied_training_images,
)
from trainer.calibration import NOT_A_DIGIT  # noqa: E402
from trainer.checkpoint import load_checkpoint  # noqa: E402
from trainer.config import TrainConfig  # noqa: E402
from trainer.digitset import DigitSet, mnist_sets  # noqa: E402
from trainer.engine import BatchEnd, Engine, EpochEnd  # noqa: E402
from trainer.mnist import load_mnist  # noqa: E402
from trainer.models import build_model  # noqa: E402

DATA = REPO.parent / "shared" / "data"
PENDIGITS = DATA / "pendigits" / "pendigits-writers01-30.jsonl"


def with_not_a_digit(start: Path) -> tuple[torch.nn.Module, dict]:
    """The start model's weights in an eleven-output DigitNet; the new output starts
    low, so at first the model reads exactly as before."""
    checkpoint = load_checkpoint(start)
    if checkpoint.arch_params.get("outputs") == 11:  # already has it: go on from there
        return checkpoint.model, dict(checkpoint.arch_params)
    params = {**checkpoint.arch_params, "outputs": 11}
    model = build_model(checkpoint.arch, **params)
    state = checkpoint.model.state_dict()
    weight, bias = state.pop("classifier.weight"), state.pop("classifier.bias")
    model.load_state_dict(state, strict=False)
    with torch.no_grad():
        model.classifier.weight[:10] = weight
        model.classifier.bias[:10] = bias
        model.classifier.weight[10] = 0.0
        model.classifier.bias[10] = float(bias.min()) - 4
    return model, params


def frozen_stages(model: torch.nn.Module, stages: int) -> int:
    """Keep the convolutions of the first `stages` resolutions as they are; returns how
    many convolutions that is. Their gradients are never computed, so a step is cheaper."""
    frozen = 0
    for block in model.features:
        if stages <= 0:
            break
        if isinstance(block, torch.nn.Sequential):
            block.requires_grad_(False)
            frozen += 1
        else:  # a pooling layer ends a resolution
            stages -= 1
    return frozen


def cached(path: Path, make) -> tuple[np.ndarray, np.ndarray]:
    if path.exists():
        data = np.load(path)
        return data["images"], data["labels"]
    images, labels = make()
    np.savez_compressed(path, images=images, labels=labels)
    return images, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=Path, default=REPO / "resources" / "digitnet.safetensors")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--negatives", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None,
                        help="a folder to keep the rendered data in between runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sure-accuracy", type=float, default=0.999,
                        help="how often sure readings must be right on the calibration writers "
                             "(stricter than the goal of 99.7 %%, for writers never seen)")
    parser.add_argument("--sure-coverage", type=float, default=0.975,
                        help="but at least this share of the calibration writers' digits is "
                             "shown as sure (the goal is 97 %% on writers never seen)")
    parser.add_argument("--calibrate-only", action="store_true",
                        help="only fit the calibration of the model already in --out")
    parser.add_argument("--mnist", type=int, default=60000,
                        help="how many MNIST training images to replay (a random subset)")
    parser.add_argument("--freeze", type=int, default=1,
                        help="how many of the three resolutions' convolutions to keep as they "
                             "are (their BatchNorm statistics stay too): cheaper steps")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()

    if args.calibrate_only:
        calibrate(args)
        return
    cache = args.cache
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    pen = read_pendigits(PENDIGITS, parse_writers("1-20"))

    def store(name: str, make):
        if cache is None:
            return make()
        return cached(cache / f"{name}.npz", make)

    plain = store("pen-plain", lambda: training_images(pen, 3, args.seed))
    varied = store("pen-varied", lambda: varied_training_images(pen, 4, args.seed + 1))

    def make_negatives():
        images, _ = negative_images(args.negatives, TRAINING, args.seed + 2, pen)
        return images, np.full(len(images), NOT_A_DIGIT, np.int64)

    negatives = store("negatives", make_negatives)
    mnist = load_mnist(DATA / "mnist")
    train, test = mnist_sets(mnist)
    if args.mnist < len(train):
        keep = torch.randperm(len(train), generator=torch.Generator().manual_seed(args.seed))
        train = train.subset(keep[:args.mnist])
    for images, labels in (plain, varied, negatives):
        train = train + DigitSet.from_numpy(images, labels)
    print(f"Training set: {len(train):,} images (MNIST {min(args.mnist, 60000):,}, pen digits "
          f"{len(plain[1]) + len(varied[1]):,}, not a digit {len(negatives[1]):,}); "
          f"data ready in {time.perf_counter() - started:.0f} s", flush=True)

    model, params = with_not_a_digit(args.start)
    frozen = frozen_stages(model, args.freeze)
    config = TrainConfig(arch="digitnet", arch_params=params, epochs=args.epochs,
                         batch_size=128, optimizer="adamw", lr=args.lr, schedule="onecycle",
                         augment=True, label_smoothing=0.0, seed=args.seed, device="cpu")
    mnist_count = min(args.mnist, 60000)
    info = {"data": f"MNIST train ({mnist_count}) + pendigits writers 1-20 (3 plain + 4 varied "
                    "renderings) "
                    f"+ {len(negatives[1])} not-a-digit drawings", "start": args.start.name,
            "pendigits_writers": "1-20"}
    info["frozen_convolutions"] = frozen
    engine = Engine(config, train, test, model=model, checkpoint_path=args.out,
                    preprocess_version=PREPROCESS_VERSION, info=info,
                    freeze_batchnorm=args.freeze > 0)
    for event in engine.events():
        if isinstance(event, BatchEnd) and event.batch % 100 == 0:
            print(f"  epoch {event.epoch} batch {event.batch}/{event.batches} "
                  f"loss {event.loss:.4f} {event.images_per_second:.0f} img/s "
                  f"{event.seconds_left / 60:.0f} min left", flush=True)
        elif isinstance(event, EpochEnd):
            print(f"Epoch {event.epoch}: train loss {event.train_loss:.4f}, MNIST test "
                  f"{100 * event.test.accuracy:.2f} %, {event.seconds:.0f} s", flush=True)
    engine.save(args.out, training_state=False)

    calibrate(args)
    print(f"Done in {time.perf_counter() - started:.0f} s; saved to {args.out}")


def calibrate(args: argparse.Namespace) -> None:
    """Fit the calibration on writers 21-24 (kept out of the fine-tune) and store it."""
    writers = read_pendigits(PENDIGITS, parse_writers("21-24"))
    images, labels = condition_images(writers)
    held_negatives, _ = negative_images(2000, TRAINING, args.seed + 3, writers)
    checkpoint = calibrate_file(args.out, images, labels,
                                "pendigits writers 21-24 under the 13 drawn conditions",
                                negatives=held_negatives, sure_accuracy=args.sure_accuracy,
                                sure_coverage=args.sure_coverage)
    shown = {k: v for k, v in checkpoint.calibration.items() if k != "reliability"}
    print(f"Calibration: {shown}", flush=True)


if __name__ == "__main__":
    main()
