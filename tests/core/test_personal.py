"""Fine-tuning on personal samples, on a handful of synthetic drawings and a tiny model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import write_idx_folder

from digitpad.drawing.strokes import Stroke
from digitpad.store.samples import SampleStore
from digitpad.training.personal import (
    PERSONAL_ONLY,
    WITH_MNIST,
    FineTuneSettings,
    PersonalFineTune,
    rendered_variants,
    split_held_back,
)
from trainer.checkpoint import Checkpoint
from trainer.errors import DataError
from trainer.mnist import load_mnist
from trainer.models import build_model

CANVAS = (400.0, 400.0)
QUICK = FineTuneSettings(steps=6, batch_size=16, lr=0.003, pull=0.01)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def drawing(digit: int, rng: np.random.Generator) -> list[Stroke]:
    """A made-up 'handwriting': each digit a fixed zig-zag, wobbled a little."""
    template = np.random.default_rng(100 + digit).uniform(80, 320, (5, 2))
    points = template + rng.normal(0, 6, template.shape)
    return [Stroke([(float(x), float(y)) for x, y in points], 18.0)]


@pytest.fixture
def samples(tmp_path: Path):
    rng = np.random.default_rng(0)
    with SampleStore(tmp_path / "samples.sqlite3") as store:
        for digit in range(10):
            for _ in range(4):
                store.add(digit, drawing(digit, rng), CANVAS)
        return store.samples()


def tiny_model() -> Checkpoint:
    torch.manual_seed(0)
    params = {"channels1": 4, "channels2": 8, "hidden": 32}
    return Checkpoint(build_model("quicknet", **params), "quicknet", params)


def weights(model: torch.nn.Module) -> list[torch.Tensor]:
    return [t.detach().clone() for t in model.state_dict().values()]


def test_hold_back_takes_some_of_every_digit_but_never_the_last(samples) -> None:
    few = [s for s in samples if s.label != 3] + [s for s in samples if s.label == 3][:1]
    train, held = split_held_back(few, 0.25, np.random.default_rng(0))
    assert {s.label for s in held} == set(range(10)) - {3}
    assert {s.label for s in train} == set(range(10))
    assert len(train) + len(held) == len(few)


def test_samples_are_rerendered_at_several_pen_widths(samples) -> None:
    variants = rendered_variants(samples[:2])
    assert len(variants) == 10
    images = variants.images.numpy()
    assert not np.array_equal(images[0], images[1])  # another pen, another image


def test_fine_tune_without_mnist_changes_a_copy_and_reports(samples) -> None:
    source = tiny_model()
    before = weights(source.model)
    stages = []
    result = PersonalFineTune(source, samples, None, QUICK).run(
        lambda stage, fraction: stages.append((stage, fraction)))
    assert result is not None
    assert result.mode == PERSONAL_ONLY
    assert all(torch.equal(a, b) for a, b in zip(before, weights(source.model), strict=True))
    after = weights(result.checkpoint.model)
    assert any(not torch.equal(a, b) for a, b in zip(before, after, strict=True))
    assert result.held_back_samples == 10 and result.trained_samples == 30
    assert 0 <= result.held_back_before <= 1 and 0 <= result.held_back_after <= 1
    assert result.mnist_before is None and result.mnist_after is None
    assert result.seconds > 0
    assert "fine-tuning" in [stage for stage, _ in stages] and stages[-1] == ("done", 1.0)
    assert "personal samples only" in " ".join(result.summary())


def test_fine_tune_with_mnist_replays_it_and_measures_it(samples, tmp_path: Path) -> None:
    mnist = load_mnist(write_idx_folder(tmp_path / "mnist", n_train=300, n_test=60))
    source = tiny_model()
    bn = source.model.features[0][1]
    mean_before = bn.running_mean.clone()
    result = PersonalFineTune(source, samples, mnist, QUICK).run()
    assert result is not None and result.mode == WITH_MNIST
    assert 0 <= result.mnist_before <= 1 and 0 <= result.mnist_after <= 1
    assert result.checkpoint.metrics["test_accuracy"] == result.mnist_after
    assert "MNIST test" in " ".join(result.summary())
    # BatchNorm statistics stay those of the original model.
    assert torch.equal(result.checkpoint.model.features[0][1].running_mean, mean_before)


def test_fine_tuning_learns_the_personal_samples(samples) -> None:
    source = tiny_model()
    settings = FineTuneSettings(steps=30, batch_size=32, lr=0.01, pull=0.0, hold_back=0.0)
    result = PersonalFineTune(source, samples, None, settings).run()
    assert result is not None and result.held_back_before is None
    images = torch.from_numpy(np.stack([s.image for s in samples])).float().div(255).unsqueeze(1)
    labels = torch.tensor([s.label for s in samples])

    def accuracy(model: torch.nn.Module) -> float:
        with torch.no_grad():
            return (model.eval()(images).argmax(1) == labels).float().mean().item()

    assert accuracy(result.checkpoint.model) >= accuracy(source.model) + 0.5


def test_a_cancelled_fine_tune_returns_nothing(samples) -> None:
    tune = PersonalFineTune(tiny_model(), samples, None, QUICK)

    def cancel_while_training(stage: str, _fraction: float) -> None:
        if stage == "fine-tuning":
            tune.cancel()

    assert tune.run(cancel_while_training) is None
    assert tune.cancelled


def test_too_few_samples_are_refused(samples) -> None:
    with pytest.raises(DataError, match="teach at least"):
        PersonalFineTune(tiny_model(), samples[:3])


def test_the_mnist_figure_before_is_measured_once_per_model(samples, tmp_path: Path,
                                                            monkeypatch) -> None:
    import digitpad.training.personal as personal

    mnist = load_mnist(write_idx_folder(tmp_path / "mnist", n_train=300, n_test=60))
    measured = []

    def counting(model, data, *args, **kwargs):
        measured.append(len(data))
        return real(model, data, *args, **kwargs)

    real = personal.evaluate
    monkeypatch.setattr(personal, "evaluate", counting)
    source = tiny_model()
    first = PersonalFineTune(source, samples, mnist, QUICK).run()
    second = PersonalFineTune(source, samples, mnist, QUICK).run()
    assert first.mnist_before == second.mnist_before
    # First run: held back before, MNIST before, held back after, MNIST after; then one less.
    assert measured.count(60) == 3
