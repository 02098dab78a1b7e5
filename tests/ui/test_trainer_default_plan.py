"""The Trainer tab's default action is a quick run with a real learning curve: short
epochs of fresh images, the test set sampled between epochs and whole at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_idx_folder
from PySide6.QtCore import Qt

from digitpad.recognizer import Recognizer
from digitpad.training.session import plan_line
from digitpad.ui.train.trainer_tab import TrainerTab
from trainer.config import PRESETS, TrainConfig
from trainer.engine import EpochEnd

pytest_plugins = ["ui_fixtures"]
pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50)


def test_the_default_settings_are_the_quick_plan(qtbot, recognizer: Recognizer) -> None:
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    assert tab.model.fine_tune() and tab.hyper.preset.currentText() == "finetune"
    base = tab.recognizer.checkpoint
    config = tab.hyper.config(base.arch, base.arch_params)
    assert (config.epochs, config.epoch_images, config.interim_test_images) == (6, 6000, 1000)
    assert config.precision == "bfloat16" and config.augment
    # Short epochs: a point on the curve after 6,000 images, not 60,000, and the whole
    # run sees 36,000 images (well under a minute at the digitnet rates measured).
    assert config.epochs * config.epoch_images <= 40_000
    line = plan_line(config, 60_000, 10_000)
    assert line == ("A quick run: each epoch trains on 6,000 of the 60,000 training images, "
                    "drawn afresh; between epochs the test accuracy is measured on a fixed "
                    "1,000 of the 10,000 test images, after the last epoch on all of them.")


def test_train_runs_the_plan_and_says_so_in_the_log(qtbot, recognizer: Recognizer, data: Path,
                                                    monkeypatch) -> None:
    # The plan's numbers scaled down to the little data set here.
    monkeypatch.setitem(PRESETS, "finetune",
                        dict(PRESETS["finetune"], epoch_images=64, interim_test_images=20))
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.data.set_path(data)
    ends: list[EpochEnd] = []

    def on_yielded(item) -> None:
        if isinstance(item, EpochEnd):
            ends.append(item)
            tab.stop()

    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        config: TrainConfig = tab.session.job.config
        tab.worker.yielded.connect(on_yielded)
    assert (config.epoch_images, config.interim_test_images) == (64, 20)
    assert tab.session is None  # the run has ended (stopped after its first epoch)
    log = tab.log.toPlainText()
    assert "A quick run: each epoch trains on 64 of the 200 training images" in log
    assert "a fixed 20 of the 50 test images" in log
    assert "Accuracy: " in log and "/20 (" in log  # the first epoch: the sample
    assert ends[0].test.total == 20
