"""Help ▸ Keyboard shortcuts lists every key the window answers to, read from
the menus as they are (so it cannot drift), and the keys of the tabs' controls."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from digitpad.ui.i18n import without_mnemonic
from digitpad.ui.shell.shortcuts_dialog import native

pytest_plugins = ["ui_fixtures"]


def test_f1_opens_a_list_of_every_key_and_escape_closes_it(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)
    assert window.shortcuts_action in window.help_menu.actions()
    assert window.shortcuts_action.shortcut() == QKeySequence("F1")
    dialog = window.show_shortcuts()
    qtbot.waitExposed(dialog)
    rows = dict(dialog.rows())
    menus = [window.file_menu, window.edit_menu, window.view_menus.view_menu, window.help_menu]
    expected = {native(a.shortcut()): without_mnemonic(a.text()) for m in menus
                for a in m.actions() if not a.shortcut().isEmpty()}
    assert len(expected) >= 15  # save, quit, undo … the tabs, high contrast, this list
    for key, name in expected.items():
        assert rows.get(key) == name
    # Keys that belong to controls, not menus, are there too.
    tab = window.trainer_page.build()
    for button in (tab.train_button, tab.pause_button, tab.stop_button):
        assert native(button.shortcut()) in rows
    assert native(window.draw_tab.number_panel.copy_key.key()) in rows
    assert window.show_shortcuts() is dialog  # F1 again: the same window, to the front
    with qtbot.waitSignal(dialog.finished):
        QApplication.sendEvent(dialog, _escape())
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # closed: deleted
    again = window.show_shortcuts()  # and F1 opens a new one
    assert again.isVisible() and again.rows()
    again.close()


def test_the_list_follows_the_language(qtbot, window) -> None:
    from digitpad.ui.i18n import install_language

    dialog = window.show_shortcuts()  # open while the language changes
    try:
        install_language("zh_CN")
        qtbot.waitUntil(lambda: dialog.windowTitle() == "键盘快捷键")
        assert any(what == "暂停或继续" for _, what in dialog.rows())
        assert dict(dialog.rows())[native("N")] == "多位数模式"
        # The same helper names the tabs for screen readers: "绘图", not "绘图(D)".
        assert window.draw_tab.accessibleName() == "绘图"
        dialog.close()
    finally:
        install_language("en")


def test_menu_texts_lose_their_mnemonics() -> None:
    assert without_mnemonic("&Undo") == "Undo"
    assert without_mnemonic("撤销(&U)") == "撤销"
    assert without_mnemonic("Save && quit") == "Save & quit"


def _escape() -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
