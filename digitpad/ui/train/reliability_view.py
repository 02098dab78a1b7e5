"""How far the model in use can be taken at its word: a small reliability
diagram (how often it is right against how sure it says it is, per confidence
bin) and its expected calibration error, from the bin data its calibration
stored in the model file (trainer/calibration.py). A model without
calibration data says so instead.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from digitpad.figures import percent
from digitpad.ui.i18n import Translatable
from digitpad.ui.i18n.core_words import core_phrase
from digitpad.ui.theme import ACCENT, MUTED, WATERMARK, text_colour

SIZE = (200, 118)


class ReliabilityView(Translatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calibration: dict = {}
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(text_colour(MUTED))
        self.plot = pg.PlotWidget(background="w")
        self.plot.setFixedSize(*SIZE)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture, not a control: Tab skips it
        # Room for the biggest dot at the corner (1, 1).
        self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.05)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTicks([[(0, "0"), (0.5, "0.5"), (1, "1")]])
        self.plot.plot([0, 1], [0, 1], pen=pg.mkPen(WATERMARK, width=1, style=Qt.PenStyle.DashLine))
        self.curve = self.plot.plot([], [], pen=pg.mkPen(ACCENT, width=2), symbol="o",
                                    symbolSize=5, symbolBrush=ACCENT, symbolPen=None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot)
        self.setFixedWidth(SIZE[0] + 10)
        self.retranslate()

    def retranslate(self) -> None:
        # Across: how sure it says it is; up: how often it is then right (the caption
        # says so; a vertical label would not fit this small a plot).
        self.plot.setLabel("bottom", self.tr("how sure"))
        self.set_calibration(self.calibration)

    def set_calibration(self, calibration: dict) -> None:
        """Show the reliability stored in `calibration` (a model file's), or say there is none."""
        self.calibration = calibration or {}
        bins = self.calibration.get("reliability")
        points = _points(bins)
        if points:
            xs, ys, counts = zip(*points, strict=True)
            # A bin of two readings zigzags as much as one of ten thousand: the dots'
            # size says how many readings each point stands on.
            self.curve.setData(xs, ys, symbolSize=[dot_size(n) for n in counts])
        else:
            self.curve.setData([], [])
        self.plot.setVisible(bool(points))
        if not points:
            self.caption.setText(self.tr("Confidence: not calibrated"))
        else:
            self.caption.setText(self.tr("Confidence vs accuracy: off by {ece} on average")
                                 .format(ece=_unbroken(percent(bins.get("ece"), 1))))
        self.caption.setToolTip(self.tr("Measured on: {data}.\nThe bigger a dot, the more "
                                        "readings it stands on.").format(
            data=core_phrase(self.calibration.get("fitted_on", "–"))) if points else "")
        self.plot.setToolTip(self.caption.toolTip())
        self.setAccessibleDescription(self.caption.text())


def _unbroken(figure: str) -> str:
    """The figure with a no-break space before its %, so a wrapped caption keeps
    "0.1 %" on one line."""
    return figure.replace(" %", "\u00a0%")


def dot_size(count: int) -> float:
    """Pixels across for a bin of `count` readings: 3 for one, 11 for ten thousand."""
    return 3.0 + 2.0 * math.log10(max(count, 1))


def _points(bins: object) -> list[tuple[float, float, int]]:
    """(mean confidence, accuracy, readings) of the bins that hold readings; [] for
    damaged data."""
    if not isinstance(bins, dict):
        return []
    try:
        rows = zip(bins["confidence"], bins["accuracy"], bins["counts"], strict=True)
        return [(float(c), float(a), int(n)) for c, a, n in rows
                if n and 0 <= c <= 1 and 0 <= a <= 1]
    except (KeyError, TypeError, ValueError):
        return []
