"""Make the built-in model: an eleven-output digitnet (the eleventh output is
"not a digit") trained on MNIST, varied renderings of pen-drawn digits and
drawings that are not digits; then calibrated.

It starts from random weights (`--start scratch`) or from a model (given an
eleventh output if it has none), and can learn from finished models as well as
from the labels (`--teachers`). The built-in model is four networks from random
weights distilled into a fifth; resources/MODEL.md gives the exact commands.

    python tools/train_builtin_model.py --start resources/digitnet.safetensors \
        --out NEW.safetensors [--epochs 4] [--threads 2]

Weight averaging (stochastic weight averaging, Izmailov et al. 2018): with
`--average-every K` the weights are averaged every K batches (at a constant
rate with `--schedule none`) and the average is what is saved; `--average A B
...` averages finished model files of one architecture without training.
Either way `--recompute-batchnorm N` can refit the BatchNorm statistics of the
result on N training images, and the calibration is fitted last as always.

`--start scratch` trains a new eleven-output digitnet from random weights
instead (with `--freeze 0`). `--teachers A B ...` distils finished models into
the one trained (trainer.distill): it learns their mean answer on each batch's
images as well as the labels. `--device cuda` trains on a GPU.

Data (../shared/data): MNIST's 60,000 training images; the pendigits writers
of `--writers` (default 1-20), each digit rendered 3 times as before
(digitpad.training.pendigits `training_images`) and 4 times more varied
(`varied_training_images`), and with `--thick N` / `--warp N` N times more with
a thick pen / with its proportions bent; 20,000 not-a-digit drawings of the
training families (digitpad.training.negatives). The calibration is fitted on the
writers of `--calibration-writers` (default 21-24, kept out of the fine-tune
by default; their digits under the 13 drawn conditions); its record says
whether they were also trained on. Writers 25-30 are never used here: the
benches measure on them, and both options refuse them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch.optim.swa_utils import AveragedModel, update_bn

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digitpad.drawing.preprocess import PREPROCESS_VERSION  # noqa: E402
from digitpad.errors import SampleError  # noqa: E402
from digitpad.training.calibrate import calibrate_file  # noqa: E402
from digitpad.training.negatives import TRAINING, negative_images  # noqa: E402
from digitpad.training.pendigits import (  # noqa: E402
    condition_images,
    parse_writers,
    read_pendigits,
    thick_training_images,
    training_images,
    varied_training_images,
    warped_training_images,
)
from trainer.calibration import NOT_A_DIGIT  # noqa: E402
from trainer.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from trainer.config import TrainConfig  # noqa: E402
from trainer.digitset import DigitSet, mnist_sets  # noqa: E402
from trainer.distill import Distillation  # noqa: E402
from trainer.engine import BatchEnd, Engine, EpochEnd, evaluate  # noqa: E402
from trainer.errors import TrainerError  # noqa: E402
from trainer.mnist import load_mnist  # noqa: E402
from trainer.models import build_model  # noqa: E402

DATA = REPO.parent / "shared" / "data"
PENDIGITS_FILE = Path("pendigits") / "pendigits-writers01-30.jsonl"
MEASURED_ON = set(range(25, 31))  # the benches' writers: never trained or calibrated on


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


def averaged_files(paths: list[Path]) -> tuple[torch.nn.Module, dict, str]:
    """The weights of several model files of one architecture, averaged (torch's
    AveragedModel); buffers, such as BatchNorm statistics, are the last file's (fine-tunes
    that froze them, as the recipe's, have the same in every file). Returns (model,
    params, arch)."""
    average, first = None, None
    for path in paths:
        checkpoint = load_checkpoint(path)
        if first is None:
            first = checkpoint
            average = AveragedModel(checkpoint.model)
        elif (checkpoint.arch, checkpoint.arch_params) != (first.arch, first.arch_params):
            sys.exit(f"{path}: another architecture than {paths[0]}; cannot average them")
        average.update_parameters(checkpoint.model)
    return average.module, dict(first.arch_params), first.arch


def keep_averaged_weights(average: AveragedModel, model: torch.nn.Module) -> None:
    """Copy `average`'s weights into `model`; its buffers (BatchNorm statistics, fixed in
    a fine-tune that freezes them) stay as they are unless refitted (--recompute-batchnorm)."""
    with torch.no_grad():
        for mine, averaged in zip(model.parameters(), average.module.parameters(),
                                  strict=True):
            mine.copy_(averaged)


def recompute_batchnorm(model: torch.nn.Module, images: torch.Tensor, batch_size: int = 500,
                        ) -> None:
    """Refit every BatchNorm layer's running mean and variance on `images` (uint8
    (N, 28, 28)): the plain average over all of them (torch's `update_bn`, as SWA does
    for averaged weights)."""
    batches = (images[start:start + batch_size].unsqueeze(1).float().div_(255)
               for start in range(0, len(images), batch_size))
    with torch.no_grad():
        update_bn(batches, model)
    model.eval()


def stored(args: argparse.Namespace, name: str, make) -> tuple[np.ndarray, np.ndarray]:
    """`make()`'s (images, labels), kept in the --cache folder (if any) between runs."""
    if args.cache is None:
        return make()
    path = args.cache / f"{name}.npz"
    if path.exists():
        data = np.load(path)
        return data["images"], data["labels"]
    args.cache.mkdir(parents=True, exist_ok=True)
    images, labels = make()
    np.savez_compressed(path, images=images, labels=labels)
    return images, labels


def training_negatives(args: argparse.Namespace, pen: list) -> tuple[np.ndarray, np.ndarray]:
    """--negatives not-a-digit drawings of the training families, labelled NOT_A_DIGIT."""
    def make():
        images, _ = negative_images(args.negatives, TRAINING, args.seed + 2, pen)
        return images, np.full(len(images), NOT_A_DIGIT, np.int64)

    return stored(args, "negatives", make)


def pen_renderings(args: argparse.Namespace, pen: list) -> tuple[tuple, tuple]:
    """The pen digits of the --writers rendered 3 times as before and 4 times varied."""
    plain = stored(args, "pen-plain", lambda: training_images(pen, 3, args.seed))
    varied = stored(args, "pen-varied", lambda: varied_training_images(pen, 4, args.seed + 1))
    return plain, varied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=Path, default=REPO / "resources" / "digitnet.safetensors",
                        help="the model to fine-tune, or 'scratch': a new eleven-output "
                             "digitnet from random weights (then use --freeze 0)")
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
    parser.add_argument("--thick", type=int, default=0, metavar="N",
                        help="also render each pen digit N times small with a thick pen "
                             "(pendigits.thick_training_images)")
    parser.add_argument("--warp", type=int, default=0, metavar="N",
                        help="also render each pen digit N times with its proportions bent "
                             "(pendigits.warped_training_images)")
    parser.add_argument("--schedule", default="onecycle", choices=("onecycle", "cosine", "none"),
                        help="the learning-rate schedule (none: constant, for weight averaging)")
    parser.add_argument("--average-every", type=int, default=0, metavar="K",
                        help="average the weights every K batches and save the average "
                             "(stochastic weight averaging); 0: save the last weights")
    parser.add_argument("--average", type=Path, nargs="+", default=None, metavar="MODEL",
                        help="no training: average these model files' weights into --out "
                             "(a single file: copy it, e.g. to refit its BatchNorm statistics)")
    parser.add_argument("--recompute-batchnorm", type=int, default=0, metavar="N",
                        help="refit the BatchNorm statistics of the result on N training "
                             "images (MNIST and pen digits); 0: keep them")
    parser.add_argument("--batchnorm-negatives", action="store_true",
                        help="refit them on the not-a-digit drawings too")
    parser.add_argument("--writers", default=None, metavar="LIST",
                        help="the pendigits writers trained on, e.g. 1-24 (default 1-20; with "
                             "--average or --calibrate-only, those the model file records); "
                             "never 25-30")
    parser.add_argument("--calibration-writers", default="21-24", metavar="LIST",
                        help="the pendigits writers the calibration is fitted on (default "
                             "21-24); never 25-30")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the folder holding mnist/ and pendigits/ (default ../shared/data)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"),
                        help="where to train (the recipe is the same on both)")
    parser.add_argument("--teachers", type=Path, nargs="+", default=None, metavar="MODEL",
                        help="distil these finished models into the one trained: it learns "
                             "their mean answer as well as the labels (trainer.distill)")
    parser.add_argument("--distill-temperature", type=float, default=2.0)
    parser.add_argument("--distill-label-weight", type=float, default=0.5,
                        help="the labels' share of the loss; the teachers' is the rest")
    parser.add_argument("--epoch-images", type=int, default=None, metavar="N",
                        help="each epoch a fresh random N of the training images (a quick try)")
    parser.add_argument("--no-calibration", action="store_true",
                        help="save the model uncalibrated (fit it later with --calibrate-only)")
    args = parser.parse_args()
    if args.writers is None:  # a model made before keeps the writers it records
        made = args.average[0] if args.average else args.out if args.calibrate_only else None
        args.writers = recorded_writers(made) if made else "1-20"
    args.writers_set = checked_writers(parser, "--writers", args.writers)
    args.calibration_set = checked_writers(parser, "--calibration-writers",
                                           args.calibration_writers)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    # Read before the minutes of data preparation, so a wrong path is said at once.
    args.teacher_models = teacher_models(parser, args.teachers or [])

    if args.calibrate_only:
        calibrate(args)
        return
    if args.average:
        average_only(args)
        print(f"Done in {time.perf_counter() - started:.0f} s; saved to {args.out}")
        return
    pen = read_pendigits(args.data / PENDIGITS_FILE, args.writers_set)
    plain, varied = pen_renderings(args, pen)

    negatives = training_negatives(args, pen)
    extra = []
    if args.thick:
        extra.append(stored(args, f"pen-thick{args.thick}",
                            lambda: thick_training_images(pen, args.thick, args.seed + 5)))
    if args.warp:
        extra.append(stored(args, f"pen-warp{args.warp}",
                            lambda: warped_training_images(pen, args.warp, args.seed + 6)))
    mnist = load_mnist(args.data / "mnist")
    train, test = mnist_sets(mnist)
    if args.mnist < len(train):
        keep = torch.randperm(len(train), generator=torch.Generator().manual_seed(args.seed))
        train = train.subset(keep[:args.mnist])
    for images, labels in (plain, varied, *extra, negatives):
        train = train + DigitSet.from_numpy(images, labels)
    pen_count = len(plain[1]) + len(varied[1]) + sum(len(labels) for _, labels in extra)
    print(f"Training set: {len(train):,} images (MNIST {min(args.mnist, 60000):,}, pen digits "
          f"{pen_count:,}, not a digit {len(negatives[1]):,}); "
          f"data ready in {time.perf_counter() - started:.0f} s", flush=True)

    if str(args.start) == "scratch":
        torch.manual_seed(args.seed)  # the random weights, as reproducible as the rest
        params = {"outputs": 11}
        model = build_model("digitnet", **params)
    else:
        model, params = with_not_a_digit(args.start)
    frozen = frozen_stages(model, args.freeze)
    config = TrainConfig(arch="digitnet", arch_params=params, epochs=args.epochs,
                         batch_size=128, optimizer="adamw", lr=args.lr, schedule=args.schedule,
                         augment=True, label_smoothing=0.0, seed=args.seed, device=args.device,
                         epoch_images=args.epoch_images)
    distillation = None
    if args.teacher_models:
        distillation = Distillation(args.teacher_models, args.distill_temperature,
                                    args.distill_label_weight)
        distillation.to(args.device)
    mnist_count = min(args.mnist, 60000)
    thick = f" + {args.thick} thick-pen" if args.thick else ""
    thick += f" + {args.warp} warped" if args.warp else ""
    info = {"data": f"MNIST train ({mnist_count}) + pendigits writers {args.writers} (3 plain "
                    f"+ 4 varied{thick} renderings) "
                    f"+ {len(negatives[1])} not-a-digit drawings", "start": args.start.name,
            "pendigits_writers": args.writers}
    info["frozen_convolutions"] = frozen
    if distillation is not None:
        info["distilled_from"] = (f"{len(args.teachers)} models "
                                  f"({', '.join(path.name for path in args.teachers)}), "
                                  f"temperature {args.distill_temperature}, labels' weight "
                                  f"{args.distill_label_weight}")
    average = AveragedModel(model) if args.average_every > 0 else None
    if average is not None:
        info["weight_average"] = f"every {args.average_every} batches"
    engine = Engine(config, train, test, model=model, checkpoint_path=args.out,
                    preprocess_version=PREPROCESS_VERSION, info=info,
                    freeze_batchnorm=args.freeze > 0, batch_loss=distillation)
    for event in engine.events():
        if (average is not None and isinstance(event, BatchEnd)
                and event.batch % args.average_every == 0):
            average.update_parameters(engine.model)
        if isinstance(event, BatchEnd) and event.batch % 100 == 0:
            print(f"  epoch {event.epoch} batch {event.batch}/{event.batches} "
                  f"loss {event.loss:.4f} {event.images_per_second:.0f} img/s "
                  f"{event.seconds_left / 60:.0f} min left", flush=True)
        elif isinstance(event, EpochEnd):
            print(f"Epoch {event.epoch}: train loss {event.train_loss:.4f}, MNIST test "
                  f"{100 * event.test.accuracy:.2f} %, {event.seconds:.0f} s", flush=True)
    if average is not None:
        keep_averaged_weights(average, engine.model)
        print(f"Averaged {int(average.n_averaged)} snapshots of the weights", flush=True)
    if args.recompute_batchnorm:
        parts = [mnist.train_images, plain[0], varied[0], *(images for images, _ in extra)]
        if args.batchnorm_negatives:
            parts.append(negatives[0])
        recompute_batchnorm(engine.model, batchnorm_images(args, *parts))
        engine.info["batchnorm_recomputed_on"] = args.recompute_batchnorm
    if average is not None or args.recompute_batchnorm:
        result = evaluate(engine.model, test, device=engine.device)
        engine.history["epochs"][-1].update(test_accuracy=result.accuracy,
                                            test_loss=result.loss,
                                            test_correct=result.correct)
        print(f"Saved model: MNIST test {100 * result.accuracy:.2f} %", flush=True)
    engine.save(args.out, training_state=False)

    if not args.no_calibration:
        calibrate(args)
    print(f"Done in {time.perf_counter() - started:.0f} s; saved to {args.out}")


def checked_writers(parser: argparse.ArgumentParser, option: str, text: str) -> set[int]:
    """The writers `text` names; refused (one line, exit 2) if unreadable or if it holds
    any of writers 25-30, on which every figure of the model is measured."""
    try:
        writers = parse_writers(text)
    except SampleError as error:
        parser.error(f"{option}: {error}")
    if writers & MEASURED_ON:
        parser.error(f"{option} {text}: writers 25-30 are where the benches measure the model; "
                     f"never train or calibrate on them")
    return writers


def teacher_models(parser: argparse.ArgumentParser, paths: list[Path]) -> list[torch.nn.Module]:
    """The --teachers' models; a file that cannot be read is refused in one line (exit 2)."""
    try:
        return [load_checkpoint(path).model for path in paths]
    except TrainerError as error:
        parser.error(f"--teachers: {error}")


def recorded_writers(path: Path) -> str:
    """The pendigits writers a model file records it was trained on (1-20 if none)."""
    return str(load_checkpoint(path).info.get("pendigits_writers", "1-20"))


def batchnorm_images(args: argparse.Namespace, *parts: np.ndarray) -> torch.Tensor:
    """A random `--recompute-batchnorm` of the training images in `parts` (uint8
    (N, 28, 28) each: MNIST, pen digits, and not-a-digit drawings with
    --batchnorm-negatives), in the proportions the fine-tune sees them."""
    images = np.concatenate(parts)
    rng = np.random.default_rng(args.seed + 4)
    chosen = rng.choice(len(images), min(args.recompute_batchnorm, len(images)), replace=False)
    return torch.from_numpy(np.ascontiguousarray(images[np.sort(chosen)]))


def average_only(args: argparse.Namespace) -> None:
    """--average: the files' mean weights in --out (their first file's metadata kept
    as far as it holds), optionally with refitted BatchNorm statistics; calibrated."""
    model, params, arch = averaged_files(args.average)
    first = load_checkpoint(args.average[0])
    info = {key: value for key, value in first.info.items() if key != "saved"}
    info["averaged"] = [p.name for p in args.average]
    mnist = load_mnist(args.data / "mnist")
    if args.recompute_batchnorm:
        pen = read_pendigits(args.data / PENDIGITS_FILE, args.writers_set)
        plain, varied = pen_renderings(args, pen)
        parts = [mnist.train_images, plain[0], varied[0]]
        if args.batchnorm_negatives:
            parts.append(training_negatives(args, pen)[0])
        recompute_batchnorm(model, batchnorm_images(args, *parts))
        info["batchnorm_recomputed_on"] = args.recompute_batchnorm
    _, test = mnist_sets(mnist)
    result = evaluate(model, test)
    print(f"Average of {len(args.average)} models: MNIST test {100 * result.accuracy:.2f} %",
          flush=True)
    save_checkpoint(args.out, model, arch, params, metrics={
        "test_accuracy": result.accuracy, "test_loss": result.loss,
        "test_correct": result.correct, "test_total": result.total},
        preprocess_version=first.preprocess_version, config=first.config,
        history=first.history, epoch=first.epoch, info=info)
    calibrate(args)


def calibrate(args: argparse.Namespace) -> None:
    """Fit the calibration on the --calibration-writers and store it; the record says
    whether they were trained on (the default keeps them out of the fine-tune)."""
    writers = read_pendigits(args.data / PENDIGITS_FILE, args.calibration_set)
    images, labels = condition_images(writers)
    held_negatives, _ = negative_images(2000, TRAINING, args.seed + 3, writers)
    fitted_on = (f"pendigits writers {args.calibration_writers} under the 13 drawn conditions"
                 + (", writers also trained on" if args.calibration_set & args.writers_set
                    else ""))
    checkpoint = calibrate_file(args.out, images, labels, fitted_on,
                                negatives=held_negatives, sure_accuracy=args.sure_accuracy,
                                sure_coverage=args.sure_coverage)
    shown = {k: v for k, v in checkpoint.calibration.items() if k != "reliability"}
    print(f"Calibration: {shown}", flush=True)


if __name__ == "__main__":
    main()
