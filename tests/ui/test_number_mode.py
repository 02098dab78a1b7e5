"""Number mode in the Draw tab: a wide pad, a box around every digit found, the
number as text to select and copy; back to one digit as simply as before."""

from __future__ import annotations

import pytest
from number_strokes import digit, number
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from ui_drawing import activate, draw

from digitpad.drawing.strokes import Stroke
from digitpad.ui.draw.canvas import Mark
from digitpad.ui.draw.draw_tab import DIGIT_PAD, NUMBER_PAD

pytest_plugins = ["ui_fixtures"]


def write(qtbot, tab, strokes) -> None:
    with qtbot.waitSignal(tab.prediction_shown):
        tab.canvas.set_strokes(strokes)
    qtbot.waitUntil(lambda: not tab.reading_pending())


def test_the_n_key_switches_to_a_wide_pad_and_back(qtbot, window) -> None:
    tab = window.draw_tab
    activate(qtbot, window)
    tab.canvas.setFocus()
    QTest.keyClick(tab.canvas, Qt.Key.Key_N)
    assert tab.is_number_mode() and tab.number_action.isChecked()
    assert tab.canvas.canvas_size() == NUMBER_PAD
    paper = tab.canvas.paper_rect()
    assert paper.width() == pytest.approx(3 * paper.height(), rel=0.01)
    assert tab.number_panel.isVisible()
    assert not tab.panel.isVisible() and not tab.teach.isVisible()
    assert tab.number_panel.text() == ""
    QTest.keyClick(tab.canvas, Qt.Key.Key_N)
    assert not tab.is_number_mode()
    assert tab.canvas.canvas_size() == DIGIT_PAD
    assert tab.panel.isVisible() and tab.teach.isVisible() and not tab.number_panel.isVisible()


def test_the_edit_menu_offers_number_mode_with_its_key(qtbot, window) -> None:
    tab = window.draw_tab
    action = tab.number_action
    assert action in window.edit_menu.actions()
    assert action.text() == "&Number mode" and action.shortcut().toString() == "N"
    button = tab.tools.widgetForAction(action)
    assert button.text().replace("&", "") == "Number"  # the toolbar keeps one word
    action.trigger()
    assert tab.is_number_mode()
    action.trigger()
    assert not tab.is_number_mode()


def test_a_number_is_boxed_digit_by_digit_and_copied(qtbot, window) -> None:
    tab = window.draw_tab
    tab.set_number_mode(True)
    write(qtbot, tab, number("1247"))
    panel = tab.number_panel
    assert panel.text() == "1247"
    assert panel.reading.sure
    assert "4 digits" in panel.verdict.text()
    # What a screen reader says, once the pen has lifted.
    assert panel.number.accessibleDescription() == "1247: 4 digits, all sure"
    marks = tab.canvas.marks()
    assert [m.label.split()[0] for m in marks] == ["1", "2", "4", "7"]
    assert all(m.sure and m.label.endswith("%") for m in marks)
    assert [m.box for m in marks] == [d.box for d in panel.reading.digits]
    assert panel.copy_button.isEnabled()
    with qtbot.waitSignal(panel.copied):
        qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "1247"
    # The number is text the user can select, not a picture of it.
    panel.number.selectAll()
    assert panel.number.selectedText() == "1247" and panel.number.isReadOnly()


def test_ctrl_shift_c_and_alt_c_copy_the_number(qtbot, window) -> None:
    tab = window.draw_tab
    activate(qtbot, window)
    tab.set_number_mode(True)
    write(qtbot, tab, number("70"))
    panel = tab.number_panel
    QGuiApplication.clipboard().clear()
    tab.canvas.setFocus()
    with qtbot.waitSignal(panel.copied):
        QTest.keyClick(tab.canvas, Qt.Key.Key_C,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "70"
    assert panel.copy_button.shortcut().toString() == "Alt+C"  # its mnemonic, as shown


def test_a_single_digit_in_number_mode_reads_as_in_digit_mode(qtbot, window) -> None:
    tab = window.draw_tab
    write(qtbot, tab, digit(7, 120, 80, 240))
    assert tab.shown_digit() == 7
    tab.set_number_mode(True)
    qtbot.waitUntil(lambda: tab.number_panel.text() == "7")
    assert len(tab.canvas.marks()) == 1
    assert tab.shown_digit() is None  # teaching stores single digits only


def test_the_number_is_read_when_the_pen_lifts(qtbot, window) -> None:
    tab = window.draw_tab
    tab.set_number_mode(True)
    with qtbot.waitSignal(tab.prediction_shown):
        for stroke in number("17", x=100, y=100, height=200):
            draw(tab.canvas, stroke.points)
    qtbot.waitUntil(lambda: not tab.reading_pending())
    assert tab.number_panel.text() == "17"


def test_clearing_and_leaving_number_mode_take_the_boxes_away(qtbot, window) -> None:
    tab = window.draw_tab
    tab.set_number_mode(True)
    write(qtbot, tab, number("70"))
    assert len(tab.canvas.marks()) == 2
    tab.canvas.clear()
    qtbot.waitUntil(lambda: not tab.canvas.marks())
    assert tab.number_panel.text() == "" and not tab.number_panel.copy_button.isEnabled()
    tab.canvas.undo()
    qtbot.waitUntil(lambda: tab.number_panel.text() == "70")
    tab.set_number_mode(False)
    assert tab.canvas.marks() == []


def test_a_piece_that_is_no_digit_is_marked_and_nothing_is_copied(qtbot, window) -> None:
    tab = window.draw_tab
    tab.set_number_mode(True)
    underline = Stroke([(40.0, 200.0), (600.0, 205.0)], 14.0)
    write(qtbot, tab, [*number("17"), underline])
    panel = tab.number_panel
    assert panel.text() == "17?"
    assert panel.verdict.text().startswith("Not sure")
    assert panel.number.accessibleDescription() == f"17?: {panel.verdict.text()}"
    assert not panel.copy_button.isEnabled()
    assert [m.label.split()[0] for m in tab.canvas.marks()] == ["1", "7", "?"]
    assert not tab.canvas.marks()[2].sure


def test_digit_keys_teach_nothing_in_number_mode(qtbot, window) -> None:
    tab = window.draw_tab
    tab.set_number_mode(True)
    write(qtbot, tab, number("17"))
    taught = []
    tab.teach.taught.connect(lambda *args: taught.append(args))
    QTest.keyClick(tab.canvas, Qt.Key.Key_4)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Return)
    assert taught == [] and tab.number_panel.text() == "17"


def test_labels_of_narrow_digits_side_by_side_stay_readable(qtbot, window) -> None:
    tab = window.draw_tab
    tab.set_number_mode(True)
    window.show()
    qtbot.waitExposed(window)
    width = tab.canvas.canvas_size()[0]
    # A 1 and a 7 written close together: the 1's box is much narrower than its
    # label ("1  100 %"), so a label on each box's top edge would cover the next one.
    boxes = [(100.0, 60.0, 10.0, 160.0), (118.0, 70.0, 90.0, 150.0),
             (width - 15.0, 60.0, 12.0, 160.0)]  # and a 1 at the pad's right edge
    tab.canvas.set_marks([Mark(box, f"{digit}  100 %")
                          for box, digit in zip(boxes, "171", strict=True)])
    tabs = [tab_rect for *_, tab_rect in tab.canvas.mark_tabs()]
    paper = tab.canvas.paper_rect()
    for i, first in enumerate(tabs):
        assert paper.contains(first)
        assert not any(first.intersects(other) for other in tabs[i + 1:])
    assert tabs[0].bottom() <= tab.canvas.mark_tabs()[0][1].top() + 1  # the first stays on top
