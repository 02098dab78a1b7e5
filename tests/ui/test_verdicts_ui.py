"""The four answers on screen: a digit, unsure (with the top two), not a digit,
nothing drawn; and the teach bar asking before it stores a drawing the model
calls "not a digit"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox
from ui_drawing import SEVEN, draw

from digitpad.reading import EMPTY, judge
from digitpad.store.samples import SampleStore
from digitpad.ui.draw.prediction_panel import PanelState, PredictionPanel

pytest_plugins = ["ui_fixtures"]

IMAGE = np.zeros((28, 28), np.float32)


def reading(probabilities: list[float], not_a_digit: float = 0.0):
    return judge(np.asarray(probabilities), not_a_digit, IMAGE, sure=0.9, rejection=0.5)


SURE_SEVEN = [0.002] * 7 + [0.982, 0.002, 0.002]
SEVEN_OR_ONE = [0.0, 0.35, 0.0, 0.0, 0.0, 0.0, 0.0, 0.55, 0.1, 0.0]


def test_the_panel_tells_the_four_outcomes_apart(qtbot) -> None:
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    shown = {}
    for name, prediction in (("digit", reading(SURE_SEVEN)),
                             ("unsure", reading(SEVEN_OR_ONE)),
                             ("not a digit", reading(SURE_SEVEN, not_a_digit=0.93)),
                             ("empty", EMPTY)):
        panel.show_prediction(prediction)
        shown[name] = (panel.state, panel.digit.text(), panel.verdict.text(), panel.bars._chosen)
    assert shown["digit"][:2] == (PanelState.SURE, "7") and "98.2 % sure" in shown["digit"][2]
    state, digit, text, chosen = shown["unsure"]
    assert state == PanelState.UNSURE and digit.startswith("7") and "?" in digit
    assert "7 (55 %) or 1 (35 %)" in text
    state, digit, text, chosen = shown["not a digit"]
    assert state == PanelState.NOT_A_DIGIT and "7" not in digit and chosen is None
    assert text.startswith("Not a digit (93 % sure)")
    assert shown["empty"][0] == PanelState.HINT and "Draw a digit" in shown["empty"][2]
    assert len({values[2] for values in shown.values()}) == 4


@pytest.fixture
def private_samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_settings) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


def called_not_a_digit(qtbot, tab) -> None:
    """Something drawn, and the panel showing the model's "not a digit" for it."""
    with qtbot.waitSignal(tab.prediction_shown):
        draw(tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: not tab.reading_pending())
    tab.panel.show_prediction(reading(SURE_SEVEN, not_a_digit=0.9))
    tab.teach.update_buttons()


def stored() -> list[int]:
    with SampleStore() as store:
        return [sample.label for sample in store.samples()]


def test_teaching_a_drawing_called_not_a_digit_asks_first(qtbot, window, private_samples,
                                                         monkeypatch) -> None:
    tab = window.draw_tab
    called_not_a_digit(qtbot, tab)
    assert tab.shown_verdict() == "not a digit"
    assert not tab.teach.confirm_button.isEnabled()  # no digit to say yes to
    asked = []

    def answer(choice):
        def question(parent, title, text, *args):
            asked.append(text)
            return choice
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert tab.teach.teach(4) is False
    assert stored() == [] and not tab.canvas.is_empty()
    assert "not read this drawing as a digit" in asked[0] and "as a 4" in asked[0]
    assert tab.teach.message.text() == "Not stored."

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(tab.teach.taught):
        assert tab.teach.teach(4) is True
    assert stored() == [4] and len(asked) == 2


def test_a_digit_is_taught_without_a_question(qtbot, window, private_samples,
                                             monkeypatch) -> None:
    tab = window.draw_tab
    with qtbot.waitSignal(tab.prediction_shown):
        draw(tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: not tab.reading_pending())
    tab.panel.show_prediction(reading(SURE_SEVEN))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: pytest.fail("asked about a digit"))
    assert tab.teach.teach(7) is True and stored() == [7]
