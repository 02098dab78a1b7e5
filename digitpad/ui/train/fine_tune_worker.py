"""Fine-tuning on personal samples off the GUI thread.

Like the `TrainingWorker`: a QObject moved to a QThread whose `run` slot finds
MNIST (for the replay; without it the fine-tune uses the personal samples
only), runs `PersonalFineTune` and reports through signals. `stop()` may be
called from the GUI thread at any time; the fine-tune stops at the next batch.
The worker never touches a widget, nor the model in use: it works on a copy.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

import torch
from PySide6.QtCore import QObject, Signal, Slot

from digitpad.store.samples import Sample
from digitpad.training.personal import FineTuneSettings, PersonalFineTune, load_replay_mnist
from digitpad.ui.train.training_worker import training_threads
from trainer.checkpoint import Checkpoint
from trainer.errors import TrainerError


class FineTuneWorker(QObject):
    progress = Signal(str, float)  # what is happening, 0..1
    finished = Signal(object)  # FineTuneResult
    stopped = Signal()  # stopped by the user: no new model
    failed = Signal(str)  # one line for the user
    done = Signal()  # after any of the above: the thread may quit

    def __init__(self, checkpoint: Checkpoint, samples: Sequence[Sample], *,
                 use_mnist: bool = True, mnist_place: Path | None = None,
                 settings: FineTuneSettings | None = None) -> None:
        super().__init__()
        self.checkpoint = checkpoint
        self.samples = list(samples)
        self.use_mnist = use_mnist
        self.mnist_place = mnist_place
        self.settings = settings
        self._lock = threading.Lock()
        self._stop = False
        self._tune: PersonalFineTune | None = None

    def stop(self) -> None:
        with self._lock:
            self._stop = True
            if self._tune is not None:
                self._tune.cancel()

    @Slot()
    def run(self) -> None:
        try:
            torch.set_num_threads(training_threads())
            self.progress.emit("looking for MNIST", 0.0)
            mnist = load_replay_mnist(self.mnist_place) if self.use_mnist else None
            tune = PersonalFineTune(self.checkpoint, self.samples, mnist, self.settings)
            with self._lock:
                self._tune = tune
                if self._stop:
                    tune.cancel()
            result = tune.run(self.progress.emit)
            if result is None:
                self.stopped.emit()
            else:
                self.finished.emit(result)
        except TrainerError as error:
            self.failed.emit(str(error))
        except Exception as error:  # noqa: BLE001 - a worker must report, never die silently
            traceback.print_exc()
            self.failed.emit(f"unexpected error: {type(error).__name__}: {error}")
        finally:
            self.done.emit()
