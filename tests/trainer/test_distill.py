"""Distillation: a student learns the teachers' mean answer as well as the labels."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from conftest import synthetic_digits
from torch.nn import functional as F

from trainer.config import TrainConfig
from trainer.digitset import DigitSet, as_float
from trainer.distill import Distillation
from trainer.engine import Engine, evaluate
from trainer.errors import ConfigError
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _teacher(seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    return build_model("seed")


def _images(n: int = 16) -> torch.Tensor:
    return as_float(torch.from_numpy(synthetic_digits(n, 4)[0]))


def test_the_teachers_answer_is_their_mean_log_probabilities() -> None:
    teachers = [_teacher(1), _teacher(2)]
    distillation = Distillation(teachers)
    x = _images()
    with torch.no_grad():
        expected = (teachers[0](x) + teachers[1](x)) / 2
    torch.testing.assert_close(distillation.teachers_answer(x), expected)
    assert all(not teacher.training for teacher in teachers)
    assert all(not p.requires_grad for teacher in teachers for p in teacher.parameters())


def test_a_student_that_answers_as_the_teacher_pays_only_the_labels_share() -> None:
    teacher = _teacher(1)
    x = _images()
    labels = torch.arange(len(x)) % 10
    distillation = Distillation([teacher], temperature=2.0, label_weight=0.3)
    with torch.no_grad():
        same = teacher(x)  # in eval mode now, as the distillation asks it
    loss = distillation(x, same, labels)
    torch.testing.assert_close(loss, 0.3 * F.nll_loss(same, labels))
    # Any other answer costs more than that.
    other = F.log_softmax(torch.randn_like(same), dim=1)
    assert distillation(x, other, labels) > 0.3 * F.nll_loss(other, labels)


def test_only_the_teachers_with_no_labels() -> None:
    teacher = _teacher(1)
    x = _images()
    labels = torch.zeros(len(x), dtype=torch.long)
    distillation = Distillation([teacher], label_weight=0.0)
    with torch.no_grad():
        same = teacher(x)
    loss = distillation(x, same, labels)
    assert float(loss) == pytest.approx(0.0, abs=1e-6)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ConfigError, match="at least one teacher"):
        Distillation([])
    with pytest.raises(ConfigError, match="temperature"):
        Distillation([_teacher(1)], temperature=0)
    with pytest.raises(ConfigError, match="between 0 and 1"):
        Distillation([_teacher(1)], label_weight=1.5)


def test_a_student_learns_from_a_teacher_through_the_engine() -> None:
    """With the labels given no weight at all, a student still learns the task from a
    trained teacher: the loss the engine trains on is the distillation's."""
    train = DigitSet.from_numpy(*synthetic_digits(400, 0))
    test = DigitSet.from_numpy(*synthetic_digits(100, 1))
    config = TrainConfig(arch="seed", epochs=3, batch_size=32, optimizer="adam", lr=0.003,
                         schedule="none", augment=False, seed=1, device="cpu")
    teacher = Engine(config, train, test)
    teacher.run()
    taught = evaluate(teacher.model, test).accuracy
    assert taught > 0.6
    # Labels that are all wrong: alone they teach the wrong digit every time...
    wrong = DigitSet(train.images, (train.labels + 1) % 10)
    misled = Engine(replace(config, seed=2), wrong, test)
    misled.run()
    assert evaluate(misled.model, test).accuracy < 0.2
    # ...so whatever the student gets right, the teacher taught it.
    student = Engine(replace(config, seed=2), wrong, test,
                     batch_loss=Distillation([teacher.model], label_weight=0.0))
    student.run()
    assert evaluate(student.model, test).accuracy > 0.4
