"""Faults: a process killed mid-write, a full disk. The previous good version
survives, the error is one clear line, and the program goes on working.

(Checkpoints killed mid-write and the checkpoint writer on a full disk are in
test_checkpoint.py; the sample database killed mid-write in test_samples.py.)
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sqlite3
from pathlib import Path

import pytest
import torch
from conftest import kill_mid_write, synthetic_digits

from digitpad.drawing.strokes import Stroke
from digitpad.errors import SampleError
from digitpad.store import model_in_use
from digitpad.store.runs import RunStore
from digitpad.store.samples import SampleStore
from digitpad.training.session import TrainingJob, TrainingSession
from digitpad.ui.train.training_worker import training_worker
from trainer.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import Engine, EpochEnd
from trainer.errors import CheckpointError
from trainer.models import build_model

NO_SPACE = os.strerror(errno.ENOSPC)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "data" / "digitpad"


def seed_checkpoint(seed: int, arch: str = "seed") -> Checkpoint:
    torch.manual_seed(seed)
    return Checkpoint(build_model(arch), arch, {}, metrics={"test_accuracy": seed / 100})


def same_weights(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


def choose_a_model(seed: int = 1) -> tuple[Path, Checkpoint]:
    """The user's earlier choice: a kept model, remembered as the model in use."""
    checkpoint = seed_checkpoint(seed)
    kept = model_in_use.keep_model(checkpoint, "mine")
    model_in_use.remember(kept)
    return kept, checkpoint


# -- SIGKILL while writing the model in use ----------------------------------------------

CHILD = """
    import sys
    import torch
    from digitpad.store import model_in_use
    from trainer.checkpoint import Checkpoint
    from trainer.models import build_model

    which = sys.argv[1]
    torch.manual_seed(5)
    new = Checkpoint(build_model("seed-wide"), "seed-wide", {})
    if which == "the note":
        other = model_in_use.keep_model(new, "other")

    install_half_write()
    if which == "the kept model":
        model_in_use.keep_model(new, "mine")  # "Use this model" again, over the same file
    else:
        model_in_use.remember(other)
    print("FINISHED", flush=True)
"""


@pytest.mark.parametrize("which", ["the kept model", "the note"])
def test_killed_while_writing_the_model_in_use_the_previous_one_loads(data_dir: Path,
                                                                       which: str) -> None:
    kept, chosen = choose_a_model()
    note_before = model_in_use.settings_path().read_bytes()

    def half_of_the_new_file_is_on_disk() -> None:
        assert len(temp_files(data_dir)) == 1

    status = kill_mid_write(CHILD, which, while_half_written=half_of_the_new_file_is_on_disk)
    assert status == -signal.SIGKILL
    assert model_in_use.settings_path().read_bytes() == note_before
    checkpoint, message = model_in_use.load_model_in_use()
    assert message is None
    assert checkpoint.path == kept and checkpoint.arch == "seed"
    assert same_weights(checkpoint.model, chosen.model)
    # The leftover half file is harmless: choosing again works and replaces the model.
    model_in_use.remember(model_in_use.keep_model(seed_checkpoint(9, "seed-wide"), "mine"))
    assert model_in_use.load_model_in_use()[0].arch == "seed-wide"


# -- a full disk ----------------------------------------------------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, NO_SPACE)


class FullWriter(io.RawIOBase):
    """A file on a full disk: the first bytes go through, then ENOSPC."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, data) -> int:
        self.stream.write(bytes(data[:10]))
        raise OSError(errno.ENOSPC, NO_SPACE)

    def __exit__(self, *exc) -> None:
        self.stream.close()


def fill_the_disk(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Make the next atomic write fail at `where` with ENOSPC."""
    if where == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullWriter(real_fdopen(fd, mode)))
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", _no_space)
    elif where == "rename":
        monkeypatch.setattr(os, "replace", _no_space)
    else:
        raise AssertionError(where)


DISK_FAILURES = ["write", "fsync", "rename"]


def assert_one_line_disk_error(error: BaseException, path: Path) -> None:
    message = str(error)
    assert "\n" not in message and str(path) in message
    assert message.endswith(f"cannot be saved ({NO_SPACE})")


@pytest.mark.parametrize("where", DISK_FAILURES)
@pytest.mark.parametrize("what", ["keep the model", "remember it"])
def test_a_full_disk_while_choosing_a_model_changes_nothing(data_dir: Path, what: str,
                                                            where: str,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            ) -> None:
    kept, chosen = choose_a_model()
    files_before = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    newer = seed_checkpoint(2, "seed-wide")
    with monkeypatch.context() as patch:
        fill_the_disk(patch, where)
        with pytest.raises(CheckpointError) as caught:
            if what == "keep the model":
                model_in_use.keep_model(newer, "mine")
            else:
                model_in_use.remember(data_dir / "models" / "other.safetensors")
    target = kept if what == "keep the model" else model_in_use.settings_path()
    assert_one_line_disk_error(caught.value, target)
    # Every file as it was, no temporary file left, the same model in use.
    assert {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()} == files_before
    assert temp_files(data_dir) == []
    checkpoint, message = model_in_use.load_model_in_use()
    assert message is None and checkpoint.path == kept
    assert same_weights(checkpoint.model, chosen.model)
    # Space again: the same step now works.
    model_in_use.remember(model_in_use.keep_model(newer, "mine"))
    assert model_in_use.load_model_in_use()[0].arch == "seed-wide"


# -- a full disk while a run saves its checkpoint --------------------------------------------

CONFIG = TrainConfig(arch="seed", epochs=3, batch_size=50, optimizer="adam", lr=0.003,
                     schedule="none", augment=False, seed=3, device="cpu", eval_batch_size=50)


@pytest.fixture(scope="module")
def sets() -> tuple[DigitSet, DigitSet]:
    return (DigitSet.from_numpy(*synthetic_digits(200, 0)),
            DigitSet.from_numpy(*synthetic_digits(50, 1)))


@pytest.mark.parametrize("where", DISK_FAILURES)
def test_a_full_disk_at_an_epochs_checkpoint_stops_the_engine_and_keeps_the_last_one(
        tmp_path: Path, sets, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "run" / "checkpoint.safetensors"
    engine = Engine(CONFIG, *sets, checkpoint_path=path)
    epochs = []
    with monkeypatch.context() as patch, pytest.raises(CheckpointError) as caught:
        for event in engine.events():
            if isinstance(event, EpochEnd):
                epochs.append(event.epoch)
                fill_the_disk(patch, where)  # the disk fills up during epoch 2
    assert_one_line_disk_error(caught.value, path)
    assert epochs == [1]
    saved = load_checkpoint(path, with_training_state=True)
    assert saved.epoch == 1 and len(saved.history["epochs"]) == 1
    assert temp_files(tmp_path) == []


def test_a_full_disk_during_a_gui_run_fails_with_one_line_and_the_next_run_works(
        qtbot, sets) -> None:
    run = RunStore().new(CONFIG)
    worker = training_worker(TrainingSession(TrainingJob(CONFIG, run, sets=sets)))
    failures: list[Exception] = []
    outcomes = []
    worker.errored.connect(failures.append)
    worker.returned.connect(outcomes.append)
    # The disk fills up once epoch 1 is saved: every later write fails (run.json too).
    disk = pytest.MonkeyPatch()

    def after_epoch_1(item) -> None:
        if isinstance(item, EpochEnd):
            fill_the_disk(disk, "fsync")

    worker.yielded.connect(after_epoch_1, type=_direct())
    try:
        with qtbot.waitSignal(worker.finished, timeout=60_000):
            worker.start()
        assert worker.wait(10)
    finally:
        disk.undo()
    assert outcomes == [] and len(failures) == 1
    assert isinstance(failures[0], CheckpointError)  # the error itself reaches the window
    assert_one_line_disk_error(failures[0], run.checkpoint_path)
    # What is on disk is consistent: epoch 1's checkpoint and the curves that go with it.
    assert load_checkpoint(run.checkpoint_path).epoch == 1
    kept = RunStore().load(run.id)
    assert len(kept.epochs) == 1 and kept.can_resume
    assert temp_files(run.folder) == []
    # With space again, training works as before.
    again = RunStore().new(CONFIG.updated(epochs=1))
    second = training_worker(TrainingSession(TrainingJob(CONFIG.updated(epochs=1), again,
                                                         sets=sets)))
    finished = []
    second.returned.connect(finished.append)
    with qtbot.waitSignal(second.finished, timeout=60_000):
        second.start()
    assert second.wait(10)
    assert len(finished) == 1 and finished[0].checkpoint.epoch == 1


def _direct():
    from PySide6.QtCore import Qt

    # Run in the worker's thread, right after the epoch's checkpoint was written.
    return Qt.ConnectionType.DirectConnection


# -- a full disk under the sample database ------------------------------------------------

STROKES = [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)]


def test_a_full_disk_under_the_sample_database_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "samples.sqlite3"
    with SampleStore(path) as store:
        for digit in range(3):
            store.add(digit, STROKES, (400.0, 400.0))
        before = [(s.id, s.label) for s in store.samples()]
        # SQLite's own way to run out of room: no page beyond the ones it has.
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(SampleError) as caught:
            for _ in range(200):
                store.add(7, STROKES, (400.0, 400.0))
        message = str(caught.value)
        assert "\n" not in message and str(path) in message and "full" in message
        # The samples already there are intact, and the store is still usable.
        assert [(s.id, s.label) for s in store.samples()][:3] == before
        store._db.execute("PRAGMA max_page_count = 1000000")
        store.add(8, STROKES, (400.0, 400.0))
        assert store.counts()[8] == 1
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


# -- a full disk under `digitpad train` ------------------------------------------------------


def test_digitpad_train_on_a_full_disk_exits_2_with_one_line_and_keeps_the_old_model(
        capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import write_idx_folder

    from digitpad.cli.main import main

    data = write_idx_folder(tmp_path / "mnist", n_train=100, n_test=20)
    out = tmp_path / "models" / "mine.safetensors"
    out.parent.mkdir()
    old = save_checkpoint(out, build_model("seed-wide"), "seed-wide", {})
    old_bytes = old.read_bytes()
    capsys.readouterr()
    monkeypatch.setattr(torch, "set_num_threads", lambda n: None)  # leave the suite's setting
    with monkeypatch.context() as disk:
        fill_the_disk(disk, "fsync")
        status = main(["train", "--data", str(data), "--arch", "seed", "--epochs", "1",
                       "--batch-size", "50", "--out", str(out), "--quiet", "--threads", "1"])
    captured = capsys.readouterr()
    assert status == 2
    lines = captured.err.splitlines()
    assert lines[-1] == f"digitpad: error: {out}: cannot be saved ({NO_SPACE})"
    assert "Traceback" not in captured.err + captured.out
    assert all(not line.startswith("digitpad: error") for line in lines[:-1])
    assert out.read_bytes() == old_bytes and temp_files(out.parent) == []
