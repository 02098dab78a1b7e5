"""Fine-tuning on the user's own handwriting ("Teach it your handwriting").

Starts from a copy of the model in use (the Recognizer's model is never
touched), holds back part of the personal samples to measure on, and trains on
the rest, each re-rendered from its strokes at several pen widths and then
randomly rotated, shifted and scaled (trainer.augment). When MNIST is at hand,
every batch also replays MNIST digits, so the model learns the user's style
without forgetting everyone else's. Before and after, it measures the accuracy
on the held-back samples and on the MNIST test set.

Guards against forgetting, in both modes:

* BatchNorm statistics stay frozen (the engine's `freeze_batchnorm`). A few
  dozen personal digits repeated through a run would otherwise drag the
  running means and variances the whole network relies on towards one
  person's pen.
* A pull towards the original weights (L2-SP: penalty · Σ(w - w₀)²), so the
  model moves only as far as the personal samples need.

Without MNIST there is nothing to remind the model of other people's digits,
so that mode trains fewer steps at a lower learning rate with a ten times
stronger pull (SETTINGS_WITHOUT_MNIST).

bench/personal_finetune.py measures both modes on writers the model never saw
(their errors before and after, MNIST before and after, the time a fine-tune
takes); the README gives its figures. The recipe's settings, such as the share
of personal digits in each batch, were chosen with it.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from digitpad.drawing.preprocess import PREPROCESS_VERSION
from digitpad.drawing.strokes import Stroke
from digitpad.figures import percent
from digitpad.store.samples import Sample, sample_image
from digitpad.training.calibrate import fit_calibration
from digitpad.training.mnist_places import find_mnist
from trainer.augment import Augmentation
from trainer.checkpoint import Checkpoint
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, Engine, EvalResult, evaluate
from trainer.errors import DataError, TrainerError
from trainer.mnist import Mnist, load_mnist

WITH_MNIST = "with MNIST replay"
PERSONAL_ONLY = "personal samples only"
# Fewer samples than this make a fine-tune meaningless.
MINIMUM_SAMPLES = 10

# Each training sample is re-rendered with its pen width times these factors:
# the preprocessing normalises stroke thickness, but not perfectly, and this
# is exactly the variation between drawing with a thin or a fat pen.
PEN_FACTORS = (0.5, 0.75, 1.0, 1.5, 2.0)

# Milder than the training augmentation: a person's digits vary less than
# everyone's, and their slant and proportions are what we want to learn.
PERSONAL_AUGMENTATION = Augmentation(rotation_degrees=10.0, scale=(0.9, 1.1),
                                     aspect=(0.9, 1.1), shear=0.15, shift_pixels=2.0)


@dataclass(frozen=True)
class FineTuneSettings:
    # 100 steps without label smoothing, instead of 60 with 0.05: the built-in
    # model was trained without smoothing, and smoothing it now cost every writer
    # about a point of MNIST (chosen on writers 21-24; see the README's figures).
    steps: int = 100
    batch_size: int = 64
    # Of each batch, the rest is MNIST replay. Half and half, with a pull three
    # times the first recipe's (0.7, 0.01), costs every writer of the bench less
    # MNIST accuracy; see the README's figures.
    personal_share: float = 0.5
    lr: float = 5e-4
    pull: float = 0.03  # L2-SP strength: penalty · Σ(w - w₀)²
    hold_back: float = 0.25  # share of each digit's samples kept for measuring
    # MNIST is measured before and after on this many test digits, always the same
    # ones (None: all 10,000). A full pass costs as much as the training itself, and
    # 2,000 digits tell a drop of a few tenths of a point well enough for the user;
    # bench/personal_finetune.py measures the whole test set itself.
    mnist_test_images: int | None = 2000
    seed: int = 1
    label_smoothing: float = 0.0


SETTINGS_WITH_MNIST = FineTuneSettings()
SETTINGS_WITHOUT_MNIST = FineTuneSettings(steps=40, lr=2.5e-4, pull=0.1)


@dataclass(frozen=True)
class FineTuneResult:
    checkpoint: Checkpoint  # the fine-tuned model, ready for Recognizer.use() or saving
    mode: str  # WITH_MNIST or PERSONAL_ONLY
    trained_samples: int
    held_back_samples: int
    held_back_before: float | None  # accuracy on the held-back samples (None: none held back)
    held_back_after: float | None
    mnist_before: float | None  # MNIST test accuracy (None: MNIST not available)
    mnist_after: float | None
    seconds: float
    mnist_test_images: int | None = None  # how many MNIST test digits, if not all

    def summary(self) -> list[str]:
        """Lines for the user: what was done and what changed."""
        lines = [f"Fine-tuned on {self.trained_samples} of your samples ({self.mode}) "
                 f"in {self.seconds:.0f} s."]
        if self.held_back_before is not None:
            lines.append(f"Your {self.held_back_samples} held-back samples: "
                         f"{percent(self.held_back_before)} before, "
                         f"{percent(self.held_back_after)} after.")
        if self.mnist_before is not None:
            digits = f" ({self.mnist_test_images:,} digits)" if self.mnist_test_images else ""
            lines.append(f"MNIST test{digits}: {percent(self.mnist_before)} before, "
                         f"{percent(self.mnist_after)} after.")
        else:
            lines.append("MNIST not found: its accuracy was not measured.")
        return lines


Progress = Callable[[str, float], None]  # (what is happening, 0..1 overall)

# MNIST test accuracy of models measured before: the second fine-tune from the
# same model in use need not measure it again (a full MNIST test pass costs more
# than the fine-tune's training itself). Keyed on fingerprints of the weights and
# of the test digits, not on objects: the window loads MNIST afresh for every
# fine-tune, and a recycled id or an array changed in place must not bring back
# another data set's figure. Fingerprinting both costs milliseconds.
_measured: dict[tuple[str, str], float] = {}
MEASURED_KEPT = 16  # the oldest figure is forgotten beyond this many


def split_held_back(samples: Sequence[Sample], share: float,
                    rng: np.random.Generator) -> tuple[list[Sample], list[Sample]]:
    """(train, held back): about `share` of each digit's samples held back, at least one
    of every digit that has two or more, never a digit's last training sample."""
    train: list[Sample] = []
    held: list[Sample] = []
    for digit in range(10):
        group = [s for s in samples if s.label == digit]
        order = rng.permutation(len(group))
        count = 0
        if len(group) >= 2 and share > 0:
            count = min(len(group) - 1, max(1, round(share * len(group))))
        held += [group[i] for i in order[:count]]
        train += [group[i] for i in order[count:]]
    return train, held


def rendered_variants(samples: Sequence[Sample]) -> DigitSet:
    """Each sample as stored, plus re-rendered from its strokes at other pen widths
    (a sample read from an image file has no strokes: only its image)."""
    images, labels = [], []
    for sample in samples:
        images.append(sample.image)
        labels.append(sample.label)
        for factor in PEN_FACTORS if sample.strokes else ():
            if factor == 1.0:
                continue
            strokes = [Stroke(s.points, s.width * factor, s.eraser) for s in sample.strokes]
            try:
                images.append(sample_image(strokes, sample.canvas_size))
            except TrainerError:
                continue  # a fat eraser can wipe a drawing out: skip that variant
            labels.append(sample.label)
    return DigitSet.from_numpy(np.asarray(images, np.uint8).reshape(-1, 28, 28),
                               np.asarray(labels, np.int64))


def stored_images(samples: Sequence[Sample]) -> DigitSet:
    return DigitSet.from_numpy(np.asarray([s.image for s in samples], np.uint8).reshape(-1, 28, 28),
                               np.asarray([s.label for s in samples], np.int64))


def load_replay_mnist(place: Path | None = None) -> Mnist | None:
    """MNIST from `place` or the usual places, or None (then fine-tuning uses personal
    samples only: an unreadable MNIST is no reason to refuse)."""
    place = place or find_mnist()
    if place is None:
        return None
    try:
        return load_mnist(place)
    except DataError:
        return None


class PersonalFineTune:
    """One fine-tune of a model on personal samples; `run()` it, `cancel()` from any thread."""

    def __init__(self, checkpoint: Checkpoint, samples: Sequence[Sample],
                 mnist: Mnist | None = None, settings: FineTuneSettings | None = None) -> None:
        if len(samples) < MINIMUM_SAMPLES:
            raise DataError(f"teach at least {MINIMUM_SAMPLES} samples first "
                            f"(you have {len(samples)})")
        self.source = checkpoint
        self.samples = list(samples)
        self.mnist = mnist
        self.mode = WITH_MNIST if mnist is not None else PERSONAL_ONLY
        self.settings = settings or (SETTINGS_WITH_MNIST if mnist is not None
                                     else SETTINGS_WITHOUT_MNIST)
        self._cancel = threading.Event()
        self._engine: Engine | None = None

    def cancel(self) -> None:
        self._cancel.set()
        engine = self._engine
        if engine is not None:
            engine.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self, on_progress: Progress | None = None) -> FineTuneResult | None:
        """Fine-tune and measure; None if cancelled."""
        steps = self.steps()
        while True:
            try:
                stage, fraction = next(steps)
            except StopIteration as end:
                return end.value
            if on_progress is not None:
                on_progress(stage, fraction)

    def steps(self) -> Generator[tuple[str, float], None, FineTuneResult | None]:
        """`run()` as a generator: yields (what is happening, 0..1 overall) and returns
        what `run()` returns (the window's worker pattern runs it this way)."""
        settings = self.settings
        started = time.perf_counter()
        rng = np.random.default_rng(settings.seed)
        train_samples, held = split_held_back(self.samples, settings.hold_back, rng)
        held_set = stored_images(held) if held else None
        mnist_test = self._mnist_test()

        yield "measuring the model in use", 0.0
        model = copy.deepcopy(self.source.model).cpu()
        held_before = self._accuracy(model, held_set)
        mnist_before = self._mnist_accuracy_before(model, mnist_test)
        if self.cancelled:
            return None

        yield "preparing your samples", 0.1
        train = self._training_set(rendered_variants(train_samples), rng)
        config = TrainConfig(
            arch=self.source.arch, arch_params=dict(self.source.arch_params), epochs=1,
            batch_size=settings.batch_size, optimizer="adamw", lr=settings.lr, weight_decay=0.0,
            schedule="cosine", augment=True, label_smoothing=settings.label_smoothing,
            seed=settings.seed,
            device="cpu")
        engine = Engine(config, train, None, model=model, augmentation=PERSONAL_AUGMENTATION,
                        preprocess_version=PREPROCESS_VERSION, freeze_batchnorm=True,
                        penalty=_pull_towards(model, settings.pull))
        self._engine = engine
        if self.cancelled:
            return None
        for event in engine.events():
            if isinstance(event, BatchEnd):
                yield "fine-tuning", 0.15 + 0.7 * event.progress
        if self.cancelled:
            return None

        yield "measuring the new model", 0.85
        model.eval()
        held_after = self._accuracy(model, held_set)
        measured = self._evaluated(model, mnist_test, keep_outputs=True)
        mnist_after = None if measured is None else measured.accuracy
        if self.cancelled:
            return None
        yield "done", 1.0
        metrics = {}
        if mnist_after is not None:
            metrics["test_accuracy"] = mnist_after
        if held_after is not None:
            metrics["personal_accuracy"] = held_after
        info = {"fine_tuned_on": "personal samples", "mode": self.mode,
                "personal_samples": len(train_samples), "held_back": len(held)}
        checkpoint = Checkpoint(model=model, arch=self.source.arch,
                                arch_params=dict(self.source.arch_params),
                                preprocess_version=PREPROCESS_VERSION, metrics=metrics,
                                config=config, history=engine.history, epoch=1, info=info,
                                calibration=dict(self.source.calibration))
        if mnist_test is not None:
            # The fine-tune changed how sure the model is: fit its calibration again.
            # (From the outputs the measuring just read, not a second reading.)
            checkpoint.calibration = fit_calibration(
                checkpoint, mnist_test.images, mnist_test.labels,
                "MNIST test set, after a personal fine-tune",
                outputs=measured.outputs if measured is not None else None)
        return FineTuneResult(checkpoint, self.mode, len(train_samples), len(held), held_before,
                              held_after, mnist_before, mnist_after,
                              time.perf_counter() - started,
                              self._subset_size(mnist_test))

    def _training_set(self, personal: DigitSet, rng: np.random.Generator) -> DigitSet:
        """`steps` batches' worth of images: personal variants repeated to their share,
        MNIST training digits for the rest (the augmentation makes every repeat new)."""
        settings = self.settings
        total = settings.steps * settings.batch_size
        share = settings.personal_share if self.mnist is not None else 1.0
        wanted = max(1, round(share * total))
        repeat = rng.integers(0, len(personal), wanted)
        # Every variant at least once (in random order), then random repeats.
        index = np.concatenate([rng.permutation(len(personal)), repeat])[:wanted]
        chosen = personal.subset(index)
        if self.mnist is None or wanted >= total:
            return chosen
        available = len(self.mnist.train_labels)  # a small MNIST-like set repeats digits
        replay = rng.choice(available, total - wanted, replace=total - wanted > available)
        return chosen + DigitSet.from_numpy(self.mnist.train_images[replay],
                                            self.mnist.train_labels[replay])

    def _mnist_test(self) -> DigitSet | None:
        """The MNIST test digits to measure on: a fixed subset, the same for every
        fine-tune and seed, so the figure before is measured once per model."""
        if self.mnist is None:
            return None
        images, labels = self.mnist.test_images, self.mnist.test_labels
        limit = self.settings.mnist_test_images
        if limit is not None and limit < len(labels):
            index = np.sort(np.random.default_rng(0).choice(len(labels), limit, replace=False))
            images, labels = images[index], labels[index]
        return DigitSet.from_numpy(images, labels)

    def _subset_size(self, test: DigitSet | None) -> int | None:
        """How many MNIST test digits were measured, if not all of them."""
        if test is None or self.mnist is None or len(test) >= len(self.mnist.test_labels):
            return None
        return len(test)

    def _mnist_accuracy_before(self, model: nn.Module, test: DigitSet | None) -> float | None:
        """The source model's MNIST accuracy, measured once per weights and test set
        (`model` is its copy, so it has the same weights)."""
        if test is None:
            return None
        key = (fingerprint(model.state_dict().values()), fingerprint((test.images, test.labels)))
        if key not in _measured:
            accuracy = self._accuracy(model, test)
            if accuracy is None:
                return None
            _measured[key] = accuracy
            while len(_measured) > MEASURED_KEPT:
                del _measured[next(iter(_measured))]
        return _measured[key]

    def _accuracy(self, model: nn.Module, data: DigitSet | None) -> float | None:
        result = self._evaluated(model, data)
        return None if result is None else result.accuracy

    def _evaluated(self, model: nn.Module, data: DigitSet | None,
                   keep_outputs: bool = False) -> EvalResult | None:
        if data is None or self.cancelled:
            return None
        return evaluate(model, data, 500, "cpu", self._cancel.is_set, keep_outputs)


def fingerprint(tensors: Iterable[torch.Tensor]) -> str:
    """A digest of the tensors' types, shapes and contents."""
    digest = hashlib.blake2b(digest_size=16)
    for tensor in tensors:
        tensor = tensor.detach().cpu().contiguous()
        digest.update(f"{tensor.dtype}{tuple(tensor.shape)}".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy())
    return digest.hexdigest()


def _pull_towards(model: nn.Module, strength: float) -> Callable[[nn.Module], torch.Tensor] | None:
    """L2-SP: strength · Σ(w - w₀)² over the trainable weights, w₀ as they are now."""
    if strength <= 0:
        return None
    original = [p.detach().clone() for p in model.parameters()]

    def penalty(current: nn.Module) -> torch.Tensor:
        return strength * sum(((p - p0) ** 2).sum()
                              for p, p0 in zip(current.parameters(), original, strict=True))

    return penalty
