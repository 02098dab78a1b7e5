"""The training loop: one for the command line, the GUI and the benchmarks.

It reads like pytorch/examples' MNIST recipe — train a batch, step, evaluate
after each epoch — with what a real program needs around it: events for
progress (as an iterator or plain callbacks), cooperative cancel and pause,
optimizers and schedules by name, augmentation, seeding, checkpoints after
every epoch, and resume. It knows nothing about Qt.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from trainer.allocator import keep_freed_memory
from trainer.augment import Augmentation, augment
from trainer.checkpoint import Checkpoint, save_checkpoint
from trainer.config import TrainConfig
from trainer.device import native_bfloat16, resolve_device
from trainer.digitset import DigitSet, as_float
from trainer.errors import ConfigError, TrainingDiverged
from trainer.inference import inference_copy
from trainer.models import build_model


@dataclass(frozen=True)
class BatchEnd:
    epoch: int  # 1-based
    batch: int  # 1-based within the epoch
    batches: int
    loss: float
    progress: float  # 0..1 over the whole run
    images_per_second: float
    seconds_left: float


@dataclass(frozen=True)
class EvalResult:
    loss: float
    correct: int
    total: int
    confusion: list[list[int]] = field(repr=False)
    # The model's outputs for every image, in order, when asked for (keep_outputs).
    outputs: torch.Tensor | None = field(default=None, repr=False, compare=False)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def tutorial_line(self) -> str:
        """The line pytorch/examples' MNIST script made familiar."""
        return (f"Test set: Average loss: {self.loss:.4f}, "
                f"Accuracy: {self.correct}/{self.total} ({100 * self.accuracy:.2f}%)")


@dataclass(frozen=True)
class EpochEnd:
    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float
    test: EvalResult | None
    seconds: float
    lr: float

    def record(self) -> dict:
        """What the history keeps of an epoch (plain JSON values)."""
        # Not asdict(self): it would deep-copy the test's outputs only to drop them.
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "test"}
        if self.test is not None:
            values.update(test_loss=self.test.loss, test_accuracy=self.test.accuracy,
                          test_correct=self.test.correct, test_total=self.test.total)
        return values


Event = BatchEnd | EpochEnd


def evaluate(model: nn.Module, data: DigitSet, batch_size: int = 1000,
             device: torch.device | str = "cpu",
             should_stop: Callable[[], bool] = lambda: False,
             keep_outputs: bool = False) -> EvalResult | None:
    """Average loss, accuracy and confusion matrix (rows: true digit), and with
    `keep_outputs` the model's outputs (on the CPU, float32). None if stopped."""
    device = torch.device(device)
    model.eval()
    # The BatchNorm-folded, channels-last copy reads the same (to 1e-5) in a third to
    # half of the time; copying the model costs a few milliseconds.
    model = inference_copy(model)
    total_loss, correct = 0.0, 0
    confusion = torch.zeros(10, 10, dtype=torch.long)
    outputs = []
    with torch.no_grad():
        for start in range(0, len(data), batch_size):
            if should_stop():
                return None
            x = as_float(data.images[start:start + batch_size]).to(device)
            y = data.labels[start:start + batch_size].to(device)
            output = model(x)
            if keep_outputs:
                outputs.append(output.float().cpu())
            total_loss += F.nll_loss(output, y, reduction="sum").item()
            # The digit it reads: a model with a "not a digit" output is asked
            # which of the ten digits this is (its rejections are measured apart).
            predicted = output[:, :10].argmax(dim=1)
            correct += int((predicted == y).sum())
            confusion += torch.bincount((y * 10 + predicted).cpu(), minlength=100).view(10, 10)
    n = len(data)
    kept = torch.cat(outputs) if outputs else None
    return EvalResult(total_loss / max(n, 1), correct, n, confusion.tolist(), kept)


def training_memory_format(model: nn.Module, device: torch.device) -> torch.memory_format:
    """channels_last for a convolutional network on a CPU, where it measured faster
    (bench/train_throughput.py); the usual layout elsewhere."""
    has_convolutions = any(isinstance(m, nn.Conv2d) for m in model.modules())
    if device.type == "cpu" and has_convolutions:
        return torch.channels_last
    return torch.contiguous_format


def interim_sample(test: DigitSet | None, count: int | None) -> DigitSet | None:
    """The test images checked between epochs: `count` of them, the same ones in every
    run (a fixed seed, so curves of different runs compare), or all when count is None."""
    if test is None or count is None or count >= len(test):
        return test
    chosen = torch.randperm(len(test), generator=torch.Generator().manual_seed(0))[:count]
    return test.subset(chosen.sort().values)


def training_loss(log_probabilities: torch.Tensor, target: torch.Tensor,
                  label_smoothing: float = 0.0) -> torch.Tensor:
    """The loss of one batch. The models return log-probabilities, which
    cross_entropy's log_softmax leaves as they are; without smoothing, plain
    nll_loss saves that extra step on every batch."""
    if label_smoothing:
        return F.cross_entropy(log_probabilities, target, label_smoothing=label_smoothing)
    return F.nll_loss(log_probabilities, target)


def make_optimizer(config: TrainConfig, parameters,
                   device: torch.device | str = "cpu") -> torch.optim.Optimizer:
    lr, momentum = config.learning_rate, config.momentum_value
    decay = config.weight_decay
    # One fused kernel per step instead of a few small operations per tensor: the
    # same update, a little quicker (bench/train_throughput.py).
    fused = {"fused": True} if torch.device(device).type in ("cpu", "cuda") else {}
    if config.optimizer in ("sgd", "nesterov"):
        return torch.optim.SGD(parameters, lr=lr, momentum=momentum,
                               nesterov=config.optimizer == "nesterov", weight_decay=decay or 0.0,
                               **fused)
    if config.optimizer == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=decay or 0.0, **fused)
    if config.optimizer == "adamw":
        return torch.optim.AdamW(parameters, lr=lr, weight_decay=0.01 if decay is None else decay,
                                 **fused)
    if config.optimizer == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr, momentum=momentum, weight_decay=decay or 0.0)
    raise ConfigError(f"unknown optimizer '{config.optimizer}'")


# PyTorch's one-cycle warm-up lasts pct_start × steps − 1 steps and it divides by
# that, so a whole run of 4 batches or fewer anneals like "cosine" instead.
ONE_CYCLE_PCT_START = 0.25
ONE_CYCLE_MIN_STEPS = int(1 / ONE_CYCLE_PCT_START) + 1


def make_schedule(config: TrainConfig, optimizer, total_steps: int):
    """A per-batch learning-rate schedule, or None for a constant rate."""
    if config.schedule == "onecycle" and total_steps >= ONE_CYCLE_MIN_STEPS:
        return torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=config.learning_rate, total_steps=total_steps,
            pct_start=ONE_CYCLE_PCT_START, cycle_momentum=False)
    if config.schedule in ("cosine", "onecycle"):
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    return None


class Engine:
    """Trains one model on one data set; use `events()` or `run()`.

    To resume, pass the `Checkpoint` of an earlier run (loaded with its
    training state): the model, optimizer, schedule, random state, epoch and
    history all continue from there.

    For fine-tuning an already trained model: `freeze_batchnorm` keeps the
    BatchNorm layers' running statistics as they are (they are used, not
    updated, while the weights train), and `penalty(model)` is added to each
    batch's loss (e.g. a pull towards the original weights).

    `batch_loss(images, log_probabilities, labels)`, if given, replaces the usual
    loss of each batch: it sees the augmented images the model saw, so another
    model can be asked about the very same images (distillation).
    """

    def __init__(self, config: TrainConfig, train: DigitSet, test: DigitSet | None = None, *,
                 model: nn.Module | None = None, resume: Checkpoint | None = None,
                 checkpoint_path: str | Path | None = None, preprocess_version: int | None = None,
                 info: dict | None = None, augmentation: Augmentation | None = None,
                 freeze_batchnorm: bool = False,
                 penalty: Callable[[nn.Module], torch.Tensor] | None = None,
                 batch_loss: Callable[[torch.Tensor, torch.Tensor, torch.Tensor],
                                      torch.Tensor] | None = None) -> None:
        self.config = config.validate()
        if len(train) == 0:
            raise ConfigError("there are no training images")
        self.train_set, self.test_set = train, test
        self.final_test_outputs: torch.Tensor | None = None  # of the last epoch's full test
        self.device = resolve_device(config.device)
        self.checkpoint_path = Path(checkpoint_path) if checkpoint_path else None
        self.preprocess_version = preprocess_version
        self.info = info or {}
        self.augmentation = augmentation or Augmentation()
        self.freeze_batchnorm = freeze_batchnorm
        self.penalty = penalty
        self.batch_loss = batch_loss
        # Written into every checkpoint; the session fits it when the run ends.
        self.calibration: dict = {}
        # Called with the model right after each batch's backward pass, while the
        # gradients are there to look at (the Trainer tab's per-layer gradient norms).
        self.after_backward: Callable[[nn.Module], None] | None = None
        self._cancel = threading.Event()
        self._running = threading.Event()
        self._running.set()

        torch.manual_seed(config.seed)
        self.generator = torch.Generator().manual_seed(config.seed)
        if resume is not None:
            model = resume.model
        if model is None:
            model = build_model(config.arch, **config.arch_params)
        # Convolutions train faster channels-last (oneDNN's own layout) on a CPU.
        self.memory_format = training_memory_format(model, self.device)
        if self.device.type == "cpu":
            keep_freed_memory()  # no page faults for each batch's fresh tensors
        self.model = model.to(self.device, memory_format=self.memory_format)
        # An epoch may be a fresh sample of the training set (config.epoch_images).
        self.epoch_images = min(config.epoch_images or len(train), len(train))
        self.steps_per_epoch = math.ceil(self.epoch_images / config.batch_size)
        self.interim_test_set = interim_sample(test, config.interim_test_images)
        # The forward pass in bfloat16 only where the processor has it (else it is emulated).
        self.bfloat16 = config.precision == "bfloat16" and native_bfloat16(self.device)
        self.optimizer = make_optimizer(config, self.model.parameters(), self.device)
        self.schedule = make_schedule(config, self.optimizer, config.epochs * self.steps_per_epoch)
        self.epoch = 0
        self.history: dict = {"epochs": [], "batch_losses": []}
        if resume is not None:
            self._restore(resume)

    # -- control, callable from any thread ----------------------------------

    def cancel(self) -> None:
        """Stop at the next batch boundary (the last finished epoch stays saved)."""
        self._cancel.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def _should_stop(self) -> bool:
        self._running.wait()
        return self._cancel.is_set()

    # -- the loop -----------------------------------------------------------

    def events(self) -> Iterator[Event]:
        """Train until done or cancelled: a BatchEnd per batch, an EpochEnd per epoch."""
        config = self.config
        images = self.train_set.images.to(self.device)
        labels = self.train_set.labels.to(self.device)
        total_steps = config.epochs * self.steps_per_epoch
        run_start, run_images = time.perf_counter(), 0
        while self.epoch < config.epochs:
            if self._should_stop():
                return
            epoch = self.epoch + 1
            epoch_start = time.perf_counter()
            self.model.train()
            if self.freeze_batchnorm:
                for module in self.model.modules():
                    if isinstance(module, nn.modules.batchnorm._BatchNorm):
                        module.eval()
            order = torch.randperm(len(labels), generator=self.generator)
            order = order[:self.epoch_images].to(self.device)
            loss_sum, seen = 0.0, 0
            # Counted on the device and read once per epoch: one sync less per batch.
            correct = torch.zeros((), dtype=torch.long, device=self.device)
            for batch in range(self.steps_per_epoch):
                if self._should_stop():
                    return
                index = order[batch * config.batch_size:(batch + 1) * config.batch_size]
                x = as_float(images[index])
                y = labels[index]
                if config.augment:
                    x = augment(x, self.augmentation, self.generator)
                with torch.autocast(self.device.type, torch.bfloat16, enabled=self.bfloat16):
                    output = self.model(x)
                if self.batch_loss is not None:
                    loss = self.batch_loss(x, output.float(), y)
                else:
                    loss = training_loss(output.float(), y, config.label_smoothing)
                if self.penalty is not None:
                    loss = loss + self.penalty(self.model)
                loss_value = loss.item()
                if not math.isfinite(loss_value):
                    raise TrainingDiverged(
                        f"the loss became {loss_value} in epoch {epoch}, batch {batch + 1}; "
                        "training stopped (try a lower learning rate)")
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if self.after_backward is not None:
                    self.after_backward(self.model)
                # The rate this batch used (the schedule moves on right after).
                lr = self.optimizer.param_groups[0]["lr"]
                self.optimizer.step()
                if self.schedule is not None:
                    self.schedule.step()
                n = len(y)
                loss_sum += loss_value * n
                correct += (output.argmax(1) == y).sum()
                seen += n
                run_images += n
                self.history["batch_losses"].append(loss_value)
                done = (epoch - 1) * self.steps_per_epoch + batch + 1
                elapsed = time.perf_counter() - run_start
                rate = run_images / elapsed if elapsed > 0 else 0.0
                steps_done_here = run_images / config.batch_size
                left = (total_steps - done) * elapsed / steps_done_here if steps_done_here else 0.0
                yield BatchEnd(epoch, batch + 1, self.steps_per_epoch, loss_value,
                               done / total_steps, rate, left)
            test = None
            if self.test_set is not None:
                # Between epochs perhaps a fixed sample of the test set; after the last, all.
                last = epoch == config.epochs
                checked = self.test_set if last else self.interim_test_set
                test = evaluate(self.model, checked, config.eval_batch_size, self.device,
                                self._should_stop, keep_outputs=last)
                if test is None:
                    return
                # The calibration fit after the run reads these instead of the test set again.
                self.final_test_outputs = test.outputs if last else None
            end = EpochEnd(epoch, config.epochs, loss_sum / seen, int(correct) / seen, test,
                           time.perf_counter() - epoch_start, lr)
            self.epoch = epoch
            self.history["epochs"].append(end.record())
            if self.checkpoint_path is not None:
                self.save(self.checkpoint_path)
            yield end

    def run(self, on_batch: Callable[[BatchEnd], None] | None = None,
            on_epoch: Callable[[EpochEnd], None] | None = None) -> dict:
        """Train with plain callbacks; returns the history."""
        for event in self.events():
            if isinstance(event, BatchEnd) and on_batch:
                on_batch(event)
            elif isinstance(event, EpochEnd) and on_epoch:
                on_epoch(event)
        return self.history

    # -- checkpoints --------------------------------------------------------

    def metrics(self) -> dict:
        if not self.history["epochs"]:
            return {}
        last = self.history["epochs"][-1]
        return {k: last[k] for k in ("test_loss", "test_accuracy", "train_loss", "train_accuracy",
                                     "test_correct", "test_total") if k in last}

    def save(self, path: str | Path, *, training_state: bool = True) -> Path:
        state = None
        if training_state:
            state = {
                "optimizer": self.optimizer.state_dict(),
                "schedule": self.schedule.state_dict() if self.schedule is not None else None,
                "generator": self.generator.get_state(),
                "torch_rng": torch.get_rng_state(),
            }
        return save_checkpoint(
            path, self.model, self.config.arch, self.config.arch_params, metrics=self.metrics(),
            preprocess_version=self.preprocess_version, config=self.config, history=self.history,
            epoch=self.epoch, training_state=state, info=self.info,
            calibration=self.calibration)

    def _restore(self, checkpoint: Checkpoint) -> None:
        state = checkpoint.training_state or {}
        if "optimizer" in state:
            self.optimizer.load_state_dict(state["optimizer"])
        if self.schedule is not None and state.get("schedule") is not None:
            self.schedule.load_state_dict(state["schedule"])
        if "generator" in state:
            self.generator.set_state(state["generator"])
        if "torch_rng" in state:
            torch.set_rng_state(state["torch_rng"])
        self.epoch = checkpoint.epoch
        history = checkpoint.history or {}
        self.history = {"epochs": list(history.get("epochs", [])),
                        "batch_losses": list(history.get("batch_losses", []))}
