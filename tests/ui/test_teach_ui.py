"""Teaching DigitPad your handwriting through the window: the Draw tab's teach bar,
the My samples gallery, and Fine-tune on my handwriting in the Trainer tab."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import write_idx_folder
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from test_personal import drawing
from ui_drawing import ONE, SEVEN, draw

from digitpad.drawing.strokes import Stroke
from digitpad.recognizer import Recognizer
from digitpad.store import model_in_use
from digitpad.store.samples import SampleStore
from digitpad.training.personal import FineTuneSettings
from digitpad.ui.draw.my_samples import ALL, MySamplesDialog
from digitpad.ui.train.trainer_tab import TrainerTab

pytest_plugins = ["ui_fixtures"]

CANVAS = (400.0, 400.0)
TINY = FineTuneSettings(steps=3, batch_size=16)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_settings) -> None:
    """Samples, models and MNIST are looked for only in temporary folders."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.chdir(tmp_path)


def stored() -> list[tuple[int, int]]:
    """(label, number of strokes) of every stored sample, read through a second connection."""
    with SampleStore() as store:
        return [(s.label, len(s.strokes)) for s in store.samples()]


def drawn(qtbot, tab, points) -> None:
    with qtbot.waitSignal(tab.prediction_shown):
        draw(tab.canvas, points)
    qtbot.waitUntil(lambda: not tab.reading_pending())


# -- the teach bar under the pad ------------------------------------------------------

def test_pressing_a_digit_key_stores_the_drawing_and_clears_the_pad(qtbot, window) -> None:
    tab = window.draw_tab
    drawn(qtbot, tab, SEVEN)
    with qtbot.waitSignal(tab.teach.taught) as taught:
        QTest.keyClick(tab.canvas, Qt.Key.Key_7)
    assert taught.args == [7]
    assert stored() == [(7, 1)]
    assert tab.canvas.is_empty()
    assert tab.teach.count_labels[7].text() == "1"
    assert "Stored as a 7" in tab.teach.message.text()


def test_a_wrong_reading_is_corrected_with_a_digit_button(qtbot, window) -> None:
    tab = window.draw_tab
    drawn(qtbot, tab, ONE)
    assert tab.shown_digit() == 1
    qtbot.mouseClick(tab.teach.digit_buttons[4], Qt.MouseButton.LeftButton)
    assert stored() == [(4, 1)]
    assert [label.text() for label in tab.teach.count_labels] == ["0"] * 4 + ["1"] + ["0"] * 5


def test_confirming_the_reading_stores_it_as_that_digit(qtbot, window) -> None:
    tab = window.draw_tab
    drawn(qtbot, tab, SEVEN)
    assert tab.teach.confirm_button.isEnabled()
    assert tab.teach.confirm_button.text() == "✓ Yes, it's a 7"
    qtbot.mouseClick(tab.teach.confirm_button, Qt.MouseButton.LeftButton)
    assert stored() == [(7, 1)]
    assert tab.canvas.is_empty()
    assert not tab.teach.confirm_button.isEnabled()  # nothing left to confirm


def test_an_empty_pad_teaches_nothing(qtbot, window) -> None:
    tab = window.draw_tab
    assert not any(button.isEnabled() for button in tab.teach.digit_buttons)
    QTest.keyClick(tab.canvas, Qt.Key.Key_3)
    assert stored() == []
    assert "Draw a digit first" in tab.teach.message.text()


def test_counts_come_back_after_a_restart(qtbot, window) -> None:
    with SampleStore() as store:
        for _ in range(3):
            store.add(2, [Stroke([(100, 100), (300, 300)], 20.0)], CANVAS)
    window.draw_tab.teach.refresh_counts()
    assert window.draw_tab.teach.count_labels[2].text() == "3"


# -- My samples ----------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path):
    rng = np.random.default_rng(0)
    with SampleStore() as store:
        for digit in (1, 1, 7):
            store.add(digit, drawing(digit, rng), CANVAS)
        yield store


def test_the_gallery_shows_samples_per_digit(qtbot, store) -> None:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.gallery.count() == 3
    assert dialog.filter_group.button(1).text() == "1 (2)"
    dialog.show_digit(7)
    assert dialog.gallery.count() == 1
    assert dialog.gallery.item(0).text() == "7"
    assert not dialog.gallery.item(0).icon().isNull()


def test_relabel_and_delete_with_undo(qtbot, store) -> None:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    dialog.show_digit(1)
    dialog.gallery.item(0).setSelected(True)
    with qtbot.waitSignal(dialog.changed):
        dialog.relabel_selected(9)
    assert store.counts()[1] == 1 and store.counts()[9] == 1
    dialog.show_digit(ALL)
    dialog.gallery.selectAll()
    assert dialog.delete_button.isEnabled()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert len(store) == 0 and dialog.gallery.count() == 0
    assert dialog.undo_button.isEnabled()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert len(store) == 3 and dialog.gallery.count() == 3
    assert "Restored 3 samples" in dialog.message.text()


def _in_background(qtbot, dialog: MySamplesDialog, action) -> None:
    """Run an import or export as the user would and wait for it: it works off the GUI
    thread, and the dialog says when it has ended."""
    with qtbot.waitSignal(dialog.file_done, timeout=60_000):
        action()
        assert dialog.is_busy() and not dialog.import_button.isEnabled()
    assert not dialog.is_busy() and dialog.import_button.isEnabled()


def test_export_then_import_in_the_gallery(qtbot, store, tmp_path: Path) -> None:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    file = tmp_path / "mine.json"
    _in_background(qtbot, dialog, lambda: dialog.export_to(file))
    assert "Exported 3 samples" in dialog.message.text()
    assert len(json.loads(file.read_text())["samples"]) == 3
    # its own samples: each is already here (issue 16, item 12)
    _in_background(qtbot, dialog, lambda: dialog.import_from(file))
    assert len(store) == 3 and dialog.gallery.count() == 3
    assert "Imported 0 samples" in dialog.message.text()
    assert "3 samples already here" in dialog.message.text()
    store.clear()
    with qtbot.waitSignal(dialog.changed):
        _in_background(qtbot, dialog, lambda: dialog.import_from(file))
    assert len(store) == 3 and dialog.gallery.count() == 3
    assert "Imported 3 samples" in dialog.message.text()
    assert "already here" not in dialog.message.text()


def test_a_bad_import_changes_nothing_and_says_why(qtbot, store, tmp_path: Path) -> None:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "digitpad-samples", "version": 1, "samples": [{"label": 3}]}')
    _in_background(qtbot, dialog, lambda: dialog.import_from(bad))
    assert len(store) == 3
    assert dialog.message.text().startswith("Nothing imported:")
    assert "sample 1: missing" in dialog.message.text()


def test_the_dialog_stays_open_until_a_file_is_read(qtbot, store, tmp_path: Path) -> None:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    file = tmp_path / "mine.json"
    _in_background(qtbot, dialog, lambda: dialog.export_to(file))
    with qtbot.waitSignal(dialog.file_done, timeout=60_000):
        dialog.import_from(file)
        dialog.reject()  # Close (or Escape) while reading
        assert dialog.isVisible() and "still being read" in dialog.message.text()
    dialog.reject()
    assert not dialog.isVisible()


def test_undo_says_which_samples_another_window_cleared_for_good(qtbot, store) -> None:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    dialog.gallery.selectAll()
    dialog.delete_selected()
    assert len(store) == 0
    SampleStore(store.path).clear()  # another DigitPad window: Clear all
    dialog.undo_delete()
    assert dialog.message.text() == ("Restored 0 samples. 3 samples could not be: cleared "
                                     "for good in another DigitPad window.")


def test_clear_all_asks_first(qtbot, store, monkeypatch) -> None:
    dialog = MySamplesDialog(store)
    qtbot.addWidget(dialog)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args: next(answers))
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert len(store) == 3
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert len(store) == 0 and dialog.empty_hint.isVisibleTo(dialog)


def test_changes_in_the_gallery_update_the_counts_under_the_pad(qtbot, window, store,
                                                                 monkeypatch) -> None:
    def delete_all_and_close(dialog: MySamplesDialog) -> int:
        dialog.gallery.selectAll()
        dialog.delete_selected()
        return 0

    monkeypatch.setattr(MySamplesDialog, "exec", delete_all_and_close)
    window.draw_tab.teach.refresh_counts()
    assert window.draw_tab.teach.count_labels[1].text() == "2"
    qtbot.mouseClick(window.draw_tab.teach.samples_button, Qt.MouseButton.LeftButton)
    assert [label.text() for label in window.draw_tab.teach.count_labels] == ["0"] * 10


# -- Fine-tune on my handwriting ------------------------------------------------------------

@pytest.fixture
def taught() -> None:
    rng = np.random.default_rng(1)
    with SampleStore() as store:
        for digit in range(10):
            for _ in range(2):
                store.add(digit, drawing(digit, rng), CANVAS)


@pytest.fixture
def trainer_tab(qtbot, taught) -> TrainerTab:
    tab = TrainerTab(Recognizer.load())  # its own: Use this model changes it
    qtbot.addWidget(tab)
    tab.personal.settings = TINY
    tab.personal.refresh()
    return tab


def fine_tune(qtbot, tab: TrainerTab) -> None:
    with qtbot.waitSignal(tab.personal.ended, timeout=120_000):
        qtbot.mouseClick(tab.personal.start_button, Qt.MouseButton.LeftButton)
    assert not tab.personal.is_running


def test_fine_tune_shows_before_and_after_and_can_be_kept(qtbot, trainer_tab) -> None:
    tab = trainer_tab
    before = tab.recognizer.checkpoint
    assert "20 samples taught" in tab.personal.samples_label.text()
    fine_tune(qtbot, tab)
    figures = tab.personal.figures.text()
    assert "personal samples only" in figures  # no MNIST anywhere in this test
    assert "held-back samples" in figures and "before" in figures and "after" in figures
    assert tab.recognizer.checkpoint is before  # nothing changes until the user says so
    assert tab.personal.use_button.isVisibleTo(tab)
    with qtbot.waitSignal(tab.model_in_use_changed):
        qtbot.mouseClick(tab.personal.use_button, Qt.MouseButton.LeftButton)
    assert tab.recognizer.checkpoint is not before
    assert tab.recognizer.checkpoint.info["mode"] == "personal samples only"
    assert model_in_use.remembered_path() == tab.recognizer.checkpoint.path
    assert "fine-tuned on your handwriting" in tab.message.text()


def test_a_discarded_fine_tune_leaves_the_model_alone(qtbot, trainer_tab) -> None:
    tab = trainer_tab
    before = tab.recognizer.checkpoint
    fine_tune(qtbot, tab)
    qtbot.mouseClick(tab.personal.discard_button, Qt.MouseButton.LeftButton)
    assert tab.personal.result is None and not tab.personal.use_button.isVisibleTo(tab)
    assert tab.recognizer.checkpoint is before
    assert model_in_use.remembered_path() is None


def test_a_fine_tune_can_be_stopped(qtbot, trainer_tab) -> None:
    tab = trainer_tab
    tab.personal.settings = FineTuneSettings(steps=10_000, batch_size=16)
    with qtbot.waitSignal(tab.personal.ended, timeout=120_000):
        qtbot.mouseClick(tab.personal.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.personal.progress.value() > 150, timeout=60_000)
        qtbot.mouseClick(tab.personal.stop_button, Qt.MouseButton.LeftButton)
    assert tab.personal.result is None
    assert "Stopped" in tab.personal.message.text()


def test_too_few_samples_cannot_be_fine_tuned(qtbot, isolated_settings) -> None:
    tab = TrainerTab(Recognizer.load())
    qtbot.addWidget(tab)
    assert not tab.personal.start_button.isEnabled()
    assert "No samples yet" in tab.personal.samples_label.text()


def test_the_mnist_chosen_in_the_data_box_is_replayed(qtbot, trainer_tab, tmp_path) -> None:
    tab = trainer_tab
    tab.data.set_path(write_idx_folder(tmp_path / "mnist", n_train=200, n_test=50))
    fine_tune(qtbot, tab)
    figures = tab.personal.figures.text()
    assert "with MNIST replay" in figures and "MNIST test<" in figures


def test_one_taught_sample_is_counted_in_the_singular(qtbot) -> None:
    with SampleStore() as store:
        store.add(7, drawing(7, np.random.default_rng(2)), CANVAS)
    tab = TrainerTab(Recognizer.load())
    qtbot.addWidget(tab)
    tab.personal.refresh()
    assert tab.personal.samples_label.text().startswith("1 sample taught (0–1 per digit).")
