"""Start-up timestamps for bench/startup.py (and the test that torch and pyqtgraph
load after the window is on screen).

With DIGITPAD_STARTUP_REPORT=1 set, `digitpad` prints one line per milestone:

    digitpad-startup window-shown <unix time> torch=no pyqtgraph=no
    digitpad-startup model-ready <unix time> torch=no pyqtgraph=no
    digitpad-startup first-prediction <unix time> torch=no pyqtgraph=no
    digitpad-startup model-loaded <unix time> torch=yes pyqtgraph=no
    digitpad-startup all-tabs <unix time> torch=yes pyqtgraph=yes

model-ready: drawings can be read (with NumPy, the NumpyRecognizer, when the
model allows it); model-loaded: the model is read with torch; all-tabs: the
Trainer, Inside and Mistakes tabs are built. With DIGITPAD_STARTUP_REPORT=quit
it also draws a stroke once the model is ready, reports the first prediction,
and closes the window once every tab is there. `torch=` and `pyqtgraph=` say
whether they had been imported at that moment: yes, no, or loading (its import
has begun in the background, so nothing used it yet).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer

from digitpad.drawing.strokes import Stroke
from digitpad.errors import one_line
from digitpad.ui.shell.main_window import MainWindow
from digitpad.ui.shell.model_loader import ModelLoader

ENVIRONMENT = "DIGITPAD_STARTUP_REPORT"
PREFIX = "digitpad-startup"


def report_startup(window: MainWindow, loader: ModelLoader) -> None:
    """Connect the reports; call it before the loader is connected to start on show."""
    mode = os.environ.get(ENVIRONMENT, "")
    if not mode:
        return
    window.shown_on_screen.connect(lambda: _say("window-shown"))
    loader.ready.connect(lambda _: _say("model-ready"))
    loader.loaded.connect(lambda _: _say("model-loaded"))
    window.other_tabs_added.connect(lambda: _say("all-tabs"))
    loader.failed.connect(lambda error: _say("model-failed", one_line(error)))
    if mode != "quit":
        return
    canvas = window.draw_tab.canvas
    waiting = {"first-prediction", "all-tabs"}

    def done(milestone: str) -> None:
        waiting.discard(milestone)
        if not waiting:
            QTimer.singleShot(0, window.close)

    def predict_once(_recognizer: object) -> None:
        def reported() -> None:
            window.draw_tab.prediction_shown.disconnect(reported)
            _say("first-prediction")
            done("first-prediction")

        window.draw_tab.prediction_shown.connect(reported)
        side = canvas.canvas_size()[0]
        canvas.add_stroke(Stroke([(side / 2, side * 0.2), (side / 2, side * 0.8)]))

    loader.ready.connect(predict_once)
    window.other_tabs_added.connect(lambda: done("all-tabs"))
    loader.failed.connect(lambda _: QTimer.singleShot(0, window.close))


def _say(event: str, note: str = "") -> None:
    loaded = {name: _imported(name) for name in ("torch", "pyqtgraph")}
    print(f"{PREFIX} {event} {time.time():.6f} torch={loaded['torch']} "
          f"pyqtgraph={loaded['pyqtgraph']} {note}".rstrip(), flush=True)


def _imported(name: str) -> str:
    """"yes", "no", or "loading": its import has begun (in the background) but not ended."""
    module = sys.modules.get(name)
    if module is None:
        return "no"
    # importlib marks a module's spec while the module is being executed.
    return "loading" if getattr(module.__spec__, "_initializing", False) else "yes"
