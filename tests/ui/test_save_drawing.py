"""File ▸ Save drawing as PNG… and Save network input (28×28) as PNG…, off-screen.

The file dialog is patched to answer with a path; the saved files are read back
the way `digitpad predict` reads images.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from ui_drawing import SEVEN, activate, draw

from digitpad.drawing.imagefile import read_ink_image

pytest_plugins = ["ui_fixtures"]


def answer_dialog(monkeypatch, path: Path | str) -> list[str]:
    """The save dialog answers `path` ("" = cancelled); returns the titles it was shown with."""
    asked: list[str] = []

    def dialog(parent, title, suggested, filters, *args, **kwargs):
        asked.append(title)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return asked


def file_menu_texts(window) -> list[str]:
    return [a.text().replace("&", "") for a in window.file_menu.actions() if a.text()]


def test_the_file_menu_offers_both_with_shortcuts_and_only_when_something_is_drawn(
        window) -> None:
    texts = file_menu_texts(window)
    assert texts[:2] == ["Save drawing as PNG…", "Save network input (28×28) as PNG…"]
    saving = window.save_drawing
    assert saving.drawing_action.shortcut() == QKeySequence("Ctrl+S")
    assert saving.input_action.shortcut() == QKeySequence("Ctrl+Shift+S")
    assert not saving.drawing_action.isEnabled() and not saving.input_action.isEnabled()
    draw(window.draw_tab.canvas, SEVEN)
    assert saving.drawing_action.isEnabled() and saving.input_action.isEnabled()
    window.draw_tab.tools.clear_action.trigger()
    assert not saving.drawing_action.isEnabled()


def test_number_mode_saves_the_drawing_but_has_no_one_network_input(window) -> None:
    saving = window.save_drawing
    draw(window.draw_tab.canvas, SEVEN)
    window.draw_tab.number_action.trigger()  # each digit has its own 28×28 image there
    assert saving.drawing_action.isEnabled() and not saving.input_action.isEnabled()
    assert "number mode" in saving.input_action.statusTip()
    window.draw_tab.canvas.undo()
    window.draw_tab.canvas.redo()  # a change to the drawing does not switch it back on
    assert not saving.input_action.isEnabled()
    window.draw_tab.number_action.trigger()
    assert saving.input_action.isEnabled() and "28×28" in saving.input_action.statusTip()


def test_save_drawing_as_drawn_reads_back_as_the_same_digit(window, recognizer, qtbot,
                                                            monkeypatch, tmp_path) -> None:
    draw(window.draw_tab.canvas, SEVEN)
    asked = answer_dialog(monkeypatch, tmp_path / "seven")  # no suffix: .png is added
    with qtbot.waitSignal(window.save_drawing.saved) as saved:
        window.save_drawing.drawing_action.trigger()
    path = tmp_path / "seven.png"
    assert asked == ["Save drawing as PNG"] and saved.args == [str(path)]
    picture = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert picture.shape == (400, 400) and picture.dtype == np.uint8  # the pad, 1 px a unit
    assert picture[0, 0] == 255 and picture.min() < 50  # dark ink on white paper
    assert recognizer.predict_ink(read_ink_image(path)).digit == 7
    assert str(path) in window.statusBar().currentMessage()


def test_save_network_input_is_the_28x28_the_network_read(window, qtbot, monkeypatch,
                                                          tmp_path) -> None:
    draw(window.draw_tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: window.draw_tab.panel.prediction is not None)
    answer_dialog(monkeypatch, tmp_path / "input.png")
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    picture = cv2.imread(str(tmp_path / "input.png"), cv2.IMREAD_UNCHANGED)
    seen = window.draw_tab.panel.prediction.image
    assert picture.shape == (28, 28)
    assert np.abs(picture.astype(int) - np.rint(seen * 255)).max() == 0  # ink white, exact


def test_a_cancelled_dialog_writes_nothing(window, monkeypatch, tmp_path) -> None:
    draw(window.draw_tab.canvas, SEVEN)
    answer_dialog(monkeypatch, "")
    assert window.save_drawing.save_drawing() is None
    assert window.save_drawing.save_network_input() is None
    assert not list(tmp_path.rglob("*.png"))


def test_a_place_that_cannot_be_written_is_said_in_one_line(window, monkeypatch, tmp_path,
                                                            no_modal_boxes) -> None:
    draw(window.draw_tab.canvas, SEVEN)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert window.save_drawing.save_drawing(blocked / "x.png") is None
    assert len(no_modal_boxes) == 1 and "x.png: cannot be saved" in no_modal_boxes[0]
