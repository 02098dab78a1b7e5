"""What the network made of the drawing: the digit, how sure, all ten
probabilities, and the 28×28 image it read.

The panel is honest about what it knows: an empty pad gets a hint, not a
guess; a low top probability says "not sure" and names the candidates; before
the model is loaded it says so, and still shows the 28×28 image, which needs
no model.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.figures import percent
from digitpad.ui.draw.network_input_view import NetworkInputView
from digitpad.ui.draw.probability_bars import ProbabilityBars
from digitpad.ui.i18n import Translatable
from digitpad.ui.i18n.core_words import core_phrase
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
    from digitpad.reading import Prediction

PANEL_WIDTH = 340
DIGIT_PIXELS = 112  # the predicted digit's height
_CORNER = 10


class PanelState(Enum):
    HINT = "hint"  # nothing drawn
    WAITING = "waiting"  # something drawn, but no model yet (loading, or it failed)
    SURE = "sure"
    UNSURE = "unsure"
    NOT_A_DIGIT = "not a digit"


class PredictionPanel(Translatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(PANEL_WIDTH)
        self.state = PanelState.HINT
        self.spoken = ""  # the reading in one line, as a screen reader should say it
        self.prediction: Prediction | None = None  # the prediction shown, if any

        self.digit = QLabel()
        self.digit.setTextFormat(Qt.TextFormat.RichText)  # for the small "?" of "not sure"
        self.digit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit.setMinimumWidth(110)
        font = QFont(self.font())
        font.setPixelSize(DIGIT_PIXELS)
        font.setWeight(QFont.Weight.DemiBold)
        self.digit.setFont(font)
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
        self.seen_caption = _caption(small=True)
        seen.addWidget(self.seen_caption, 0, Qt.AlignmentFlag.AlignHCenter)
        top.addLayout(seen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        self.prediction_caption = _caption()
        layout.addWidget(self.prediction_caption)
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addSpacing(4)
        self.bars_caption = _caption()
        layout.addWidget(self.bars_caption)
        layout.addWidget(self.bars)
        layout.addStretch(1)
        self._shown: Callable[[], None] = self.show_hint  # shows it again in another language
        self.retranslate()

    def retranslate(self) -> None:
        self.prediction_caption.setText(self.tr("Prediction").upper())
        self.seen_caption.setText(self.tr("What the network sees"))
        self.bars_caption.setText(self.tr("All ten digits").upper())
        self.digit.setAccessibleName(self.tr("Predicted digit"))
        self.verdict.setAccessibleName(self.tr("Prediction"))
        self._shown()

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
        self._shown = self.show_hint
        self._show(PanelState.HINT, None, "", WATERMARK,
                   self.tr("Draw a digit from 0 to 9 on the pad."), MUTED, None)

    def show_waiting(self, image: np.ndarray, problem: str | None = None) -> None:
        """Something is drawn but there is no model: loading, or `problem`."""
        self._shown = lambda: self.show_waiting(image, problem)
        if problem is None:
            text, colour = self.tr("Loading the model…\nthe reading appears in a moment."), MUTED
        else:
            text, colour = self.tr("No reading: {problem}").format(problem=problem), PROBLEM
        self._show(PanelState.WAITING, None, _small("…" if problem is None else "!"),
                   WATERMARK, text, colour, image)

    def show_prediction(self, prediction: Prediction) -> None:
        if prediction.digit is None or prediction.verdict == "empty":
            self.show_hint()
            return
        self._shown = lambda: self.show_prediction(prediction)
        confidence = percent(prediction.confidence, 1)
        if prediction.verdict == "not a digit":
            # No digit at all, so none is shown: a mark, and what to do instead.
            self._show(PanelState.NOT_A_DIGIT, prediction, _small("✗"), UNSURE,
                       self.tr("Not a digit ({confidence} sure).\nDraw one digit from 0 to 9.")
                       .format(confidence=percent(prediction.not_a_digit, 0)), UNSURE,
                       prediction.image)
            return
        if prediction.sure:
            self._show(PanelState.SURE, prediction, str(prediction.digit), INK,
                       self.tr("{confidence} sure").format(confidence=confidence), ACCENT,
                       prediction.image)
            return
        self._show(PanelState.UNSURE, prediction, f"{prediction.digit}{_small('?')}", UNSURE,
                   self.tr("Not sure: {reason}.\nMaybe {candidates}.").format(
                       reason=core_phrase(prediction.reason),
                       candidates=_candidates(prediction)),
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
        # What a screen reader says (the Draw tab announces it when the pen is lifted):
        # "8, 94.0 % sure", or "7? Not sure: …", or the hint.
        self.spoken = text.replace("\n", " ") if prediction is None \
            or state is PanelState.NOT_A_DIGIT else \
            self.tr("{digit}, {verdict}").format(
                digit=prediction.digit if prediction.sure else f"{prediction.digit}?",
                verdict=text.replace("\n", " "))
        self.digit.setAccessibleDescription(self.spoken)
        self.input_view.set_image(image)
        if prediction is None:
            self.bars.set_probabilities(None)
        else:
            chosen = None if state is PanelState.NOT_A_DIGIT else prediction.digit
            self.bars.set_probabilities(prediction.probabilities, chosen, prediction.sure)


def _candidates(prediction: Prediction) -> str:
    """The two most probable digits, as the user would say it: "7 (45 %) or 1 (30 %)"."""
    order = (prediction.digit, prediction.runner_up) if prediction.runner_up is not None \
        else np.argsort(prediction.probabilities)[::-1][:2]
    return QCoreApplication.translate("PredictionPanel", " or ").join(
        f"{d} ({percent(prediction.probabilities[d], 0)})" for d in order)


def _small(text: str) -> str:
    """`text` at half the digit's size: a mark beside the digit, not a second digit."""
    return f"<span style='font-size:{DIGIT_PIXELS // 2}px'>{text}</span>"


def _caption(small: bool = False) -> QLabel:
    label = QLabel()
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
