"""One training at a time: a Trainer run and Fine-tune on my handwriting would fight
over torch's global seed and thread count, so while one runs the other's button
waits, and its tooltip says why."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import write_idx_folder
from PySide6.QtCore import Qt
from test_personal import drawing

from digitpad.recognizer import Recognizer
from digitpad.store.samples import SampleStore
from digitpad.training.personal import FineTuneSettings
from digitpad.ui.train.trainer_tab import TrainerTab

pytest_plugins = ["ui_fixtures"]


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_settings) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def tab(qtbot, tmp_path: Path) -> TrainerTab:
    """A Trainer tab with MNIST-like data for a run and enough samples for a fine-tune."""
    rng = np.random.default_rng(1)
    with SampleStore() as store:
        for digit in range(10):
            for _ in range(2):
                store.add(digit, drawing(digit, rng), (400.0, 400.0))
    tab = TrainerTab(Recognizer.load())
    qtbot.addWidget(tab)
    tab.personal.settings = FineTuneSettings(steps=3, batch_size=16)
    tab.personal.use_mnist = False
    tab.personal.refresh()
    tab.data.set_path(write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50))
    tab.model.set_fine_tune(False)
    tab.model.set_arch("seed")
    tab.hyper.epochs.setValue(1)
    tab.hyper.batch_size.setValue(50)
    tab.hyper.schedule.setCurrentIndex(tab.hyper.schedule.findData("none"))
    assert tab.train_button.isEnabled() and tab.personal.start_button.isEnabled()
    return tab


def test_a_fine_tune_waits_while_a_run_trains(qtbot, tab: TrainerTab) -> None:
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        assert tab.is_training
        button = tab.personal.start_button
        assert not button.isEnabled()
        assert "training run is under way" in button.toolTip()
        tab.personal.start()  # even if asked directly, nothing starts
        assert not tab.personal.is_running
    assert tab.personal.start_button.isEnabled()
    assert "Teach the model in use" in tab.personal.start_button.toolTip()


def test_a_run_waits_while_a_fine_tune_runs(qtbot, tab: TrainerTab) -> None:
    with qtbot.waitSignal(tab.personal.ended, timeout=120_000):
        qtbot.mouseClick(tab.personal.start_button, Qt.MouseButton.LeftButton)
        assert tab.personal.is_running
        for button in (tab.train_button, tab.resume_button):
            assert not button.isEnabled()
            assert "fine-tune on your handwriting is under way" in button.toolTip()
        tab.start_training()  # even if asked directly, nothing starts
        assert not tab.is_training
    assert tab.train_button.isEnabled()
    assert tab.train_button.toolTip().startswith("Start a run with these settings")
