"""The Trainer tab, driven the way a person would: click, wait for signals, read the screen."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
import torch
from conftest import write_idx_folder
from local_mirror import Server, fixture_files
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_drawing import SEVEN, draw

from digitpad.recognizer import Recognizer
from digitpad.resources import embedded_model_path
from digitpad.store import model_in_use
from digitpad.store.runs import STOPPED, RunStore
from digitpad.training.download import RemoteFile
from digitpad.ui.train.trainer_tab import TrainerTab
from trainer.checkpoint import Checkpoint, load_checkpoint
from trainer.engine import BatchEnd, EpochEnd
from trainer.models import build_model


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch) -> Path:
    """Never touch the real user data folder (nor find a real MNIST there)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "digitpad"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50)


@pytest.fixture
def recognizer() -> Recognizer:
    return Recognizer.load()


def batch_points(tab: TrainerTab) -> int:
    """Points on the plot's per-batch loss curve."""
    return len(tab.plot.raw_loss.xData)


def epoch_points(tab: TrainerTab) -> int:
    """Points on the plot's test-accuracy curve, one per epoch."""
    return len(tab.plot.test_accuracy.xData)


def overlaid_runs(tab: TrainerTab) -> int:
    """Earlier runs drawn over the accuracy plot, beside this run's two curves."""
    return len(tab.plot.accuracy_plot.listDataItems()) - 2


def tick(tab: TrainerTab, run_id: str, on: bool = True) -> None:
    """Tick (or untick) an earlier run's box in the runs list, as a click would."""
    for i in range(tab.run_list.count()):
        item = tab.run_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole).id == run_id:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def make_tab(qtbot, recognizer, data: Path, *, epochs: int = 2, batch_size: int = 50,
             arch: str = "seed") -> TrainerTab:
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.data.set_path(data)
    tab.hyper.set_preset("fast")
    tab.model.set_fine_tune(False)
    tab.model.set_arch(arch)
    tab.hyper.epochs.setValue(epochs)
    tab.hyper.batch_size.setValue(batch_size)
    # A constant rate: one-cycle needs more than a handful of steps.
    tab.hyper.schedule.setCurrentIndex(tab.hyper.schedule.findData("none"))
    return tab


def train(qtbot, tab: TrainerTab, button=None) -> None:
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(button or tab.train_button, Qt.MouseButton.LeftButton)
    assert not tab.is_training


def test_a_short_run_completes_and_plots_every_batch_and_epoch(qtbot, recognizer, data) -> None:
    tab = make_tab(qtbot, recognizer, data)
    train(qtbot, tab)
    assert batch_points(tab) == 2 * 4 and epoch_points(tab) == 2
    assert "Test set: Average loss: " in tab.log.toPlainText()
    assert "Accuracy: " in tab.log.toPlainText() and "/50 (" in tab.log.toPlainText()
    assert tab.progress.format() == "Done" and tab.progress.value() == 1000
    assert tab.use_button.isEnabled() and tab.save_button.isEnabled()
    assert "on the test set" in tab.result.text() and "built-in model" in tab.result.text()
    runs = tab.run_list.runs()
    assert len(runs) == 1 and runs[0].status == "finished" and len(runs[0].epochs) == 2
    assert recognizer.is_embedded  # nothing changes until the user says so


def test_training_without_data_says_what_to_do(qtbot, recognizer) -> None:
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    assert "No MNIST yet" in tab.data.problem()
    qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    assert not tab.is_training and "download it" in tab.message.text()


def test_a_bad_data_folder_is_refused_with_one_line(qtbot, recognizer, tmp_path) -> None:
    (tmp_path / "photos").mkdir()
    tab = make_tab(qtbot, recognizer, tmp_path / "photos")
    qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    assert not tab.is_training
    assert tab.message.text() == "photos: no train-images-idx3-ubyte[.gz] file in this folder"


def test_stop_mid_run_stops_within_a_batch(qtbot, recognizer, tmp_path) -> None:
    data = write_idx_folder(tmp_path / "more", n_train=1000, n_test=20)
    tab = make_tab(qtbot, recognizer, data, epochs=3, batch_size=10)
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        engine_batches = []
        with qtbot.waitSignal(tab.worker.yielded, timeout=60_000,
                              check_params_cb=lambda item: isinstance(item, BatchEnd)):
            pass
        session = tab.session
        engine_batches.append(len(session.engine.history["batch_losses"]))
        qtbot.mouseClick(tab.stop_button, Qt.MouseButton.LeftButton)
    trained = len(session.engine.history["batch_losses"])
    assert trained <= engine_batches[0] + 1
    assert tab.progress.format() == "Stopped"
    assert tab.run_list.runs()[0].status == STOPPED
    # The log says which batches the stop threw away (the checkpoint keeps whole epochs).
    assert tab.log.toPlainText().splitlines()[-1] == (
        f"Stopped in epoch 1 after {trained} of 100 batches; those were not kept: "
        "no epoch was finished, so there is nothing to resume.")


def test_use_this_model_switches_the_recognizer_and_is_remembered(qtbot, recognizer,
                                                                   data) -> None:
    tab = make_tab(qtbot, recognizer, data)
    train(qtbot, tab)
    with qtbot.waitSignal(tab.model_in_use_changed) as changed:
        qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert changed.args == [recognizer]
    assert recognizer.checkpoint.arch == "seed" and not recognizer.is_embedded
    kept = recognizer.checkpoint.path
    assert kept.parent.name == "models" and kept.exists()
    assert "Now drawing with the model of run" in tab.message.text()
    # A restart finds it again.
    checkpoint, message = model_in_use.load_model_in_use()
    assert checkpoint.path == kept and message is None
    assert "seed" in TrainerTab(Recognizer(checkpoint)).model.in_use.text()


def test_revert_restores_the_built_in_model(qtbot, recognizer, data) -> None:
    tab = make_tab(qtbot, recognizer, data, epochs=1)
    train(qtbot, tab)
    qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert not recognizer.is_embedded, tab.message.text()
    with qtbot.waitSignal(tab.model_in_use_changed):
        qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert recognizer.is_embedded and recognizer.checkpoint.arch == "digitnet"
    assert model_in_use.load_model_in_use()[0].path == embedded_model_path()


def test_save_as_writes_a_model_file(qtbot, recognizer, data, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    tab = make_tab(qtbot, recognizer, data, epochs=1)
    train(qtbot, tab)
    chosen = str(tmp_path / "mine.safetensors")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (chosen, ""))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    saved = load_checkpoint(tmp_path / "mine.safetensors", with_training_state=True)
    assert saved.arch == "seed" and saved.training_state is None and saved.epoch == 1
    assert "Saved the model to" in tab.message.text()


def test_save_as_to_a_full_disk_says_so_in_one_line(qtbot, recognizer, data, tmp_path,
                                                    monkeypatch) -> None:
    tab = make_tab(qtbot, recognizer, data, epochs=1)
    train(qtbot, tab)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fdopen", full)
    tab.save_candidate(tmp_path / "mine.safetensors")
    assert tab.message.text().endswith("cannot be saved (No space left on device)")


def stop_after_the_first_epoch(qtbot, tab: TrainerTab) -> None:
    """Click Train and Stop as soon as the first epoch has ended."""
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        tab.worker.yielded.connect(lambda item: tab.stop() if isinstance(item, EpochEnd) else None)


def test_resume_continues_the_curve(qtbot, recognizer, data) -> None:
    tab = make_tab(qtbot, recognizer, data, epochs=3)
    stop_after_the_first_epoch(qtbot, tab)
    assert epoch_points(tab) == 1 and tab.progress.format() == "Stopped"
    tab.run_list.setCurrentRow(0)
    assert tab.resume_button.isEnabled()
    train(qtbot, tab, tab.resume_button)
    assert batch_points(tab) == 3 * 4 and epoch_points(tab) == 3
    run = tab.run_list.runs()[0]
    assert run.status == "finished" and [e["epoch"] for e in run.epochs] == [1, 2, 3]
    assert not tab.resume_button.isEnabled()


def test_a_resumed_run_is_in_use_for_other_windows_until_it_ends(qtbot, recognizer,
                                                                  data) -> None:
    tab = make_tab(qtbot, recognizer, data, epochs=3)
    stop_after_the_first_epoch(qtbot, tab)
    tab.run_list.setCurrentRow(0)
    run_id = tab.run_list.selected().id
    another_window = RunStore(tab.store.folder)
    assert not another_window.load(run_id).in_use()
    seen = []
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.resume_button, Qt.MouseButton.LeftButton)
        tab.worker.yielded.connect(lambda item: seen.append(another_window.load(run_id).in_use())
                                   if isinstance(item, EpochEnd) else None)
    assert seen and all(seen)  # while it trained, no other window could resume it
    assert not another_window.load(run_id).in_use()


def test_resume_says_why_when_another_window_took_the_run_first(qtbot, recognizer,
                                                                data) -> None:
    tab = make_tab(qtbot, recognizer, data, epochs=3)
    stop_after_the_first_epoch(qtbot, tab)
    tab.run_list.setCurrentRow(0)
    selected = tab.run_list.selected()
    assert tab.resume_button.isEnabled()
    # Between drawing the list and the click, another window starts the same run.
    other = RunStore(tab.store.folder).load(selected.id)
    other.claim()
    try:
        tab.resume_selected()
        assert not tab.is_training
        assert tab.message.text() == (f"run {selected.id} cannot be resumed: run {selected.id} "
                                      f"is being trained in another window")
    finally:
        other.release()


def test_a_diverging_run_stops_with_a_message_and_touches_nothing(qtbot, data) -> None:
    broken = build_model("seed")
    with torch.no_grad():
        broken.fc2.bias.fill_(float("nan"))
    in_use = Checkpoint(broken, "seed", {}, path=Path("broken.safetensors"))
    recognizer = Recognizer(in_use)
    tab = make_tab(qtbot, recognizer, data)
    tab.model.set_fine_tune(True)
    changed = []
    tab.model_in_use_changed.connect(changed.append)
    train(qtbot, tab)
    assert tab.message.text().startswith("Training diverged: the loss became nan")
    assert tab.progress.format() == "Failed" and not tab.use_button.isEnabled()
    assert recognizer.checkpoint is in_use and changed == []
    assert tab.run_list.runs()[0].status == "failed"


def test_fine_tuning_trains_a_copy_of_the_model_in_use(qtbot, data) -> None:
    start = Checkpoint(build_model("seed"), "seed", {}, path=Path("mine.safetensors"))
    before = start.model.conv1.weight.detach().clone()
    recognizer = Recognizer(start)
    tab = make_tab(qtbot, recognizer, data, epochs=1)
    tab.model.set_fine_tune(True)
    train(qtbot, tab)
    assert torch.equal(start.model.conv1.weight, before) and recognizer.checkpoint is start
    run = tab.run_list.runs()[0]
    assert run.start_from == "mine" and "fine-tune of mine" in run.title()


def test_a_preset_fills_the_settings_and_picks_its_network(qtbot, recognizer) -> None:
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    assert tab.model.fine_tune() and tab.hyper.preset.currentText() == "finetune"
    tab.hyper.preset.setCurrentText("tutorial")
    assert not tab.model.fine_tune() and tab.model.arch_name() == "seed"
    assert tab.hyper.optimizer.currentText() == "sgd" and tab.hyper.lr.value() == 0.01
    tab.hyper.preset.setCurrentText("finetune")
    assert tab.model.fine_tune()


def test_more_channels_is_two_clicks(qtbot, recognizer) -> None:
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.model.set_fine_tune(False)
    tab.model.set_arch("seed")
    tab.model.sizes["channels1"].setValue(32)
    tab.model.sizes["channels2"].setValue(64)
    config = tab.hyper.config(tab.model.arch_name(), tab.model.arch_params())
    assert config.arch_params == {"channels1": 32, "channels2": 64}
    assert not tab.model.sizes["width"].isVisibleTo(tab.model)


def test_earlier_runs_can_be_overlaid(qtbot, recognizer, data) -> None:
    tab = make_tab(qtbot, recognizer, data, epochs=1)
    train(qtbot, tab)
    train(qtbot, tab)
    assert len(tab.run_list.runs()) == 2 and overlaid_runs(tab) == 0
    tick(tab, tab.run_list.runs()[1].id)
    assert overlaid_runs(tab) == 1
    tick(tab, tab.run_list.runs()[1].id, on=False)
    assert overlaid_runs(tab) == 0


def test_closing_during_training_asks_then_stops_cleanly(qtbot, recognizer, tmp_path,
                                                         monkeypatch) -> None:
    data = write_idx_folder(tmp_path / "more", n_train=1000, n_test=20)
    tab = make_tab(qtbot, recognizer, data, epochs=5, batch_size=10)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.worker.yielded, timeout=120_000,
                          check_params_cb=lambda item: isinstance(item, EpochEnd)):
        pass
    assert not tab.confirm_close() and tab.is_training  # "No": keep training
    worker = tab.worker
    assert tab.confirm_close()  # "Yes": stopped, and nothing left running
    assert not tab.is_training and worker.done and answers == []
    run = RunStore().runs()[0]
    assert run.status == STOPPED and len(run.epochs) >= 1 and run.can_resume
    assert load_checkpoint(run.checkpoint_path).epoch == len(run.epochs)


def download_from(qtbot, recognizer, served: dict, files: list) -> tuple[TrainerTab, list]:
    """A Trainer tab that clicked Download MNIST against a local mirror serving `served`;
    the tab, and what `download_finished` said."""
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    with Server(served) as server:
        tab.data.mirrors, tab.data.files = [server.url + "/m/"], files
        with qtbot.waitSignal(tab.data.download_finished, timeout=60_000) as finished:
            qtbot.mouseClick(tab.data.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not tab.data.downloading)
    return tab, finished.args


def test_download_mnist_fills_the_data_box(qtbot, recognizer, tmp_path) -> None:
    content = fixture_files()
    files = [RemoteFile(name, hashlib.sha256(body).hexdigest()) for name, body in content.items()]
    served = {f"/m/{name}.gz": gzip.compress(body) for name, body in content.items()}
    tab, said = download_from(qtbot, recognizer, served, files)
    assert said == [True]
    assert tab.data.path() == tab.data.download_folder and "MNIST from" in tab.data.place.text()
    assert tab.data.progress.isHidden() and tab.data.download_button.isEnabled()


def test_a_failed_download_says_why(qtbot, recognizer) -> None:
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    with Server({}) as server:
        tab.data.mirrors = [server.url + "/m/"]
        with qtbot.waitSignal(tab.data.download_finished, timeout=60_000) as finished:
            qtbot.mouseClick(tab.data.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not tab.data.downloading)
    assert finished.args == [False] and "404" in tab.data.place.text()
    assert tab.data.path() is None


def test_an_offline_computer_is_told_so_plainly(qtbot, recognizer) -> None:
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.data.mirrors = ["http://127.0.0.1:9/a/", "http://127.0.0.1:9/b/"]  # nothing listens
    with qtbot.waitSignal(tab.data.download_finished, timeout=60_000) as finished:
        qtbot.mouseClick(tab.data.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.data.downloading)
    assert finished.args == [False]
    assert "no mirror could be reached. Is this computer online?" in tab.data.place.text()
    assert "127.0.0.1:9" not in tab.data.place.text()  # the details are on hover
    assert "cannot connect" in tab.data.place.toolTip()


@pytest.mark.parametrize("problem", ["a full disk", "a bug"])
def test_any_download_failure_is_shown_in_one_line(qtbot, recognizer, monkeypatch,
                                                    problem: str) -> None:
    """Not only the network: a disk error (raised as a bare OSError before) or a bug in
    the download code reaches the Data box as one line, and the box can try again."""
    import errno
    import os

    import digitpad.training.download as download_module

    content = fixture_files()
    files = [RemoteFile(name, hashlib.sha256(body).hexdigest()) for name, body in content.items()]
    served = {f"/m/{name}.gz": gzip.compress(body) for name, body in content.items()}
    if problem == "a full disk":
        def fail(*args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(os, "replace", fail)  # the verified file cannot be put in place
        expected = f"train-images-idx3-ubyte.gz: cannot be saved ({os.strerror(errno.ENOSPC)})"
    else:
        def fail(*args, **kwargs):
            raise ValueError("checksum code broke\nsecond line")
        monkeypatch.setattr(download_module, "_content_sha256", fail)
        expected = "unexpected error: ValueError: checksum code broke"
    tab, said = download_from(qtbot, recognizer, served, files)
    text = tab.data.place.text()
    assert said == [False] and expected in text
    assert "\n" not in text and "Traceback" not in text and tab.data.path() is None
    assert tab.data.progress.isHidden() and tab.data.download_button.isEnabled()


# -- in the main window ------------------------------------------------------


@pytest.fixture
def main_window(qtbot, tmp_path: Path, recognizer):
    from PySide6.QtCore import QSettings

    from digitpad.ui.shell.main_window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.use_recognizer(recognizer)
    return window


def open_trainer(window, data: Path) -> TrainerTab:
    window.tabs.setCurrentWidget(window.trainer_page)
    tab = window.trainer_page.tab
    assert tab is not None  # built when first shown
    tab.data.set_path(data)
    tab.model.set_fine_tune(False)
    tab.model.set_arch("seed")
    tab.hyper.schedule.setCurrentIndex(tab.hyper.schedule.findData("none"))
    tab.hyper.batch_size.setValue(50)
    return tab


def test_use_this_model_changes_what_the_draw_tab_reads_with(qtbot, main_window, recognizer,
                                                             data) -> None:
    tab = open_trainer(main_window, data)
    tab.hyper.epochs.setValue(1)
    train(qtbot, tab)
    assert main_window.draw_tab.recognizer().checkpoint.arch == "digitnet"  # not yet
    qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    source = main_window.draw_tab.recognizer().checkpoint
    assert source.arch == "seed" and source.path.parent.name == "models"
    assert "seed" in main_window.model_status.text()
    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert main_window.draw_tab.recognizer().is_embedded
    assert main_window.model_status.text().startswith("Model: built-in model")


def test_closing_the_window_during_training_stops_it_cleanly(qtbot, main_window, tmp_path,
                                                              monkeypatch) -> None:
    data = write_idx_folder(tmp_path / "more", n_train=1000, n_test=20)
    tab = open_trainer(main_window, data)
    tab.hyper.batch_size.setValue(10)
    tab.hyper.epochs.setValue(5)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.worker.yielded, timeout=60_000,
                          check_params_cb=lambda item: isinstance(item, BatchEnd)):
        pass
    worker = tab.worker
    assert not main_window.close() and main_window.isVisible()  # "No"
    assert main_window.close() and worker.done  # "Yes"
    assert RunStore().runs()[0].status == STOPPED


def test_start_up_loads_the_remembered_model(qtbot, tmp_path: Path) -> None:
    from digitpad.ui.shell.model_loader import ModelLoader

    mine = Checkpoint(build_model("seed"), "seed", {}, metrics={"test_accuracy": 0.5})
    model_in_use.remember(model_in_use.keep_model(mine, "mine"))
    loader = ModelLoader()
    with qtbot.waitSignal(loader.loaded, timeout=60_000) as loaded:
        loader.start()
    loader.stop()
    assert loaded.args[0].checkpoint.arch == "seed" and not loaded.args[0].is_embedded


def test_start_up_falls_back_to_the_built_in_model_with_a_note(qtbot, tmp_path: Path) -> None:
    from digitpad.ui.shell.model_loader import ModelLoader

    model_in_use.remember(tmp_path / "deleted.safetensors")
    loader = ModelLoader()
    loaded = []
    loader.loaded.connect(loaded.append)
    with qtbot.waitSignal(loader.note, timeout=60_000) as note:
        loader.start()
    loader.stop()
    assert loaded[0].is_embedded
    assert "deleted.safetensors: no such file" in note.args[0]


def test_drawing_is_read_with_the_model_in_use_while_training(qtbot, main_window, recognizer,
                                                               tmp_path) -> None:
    data = write_idx_folder(tmp_path / "more", n_train=1000, n_test=20)
    tab = open_trainer(main_window, data)
    tab.hyper.batch_size.setValue(10)
    tab.hyper.epochs.setValue(5)
    in_use = recognizer.checkpoint
    qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.worker.yielded, timeout=60_000,
                          check_params_cb=lambda item: isinstance(item, BatchEnd)):
        pass
    main_window.tabs.setCurrentWidget(main_window.draw_tab)
    draw_tab = main_window.draw_tab
    with qtbot.waitSignal(draw_tab.prediction_shown, timeout=10_000):
        draw(draw_tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: not draw_tab.reading_pending())
    assert tab.is_training  # the reading came while the run went on
    assert draw_tab.panel.prediction.digit == 7 and recognizer.checkpoint is in_use
    with qtbot.waitSignal(tab.run_ended, timeout=60_000):
        tab.stop()


def test_pause_and_continue_from_the_buttons(qtbot, recognizer, tmp_path) -> None:
    data = write_idx_folder(tmp_path / "more", n_train=1000, n_test=20)
    tab = make_tab(qtbot, recognizer, data, epochs=2, batch_size=10)
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        worker = tab.worker
        with qtbot.waitSignal(worker.yielded, timeout=60_000,
                              check_params_cb=lambda item: isinstance(item, BatchEnd)):
            pass
        with qtbot.waitSignal(worker.paused, timeout=60_000):  # held between two batches
            qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
        assert tab.pause_button.text() == "Continue" and worker.is_paused
        with qtbot.waitSignal(worker.resumed, timeout=60_000):
            qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
        assert tab.pause_button.text() == "Pause" and not worker.is_paused
    assert tab.progress.format() == "Done" and epoch_points(tab) == 2


def test_pause_and_continue_at_once_does_not_leave_the_run_paused(qtbot, recognizer,
                                                                  tmp_path) -> None:
    data = write_idx_folder(tmp_path / "more", n_train=1000, n_test=20)
    tab = make_tab(qtbot, recognizer, data, epochs=1, batch_size=10)
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        # Both clicks before the worker reaches its next batch.
        qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    assert tab.progress.format() == "Done" and batch_points(tab) == 100


def test_the_log_shows_the_data_folder_under_home_with_a_tilde(
        qtbot, recognizer, data, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(data.parent))
    tab = make_tab(qtbot, recognizer, data, epochs=1)
    train(qtbot, tab)
    log = tab.log.toPlainText()
    assert f"Loading ~/{data.name} …" in log and f"images from ~/{data.name}" in log
    assert str(data) not in log
