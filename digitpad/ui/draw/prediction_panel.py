"""What the network made of the drawing: the digit, how sure, all ten
probabilities, and the 28×28 image it read.

The panel is honest about what it knows: an empty pad gets a hint, not a
guess; a low top probability says "not sure" and names the candidates; before
the model is loaded it says so, and still shows the 28×28 image, which needs
no model.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.figures import percent
from digitpad.ui.draw.network_input_view import NetworkInputView
from digitpad.ui.draw.probability_bars import ProbabilityBars
from digitpad.ui.theme import (
    ACCENT,
    INK,
    MUTED,
    PAPER,
    PAPER_EDGE,
    PROBLEM,
    UNSURE,
    WATERMARK,
)

if TYPE_CHECKING:  # importing the recognizer at run time would import torch
    from digitpad.recognizer import Prediction

PANEL_WIDTH = 340
DIGIT_PIXELS = 112  # the predicted digit's height
_CORNER = 10


class PanelState(Enum):
    HINT = "hint"  # nothing drawn
    WAITING = "waiting"  # something drawn, but no model yet (loading, or it failed)
    SURE = "sure"
    UNSURE = "unsure"


class PredictionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(PANEL_WIDTH)
        self.state = PanelState.HINT
        self.prediction: Prediction | None = None  # the prediction shown, if any

        self.digit = QLabel()
        self.digit.setTextFormat(Qt.TextFormat.RichText)  # for the small "?" of "not sure"
        self.digit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit.setMinimumWidth(110)
        font = QFont(self.font())
        font.setPixelSize(DIGIT_PIXELS)
        font.setWeight(QFont.Weight.DemiBold)
        self.digit.setFont(font)
        self.digit.setAccessibleName("Predicted digit")
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setMinimumHeight(self.verdict.fontMetrics().lineSpacing() * 2 + 4)
        verdict_font = QFont(self.font())
        verdict_font.setPointSizeF(verdict_font.pointSizeF() * 1.1)
        self.verdict.setFont(verdict_font)
        self.input_view = NetworkInputView()
        self.bars = ProbabilityBars()

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.digit, 1)
        seen = QVBoxLayout()
        seen.setSpacing(4)
        seen.addWidget(self.input_view, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addWidget(_caption("What the network sees", small=True),
                       0, Qt.AlignmentFlag.AlignHCenter)
        top.addLayout(seen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(_caption("Prediction"))
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addSpacing(4)
        layout.addWidget(_caption("All ten digits"))
        layout.addWidget(self.bars)
        layout.addStretch(1)
        self.show_hint()

    def paintEvent(self, event: QPaintEvent) -> None:
        # A card, like the pad's paper, so the answer stands apart from the
        # controls. Painted here rather than with a style sheet, which would
        # make every label inside repaint through the slower style-sheet engine.
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(PAPER_EDGE, 1))
        painter.setBrush(PAPER)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5),
                                _CORNER, _CORNER)

    def show_hint(self) -> None:
        """Nothing drawn: invite the user instead of guessing."""
        self._show(PanelState.HINT, None, "", WATERMARK,
                   "Draw a digit from 0 to 9 on the pad.", MUTED, None)

    def show_waiting(self, image: np.ndarray, problem: str | None = None) -> None:
        """Something is drawn but there is no model: loading, or `problem`."""
        if problem is None:
            text, colour = "Loading the model…\nthe reading appears in a moment.", MUTED
        else:
            text, colour = f"No reading: {problem}", PROBLEM
        self._show(PanelState.WAITING, None, _small("…" if problem is None else "!"),
                   WATERMARK, text, colour, image)

    def show_prediction(self, prediction: Prediction) -> None:
        if prediction.digit is None:
            self.show_hint()
            return
        confidence = percent(prediction.confidence, 1)
        if prediction.sure:
            self._show(PanelState.SURE, prediction, str(prediction.digit), INK,
                       f"{confidence} sure", ACCENT, prediction.image)
            return
        self._show(PanelState.UNSURE, prediction, f"{prediction.digit}{_small('?')}", UNSURE,
                   f"Not sure: {prediction.reason}.\nMaybe {_candidates(prediction)}.",
                   UNSURE, prediction.image)

    def _show(self, state: PanelState, prediction: Prediction | None, digit: str,
              digit_colour: QColor, text: str, text_colour: QColor,
              image: np.ndarray | None) -> None:
        self.state = state
        self.prediction = prediction
        self.digit.setText(digit)
        _set_colour(self.digit, digit_colour)
        self.verdict.setText(text)
        _set_colour(self.verdict, text_colour)
        self.input_view.set_image(image)
        if prediction is None:
            self.bars.set_probabilities(None)
        else:
            self.bars.set_probabilities(prediction.probabilities, prediction.digit,
                                        prediction.sure)


def _candidates(prediction: Prediction) -> str:
    """The two most probable digits, as the user would say it: "7 (45 %) or 1 (30 %)"."""
    order = np.argsort(prediction.probabilities)[::-1][:2]
    return " or ".join(f"{d} ({percent(prediction.probabilities[d], 0)})" for d in order)


def _small(text: str) -> str:
    """`text` at half the digit's size: a mark beside the digit, not a second digit."""
    return f"<span style='font-size:{DIGIT_PIXELS // 2}px'>{text}</span>"


def _caption(text: str, small: bool = False) -> QLabel:
    label = QLabel(text if small else text.upper())
    font = QFont(label.font())
    if small:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    else:
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(font)
    _set_colour(label, MUTED)
    return label


def _set_colour(label: QLabel, colour: QColor) -> None:
    palette = label.palette()
    palette.setColor(label.foregroundRole(), colour)
    label.setPalette(palette)
