"""Training off the GUI thread: the engine's events become Qt signals.

A `TrainingWorker` is a plain QObject moved to a QThread (Qt's "Threads and
QObjects" pattern): its `run` slot loads the data, drives `trainer.Engine` and
emits a signal per batch and per epoch. Stop, pause and resume are called
straight from the GUI thread; they only set the engine's thread-safe flags,
so they take effect at the next batch. The worker never touches a widget.

Training works on its own model (a copy, or a new one); the model in use is
not touched here. When a run ends, `finished` carries the model of the last
completed epoch, read back from the run's checkpoint, for the user to adopt.
"""

from __future__ import annotations

import os
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

import torch
from PySide6.QtCore import QObject, Signal, Slot
from torch import nn

from digitpad.drawing.preprocess import PREPROCESS_VERSION
from digitpad.store.runs import FAILED, FINISHED, STOPPED, Run
from trainer.checkpoint import Checkpoint, load_checkpoint
from trainer.config import TrainConfig
from trainer.digitset import DigitSet, mnist_sets
from trainer.engine import BatchEnd, Engine, EpochEnd
from trainer.errors import TrainerError, TrainingDiverged
from trainer.mnist import load_mnist


@dataclass
class TrainingJob:
    """Everything one run needs; built on the GUI thread, then owned by the worker."""

    config: TrainConfig
    run: Run
    data: Path | None = None  # an MNIST folder or .npz, loaded in the worker
    sets: tuple[DigitSet, DigitSet | None] | None = None  # or data already in memory
    model: nn.Module | None = None  # a copy to fine-tune; None trains from scratch
    resume: Checkpoint | None = None  # an interrupted run's checkpoint, with training state


@dataclass(frozen=True)
class TrainingOutcome:
    run: Run
    checkpoint: Checkpoint | None  # the last completed epoch's model; None if none completed
    stopped: bool  # stopped by the user before the planned epochs


def training_threads() -> int:
    """All cores but one: the GUI keeps a core to stay responsive."""
    return max(1, (os.cpu_count() or 1) - 1)


class TrainingWorker(QObject):
    batch = Signal(object)  # BatchEnd
    epoch = Signal(object)  # EpochEnd
    log = Signal(str)
    finished = Signal(object)  # TrainingOutcome
    failed = Signal(str)  # one line for the user
    done = Signal()  # after finished or failed: the thread may quit

    def __init__(self, job: TrainingJob) -> None:
        super().__init__()
        self.job = job
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._stop = False
        self._paused = False

    # -- control, called from the GUI thread --------------------------------

    def stop(self) -> None:
        with self._lock:
            self._stop = True
            if self._engine is not None:
                self._engine.cancel()

    def pause(self) -> None:
        with self._lock:
            self._paused = True
            if self._engine is not None:
                self._engine.pause()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            if self._engine is not None:
                self._engine.resume()

    # -- the work, in the worker thread -------------------------------------

    @Slot()
    def run(self) -> None:
        run = self.job.run
        try:
            torch.set_num_threads(training_threads())
            engine = self._make_engine()
            if engine is not None:
                self._train(engine)
        except TrainingDiverged as error:
            self._fail(run, f"Training diverged: {error}. The model in use was not changed.")
        except TrainerError as error:
            self._fail(run, str(error))
        except Exception as error:  # noqa: BLE001 - a worker must report, never die silently
            self.log.emit(traceback.format_exc())
            self._fail(run, f"unexpected error: {type(error).__name__}: {error}")
        finally:
            self.done.emit()

    def _make_engine(self) -> Engine | None:
        job = self.job
        if job.sets is not None:
            train, test = job.sets
        else:
            self.log.emit(f"Loading {job.data} …")
            mnist = load_mnist(job.data)
            self.log.emit(f"Loaded {mnist.describe()}")
            train, test = mnist_sets(mnist)
        engine = Engine(job.config, train, test, model=job.model, resume=job.resume,
                        checkpoint_path=job.run.checkpoint_path,
                        preprocess_version=PREPROCESS_VERSION,
                        info={"data": job.run.data, "run": job.run.id})
        with self._lock:
            self._engine = engine
            if self._stop:
                engine.cancel()
            elif self._paused:
                engine.pause()
        config = job.config
        verb = "Resuming" if job.resume is not None else "Training"
        self.log.emit(f"{verb} {config.arch} for {config.epochs} epochs "
                      f"({config.optimizer}, lr {config.learning_rate:g}, "
                      f"batch {config.batch_size}) on {len(train):,} images, "
                      f"{torch.get_num_threads()} CPU thread(s), device {engine.device}")
        return engine

    def _train(self, engine: Engine) -> None:
        run = self.job.run
        for event in engine.events():
            if isinstance(event, BatchEnd):
                self.batch.emit(event)
            elif isinstance(event, EpochEnd):
                run.set_history(engine.history)
                run.save()
                self.log.emit(f"Epoch {event.epoch}/{event.epochs}: "
                              f"train loss {event.train_loss:.4f}, train accuracy "
                              f"{100 * event.train_accuracy:.2f}%, {event.seconds:.1f} s")
                if event.test is not None:
                    self.log.emit(event.test.tutorial_line())
                self.epoch.emit(event)
        stopped = engine.epoch < engine.config.epochs
        run.status = STOPPED if stopped else FINISHED
        run.set_history(self._saved_history(engine))
        run.message = (f"stopped after epoch {engine.epoch}" if stopped else "")
        run.save()
        checkpoint = None
        if engine.epoch > 0:
            # The saved epoch, not the half-trained weights of a stopped epoch.
            checkpoint = load_checkpoint(run.checkpoint_path)
        if stopped:
            self.log.emit(f"Stopped; epoch {engine.epoch} is saved and can be resumed.")
        self.finished.emit(TrainingOutcome(run, checkpoint, stopped))

    @staticmethod
    def _saved_history(engine: Engine) -> dict:
        """The curves up to the last completed epoch: what the checkpoint holds."""
        history = engine.history
        epochs = history["epochs"]
        batches = len(epochs) * engine.steps_per_epoch if epochs else 0
        if engine.checkpoint_path is not None and engine.checkpoint_path.exists():
            return {"epochs": list(epochs), "batch_losses": history["batch_losses"][:batches]}
        return {"epochs": [], "batch_losses": []}

    def _fail(self, run: Run, message: str) -> None:
        run.status, run.message = FAILED, message
        try:
            run.save()
        except TrainerError:
            pass  # the run's record is a convenience; the message below is what matters
        self.log.emit(message)
        self.failed.emit(message)
