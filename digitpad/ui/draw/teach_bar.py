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

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digitpad.errors import SampleError
from digitpad.store.samples import SampleStore
from digitpad.ui.draw.canvas import Canvas
from digitpad.ui.theme import MUTED, PROBLEM

DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}
CONFIRM_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class TeachBar(QWidget):
    taught = Signal(int)  # a sample of this digit was stored
    samples_requested = Signal()  # the user asked to see "My samples"

    def __init__(self, canvas: Canvas, predicted_digit: Callable[[], int | None],
                 store: SampleStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self._predicted_digit = predicted_digit
        self._store = store
        self._store_problem: str | None = None

        self.confirm_button = QPushButton("✓ Yes, it's a …")
        self.confirm_button.setToolTip("Store this drawing as the digit shown (Enter)")
        self.confirm_button.clicked.connect(self.confirm)
        self.digit_buttons: list[QPushButton] = []
        self.count_labels: list[QLabel] = []
        # One grid: the buttons share a row (so they line up), the counts sit under
        # their digits.
        grid = QGridLayout()
        grid.setHorizontalSpacing(3)
        grid.setVerticalSpacing(0)
        title = QLabel("<b>Teach:</b>")
        title.setToolTip("Show DigitPad your handwriting; then fine-tune on it in the Trainer tab")
        grid.addWidget(title, 0, 0)
        grid.addWidget(self.confirm_button, 0, 1)
        grid.addWidget(QLabel(" or it's a "), 0, 2)
        caption = QLabel("taught:")
        caption.setStyleSheet(f"color: {MUTED.name()}; font-size: 9pt;")
        grid.addWidget(caption, 1, 2, Qt.AlignmentFlag.AlignRight)
        first = 3
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setFixedWidth(30)
            button.setToolTip(f"No, it's a {digit}: store this drawing as a {digit} (key {digit})")
            button.setAccessibleName(f"Teach as {digit}")
            button.clicked.connect(lambda _checked=False, d=digit: self.teach(d))
            count = QLabel("0")
            count.setAlignment(Qt.AlignmentFlag.AlignCenter)
            count.setStyleSheet(f"color: {MUTED.name()}; font-size: 9pt;")
            grid.addWidget(button, 0, first + digit)
            grid.addWidget(count, 1, first + digit)
            self.digit_buttons.append(button)
            self.count_labels.append(count)
        self.samples_button = QPushButton("My samples…")
        self.samples_button.setToolTip("See, correct, delete, export or import your samples")
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
        self.refresh_counts()
        self.update_buttons()

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
            label.setToolTip(f"{count} sample{'s' if count != 1 else ''} of {digit} taught")

    # -- teaching -------------------------------------------------------------------

    def confirm(self) -> None:
        """The network read the drawing right: store it as that digit."""
        digit = self._predicted_digit()
        if digit is not None:
            self.teach(digit)

    def teach(self, digit: int) -> bool:
        """Store the drawing on the pad as a sample of `digit` and clear the pad."""
        if self.canvas.is_empty():
            self._say("Draw a digit first, then say which one it is.")
            return False
        store = self.store()
        if store is None:
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
        self._say(f"Stored as a {digit} ({count} so far). Draw the next one.")
        self.taught.emit(digit)
        return True

    def update_buttons(self) -> None:
        """Follow the drawing and the reading: teaching needs something drawn."""
        drawn = not self.canvas.is_empty()
        digit = self._predicted_digit() if drawn else None
        self.confirm_button.setText(f"✓ Yes, it's a {digit}" if digit is not None
                                    else "✓ Yes, it's a …")
        self.confirm_button.setEnabled(digit is not None and self._store_problem is None)
        for button in self.digit_buttons:
            button.setEnabled(drawn and self._store_problem is None)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)
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
        if self.isHidden():
            return False  # number mode hides teaching: its keys teach nothing
        key = Qt.Key(event.key())
        if key in DIGIT_KEYS:
            self.teach(DIGIT_KEYS[key])
            return True
        if key in CONFIRM_KEYS:
            self.confirm()
            return True
        return False
