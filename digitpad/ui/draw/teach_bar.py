"""Teaching DigitPad your handwriting, from the Draw tab.

Under the pad: "✓ Yes, it's a 7" stores the drawing as the digit the network
read; the ten digit buttons (or the keys 0-9 while drawing) store it as the
digit it really is. Either way the sample goes into the `SampleStore` and the
pad clears for the next one. Under each digit button, how many samples of it
the user has taught so far. "My samples…" opens the gallery.

The bar imports no torch: the Draw tab appears before the model has loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digitpad.errors import SampleError
from digitpad.store.samples import SampleStore
from digitpad.ui.accessibility import announce
from digitpad.ui.draw.canvas import Canvas
from digitpad.ui.i18n import Translatable
from digitpad.ui.theme import MUTED, PROBLEM

DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}
CONFIRM_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class TeachBar(Translatable, QWidget):
    taught = Signal(int)  # a sample of this digit was stored
    samples_requested = Signal()  # the user asked to see "My samples"

    def __init__(self, canvas: Canvas, predicted_digit: Callable[[], int | None],
                 store: SampleStore | None = None, parent: QWidget | None = None,
                 shown_verdict: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self._predicted_digit = predicted_digit
        self._shown_verdict = shown_verdict  # "not a digit" is taught only if the user says so
        self._store = store
        self._store_problem: str | None = None

        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self.confirm)
        self.digit_buttons: list[QPushButton] = []
        self.count_labels: list[QLabel] = []
        # One grid: the buttons share a row (so they line up), the counts sit under
        # their digits.
        grid = QGridLayout()
        grid.setHorizontalSpacing(3)
        grid.setVerticalSpacing(0)
        self.title = title = QLabel()
        grid.addWidget(title, 0, 0)
        grid.addWidget(self.confirm_button, 0, 1)
        self.or_label = QLabel()
        grid.addWidget(self.or_label, 0, 2)
        self.caption = caption = QLabel()
        caption.setStyleSheet(f"color: {MUTED.name()}; font-size: 9pt;")
        grid.addWidget(caption, 1, 2, Qt.AlignmentFlag.AlignRight)
        first = 3
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setFixedWidth(30)
            button.clicked.connect(lambda _checked=False, d=digit: self.teach(d))
            count = QLabel("0")
            count.setAlignment(Qt.AlignmentFlag.AlignCenter)
            count.setStyleSheet(f"color: {MUTED.name()}; font-size: 9pt;")
            grid.addWidget(button, 0, first + digit)
            grid.addWidget(count, 1, first + digit)
            self.digit_buttons.append(button)
            self.count_labels.append(count)
        self.samples_button = QPushButton()
        self.samples_button.clicked.connect(self.samples_requested)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {MUTED.name()};")
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        grid.setColumnMinimumWidth(first + 10, 12)
        grid.setColumnStretch(first + 10, 1)
        grid.addWidget(self.samples_button, 0, first + 11)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(grid)
        layout.addWidget(self.message)

        canvas.installEventFilter(self)  # digit keys while the pad has the focus
        canvas.changed.connect(self.update_buttons)
        self._said: tuple[str, tuple, bool] | None = None  # the last message, to say again
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("<b>Teach:</b>"))
        self.title.setToolTip(self.tr("Show DigitPad your handwriting; then fine-tune on it in "
                                      "the Trainer tab"))
        self.or_label.setText(self.tr(" or it's a "))
        self.caption.setText(self.tr("taught:"))
        for digit, button in enumerate(self.digit_buttons):
            button.setToolTip(self.tr("No, it's a {digit}: store this drawing as a {digit} "
                                      "(key {digit})").format(digit=digit))
            button.setAccessibleName(self.tr("Teach as {digit}").format(digit=digit))
            button.setAccessibleDescription(button.toolTip())
        self.samples_button.setText(self.tr("My samples…"))
        self.samples_button.setToolTip(self.tr("See, correct, delete, export or import your "
                                               "samples"))
        self.refresh_counts()
        self.update_buttons()
        if self._said is not None:
            self._say(*self._said)

    # -- the store ------------------------------------------------------------------

    def store(self) -> SampleStore | None:
        """The sample store, opened on first use (None, with a message, if it cannot be)."""
        if self._store is None and self._store_problem is None:
            try:
                self._store = SampleStore()
            except SampleError as error:
                self._store_problem = str(error)
                self._say(self._store_problem, problem=True)
            else:
                if self._store.read_only:
                    # The counts are true and shown; teaching is off, and the bar says why.
                    self._store_problem = self._store.read_only_note
                    self._say(self._store_problem, problem=True)
        return self._store

    def refresh_counts(self) -> None:
        """Show how many samples of each digit there are (after teaching, deleting, importing)."""
        store = self.store()
        counts = store.counts() if store is not None else [0] * 10
        for digit, (label, count) in enumerate(zip(self.count_labels, counts, strict=True)):
            label.setText(str(count))
            label.setToolTip((self.tr("1 sample of {digit} taught") if count == 1 else
                              self.tr("{count} samples of {digit} taught"))
                             .format(count=count, digit=digit))

    # -- teaching -------------------------------------------------------------------

    def confirm(self) -> None:
        """The network read the drawing right: store it as that digit."""
        digit = self._predicted_digit()
        if digit is not None:
            self.teach(digit)

    def teach(self, digit: int) -> bool:
        """Store the drawing on the pad as a sample of `digit` and clear the pad."""
        if self.canvas.is_empty():
            self._say(QT_TRANSLATE_NOOP("TeachBar",
                                        "Draw a digit first, then say which one it is."))
            return False
        store = self.store()
        if store is None:
            return False
        if self._shown_verdict() == "not a digit" and not self.ask_to_teach_anyway(digit):
            self._say(QT_TRANSLATE_NOOP("TeachBar", "Not stored."))
            return False
        try:
            store.add(digit, self.canvas.strokes(), self.canvas.canvas_size(),
                      self.canvas.pen_width())
        except SampleError as error:
            self._say(str(error), problem=True)
            return False
        self.canvas.clear()
        self.refresh_counts()
        count = store.counts()[digit]
        self._say(QT_TRANSLATE_NOOP("TeachBar",
                                    "Stored as a {digit} ({count} so far). Draw the next one."),
                  {"digit": digit, "count": count})
        self.taught.emit(digit)
        return True

    def ask_to_teach_anyway(self, digit: int) -> bool:
        """The model says the drawing is no digit: store it only if the user confirms."""
        answer = QMessageBox.question(
            self, self.tr("Teach a drawing that is not a digit?"),
            self.tr("DigitPad does not read this drawing as a digit. Store it as a {digit} "
                    "anyway? Samples that are not digits teach the model to read scribbles "
                    "as digits.").format(digit=digit),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def update_buttons(self) -> None:
        """Follow the drawing and the reading: teaching needs something drawn."""
        drawn = not self.canvas.is_empty()
        digit = self._predicted_digit() if drawn else None
        self.confirm_button.setText(self.tr("✓ Yes, it's a {digit}").format(
            digit=digit if digit is not None else "…"))
        self.confirm_button.setToolTip(self.tr("Store this drawing as the digit shown (Enter)"))
        self.confirm_button.setAccessibleDescription(self.confirm_button.toolTip())
        self.confirm_button.setEnabled(digit is not None and self._store_problem is None)
        for button in self.digit_buttons:
            button.setEnabled(drawn and self._store_problem is None)

    def _say(self, text: str, values: dict | None = None, problem: bool = False) -> None:
        """Show `text`: a message marked with QT_TRANSLATE_NOOP, said in the current language with
        `values` filled in (a message from elsewhere passes through unchanged)."""
        self._said = (text, values, problem)
        text = self.tr(text).format(**values) if values is not None else self.tr(text)
        self.message.setText(text)
        self.message.setToolTip(text)
        announce(self.message, text)
        self.message.setStyleSheet(f"color: {(PROBLEM if problem else MUTED).name()};")

    # -- keys -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.canvas and event.type() == QEvent.Type.KeyPress \
                and self._handle_key(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Ctrl+1 and the like belong to others
        if not self.isEnabled():
            return False  # number mode switches teaching off: its keys teach nothing
        key = Qt.Key(event.key())
        if key in DIGIT_KEYS:
            self.teach(DIGIT_KEYS[key])
            return True
        if key in CONFIRM_KEYS:
            self.confirm()
            return True
        return False
