"""The Draw tab: the pad, its tools, and the live reading of what is drawn.

While the user draws, the drawing is read again at most about once per frame
(every READ_INTERVAL_MS): the canvas' `changed` signal only starts a
single-shot timer, so a burst of pen events costs one reading. When nothing was
read during the last interval the timer fires at once (0 ms), so the reading
follows the pen without delay.

Reading runs on the GUI thread on purpose: rendering, preprocessing and the
network's forward pass take a few milliseconds, a small part of a 16 ms frame.
A worker thread would add a thread hop and bookkeeping to drop stale results,
for no visible gain.

Number mode (N, or the Number button) widens the pad for writing a whole number:
the digits found are boxed on the pad with their confidence, and the number
shows under it as text to select or copy (`digitpad.number_reader`, the same
reader as `digitpad predict --number`). It is read when the pen lifts, not at
every point, since a number takes several readings' worth of work.
"""

from __future__ import annotations

import itertools
import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from digitpad.drawing.preprocess import preprocess, preprocess_in_one_thread
from digitpad.drawing.strokes import render_strokes
from digitpad.figures import percent
from digitpad.ui.accessibility import announce
from digitpad.ui.draw.canvas import DRAWING_SIDE, Canvas, Mark
from digitpad.ui.draw.drawing_tools import DrawingTools
from digitpad.ui.draw.number_panel import NumberPanel
from digitpad.ui.draw.prediction_panel import PredictionPanel
from digitpad.ui.draw.teach_bar import TeachBar

if TYPE_CHECKING:  # the recognizer imports torch, which loads in the background
    from digitpad.reading import BaseRecognizer

# Readings start at least this far apart: less than a 16 ms frame by what reading
# and painting take (2–4 ms) with room to spare, so that a pen event that just
# missed a reading is read and on screen within one frame even at the 125 events/s
# of a tablet (bench/live_latency.py: p99 13.3 ms with 10 ms, 15.1 ms with 12 ms).
READ_INTERVAL_MS = 10
# The pad in number mode, in drawing units: three digits' height wide for each one high.
NUMBER_PAD = (1200.0, 400.0)
DIGIT_PAD = (DRAWING_SIDE, DRAWING_SIDE)


class DrawTab(QWidget):
    prediction_shown = Signal()  # the panel now shows the reading of the current drawing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = Canvas()
        self.tools = DrawingTools(self.canvas)
        self.panel = PredictionPanel()
        self._recognizer: BaseRecognizer | None = None
        self._model_problem: str | None = None
        self._last_read = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.read_drawing)
        self.canvas.changed.connect(self._schedule_reading)
        # Lifting the pen is when a screen reader hears the reading: read once more then.
        self.canvas.history_changed.connect(self._schedule_reading)
        self._announced = ""
        # Teaching: store the drawing as the digit read (or the one the user names).
        self.teach = TeachBar(self.canvas, self.shown_digit, shown_verdict=self.shown_verdict)
        self.teach.samples_requested.connect(self.show_my_samples)
        self.prediction_shown.connect(self.teach.update_buttons)
        # Number mode: a wide pad, boxes around the digits, the number under the pad.
        self._number_mode = False
        self.number_panel = NumberPanel()
        self.number_panel.hide()
        self.number_action = QAction(self)
        self.number_action.setCheckable(True)
        self.number_action.setShortcut(QKeySequence("N"))
        self.number_action.toggled.connect(self.set_number_mode)
        # A number is read when the pen lifts: the end of a stroke is a step in the history.
        self.canvas.history_changed.connect(self._schedule_number_reading)
        self.tools.insertAction(self.tools.undo_action, self.number_action)
        self.tools.insertSeparator(self.tools.undo_action)
        self._name_number_mode()

        pad = QVBoxLayout()
        pad.setSpacing(6)
        pad.addWidget(self.tools)
        pad.addWidget(self.canvas, 1)
        pad.addWidget(self.number_panel)
        pad.addWidget(self.teach)
        pad.addStretch(0)  # in number mode, the room left under the number
        self._pad = pad
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(14)
        layout.addLayout(pad, 1)
        layout.addWidget(self.panel)
        self._set_tab_order()
        self.read_drawing()

    def _set_tab_order(self) -> None:
        """Tab goes as the eye reads: pen width, the pad, the teaching buttons left to
        right, My samples (the tools' other commands are keys and the Edit menu)."""
        chain = [self.tools.width_slider, self.canvas, self.teach.confirm_button,
                 *self.teach.digit_buttons, self.teach.samples_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def recognizer(self) -> BaseRecognizer | None:
        return self._recognizer

    def set_recognizer(self, recognizer: BaseRecognizer) -> None:
        """Read drawings with `recognizer` from now on (and read the current one)."""
        _read_with_one_thread(recognizer)
        self._recognizer = recognizer
        self._model_problem = None
        self.read_drawing()

    def set_model_problem(self, message: str) -> None:
        """There is no model to read with, because of `message`."""
        self._recognizer = None
        self._model_problem = message
        self.read_drawing()

    def is_number_mode(self) -> bool:
        return self._number_mode

    def set_number_mode(self, on: bool) -> None:
        """Read a whole number on a wide pad (True) or one digit (False). The strokes
        stay; undo and Clear work as before."""
        if on == self._number_mode:
            return
        self._number_mode = on
        self.number_action.setChecked(on)
        self.canvas.set_canvas_size(*(NUMBER_PAD if on else DIGIT_PAD))
        self.canvas.set_watermark(self.tr("Write a number here") if on else None)
        self.canvas.set_marks([])
        self.panel.setVisible(not on)
        self.teach.setVisible(not on)  # teaching stores single digits
        self.teach.setEnabled(not on)  # ... so its keys teach nothing in number mode
        self.number_panel.setVisible(on)
        # A wide pad as tall as its width needs, the number right under it.
        self._pad.setStretch(self._pad.indexOf(self.canvas), 0 if on else 1)
        self._pad.setStretch(self._pad.count() - 1, 1 if on else 0)
        self.read_drawing()

    def _schedule_number_reading(self) -> None:
        if self._number_mode:
            self._schedule_reading()

    def _name_number_mode(self) -> None:
        # The menu names the mode in full; the toolbar button, one word.
        self.number_action.setText(self.tr("&Number mode"))
        self.number_action.setIconText(self.tr("&Number"))
        tip = self.tr("Read a whole number of several digits on a wider pad (N)")
        self.number_action.setToolTip(tip)
        self.number_action.setStatusTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._name_number_mode()
            if self._number_mode:
                self.canvas.set_watermark(self.tr("Write a number here"))
        super().changeEvent(event)

    def shown_digit(self) -> int | None:
        """The digit the panel shows for the drawing, if it shows one ("not a digit" shows
        none; number mode shows no single digit)."""
        if self._number_mode:
            return None
        prediction = self.panel.prediction
        if prediction is None or prediction.verdict == "not a digit":
            return None
        return prediction.digit

    def shown_verdict(self) -> str | None:
        """What the panel says of the drawing: "digit", "unsure", "not a digit", "empty"."""
        prediction = self.panel.prediction
        return prediction.verdict if prediction is not None else None

    def show_my_samples(self) -> None:
        """Open the My samples gallery (the counts under the pad follow its changes)."""
        from digitpad.ui.draw.my_samples import MySamplesDialog

        store = self.teach.store()
        if store is None:
            return
        dialog = MySamplesDialog(store, self)
        dialog.changed.connect(self.teach.refresh_counts)
        dialog.exec()

    def reading_pending(self) -> bool:
        """True while a change to the drawing has not been read yet."""
        return self._timer.isActive()

    def read_drawing(self) -> None:
        """Read the drawing now and show the result: the same pipeline as
        `digitpad predict`, on the strokes themselves, never on screen pixels."""
        self._timer.stop()
        self._last_read = time.perf_counter()
        if self._number_mode:
            self._read_number()
            # A number is read when the pen lifts, so every reading is worth saying.
            spoken = self.number_panel.spoken()
            if spoken != self._announced:
                self._announced = spoken
                announce(self.number_panel.number, spoken)
            self.prediction_shown.emit()
            return
        ink = render_strokes(self.canvas.strokes(), self.canvas.canvas_size())
        processed = preprocess(ink)
        if processed is None:
            self.panel.show_hint()
        elif self._recognizer is None:
            self.panel.show_waiting(processed.image, self._model_problem)
        else:
            self.panel.show_prediction(self._recognizer.predict(processed))
        if not self.canvas.is_drawing() and self.panel.spoken != self._announced:
            self._announced = self.panel.spoken
            announce(self.panel.digit, self.panel.spoken)
        self.prediction_shown.emit()

    def _read_number(self) -> None:
        if self.canvas.is_empty():
            self.number_panel.show_hint()
            self.canvas.set_marks([])
            return
        if self._recognizer is None:
            self.number_panel.show_waiting(self._model_problem)
            self.canvas.set_marks([])
            return
        from digitpad.number_reader import read_strokes

        reading = read_strokes(self._recognizer, self.canvas.strokes(), self.canvas.canvas_size())
        self.number_panel.show_reading(reading)
        # A piece that is no digit is marked "?", without a confidence in a digit it is not.
        self.canvas.set_marks([
            Mark(d.box, "?" if d.digit is None else f"{d.digit}  {percent(d.confidence, 0)}",
                 d.sure) for d in reading.digits])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.tools.set_active(True)
        self.number_action.setEnabled(True)

    def hideEvent(self, event: QHideEvent) -> None:
        # Another tab is showing: its keys are its own (the Edit menu would
        # otherwise keep Esc, Delete and Ctrl+Z bound to the pad).
        self.tools.set_active(False)
        self.number_action.setEnabled(False)
        super().hideEvent(event)

    def _schedule_reading(self) -> None:
        if self._number_mode and self.canvas.is_drawing():
            return  # a number is read when the pen lifts
        if self._timer.isActive():
            return  # a reading is already due: it will see this change too
        since_last = (time.perf_counter() - self._last_read) * 1000
        self._timer.start(max(0, math.ceil(READ_INTERVAL_MS - since_last)))


def _read_with_one_thread(recognizer: BaseRecognizer) -> None:
    # One image at a time is read fastest by one thread: a second one only adds
    # waiting, badly so when other work keeps the cores busy, as a training run
    # does (bench/inference_latency.py --threads measures it). OpenCV's threads,
    # too, cost more than they save on one drawing.
    recognizer.read_in_one_thread()
    preprocess_in_one_thread()
