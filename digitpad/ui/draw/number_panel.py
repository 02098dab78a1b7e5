"""The number read in number mode: the whole number as text the user can select,
a Copy button, and whether DigitPad is sure of it.

The digits themselves, with their boxes and confidences, are shown on the pad
(`Canvas.set_marks`); this strip under the pad says what they add up to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from digitpad.ui.theme import ACCENT, INK, MUTED, PROBLEM, UNSURE

if TYPE_CHECKING:  # the number reader imports torch, which loads in the background
    from digitpad.number_reader import NumberReading

NUMBER_PIXELS = 40
COPY_KEY = "Ctrl+Shift+C"


class NumberPanel(QWidget):
    copied = Signal(str)  # the number put on the clipboard

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reading: NumberReading | None = None  # the reading shown, if any
        self._problem: str | None = None
        self.caption = QLabel()
        self.number = QLineEdit()  # read-only: selectable and copyable, not editable
        self.number.setReadOnly(True)
        self.number.setFrame(False)
        font = QFont(self.number.font())
        font.setPixelSize(NUMBER_PIXELS)
        font.setWeight(QFont.Weight.DemiBold)
        self.number.setFont(font)
        self.number.setMinimumWidth(220)
        self.copy_button = QPushButton()  # Alt+C, from its "&Copy"
        self.copy_button.clicked.connect(self.copy)
        # A key of its own besides the mnemonic: setText would reset a key set on the
        # button itself to Alt+C (it did, so Ctrl+Shift+C did nothing).
        self.copy_key = QShortcut(QKeySequence(COPY_KEY), self, self.copy)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(12)
        layout.addWidget(self.caption)
        layout.addWidget(self.number, 2)
        layout.addWidget(self.copy_button)
        layout.addWidget(self.verdict, 3)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every text again (in the language now in use)."""
        self.caption.setText(self.tr("Number:"))
        self.number.setAccessibleName(self.tr("Number read"))
        self.copy_button.setText(self.tr("&Copy"))
        self.copy_button.setToolTip(self.tr("Put the number on the clipboard (Ctrl+Shift+C)"))
        self._show_again()

    def text(self) -> str:
        """The number shown ("" when there is none)."""
        return self.number.text()

    def spoken(self) -> str:
        """The reading in one line, as a screen reader should say it: "2026: 4 digits,
        all sure"; only the advice or problem when no number is shown."""
        if not self.text():
            return self.verdict.text()
        return self.tr("{number}: {verdict}").format(number=self.text(),
                                                      verdict=self.verdict.text())

    def copy(self) -> None:
        text = self.text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)

    def show_hint(self) -> None:
        self.reading, self._problem = None, None
        self._show_again()

    def show_waiting(self, problem: str | None = None) -> None:
        """Something is written, but there is no model to read it with (yet)."""
        self.reading, self._problem = None, problem or ""
        self._show_again()

    def show_reading(self, reading: NumberReading) -> None:
        self.reading, self._problem = reading, None
        self._show_again()

    def _show_again(self) -> None:
        reading = self.reading
        if reading is None or not reading.digits:
            self.number.clear()
            if self._problem is None:
                self._say(self.tr("Write a number on the pad, one digit after another."), MUTED)
            elif self._problem:
                self._say(self.tr("No reading: {problem}").format(problem=self._problem), PROBLEM)
            else:
                self._say(self.tr("Loading the model…"), MUTED)
            self.copy_button.setEnabled(False)
            return
        # A piece that is no digit shows as "?": the user sees where the doubt is.
        shown = "".join("?" if d.digit is None else str(d.digit) for d in reading.digits)
        self.number.setText(shown)
        self.number.setCursorPosition(0)
        _colour(self.number, INK if reading.sure else UNSURE)
        self.copy_button.setEnabled(reading.number is not None)
        count = len(reading.digits)
        if reading.sure:
            self._say(self.tr("1 digit, sure") if count == 1 else
                      self.tr("{count} digits, all sure").format(count=count), ACCENT)
        else:
            self._say(self.tr("Not sure: {reason}.").format(reason=self._reason(reading.reason)),
                      UNSURE)

    def _reason(self, reason: str) -> str:
        from digitpad import number_reader as reader

        known = {
            reader.NOT_A_DIGIT_PIECE: self.tr("a piece does not look like a digit"),
            reader.HARD_TO_READ: self.tr("some digits are hard to read"),
            reader.SPLIT_ANOTHER_WAY: self.tr("the digits could be split another way"),
            reader.NOTHING_DRAWN: self.tr("nothing written yet"),
        }
        return known.get(reason, reason)

    def _say(self, text: str, colour) -> None:
        self.verdict.setText(text)
        _colour(self.verdict, colour)


def _colour(widget: QWidget, colour) -> None:
    palette = widget.palette()
    palette.setColor(widget.foregroundRole(), colour)
    widget.setPalette(palette)
