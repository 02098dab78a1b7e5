"""简体中文: every string translated, the .qm built from the .ts, no English left on
screen in zh_CN, and the Language menu switching at once (digitpad/ui/i18n)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QTabWidget,
    QWidget,
)
from ui_drawing import ONE, draw

from digitpad.ui.i18n import install_language

pytest_plugins = ["ui_fixtures"]

REPO = Path(__file__).resolve().parents[2]
I18N = REPO / "digitpad" / "ui" / "i18n"
TS = I18N / "digitpad_zh_CN.ts"
QM = I18N / "digitpad_zh_CN.qm"
BIN = Path(sys.executable).parent

# What may stay in Latin letters in a Chinese window: names, file types, keys, units.
NAMES = {
    "mnist", "pendigits", "digitpad", "pytorch", "examples", "keras", "numpy", "idx", "npz",
    "json", "gz",
    "safetensors", "x_train", "y_train", "ubyte", "mb", "kb", "ctrl", "shift", "alt", "esc",
    "del", "delete", "enter", "return", "backspace", "digitnet", "quicknet", "seed", "wide",
    "sgd", "nesterov", "adam", "adamw", "rmsprop", "english", "images", "idx1", "idx3", "png",
}


def english_words(text: str) -> list[str]:
    """The words of `text` that are English (names, keys and units left out)."""
    text = re.sub(r"<[^>]+>", " ", text)  # rich text: the tags are no words
    text = re.sub(r"\(&\w\)|&(?=\w)", "", text)  # mnemonics: 文件(&F)
    text = re.sub(r"\S+\.(png|json|npz|gz|safetensors)\b", " ", text)  # file names
    words = re.findall(r"[A-Za-z][A-Za-z_]+", text)
    return [word for word in words if word.lower() not in NAMES]


def test_english_words_are_found_and_names_are_not():
    assert english_words("Start a run") == ["Start", "run"]
    assert english_words("训练(&T)") == []
    assert english_words("<b>MNIST</b> 位于 ~/data/mnist.npz (Ctrl+Z)") == []
    assert english_words("模型：digitnet（内置结构）") == []
    assert english_words("Loss 损失") == ["Loss"]


def _tool(name: str) -> str:
    tool = BIN / name
    if not tool.exists():
        pytest.skip(f"{name} not found beside {sys.executable} (it comes with PySide6)")
    return str(tool)


def test_every_string_of_the_window_has_its_chinese(tmp_path):
    """lupdate over digitpad/ui finds no text that the .ts lacks or leaves untranslated."""
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)
    sources = sorted(str(p) for p in (REPO / "digitpad" / "ui").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-locations", "none", "-no-obsolete",
                    "-ts", str(ts)], check=True, capture_output=True)
    untranslated = [
        f"{context.findtext('name')}: {message.findtext('source')!r}"
        for context in ET.parse(ts).getroot()
        for message in context.findall("message")
        if message.find("translation").get("type") == "unfinished"
        or not (message.findtext("translation") or "").strip()]
    assert not untranslated, ("texts without Chinese (digitpad/ui/i18n/README.md says how to "
                              "add it):\n" + "\n".join(untranslated))


def test_placeholders_survive_translation():
    for context in ET.parse(TS).getroot():
        for message in context.findall("message"):
            source, chinese = message.findtext("source"), message.findtext("translation") or ""
            if not chinese:
                continue  # untranslated: the test above says so
            assert sorted(re.findall(r"\{\w+\}", source)) == \
                sorted(re.findall(r"\{\w+\}", chinese)), source


def test_the_compiled_translations_are_those_of_the_ts(tmp_path):
    built = tmp_path / QM.name
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(built)],
                   check=True)
    assert built.read_bytes() == QM.read_bytes(), "run `make translations` and commit the .qm"


@pytest.fixture
def chinese(qapp):
    install_language("zh_CN")
    yield
    install_language("en")


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text a person sees, or a screen reader says, in `root`."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        where = type(widget).__name__
        texts = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(),
                 widget.windowTitle() if widget.isWindow() else ""]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                texts += [widget.tabText(i), widget.tabToolTip(i)]
        if isinstance(widget, QProgressBar):
            texts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.placeholderText())  # the log itself is the tutorial's output
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                texts += [widget.item(i).text(), widget.item(i).toolTip()]
        if isinstance(widget, QMenu):
            texts.append(widget.title())
        found += [(where, text) for text in texts if text]
    for action in root.findChildren(QAction):
        if action.associatedObjects():  # in a menu or on a button: a person sees it
            found += [("QAction", text) for text in (action.text(), action.toolTip(),
                                                     action.statusTip()) if text]
    return found


def assert_no_english(root: QWidget) -> None:
    left = sorted({f"{where}: {text!r}" for where, text in visible_texts(root)
                   if english_words(text)})
    assert not left, "English in the Chinese window:\n" + "\n".join(left)


def visit_every_tab(window, qtbot, check=lambda window: None) -> None:
    """Show each tab in turn (which builds it) and `check` the window with it in front."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda i=index: window.tabs.widget(i).isVisible())
        QApplication.processEvents()
        check(window)


def test_the_chinese_window_shows_no_english(chinese, window, qtbot, tmp_path):
    draw(window.draw_tab.canvas, ONE)
    qtbot.waitUntil(lambda: window.draw_tab.panel.prediction is not None)
    visit_every_tab(window, qtbot, assert_no_english)
    window.model_status.show_model("digitnet")  # the status bar, as after loading
    assert_no_english(window)


def test_the_chinese_my_samples_dialog_shows_no_english(chinese, window, qtbot):
    from digitpad.ui.draw.my_samples import MySamplesDialog

    draw(window.draw_tab.canvas, ONE)
    qtbot.waitUntil(lambda: window.draw_tab.panel.prediction is not None)
    assert window.draw_tab.teach.teach(1)
    dialog = MySamplesDialog(window.draw_tab.teach.store(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert_no_english(dialog)


def test_the_language_menu_switches_at_once_and_is_remembered(window, qtbot):
    from digitpad.ui.shell.settings import saved_language

    draw(window.draw_tab.canvas, ONE)
    qtbot.waitUntil(lambda: window.draw_tab.panel.prediction is not None)
    assert window.tabs.tabText(0) == "&Draw"
    visit_every_tab(window, qtbot)  # every tab built, in English, before the switch
    window.tabs.setCurrentIndex(0)
    try:
        window.view_menus.language_actions["zh_CN"].trigger()
        qtbot.waitUntil(lambda: window.tabs.tabText(0) == "绘图(&D)")  # Qt posts the change
        assert window.draw_tab.panel.verdict.text().startswith("把握")  # the reading too
        assert saved_language() == "zh_CN"
        # Every tab follows at once, not only the one in front (the Inside and Mistakes
        # tabs and the Trainer's filter pictures once stayed English until a restart).
        visit_every_tab(window, qtbot, assert_no_english)
    finally:
        window.view_menus.language_actions["en"].trigger()
        qtbot.waitUntil(lambda: window.tabs.tabText(0) == "&Draw")
    assert window.draw_tab.panel.verdict.text().endswith("sure")
    assert saved_language() == "en"


def test_the_filter_pictures_and_their_caption_do_not_overlap_in_chinese(chinese, window, qtbot):
    # The CJK title line is taller: at the window's first size the Trainer's column of
    # pictures had 258 pixels for the 300 its parts needed, and the caption under the
    # filters was drawn over them.
    window.resize(1040, 720)
    window.tabs.setCurrentWidget(window.trainer_page)
    qtbot.waitUntil(lambda: window.trainer_page.tab is not None
                    and window.trainer_page.tab.isVisible())
    QApplication.processEvents()
    view = window.trainer_page.tab.learning
    assert view.minimumSizeHint().height() <= view.height() + 4
    assert view.kernels.geometry().bottom() < view.probe.geometry().top()
    assert view.maps.geometry().bottom() < view.when.geometry().top()
    assert view.when.geometry().bottom() < view.norms_title.geometry().top()
