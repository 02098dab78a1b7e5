"""Runs kept on disk, and the model in use remembered across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from torch import nn

from digitpad.errors import RunError
from digitpad.resources import embedded_model_path
from digitpad.store import model_in_use
from digitpad.store.paths import user_data_dir
from digitpad.store.runs import FINISHED, STOPPED, RunStore
from trainer.checkpoint import Checkpoint, save_checkpoint
from trainer.config import TrainConfig
from trainer.errors import CheckpointError
from trainer.models import build_model


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch) -> Path:
    """Never touch the real user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "data" / "digitpad"


def small_checkpoint(path: Path | None = None) -> Checkpoint:
    model: nn.Module = build_model("seed", channels1=2, channels2=4, hidden=8)
    return Checkpoint(model, "seed", {"channels1": 2, "channels2": 4, "hidden": 8},
                      metrics={"test_accuracy": 0.5}, path=path)


def test_a_new_run_is_kept_with_its_configuration(private_data_dir: Path) -> None:
    store = RunStore()
    run = store.new(TrainConfig(arch="seed", epochs=3), data="/data/mnist")
    assert run.folder.parent == private_data_dir / "runs"
    again = store.load(run.id)
    assert again.train_config == TrainConfig(arch="seed", epochs=3)
    assert again.data == "/data/mnist" and again.status == "running"


def test_curves_are_saved_and_listed_newest_first() -> None:
    store = RunStore()
    first = store.new(TrainConfig(epochs=2))
    second = store.new(TrainConfig(epochs=2))
    first.set_history({"epochs": [{"epoch": 1, "test_accuracy": 0.9}],
                       "batch_losses": [2.0, 1.5, 1.0]})
    first.status = STOPPED
    first.save()
    second.release()  # as a crash leaves it: marked running, held by nobody
    listed = store.runs()
    assert [r.id for r in listed] == [second.id, first.id]
    assert listed[1].batch_losses == [2.0, 1.5, 1.0] and listed[1].test_accuracy == 0.9
    assert "1/2 epochs" in listed[1].title() and "90.00 %" in listed[1].title()
    assert listed[1].title().endswith("stopped") and listed[0].title().endswith("interrupted")


def test_only_an_unfinished_run_with_a_checkpoint_can_resume() -> None:
    run = RunStore().new(TrainConfig(arch="seed", epochs=2))
    run.status = STOPPED
    assert not run.can_resume  # no checkpoint yet
    save_checkpoint(run.checkpoint_path, small_checkpoint().model, "seed",
                    {"channels1": 2, "channels2": 4, "hidden": 8})
    run.epochs = [{"epoch": 1}]
    assert run.can_resume
    run.status = "running"  # as a crash leaves it
    assert run.can_resume
    run.epochs.append({"epoch": 2})
    run.status = FINISHED
    assert not run.can_resume


def test_a_damaged_run_folder_is_skipped(private_data_dir: Path) -> None:
    store = RunStore()
    good = store.new(TrainConfig())
    bad = private_data_dir / "runs" / "broken"
    bad.mkdir()
    (bad / "run.json").write_text("{not json")
    assert [r.id for r in store.runs()] == [good.id]


def test_the_built_in_model_is_in_use_at_first() -> None:
    checkpoint, message = model_in_use.load_model_in_use()
    assert checkpoint.path == embedded_model_path() and message is None


def test_the_chosen_model_is_remembered_across_a_restart() -> None:
    kept = model_in_use.keep_model(small_checkpoint(), "my-model")
    assert kept == user_data_dir() / "models" / "my-model.safetensors"
    model_in_use.remember(kept)
    # A restart: nothing in memory, only what is on disk.
    checkpoint, message = model_in_use.load_model_in_use()
    assert checkpoint.path == kept and checkpoint.arch == "seed" and message is None
    model_in_use.remember(None)
    assert model_in_use.load_model_in_use()[0].path == embedded_model_path()


def test_a_missing_model_falls_back_to_the_built_in_one_with_a_message(tmp_path) -> None:
    model_in_use.remember(tmp_path / "gone.safetensors")
    checkpoint, message = model_in_use.load_model_in_use()
    assert checkpoint.path == embedded_model_path()
    assert "gone.safetensors: no such file" in message and "using the built-in model" in message


def test_a_corrupt_model_file_falls_back_with_a_message(tmp_path) -> None:
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x00" * 40)
    model_in_use.remember(bad)
    checkpoint, message = model_in_use.load_model_in_use()
    assert checkpoint.path == embedded_model_path() and "not a DigitPad model file" in message


def test_a_damaged_note_falls_back_with_a_message(private_data_dir: Path) -> None:
    private_data_dir.mkdir(parents=True)
    (private_data_dir / "model-in-use.json").write_text("[[[")
    checkpoint, message = model_in_use.load_model_in_use()
    assert checkpoint.path == embedded_model_path() and "damaged" in message


def test_a_full_disk_on_save_is_one_clear_error(monkeypatch) -> None:
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fdopen", no_space)
    with pytest.raises(CheckpointError, match="cannot be saved .No space left on device"):
        model_in_use.remember(None)


def test_a_full_disk_while_saving_a_run_is_a_run_error(monkeypatch) -> None:
    run = RunStore().new(TrainConfig(arch="seed", epochs=2))

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fdopen", no_space)
    with pytest.raises(RunError, match="run.json: cannot be saved .No space left on device"):
        run.save()
