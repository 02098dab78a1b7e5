"""DigitPad's main window: one tab per job (Draw, Trainer, Inside, Mistakes), a
status bar naming the model in use, and a size and place that are remembered
between runs. The program shows the Draw tab first and builds the others once
the model is ready (`add_other_tabs`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from digitpad import __version__
from digitpad.errors import one_line
from digitpad.ui.draw.canvas import Canvas
from digitpad.ui.draw.draw_tab import DrawTab
from digitpad.ui.draw.save_drawing import SaveDrawing
from digitpad.ui.i18n import Translatable, without_mnemonic
from digitpad.ui.i18n.core_words import model_description
from digitpad.ui.shell.icon import app_icon
from digitpad.ui.shell.model_status import ModelStatus
from digitpad.ui.shell.settings import MNIST_KEY, open_settings, remember, saved_mnist
from digitpad.ui.shell.shortcuts_dialog import HELP_KEY, ShortcutsDialog
from digitpad.ui.shell.view_menus import ViewMenus

if TYPE_CHECKING:
    from digitpad.reading import BaseRecognizer

GEOMETRY_KEY = "window/geometry"
DEFAULT_SIZE = (1040, 720)
MINIMUM_SIZE = (780, 560)
LATER_TABS = 3  # Trainer, Inside, Mistakes


class MainWindow(Translatable, QMainWindow):
    shown_on_screen = Signal()  # once: the window has been painted on screen for the first time
    other_tabs_added = Signal()  # once: the Trainer, Inside and Mistakes tabs are built

    def __init__(self, parent: QWidget | None = None, *, other_tabs_later: bool = False) -> None:
        """`other_tabs_later`: build only the Draw tab now, with placeholders for the
        others until `add_other_tabs()` (the program calls it once the model is ready:
        their plots need pyqtgraph, a third of the start-up's imports, and building
        them while torch loads would slow both)."""
        super().__init__(parent)
        self.setWindowTitle("DigitPad")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(*MINIMUM_SIZE)
        self._exposed = False
        self._recognizer: BaseRecognizer | None = None
        self._model_problem: Exception | None = None
        self.has_all_tabs = False

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.draw_tab = DrawTab()
        self.add_tab(self.draw_tab)
        self._drawing_pad = self.draw_tab.canvas
        self.tabs.currentChanged.connect(self._hand_over_drawing)
        if other_tabs_later:  # the tab bar as it will be, from the start
            for _ in range(LATER_TABS):
                placeholder = QLabel()
                placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.add_tab(placeholder)

        self.model_status = ModelStatus()
        self.statusBar().addWidget(self.model_status, 1)
        self.statusBar().setSizeGripEnabled(True)
        self._build_menus()
        if other_tabs_later:
            self.retranslate()
        else:
            self.add_other_tabs()  # which gives every text its language too
        self._restore_geometry()

    def add_other_tabs(self) -> None:
        """The Trainer, Inside and Mistakes tabs (once), given the model in use; they
        take the places of their placeholders."""
        if self.has_all_tabs:
            return
        from digitpad.ui.inside.inside_page import InsidePage
        from digitpad.ui.inside.mistakes_page import MistakesPage
        from digitpad.ui.train.trainer_page import TrainerPage

        self.trainer_page = TrainerPage(
            saved_mnist=saved_mnist, remember_mnist=lambda path: remember(MNIST_KEY, path))
        # Use this model / Revert: the Draw tab and the status bar follow at once.
        self.trainer_page.model_in_use_changed.connect(self.use_recognizer)
        # The Inside tab has a pad of its own; the drawing moves with the user
        # between it and the Draw tab.
        self.inside_page = InsidePage(Canvas())
        # The Mistakes tab reads the MNIST the user chose in the Trainer tab.
        self.mistakes_page = MistakesPage(mnist_place=self.trainer_page.mnist_place)
        self.mistakes_page.open_in_inside.connect(self.look_inside)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # the same tab stays current: nothing to hand over
        for index, page in enumerate((self.trainer_page, self.inside_page, self.mistakes_page),
                                     start=1):
            if index < self.tabs.count():
                placeholder = self.tabs.widget(index)
                self.tabs.removeTab(index)
                placeholder.deleteLater()
            self.tabs.insertTab(index, page, "")
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        self.has_all_tabs = True
        self.view_menus.add_tab_actions()
        self.retranslate()
        if self._recognizer is not None:
            self._pages_use(self._recognizer)
        elif self._model_problem is not None:
            self._pages_use(None)
        self._hand_over_drawing(current)  # the user may be on the Inside tab already
        self.other_tabs_added.emit()

    def add_tab(self, page: QWidget, title: str = "", tip: str = "") -> int:
        """Add a page to the tab bar; returns its index. Its title and tooltip are set
        (and set again when the language changes) by `retranslate`."""
        index = self.tabs.addTab(page, title)
        self.tabs.setTabToolTip(index, tip)
        return index

    def retranslate(self) -> None:
        """Every text of the window in the current language (Qt calls it again when
        the language changes)."""
        titles = [(self.tr("&Draw"), self.tr("Draw a digit and watch the network read it")),
                  (self.tr("&Trainer"), self.tr("Train or fine-tune the network")),
                  (self.tr("&Inside"), self.tr("See what every layer of the network does "
                                               "with your drawing")),
                  (self.tr("&Mistakes"), self.tr("See which test images the model misreads"))]
        for index, (title, tip) in enumerate(titles[:self.tabs.count()]):
            page = self.tabs.widget(index)
            self.tabs.setTabText(index, title)
            self.tabs.setTabToolTip(index, tip)
            page.setAccessibleName(without_mnemonic(title))
            page.setAccessibleDescription(tip)
            if isinstance(page, QLabel):  # a placeholder
                page.setText(self.tr("Loading…"))
        self.tabs.tabBar().setAccessibleDescription(
            self.tr("Ctrl+1 to Ctrl+{count} show the tabs").format(count=self.tabs.count()))
        self.file_menu.setTitle(self.tr("&File"))
        self.save_drawing.retranslate()
        self.quit_action.setText(self.tr("&Quit"))
        self.quit_action.setStatusTip(self.tr("Close DigitPad"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About DigitPad"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        self.view_menus.retranslate()

    # ---- the model ----------------------------------------------------------------

    def use_recognizer(self, recognizer: BaseRecognizer) -> None:
        """Read drawings with `recognizer` and say so in the status bar. A NumpyRecognizer
        (the model read without torch) serves the Draw tab alone: the other tabs need
        torch, and get the Recognizer that follows it."""
        from digitpad.reading import preprocess_version_warning

        self._recognizer, self._model_problem = recognizer, None
        self.draw_tab.set_recognizer(recognizer)
        if self.has_all_tabs:
            self._pages_use(recognizer)
        self.model_status.show_model(lambda: model_description(recognizer),
                                     preprocess_version_warning(recognizer.checkpoint))

    def show_model_note(self, message: str) -> None:
        """Something to know about the model in use (the remembered one could not be loaded)."""
        self.statusBar().showMessage(message, 20_000)

    def show_model_failure(self, error: Exception) -> None:
        """No model could be loaded: drawing still works, the reading says why it is missing."""
        message = one_line(error)  # whatever went wrong: a line, never a traceback
        self._recognizer, self._model_problem = None, error
        self.draw_tab.set_model_problem(message)
        if self.has_all_tabs:
            self._pages_use(None)  # training a new model still works
        self.model_status.show_problem(message)

    def _pages_use(self, recognizer: BaseRecognizer | None) -> None:
        from digitpad.numpy_recognizer import NumpyRecognizer

        if isinstance(recognizer, NumpyRecognizer):
            return  # these tabs need torch: the Recognizer follows
        self.trainer_page.set_recognizer(recognizer)
        self.inside_page.set_recognizer(recognizer)
        self.mistakes_page.set_recognizer(recognizer)

    def look_inside(self, image, caption: str) -> None:
        """Open a 28×28 image (a misread test image) in the Inside tab."""
        self.tabs.setCurrentWidget(self.inside_page)  # first: the pads hand over the drawing
        self.inside_page.show_image(image, caption)

    def _hand_over_drawing(self, index: int) -> None:
        """The pad now showing takes over the drawing from the one shown last."""
        page = self.tabs.widget(index)
        pads = {self.draw_tab: self.draw_tab.canvas}
        if self.has_all_tabs:
            pads[self.inside_page] = self.inside_page.pad
        pad = pads.get(page)
        if pad is None or pad is self._drawing_pad:
            return
        strokes = self._drawing_pad.strokes()
        if pad.strokes() != strokes:
            pad.set_strokes(strokes)
        self._drawing_pad = pad

    # ---- menus --------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.quit_action = quit_action = QAction(self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        if quit_action.shortcut().isEmpty():  # not every platform defines one
            quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        self.file_menu = self.menuBar().addMenu("")
        self.save_drawing = SaveDrawing(self.draw_tab.canvas, self)
        self.save_drawing.saved.connect(self._say_saved)
        self.draw_tab.number_action.toggled.connect(self.save_drawing.set_number_mode)
        self.file_menu.addActions(self.save_drawing.actions)
        self.file_menu.addSeparator()
        self.file_menu.addAction(quit_action)

        self.edit_menu = edit = self.menuBar().addMenu("")
        tools = self.draw_tab.tools
        edit.addActions([tools.undo_action, tools.redo_action])
        edit.addSeparator()
        edit.addActions([tools.pen_action, tools.eraser_action, tools.thinner_action,
                         tools.thicker_action])
        edit.addSeparator()
        edit.addAction(self.draw_tab.number_action)
        edit.addSeparator()
        edit.addAction(tools.clear_action)
        # (The Draw tab switches these off while another tab is showing.)

        self.view_menus = ViewMenus(self, self.tabs)
        self._shortcuts_dialog: ShortcutsDialog | None = None
        self.shortcuts_action = shortcuts = QAction(self)
        shortcuts.setShortcut(QKeySequence(HELP_KEY))
        if shortcuts.shortcut().isEmpty():  # not every platform defines one
            shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        self.about_action = about = QAction(self)
        about.triggered.connect(self._show_about)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addActions([shortcuts, about])

    def _say_saved(self, path: str) -> None:
        self.statusBar().showMessage(self.tr("Saved {file}").format(file=path), 10_000)

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help ▸ Keyboard shortcuts: every key, read from the menus; one window, brought
        to the front if it is open already."""
        dialog = self._shortcuts_dialog
        if dialog is None or not dialog.isVisible():
            dialog = ShortcutsDialog([self.file_menu, self.edit_menu, self.view_menus.view_menu,
                                      self.help_menu], self.draw_tab, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._forget_shortcuts_dialog)
            self._shortcuts_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _forget_shortcuts_dialog(self) -> None:
        self._shortcuts_dialog = None

    def _show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About DigitPad"),
            f"<h3>DigitPad {__version__}</h3>"
            + self.tr("<p>Draw a digit and watch a neural network read it.</p>"
                      "<p>Your drawing is cropped, scaled and centred the way the MNIST digits "
                      "were, then read by a small convolutional network. The panel on the right "
                      "shows what it saw and how sure it is.</p>")
            + f"<p>{self.model_status.text()}</p>")

    # ---- geometry -----------------------------------------------------------------

    def _restore_geometry(self) -> None:
        saved = open_settings().value(GEOMETRY_KEY)
        if not (isinstance(saved, QByteArray) and self.restoreGeometry(saved)):
            self.resize(*DEFAULT_SIZE)

    def save_geometry(self) -> None:
        settings = open_settings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.has_all_tabs:
            if not self.trainer_page.confirm_close():  # asks if training; stops it cleanly
                event.ignore()
                return
            self.mistakes_page.stop()
        self.save_geometry()
        super().closeEvent(event)

    # ---- knowing when the window is really on screen ------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if not self._exposed and handle is not None:
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handle = self.windowHandle()
        if watched is handle and event.type() == QEvent.Type.Expose and handle.isExposed() \
                and not self._exposed:
            self._exposed = True
            handle.removeEventFilter(self)
            # Qt paints and flushes the window while handling this expose event;
            # a 0 ms timer runs once that is done.
            QTimer.singleShot(0, self.shown_on_screen.emit)
        return super().eventFilter(watched, event)
