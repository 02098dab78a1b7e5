"""`digitpad train` against what a determined tester tried (issue 16, items 1, 2, 8, 11):
--out that names something else, two runs in the same second, resume flags that
would be ignored, absurd thread counts, Ctrl+C before the first epoch, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, write_idx_folder

import digitpad.cli.train as train_module
from digitpad.cli.main import main
from digitpad.store.paths import user_data_dir
from trainer.checkpoint import load_checkpoint

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50)


def train(data: Path, *extra) -> list:
    return ["train", "--data", data, "--arch", "seed", "--epochs", "1", "--batch-size", "32",
            "--quiet", *extra]


class _NeverTrain:
    """Training must not start: the check comes first."""

    def __init__(self, *args, **kwargs) -> None:
        raise AssertionError("training started before --out was checked")


# --- item 1: --out --------------------------------------------------------------------


def test_out_refuses_to_replace_a_file_that_is_not_a_model(capsys, tmp_path: Path, data: Path,
                                                           monkeypatch) -> None:
    thesis = tmp_path / "thesis.txt"
    thesis.write_text("two years of work")
    monkeypatch.setattr(train_module, "TrainingSession", _NeverTrain)
    status, out, err = run_cli(capsys, *train(data, "--out", thesis))
    assert status == 2 and out == ""
    assert err.splitlines() == [f"digitpad: error: {thesis}: exists and is not a DigitPad "
                                f"model; choose another --out, or add --force to replace it"]
    assert thesis.read_text() == "two years of work"


def test_out_with_force_replaces_a_file_and_an_old_model_needs_no_force(
        capsys, tmp_path: Path, data: Path) -> None:
    notes = tmp_path / "notes.safetensors"
    notes.write_text("not a model")
    assert run_cli(capsys, *train(data, "--out", notes, "--force"))[0] == 0
    assert load_checkpoint(notes).epoch == 1
    # An existing DigitPad model is what --out is for: replaced without --force.
    assert run_cli(capsys, *train(data, "--out", notes, "--seed", "3"))[0] == 0
    assert load_checkpoint(notes).config.seed == 3


@pytest.mark.parametrize("case", ["folder", "device", "fifo", "unwritable", "under a file"])
def test_out_that_cannot_take_a_model_fails_before_training(
        capsys, tmp_path: Path, data: Path, monkeypatch, case: str) -> None:
    monkeypatch.setattr(train_module, "TrainingSession", _NeverTrain)
    if case == "folder":
        out, expected = tmp_path, "is a folder; --out names the model file to write"
    elif case == "device":
        out, expected = Path(os.devnull), "is not a regular file; refusing to replace it"
    elif case == "fifo":
        out = tmp_path / "pipe.safetensors"
        os.mkfifo(out)
        expected = "is not a regular file; refusing to replace it"
    elif case == "unwritable":
        folder = tmp_path / "locked"
        folder.mkdir()
        out = folder / "m.safetensors"

        def no_space(*args, **kwargs):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(train_module.tempfile, "TemporaryFile", no_space)
        expected = "cannot be written (No space left on device)"
    else:
        (tmp_path / "file").write_text("x")
        out, expected = tmp_path / "file" / "m.safetensors", "cannot be written"
    status, _, err = run_cli(capsys, *train(data, "--out", out, "--force"))
    assert status == 2
    assert err.startswith(f"digitpad: error: {out}: {expected}") and len(err.splitlines()) == 1
    if case == "device":
        assert Path(os.devnull).is_char_device()


# --- item 2: two runs in the same second ------------------------------------------------------


def test_two_runs_in_the_same_second_get_two_models(capsys, data: Path, monkeypatch) -> None:
    import datetime as real

    class Frozen(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.datetime(2026, 11, 27, 12, 0, 0)

    monkeypatch.setattr("digitpad.store.models_folder.datetime", Frozen)
    first = run_cli(capsys, *train(data, "--seed", "1"))
    second = run_cli(capsys, *train(data, "--seed", "2"))
    assert first[0] == second[0] == 0
    models = sorted((user_data_dir() / "models").glob("*.safetensors"))
    assert len(models) == 2, models
    assert {load_checkpoint(m).config.seed for m in models} == {1, 2}
    assert str(models[0]) in first[2] + second[2] and str(models[1]) in first[2] + second[2]


def test_a_failed_run_leaves_no_empty_model_behind(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    status, _, err = run_cli(capsys, "train", "--data", bad, "--arch", "seed", "--quiet")
    assert status == 2 and "not a readable .npz file" in err
    assert list((user_data_dir() / "models").glob("*")) == []


# --- item 8: threads ---------------------------------------------------------------------------


@pytest.mark.parametrize("threads", [100_000, 16_384, 257])
def test_absurd_thread_counts_are_refused_in_one_line(capsys, data: Path,
                                                      threads: int) -> None:
    status, _, err = run_cli(capsys, *train(data, "--threads", threads))
    assert status == 2
    assert err.startswith(f"digitpad: error: --threads must be at most 256, got {threads}")
    assert len(err.splitlines()) == 1


def test_a_seed_beyond_64_bits_is_one_line(capsys, data: Path) -> None:
    status, _, err = run_cli(capsys, *train(data, "--seed", 2**64))
    assert status == 2 and "seed must be a whole number from 0 to" in err
    assert len(err.splitlines()) == 1


# --- item 11: resume, Ctrl+C, SIGTERM ------------------------------------------------------------


def test_resuming_a_finished_run_says_there_is_nothing_to_resume(capsys, tmp_path: Path,
                                                                 data: Path) -> None:
    done = tmp_path / "done.safetensors"
    assert run_cli(capsys, *train(data, "--out", done))[0] == 0
    elsewhere = tmp_path / "elsewhere.safetensors"
    status, _, err = run_cli(capsys, "train", "--resume", done, "--out", elsewhere, "--data", data)
    assert status == 2
    assert err.splitlines() == [f"digitpad: error: {done}: has finished all 1 of its epochs, "
                                f"so there is nothing to resume; to train on, ask for more "
                                f"with --epochs 2 or more"]
    assert not elsewhere.exists()


@pytest.mark.parametrize("flag", [["--arch", "quicknet"], ["--lr", "0.1"], ["--seed", "4"],
                                  ["--augment"], ["--preset", "fast"]])
def test_settings_a_resume_would_ignore_are_refused(capsys, tmp_path: Path, data: Path,
                                                    flag: list[str]) -> None:
    run_file = tmp_path / "run.safetensors"
    assert run_cli(capsys, *train(data, "--out", run_file, "--epochs", "1"))[0] == 0
    status, _, err = run_cli(capsys, "train", "--resume", run_file, "--epochs", "2", *flag,
                         "--data", data)
    assert status == 2
    assert err.startswith(f"digitpad: error: {flag[0]} cannot be changed when resuming")
    assert len(err.splitlines()) == 1


class _InterruptAtFirstBatch:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def update(self, n: int = 1) -> None:
        raise KeyboardInterrupt

    def set_postfix(self, **kwargs) -> None:
        pass

    def close(self) -> None:
        pass


def test_ctrl_c_before_the_first_epoch_suggests_no_resume(capsys, tmp_path: Path, data: Path,
                                                          monkeypatch) -> None:
    out_file = tmp_path / "run.safetensors"
    monkeypatch.setattr(train_module, "tqdm", _InterruptAtFirstBatch)
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in train(data, "--out", out_file)])
    assert exit_.value.code == 130
    err = capsys.readouterr().err
    assert "--resume" not in err
    assert "Interrupted before the first epoch ended; nothing was saved." in err.splitlines()
    assert not out_file.exists()


def test_sigterm_stops_with_a_word_and_exit_143(tmp_path: Path, data: Path) -> None:
    # A real process: it says when it is training, then gets SIGTERM mid-run.
    out_file = tmp_path / "run.safetensors"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "digitpad", *map(str, train(data, "--out", out_file,
                                                           "--epochs", "1000"))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        for line in process.stdout:  # the first finished epoch: a checkpoint exists
            if line.startswith("Epoch 1/1000"):
                break
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 143
    assert "Terminated after epoch " in err and f"--resume {out_file}" in err
    assert load_checkpoint(out_file).epoch >= 1
