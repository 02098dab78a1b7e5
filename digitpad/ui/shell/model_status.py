"""The status bar's note on the model: loading, which one is in use, or what went wrong."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from digitpad.ui.accessibility import announce
from digitpad.ui.i18n import Translatable
from digitpad.ui.theme import PROBLEM, text_colour


class ModelStatus(Translatable, QWidget):
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
        self._shown: Callable[[], None] = self.show_loading  # says it again in another language
        self.retranslate()

    def text(self) -> str:
        return self.label.text()

    def retranslate(self) -> None:
        self.busy.setAccessibleName(self.tr("Loading the model"))
        self._shown()

    def show_loading(self) -> None:
        self._shown = self.show_loading
        self.busy.show()
        self._set(self.tr("Loading model…"),
                  self.tr("The network is loading; you can draw already"))

    def show_model(self, description: str | Callable[[], str],
                   warning: str | None = None) -> None:
        """`description`: the model in words, or a function that says it in the
        current language."""
        self._shown = lambda: self.show_model(description, warning)
        self.busy.hide()
        said = description() if callable(description) else description
        text = self.tr("Model: {description}").format(description=said)
        self._set(text + (self.tr(" — see the note") if warning else ""), warning or text)

    def show_problem(self, message: str) -> None:
        self._shown = lambda: self.show_problem(message)
        self.busy.hide()
        self._set(self.tr("No model: {message}").format(message=message), message, problem=True)

    def _set(self, text: str, tip: str, problem: bool = False) -> None:
        self.label.setText(text)
        self.label.setToolTip(tip)
        announce(self.label, text)
        self.label.setStyleSheet(text_colour(PROBLEM) if problem else "")
