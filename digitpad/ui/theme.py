"""The few colours DigitPad paints with itself, in one place.

Everything else (buttons, tabs, text) follows the desktop's palette; these are
for what we draw: the paper and ink of the pad, and the prediction's accents.
"""

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

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


# ---- the look of the whole window: a visible focus, and high contrast -----------------

FOCUS = QColor("#1a5fb4")  # the ring around the control that has the keyboard focus


class FocusRingStyle(QProxyStyle):
    """The desktop's style, with a ring around the focused control that nobody misses.

    A proxy style rather than an application style sheet: a style sheet would send
    every widget's painting through Qt's slower style-sheet engine, the live
    prediction's included."""

    _RINGED = (QStyle.PrimitiveElement.PE_PanelButtonCommand,
               QStyle.PrimitiveElement.PE_PanelButtonTool,
               QStyle.PrimitiveElement.PE_FrameLineEdit,
               QStyle.PrimitiveElement.PE_IndicatorCheckBox,
               QStyle.PrimitiveElement.PE_IndicatorRadioButton,
               QStyle.PrimitiveElement.PE_FrameFocusRect)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in self._RINGED and option.state & QStyle.StateFlag.State_HasFocus:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(FOCUS, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(option.rect).adjusted(1, 1, -1, -1), 3, 3)
            painter.restore()


def high_contrast_palette() -> QPalette:
    """Black on white, with a dark blue for selection and focus: every text at least 7:1."""
    black, white, blue = QColor("#000000"), QColor("#ffffff"), QColor("#0b3d91")
    palette = QPalette(white)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button,
                 QPalette.ColorRole.AlternateBase, QPalette.ColorRole.ToolTipBase):
        palette.setColor(role, white)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.ToolTipText,
                 QPalette.ColorRole.Dark, QPalette.ColorRole.Shadow, QPalette.ColorRole.Mid):
        palette.setColor(role, black)
    palette.setColor(QPalette.ColorRole.Highlight, blue)
    palette.setColor(QPalette.ColorRole.HighlightedText, white)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#3a3a3a"))
    palette.setColor(QPalette.ColorRole.Link, blue)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#575757"))
    return palette


def system_wants_high_contrast() -> bool:
    """Whether the desktop asks for high contrast (where Qt can tell)."""
    hints = QGuiApplication.styleHints()  # held: the accessibility hints belong to it
    return hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast


def apply_look(app: QApplication, high_contrast: bool) -> None:
    """The focus ring always; the high-contrast palette when asked for, else the desktop's."""
    global _desktop_palette
    if not isinstance(app.style(), FocusRingStyle):
        app.setStyle(FocusRingStyle(app.style().name()))
    if _desktop_palette is None:
        _desktop_palette = QPalette(app.palette())
    app.setPalette(high_contrast_palette() if high_contrast else _desktop_palette)
    # Our own colours darken too. They are shared QColor objects, read whenever a
    # widget paints, so changing them in place reaches every pad, bar and caption.
    for colour, usual, strong in _OUR_COLOURS:
        colour.setRgba(QColor(strong if high_contrast else usual).rgba())
    for widget in app.allWidgets():
        widget.update()


_desktop_palette: QPalette | None = None
# (colour, usual, high contrast) for the colours above that are too faint for high contrast
_OUR_COLOURS = [(colour, colour.name(), strong) for colour, strong in (
    (MUTED, "#000000"), (WATERMARK, "#595959"), (PAPER_EDGE, "#000000"), (TRACK, "#bdbdbd"),
    (BAR, "#4d4d4d"), (ACCENT, "#0b3d91"), (UNSURE, "#8a4b00"))]
