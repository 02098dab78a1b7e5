"""Help ▸ Keyboard shortcuts: every key DigitPad answers to, in one window.

The menus' keys are read from the menus themselves, so the list cannot drift
from what the program does; the keys that belong to a tab's controls rather
than to a menu (teaching, the Trainer's run buttons, the Inside tab's maps)
come from the constants those controls use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digitpad.ui.i18n import without_mnemonic
from digitpad.ui.train.keys import PAUSE_KEY, STOP_KEY, TRAIN_KEY

if TYPE_CHECKING:
    from digitpad.ui.draw.draw_tab import DrawTab

HELP_KEY = QKeySequence.StandardKey.HelpContents  # F1 on Linux and Windows


def native(key: QKeySequence | str) -> str:
    """A key as this platform writes it ("Ctrl+Shift+Z", "⌘⇧Z" on a Mac)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class ShortcutsDialog(QDialog):
    def __init__(self, menus: list[QMenu], draw_tab: DrawTab,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._menus, self._draw_tab = menus, draw_tab
        self.table = QTreeWidget()
        self.table.setColumnCount(2)
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 620)
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # After the menus have taken their new names (they hear of it too).
            QTimer.singleShot(0, self._fill)
        super().changeEvent(event)

    def _fill(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table.setHeaderLabels([self.tr("Key"), self.tr("What it does")])
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.clear()
        for section, rows in self._sections(self._menus, self._draw_tab):
            heading = QTreeWidgetItem([section])
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            heading.setFirstColumnSpanned(True)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.addTopLevelItem(heading)
            for key, what in rows:
                self.table.addTopLevelItem(QTreeWidgetItem([key, what]))

    def rows(self) -> list[tuple[str, str]]:
        """(key, what it does) of every row shown, headings left out (for tests)."""
        found = []
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if not item.isFirstColumnSpanned():
                found.append((item.text(0), item.text(1)))
        return found

    def _sections(self, menus: list[QMenu], draw_tab: DrawTab,
                  ) -> list[tuple[str, list[tuple[str, str]]]]:
        sections = []
        for menu in menus:
            rows = [(native(action.shortcut()), without_mnemonic(action.text()))
                    for action in menu.actions()
                    if not action.isSeparator() and not action.shortcut().isEmpty()]
            if rows:
                sections.append((self.tr("{menu} menu").format(
                    menu=without_mnemonic(menu.title())), rows))
        sections.append((self.tr("Draw tab"), [
            (native("Return"), self.tr("Teach: yes, it is the digit shown")),
            ("0 – 9", self.tr("Teach: it is this digit")),
            (native(draw_tab.number_panel.copy_key.key()),
             self.tr("Copy the number read (number mode)")),
        ]))
        sections.append((self.tr("Trainer tab"), [
            (native(TRAIN_KEY), self.tr("Train")),
            (native(PAUSE_KEY), self.tr("Pause, or go on")),
            (native(STOP_KEY), self.tr("Stop (the epochs finished are kept)")),
        ]))
        sections.append((self.tr("Inside tab"), [
            (self.tr("Arrow keys, Home, End"), self.tr("Choose the map shown enlarged")),
        ]))
        sections.append((self.tr("Everywhere"), [
            (self.tr("Tab, Shift+Tab"), self.tr("Go to the next or the previous control")),
            (self.tr("Alt + underlined letter"), self.tr("Go to that control or menu")),
        ]))
        return sections
