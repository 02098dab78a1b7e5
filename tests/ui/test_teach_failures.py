"""The teach bar's keys and the My samples gallery when the disk fails: modified
keys belong to others, and a store that cannot write shows one line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_personal import drawing

from digitpad.drawing.strokes import Stroke
from digitpad.errors import SampleError
from digitpad.store.samples import SampleStore
from digitpad.ui.draw.canvas import Canvas
from digitpad.ui.draw.my_samples import MySamplesDialog
from digitpad.ui.draw.teach_bar import TeachBar

CANVAS = (400.0, 400.0)
DISK_FULL = "samples.sqlite3: the samples cannot be saved (database or disk is full)"


@pytest.fixture
def store(tmp_path: Path):
    rng = np.random.default_rng(0)
    with SampleStore(tmp_path / "samples.sqlite3") as store:
        for digit in (1, 1, 7):
            store.add(digit, drawing(digit, rng), CANVAS)
        yield store


# -- the teach bar's keys ------------------------------------------------------------

@pytest.fixture
def bar(qtbot, store) -> TeachBar:
    canvas = Canvas()
    bar = TeachBar(canvas, lambda: 7, store)
    qtbot.addWidget(canvas)
    qtbot.addWidget(bar)
    canvas.add_stroke(Stroke([(120.0, 90.0), (290.0, 92.0), (190.0, 340.0)], 18.0))
    return bar


@pytest.mark.parametrize("modifier", [Qt.KeyboardModifier.ControlModifier,
                                      Qt.KeyboardModifier.AltModifier])
def test_a_digit_key_with_ctrl_or_alt_teaches_nothing(qtbot, bar, store, modifier) -> None:
    qtbot.keyClick(bar.canvas, Qt.Key.Key_4, modifier)
    qtbot.keyClick(bar.canvas, Qt.Key.Key_Return, modifier)
    assert store.counts() == [0, 2, 0, 0, 0, 0, 0, 1, 0, 0]
    assert not bar.canvas.is_empty()


def test_a_digit_key_on_the_keypad_teaches(qtbot, bar, store) -> None:
    with qtbot.waitSignal(bar.taught) as taught:
        qtbot.keyClick(bar.canvas, Qt.Key.Key_4, Qt.KeyboardModifier.KeypadModifier)
    assert taught.args == [4]
    assert store.counts()[4] == 1 and bar.canvas.is_empty()


# -- My samples on a full or locked disk ------------------------------------------------

def fail(*_args) -> None:
    raise SampleError(DISK_FULL)


@pytest.fixture
def dialog(qtbot, store) -> MySamplesDialog:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    return dialog


def says_the_problem(dialog: MySamplesDialog) -> bool:
    text = dialog.message.text()
    return "disk is full" in text and "\n" not in text and "Traceback" not in text


def still_usable(qtbot, dialog: MySamplesDialog, store: SampleStore) -> None:
    """The dialog goes on working once the disk has room again."""
    dialog.gallery.clearSelection()
    dialog.gallery.item(0).setSelected(True)
    before = len(store)
    with qtbot.waitSignal(dialog.changed):
        dialog.delete_selected()
    assert len(store) == before - 1 and dialog.gallery.count() == before - 1


def test_relabel_on_a_full_disk_says_so_in_one_line(qtbot, dialog, store,
                                                    monkeypatch) -> None:
    monkeypatch.setattr(store, "relabel", fail)
    dialog.gallery.item(0).setSelected(True)
    dialog.relabel_selected(9)
    assert says_the_problem(dialog)
    assert store.counts()[9] == 0 and dialog.gallery.count() == 3
    monkeypatch.undo()
    still_usable(qtbot, dialog, store)


def test_delete_on_a_full_disk_says_so_in_one_line(qtbot, dialog, store,
                                                   monkeypatch) -> None:
    monkeypatch.setattr(store, "delete", fail)
    dialog.gallery.selectAll()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert says_the_problem(dialog)
    assert len(store) == 3 and dialog.gallery.count() == 3
    assert not dialog.undo_button.isEnabled()  # nothing was deleted, nothing to undo
    monkeypatch.undo()
    still_usable(qtbot, dialog, store)


def test_undo_on_a_full_disk_says_so_and_can_be_tried_again(qtbot, dialog, store,
                                                            monkeypatch) -> None:
    dialog.gallery.selectAll()
    dialog.delete_selected()
    assert len(store) == 0
    monkeypatch.setattr(store, "undo_delete", fail)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert says_the_problem(dialog)
    assert dialog.undo_button.isEnabled()
    monkeypatch.undo()
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert len(store) == 3 and dialog.gallery.count() == 3


def test_clear_all_on_a_locked_disk_says_so_in_one_line(qtbot, dialog, store,
                                                        monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(store, "clear", fail)
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert says_the_problem(dialog)
    assert len(store) == 3 and dialog.gallery.count() == 3
    monkeypatch.undo()
    still_usable(qtbot, dialog, store)
