"""The Trainer tab's live plot: what its loss curves show."""

from __future__ import annotations

from pathlib import Path

import pytest

from digitpad.store.runs import Run
from digitpad.ui.train.training_plot import TrainingPlot, smooth
from trainer.engine import BatchEnd

# Batch losses 2, 1, 1 smoothed with weight 0.9 and debiased (TensorBoard's way):
# 0.1·2 / 0.1, (0.9·0.2 + 0.1) / 0.19, (0.9·0.28 + 0.1) / 0.271.
LOSSES = [2.0, 1.0, 1.0]
SMOOTHED = [2.0, 0.28 / 0.19, 0.352 / 0.271]


def test_smoothing_is_a_debiased_moving_average() -> None:
    assert smooth(LOSSES) == pytest.approx(SMOOTHED)
    # Debiased: a flat loss gives a flat curve from the first batch on, not a rise from 0.
    assert smooth([0.7] * 20) == pytest.approx([0.7] * 20)


def test_the_live_curve_and_a_resumed_one_are_smoothed_alike(qtbot) -> None:
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    for batch, loss in enumerate(LOSSES, start=1):
        plot.add_batch(BatchEnd(1, batch, 3, loss, batch / 3, 100.0, 0.0))
    plot.refresh()
    assert list(plot.raw_loss.yData) == LOSSES
    assert list(plot.smooth_loss.yData) == pytest.approx(SMOOTHED)
    assert list(plot.smooth_loss.xData) == pytest.approx([1 / 3, 2 / 3, 1.0])

    plot.show_history([{"epoch": 1, "train_loss": 1.3}], LOSSES)
    assert list(plot.smooth_loss.yData) == pytest.approx(SMOOTHED)


def test_an_earlier_run_is_overlaid_smoothed_the_same_way(qtbot) -> None:
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    run = Run(id="r1", folder=Path("r1"), config={}, started="2026-01-02T03:04:05",
              epochs=[{"epoch": 1}], batch_losses=LOSSES)
    plot.set_overlays([run])
    curves = [item for item in plot.loss_plot.listDataItems()
              if item not in (plot.raw_loss, plot.smooth_loss, plot.test_loss)]
    assert [list(item.yData) for item in curves] == [pytest.approx(SMOOTHED)]
    tests = [item for item in plot.accuracy_plot.listDataItems()
             if item not in (plot.train_accuracy, plot.test_accuracy)]
    assert len(tests) == 1  # and its test accuracy beside this run's
