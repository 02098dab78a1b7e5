"""Fine-tuning on personal samples, as a job for the worker pattern (digitpad.ui.workers).

`FineTune.steps` finds MNIST (for the replay; without it the fine-tune uses
the personal samples only), then runs `PersonalFineTune` step by step: it
yields (what is happening, 0..1) and returns the `FineTuneResult`, or None
when stopped. `stop()` may come from the GUI thread at any time, even before
the fine-tune exists; it takes effect within a batch. Nothing here touches a
widget, nor the model in use: the fine-tune works on a copy.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Sequence
from pathlib import Path

import torch

from digitpad.store.samples import Sample
from digitpad.training.personal import (
    FineTuneResult,
    FineTuneSettings,
    PersonalFineTune,
    load_replay_mnist,
)
from digitpad.training.session import training_threads
from digitpad.ui.workers import Worker
from trainer.checkpoint import Checkpoint


class FineTune:
    def __init__(self, checkpoint: Checkpoint, samples: Sequence[Sample], *,
                 use_mnist: bool = True, mnist_place: Path | None = None,
                 settings: FineTuneSettings | None = None) -> None:
        self.checkpoint = checkpoint
        self.samples = list(samples)
        self.use_mnist = use_mnist
        self.mnist_place = mnist_place
        self.settings = settings
        self._lock = threading.Lock()
        self._stopped = False
        self._tune: PersonalFineTune | None = None

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._tune is not None:
                self._tune.cancel()

    def steps(self) -> Generator[tuple[str, float], None, FineTuneResult | None]:
        torch.set_num_threads(training_threads())
        yield "looking for MNIST", 0.0
        mnist = load_replay_mnist(self.mnist_place) if self.use_mnist else None
        tune = PersonalFineTune(self.checkpoint, self.samples, mnist, self.settings)
        with self._lock:
            self._tune = tune
            if self._stopped:
                tune.cancel()
        return (yield from tune.steps())

    def worker(self) -> Worker:
        """A worker (not started yet) that runs this fine-tune; its quit() is `stop()`."""
        return Worker(self.steps, stop=self.stop)
