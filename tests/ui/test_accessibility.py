"""Keyboard and screen readers: every control named and described as assistive
technology sees it, Tab going as the eye reads, the reading announced, every
command on a key, and the high-contrast look."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from ui_drawing import SEVEN, activate, draw

pytest_plugins = ["ui_fixtures"]


def focusable_controls(root: QWidget) -> list[QWidget]:
    """The visible, enabled widgets that Tab can reach."""
    return [widget for widget in root.findChildren(QWidget)
            if widget.isVisible() and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not widget.focusProxy()]


def spoken(widget: QWidget, what: QAccessible.Text) -> str:
    """What a screen reader reads for `widget` (Qt's accessibility interface)."""
    return QAccessible.queryAccessibleInterface(widget).text(what).strip()


def test_every_control_of_every_tab_has_a_name_for_screen_readers(window, qtbot):
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.waitUntil(window.tabs.widget(index).isVisible)
        QApplication.processEvents()
        nameless = [f"{type(w).__name__} in {type(w.parent()).__name__}"
                    for w in focusable_controls(window) if not spoken(w, QAccessible.Text.Name)]
        assert not nameless, f"tab {window.tabs.tabText(index)}: {nameless}"


def test_the_draw_tab_controls_say_what_they_do(window):
    """Name and description (a tooltip counts: screen readers read it) on every control."""
    quiet = [f"{type(w).__name__} {spoken(w, QAccessible.Text.Name)!r}"
             for w in focusable_controls(window.draw_tab)
             if not (spoken(w, QAccessible.Text.Description) or w.toolTip())]
    assert not quiet


def test_tab_goes_through_the_draw_tab_as_the_eye_reads(window, qtbot):
    activate(qtbot, window)
    teach = window.draw_tab.teach
    draw(window.draw_tab.canvas, SEVEN)  # the teaching buttons are on once something is drawn
    qtbot.waitUntil(lambda: teach.confirm_button.isEnabled())
    window.draw_tab.tools.width_slider.setFocus()
    order = []
    for _ in range(13):
        order.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    expected = [window.draw_tab.tools.width_slider, window.draw_tab.canvas,
                teach.confirm_button, *teach.digit_buttons]
    assert order == expected


def test_the_reading_is_announced_when_the_pen_lifts(window, qtbot):
    panel = window.draw_tab.panel
    draw(window.draw_tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: panel.digit.accessibleDescription().startswith("7, "))
    assert panel.digit.accessibleDescription().endswith("% sure")  # "7, 97.1 % sure"
    assert spoken(panel.digit, QAccessible.Text.Description) == panel.spoken


def test_the_commands_have_keys_and_their_tooltips_say_them(window, qtbot):
    tools = window.draw_tab.tools
    for action in (tools.pen_action, tools.eraser_action, tools.undo_action, tools.redo_action,
                   tools.clear_action):
        assert not action.shortcut().isEmpty()
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert key in action.toolTip()
    window.tabs.setCurrentWidget(window.trainer_page)
    tab = window.trainer_page.build()
    for button, key in ((tab.train_button, "Ctrl+Return"), (tab.pause_button, "Ctrl+P"),
                        (tab.stop_button, "Ctrl+.")):
        # setText resets a button's shortcut to its mnemonic: it must survive retranslation
        tab.retranslate()
        assert button.shortcut() == QKeySequence(key)
        assert QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) \
            in button.toolTip() or button is tab.stop_button and not button.isEnabled()
    labels = [window.view_menus.tab_actions[i].shortcut().toString() for i in range(2)]
    assert labels == ["Ctrl+1", "Ctrl+2"]


def test_high_contrast_is_black_on_white_and_remembered(window, qapp):
    from digitpad.ui.shell.settings import saved_high_contrast
    from digitpad.ui.theme import apply_look

    before = qapp.palette()
    try:
        window.view_menus.high_contrast.setChecked(True)
        palette = qapp.palette()
        assert palette.color(palette.ColorRole.WindowText).name() == "#000000"
        assert palette.color(palette.ColorRole.Window).name() == "#ffffff"
        assert saved_high_contrast() is True
        window.view_menus.high_contrast.setChecked(False)
        assert saved_high_contrast() is False
    finally:
        apply_look(qapp, False)
        qapp.setPalette(before)
