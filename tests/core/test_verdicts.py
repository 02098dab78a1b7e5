"""The four answers to a drawing: a digit, unsure, not a digit, nothing drawn —
in the Recognizer, `digitpad predict` and its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from digitpad.cli.main import main
from digitpad.reading import judge
from digitpad.recognizer import Recognizer
from trainer.checkpoint import load_checkpoint, save_checkpoint
from trainer.models import build_model


def fixed_model(tmp_path: Path, bias: list[float], calibration: dict | None = None) -> Path:
    """A tiny model whose answer is `bias`, whatever is drawn."""
    outputs = len(bias)
    model = build_model("digitnet", width=2, depth=1, outputs=outputs)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor(bias))
    return save_checkpoint(tmp_path / f"m{outputs}.safetensors", model, "digitnet",
                           {"width": 2, "depth": 1, "outputs": outputs},
                           calibration=calibration)


@pytest.fixture
def drawing(tmp_path: Path) -> Path:
    image = np.zeros((64, 64), np.uint8)
    cv2.line(image, (32, 10), (32, 54), 255, 6)
    path = tmp_path / "one.png"
    cv2.imwrite(str(path), image)
    return path


def read(capsys, *args) -> tuple[int, str]:
    status = main([str(a) for a in args])
    return status, capsys.readouterr().out


def test_judge_tells_the_four_outcomes_apart() -> None:
    sure = judge(np.eye(10)[3] * 0.99 + 0.001, 0.0, None, 0.9, 0.5)
    assert (sure.verdict, sure.digit, sure.sure) == ("digit", 3, True)
    unsure = judge(np.array([0.5, 0.4] + [0.0125] * 8), 0.0, None, 0.9, 0.5)
    assert (unsure.verdict, unsure.digit, unsure.runner_up, unsure.sure) == ("unsure", 0, 1, False)
    rejected = judge(np.eye(10)[3], 0.8, None, 0.9, 0.5)
    assert rejected.verdict == "not a digit" and not rejected.sure
    assert rejected.to_json()["digit"] is None and rejected.to_json()["verdict"] == "not a digit"
    empty = Recognizer.load().predict(None)
    assert empty.verdict == "empty" and empty.to_json()["digit"] is None


def test_an_eleven_output_model_says_not_a_digit(capsys, tmp_path: Path, drawing: Path) -> None:
    model = fixed_model(tmp_path, [1.0] + [0.0] * 9 + [6.0],
                        {"temperature": 1.0, "sure": 0.9, "not_a_digit": 0.5})
    status, out = read(capsys, "predict", "--model", model, drawing)
    assert status == 0 and out == f"{drawing}: not a digit\n"
    status, out = read(capsys, "predict", "--json", "--model", model, drawing)
    record = json.loads(out)
    assert record["verdict"] == "not a digit" and record["digit"] is None
    assert record["not_a_digit"] > 0.9 and len(record["probabilities"]) == 10


def test_unsure_names_the_top_two(capsys, tmp_path: Path, drawing: Path) -> None:
    model = fixed_model(tmp_path, [0.0] * 7 + [2.0, 0.0, 1.8])
    status, out = read(capsys, "predict", "--model", model, drawing)
    assert status == 0 and out == f"{drawing}: unsure: 7 (34 %) or 9 (28 %)\n"
    record = json.loads(read(capsys, "predict", "--json", "--model", model, drawing)[1])
    assert (record["verdict"], record["digit"], record["runner_up"]) == ("unsure", 7, 9)


def test_the_sure_threshold_comes_from_the_model_file(tmp_path: Path) -> None:
    model = fixed_model(tmp_path, [0.0] * 7 + [3.0, 0.0, 0.0],  # 7 at about 69 %
                        {"temperature": 1.0, "sure": 0.65})
    recognizer = Recognizer(load_checkpoint(model))
    image = np.zeros((1, 28, 28), np.float32)
    probabilities, rejections = recognizer.read(image)
    assert probabilities.shape == (1, 10) and float(rejections[0]) == 0
    assert recognizer.thresholds() == (0.65, 0.5)
    from digitpad.drawing.preprocess import Preprocessed

    reading = recognizer.predict(Preprocessed(image[0], 1, 0, 1.0))
    assert reading.verdict == "digit" and reading.digit == 7


def test_temperature_changes_how_sure_not_which_digit(tmp_path: Path) -> None:
    bias = [0.0] * 7 + [4.0, 0.0, 0.0]
    plain = Recognizer(load_checkpoint(fixed_model(tmp_path, bias)))
    (tmp_path / "m10.safetensors").rename(tmp_path / "plain.safetensors")
    warm = Recognizer(load_checkpoint(fixed_model(tmp_path, bias, {"temperature": 2.0})))
    image = np.zeros((1, 28, 28), np.float32)
    assert plain.probabilities(image).argmax() == warm.probabilities(image).argmax() == 7
    assert warm.probabilities(image).max() < plain.probabilities(image).max()
