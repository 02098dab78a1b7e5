"""Fine-tuning on personal samples, on a handful of synthetic drawings and a tiny model."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import write_idx_folder

from digitpad.drawing.strokes import Stroke
from digitpad.store.samples import SampleStore
from digitpad.training.personal import (
    PERSONAL_ONLY,
    SETTINGS_WITH_MNIST,
    SETTINGS_WITHOUT_MNIST,
    WITH_MNIST,
    FineTuneSettings,
    PersonalFineTune,
    rendered_variants,
    split_held_back,
)
from trainer.checkpoint import Checkpoint
from trainer.digitset import DigitSet, as_float
from trainer.engine import evaluate
from trainer.errors import DataError
from trainer.mnist import load_mnist
from trainer.models import build_model

CANVAS = (400.0, 400.0)
QUICK = FineTuneSettings(steps=6, batch_size=16, lr=0.003, pull=0.01)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def nothing_measured_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    """The MNIST figures remembered are process-wide, and the tests' tiny models and
    data sets are the same in every test: each test starts with none remembered."""
    import digitpad.training.personal as personal

    monkeypatch.setattr(personal, "_measured", {})


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


def model_input(samples) -> torch.Tensor:
    """The samples' images as the models read them."""
    return as_float(torch.from_numpy(np.stack([s.image for s in samples])))


def test_fine_tuning_learns_the_personal_samples(samples) -> None:
    source = tiny_model()
    settings = FineTuneSettings(steps=30, batch_size=32, lr=0.01, pull=0.0, hold_back=0.0)
    result = PersonalFineTune(source, samples, None, settings).run()
    assert result is not None and result.held_back_before is None
    images = model_input(samples)
    labels = torch.tensor([s.label for s in samples])

    def accuracy(model: torch.nn.Module) -> float:
        with torch.no_grad():
            return (model.eval()(images).argmax(1) == labels).float().mean().item()

    assert accuracy(result.checkpoint.model) >= accuracy(source.model) + 0.5


def test_label_smoothing_is_the_settings(samples) -> None:
    """The built-in model was trained without label smoothing, and the fine-tune
    uses none by default (0.05 cost a point of MNIST); the setting reaches the
    training: with smoothing, the model ends less sure of the very samples it learnt."""
    images = model_input(samples)

    def sureness(label_smoothing: float) -> float:
        settings = FineTuneSettings(steps=30, batch_size=32, lr=0.01, pull=0.0, hold_back=0.0,
                                    label_smoothing=label_smoothing)
        result = PersonalFineTune(tiny_model(), samples, None, settings).run()
        with torch.no_grad():
            return result.checkpoint.model.eval()(images).exp().max(1).values.mean().item()

    assert FineTuneSettings().label_smoothing == 0.0
    assert sureness(0.3) < sureness(0.0) - 0.05


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


@pytest.mark.parametrize("share", [0.75, 0.9, 1.0])
def test_even_a_large_hold_back_leaves_every_digit_something_to_train_on(samples,
                                                                           share) -> None:
    pairs = [s for s in samples if s.label in (0, 1)][:6]  # 4 of digit 0, 2 of digit 1
    train, held = split_held_back(pairs, share, np.random.default_rng(0))
    labels = [s.label for s in train]
    assert labels.count(0) >= 1 and labels.count(1) >= 1
    assert len(train) + len(held) == len(pairs)


def test_the_pull_keeps_the_fine_tuned_weights_near_the_original(samples) -> None:
    """Same seed, same batches: only the L2-SP pull differs, and it holds the weights back."""
    source = tiny_model()
    original = weights(source.model)

    def distance(pull: float) -> float:
        settings = FineTuneSettings(steps=10, batch_size=16, lr=0.01, pull=pull)
        result = PersonalFineTune(source, samples, None, settings).run()
        moved = weights(result.checkpoint.model)
        return sum(float(((a.float() - b.float()) ** 2).sum())
                   for a, b in zip(moved, original, strict=True))

    free = distance(0.0)
    assert free > 0
    assert distance(1.0) < 0.5 * free
    # The settings the app uses pull too, the more so without MNIST to replay.
    assert 0 < SETTINGS_WITH_MNIST.pull < SETTINGS_WITHOUT_MNIST.pull


def counting_mnist_passes(monkeypatch, size: int) -> list[int]:
    """Count the evaluations of a `size`-image test set from here on."""
    import digitpad.training.personal as personal

    real = personal.evaluate
    passes: list[int] = []

    def counting(model, data, *args, **kwargs):
        if len(data) == size:
            passes.append(size)
        return real(model, data, *args, **kwargs)

    monkeypatch.setattr(personal, "evaluate", counting)
    return passes


def test_the_mnist_figure_is_remembered_across_reloads_of_the_same_files(
        samples, tmp_path: Path, monkeypatch) -> None:
    """The window loads MNIST afresh for every fine-tune: the same files, new arrays."""
    folder = write_idx_folder(tmp_path / "mnist", n_train=300, n_test=60)
    first_load, second_load = load_mnist(folder), load_mnist(folder)
    passes = counting_mnist_passes(monkeypatch, 60)
    source = tiny_model()
    first = PersonalFineTune(source, samples, first_load, QUICK).run()
    second = PersonalFineTune(source, samples, second_load, QUICK).run()
    assert second.mnist_before == first.mnist_before
    # MNIST before and after for the first; only after for the second.
    assert len(passes) == 3


def test_other_test_digits_behind_the_same_object_are_measured_afresh(
        samples, tmp_path: Path) -> None:
    """A figure belongs to the digits measured, not to the object that held them
    (a recycled id, or arrays changed in place, must not bring back a stale one)."""
    mnist = load_mnist(write_idx_folder(tmp_path / "mnist", n_train=300, n_test=60))
    source = tiny_model()
    first = PersonalFineTune(source, samples, mnist, QUICK).run()
    mnist.test_labels[:] = (mnist.test_labels + 1) % 10
    expected = evaluate(copy.deepcopy(source.model), DigitSet.from_numpy(
        mnist.test_images, mnist.test_labels)).accuracy
    assert expected != first.mnist_before
    second = PersonalFineTune(source, samples, mnist, QUICK).run()
    assert second.mnist_before == expected


def test_a_model_whose_weights_changed_is_measured_afresh(samples, tmp_path: Path) -> None:
    mnist = load_mnist(write_idx_folder(tmp_path / "mnist", n_train=300, n_test=60))
    source = tiny_model()
    first = PersonalFineTune(source, samples, mnist, QUICK).run()
    with torch.no_grad():
        for parameter in source.model.parameters():
            parameter.mul_(-1)
    expected = evaluate(copy.deepcopy(source.model), DigitSet.from_numpy(
        mnist.test_images, mnist.test_labels)).accuracy
    assert expected != first.mnist_before
    second = PersonalFineTune(source, samples, mnist, QUICK).run()
    assert second.mnist_before == expected


def test_mnist_is_measured_on_a_fixed_subset_the_same_for_every_seed(samples, tmp_path: Path,
                                                                    monkeypatch) -> None:
    """Measuring all 10,000 MNIST test digits before and after cost as much as the
    training; a fixed subset, the same whatever the seed, keeps 'before' remembered."""
    mnist = load_mnist(write_idx_folder(tmp_path / "mnist", n_train=300, n_test=60))
    passes = counting_mnist_passes(monkeypatch, 25)
    source = tiny_model()
    runs = [PersonalFineTune(source, samples, mnist,
                             FineTuneSettings(steps=4, batch_size=16, mnist_test_images=25,
                                              seed=seed)).run() for seed in (1, 2)]
    assert len(passes) == 3  # before once, after twice
    assert runs[0].mnist_before == runs[1].mnist_before
    assert runs[0].mnist_test_images == 25
    assert "MNIST test (25 digits):" in " ".join(runs[0].summary())
    assert SETTINGS_WITH_MNIST.mnist_test_images == 2000


def test_a_small_mnist_is_replayed_with_repeats(samples, tmp_path: Path) -> None:
    """A replay share larger than the MNIST-like set at hand repeats its digits."""
    mnist = load_mnist(write_idx_folder(tmp_path / "mnist", n_train=20, n_test=10))
    result = PersonalFineTune(tiny_model(), samples, mnist, QUICK).run()
    assert result is not None and result.mode == WITH_MNIST


def test_samples_from_image_files_train_on_their_image_alone(samples) -> None:
    """A sample read from an image file has no strokes to re-render: its image only."""
    from dataclasses import replace

    from_files = [replace(s, strokes=[]) for s in samples]
    assert len(rendered_variants(from_files[:3])) == 3
    result = PersonalFineTune(tiny_model(), from_files, None, QUICK).run()
    assert result is not None and result.trained_samples == 30
