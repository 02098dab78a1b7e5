"""The Trainer tab's job for the worker pattern (digitpad.ui.workers).

A generator around the training session: it loads the data, builds the
engine and yields the session's events (BatchEnd, EpochEnd), lines for the
log (str) and the pictures of the network learning (LearningSnapshot,
GradientNorms: digitpad.training.watch); it returns the session's
`TrainingOutcome`. It runs in a thread, on its own model (a copy, or a new
one): the model in use is not touched here. Stop is the session's `cancel`,
which the engine checks before every batch and during an evaluation.
"""

from __future__ import annotations

from collections.abc import Generator

import torch

from digitpad.store.paths import as_shown
from digitpad.training.session import (
    TrainingOutcome,
    TrainingSession,
    plan_line,
    training_threads,
)
from digitpad.training.watch import LearningWatch, probe_digit
from digitpad.ui.workers import Worker
from trainer.engine import Event


def train(session: TrainingSession) -> Generator[Event | str, None, TrainingOutcome]:
    job = session.job
    try:
        torch.set_num_threads(training_threads())
        if job.sets is None:
            yield f"Loading {as_shown(job.data)} …" if job.data else "Loading MNIST …"
        train_set, test_set = session.load_data()
        if session.mnist is not None:
            yield f"Loaded {session.mnist.describe(as_shown(session.mnist.source))}"
        engine = session.build_engine(train_set, test_set)
        config = job.config
        verb = "Resuming" if job.resume is not None else "Training"
        yield (f"{verb} {config.arch} for {config.epochs} epochs ({config.optimizer}, "
               f"lr {config.learning_rate:g}, batch {config.batch_size}) on "
               f"{len(train_set):,} images, {torch.get_num_threads()} CPU thread(s), "
               f"device {engine.device}")
        plan = plan_line(config, len(train_set), len(test_set) if test_set is not None else None)
        if plan:
            yield plan
        # The first filters and a probe digit's maps, watched as they form.
        watch = LearningWatch(probe_digit(test_set if test_set is not None else train_set))
        watch.attach(engine)
        return (yield from watch.watched(session.events()))
    finally:
        # However the run ends, other windows may offer to resume it from now on.
        if job.run is not None:
            job.run.release()


def training_worker(session: TrainingSession) -> Worker:
    """A worker (not started yet) that trains `session`; quit() stops it after the batch
    under way, and it still returns what the run kept."""
    return Worker(train, session, stop=session.cancel)
