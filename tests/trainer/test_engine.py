"""trainer.engine on tiny synthetic digits: events, control, optimizers, resume."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
import torch
from conftest import synthetic_digits
from torch import nn

from trainer.augment import Augmentation, augment
from trainer.checkpoint import load_checkpoint
from trainer.config import OPTIMIZERS, SCHEDULES, TrainConfig
from trainer.digitset import DigitSet, as_float
from trainer.engine import BatchEnd, Engine, EpochEnd, EvalResult, evaluate, training_loss
from trainer.errors import ConfigError, DataError, TrainingDiverged

TUTORIAL_LINE = re.compile(
    r"^Test set: Average loss: \d+\.\d{4}, Accuracy: (\d+)/(\d+) \((\d+\.\d{2})%\)$")
N_TRAIN, N_TEST, BATCH = 200, 50, 32
BATCHES = 7  # ceil(200 / 32)


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def train_set() -> DigitSet:
    return DigitSet.from_numpy(*synthetic_digits(N_TRAIN, 0))


@pytest.fixture(scope="module")
def test_set() -> DigitSet:
    return DigitSet.from_numpy(*synthetic_digits(N_TEST, 1))


def _config(**changes) -> TrainConfig:
    values = dict(arch="seed", epochs=2, batch_size=BATCH, optimizer="adam", lr=0.003,
                  schedule="none", augment=False, seed=1, device="cpu", eval_batch_size=20)
    values.update(changes)
    return TrainConfig(**values)


def test_events_come_in_order(train_set: DigitSet, test_set: DigitSet) -> None:
    engine = Engine(_config(epochs=2), train_set, test_set)
    events = list(engine.events())
    assert [type(e) for e in events] == ([BatchEnd] * BATCHES + [EpochEnd]) * 2
    batches = [e for e in events if isinstance(e, BatchEnd)]
    assert [(e.epoch, e.batch) for e in batches] == [
        (epoch, batch) for epoch in (1, 2) for batch in range(1, BATCHES + 1)]
    assert all(e.batches == BATCHES for e in batches)
    progress = [e.progress for e in batches]
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0)
    assert all(e.loss > 0 and e.images_per_second >= 0 and e.seconds_left >= 0 for e in batches)
    assert batches[-1].seconds_left == 0

    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [(e.epoch, e.epochs) for e in epochs] == [(1, 2), (2, 2)]
    for end in epochs:
        assert end.test is not None and end.test.total == N_TEST
        match = TUTORIAL_LINE.match(end.test.tutorial_line())
        assert match, end.test.tutorial_line()
        assert int(match.group(1)) == end.test.correct and int(match.group(2)) == N_TEST
        assert 0 <= end.train_accuracy <= 1 and end.lr == pytest.approx(0.003)
    assert engine.epoch == 2
    assert len(engine.history["batch_losses"]) == 2 * BATCHES
    assert engine.history["batch_losses"] == [e.loss for e in batches]
    assert [r["epoch"] for r in engine.history["epochs"]] == [1, 2]
    assert engine.history["epochs"][-1]["test_accuracy"] == epochs[-1].test.accuracy
    assert engine.metrics()["test_total"] == N_TEST


def test_tutorial_line_format() -> None:
    result = EvalResult(0.0312, 9901, 10000, [[0] * 10] * 10)
    assert result.tutorial_line() == (
        "Test set: Average loss: 0.0312, Accuracy: 9901/10000 (99.01%)")
    assert EvalResult(0.0, 0, 0, []).accuracy == 0.0


def test_without_a_test_set(train_set: DigitSet) -> None:
    engine = Engine(_config(epochs=1), train_set)
    ends = [e for e in engine.events() if isinstance(e, EpochEnd)]
    assert len(ends) == 1 and ends[0].test is None
    assert "test_accuracy" not in engine.history["epochs"][0]
    assert engine.metrics() == {"train_loss": ends[0].train_loss,
                                "train_accuracy": ends[0].train_accuracy}


def test_callbacks_via_run(train_set: DigitSet, test_set: DigitSet) -> None:
    batches, epochs = [], []
    history = Engine(_config(epochs=2), train_set, test_set).run(batches.append, epochs.append)
    assert len(batches) == 2 * BATCHES and len(epochs) == 2
    assert all(isinstance(e, BatchEnd) for e in batches)
    assert all(isinstance(e, EpochEnd) for e in epochs)
    assert history["batch_losses"] == [e.loss for e in batches]


def test_it_learns_the_synthetic_task() -> None:
    train = DigitSet.from_numpy(*synthetic_digits(320, 0))
    test = DigitSet.from_numpy(*synthetic_digits(100, 1))
    config = _config(arch="quicknet", epochs=3, optimizer="adamw", lr=0.01, schedule="onecycle")
    history = Engine(config, train, test).run()
    first, last = history["epochs"][0], history["epochs"][-1]
    assert last["test_accuracy"] >= 0.6  # chance is 0.1
    assert last["train_loss"] < 0.6 * history["batch_losses"][0]
    assert last["test_loss"] < first["test_loss"]


def test_cancel_from_on_batch_stops_within_one_batch(train_set: DigitSet) -> None:
    engine = Engine(_config(epochs=3), train_set)
    seen: list[BatchEnd] = []
    epochs: list[EpochEnd] = []

    def on_batch(event: BatchEnd) -> None:
        seen.append(event)
        if event.epoch == 2 and event.batch == 3:
            engine.cancel()

    engine.run(on_batch, epochs.append)
    assert engine.cancelled
    assert len(seen) == BATCHES + 3
    assert len(epochs) == 1 and engine.epoch == 1


def test_cancel_before_start_trains_nothing(train_set: DigitSet) -> None:
    engine = Engine(_config(), train_set)
    engine.cancel()
    assert list(engine.events()) == []
    assert engine.epoch == 0


def test_cancel_during_evaluation(train_set: DigitSet, test_set: DigitSet) -> None:
    engine = Engine(_config(epochs=2), train_set, test_set)
    events = []
    for event in engine.events():
        events.append(event)
        if isinstance(event, BatchEnd) and event.batch == BATCHES:
            engine.cancel()  # the epoch's evaluation notices and stops
    assert len(events) == BATCHES and engine.epoch == 0


def test_pause_and_resume_from_another_thread(train_set: DigitSet) -> None:
    engine = Engine(_config(epochs=1), train_set)
    count = [0]
    reached, paused = threading.Event(), threading.Event()

    def on_batch(event: BatchEnd) -> None:
        count[0] += 1
        if count[0] == 2:
            reached.set()
            assert paused.wait(30)

    worker = threading.Thread(target=engine.run, args=(on_batch,), daemon=True)
    worker.start()
    assert reached.wait(60)
    engine.pause()
    paused.set()
    assert engine.paused
    time.sleep(0.3)  # give a paused loop every chance to run on (it must not)
    assert count[0] == 2 and worker.is_alive()
    engine.resume()
    assert not engine.paused
    worker.join(60)
    assert not worker.is_alive()
    assert count[0] == BATCHES and engine.epoch == 1


def test_cancel_wakes_a_paused_run(train_set: DigitSet) -> None:
    engine = Engine(_config(epochs=1), train_set)
    count = [0]

    def on_batch(event: BatchEnd) -> None:
        count[0] += 1
        if count[0] == 1:
            engine.pause()
            threading.Timer(0.1, engine.cancel).start()

    worker = threading.Thread(target=engine.run, args=(on_batch,), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive()
    assert count[0] == 1 and engine.cancelled and engine.epoch == 0


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_and_schedule_runs(train_set: DigitSet, optimizer: str,
                                           schedule: str) -> None:
    config = _config(epochs=1, optimizer=optimizer, lr=None, schedule=schedule)
    engine = Engine(config, train_set)
    initial = engine.optimizer.param_groups[0]["lr"]
    after: list[float] = []  # the rate after each batch's step: the next batch's rate
    history = engine.run(lambda e: after.append(engine.optimizer.param_groups[0]["lr"]))
    assert len(history["batch_losses"]) == BATCHES
    assert all(loss == loss and loss < 100 for loss in history["batch_losses"])
    used = [initial] + after[:-1]
    peak = config.learning_rate
    if schedule == "none":
        assert used + after[-1:] == [pytest.approx(peak)] * (BATCHES + 1)
    elif schedule == "onecycle":
        assert used[0] == pytest.approx(peak / 25)  # warm-up from max_lr / div_factor
        assert max(used) == pytest.approx(peak, rel=0.01)
        assert 0 < used.index(max(used)) < BATCHES - 1
        assert used[-1] < peak / 100
    else:
        assert used[0] == pytest.approx(peak)
        assert used == sorted(used, reverse=True)
        assert after[-1] == pytest.approx(0, abs=1e-12)


def test_optimizer_classes(train_set: DigitSet) -> None:
    kinds = {name: type(Engine(_config(optimizer=name, lr=None), train_set).optimizer).__name__
             for name in OPTIMIZERS}
    assert kinds == {"sgd": "SGD", "nesterov": "SGD", "adam": "Adam", "adamw": "AdamW",
                     "rmsprop": "RMSprop"}
    nesterov = Engine(_config(optimizer="nesterov", lr=None), train_set).optimizer
    assert nesterov.param_groups[0]["nesterov"] is True


def test_augmentation_keeps_shape_and_range() -> None:
    images, _ = synthetic_digits(16, 3)
    x = as_float(torch.from_numpy(images))
    generator = torch.Generator().manual_seed(0)
    out = augment(x, Augmentation(), generator)
    assert out.shape == x.shape and out.dtype == x.dtype
    assert out.min() >= 0 and out.max() <= 1 + 1e-6
    assert not torch.equal(out, x)
    again = augment(x, Augmentation(), torch.Generator().manual_seed(0))
    assert torch.equal(out, again)
    # Most of the ink survives (digits are moved, not thrown away).
    assert out.sum() > 0.5 * x.sum()


def test_augmentation_without_changes_is_identity() -> None:
    x = as_float(torch.from_numpy(synthetic_digits(4, 3)[0]))
    still = Augmentation(rotation_degrees=0, scale=(1, 1), aspect=(1, 1), shear=0,
                         shift_pixels=0, thicken_probability=0, thin_probability=0)
    torch.testing.assert_close(augment(x, still, torch.Generator()), x, atol=1e-5, rtol=0)


def test_augmentation_of_a_batch_on_another_device() -> None:
    """The random draws come from a CPU generator; a GPU batch must get them on the
    GPU (`--device cuda` failed at its first batch). The meta device stands in for
    a GPU here: it mixes with CPU tensors no more than a GPU does."""
    x = torch.zeros(8, 1, 28, 28, device="meta")
    out = augment(x, Augmentation(), torch.Generator().manual_seed(0))
    assert out.device == x.device and out.shape == x.shape


def test_training_with_augmentation(train_set: DigitSet) -> None:
    history = Engine(_config(epochs=1, augment=True), train_set).run()
    assert len(history["batch_losses"]) == BATCHES


def test_same_seed_same_result(train_set: DigitSet, test_set: DigitSet) -> None:
    def train(seed: int) -> tuple[list[float], dict]:
        engine = Engine(_config(seed=seed, augment=True, epochs=2), train_set, test_set)
        return engine.run()["batch_losses"], engine.model.state_dict()

    losses_a, weights_a = train(4)
    losses_b, weights_b = train(4)
    losses_c, _ = train(5)
    assert losses_a == losses_b
    assert all(torch.equal(weights_a[k], weights_b[k]) for k in weights_a)
    assert losses_a != losses_c


def test_huge_learning_rate_diverges(train_set: DigitSet) -> None:
    engine = Engine(_config(epochs=1, optimizer="sgd", lr=1e30), train_set)
    with pytest.raises(TrainingDiverged, match="the loss became (nan|inf)"):
        engine.run()


class NaNNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.full((len(x), 10), float("nan")) * self.weight


def test_model_returning_nan_diverges_at_first_batch(train_set: DigitSet) -> None:
    engine = Engine(_config(epochs=1), train_set, model=NaNNet())
    seen = []
    with pytest.raises(TrainingDiverged, match="epoch 1, batch 1"):
        engine.run(seen.append)
    assert seen == [] and engine.history["batch_losses"] == []


def test_bad_data_and_settings() -> None:
    empty = DigitSet(torch.zeros(0, 28, 28, dtype=torch.uint8), torch.zeros(0, dtype=torch.long))
    with pytest.raises(ConfigError, match="no training images"):
        Engine(_config(), empty)
    with pytest.raises(ConfigError, match="epochs must be at least 1"):
        Engine(_config(epochs=0), empty)
    with pytest.raises(DataError, match="uint8"):
        DigitSet(torch.zeros(2, 28, 28), torch.zeros(2, dtype=torch.long))
    with pytest.raises(DataError, match="2 images but 3 labels"):
        DigitSet(torch.zeros(2, 28, 28, dtype=torch.uint8), torch.zeros(3, dtype=torch.long))


def test_evaluate(test_set: DigitSet) -> None:
    torch.manual_seed(0)
    from trainer.models import build_model

    model = build_model("seed")
    result = evaluate(model, test_set, batch_size=7)
    assert result.total == N_TEST
    assert sum(map(sum, result.confusion)) == N_TEST
    assert [sum(row) for row in result.confusion] == torch.bincount(
        test_set.labels, minlength=10).tolist()
    assert result.correct == sum(result.confusion[d][d] for d in range(10))
    assert result.loss > 0
    assert evaluate(model, test_set, should_stop=lambda: True) is None


def test_checkpoint_after_every_epoch(tmp_path: Path, train_set: DigitSet,
                                      test_set: DigitSet) -> None:
    path = tmp_path / "run" / "ckpt.safetensors"
    engine = Engine(_config(epochs=2), train_set, test_set, checkpoint_path=path,
                    preprocess_version=1, info={"data": "synthetic"})
    saved = []

    def on_epoch(event: EpochEnd) -> None:
        checkpoint = load_checkpoint(path, with_training_state=True)
        saved.append(checkpoint.epoch)
        assert len(checkpoint.history["epochs"]) == event.epoch
        assert len(checkpoint.history["batch_losses"]) == event.epoch * BATCHES
        assert checkpoint.metrics["test_accuracy"] == event.test.accuracy
        assert checkpoint.training_state is not None
        assert set(checkpoint.training_state) >= {"optimizer", "generator", "torch_rng"}

    engine.run(on_epoch=on_epoch)
    assert saved == [1, 2]
    final = load_checkpoint(path)
    assert final.config == engine.config and final.preprocess_version == 1
    assert final.info["data"] == "synthetic"
    for name, tensor in engine.model.state_dict().items():
        assert torch.equal(final.model.state_dict()[name], tensor)


@pytest.mark.parametrize("arch, optimizer, schedule, augmented", [
    ("seed", "sgd", "none", False),
    ("quicknet", "adamw", "onecycle", True),
    ("seed", "rmsprop", "cosine", True),
])
@pytest.mark.parametrize("stop", ["epoch end", "mid-epoch"])
def test_resume_continues_the_curve(tmp_path: Path, train_set: DigitSet, test_set: DigitSet,
                                    arch: str, optimizer: str, schedule: str, augmented: bool,
                                    stop: str) -> None:
    config = _config(arch=arch, epochs=3, optimizer=optimizer, lr=None, schedule=schedule,
                     augment=augmented, seed=5)
    straight = Engine(config, train_set, test_set).run()

    path = tmp_path / "ckpt.safetensors"
    first = Engine(config, train_set, test_set, checkpoint_path=path)
    if stop == "epoch end":
        first.run(on_epoch=lambda e: first.cancel())
    else:
        first.run(on_batch=lambda e: first.cancel() if (e.epoch, e.batch) == (2, 3) else None)
    assert first.cancelled and first.epoch == 1

    checkpoint = load_checkpoint(path, with_training_state=True)
    assert checkpoint.epoch == 1
    resumed_engine = Engine(config, train_set, test_set, resume=checkpoint, checkpoint_path=path)
    resumed_batches = []
    resumed = resumed_engine.run(on_batch=resumed_batches.append)
    assert [(e.epoch, e.batch) for e in resumed_batches][0] == (2, 1)
    assert len(resumed_batches) == 2 * BATCHES

    assert [r["epoch"] for r in resumed["epochs"]] == [1, 2, 3]
    assert len(resumed["batch_losses"]) == len(straight["batch_losses"]) == 3 * BATCHES
    # Same seed, same data, restored optimizer/schedule/random state: the very same run.
    assert resumed["batch_losses"] == straight["batch_losses"]
    assert [r["test_loss"] for r in resumed["epochs"]] == [
        r["test_loss"] for r in straight["epochs"]]
    assert load_checkpoint(path).epoch == 3


def test_resuming_a_finished_run_does_nothing(tmp_path: Path, train_set: DigitSet) -> None:
    path = tmp_path / "done.safetensors"
    Engine(_config(epochs=1), train_set, checkpoint_path=path).run()
    checkpoint = load_checkpoint(path, with_training_state=True)
    engine = Engine(_config(epochs=1), train_set, resume=checkpoint)
    assert list(engine.events()) == []
    assert len(engine.history["epochs"]) == 1


def test_resume_with_more_epochs_without_schedule(tmp_path: Path, train_set: DigitSet) -> None:
    path = tmp_path / "more.safetensors"
    Engine(_config(epochs=1), train_set, checkpoint_path=path).run()
    checkpoint = load_checkpoint(path, with_training_state=True)
    history = Engine(_config(epochs=2), train_set, resume=checkpoint).run()
    assert [r["epoch"] for r in history["epochs"]] == [1, 2]
    assert len(history["batch_losses"]) == 2 * BATCHES


@pytest.mark.parametrize("batches", [1, 2, 3, 4, 5, 7])
def test_one_cycle_on_a_very_short_run_still_trains(batches: int) -> None:
    """A handful of batches in the whole run (tiny personal data sets, huge
    batches) must not crash PyTorch's one-cycle schedule."""
    images, labels = synthetic_digits(32 * batches, seed=5)
    train = DigitSet.from_numpy(images, labels)
    config = TrainConfig(arch="quicknet", epochs=1, batch_size=32, schedule="onecycle",
                         optimizer="adamw", lr=0.01, device="cpu")
    history = Engine(config, train, None).run()
    assert len(history["batch_losses"]) == batches


def test_label_smoothing_spreads_part_of_the_target_over_every_digit() -> None:
    """Smoothing ε: the loss is (1 − ε)·NLL + ε·(mean of −log p over the ten digits)."""
    log_probabilities = torch.log_softmax(torch.tensor([[2.0, 0.5, -1.0, 0.0, 0.3,
                                                         -0.2, 1.1, 0.0, -2.0, 0.7]]), dim=1)
    target = torch.tensor([0])
    nll = -log_probabilities[0, 0]
    uniform = -log_probabilities[0].mean()
    assert training_loss(log_probabilities, target) == pytest.approx(float(nll))
    assert training_loss(log_probabilities, target, 0.1) == pytest.approx(
        float(0.9 * nll + 0.1 * uniform))


def test_the_engine_trains_with_its_label_smoothing(train_set: DigitSet) -> None:
    """Same seed, same first batch, same starting weights: only the smoothing differs."""
    def first_loss(smoothing: float) -> float:
        engine = Engine(_config(epochs=1, label_smoothing=smoothing), train_set)
        return next(iter(engine.events())).loss

    assert first_loss(0.3) != pytest.approx(first_loss(0.0), abs=1e-3)


class RecordingNet(nn.Module):
    """A linear model that keeps every batch it is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(28 * 28, 10)
        self.seen: list[torch.Tensor] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append(x.detach().clone())
        return torch.log_softmax(self.linear(x.flatten(1)), dim=1)


@pytest.mark.parametrize("augmented", [False, True])
def test_the_model_sees_augmented_images_exactly_when_asked(train_set: DigitSet,
                                                            augmented: bool) -> None:
    model = RecordingNet()
    Engine(_config(epochs=1, augment=augmented), train_set, model=model).run()
    originals = as_float(train_set.images).flatten(1)
    shown = torch.cat(model.seen).flatten(1)
    assert len(shown) == N_TRAIN
    # For each image shown, its distance to the nearest training image.
    nearest = torch.cdist(shown, originals, compute_mode="donot_use_mm_for_euclid_dist") \
        .min(dim=1).values
    if augmented:
        assert (nearest > 1e-3).float().mean() > 0.9
    else:
        assert torch.all(nearest < 1e-5)
