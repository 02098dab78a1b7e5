"""The Inside tab: live feature maps of the drawing, enlarging a map, saliency,
"why not X?", and the drawing moving between the Draw and Inside tabs."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from ui_drawing import ONE, SEVEN, draw

from digitpad.ui.draw.canvas import Canvas
from digitpad.ui.inside.inside_page import KERNELS, InsidePage

pytest_plugins = ["ui_fixtures"]


@pytest.fixture
def page(qtbot, recognizer) -> InsidePage:
    page = InsidePage(Canvas())
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.set_recognizer(recognizer)
    page.show()
    qtbot.waitExposed(page)
    return page


def draw_and_wait(qtbot, page: InsidePage, points) -> None:
    with qtbot.waitSignal(page.inspected, timeout=5000):
        draw(page.pad, points)
    qtbot.waitUntil(lambda: not page.reading_pending())


def click_pixel(view, row: float, column: float) -> None:
    """Click a PictureView at a pixel of its picture."""
    scene = view.box.mapViewToScene(QPointF(column, row))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.mapFromScene(scene))


def test_the_answer_says_what_the_draw_tab_says(page) -> None:
    from digitpad.reading import Prediction

    probabilities = (0.0, 0.05, 0.805, 0.0, 0.0, 0.0, 0.0, 0.145, 0.0, 0.0)
    seen = [Prediction(2, 0.805, probabilities, None, False, "this does not look like a digit",
                       "not a digit", 7, 0.94),
            Prediction(2, 0.805, probabilities, None, False, "this could be several digits",
                       "unsure", 7, 0.01),
            Prediction(2, 0.805, probabilities, None, True, "", "digit", 7, 0.01)]
    # Not "Reads 2 (80.5 %)" for a drawing the Draw tab calls no digit at all.
    assert [page._verdict_line(p) for p in seen] == [
        "Not a digit (94 % sure); nearest digit: 2 (80.5 %)",
        "Not sure: 2 (80.5 %) or 7 (14.5 %)",
        "Reads 2 (80.5 %)"]


def test_drawing_updates_every_convolution_s_maps_in_the_same_views(qtbot, page) -> None:
    assert page.last is None and "Draw a digit" in page.answer.text()
    draw_and_wait(qtbot, page, SEVEN)
    prediction, seen = page.last
    assert prediction.digit == 7 and "Reads 7" in page.answer.text()
    names = [grid.layer.name for grid in page._grids]
    assert names == [layer.name for layer in seen.conv_layers()] and len(names) == 6
    views = [grid.view for grid in page._grids]
    first = views[0].picture.image.copy()
    assert first.shape == (6 * 29 - 1, 6 * 29 - 1)
    assert page.kernels_view.picture.image is not None
    assert page.layers.tree.topLevelItemCount() == len(seen.layers)
    page.pad.clear()
    draw_and_wait(qtbot, page, ONE)
    assert page.last[0].digit == 1
    assert [grid.view for grid in page._grids] == views  # kept, not rebuilt
    assert not np.array_equal(views[0].picture.image, first)


def test_clicking_a_map_enlarges_it_and_it_follows_the_drawing(qtbot, page) -> None:
    draw_and_wait(qtbot, page, SEVEN)
    grid = page._grids[1]
    channels, height, width = grid.layer.shape
    click_pixel(grid.view, 29 + height / 2, 2 * 29 + width / 2)  # row 1, column 2 of 6
    assert page.enlarged() == (grid.layer.name, 8)
    assert page.enlarged_view.picture.image.shape == (height, width)
    assert "map 9 of 32" in page.enlarged_title.text()
    assert page.layers.tree.currentItem().text(0) == grid.layer.name
    before = page.enlarged_view.picture.image.copy()
    page.pad.clear()
    draw_and_wait(qtbot, page, ONE)
    assert not np.array_equal(page.enlarged_view.picture.image, before)
    click_pixel(page.kernels_view, 1, 1)
    assert page.enlarged() == (KERNELS, 0)
    assert page.enlarged_view.picture.image.shape == (3, 3)


def test_the_keyboard_reaches_every_map_and_enlarges_it(qtbot, page) -> None:
    draw_and_wait(qtbot, page, SEVEN)
    grid = page._grids[1]  # 32 maps: 6 columns
    view = grid.view
    assert view.focusPolicy() & Qt.FocusPolicy.TabFocus and view.accessibleName()
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    assert page.enlarged() == (grid.layer.name, 0) and view.frame.isVisible()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Down):
        QTest.keyClick(view, key)
    assert page.enlarged() == (grid.layer.name, 8)  # row 1, column 2
    assert "map 9 of 32" in page.enlarged_title.text()
    assert page.layers.tree.currentItem().text(0) == grid.layer.name
    top, left = 29, 2 * 29  # the frame surrounds that tile
    assert view.frame.rect().contains(QPointF(left + 14, top + 14))
    QTest.keyClick(view, Qt.Key.Key_End)
    assert page.enlarged() == (grid.layer.name, 31)
    QTest.keyClick(view, Qt.Key.Key_Down)  # no row below: stays
    assert page.enlarged() == (grid.layer.name, 31)
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert page.enlarged() == (grid.layer.name, 0)
    click_pixel(view, 29 + 14, 3 * 29 + 14)  # a click moves the keyboard's place too
    QTest.keyClick(view, Qt.Key.Key_Left)
    assert page.enlarged() == (grid.layer.name, 8)
    page.kernels_view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(page.kernels_view.hasFocus)
    QTest.keyClick(page.kernels_view, Qt.Key.Key_Right)
    assert page.enlarged() == (KERNELS, 1) and not view.frame.isVisible()


def test_saliency_overlay_switches_on_and_off(qtbot, page) -> None:
    draw_and_wait(qtbot, page, SEVEN)
    assert page.last[1].saliency is None and not page.input_view.overlay.isVisible()
    page.saliency_box.click()
    seen = page.last[1]
    assert seen.saliency is not None and seen.saliency_for == 7
    assert page.input_view.overlay.isVisible()
    assert page.input_view.overlay.image.shape == (28, 28, 4)
    assert "made it read 7" in page.saliency_note.text()
    page.saliency_box.click()
    assert page.last[1].saliency is None and not page.input_view.overlay.isVisible()


def test_why_not_another_digit_shows_its_saliency(qtbot, page) -> None:
    draw_and_wait(qtbot, page, SEVEN)
    page.digits.button(1).click()
    seen = page.last[1]
    assert page.saliency_box.isChecked() and seen.saliency_for == 1
    assert "Why not 1?" in page.saliency_note.text()
    assert page.digits.button(1).isChecked()
    page.digits.button(7).click()  # the answer itself: back to why it is a 7
    assert page.last[1].saliency_for == 7 and "made it read 7" in page.saliency_note.text()


def test_a_hidden_page_does_no_work_and_catches_up_when_shown(qtbot, page) -> None:
    page.hide()
    with qtbot.assertNotEmitted(page.inspected, wait=100):
        page.pad.replay([])
        draw(page.pad, SEVEN)
    assert page.last is None
    with qtbot.waitSignal(page.inspected):
        page.show()
    assert page.last[0].digit == 7


def test_a_chosen_image_is_shown_until_the_user_draws(qtbot, page) -> None:
    image = np.zeros((28, 28), np.float32)
    image[4:24, 13:15] = 1.0
    page.show_image(image, "Test image 5: a 1")
    assert page.last[0].digit == 1 and "Test image 5" in page.answer.text()
    np.testing.assert_array_equal(page.input_view.picture.image, image)
    draw_and_wait(qtbot, page, SEVEN)
    assert page.last[0].digit == 7 and "Test image" not in page.answer.text()


def test_the_drawing_moves_between_the_draw_and_inside_tabs(qtbot, window) -> None:
    draw(window.draw_tab.canvas, SEVEN)
    with qtbot.waitSignal(window.inside_page.inspected):
        window.tabs.setCurrentWidget(window.inside_page)
    qtbot.waitUntil(lambda: window.inside_page.last is not None
                    and window.inside_page.last[0].digit == 7)
    window.inside_page.pad.clear()
    draw(window.inside_page.pad, ONE)
    window.tabs.setCurrentWidget(window.trainer_page)
    window.tabs.setCurrentWidget(window.draw_tab)
    assert window.draw_tab.canvas.strokes() == window.inside_page.pad.strokes()
    qtbot.waitUntil(lambda: window.draw_tab.shown_digit() == 1)


def test_mistakes_matrix_gallery_and_a_click_opens_the_image_inside(
        qtbot, window, tmp_path, monkeypatch) -> None:
    from conftest import write_idx_folder

    write_idx_folder(tmp_path / "mnist", n_train=10, n_test=40)
    monkeypatch.setenv("DIGITPAD_MNIST", str(tmp_path / "mnist"))
    page = window.mistakes_page
    window.tabs.setCurrentWidget(page)
    with qtbot.waitSignal(page.evaluated, timeout=20000):
        page.run_button.click()
    result = page.result
    assert result is not None and result.total == 40 and "misread" in page.status.text()
    counts = [[int(page.matrix.item(t, r).text() or 0) for r in range(10)] for t in range(10)]
    assert counts == result.confusion.tolist()
    true, read = max(((m.true, m.read) for m in result.mistakes),
                     key=lambda cell: len(result.mistakes_in(*cell)))
    cell = page.matrix.visualItemRect(page.matrix.item(true, read)).center()
    QTest.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, cell)
    assert page.gallery.count() == len(result.mistakes_in(true, read)) > 0
    first = page.gallery.item(0)
    assert f"{true} → {read}" in first.text()
    page.gallery.itemClicked.emit(first)
    inside = window.inside_page
    assert window.tabs.currentWidget() is inside
    qtbot.waitUntil(lambda: inside.last is not None)
    assert f"a {true}, read as {read}" in inside.answer.text()
    assert inside.last[1].activations  # its layers, looked at


def test_the_mistakes_tab_by_keyboard(qtbot, window, tmp_path, monkeypatch) -> None:
    from conftest import write_idx_folder

    write_idx_folder(tmp_path / "mnist", n_train=10, n_test=40)
    monkeypatch.setenv("DIGITPAD_MNIST", str(tmp_path / "mnist"))
    page = window.mistakes_page
    window.tabs.setCurrentWidget(page)
    # Alt+A: no other key of the tab's window (the Edit menu has Alt+E)
    assert page.run_button.shortcut().toString() == "Alt+A"
    with qtbot.waitSignal(page.evaluated, timeout=20000):
        page.run_button.animateClick()
    result = page.result
    true, read = result.mistakes[0].true, result.mistakes[0].read
    page.matrix.setFocus()
    page.matrix.setCurrentCell(true, max(read - 1, 0) if read else 1)
    QTest.keyClick(page.matrix, Qt.Key.Key_Right if read else Qt.Key.Key_Left)
    assert (page.matrix.currentRow(), page.matrix.currentColumn()) == (true, read)
    assert page.gallery.count() == len(result.mistakes_in(true, read))  # followed the keys
    page.gallery.setFocus()
    page.gallery.setCurrentRow(0)
    QTest.keyClick(page.gallery, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.inside_page
    qtbot.waitUntil(lambda: window.inside_page.last is not None)
    assert f"a {true}, read as {read}" in window.inside_page.answer.text()


def test_the_window_s_layer_sentences_are_the_core_s() -> None:
    from digitpad.inside import network
    from digitpad.ui.inside import layer_list

    assert layer_list.SENTENCES == network.SENTENCES


def test_mistakes_on_my_own_samples(qtbot, window) -> None:
    from digitpad.drawing.strokes import Stroke
    from digitpad.store.samples import SampleStore
    from digitpad.ui.inside.mistakes_page import MY_SAMPLES

    seven = [Stroke(list(SEVEN), 20.0)]
    with SampleStore() as store:
        store.add(7, seven, (400.0, 400.0))  # read right
        store.add(1, seven, (400.0, 400.0))  # a 7 taught as a 1: read "wrong"
    page = window.mistakes_page
    page.source.setCurrentIndex(page.source.findData(MY_SAMPLES))
    with qtbot.waitSignal(page.evaluated, timeout=20000):
        page.run_button.click()
    assert page.result.total == 2 and page.result.confusion[7, 7] == 1
    page.show_cell(7, 1)  # an empty cell says so, rather than "0 images … click one"
    assert page.gallery.count() == 0
    assert page.gallery_title.text() == "No 7 was read as 1."
    page.show_cell(1, 7)
    assert page.gallery.count() == 1
    page.gallery.itemClicked.emit(page.gallery.item(0))
    qtbot.waitUntil(lambda: window.inside_page.last is not None)
    assert "Sample 1: a 1, read as 7" in window.inside_page.answer.text()


def test_the_mistakes_tab_reads_the_mnist_chosen_in_the_trainer_tab(
        qtbot, window, tmp_path, monkeypatch) -> None:
    from conftest import write_idx_folder

    from digitpad.training.mnist_places import find_mnist

    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    assert find_mnist() is None  # none in the usual places: only the Trainer's choice
    page = window.mistakes_page
    window.tabs.setCurrentWidget(page)
    with qtbot.waitSignal(page.evaluated, timeout=20000):
        page.run_button.click()
    # Where to get it, in the window's words: a user of the window has no --data.
    assert "Trainer tab's Data box" in page.status.text() and "--data" not in page.status.text()
    assert page.result is None and page.run_button.isEnabled()
    folder = write_idx_folder(tmp_path / "my mnist", n_train=10, n_test=30)
    window.trainer_page.build().data.set_path(folder)
    with qtbot.waitSignal(page.evaluated, timeout=20000):
        page.run_button.click()
    assert page.result is not None and page.result.total == 30


def test_the_mnist_chosen_in_the_data_box_is_there_in_the_next_session(
        qtbot, window, recognizer, tmp_path, monkeypatch) -> None:
    from conftest import write_idx_folder
    from PySide6.QtWidgets import QFileDialog

    from digitpad.ui.shell.main_window import MainWindow

    folder = write_idx_folder(tmp_path / "my mnist", n_train=10, n_test=30)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))
    data = window.trainer_page.build().data
    assert data.path() is None  # nothing in the usual places
    qtbot.mouseClick(data.folder_button, Qt.MouseButton.LeftButton)
    assert data.path() == folder
    window.close()

    later = MainWindow()  # the next session, with the same settings
    qtbot.addWidget(later)
    later.use_recognizer(recognizer)
    assert later.trainer_page.tab is None  # the Mistakes tab finds it before it is built
    with qtbot.waitSignal(later.mistakes_page.evaluated, timeout=20000):
        later.mistakes_page.run_button.click()
    assert later.mistakes_page.result.total == 30
    assert later.trainer_page.build().data.path() == folder
    # A remembered place that is gone: the usual search stands, nothing breaks.
    (folder / "train-images-idx3-ubyte.gz").unlink()
    again = MainWindow()
    qtbot.addWidget(again)
    again.use_recognizer(recognizer)
    assert again.trainer_page.build().data.path() is None
