"""The Draw tab end to end: drawing with the mouse in the real window, reading live."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from ui_drawing import ONE, SEVEN, activate, draw

from digitpad.cli.main import main as cli_main
from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.figures import percent
from digitpad.ui.draw.prediction_panel import PanelState

pytest_plugins = ["ui_fixtures"]

READ = (PanelState.SURE, PanelState.UNSURE)


def bar_figures(panel) -> list[str]:
    """The ten probabilities as the bars' tooltip gives them, digit by digit."""
    return [line.split(": ")[1] for line in panel.bars.toolTip().splitlines()]


def wait_for_reading(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: not tab.reading_pending())


def test_drawing_with_the_mouse_makes_strokes_and_a_prediction(qtbot, window) -> None:
    tab = window.draw_tab
    with qtbot.waitSignal(tab.prediction_shown):
        draw(tab.canvas, SEVEN)
    wait_for_reading(qtbot, tab)
    assert len(tab.canvas.strokes()) == 1
    assert tab.panel.state in READ
    assert tab.panel.prediction.digit == 7
    assert tab.panel.digit.text().startswith("7")
    probabilities = tab.panel.prediction.probabilities
    assert bar_figures(tab.panel) == [percent(p, 1) for p in probabilities]
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-4)


def test_an_empty_pad_shows_a_hint_not_a_guess(qtbot, window) -> None:
    panel = window.draw_tab.panel
    assert panel.state == PanelState.HINT
    assert panel.prediction is None and panel.digit.text() == ""
    assert "Draw a digit" in panel.verdict.text()
    assert bar_figures(panel) == ["0.0 %"] * 10
    assert not panel.input_view.grey_levels().any()


def test_clearing_brings_the_hint_back(qtbot, window) -> None:
    tab = window.draw_tab
    draw(tab.canvas, SEVEN)
    wait_for_reading(qtbot, tab)
    assert tab.panel.state in READ
    tab.tools.clear_action.trigger()
    wait_for_reading(qtbot, tab)
    assert tab.panel.state == PanelState.HINT


def test_the_28x28_view_shows_exactly_what_preprocess_makes_of_the_strokes(qtbot,
                                                                           window) -> None:
    tab = window.draw_tab
    draw(tab.canvas, SEVEN)
    wait_for_reading(qtbot, tab)
    expected = preprocess(render_strokes(tab.canvas.strokes(), tab.canvas.canvas_size())).image
    view = tab.panel.input_view
    assert np.array_equal(view.grey_levels(), np.round(expected * 255).astype(np.uint8))
    assert np.array_equal(tab.panel.prediction.image, expected)
    # And what is painted: the centre of every magnified pixel has its grey level.
    shown = view.grab().toImage()
    levels = view.grey_levels()
    area = view.pixel_rect()
    cell = area.width() / 28
    assert levels.max() > 200 and (levels == 0).sum() > 300  # real ink on a dark ground
    for row in range(28):
        for column in range(28):
            centre = QPointF(area.left() + (column + 0.5) * cell,
                             area.top() + (row + 0.5) * cell).toPoint()
            assert shown.pixelColor(centre).red() == levels[row, column], (row, column)


def test_digitpad_predict_on_a_png_of_the_strokes_gives_the_same_answer(qtbot, window,
                                                                        tmp_path,
                                                                        capsys) -> None:
    tab = window.draw_tab
    draw(tab.canvas, SEVEN)
    wait_for_reading(qtbot, tab)
    on_canvas = tab.panel.prediction
    ink = render_strokes(tab.canvas.strokes(), tab.canvas.canvas_size())
    path = tmp_path / "seven.png"
    assert cv2.imwrite(str(path), 255 - ink)  # dark ink on light paper, as people save them
    capsys.readouterr()
    assert cli_main(["predict", "--json", str(path)]) == 0
    from_file = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert from_file["digit"] == on_canvas.digit == 7
    assert from_file["probabilities"] == pytest.approx(on_canvas.probabilities, abs=1e-5)


def test_undo_redo_and_clear_from_the_keyboard(qtbot, window) -> None:
    tab = window.draw_tab
    activate(qtbot, window)
    draw(tab.canvas, SEVEN)
    draw(tab.canvas, ONE)
    control = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(tab.canvas, Qt.Key.Key_Z, control)
    assert len(tab.canvas.strokes()) == 1
    QTest.keyClick(tab.canvas, Qt.Key.Key_Z, control | Qt.KeyboardModifier.ShiftModifier)
    assert len(tab.canvas.strokes()) == 2
    QTest.keyClick(tab.canvas, Qt.Key.Key_Z, control)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Y, control)
    assert len(tab.canvas.strokes()) == 2
    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
    assert tab.canvas.is_empty()
    QTest.keyClick(tab.canvas, Qt.Key.Key_Z, control)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Delete)
    assert tab.canvas.is_empty()
    wait_for_reading(qtbot, tab)
    assert tab.panel.state == PanelState.HINT


def test_tool_shortcuts_and_buttons_follow_each_other(qtbot, window) -> None:
    tab = window.draw_tab
    activate(qtbot, window)
    QTest.keyClick(tab.canvas, Qt.Key.Key_E)
    assert tab.canvas.is_eraser() and tab.tools.eraser_action.isChecked()
    QTest.keyClick(tab.canvas, Qt.Key.Key_P)
    assert not tab.canvas.is_eraser() and tab.tools.pen_action.isChecked()
    width = tab.canvas.pen_width()
    QTest.keyClick(tab.canvas, Qt.Key.Key_BracketRight)
    assert tab.canvas.pen_width() > width
    assert tab.tools.width_slider.value() == round(tab.canvas.pen_width())
    tab.tools.width_slider.setValue(10)
    assert tab.canvas.pen_width() == 10


def test_undo_and_clear_are_greyed_out_when_there_is_nothing_to_undo(qtbot, window) -> None:
    tools = window.draw_tab.tools
    assert not tools.undo_action.isEnabled() and not tools.clear_action.isEnabled()
    draw(window.draw_tab.canvas, ONE)
    assert tools.undo_action.isEnabled() and tools.clear_action.isEnabled()
    assert not tools.redo_action.isEnabled()


def test_rubbing_out_all_the_ink_brings_the_hint_back(qtbot, window) -> None:
    tab = window.draw_tab
    draw(tab.canvas, ONE)
    wait_for_reading(qtbot, tab)
    assert tab.panel.state in READ
    tab.canvas.set_pen_width(48)
    tab.tools.eraser_action.trigger()
    draw(tab.canvas, [(200, 40), (200, 360)])
    wait_for_reading(qtbot, tab)
    assert tab.panel.state == PanelState.HINT


def test_many_pen_moves_between_frames_cost_one_reading(qtbot, window) -> None:
    tab = window.draw_tab
    readings = []
    tab.prediction_shown.connect(lambda: readings.append(len(tab.canvas.strokes()[0].points)))
    # Without returning to the event loop, as a burst of pen events would arrive.
    tab.canvas.replay([Stroke([(100 + 4 * i, 100 + 4 * i) for i in range(50)])])
    with qtbot.waitSignal(tab.prediction_shown):
        pass
    assert readings == [50]


def test_drawing_before_the_model_is_ready_shows_what_the_network_will_see(qtbot,
                                                                          bare_window,
                                                                          recognizer) -> None:
    tab = bare_window.draw_tab
    assert "Loading" in bare_window.model_status.text()
    draw(tab.canvas, SEVEN)
    wait_for_reading(qtbot, tab)
    assert tab.panel.state == PanelState.WAITING
    assert "Loading the model" in tab.panel.verdict.text()
    assert tab.panel.input_view.grey_levels().any()
    bare_window.use_recognizer(recognizer)  # the model arrives: the reading follows at once
    assert tab.panel.state in READ and tab.panel.prediction.digit == 7


def test_an_unsure_reading_says_so_and_names_the_candidates(qtbot, window) -> None:
    from digitpad.reading import Prediction

    probabilities = (0.0, 0.35, 0.0, 0.0, 0.0, 0.0, 0.0, 0.45, 0.2, 0.0)
    panel = window.draw_tab.panel
    panel.show_prediction(Prediction(7, 0.45, probabilities, np.zeros((28, 28), np.float32),
                                     False, "this could be several digits"))
    assert panel.state == PanelState.UNSURE
    assert panel.digit.text().startswith("7") and "?" in panel.digit.text()
    assert "Not sure" in panel.verdict.text()
    assert "7 (45 %) or 1 (35 %)" in panel.verdict.text()
