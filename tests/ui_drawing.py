"""Drawing like a person does, for the user-interface tests: mouse strokes and
a few digits in the canvas' drawing units (a 400×400 square)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from digitpad.ui.draw.canvas import Canvas

# A clear "7": a bar, then a diagonal.
SEVEN = [(120, 90), (170, 90), (230, 91), (290, 92), (270, 160), (240, 230), (215, 290),
         (190, 340)]
# A "1": one vertical stroke.
ONE = [(200, 70), (200, 150), (201, 230), (202, 330)]


def draw(canvas: Canvas, points: Sequence[tuple[float, float]],
         button: Qt.MouseButton = Qt.MouseButton.LeftButton) -> None:
    """Draw one stroke with mouse events, through `points` in drawing units."""
    positions = [canvas.from_drawing(x, y).toPoint() for x, y in points]
    QTest.mousePress(canvas, button, Qt.KeyboardModifier.NoModifier, positions[0])
    for position in positions[1:]:
        QTest.mouseMove(canvas, position)
    QTest.mouseRelease(canvas, button, Qt.KeyboardModifier.NoModifier, positions[-1])


def activate(qtbot, window) -> None:
    """Make `window` the active window, so its keyboard shortcuts work."""
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(window.isActiveWindow)
