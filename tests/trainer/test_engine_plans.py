"""trainer.engine: quick plans (a sample per epoch, a sample of the test set between
epochs), bfloat16 where the processor has it, and results equal to a plain loop."""

from __future__ import annotations

import pytest
import torch
from conftest import synthetic_digits
from torch import nn
from torch.nn import functional as F

from trainer import engine as engine_module
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, Engine, EpochEnd, interim_sample
from trainer.errors import ConfigError
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def train_set() -> DigitSet:
    return DigitSet.from_numpy(*synthetic_digits(300, 0))


@pytest.fixture(scope="module")
def test_set() -> DigitSet:
    return DigitSet.from_numpy(*synthetic_digits(80, 1))


def _config(**changes) -> TrainConfig:
    values = dict(arch="seed", epochs=3, batch_size=32, optimizer="adam", lr=0.003,
                  schedule="none", seed=2, device="cpu", eval_batch_size=25)
    values.update(changes)
    return TrainConfig(**values)


class IndexReader(nn.Module):
    """A linear model that notes which images it is shown (each image's number is
    written in its first two pixels)."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(28 * 28, 10)
        self.seen: list[list[int]] = [[]]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        codes = torch.round(x[:, 0, 0, :2] * 255).long()
        self.seen[-1].extend((codes[:, 0] + 256 * codes[:, 1]).tolist())
        return torch.log_softmax(self.linear(x.flatten(1)), dim=1)


def test_each_epoch_trains_on_a_fresh_sample(train_set: DigitSet) -> None:
    images = train_set.images.clone()
    number = torch.arange(len(images))
    images[:, 0, 0], images[:, 0, 1] = number % 256, number // 256
    numbered = DigitSet(images, train_set.labels)
    model = IndexReader()
    engine = Engine(_config(epoch_images=100), numbered, model=model)
    for event in engine.events():
        if isinstance(event, EpochEnd):
            model.seen.append([])
    seen = model.seen[:3]
    assert engine.steps_per_epoch == 4  # ceil(100 / 32)
    assert [len(epoch) for epoch in seen] == [100, 100, 100]
    assert all(len(set(epoch)) == 100 for epoch in seen)  # no image twice in an epoch
    assert len(set(seen[0]) | set(seen[1]) | set(seen[2])) > 150  # drawn afresh


def test_more_images_per_epoch_than_there_are_means_all(train_set: DigitSet) -> None:
    engine = Engine(_config(epoch_images=10_000, epochs=1), train_set)
    assert engine.epoch_images == 300 and engine.steps_per_epoch == 10


def test_between_epochs_a_fixed_sample_of_the_test_set(train_set: DigitSet,
                                                       test_set: DigitSet) -> None:
    engine = Engine(_config(interim_test_images=30), train_set, test_set)
    ends = [e for e in engine.events() if isinstance(e, EpochEnd)]
    assert [e.test.total for e in ends] == [30, 30, 80]  # in full after the last epoch
    assert [r["test_total"] for r in engine.history["epochs"]] == [30, 30, 80]
    assert engine.metrics()["test_total"] == 80
    # The same sample in every run, whatever the seed: curves of runs compare.
    a = interim_sample(test_set, 30)
    assert torch.equal(a.images, interim_sample(test_set, 30).images)
    assert interim_sample(test_set, None) is test_set
    assert interim_sample(test_set, 500) is test_set


def test_a_quick_plan_is_checked() -> None:
    for name in ("epoch_images", "interim_test_images"):
        with pytest.raises(ConfigError, match=name.replace("_", " ")):
            _config(**{name: 0}).validate()
    with pytest.raises(ConfigError, match="precision"):
        _config(precision="float8").validate()


def test_a_quick_plan_is_kept_in_the_checkpoint_settings() -> None:
    config = _config(epoch_images=6000, interim_test_images=1000, precision="bfloat16")
    assert TrainConfig.from_dict(config.to_dict()) == config
    old = {k: v for k, v in config.to_dict().items()
           if k not in ("epoch_images", "interim_test_images", "precision")}
    assert TrainConfig.from_dict(old) == _config()  # checkpoints from before read as before


@pytest.mark.parametrize("native", [True, False])
def test_bfloat16_only_where_the_processor_has_it(train_set: DigitSet, monkeypatch,
                                                  native: bool) -> None:
    monkeypatch.setattr(engine_module, "native_bfloat16", lambda device: native)
    engine = Engine(_config(precision="bfloat16", epochs=1, arch="quicknet"), train_set)
    assert engine.bfloat16 is native
    losses = [e.loss for e in engine.events() if isinstance(e, BatchEnd)]
    assert len(losses) == 10 and all(loss == loss for loss in losses)
    assert all(p.dtype == torch.float32 for p in engine.model.parameters())


@pytest.mark.parametrize("arch,optimizer", [("seed", "sgd"), ("quicknet", "adamw"),
                                            ("quicknet", "nesterov")])
def test_the_engine_trains_like_a_plain_loop(train_set: DigitSet, arch: str,
                                             optimizer: str) -> None:
    """Whatever the engine does for speed, a batch's loss is the textbook loop's."""
    config = _config(arch=arch, optimizer=optimizer, lr=0.01, epochs=1)
    engine_losses = [e.loss for e in Engine(config, train_set).events()
                     if isinstance(e, BatchEnd)]

    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    model = build_model(arch)
    if optimizer == "adamw":
        step = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)
    else:
        step = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9,
                               nesterov=optimizer == "nesterov")
    model.train()
    order = torch.randperm(len(train_set), generator=generator)
    plain_losses = []
    for start in range(0, len(train_set), config.batch_size):
        index = order[start:start + config.batch_size]
        loss = F.nll_loss(model(train_set.images[index].unsqueeze(1).float() / 255),
                          train_set.labels[index])
        step.zero_grad()
        loss.backward()
        step.step()
        plain_losses.append(loss.item())
    # Equal to float rounding: the engine's layout and fused optimizer sum in another
    # order, and ten steps of Adam carry such differences along.
    assert engine_losses == pytest.approx(plain_losses, rel=1e-3)
