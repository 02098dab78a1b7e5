"""The few colours DigitPad paints with itself, in one place.

Everything else (buttons, tabs, text) follows the desktop's palette; these are
for what we draw: the paper and ink of the pad, and the prediction's accents.
"""

from PySide6.QtGui import QColor

PAPER = QColor("#ffffff")
INK = QColor("#1d2433")
PAPER_EDGE = QColor("#c5ccd6")
WATERMARK = QColor("#b8c0cc")

ACCENT = QColor("#4c5fd5")  # the digit the network chose, when it is sure
UNSURE = QColor("#d48806")  # ... and when it is not
BAR = QColor("#a7b0bd")  # the other nine probabilities
TRACK = QColor("#e6e9ee")  # the empty part of a probability bar
MUTED = QColor("#6b7280")  # captions and hints
PROBLEM = QColor("#c0392b")  # something went wrong: a model, a file, a run
GOOD = QColor("#1e7b4f")  # a step that worked: a model saved, switched, kept


def text_colour(colour: QColor) -> str:
    """A style sheet that paints a widget's text in `colour`."""
    return f"color: {colour.name()};"


def in_colour(text: str, colour: QColor) -> str:
    """`text` as rich text in `colour`, for labels that show HTML."""
    return f"<span style='color:{colour.name()}'>{text}</span>"
