"""The `digitpad` command line: predict, train, eval; one-line errors, never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import run_cli, write_idx_folder

import digitpad.cli.train as train_module
from digitpad.cli.main import main
from digitpad.drawing.strokes import fit_strokes, render_strokes
from digitpad.resources import embedded_model_path
from trainer.checkpoint import load_checkpoint, save_checkpoint
from trainer.models import build_model

REPO = Path(__file__).resolve().parents[2]
TUTORIAL_LINE = re.compile(
    r"^Test set: Average loss: \d+\.\d{4}, Accuracy: (\d+)/(\d+) \(\d+\.\d{2}%\)$", re.M)


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def ink_seven(side: int = 120) -> np.ndarray:
    strokes = fit_strokes([[(0, 0), (100, 0), (40, 160)]], side, fill=0.7, width=side / 14)
    return render_strokes(strokes, (side, side), side=side)


@pytest.fixture
def pictures(tmp_path: Path) -> dict[str, Path]:
    """The same '7' three ways, and a blank page."""
    ink = ink_seven()
    bgra = np.zeros((*ink.shape, 4), np.uint8)
    bgra[..., 3] = ink
    images = {"dark-on-light": 255 - ink, "light-on-dark": ink, "transparent": bgra,
              "blank": np.full((60, 80), 255, np.uint8)}
    paths = {}
    for name, image in images.items():
        paths[name] = tmp_path / f"{name}.png"
        assert cv2.imwrite(str(paths[name]), image)
    return paths


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50)


def train_args(data: Path, out: Path, *extra) -> list:
    return ["train", "--data", data, "--arch", "seed", "--epochs", "1", "--batch-size", "32",
            "--out", out, "--quiet", *extra]


# --- predict ---------------------------------------------------------------------------


def test_predict_prints_one_line_per_image(capsys, pictures: dict[str, Path]) -> None:
    status, out, err = run_cli(capsys, "predict", *pictures.values())
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(pictures)
    for line, path in zip(lines, pictures.values(), strict=True):
        assert line.startswith(f"{path}: ")
    assert lines[-1] == f"{pictures['blank']}: no ink"
    assert all(re.search(r": (\d \(\d+\.\d %\)|unsure: \d \(\d+ %\) or \d \(\d+ %\))$", line)
               for line in lines[:-1])


def test_predict_json(capsys, pictures: dict[str, Path]) -> None:
    status, out, err = run_cli(capsys, "predict", "--json", *pictures.values())
    assert status == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in records] == [str(p) for p in pictures.values()]
    for record in records:
        assert set(record) == {"file", "verdict", "digit", "runner_up", "confidence",
                               "not_a_digit", "probabilities"}
        assert len(record["probabilities"]) == 10
        assert all(isinstance(p, float) for p in record["probabilities"])
    *drawn, blank = records
    assert blank["digit"] is None and blank["confidence"] == 0
    assert blank["verdict"] == "empty" and blank["runner_up"] is None
    for record in drawn:
        assert record["verdict"] in ("digit", "unsure")
        assert isinstance(record["digit"], int) and 0 <= record["digit"] <= 9
        assert record["runner_up"] in range(10) and record["runner_up"] != record["digit"]
        assert sum(record["probabilities"]) == pytest.approx(1, abs=1e-4)
        assert record["confidence"] == max(record["probabilities"])
        assert record["probabilities"].index(record["confidence"]) == record["digit"]
    # Dark on light, light on dark and transparent: the same drawing, the same answer.
    assert len({r["digit"] for r in drawn}) == 1
    assert drawn[0]["probabilities"] == drawn[1]["probabilities"] == drawn[2]["probabilities"]


def test_predict_with_a_trained_model_file(capsys, tmp_path: Path, data: Path,
                                           pictures: dict[str, Path]) -> None:
    model = tmp_path / "m.safetensors"
    assert run_cli(capsys, *train_args(data, model))[0] == 0
    status, out, _ = run_cli(capsys, "predict", "--json", "--model", model, pictures["transparent"])
    assert status == 0 and json.loads(out)["digit"] in range(10)


def test_predict_warns_about_another_preprocessing(capsys, tmp_path: Path,
                                                   pictures: dict[str, Path]) -> None:
    model = save_checkpoint(tmp_path / "old.safetensors", build_model("seed"), "seed",
                            preprocess_version=999)
    status, out, err = run_cli(capsys, "predict", "--model", model, pictures["light-on-dark"])
    assert status == 0 and len(out.splitlines()) == 1
    assert err.startswith("digitpad: warning:") and "version 999" in err


def test_one_bad_image_does_not_stop_the_others(capsys, tmp_path: Path,
                                                pictures: dict[str, Path]) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    status, out, err = run_cli(capsys, "predict", bad, pictures["light-on-dark"])
    assert status == 2
    assert len(out.splitlines()) == 1 and out.startswith(str(pictures["light-on-dark"]))
    assert err.splitlines() == [f"digitpad: error: {bad}: not an image DigitPad can read"]


# --- bad input: status 2 and one line ---------------------------------------------------


def _bad_cases(tmp: Path, data: Path, picture: Path) -> dict[str, tuple[list, str]]:
    not_image = tmp / "letter.png"
    not_image.write_text("Dear DigitPad,")
    bad_model = tmp / "model.safetensors"
    bad_model.write_bytes(b"\x00" * 100)
    plain_model = save_checkpoint(tmp / "plain.safetensors", build_model("seed"), "seed")
    junk_npz = tmp / "junk.npz"
    junk_npz.write_bytes(b"PK but not really")
    missing = tmp / "missing"
    return {
        "predict: not an image": (["predict", not_image], str(not_image)),
        "predict: missing file": (["predict", tmp / "nope.png"], str(tmp / "nope.png")),
        "predict: folder": (["predict", tmp], str(tmp)),
        "predict: bad model file": (["predict", "--model", bad_model, picture], str(bad_model)),
        "predict: missing model": (["predict", "--model", missing, picture], str(missing)),
        "train: negative epochs": (["train", "--data", data, "--epochs", "-1"], "--epochs"),
        "train: zero batch size": (["train", "--data", data, "--batch-size", "0"],
                                   "--batch-size"),
        "train: unknown arch": (["train", "--data", data, "--arch", "lenet"], "lenet"),
        "train: unknown optimizer": (["train", "--data", data, "--optimizer", "sgdd"], "sgdd"),
        "train: zero lr": (["train", "--data", data, "--lr", "0"], "learning rate"),
        "train: negative hidden size": (["train", "--data", data, "--arch", "seed",
                                         "--hidden", "-5"], "hidden"),
        "train: zero channels": (["train", "--data", data, "--arch", "seed", "--channels", "0",
                                  "8"], "channels1"),
        "train: absurd width": (["train", "--data", data, "--channels", "5000"], "width"),
        "train: one channel for seed": (["train", "--data", data, "--arch", "seed",
                                         "--channels", "8"], "--channels"),
        "train: missing --data path": (["train", "--data", missing], str(missing)),
        "train: junk .npz": (["train", "--data", junk_npz], str(junk_npz)),
        "train: resume from a plain model": (["train", "--resume", plain_model, "--data", data],
                                             str(plain_model)),
        "train: resume from junk": (["train", "--resume", bad_model], str(bad_model)),
        "train: fine-tune from junk": (["train", "--from", bad_model, "--data", data],
                                       str(bad_model)),
        "train: from a seed as quicknet": (["train", "--from", plain_model, "--arch",
                                            "quicknet", "--data", data], str(plain_model)),
        "eval: missing --data path": (["eval", "--data", missing], str(missing)),
        "eval: bad model": (["eval", "--model", bad_model, "--data", data], str(bad_model)),
    }


BAD_CASE_NAMES = [
    "predict: not an image", "predict: missing file", "predict: folder",
    "predict: bad model file", "predict: missing model", "train: negative epochs",
    "train: zero batch size", "train: unknown arch", "train: unknown optimizer", "train: zero lr",
    "train: negative hidden size", "train: zero channels", "train: absurd width",
    "train: one channel for seed", "train: missing --data path", "train: junk .npz",
    "train: resume from a plain model", "train: resume from junk", "train: fine-tune from junk",
    "train: from a seed as quicknet", "eval: missing --data path", "eval: bad model",
]


@pytest.mark.parametrize("case", BAD_CASE_NAMES)
def test_bad_input_exits_2_with_one_line(capsys, tmp_path: Path, data: Path,
                                         pictures: dict[str, Path], case: str) -> None:
    cases = _bad_cases(tmp_path, data, pictures["light-on-dark"])
    assert set(cases) == set(BAD_CASE_NAMES)
    argv, named = cases[case]
    status, out, err = run_cli(capsys, *argv)
    assert status == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("digitpad: error: ")
    assert named in lines[0]
    assert "Traceback" not in err and "Traceback" not in out
    assert not (tmp_path / "out.safetensors").exists()


@pytest.mark.parametrize("argv", [
    ["train", "--epochs", "many"], ["predict"], ["fly"], ["eval", "--colour", "red"],
])
def test_argument_errors_are_one_line(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("digitpad")


def test_no_data_found_says_where_to_put_it(capsys, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    home, xdg, cwd = tmp_path / "home", tmp_path / "xdg", tmp_path / "cwd"
    for folder in (home, xdg, cwd):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.chdir(cwd)
    for argv in (["train", "--arch", "seed", "--epochs", "1"], ["eval"]):
        status, _, err = run_cli(capsys, *argv)
        assert status == 2
        assert len(err.splitlines()) == 1
        assert "no MNIST found" in err
        assert str(xdg / "digitpad" / "mnist") in err
        assert "train-images-idx3-ubyte.gz" in err and "--data" in err


def test_data_is_found_in_the_user_data_folder(capsys, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg"
    folder = write_idx_folder(xdg / "digitpad" / "mnist", n_train=40, n_test=30)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run_cli(capsys, "eval", "--json")
    assert status == 0
    result = json.loads(out)
    assert result["data"] == str(folder) and result["total"] == 30
    assert result["model"] == str(embedded_model_path())


# --- train and eval ----------------------------------------------------------------------


def test_train_writes_a_loadable_model(capsys, tmp_path: Path, data: Path) -> None:
    out_file = tmp_path / "models" / "seed.safetensors"
    status, out, err = run_cli(capsys, *train_args(data, out_file))
    assert status == 0
    assert "Epoch 1/1: train loss" in out
    match = TUTORIAL_LINE.search(out)
    assert match and match.group(2) == "50"
    assert "Training seed on 200 training and 50 test images" in err
    assert f"model saved to {out_file}" in err
    checkpoint = load_checkpoint(out_file, with_training_state=True)
    assert checkpoint.arch == "seed" and checkpoint.epoch == 1
    assert checkpoint.config.epochs == 1 and checkpoint.config.batch_size == 32
    assert checkpoint.training_state is not None
    assert checkpoint.metrics["test_total"] == 50
    assert checkpoint.metrics["test_correct"] == int(match.group(1))
    assert checkpoint.preprocess_version == 1
    assert checkpoint.info["data"] == str(data)


def test_train_into_a_log_draws_no_progress_bar(capsys, tmp_path: Path, data: Path) -> None:
    # Without --quiet, but stderr is no terminal (a log file, CI): a bar there would
    # write a line for every batch.
    args = [a for a in train_args(data, tmp_path / "seed.safetensors") if a != "--quiet"]
    status, out, err = run_cli(capsys, *args)
    assert status == 0 and "Epoch 1/1: train loss" in out
    assert "batch/s" not in err and "\r" not in err
    assert "model saved to" in err


def test_train_size_options(capsys, tmp_path: Path, data: Path) -> None:
    out_file = tmp_path / "small.safetensors"
    status, _, _ = run_cli(capsys, *train_args(data, out_file, "--channels", "4", "8",
                                           "--hidden", "16", "--optimizer", "sgd",
                                           "--schedule", "none", "--no-augment", "--seed", "3"))
    assert status == 0
    checkpoint = load_checkpoint(out_file)
    assert checkpoint.arch_params == {"channels1": 4, "channels2": 8, "hidden": 16}
    assert checkpoint.config.optimizer == "sgd" and checkpoint.config.seed == 3
    assert not checkpoint.config.augment


def test_model_only_drops_the_training_state(capsys, tmp_path: Path, data: Path) -> None:
    out_file = tmp_path / "m.safetensors"
    assert run_cli(capsys, *train_args(data, out_file, "--model-only"))[0] == 0
    assert load_checkpoint(out_file, with_training_state=True).training_state is None
    status, _, err = run_cli(capsys, "train", "--resume", out_file, "--data", data)
    assert status == 2 and "no training state to resume from" in err


def test_eval_json_and_table(capsys, tmp_path: Path, data: Path) -> None:
    model = tmp_path / "m.safetensors"
    assert run_cli(capsys, *train_args(data, model))[0] == 0
    status, out, err = run_cli(capsys, "eval", "--data", data, "--model", model, "--json")
    assert status == 0 and err == ""
    result = json.loads(out)
    assert result["total"] == 50 and result["model"] == str(model)
    assert 0 <= result["accuracy"] <= 1
    assert result["accuracy"] == pytest.approx(result["correct"] / 50)
    assert result["accuracy"] == pytest.approx(load_checkpoint(model).test_accuracy)
    assert sum(map(sum, result["confusion"])) == 50 and len(result["confusion"]) == 10

    status, out, _ = run_cli(capsys, "eval", "--data", data, "--model", model)
    assert status == 0
    assert TUTORIAL_LINE.search(out)
    assert "true\\pred" in out and len(out.splitlines()) >= 14


def test_eval_on_npz(capsys, tmp_path: Path, data: Path) -> None:
    from trainer.mnist import load_mnist

    mnist = load_mnist(data)
    npz = tmp_path / "mnist.npz"
    np.savez(npz, x_train=mnist.train_images, y_train=mnist.train_labels,
             x_test=mnist.test_images, y_test=mnist.test_labels)
    status, out, _ = run_cli(capsys, "eval", "--data", npz, "--json")
    assert status == 0 and json.loads(out)["total"] == 50


class _InterruptInEpoch2:
    """Stands in for tqdm; the user presses Ctrl+C at the first batch of epoch 2."""

    def __init__(self, *args, desc: str = "", **kwargs) -> None:
        self.desc = desc

    def update(self, n: int = 1) -> None:
        if self.desc == "Epoch 2":
            raise KeyboardInterrupt

    def set_postfix(self, **kwargs) -> None:
        pass

    def close(self) -> None:
        pass


def test_train_resume_continues_an_interrupted_run(capsys, tmp_path: Path, data: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["--epochs", "2", "--seed", "7", "--schedule", "onecycle", "--augment"]
    straight = tmp_path / "straight.safetensors"
    assert run_cli(capsys, *train_args(data, straight, *args))[0] == 0

    out_file = tmp_path / "run.safetensors"
    with monkeypatch.context() as patch:
        patch.setattr(train_module, "tqdm", _InterruptInEpoch2)
        with pytest.raises(SystemExit) as exit_:
            main([str(a) for a in train_args(data, out_file, *args)])
    assert exit_.value.code == 130
    err = capsys.readouterr().err
    assert f"Interrupted after epoch 1; resume with: digitpad train --resume {out_file}" in err
    # The batch of epoch 2 that was trained is thrown away, and the user is told so.
    assert ("Stopped in epoch 2 after 1 of 7 batches; those were not kept: epoch 1 is saved "
            "and can be resumed.") in err.splitlines()
    assert load_checkpoint(out_file).epoch == 1

    status, out, _ = run_cli(capsys, "train", "--resume", out_file, "--data", data, "--quiet")
    assert status == 0
    assert "Epoch 2/2" in out and "Epoch 1/2" not in out
    resumed, reference = load_checkpoint(out_file), load_checkpoint(straight)
    assert resumed.config == reference.config
    assert resumed.config.schedule == "onecycle" and resumed.config.augment
    assert resumed.epoch == 2
    assert [r["epoch"] for r in resumed.history["epochs"]] == [1, 2]
    assert resumed.history["batch_losses"] == reference.history["batch_losses"]
    assert len(resumed.history["batch_losses"]) == 2 * 7


def test_resume_cannot_replan_a_schedule(capsys, tmp_path: Path, data: Path) -> None:
    out_file = tmp_path / "run.safetensors"
    assert run_cli(capsys, *train_args(data, out_file, "--schedule", "onecycle"))[0] == 0
    status, _, err = run_cli(capsys, "train", "--resume", out_file, "--epochs", "3", "--data", data)
    assert status == 2 and "cannot be changed on resume" in err and len(err.splitlines()) == 1


def test_resume_with_more_epochs_without_a_schedule(capsys, tmp_path: Path, data: Path) -> None:
    out_file = tmp_path / "run.safetensors"
    assert run_cli(capsys, *train_args(data, out_file, "--schedule", "none"))[0] == 0
    status, out, _ = run_cli(capsys, "train", "--resume", out_file, "--epochs", "2", "--data", data,
                         "--quiet")
    assert status == 0 and "Epoch 2/2" in out
    assert load_checkpoint(out_file).epoch == 2


def test_fine_tune_from_a_model(capsys, tmp_path: Path, data: Path) -> None:
    start = tmp_path / "start.safetensors"
    assert run_cli(capsys, *train_args(data, start, "--channels", "4", "8"))[0] == 0
    tuned = tmp_path / "tuned.safetensors"
    status, _, _ = run_cli(capsys, "train", "--from", start, "--data", data, "--epochs", "1",
                       "--batch-size", "32", "--out", tuned, "--quiet")
    assert status == 0
    checkpoint = load_checkpoint(tuned)
    assert checkpoint.arch == "seed"
    assert checkpoint.arch_params == {"channels1": 4, "channels2": 8}


# --- as a real program --------------------------------------------------------------------


def _program() -> list[str]:
    script = Path(sys.executable).parent / "digitpad"
    return [str(script)] if script.exists() else [sys.executable, "-m", "digitpad"]


def test_real_process_predict(tmp_path: Path, pictures: dict[str, Path]) -> None:
    missing = tmp_path / "gone.png"
    done = subprocess.run(
        [sys.executable, "-m", "digitpad", "predict", "--json", pictures["dark-on-light"],
         missing],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert done.returncode == 2
    record = json.loads(done.stdout)
    assert record["file"] == str(pictures["dark-on-light"]) and record["digit"] in range(10)
    assert done.stderr.splitlines() == [f"digitpad: error: {missing}: no such file"]


def test_odd_file_names_keep_one_line_per_image(tmp_path: Path,
                                                pictures: dict[str, Path]) -> None:
    # A name that is not UTF-8 and a name with a newline, printed to a UTF-8 stdout.
    folder = os.fsencode(tmp_path)
    odd = os.fsdecode(folder + b"/caf\xe9.png")
    newline = tmp_path / "two\nlines.png"
    os.link(pictures["dark-on-light"], os.fsencode(odd))
    os.link(pictures["dark-on-light"], newline)
    missing = tmp_path / "gone\n.png"
    done = subprocess.run(
        [sys.executable, "-m", "digitpad", "predict", odd, newline, missing],
        capture_output=True, cwd=tmp_path, timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 2
    out = done.stdout.decode("utf-8").splitlines()
    assert len(out) == 2, out
    assert out[0].startswith(f"{tmp_path}/caf\\udce9.png: 7 (")
    assert "two\\nlines.png: 7 (" in out[1]
    assert done.stderr.decode("utf-8").splitlines() == [
        f"digitpad: error: {tmp_path}/gone\\n.png: no such file"]


def test_real_process_bad_option_value(tmp_path: Path) -> None:
    done = subprocess.run(_program() + ["train", "--epochs", "-3"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["digitpad: error: --epochs must be at least 1, got -3"]
    assert done.stdout == ""


# --- the embedded model on the real MNIST -------------------------------------------------


@pytest.mark.mnist
def test_embedded_model_on_real_mnist(capsys, real_mnist: Path) -> None:
    status, out, _ = run_cli(capsys, "eval", "--data", real_mnist, "--json")
    assert status == 0
    result = json.loads(out)
    assert result["total"] == 10000
    recorded = load_checkpoint(embedded_model_path()).test_accuracy
    if recorded is not None:
        # The file's own figure is what eval measures (same data, same preprocessing).
        assert result["accuracy"] == pytest.approx(recorded, abs=1e-4)
    assert result["accuracy"] >= 0.98


def test_version_and_help_examples(capsys: pytest.CaptureFixture) -> None:
    from digitpad import __version__

    with pytest.raises(SystemExit) as version:
        main(["--version"])
    assert version.value.code == 0
    assert capsys.readouterr().out.strip() == f"digitpad {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "Without a command, the window opens." in help_text
    assert "digitpad train --preset fast" in help_text
