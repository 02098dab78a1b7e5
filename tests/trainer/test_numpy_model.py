"""trainer.numpy_model: the model read with NumPy (before torch has loaded) gives
the torch model's answers, and refuses what it cannot read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from test_inference_copy import trained_looking

from digitpad.resources import embedded_model_path
from trainer.calibration import digit_probabilities, not_a_digit_probability
from trainer.checkpoint import load_checkpoint, save_checkpoint
from trainer.errors import CheckpointError
from trainer.models import build_model
from trainer.numpy_model import load_numpy_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")

IMAGES = np.random.default_rng(1).random((16, 28, 28), dtype=np.float32)


def torch_outputs(model: torch.nn.Module, images: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return model(torch.from_numpy(images)[:, None]).numpy()


def same_up_to_a_constant_per_row(a: np.ndarray, b: np.ndarray) -> None:
    # log-probabilities and logits differ by a constant per row; softmax ignores it
    np.testing.assert_allclose(a - a.max(1, keepdims=True), b - b.max(1, keepdims=True),
                               atol=5e-5, rtol=0)


@pytest.mark.parametrize(("arch", "params"), [
    ("digitnet", {}), ("digitnet", {"width": 8, "depth": 1}), ("digitnet", {"outputs": 11}),
    ("digitnet", {"width": 4, "depth": 3}), ("quicknet", {}),
    ("quicknet", {"channels1": 5, "channels2": 7, "hidden": 9}),
])
def test_numpy_gives_the_torch_models_outputs(tmp_path: Path, arch: str, params: dict) -> None:
    model = trained_looking(build_model(arch, **params))
    save_checkpoint(tmp_path / "m.safetensors", model, arch, params)
    read = load_numpy_model(tmp_path / "m.safetensors")
    expected = torch_outputs(model, IMAGES)
    same_up_to_a_constant_per_row(read.logits(IMAGES), expected)
    same_up_to_a_constant_per_row(read.logits(IMAGES[:1]), expected[:1])
    assert np.array_equal(read.logits(IMAGES).argmax(1), expected.argmax(1))
    assert read.outputs == params.get("outputs", 10)


def test_the_built_in_model_reads_the_same_calibrated_probabilities() -> None:
    checkpoint = load_checkpoint(embedded_model_path())
    read = load_numpy_model(embedded_model_path())
    assert read.facts.arch == checkpoint.arch
    assert read.facts.calibration == checkpoint.calibration
    assert read.facts.test_accuracy == checkpoint.test_accuracy
    # blank, random and MNIST-like images: a bar in the middle, as a 1
    images = np.concatenate([np.zeros((1, 28, 28), np.float32), IMAGES])
    images[1, 4:24, 13:15] = 1.0
    logits = torch.from_numpy(torch_outputs(checkpoint.model, images))
    digits, not_digit = read.probabilities(images)
    np.testing.assert_allclose(digits, digit_probabilities(logits, checkpoint).numpy(),
                               atol=1e-5, rtol=0)
    np.testing.assert_allclose(not_digit, not_a_digit_probability(logits, checkpoint).numpy(),
                               atol=1e-5, rtol=0)
    assert digits.shape == (17, 10) and not_digit.shape == (17,)


def test_a_ten_output_model_has_no_not_a_digit_probability(tmp_path: Path) -> None:
    save_checkpoint(tmp_path / "m.safetensors", trained_looking(build_model("quicknet")),
                    "quicknet")
    digits, not_digit = load_numpy_model(tmp_path / "m.safetensors").probabilities(IMAGES)
    np.testing.assert_allclose(digits.sum(1), 1.0, atol=1e-5)
    assert not not_digit.any()


def test_a_checkpoint_with_training_state_is_read_too(tmp_path: Path) -> None:
    model = trained_looking(build_model("digitnet", width=4, depth=1))
    save_checkpoint(tmp_path / "run.safetensors", model, "digitnet", {"width": 4, "depth": 1},
                    training_state={"epoch": 3, "rng": torch.arange(5)})
    read = load_numpy_model(tmp_path / "run.safetensors")
    same_up_to_a_constant_per_row(read.logits(IMAGES), torch_outputs(model, IMAGES))


def test_other_architectures_are_left_to_torch(tmp_path: Path) -> None:
    save_checkpoint(tmp_path / "seed.safetensors", build_model("seed"), "seed")
    with pytest.raises(CheckpointError, match="'seed' model is read with torch only"):
        load_numpy_model(tmp_path / "seed.safetensors")


@pytest.mark.parametrize(("damage", "message"), [
    (lambda data: data[:1000], "not a DigitPad model file"),
    (lambda data: b"", "not a DigitPad model file"),
    (lambda data: b"\x00" * 64, "not a DigitPad model file"),
])
def test_damaged_files_give_one_clear_line(tmp_path: Path, damage, message: str) -> None:
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(damage(embedded_model_path().read_bytes()))
    with pytest.raises(CheckpointError, match=message) as raised:
        load_numpy_model(broken)
    assert "\n" not in str(raised.value) and "broken.safetensors" in str(raised.value)


def test_weights_of_another_shape_or_not_finite_are_refused(tmp_path: Path) -> None:
    model = build_model("digitnet", width=4, depth=1)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    del state["features.4.0.weight"]  # the last stage's convolution is missing
    from safetensors.torch import save_file

    save_file(state, tmp_path / "cut.safetensors",
              metadata={"format": "digitpad-model", "arch": "digitnet"})
    with pytest.raises(CheckpointError, match="do not fit the 'digitnet' architecture"):
        load_numpy_model(tmp_path / "cut.safetensors")
    del state["classifier.weight"]
    save_file(state, tmp_path / "cut.safetensors",
              metadata={"format": "digitpad-model", "arch": "digitnet"})
    with pytest.raises(CheckpointError, match="do not fit the 'digitnet' architecture"):
        load_numpy_model(tmp_path / "cut.safetensors")
    with torch.no_grad():
        model.classifier.weight[0, 0] = float("nan")
    save_checkpoint(tmp_path / "nan.safetensors", model, "digitnet", {"width": 4, "depth": 1})
    with pytest.raises(CheckpointError, match="NaN or infinite"):
        load_numpy_model(tmp_path / "nan.safetensors")


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="gone.safetensors"):
        load_numpy_model(tmp_path / "gone.safetensors")
