"""Watching a network learn: snapshots of its filters and a probe, gradient norms."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import synthetic_digits

from digitpad.training.watch import GradientNorms, LearningSnapshot, LearningWatch
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, Engine, EpochEnd

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def engine(arch: str = "seed", **changes) -> Engine:
    values = dict(arch=arch, epochs=2, batch_size=20, optimizer="adam", lr=0.003,
                  schedule="none", augment=False, seed=1, device="cpu", eval_batch_size=50)
    values.update(changes)
    return Engine(TrainConfig(**values), DigitSet.from_numpy(*synthetic_digits(200, 0)),
                  DigitSet.from_numpy(*synthetic_digits(40, 1)))


def test_after_backward_sees_every_batch_s_gradients() -> None:
    trainer = engine(epochs=1)
    seen = []
    trainer.after_backward = lambda model: seen.append(model.conv1.bias.grad.clone())
    list(trainer.events())
    assert len(seen) == trainer.steps_per_epoch == 10
    assert all(grad.abs().sum() > 0 for grad in seen)


def test_the_watch_adds_snapshots_and_gradient_norms_and_returns_the_outcome() -> None:
    trainer = engine("digitnet", arch_params={"width": 4, "depth": 1})
    probe = np.zeros((28, 28), np.float32)
    probe[5:20, 14] = 1.0
    watch = LearningWatch(probe, gradient_every=3)
    watch.attach(trainer)

    def session():
        yield from trainer.events()
        return "outcome"

    steps = watch.watched(session())
    items = []
    while True:
        try:
            items.append(next(steps))
        except StopIteration as end:
            assert end.value == "outcome"
            break
    snapshots = [i for i in items if isinstance(i, LearningSnapshot)]
    # before training, four times in the first epoch, after each of the two epochs
    assert [s.epochs for s in snapshots] == [0.0, 0.1, 0.2, 0.4, 0.6, 1.0, 2.0]
    first, last = snapshots[0], snapshots[-1]
    assert first.layer == "features.0.0" and first.maps.shape == (4, 28, 28)
    assert first.kernels.shape == (4, 3, 3) and not np.allclose(first.kernels, last.kernels)
    norms = [i for i in items if isinstance(i, GradientNorms)]
    assert len(norms) == 20  # ten batches an epoch: a short run gets every one
    assert set(norms[0].norms) == {"features.0.0", "features.2.0", "features.4.0",
                                   "classifier"}
    assert all(value > 0 for value in norms[0].norms.values())
    assert norms[0].kinds == {"features.0.0": "conv", "features.2.0": "conv",
                              "features.4.0": "conv", "classifier": "linear"}
    assert sum(isinstance(i, (BatchEnd, EpochEnd)) for i in items) == 22


def test_a_frozen_batch_norm_stays_frozen_after_a_snapshot() -> None:
    trainer = engine("digitnet", arch_params={"width": 2, "depth": 1})
    watch = LearningWatch(np.zeros((28, 28), np.float32))
    watch.attach(trainer)
    trainer.model.train()
    norm = trainer.model.features[0][1]
    norm.eval()
    watch.start()
    assert trainer.model.training and not norm.training
