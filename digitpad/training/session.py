"""One training session, the same for `digitpad train` and the Trainer tab.

A session finds and loads the data, builds the `trainer.Engine` (stamped with
the preprocessing version), passes the engine's events on, keeps the run's
record in step after every epoch, and at the end reads back the checkpoint of
the last finished epoch: the model a user can adopt or resume from. What it
says about each epoch (`epoch_line`) and about a stop (`stop_line`) is said the
same way in the terminal and in the window.

A stop (or Ctrl+C) in the middle of an epoch throws that epoch's batches away:
the checkpoint holds whole epochs only, so that a resumed run is exactly the
run that was never stopped. The session says how much was lost.

No Qt here: the window runs `events()` in its worker, the CLI in a plain loop.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from torch import nn

from digitpad.drawing.preprocess import PREPROCESS_VERSION
from digitpad.errors import one_line
from digitpad.store.runs import FAILED, FINISHED, STOPPED, Run
from digitpad.training.calibrate import fit_calibration
from digitpad.training.mnist_places import mnist_from_args
from trainer.checkpoint import Checkpoint, load_checkpoint, store_calibration
from trainer.config import TrainConfig
from trainer.digitset import DigitSet, mnist_sets
from trainer.engine import BatchEnd, Engine, EpochEnd, Event
from trainer.errors import TrainerError, TrainingDiverged
from trainer.mnist import Mnist


@dataclass
class TrainingJob:
    """Everything one run needs; made where the user asked for it, then owned by the session."""

    config: TrainConfig
    run: Run | None = None  # the window keeps a record of each run; the CLI does not
    checkpoint_path: Path | None = None  # default: the run's checkpoint
    data: Path | None = None  # an MNIST folder or .npz; None: the usual places
    sets: tuple[DigitSet, DigitSet | None] | None = None  # or data already in memory
    model: nn.Module | None = None  # a copy to fine-tune; None trains from scratch
    resume: Checkpoint | None = None  # an interrupted run's checkpoint, with training state
    info: dict = field(default_factory=dict)  # more to note in the checkpoint


@dataclass(frozen=True)
class TrainingOutcome:
    run: Run | None
    checkpoint: Checkpoint | None  # the last finished epoch's model; None if none finished
    stopped: bool  # stopped by the user before the planned epochs


def training_threads() -> int:
    """All cores but one: the window keeps a core to stay responsive."""
    return max(1, (os.cpu_count() or 1) - 1)


def epoch_line(event: EpochEnd) -> str:
    """The line each finished epoch gets, in the terminal and in the window's log."""
    return (f"Epoch {event.epoch}/{event.epochs}: train loss {event.train_loss:.4f}, "
            f"train accuracy {100 * event.train_accuracy:.2f}%, {event.seconds:.1f} s")


def plan_line(config: TrainConfig, train_images: int, test_images: int | None) -> str | None:
    """How a quick run samples its data, in words; None when it trains on all of it and
    tests on all of it after every epoch."""
    parts = []
    if config.epoch_images is not None and config.epoch_images < train_images:
        parts.append(f"each epoch trains on {config.epoch_images:,} of the {train_images:,} "
                     f"training images, drawn afresh")
    interim = config.interim_test_images
    if test_images and interim is not None and interim < test_images and config.epochs > 1:
        parts.append(f"between epochs the test accuracy is measured on a fixed {interim:,} of "
                     f"the {test_images:,} test images, after the last epoch on all of them")
    if not parts:
        return None
    line = "; ".join(parts)
    return f"A quick run: {line}."


def failure_message(error: BaseException) -> str:
    """The one line a failed run is remembered and shown by."""
    if isinstance(error, TrainingDiverged):
        return f"Training diverged: {error}. The model in use was not changed."
    return one_line(error)


class TrainingSession:
    """One run of one job: `load_data()`, `build_engine()`, then `events()` to the end.

    `cancel()` may come from any thread at any time, even before the engine exists.
    """

    def __init__(self, job: TrainingJob) -> None:
        self.job = job
        self.mnist: Mnist | None = None  # what load_data() read, if it read anything
        self.engine: Engine | None = None
        self._last_batch: BatchEnd | None = None
        self._lock = threading.Lock()
        self._cancelled = False

    @property
    def checkpoint_path(self) -> Path | None:
        job = self.job
        if job.checkpoint_path is not None:
            return job.checkpoint_path
        return job.run.checkpoint_path if job.run is not None else None

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self.engine is not None:
                self.engine.cancel()

    # -- before the first batch ---------------------------------------------------

    def load_data(self) -> tuple[DigitSet, DigitSet | None]:
        """The job's sets, or MNIST from its place (or the usual places); DataError if none."""
        if self.job.sets is not None:
            return self.job.sets
        with self._failure_noted():
            self.mnist = mnist_from_args(self.job.data)
            return mnist_sets(self.mnist)

    def build_engine(self, train: DigitSet, test: DigitSet | None) -> Engine:
        job = self.job
        info = {"data": str(self.mnist.source) if self.mnist is not None
                else (job.run.data if job.run is not None else "")}
        if job.run is not None:
            info["run"] = job.run.id
        info.update(job.info)
        model = None if job.resume is not None else job.model
        with self._failure_noted():
            engine = Engine(job.config, train, test, model=model, resume=job.resume,
                            checkpoint_path=self.checkpoint_path,
                            preprocess_version=PREPROCESS_VERSION, info=info)
        with self._lock:
            self.engine = engine
            if self._cancelled:
                engine.cancel()
        return engine

    # -- the run ------------------------------------------------------------------

    def events(self) -> Generator[Event | str, None, TrainingOutcome]:
        """The engine's events, then a line if the run was stopped; returns the outcome.

        A failure is noted in the run's record and raised again."""
        engine = self.engine
        if engine is None:
            raise RuntimeError("build_engine() comes before events()")
        run = self.job.run
        with self._failure_noted():
            for event in engine.events():
                if isinstance(event, BatchEnd):
                    self._last_batch = event
                elif run is not None:
                    run.set_history(engine.history)
                    run.save()
                yield event
        stopped = engine.epoch < engine.config.epochs
        if run is not None:
            run.status = STOPPED if stopped else FINISHED
            run.message = f"stopped after epoch {engine.epoch}" if stopped else ""
            run.set_history(self._saved_history())
            run.save()
        if stopped:
            yield self.stop_line()
        return TrainingOutcome(run, self.calibrated(self.read_back()), stopped)

    def calibrated(self, checkpoint: Checkpoint | None) -> Checkpoint | None:
        """The run's model with its calibration fitted on the run's test set (held out of
        training) and written into its checkpoint; as it is without a test set. A run
        that finished read the whole test set with these weights in its last epoch:
        those outputs are used instead of reading it again (a few seconds of digitnet)."""
        engine, path = self.engine, self.checkpoint_path
        test = engine.test_set if engine is not None else None
        if checkpoint is None or test is None or path is None or len(test) < 100:
            return checkpoint
        with self._failure_noted():
            finished = engine.epoch == engine.config.epochs
            engine.calibration = fit_calibration(
                checkpoint, test.images, test.labels, "the run's test set (held out of training)",
                outputs=engine.final_test_outputs if finished else None)
            return store_calibration(path, engine.calibration)

    def stop_line(self) -> str:
        """What a stop now keeps and what it throws away, in one line."""
        engine = self.engine
        saved = engine.epoch if engine is not None else 0
        kept = (f"epoch {saved} is saved and can be resumed" if saved
                else "no epoch was finished, so there is nothing to resume")
        last = self._last_batch
        if last is None or last.epoch <= saved:
            return f"Stopped; {kept}."
        return (f"Stopped in epoch {last.epoch} after {last.batch} of {last.batches} "
                f"batches; those were not kept: {kept}.")

    def read_back(self) -> Checkpoint | None:
        """The checkpoint of the last finished epoch (not the half-trained weights of a
        stopped one), or None if no epoch finished."""
        engine, path = self.engine, self.checkpoint_path
        if engine is None or engine.epoch == 0 or path is None:
            return None
        return load_checkpoint(path)

    def _saved_history(self) -> dict:
        """The curves up to the last finished epoch: what the checkpoint holds."""
        engine = self.engine
        epochs = engine.history["epochs"]
        path = self.checkpoint_path
        if not epochs or path is None or not path.exists():
            return {"epochs": [], "batch_losses": []}
        batches = len(epochs) * engine.steps_per_epoch
        return {"epochs": list(epochs), "batch_losses": engine.history["batch_losses"][:batches]}

    @contextmanager
    def _failure_noted(self) -> Iterator[None]:
        """A failure is noted in the run's record (if there is one), then raised again."""
        try:
            yield
        except Exception as error:
            run = self.job.run
            if run is not None:
                run.status, run.message = FAILED, failure_message(error)
                try:
                    run.save()
                except TrainerError:
                    pass  # the record is a convenience; the error is what the user must see
            raise

