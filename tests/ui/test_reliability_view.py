"""The Trainer tab shows how far the model in use can be taken at its word."""

from __future__ import annotations

import torch

from digitpad.recognizer import Recognizer
from digitpad.ui.train.reliability_view import ReliabilityView
from trainer.calibration import reliability
from trainer.checkpoint import Checkpoint
from trainer.models import build_model

pytest_plugins = ["ui_fixtures"]

BINS = reliability(torch.tensor([0.55, 0.65, 0.95, 0.99]), torch.tensor([True, False, True, True]))


def test_a_calibrated_model_shows_its_reliability_diagram(qtbot) -> None:
    view = ReliabilityView()
    qtbot.addWidget(view)
    view.set_calibration({"temperature": 1.2, "reliability": BINS, "fitted_on": "writers"})
    xs, ys = view.curve.getData()
    assert len(xs) == 3 and not view.plot.isHidden()
    assert view.caption.text().startswith("Confidence vs accuracy: off by")
    # The figure and its % stay together where the caption wraps.
    assert f"{100 * BINS['ece']:.1f}\u00a0% on average" in view.caption.text()
    assert "writers" in view.caption.toolTip()


def test_each_dot_is_as_big_as_the_readings_behind_it(qtbot) -> None:
    view = ReliabilityView()
    qtbot.addWidget(view)
    bins = {"confidence": [0.52, 0.9, 0.99], "accuracy": [0.0, 0.9, 0.998],
            "counts": [2, 68, 12869], "ece": 0.001}
    view.set_calibration({"temperature": 1.0, "reliability": bins})
    sizes = [point.size() for point in view.curve.scatter.points()]
    assert sizes == sorted(sizes) and sizes[0] < 4 < 10 < sizes[-1]
    assert "bigger a dot" in view.plot.toolTip()


def test_an_uncalibrated_or_damaged_model_says_so(qtbot) -> None:
    view = ReliabilityView()
    qtbot.addWidget(view)
    for calibration in ({}, {"temperature": 1.0, "reliability": {"confidence": "x"}}):
        view.set_calibration(calibration)
        assert view.caption.text() == "Confidence: not calibrated" and view.plot.isHidden()


def test_the_trainer_tab_shows_the_model_in_use(qtbot, isolated_settings) -> None:
    from digitpad.ui.train.trainer_tab import TrainerTab

    model = build_model("digitnet", width=2, depth=1)
    recognizer = Recognizer(Checkpoint(model=model, arch="digitnet", arch_params={},
                                       calibration={"temperature": 1.0, "reliability": BINS}))
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    assert len(tab.reliability.curve.getData()[0]) == 3
    tab.set_recognizer(Recognizer(Checkpoint(model=model, arch="digitnet", arch_params={})))
    assert tab.reliability.caption.text() == "Confidence: not calibrated"
