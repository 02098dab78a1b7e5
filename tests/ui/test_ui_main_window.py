"""The main window: title, icon, tabs, status bar, remembered geometry, model loading."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from ui_drawing import ONE, activate, draw

from digitpad.resources import embedded_model_path
from digitpad.ui.draw.prediction_panel import PanelState
from digitpad.ui.shell.main_window import MINIMUM_SIZE, MainWindow
from digitpad.ui.shell.model_loader import ModelLoader
from trainer.errors import CheckpointError

pytest_plugins = ["ui_fixtures"]


def test_the_window_names_itself_and_the_model_it_uses(window, recognizer) -> None:
    assert window.windowTitle() == "DigitPad"
    assert not window.windowIcon().isNull()
    assert window.tabs.tabText(0).replace("&", "") == "Draw"
    assert window.tabs.widget(0) is window.draw_tab and window.tabs.currentIndex() == 0
    assert (window.minimumWidth(), window.minimumHeight()) == MINIMUM_SIZE
    assert window.model_status.text() == f"Model: {recognizer.describe()}"
    assert "MNIST test" in window.model_status.text()  # its test accuracy


def test_the_window_is_announced_once_when_it_is_on_screen(qtbot, isolated_settings) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    announced = []
    window.shown_on_screen.connect(lambda: announced.append(True))
    with qtbot.waitSignal(window.shown_on_screen):
        window.show()
    window.hide()
    window.show()
    qtbot.waitExposed(window)
    assert announced == [True]


def test_the_window_reopens_where_and_as_large_as_it_was(qtbot, isolated_settings) -> None:
    # Qt fits restored windows onto the screen; the offscreen screen is 800×600.
    size, place = (791, 583), (5, 9)
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(*size)
    first.move(*place)
    qtbot.waitUntil(lambda: (first.width(), first.height(), first.x(), first.y())
                    == (*size, *place))
    first.close()
    assert (isolated_settings / "DigitPad" / "DigitPad.ini").is_file()

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == size
    # The offscreen platform fakes a title bar and counts it once more when it
    # places a restored window; on a real desktop the place is exact.
    assert second.x() == place[0] and place[1] <= second.y() <= place[1] + 30


def test_settings_go_to_the_test_folder_not_the_users(isolated_settings) -> None:
    from digitpad.ui.shell.settings import open_settings

    path = open_settings().fileName()
    assert path.startswith(str(isolated_settings))
    assert QSettings.Format.IniFormat == open_settings().format()


def test_another_tab_can_be_added_and_the_pads_keys_stop_there(qtbot, window) -> None:
    other = QLabel("another page")
    index = window.add_tab(other, "&Other", "a page of its own")
    assert window.tabs.widget(index) is other
    draw(window.draw_tab.canvas, ONE)
    activate(qtbot, window)
    window.tabs.setCurrentIndex(index)
    QTest.keyClick(other, Qt.Key.Key_Escape)
    QTest.keyClick(other, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.draw_tab.canvas.strokes()) == 1
    assert not window.draw_tab.tools.clear_action.isEnabled()
    window.tabs.setCurrentIndex(0)
    assert window.draw_tab.tools.clear_action.isEnabled()


def test_the_model_loads_in_the_background(qtbot, bare_window) -> None:
    loader = ModelLoader(parent=bare_window)
    loader.loaded.connect(bare_window.use_recognizer)
    loader.failed.connect(bare_window.show_model_failure)
    with qtbot.waitSignal(loader.loaded, timeout=60_000) as loaded:
        loader.start()
    loader.stop()
    assert loaded.args[0].is_embedded
    assert bare_window.draw_tab.recognizer() is loaded.args[0]
    assert bare_window.model_status.text().startswith("Model: built-in model")
    assert not loader.is_running()


def test_drawings_are_read_with_numpy_until_torch_has_the_model(qtbot, bare_window) -> None:
    from digitpad.numpy_recognizer import NumpyRecognizer
    from digitpad.recognizer import Recognizer

    loader = ModelLoader(parent=bare_window)
    loader.ready.connect(bare_window.use_recognizer)
    loader.loaded.connect(bare_window.use_recognizer)
    seen: list[object] = []
    loader.ready.connect(seen.append)
    loader.loaded.connect(seen.append)
    tab = bare_window.draw_tab
    draw(tab.canvas, ONE)
    with qtbot.waitSignals([loader.ready, loader.loaded], order="strict", timeout=60_000):
        loader.start()
    loader.stop()
    early, full = seen
    assert isinstance(early, NumpyRecognizer) and loader.early is early
    assert isinstance(full, Recognizer)
    assert early.describe() == full.describe()
    assert tab.recognizer() is full
    # The tabs that need torch were never given the NumPy reader.
    assert bare_window.inside_page._recognizer is full
    assert bare_window.mistakes_page._recognizer is full
    qtbot.waitUntil(lambda: not tab.reading_pending())
    assert tab.panel.prediction is not None and tab.panel.prediction.digit == 1


def test_the_first_drawing_is_read_before_torch_has_loaded(qtbot, bare_window) -> None:
    loader = ModelLoader(parent=bare_window)
    loader.ready.connect(bare_window.use_recognizer)
    tab = bare_window.draw_tab
    with qtbot.waitSignal(loader.ready, timeout=60_000):
        loader.start()
    draw(tab.canvas, ONE)  # read by the NumpyRecognizer (loaded is not connected)
    qtbot.waitUntil(lambda: not tab.reading_pending())
    assert tab.panel.prediction is not None and tab.panel.prediction.digit == 1
    assert bare_window.model_status.text().startswith("Model: built-in model")
    loader.stop()


def test_a_model_numpy_cannot_read_waits_for_torch(qtbot, bare_window, tmp_path) -> None:
    from trainer.checkpoint import save_checkpoint
    from trainer.models import build_model

    save_checkpoint(tmp_path / "seed.safetensors", build_model("seed"), "seed")
    loader = ModelLoader(tmp_path / "seed.safetensors", parent=bare_window)
    seen: list[object] = []
    loader.ready.connect(seen.append)
    loader.loaded.connect(seen.append)
    with qtbot.waitSignals([loader.ready, loader.loaded], order="strict", timeout=60_000):
        loader.start()
    loader.stop()
    ready, loaded = seen
    assert ready is loaded and loader.early is None
    assert loaded.checkpoint.arch == "seed"


def test_a_broken_model_file_gives_a_clear_message_and_drawing_still_works(
        qtbot, bare_window, tmp_path) -> None:
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(embedded_model_path().read_bytes()[:1000])  # cut short
    loader = ModelLoader(broken, parent=bare_window)
    loader.loaded.connect(bare_window.use_recognizer)
    loader.failed.connect(bare_window.show_model_failure)
    with qtbot.waitSignal(loader.failed, timeout=60_000) as failed:
        loader.start()
    loader.stop()
    error = failed.args[0]
    assert isinstance(error, CheckpointError)  # the exception, with its one-line message
    message = str(error)
    assert "broken.safetensors" in message and "Traceback" not in message
    assert "\n" not in message
    assert bare_window.model_status.text() == f"No model: {message}"
    tab = bare_window.draw_tab
    draw(tab.canvas, ONE)
    qtbot.waitUntil(lambda: not tab.reading_pending())
    assert tab.panel.state == PanelState.WAITING
    assert message in tab.panel.verdict.text()
    assert tab.panel.input_view.grey_levels().any()
