"""The Inside tab: what every layer of the model in use makes of the drawing, live.

The tab has a pad of its own that shares the Draw tab's drawing (the shell
passes it in), so the user can draw here and watch the maps change. Like the
Draw tab, it reads at most once per READ_INTERVAL_MS; it reads only while it
is visible (a hidden tab costs nothing), and catches up when it is shown.

One forward pass with hooks (`Recognizer.inspect`) gives the answer and every
layer's output together. Every picture is a `PictureView` kept for as long as
the model stays the same; a new drawing only replaces the pictures' data.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.drawing.preprocess import Preprocessed, preprocess
from digitpad.drawing.strokes import render_strokes
from digitpad.figures import percent
from digitpad.inside.pictures import kernels_picture, layer_picture, scale_each, tile_at
from digitpad.reading import NOT_A_DIGIT, UNSURE
from digitpad.ui.accessibility import announce
from digitpad.ui.i18n import Translatable
from digitpad.ui.inside.layer_list import LayerList
from digitpad.ui.picture_view import PictureView, saliency_overlay

if TYPE_CHECKING:
    from digitpad.inside.network import Inspection, Layer
    from digitpad.reading import Prediction
    from digitpad.recognizer import Recognizer

# Readings start at least this far apart. Reading every layer and painting the maps
# takes 5–8 ms, so readings a whole 16 ms frame apart would make a pen event that
# just missed one wait up to a frame more; and at 60 events/s each late reading
# made the next one late too (measured with bench/live_latency.py --inside).
READ_INTERVAL_MS = 10
LEFT_WIDTH = 290  # the pad's column; its labels have a fixed size (see _fixed_label)
MAP_SIDE = 170  # the smallest side of one layer's grid of maps, in pixels
KERNELS = "kernels"  # the name the enlarged view gives the first convolution's filters


class MapGrid:
    """One layer's title and its tiled maps."""

    def __init__(self, layer: Layer, number: int) -> None:
        self.layer = layer
        self.number = number  # its place among the model's layers, from 1
        self.title = QLabel()
        self.view = PictureView()
        self.view.setMinimumSize(MAP_SIDE, MAP_SIDE)


class InsidePage(Translatable, QWidget):
    inspected = Signal()  # the views now show the current drawing (or chosen image)

    def __init__(self, pad: QWidget, parent: QWidget | None = None) -> None:
        """`pad`: a drawing pad (the Canvas API: changed, strokes(), canvas_size())."""
        super().__init__(parent)
        self.pad = pad
        self._recognizer: Recognizer | None = None
        self._chosen: tuple[np.ndarray, str] | None = None  # an image from the gallery
        self._why_not: int | None = None  # the digit asked about; None: the answer
        self._signature: tuple = ()  # the layers the views were built for
        self._grids: list[MapGrid] = []
        self._enlarged: tuple[str, int] | None = None  # (layer name or KERNELS, channel)
        self.last: tuple[Prediction, Inspection] | None = None
        self._last_read = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.read_now)
        pad.changed.connect(self._drawing_changed)

        # Left: the pad, what the network sees, the answer and "why not?".
        self.answer = _fixed_label(2)
        self.input_view = PictureView()
        self.input_view.setFixedSize(168, 168)
        self.saliency_box = QCheckBox()
        self.saliency_box.toggled.connect(self._saliency_toggled)
        self.digits = QButtonGroup(self)
        self.digits.setExclusive(True)
        row = QHBoxLayout()
        row.setSpacing(2)
        for digit in range(10):
            button = QToolButton()
            button.setText(str(digit))
            button.setCheckable(True)
            button.setAutoRaise(False)
            self.digits.addButton(button, digit)
            row.addWidget(button)
        self.digits.idClicked.connect(self.ask_why_not)
        self.saliency_note = _fixed_label(4)
        left = QVBoxLayout()
        left.addWidget(pad, 1)
        left.addWidget(self.answer)
        seen = QHBoxLayout()
        seen.addWidget(self.input_view)
        seen.addStretch(1)
        left.addLayout(seen)
        left.addWidget(self.saliency_box)
        self.why_not_label = QLabel()
        left.addWidget(self.why_not_label)
        left.addLayout(row)
        left.addWidget(self.saliency_note)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(LEFT_WIDTH)

        # Middle: the first convolution's kernels and every convolution's maps.
        self.kernels_title = QLabel()
        self.kernels_view = PictureView()
        self.kernels_view.setMinimumSize(MAP_SIDE, MAP_SIDE)
        self.kernels_view.clicked.connect(lambda r, c: self._enlarge(KERNELS, r, c))
        self.kernels_view.tile_chosen.connect(lambda i: self._enlarge_tile(KERNELS, i))
        self.maps_layout = QGridLayout()
        self.maps_layout.setSpacing(8)
        maps = QWidget()
        maps.setLayout(self.maps_layout)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(maps)

        # Right: the layers, and one map enlarged.
        self.layers = LayerList()
        self.enlarged_title = QLabel()
        self.enlarged_title.setWordWrap(True)
        self.enlarged_view = PictureView()
        self.enlarged_view.setMinimumSize(200, 200)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.layers, 1)
        right.addWidget(self.enlarged_title)
        right.addWidget(self.enlarged_view, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)

        splitter = QSplitter()
        splitter.addWidget(left_widget)
        splitter.addWidget(self.scroll)
        splitter.addWidget(right_widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 460, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(splitter)
        self.retranslate()

    def retranslate(self) -> None:
        self.answer.setAccessibleName(self.tr("What the network reads"))
        self.scroll.setAccessibleDescription(self.tr("The arrow keys scroll through them"))
        self.saliency_box.setText(self.tr("&Show which ink mattered (saliency)"))
        self.saliency_box.setToolTip(self.tr(
            "Colours the input: red where the ink pushed the network towards the digit, "
            "blue where it pushed away"))
        self.why_not_label.setText(self.tr("Why not…? Click a digit:"))
        for button in self.digits.buttons():
            digit = self.digits.id(button)
            button.setToolTip(self.tr("Show which ink speaks for and against {digit}")
                              .format(digit=digit))
        self.kernels_title.setText(self.tr("Kernels of the first convolution"))
        self.kernels_view.setAccessibleName(self.kernels_title.text())
        self.kernels_view.setAccessibleDescription(self.tr(
            "The arrow keys choose a kernel; it is shown enlarged"))
        self.input_view.setAccessibleName(self.tr("The 28×28 image the network sees"))
        self.scroll.setAccessibleName(self.tr("Feature maps of every convolution"))
        self.saliency_box.setAccessibleDescription(self.saliency_box.toolTip())
        self.input_view.setToolTip(self.tr("The 28×28 image the network sees"))
        for grid in self._grids:
            self._title_grid(grid)
        self._show_enlarged()
        self._show_answer()

    # ---- what is shown ----------------------------------------------------------------

    def set_recognizer(self, recognizer: Recognizer | None) -> None:
        """Look inside `recognizer`'s model from now on."""
        self._recognizer = recognizer
        self._enlarged = None
        if recognizer is not None:
            # The views for the model's layers are built now, from a blank image, so
            # that the first pen event does not wait for them.
            blank = np.zeros((28, 28), np.float32)
            _, seen = recognizer.inspect(Preprocessed(blank, 0, 0, 0.0))
            self.last = None
            self._build_views(seen)
            self._signature = tuple((layer.name, layer.shape) for layer in seen.layers)
        self.read_now()

    def show_image(self, image: np.ndarray, caption: str) -> None:
        """Look at a given 28×28 image (0..1) instead of the drawing, until the user draws."""
        self._chosen = (np.asarray(image, np.float32), caption)
        self._why_not = None
        self.read_now()

    def ask_why_not(self, digit: int) -> None:
        """Show the saliency towards `digit` (the answer itself: back to the answer)."""
        answer = self.last[0].digit if self.last is not None else None
        self._why_not = None if digit == answer else digit
        if not self.saliency_box.isChecked():
            self.saliency_box.setChecked(True)  # reads again
        else:
            self.read_now()

    def reading_pending(self) -> bool:
        return self._timer.isActive()

    def read_now(self) -> None:
        """Read the drawing (or chosen image) and update every view, if the tab is visible."""
        self._timer.stop()
        if not self.isVisible():
            return  # showEvent reads when the tab comes back
        self._last_read = time.perf_counter()
        processed = self._input()
        if self._recognizer is None or processed is None:
            self.last = None
            self.input_view.set_picture(processed.image if processed is not None
                                        else np.zeros((28, 28), np.float32))
            self.input_view.set_overlay(None)
            self._show_answer()
            self.inspected.emit()
            return
        target = None
        if self.saliency_box.isChecked():
            target = "answer" if self._why_not is None else self._why_not
        prediction, seen = self._recognizer.inspect(processed, saliency_for=target)
        self.last = (prediction, seen)
        self._update_views(processed, seen)
        self._show_answer()
        self.inspected.emit()

    def _input(self) -> Preprocessed | None:
        if self._chosen is not None:
            return Preprocessed(self._chosen[0], 1, 0, 0.0)
        return preprocess(render_strokes(self.pad.strokes(), self.pad.canvas_size()))

    def _update_views(self, processed: Preprocessed, seen: Inspection) -> None:
        signature = tuple((layer.name, layer.shape) for layer in seen.layers)
        if signature != self._signature:
            self._build_views(seen)
            self._signature = signature
        self.input_view.set_picture(processed.image)
        self.input_view.set_overlay(None if seen.saliency is None
                                    else saliency_overlay(seen.saliency))
        for grid in self._grids:
            grid.view.set_picture(layer_picture(seen.activations[grid.layer.name]))
        self._show_enlarged()

    def _build_views(self, seen: Inspection) -> None:
        """New views for a model's convolutions (only when the model changes)."""
        for grid in self._grids:
            for widget in (grid.title, grid.view):
                self.maps_layout.removeWidget(widget)
                widget.deleteLater()
        self.maps_layout.removeWidget(self.kernels_title)
        self.maps_layout.removeWidget(self.kernels_view)
        self._grids = [MapGrid(layer, number) for number, layer in enumerate(seen.layers, 1)
                       if layer in seen.conv_layers()]
        cells = [(self.kernels_title, self.kernels_view)] if seen.kernels is not None else []
        self.kernels_view.setVisible(seen.kernels is not None)
        self.kernels_title.setVisible(seen.kernels is not None)
        if seen.kernels is not None:
            self.kernels_view.set_picture(kernels_picture(seen.kernels))
            self.kernels_view.choose_by_keyboard(*seen.kernels.shape)
        for grid in self._grids:
            self._title_grid(grid)
            grid.view.choose_by_keyboard(*grid.layer.shape)
            grid.view.clicked.connect(
                lambda r, c, name=grid.layer.name: self._enlarge(name, r, c))
            grid.view.tile_chosen.connect(
                lambda i, name=grid.layer.name: self._enlarge_tile(name, i))
            cells.append((grid.title, grid.view))
        for index, (title, view) in enumerate(cells):
            self.maps_layout.addWidget(title, 2 * (index // 2), index % 2)
            self.maps_layout.addWidget(view, 2 * (index // 2) + 1, index % 2)
        self.layers.show_layers(seen.layers)

    def _title_grid(self, grid: MapGrid) -> None:
        channels, height, width = grid.layer.shape
        # The module's name (features.0.0) is code: the layer list beside shows it.
        grid.title.setText(self.tr("Layer {number}: {channels} maps of {height}×{width}")
                           .format(number=grid.number, channels=channels, height=height,
                                   width=width))
        grid.view.setToolTip(self.tr("Click a map to enlarge it"))
        grid.view.setAccessibleName(grid.title.text())
        grid.view.setAccessibleDescription(self.tr(
            "The arrow keys choose a map; it is shown enlarged"))

    # ---- enlarging one map ------------------------------------------------------------

    def _enlarge(self, name: str, row: float, column: float) -> None:
        stack = self._stack(name)
        if stack is None:
            return
        channel = tile_at((row, column), *stack.shape)
        if channel is not None:
            self._view_of(name).set_current_tile(channel)  # the keyboard goes on from here
            self._enlarge_tile(name, channel)

    def _enlarge_tile(self, name: str, channel: int) -> None:
        stack = self._stack(name)
        if stack is None or channel >= len(stack):
            return
        self._enlarged = (name, channel)
        if name != KERNELS:
            self.layers.select(name)
        self._show_enlarged()
        view = self._view_of(name)
        if view.hasFocus():  # chosen from the keyboard: say which one it is now
            announce(view, self.enlarged_title.text())

    def _view_of(self, name: str) -> PictureView:
        if name == KERNELS:
            return self.kernels_view
        return next(grid.view for grid in self._grids if grid.layer.name == name)

    def enlarged(self) -> tuple[str, int] | None:
        return self._enlarged

    def _stack(self, name: str) -> np.ndarray | None:
        if self.last is None:
            return None
        seen = self.last[1]
        if name == KERNELS:
            return seen.kernels
        return seen.activations.get(name)

    def _show_enlarged(self) -> None:
        if self._enlarged is None:
            self.enlarged_title.setText(self.tr("Click any map to see it larger."))
            return
        name, channel = self._enlarged
        stack = self._stack(name)
        if stack is None or channel >= len(stack):
            return
        if name == KERNELS:
            self.enlarged_view.set_picture(kernels_picture(stack[channel:channel + 1]))
            self.enlarged_title.setText(self.tr("Kernel {number} of {count} of the first "
                                                "convolution").format(number=channel + 1,
                                                                      count=len(stack)))
            return
        self.enlarged_view.set_picture(scale_each(stack[channel:channel + 1])[0])
        number = next((g.number for g in self._grids if g.layer.name == name), 0)
        self.enlarged_title.setText(self.tr("Layer {layer}, map {number} of {count}").format(
            layer=number, number=channel + 1, count=len(stack)))

    # ---- the answer and saliency ------------------------------------------------------

    def _show_answer(self) -> None:
        if self._recognizer is None:
            self.answer.setText(self.tr("No model is loaded yet."))
            return
        if self.last is None:
            self.answer.setText(self.tr("Draw a digit on the pad to look inside the network."))
            self.saliency_note.setText("")
            return
        prediction, seen = self.last
        source = self._chosen[1] if self._chosen is not None else ""
        reads = self._verdict_line(prediction)
        self.answer.setText(f"{source}\n{reads}" if source else reads)
        button = self.digits.button(self._why_not if self._why_not is not None
                                    else prediction.digit)
        if button is not None and not button.isChecked():
            button.setChecked(True)
        if seen.saliency is None:
            self.saliency_note.setText("")
        elif self._why_not is None:
            self.saliency_note.setText(self.tr(
                "Red: ink that made it read {digit}. Blue: ink that spoke against {digit}.")
                .format(digit=seen.saliency_for))
        else:
            chance = percent(prediction.probabilities[self._why_not], 1)
            self.saliency_note.setText(self.tr(
                "Why not {digit}? The network gives it {chance}. Red: ink that speaks for "
                "{digit}. Blue: ink that speaks against it.").format(digit=self._why_not,
                                                                      chance=chance))

    def _verdict_line(self, prediction: Prediction) -> str:
        """What the Draw tab would say of this drawing, on one line: the maps below show
        how the network came to its likeliest digit even when that is no answer."""
        digit, confidence = prediction.digit, percent(prediction.confidence, 1)
        if prediction.verdict == NOT_A_DIGIT:
            return self.tr("Not a digit ({sure} sure); nearest digit: {digit} "
                           "({confidence})").format(sure=percent(prediction.not_a_digit, 0),
                                                    digit=digit, confidence=confidence)
        if prediction.verdict == UNSURE and prediction.runner_up is not None:
            return self.tr("Not sure: {digit} ({confidence}) or {other} ({chance})").format(
                digit=digit, confidence=confidence, other=prediction.runner_up,
                chance=percent(prediction.probabilities[prediction.runner_up], 1))
        return self.tr("Reads {digit} ({confidence})").format(digit=digit,
                                                              confidence=confidence)

    def _saliency_toggled(self, on: bool) -> None:
        if not on:
            self._why_not = None
        self.read_now()

    # ---- reading at most once per interval --------------------------------------------

    def _drawing_changed(self) -> None:
        self._chosen = None  # drawing again: back to the drawing
        if not self.isVisible() or self._timer.isActive():
            return
        since_last = (time.perf_counter() - self._last_read) * 1000
        self._timer.start(max(0, math.ceil(READ_INTERVAL_MS - since_last)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.read_now()


def _fixed_label(lines: int) -> QLabel:
    """A label of a fixed size: new text on every pen event then repaints the label
    alone, where a label that may change size makes the whole window lay out and
    repaint (measured with bench/live_latency.py --inside)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setFixedSize(LEFT_WIDTH - 24, label.fontMetrics().lineSpacing() * lines + 4)
    return label
