"""The status bar's note on the model: loading, which one is in use, or what went wrong."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from digitpad.ui.theme import PROBLEM, text_colour


class ModelStatus(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no end known: a busy indicator
        self.busy.setMaximumSize(90, 12)
        self.busy.setTextVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.busy)
        layout.addWidget(self.label, 1)
        self.show_loading()

    def text(self) -> str:
        return self.label.text()

    def show_loading(self) -> None:
        self.busy.show()
        self._set("Loading model…", "The network is loading; you can draw already")

    def show_model(self, description: str, warning: str | None = None) -> None:
        self.busy.hide()
        text = f"Model: {description}"
        self._set(text + (" — see the note" if warning else ""), warning or text)

    def show_problem(self, message: str) -> None:
        self.busy.hide()
        self._set(f"No model: {message}", message, problem=True)

    def _set(self, text: str, tip: str, problem: bool = False) -> None:
        self.label.setText(text)
        self.label.setToolTip(tip)
        self.label.setStyleSheet(text_colour(PROBLEM) if problem else "")
