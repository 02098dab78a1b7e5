"""Watching it learn in the Trainer tab: filters, a probe digit's maps, gradient sizes."""

from __future__ import annotations

import numpy as np
from conftest import write_idx_folder
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from digitpad.ui.train.learning_view import ROOM_FOR_LEGEND
from digitpad.ui.train.trainer_tab import TrainerTab


def test_kernels_and_probe_maps_refresh_and_gradient_sizes_are_plotted(
        qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    tab = TrainerTab(None)
    qtbot.addWidget(tab)
    tab.data.set_path(write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50))
    tab.model.set_fine_tune(False)
    tab.model.set_arch("seed")
    tab.hyper.epochs.setValue(2)
    tab.hyper.batch_size.setValue(50)
    tab.hyper.schedule.setCurrentIndex(tab.hyper.schedule.findData("none"))
    pictures = []
    tab.learning.kernels.picture.sigImageChanged.connect(
        lambda: pictures.append(tab.learning.kernels.picture.image.copy()))
    with qtbot.waitSignal(tab.run_ended, timeout=120_000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    view = tab.learning
    # Before training, after 1/4, 2/4 and 3/4 of the first epoch, after each epoch.
    assert view.snapshots == 6 and len(pictures) == 6
    assert not np.array_equal(pictures[0], pictures[-1])  # the filters changed
    assert view.maps.picture.image.shape == (3 * 25 - 1, 4 * 25 - 1)  # 10 maps of 24×24
    assert "epoch 2" in view.when.text()
    # One point a batch (a short run), drawn by the next redraw.
    qtbot.waitUntil(lambda: set(view._curves) == {"conv1", "conv2", "fc1", "fc2"}
                    and all(len(curve.xData) == 8 for curve in view._curves.values()))
    # Short names in the legend, not the modules' paths.
    assert [label.text for _, label in view.legend.items] == ["conv 1", "conv 2", "dense 1",
                                                              "output"]
    view.clear()
    assert view.snapshots == 0 and not view._curves
    assert shown_ticks(view) == ["2", "5"]  # not the run's, nor 2, 3, …, 9


def test_a_short_gradient_plot_names_its_curves_only_while_pointed_at(qtbot) -> None:
    from digitpad.ui.train.learning_view import LearningView

    view = LearningView()
    qtbot.addWidget(view)
    view.resize(220, 260)  # the plot about 70 pixels tall, as at the window's first size
    view.show()
    qtbot.waitExposed(view)
    assert view.norms.height() < ROOM_FOR_LEGEND and not view.legend.isVisible()
    QApplication.sendEvent(view.norms, QEvent(QEvent.Type.Enter))
    assert view.legend.isVisible()
    QApplication.sendEvent(view.norms, QEvent(QEvent.Type.Leave))
    assert not view.legend.isVisible()
    view.resize(220, 600)  # room enough: the legend stays
    qtbot.waitUntil(lambda: view.norms.height() >= ROOM_FOR_LEGEND)
    assert view.legend.isVisible()


def shown_ticks(view) -> list[str]:
    """The labels the gradient plot's axis shows within its range (log10 of the values)."""
    low, high = view.norms.getViewBox().viewRange()[1]
    ticks = view.norms.getAxis("left")._tickLevels  # what setTicks gave it (None: automatic)
    assert ticks is not None, "the axis labels itself: 2, 3, …, 9 in one short decade"
    return [label for position, label in ticks[0] if low - 1e-9 <= position <= high + 1e-9]


def test_the_empty_gradient_plot_has_few_round_labels(qtbot) -> None:
    from digitpad.ui.train.learning_view import LearningView

    view = LearningView()
    qtbot.addWidget(view)
    assert shown_ticks(view) == ["2", "5"]


def test_the_gradient_axis_labels_few_round_values() -> None:
    from digitpad.ui.train.learning_view import log_ticks

    def labels(low: float, high: float) -> list[str]:
        return [label for _, label in log_ticks(low, high)]

    assert labels(0.15, 1.3) == ["0.1", "0.2", "0.5", "1", "2"]  # within about a decade
    assert labels(1e-4, 3e-2) == ["0.0001", "0.001", "0.01"]  # decades only
    assert len(labels(1e-9, 10)) <= 5  # many decades: every few
    assert all(abs(10 ** position - float(label)) < 1e-12 * float(label)
               for position, label in log_ticks(0.01, 0.9))
