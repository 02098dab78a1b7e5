"""The View and Language menus: which tab shows, high contrast, and the language.

Both choices apply at once and are remembered (shell/settings.py): the
language through Qt's translators (digitpad.ui.i18n), which make every open
widget set its texts again; the contrast through the application's palette.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QTabWidget

from digitpad.ui.i18n import LANGUAGES, SYSTEM, install_language, without_mnemonic
from digitpad.ui.shell.settings import (
    HIGH_CONTRAST_KEY,
    LANGUAGE_KEY,
    remember,
    saved_high_contrast,
    saved_language,
)
from digitpad.ui.theme import apply_look, system_wants_high_contrast


def high_contrast_wanted() -> bool:
    """The user's choice in the View menu, or else what the desktop asks for."""
    chosen = saved_high_contrast()
    return system_wants_high_contrast() if chosen is None else chosen


class ViewMenus(QObject):
    """Adds View and Language to `window`'s menu bar; `retranslate()` renames them."""

    def __init__(self, window: QMainWindow, tabs: QTabWidget) -> None:
        super().__init__(window)
        self._tabs = tabs
        self.view_menu = QMenu(window)
        self.tab_actions: list[QAction] = []
        self._tabs_end = self.view_menu.addSeparator()
        self.add_tab_actions()
        self.high_contrast = QAction(window, checkable=True)
        self.high_contrast.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.high_contrast.setChecked(high_contrast_wanted())
        self.high_contrast.toggled.connect(self.set_high_contrast)
        self.view_menu.addAction(self.high_contrast)

        self.language_menu = QMenu(window)
        group = QActionGroup(window)
        self.language_actions: dict[str, QAction] = {}
        chosen = saved_language()
        for code in (SYSTEM, *LANGUAGES):
            action = QAction(LANGUAGES.get(code, ""), window, checkable=True)
            action.setChecked(code == chosen)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        window.menuBar().addMenu(self.view_menu)
        window.menuBar().addMenu(self.language_menu)
        self.retranslate()

    def add_tab_actions(self) -> None:
        """Ctrl+N for each tab that has none yet (the window adds tabs after it shows)."""
        window = self.parent()
        for index in range(len(self.tab_actions), self._tabs.count()):
            action = QAction(window)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self._tabs.setCurrentIndex(i))
            self.view_menu.insertAction(self._tabs_end, action)
            self.tab_actions.append(action)

    def set_language(self, language: str) -> None:
        """Show DigitPad in `language` (SYSTEM: the system's) from now on."""
        remember(LANGUAGE_KEY, language)
        self.language_actions[language].setChecked(True)
        install_language(language)

    def set_high_contrast(self, on: bool) -> None:
        remember(HIGH_CONTRAST_KEY, on)
        apply_look(QApplication.instance(), on)

    def retranslate(self) -> None:
        self.view_menu.setTitle(self.tr("&View"))
        for index, action in enumerate(self.tab_actions):
            name = without_mnemonic(self._tabs.tabText(index))
            action.setText(self.tr("Show the {tab} tab").format(tab=name))
        self.high_contrast.setText(self.tr("&High contrast"))
        self.high_contrast.setStatusTip(self.tr("Black text on white; remembered"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.language_actions[SYSTEM].setText(self.tr("Follow the system"))
