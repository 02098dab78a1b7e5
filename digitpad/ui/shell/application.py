"""Starting the graphical program: the application object, the window, the model.

The order matters for a quick start: the window is shown first with the Draw
tab alone (the other tabs hold placeholders); once it is on screen the model
starts loading, in the background: read with NumPy at once (the Draw tab reads
with it), then with torch; once torch has it the other tabs are built (their
plots need pyqtgraph). Building them while torch loads would slow both down:
they share one interpreter. Nothing imported here imports torch or pyqtgraph.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from digitpad import __version__
from digitpad.ui.i18n import install_language
from digitpad.ui.shell.icon import app_icon
from digitpad.ui.shell.main_window import MainWindow
from digitpad.ui.shell.model_loader import ModelLoader
from digitpad.ui.shell.settings import APPLICATION, ORGANISATION, saved_language
from digitpad.ui.shell.startup_report import report_startup
from digitpad.ui.shell.view_menus import high_contrast_wanted
from digitpad.ui.theme import apply_look

OTHER_TABS_AFTER_MS = 50


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("digitpad")  # lets Wayland desktops match the launcher entry
    app.setWindowIcon(app_icon())
    install_language(saved_language())  # the Language menu's choice, else the system's
    apply_look(app, high_contrast_wanted())
    return app


def run(argv: Sequence[str] | None = None) -> int:
    """Show the main window and run until it is closed; returns the exit status."""
    app = create_application(argv)
    window = MainWindow(other_tabs_later=True)
    loader = ModelLoader(parent=window)
    loader.ready.connect(window.use_recognizer)  # the Draw tab reads from here on

    def take_over(recognizer: object) -> None:  # the same model, read with torch
        if loader.early is not None:  # else `ready` brought this very recognizer
            window.use_recognizer(recognizer)

    loader.loaded.connect(take_over)
    loader.failed.connect(window.show_model_failure)
    loader.note.connect(window.show_model_note)
    report_startup(window, loader)  # before start-on-show, so "shown" is said first
    window.shown_on_screen.connect(loader.start)
    # A moment later: the Draw tab's first reading with the model (of anything drawn
    # meanwhile) comes first, within its 10 ms reading interval.
    for outcome in (loader.loaded, loader.failed):
        outcome.connect(lambda _: QTimer.singleShot(OTHER_TABS_AFTER_MS, window.add_other_tabs))
    app.aboutToQuit.connect(loader.stop)
    _quit_on_ctrl_c(app)
    window.show()
    return app.exec()


def _quit_on_ctrl_c(app: QApplication) -> None:
    # Python handles signals only when it runs; Qt's event loop is C++. A timer
    # lets Python run four times a second, so Ctrl+C in the terminal quits.
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
