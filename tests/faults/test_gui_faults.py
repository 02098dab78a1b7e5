"""Faults seen from the window: a full disk under Use this model / Save as… / Revert,
and a loss that turns NaN or infinite in the middle of a GUI run.

Each time the user gets one clear line (never a traceback, never a modal box
left hanging), and the model in use — in the Recognizer and on disk — is exactly
what it was.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import torch
from conftest import write_idx_folder
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

import trainer.engine as engine_module
from digitpad.recognizer import Recognizer
from digitpad.store import model_in_use
from digitpad.store.runs import FAILED, FINISHED, Run, RunStore
from digitpad.ui.train.trainer_tab import TrainerTab
from trainer.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from trainer.config import TrainConfig
from trainer.models import build_model

pytest_plugins = ["ui_fixtures"]
# Message boxes would block: every test here records them instead.
pytestmark = pytest.mark.usefixtures("no_modal_boxes")

NO_SPACE = os.strerror(errno.ENOSPC)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "digitpad"


def weights(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def in_use_recognizer() -> Recognizer:
    torch.manual_seed(11)
    return Recognizer(Checkpoint(build_model("seed"), "seed", {},
                                 path=Path("mine.safetensors")))


def finished_run() -> Run:
    """A finished one-epoch run on disk, as the Trainer tab lists it."""
    config = TrainConfig(arch="seed", epochs=1, batch_size=50, schedule="none")
    run = RunStore().new(config, data="synthetic")
    torch.manual_seed(4)
    save_checkpoint(run.checkpoint_path, build_model("seed"), "seed", {},
                    metrics={"test_accuracy": 0.5}, config=config, epoch=1,
                    history={"epochs": [{"epoch": 1, "test_accuracy": 0.5}]})
    run.status, run.epochs = FINISHED, [{"epoch": 1, "test_accuracy": 0.5}]
    run.save()
    return run


def tab_with_a_finished_run(qtbot, recognizer: Recognizer) -> tuple[TrainerTab, Run]:
    run = finished_run()
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.run_list.setCurrentRow(0)
    assert tab.use_button.isEnabled() and tab.save_button.isEnabled()
    return tab, run


def fill_the_disk(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, NO_SPACE)

    target = {"write": (os, "fdopen"), "fsync": (os, "fsync"), "rename": (os, "replace")}[where]
    monkeypatch.setattr(*target, no_space)


def data_files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_said_in_one_line(tab: TrainerTab, *parts: str) -> None:
    text = tab.message.text()
    assert "\n" not in text and "Traceback" not in text
    for part in parts:
        assert part in text, text


# -- a full disk ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["write", "fsync", "rename"])
def test_use_this_model_on_a_full_disk_changes_nothing(qtbot, private_data_dir: Path,
                                                       no_modal_boxes, where: str,
                                                       monkeypatch) -> None:
    recognizer = in_use_recognizer()
    in_use, before = recognizer.checkpoint, weights(recognizer.checkpoint.model)
    tab, run = tab_with_a_finished_run(qtbot, recognizer)
    model_in_use.remember(None)  # the built-in model was chosen earlier: a note exists
    files_before = data_files(private_data_dir)
    changed = []
    tab.model_in_use_changed.connect(changed.append)
    with monkeypatch.context() as disk:
        fill_the_disk(disk, where)
        qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert_said_in_one_line(tab, "cannot be saved", NO_SPACE)
    assert recognizer.checkpoint is in_use and same(weights(in_use.model), before)
    assert changed == [] and no_modal_boxes == []
    assert data_files(private_data_dir) == files_before  # nothing written, not even a temp file
    # The disk has room again: the same click works.
    with qtbot.waitSignal(tab.model_in_use_changed):
        qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert recognizer.checkpoint is not in_use
    assert model_in_use.load_model_in_use()[0].path == recognizer.checkpoint.path


def test_use_this_model_when_only_the_note_cannot_be_written(qtbot, private_data_dir: Path,
                                                              monkeypatch) -> None:
    """The model is kept, then noting it fails: the Draw tab must not switch to a model
    that a restart would not find again."""
    earlier = model_in_use.keep_model(in_use_recognizer().checkpoint, "earlier")
    model_in_use.remember(earlier)
    recognizer = Recognizer(load_checkpoint(earlier))
    in_use = recognizer.checkpoint
    tab, run = tab_with_a_finished_run(qtbot, recognizer)
    real_replace = os.replace

    def replace(source, target):
        if Path(target).name == model_in_use.SETTINGS_FILE:
            raise OSError(errno.ENOSPC, NO_SPACE)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert_said_in_one_line(tab, "model-in-use.json", "cannot be saved", NO_SPACE)
    assert recognizer.checkpoint is in_use
    checkpoint, message = model_in_use.load_model_in_use()
    assert checkpoint.path == earlier and message is None


@pytest.mark.parametrize("where", ["write", "fsync", "rename"])
def test_save_as_on_a_full_disk_keeps_the_old_file(qtbot, tmp_path: Path, where: str,
                                                   no_modal_boxes, monkeypatch) -> None:
    tab, run = tab_with_a_finished_run(qtbot, in_use_recognizer())
    target = tmp_path / "home" / "mine.safetensors"
    old = save_checkpoint(target, build_model("seed-wide"), "seed-wide", {})
    old_bytes = old.read_bytes()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), "DigitPad models (*.safetensors)"))
    with monkeypatch.context() as disk:
        fill_the_disk(disk, where)
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert_said_in_one_line(tab, str(target), "cannot be saved", NO_SPACE)
    assert no_modal_boxes == []
    assert target.read_bytes() == old_bytes and load_checkpoint(target).arch == "seed-wide"
    assert sorted(p.name for p in target.parent.iterdir()) == ["mine.safetensors"]
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)  # room again
    assert load_checkpoint(target).arch == "seed" and "Saved the model to" in tab.message.text()


def test_revert_on_a_full_disk_keeps_the_model_in_use(qtbot, private_data_dir: Path,
                                                      monkeypatch) -> None:
    recognizer = in_use_recognizer()
    in_use = recognizer.checkpoint
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    changed = []
    tab.model_in_use_changed.connect(changed.append)
    with monkeypatch.context() as disk:
        fill_the_disk(disk, "fsync")
        qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert_said_in_one_line(tab, "model-in-use.json", "cannot be saved", NO_SPACE)
    assert recognizer.checkpoint is in_use and changed == []
    assert not model_in_use.settings_path().exists()


# -- NaN or inf in the middle of a run -----------------------------------------------------


@pytest.mark.parametrize("bad", [float("nan"), float("inf")], ids=["nan", "inf"])
def test_a_loss_turning_bad_mid_run_stops_it_and_leaves_the_model_in_use(
        qtbot, tmp_path: Path, bad: float, no_modal_boxes, monkeypatch) -> None:
    recognizer = in_use_recognizer()
    in_use, before = recognizer.checkpoint, weights(recognizer.checkpoint.model)
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.data.set_path(write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50))
    tab.hyper.set_preset("fast")
    tab.model.set_fine_tune(True)  # trains a copy of the model in use
    tab.hyper.epochs.setValue(3)
    tab.hyper.batch_size.setValue(50)
    tab.hyper.schedule.setCurrentIndex(tab.hyper.schedule.findData("none"))
    changed = []
    tab.model_in_use_changed.connect(changed.append)

    # The loss of the 6th batch (epoch 2, batch 2) comes out bad: as if the weights blew up.
    real_loss = engine_module.training_loss
    calls = []

    def loss(*args, **kwargs):
        calls.append(1)
        value = real_loss(*args, **kwargs)
        return value * bad if len(calls) == 6 else value

    monkeypatch.setattr(engine_module, "training_loss", loss)
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    assert not tab.is_training
    shown = "nan" if bad != bad else "inf"
    assert_said_in_one_line(tab, f"Training diverged: the loss became {shown} in epoch 2, "
                                 "batch 2", "The model in use was not changed.")
    assert tab.progress.format() == "Failed" and no_modal_boxes == []
    # The model in use: the same object, the same weights, nothing handed over or noted.
    assert recognizer.checkpoint is in_use and same(weights(in_use.model), before)
    assert changed == [] and not tab.use_button.isEnabled()
    assert not model_in_use.settings_path().exists()
    run = tab.run_list.runs()[0]
    assert run.status == FAILED and "diverged" in run.message
    # The epoch before the bad batch is kept, and it is sound.
    assert load_checkpoint(run.checkpoint_path).epoch == 1 and len(run.epochs) == 1


# -- exporting samples to a full disk ---------------------------------------------------------


def test_exporting_samples_to_a_full_disk_keeps_the_old_export(qtbot, tmp_path: Path,
                                                               no_modal_boxes,
                                                               monkeypatch) -> None:
    from digitpad.drawing.strokes import Stroke
    from digitpad.store.samples import SampleStore
    from digitpad.ui.draw.my_samples import MySamplesDialog

    target = tmp_path / "home" / "my-digits.digitpad-samples.json"
    target.parent.mkdir(parents=True)
    target.write_text('{"an": "older export"}')
    with SampleStore() as store:
        store.add(4, [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)], (400.0, 400.0))
        dialog = MySamplesDialog(store)
        qtbot.addWidget(dialog)
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *args, **kwargs: (str(target), "DigitPad samples (*.json)"))
        with monkeypatch.context() as disk:
            fill_the_disk(disk, "fsync")
            with qtbot.waitSignal(dialog.file_done, timeout=60_000):  # off the GUI thread
                qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        text = dialog.message.text()
        assert "\n" not in text and str(target) in text
        assert text.endswith(f"cannot be saved ({NO_SPACE})") and no_modal_boxes == []
        assert target.read_text() == '{"an": "older export"}'
        assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
        assert len(store) == 1


# -- teaching a sample with the disk full ------------------------------------------------------


def test_teaching_on_a_full_disk_keeps_the_drawing_and_says_why(qtbot, window,
                                                                no_modal_boxes) -> None:
    from PySide6.QtTest import QTest
    from ui_drawing import SEVEN, draw

    from digitpad.drawing.strokes import Stroke
    from digitpad.errors import SampleError

    tab = window.draw_tab
    store = tab.teach.store()
    # SQLite's own way to run out of room: no page beyond the ones it has, all of them used.
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(SampleError):
        for _ in range(200):
            store.add(1, [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)], (400.0, 400.0))
    counts = store.counts()
    with qtbot.waitSignal(tab.prediction_shown):
        draw(tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: not tab.reading_pending())
    taught = []
    tab.teach.taught.connect(taught.append)
    QTest.keyClick(tab.canvas, Qt.Key.Key_7)
    text = tab.teach.message.text()
    assert "\n" not in text and "samples.sqlite3" in text and "cannot be saved" in text
    assert "full" in text and no_modal_boxes == [] and taught == []
    assert store.counts() == counts and not tab.canvas.is_empty()  # the drawing is kept
    store._db.execute("PRAGMA max_page_count = 1000000")  # room again
    QTest.keyClick(tab.canvas, Qt.Key.Key_7)
    assert taught == [7] and store.counts()[7] == counts[7] + 1 and tab.canvas.is_empty()
