"""`digitpad inspect` and `digitpad eval --mistakes`: files a learner can open."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import run_cli, write_idx_folder

from digitpad.drawing.strokes import fit_strokes, render_strokes
from trainer.checkpoint import save_checkpoint
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def seven(tmp_path: Path) -> Path:
    strokes = fit_strokes([[(0, 0), (100, 0), (40, 160)]], 120, fill=0.7, width=120 / 14)
    path = tmp_path / "seven.png"
    assert cv2.imwrite(str(path), 255 - render_strokes(strokes, (120, 120), side=120))
    return path


def test_inspect_answers_as_predict_does(capsys, tmp_path: Path) -> None:
    # A letter H: `predict` calls it no digit, and so does `inspect`, naming the digit
    # its maps and saliency are about (it printed "Answer: 4 (98.8 %)").
    letter = np.full((200, 200), 255, np.uint8)
    for start, end in (((50, 30), (50, 170)), ((150, 30), (150, 170)), ((50, 100), (150, 100))):
        cv2.line(letter, start, end, 0, 14)
    path = tmp_path / "H.png"
    assert cv2.imwrite(str(path), letter)
    status, printed, _ = run_cli(capsys, "predict", path)
    assert status == 0 and printed.strip().endswith(": not a digit")
    status, printed, _ = run_cli(capsys, "inspect", path, "--out", tmp_path / "seen")
    assert status == 0
    answer = next(line for line in printed.splitlines() if line.startswith("Answer: "))
    assert answer.startswith("Answer: not a digit (") and "; nearest digit " in answer
    report = json.loads((tmp_path / "seen" / "inspect.json").read_text())
    assert report["verdict"] == "not a digit" and report["digit"] is None


def test_inspect_writes_every_layer_kernels_saliency_and_json(capsys, tmp_path: Path,
                                                              seven: Path) -> None:
    out = tmp_path / "seen"
    status, printed, _ = run_cli(capsys, "inspect", seven, "--out", out)
    assert status == 0
    report = json.loads((out / "inspect.json").read_text())
    assert report["digit"] == 7 and report["verdict"] == "digit"
    assert len(report["probabilities"]) == 10
    layers = report["layers"]
    assert layers[0] == {"name": "features.0.0", "kind": "conv", "shape": [32, 28, 28],
                         "parameters": 288}
    # The ten digits, and "not a digit" for a model that has that output (the built-in).
    assert layers[-1]["kind"] == "classifier" and layers[-1]["shape"] in ([10], [11])
    for number, layer in enumerate(layers, 1):
        assert (out / f"{number:02d}-{layer['name']}.png").is_file()
    seen = cv2.imread(str(out / "input.png"), cv2.IMREAD_UNCHANGED)
    assert seen.shape == (28, 28) and seen.max() > 200 and seen[0, 0] == 0  # ink is light
    saliency = cv2.imread(str(out / "saliency.png"), cv2.IMREAD_UNCHANGED)
    assert saliency.shape[0] >= 28 and saliency.shape[1] >= 28 and saliency.max() == 255
    assert cv2.imread(str(out / "kernels.png")) is not None
    assert "features.0.0" in printed and "Convolution" in printed and "Answer: 7" in printed


def test_inspect_any_trained_architecture(capsys, tmp_path: Path, seven: Path) -> None:
    model = tmp_path / "seed.pt"
    save_checkpoint(model, build_model("seed"), "seed", {})
    status, _, _ = run_cli(capsys, "inspect", seven, "--model", model, "--out", tmp_path / "out")
    assert status == 0
    names = [layer["name"] for layer in
             json.loads((tmp_path / "out" / "inspect.json").read_text())["layers"]]
    assert names == ["conv1", "conv2", "conv2_drop", "fc1", "fc2"]


@pytest.mark.parametrize("case", ["missing", "not an image", "blank", "out is a file", "no out"])
def test_inspect_bad_input_is_one_line_and_exit_2(capsys, tmp_path: Path, seven: Path,
                                                   case: str) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((40, 40), 255, np.uint8))
    text = tmp_path / "notes.png"
    text.write_text("hello")
    a_file = tmp_path / "file"
    a_file.write_text("")
    argv = {"missing": [tmp_path / "none.png", "--out", tmp_path / "o"],
            "not an image": [text, "--out", tmp_path / "o"],
            "blank": [blank, "--out", tmp_path / "o"],
            "out is a file": [seven, "--out", a_file],
            "no out": [seven]}[case]
    status, _, err = run_cli(capsys, "inspect", *argv)
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    if case == "blank":
        assert "no ink" in err
    if case == "out is a file":
        assert "not a folder" in err


def test_eval_mistakes_writes_the_misread_images(capsys, tmp_path: Path) -> None:
    data = write_idx_folder(tmp_path / "mnist", n_train=20, n_test=30)
    model = tmp_path / "untrained.pt"
    sizes = {"channels1": 2, "channels2": 2, "hidden": 4}
    save_checkpoint(model, build_model("seed", **sizes), "seed", sizes)
    folder = tmp_path / "mistakes"
    status, out, err = run_cli(capsys, "eval", "--data", data, "--model", model, "--json",
                           "--mistakes", folder)
    assert status == 0, err
    result = json.loads(out)
    files = sorted(folder.iterdir())
    assert len(files) == result["total"] - result["correct"] > 0
    assert f"Wrote {len(files)} misread" in err
    for path in files:
        true, read, index = path.stem.split("-")
        assert true.startswith("true") and read.startswith("read") and len(index) == 4
        assert true[4:] != read[4:]
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        assert image.shape == (28, 28) and image.dtype == np.uint8
