"""Ten bars, one per digit, showing how probable the network finds each."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.figures import percent
from digitpad.ui.i18n import Translatable
from digitpad.ui.theme import ACCENT, BAR, TRACK, UNSURE

_ROW_MIN, _ROW_MAX = 16, 28  # row height range, pixels: the bars share the room they get
_GAP = 4
_BAR_HEIGHT = 10


class ProbabilityBars(Translatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: tuple[float, ...] = (0.0,) * 10
        self._chosen: int | None = None
        self._sure = True
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Probability of each digit"))

    def set_probabilities(self, values: Sequence[float] | None, chosen: int | None = None,
                          sure: bool = True) -> None:
        """Show `values` (ten probabilities; None empties the bars), `chosen`
        highlighted: in the accent colour when sure, in amber when not."""
        self._values = tuple(float(v) for v in values) if values is not None else (0.0,) * 10
        self._chosen = chosen
        self._sure = sure
        self.setToolTip("\n".join(f"{digit}: {percent(p, 1)}"
                                  for digit, p in enumerate(self._values)))
        self.setAccessibleDescription(self.toolTip().replace("\n", ", "))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, 10 * _ROW_MAX)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 10 * _ROW_MIN)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        row = min(max(self.height() / 10, _ROW_MIN), _ROW_MAX)
        top = 0.0
        metrics = self.fontMetrics()
        digit_width = metrics.horizontalAdvance("0") + 10
        percent_width = metrics.horizontalAdvance("100.0 %") + 8
        bar_left = digit_width
        bar_width = max(10.0, self.width() - digit_width - percent_width)
        bold = QFont(self.font())
        bold.setBold(True)
        text = self.palette().text().color()
        for digit, value in enumerate(self._values):
            y = top + digit * row
            chosen = digit == self._chosen
            colour = (ACCENT if self._sure else UNSURE) if chosen else BAR
            painter.setFont(bold if chosen else self.font())
            painter.setPen(text)
            painter.drawText(QRectF(0, y, digit_width - 6, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             str(digit))
            bar = QRectF(bar_left, y + (row - _BAR_HEIGHT) / 2, bar_width, _BAR_HEIGHT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(bar, _BAR_HEIGHT / 2, _BAR_HEIGHT / 2)
            length = bar_width * value
            if length >= 0.5:  # less than half a pixel would only smudge the track
                radius = min(_BAR_HEIGHT, length) / 2
                painter.setBrush(colour)
                painter.drawRoundedRect(QRectF(bar.left(), bar.top(), length, _BAR_HEIGHT),
                                        radius, radius)
            painter.setPen(text)
            painter.drawText(QRectF(bar.right(), y, percent_width, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             _percent(value) if self._chosen is not None else "")


def _percent(value: float) -> str:
    if 0 < value < 0.001:
        return "<0.1 %"
    return percent(value, 1)
