"""File ▸ Save drawing as PNG… and Save network input (28×28) as PNG….

Two actions for the window's File menu, over `digitpad.drawing.saved_images`:
the drawing as drawn (dark ink on white, the pad's proportions) and the 28×28
image the network read. Both are off while the pad is empty.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from digitpad.drawing.saved_images import drawing_image, network_input_image, write_png
from digitpad.errors import ImageError
from digitpad.ui.draw.canvas import Canvas


class SaveDrawing(QObject):
    saved = Signal(str)  # the file written

    def __init__(self, canvas: Canvas, parent: QWidget) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self._window = parent
        self.drawing_action = QAction(parent)
        self.drawing_action.setShortcut(QKeySequence.StandardKey.Save)
        if self.drawing_action.shortcut().isEmpty():
            self.drawing_action.setShortcut(QKeySequence("Ctrl+S"))
        self.drawing_action.triggered.connect(lambda: self.save_drawing())
        self.input_action = QAction(parent)
        self.input_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.input_action.triggered.connect(lambda: self.save_network_input())
        self.actions = [self.drawing_action, self.input_action]
        self._number_mode = False
        canvas.changed.connect(self.update_actions)
        canvas.history_changed.connect(self.update_actions)
        self.retranslate()
        self.update_actions()

    def retranslate(self) -> None:
        self.drawing_action.setText(self.tr("Save drawing as &PNG…"))
        self.drawing_action.setStatusTip(self.tr("Save the drawing as you drew it, dark ink "
                                                 "on white"))
        self.input_action.setText(self.tr("Save network &input (28×28) as PNG…"))
        self.input_action.setStatusTip(
            self.tr("In number mode each digit is read from an image of its own; leave "
                    "number mode to save one") if self._number_mode else
            self.tr("Save the 28×28 image the network read, white ink on black like MNIST"))

    def set_number_mode(self, on: bool) -> None:
        """A number is read digit by digit, each from its own 28×28 image: there is no one
        network input to save (the whole number squeezed into 28×28 is none of them)."""
        self._number_mode = on
        self.retranslate()
        self.update_actions()

    def update_actions(self) -> None:
        drawn = not self.canvas.is_empty()
        self.drawing_action.setEnabled(drawn)
        self.input_action.setEnabled(drawn and not self._number_mode)

    def save_drawing(self, path: str | Path | None = None) -> Path | None:
        """Save the drawing as drawn; asks where unless `path` is given."""
        if self.canvas.is_empty():
            return None
        image = drawing_image(self.canvas.strokes(), self.canvas.canvas_size())
        return self._save(image, path, self.tr("Save drawing as PNG"), "drawing.png")

    def save_network_input(self, path: str | Path | None = None) -> Path | None:
        """Save the 28×28 network input; asks where unless `path` is given."""
        image = network_input_image(self.canvas.strokes(), self.canvas.canvas_size())
        if image is None:
            return None
        return self._save(image, path, self.tr("Save network input as PNG"),
                          "network-input.png")

    def _save(self, image, path: str | Path | None, title: str, name: str) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self._window, title, str(Path.home() / name),
                                                  self.tr("PNG images (*.png)"))
            if not path:
                return None
            if not path.lower().endswith(".png"):
                path += ".png"
        try:
            written = write_png(path, image)
        except ImageError as error:
            QMessageBox.warning(self._window, title, str(error))
            return None
        self.saved.emit(str(written))
        return written
