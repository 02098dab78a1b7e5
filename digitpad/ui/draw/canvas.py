"""The drawing pad: a square sheet of paper the user draws a digit on.

The drawing is kept as vectors: a list of `Stroke`s in the drawing's own
coordinates, a DRAWING_SIDE × DRAWING_SIDE square whatever the widget's size,
so a drawing survives resizing the window and replays the same everywhere.
Qt paints it anti-aliased with round caps and joins at the screen's device
pixel ratio (crisp on high-DPI screens). The network never sees these screen
pixels: it reads ``render_strokes(canvas.strokes(), canvas.canvas_size())``,
which depends only on the strokes.

For writing a number the pad is made wider (`set_canvas_size`, e.g. 3:1) and
the digits found are shown as boxes over the ink (`set_marks`).

Replaying a drawing without a mouse (tests, benchmarks, the sample store)::

    canvas.set_strokes(strokes)   # replace the drawing, one undoable step
    canvas.replay(strokes)        # draw them point by point, as a pen would
    canvas.begin_stroke(x, y); canvas.extend_stroke(x, y); ...; canvas.end_stroke()
    canvas.strokes(); canvas.canvas_size()
    canvas.changed                # emitted whenever what strokes() returns changes
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPointingDevice,
    QPolygonF,
    QResizeEvent,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.drawing.drawing import Drawing
from digitpad.drawing.strokes import Stroke
from digitpad.ui.i18n import Translatable
from digitpad.ui.theme import ACCENT, FOCUS, INK, PAPER, PAPER_EDGE, UNSURE, WATERMARK

# The drawing's coordinate system: a square this many units wide, mapped onto
# whatever square the widget has room for.
DRAWING_SIDE = 400.0
DEFAULT_PEN_WIDTH = 20.0
MIN_PEN_WIDTH = 4.0
MAX_PEN_WIDTH = 48.0

_MARGIN = 4  # widget pixels around the paper, room for its edge
_CORNER = 10  # paper corner radius, widget pixels


@dataclass(frozen=True)
class Mark:
    """A box drawn over the ink, in drawing units, with a short label."""

    box: tuple[float, float, float, float]  # x, y, width, height
    label: str
    sure: bool = True


class Canvas(Translatable, QWidget):
    """A square drawing pad; see the module docstring for the replay API."""

    changed = Signal()  # the drawing changed: a point, a stroke, undo, redo, clear
    history_changed = Signal()  # can_undo() or can_redo() may have changed
    pen_width_changed = Signal(float)
    eraser_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The strokes and their undo history live in a Qt-free Drawing; this
        # widget paints it and feeds it pen events.
        self._drawing = Drawing()
        self._size = (DRAWING_SIDE, DRAWING_SIDE)
        self._marks: list[Mark] = []
        self._watermark: str | None = None
        self._pen_width = DEFAULT_PEN_WIDTH
        self._eraser = False
        self._mouse_button: Qt.MouseButton | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # The right button erases, so it must not open a context menu.
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 240)
        self.retranslate()
        self._update_cursor()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Drawing pad"))
        self.setAccessibleDescription(self.tr("Draw one digit from 0 to 9 here with the mouse, "
                                              "a pen or a finger"))

    # ---- the drawing ---------------------------------------------------------------

    def canvas_size(self) -> tuple[float, float]:
        """The drawing's size (width, height) in the units of its strokes' points."""
        return self._size

    def set_canvas_size(self, width: float, height: float) -> None:
        """Make the pad `width` × `height` drawing units (a wide pad for writing a
        number); the strokes keep their coordinates."""
        self._size = (float(width), float(height))
        self._update_cursor()
        self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:
        return self._size[0] > self._size[1]  # a wide pad needs only the height its width gives

    def heightForWidth(self, width: int) -> int:
        w, h = self._size
        return int((width - 2 * _MARGIN) * h / w) + 2 * _MARGIN

    def set_marks(self, marks: Sequence[Mark]) -> None:
        """Boxes to draw over the ink, each with a label (the digits found in a number)."""
        self._marks = list(marks)
        self.update()

    def marks(self) -> list[Mark]:
        return list(self._marks)

    def set_watermark(self, text: str | None) -> None:
        """What an empty pad invites the user to do; None: the usual invitation."""
        self._watermark = text
        self.update()

    def strokes(self) -> list[Stroke]:
        """The drawing as it is now, oldest stroke first, including one being drawn.
        Copies: changing them does not change the drawing."""
        return self._drawing.strokes()

    def is_empty(self) -> bool:
        return self._drawing.is_empty()

    def is_drawing(self) -> bool:
        """True between begin_stroke() and end_stroke()."""
        return self._drawing.is_drawing()

    def begin_stroke(self, x: float, y: float, *, eraser: bool | None = None,
                     width: float | None = None) -> None:
        """Put the pen down at (x, y); eraser and width default to the current tool."""
        self.end_stroke()
        self._drawing.begin_stroke(x, y, width=self._pen_width if width is None else width,
                                   eraser=self._eraser if eraser is None else eraser)
        start = self._drawing.current().points[0]
        self._update_between(start, start)
        self.changed.emit()
        self.history_changed.emit()

    def extend_stroke(self, x: float, y: float) -> None:
        """Move the pen, while it is down, to (x, y)."""
        last = self._drawing.extend_stroke(x, y)
        if last is None:
            return
        self._update_between(last, self._drawing.current().points[-1])
        self.changed.emit()

    def end_stroke(self) -> None:
        """Lift the pen: the stroke becomes one step that undo can take back."""
        if self._drawing.end_stroke():
            self.history_changed.emit()

    def cancel_stroke(self) -> None:
        """Drop the stroke being drawn (the system took the pen or finger away)."""
        if self._drawing.cancel_stroke():
            self._changed_all()

    def add_stroke(self, stroke: Stroke) -> None:
        """Add a finished stroke in one step."""
        self._drawing.add_stroke(stroke)
        self._changed_all()

    def set_strokes(self, strokes: Iterable[Stroke]) -> None:
        """Replace the drawing with `strokes` in one undoable step."""
        self._drawing.set_strokes(strokes)
        self._changed_all()

    def replay(self, strokes: Iterable[Stroke]) -> None:
        """Draw `strokes` on top of the drawing point by point, as a pen would:
        every point emits `changed`, every stroke is one undo step."""
        for stroke in strokes:
            if not stroke.points:
                continue
            self.begin_stroke(*stroke.points[0], eraser=stroke.eraser, width=stroke.width)
            for x, y in stroke.points[1:]:
                self.extend_stroke(x, y)
            self.end_stroke()

    def clear(self) -> None:
        """Empty the canvas (undo brings the drawing back)."""
        if self._drawing.clear():
            self._changed_all()

    def can_undo(self) -> bool:
        return self._drawing.can_undo()

    def can_redo(self) -> bool:
        return self._drawing.can_redo()

    def undo(self) -> None:
        """Take back the last stroke (or the last clear)."""
        if self._drawing.undo():
            self._changed_all()

    def redo(self) -> None:
        if self._drawing.redo():
            self._changed_all()

    def _changed_all(self) -> None:
        self.update()
        self.changed.emit()
        self.history_changed.emit()

    # ---- the tool ------------------------------------------------------------------

    def pen_width(self) -> float:
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        """Width of the strokes drawn from now on, in drawing units."""
        width = min(max(float(width), MIN_PEN_WIDTH), MAX_PEN_WIDTH)
        if width == self._pen_width:
            return
        self._pen_width = width
        self._update_cursor()
        self.pen_width_changed.emit(width)

    def is_eraser(self) -> bool:
        return self._eraser

    def set_eraser(self, eraser: bool) -> None:
        """Whether new strokes rub ink out instead of adding it."""
        if eraser == self._eraser:
            return
        self._eraser = eraser
        self._update_cursor()
        self.eraser_changed.emit(eraser)

    # ---- geometry ------------------------------------------------------------------

    def paper_rect(self) -> QRectF:
        """The rectangle the drawing occupies, in widget coordinates: the largest one
        of the drawing's shape that fits, centred, so the pad keeps its shape (square
        for a digit) as the window resizes."""
        width, height = self._size
        room_w = max(0.0, self.width() - 2.0 * _MARGIN)
        room_h = max(0.0, self.height() - 2.0 * _MARGIN)
        scale = min(room_w / width, room_h / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def to_drawing(self, position: QPointF) -> tuple[float, float]:
        """Widget coordinates → drawing coordinates."""
        paper, scale = self.paper_rect(), self._scale()
        return ((position.x() - paper.left()) / scale, (position.y() - paper.top()) / scale)

    def from_drawing(self, x: float, y: float) -> QPointF:
        """Drawing coordinates → widget coordinates."""
        paper, scale = self.paper_rect(), self._scale()
        return QPointF(paper.left() + x * scale, paper.top() + y * scale)

    def _scale(self) -> float:
        return max(self.paper_rect().width(), 1.0) / self._size[0]

    # ---- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paper = self.paper_rect()
        outline = QPainterPath()
        outline.addRoundedRect(paper, _CORNER, _CORNER)
        painter.fillPath(outline, PAPER)
        painter.setPen(QPen(PAPER_EDGE, 1))
        painter.drawPath(outline)
        if self.hasFocus():  # keyboard users see where their keys go (digits, Esc, Ctrl+Z)
            painter.setPen(QPen(FOCUS, 3))
            painter.drawPath(outline)
        painter.setClipPath(outline)
        if self.is_empty():
            self._paint_watermark(painter, paper)
            return
        painter.translate(paper.topLeft())
        painter.scale(self._scale(), self._scale())
        for stroke in self._drawing.finished_strokes():
            _paint_stroke(painter, stroke)
        current = self._drawing.current()
        if current is not None:
            _paint_stroke(painter, current)
        if self._marks:
            painter.resetTransform()
            self._paint_marks(painter)

    def _paint_marks(self, painter: QPainter) -> None:
        painter.setFont(self._mark_font())
        for mark, box, tab in self.mark_tabs():
            colour = ACCENT if mark.sure else UNSURE
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box, 4, 4)
            painter.fillRect(tab, colour)
            painter.setPen(PAPER)
            painter.drawText(tab, Qt.AlignmentFlag.AlignCenter, mark.label)

    def _mark_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(11, int(self.paper_rect().height() / 22)))
        font.setBold(True)
        return font

    def mark_tabs(self) -> list[tuple[Mark, QRectF, QRectF]]:
        """(mark, its box, its label's tab) in widget pixels. A tab sits on its box's top
        edge; where it would cover an earlier tab (narrow digits close together, such as
        a 1 beside a 7) it hangs from the box's bottom edge instead, so every label stays
        readable. Tabs stay on the paper."""
        metrics = QFontMetricsF(self._mark_font())
        paper = self.paper_rect()
        placed: list[tuple[Mark, QRectF, QRectF]] = []
        for mark in self._marks:
            x, y, w, h = mark.box
            box = QRectF(self.from_drawing(x, y), self.from_drawing(x + w, y + h))
            tab = metrics.boundingRect(mark.label).adjusted(-4, -1, 4, 1)
            left = min(box.left(), paper.right() - tab.width())
            tab.moveTo(max(paper.left(), left), max(paper.top(), box.top() - tab.height()))
            if any(tab.intersects(other) for *_, other in placed):
                tab.moveTop(min(paper.bottom() - tab.height(), box.bottom()))
            placed.append((mark, box, tab))
        return placed

    def _paint_watermark(self, painter: QPainter, paper: QRectF) -> None:
        font = painter.font()
        font.setPixelSize(max(12, int(paper.height() / 16)))
        painter.setFont(font)
        painter.setPen(WATERMARK)
        text = self._watermark if self._watermark is not None else self.tr("Draw a digit here")
        painter.drawText(paper, Qt.AlignmentFlag.AlignCenter, text)

    def _update_between(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        # Repaint only around the newest segment: drawing stays cheap however
        # large the window is.
        current = self._drawing.current()
        assert current is not None
        reach = current.width / 2 + 2
        top_left = self.from_drawing(min(a[0], b[0]) - reach, min(a[1], b[1]) - reach)
        bottom_right = self.from_drawing(max(a[0], b[0]) + reach, max(a[1], b[1]) + reach)
        self.update(QRectF(top_left, bottom_right).toAlignedRect().adjusted(-2, -2, 2, 2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_cursor()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()  # the focus ring

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _update_cursor(self) -> None:
        # A ring as wide as the pen shows exactly where ink will go.
        diameter = max(6.0, self._pen_width * self._scale())
        ratio = self.devicePixelRatioF()
        side = math.ceil(diameter + 6)
        pixmap = QPixmap(math.ceil(side * ratio), math.ceil(side * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = QRectF((side - diameter) / 2, (side - diameter) / 2, diameter, diameter)
        painter.setPen(QPen(QColor(255, 255, 255, 220), 3))
        painter.drawEllipse(ring)
        style = Qt.PenStyle.DashLine if self._eraser else Qt.PenStyle.SolidLine
        painter.setPen(QPen(INK, 1, style))
        painter.drawEllipse(ring)
        painter.end()
        self.setCursor(QCursor(pixmap, -1, -1))  # -1, -1: the hot spot is the centre

    # ---- input: mouse, pen tablet, touch -------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton) \
                or self._mouse_button is not None \
                or not self.paper_rect().contains(event.position()):
            event.ignore()
            return
        self._mouse_button = button
        # The right button always rubs out: no need to switch tools for a quick fix.
        eraser = True if button == Qt.MouseButton.RightButton else None
        self.begin_stroke(*self.to_drawing(event.position()), eraser=eraser)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._mouse_button is not None:
            self.extend_stroke(*self.to_drawing(event.position()))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == self._mouse_button:
            self.extend_stroke(*self.to_drawing(event.position()))
            self.end_stroke()
            self._mouse_button = None
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepting tablet events stops Qt from also sending them as mouse events.
        kind = event.type()
        position = event.position()
        if kind == QEvent.Type.TabletPress and self.paper_rect().contains(position):
            # The pen's eraser end rubs out, as on paper.
            eraser = True if event.pointerType() == QPointingDevice.PointerType.Eraser else None
            self.begin_stroke(*self.to_drawing(position), eraser=eraser)
        elif kind == QEvent.Type.TabletMove:
            self.extend_stroke(*self.to_drawing(position))
        elif kind == QEvent.Type.TabletRelease:
            self.extend_stroke(*self.to_drawing(position))
            self.end_stroke()
        event.accept()

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent) and \
                event.device().type() == QInputDevice.DeviceType.TouchScreen:
            self._touch(event)
            return True
        # Touchpads and everything else: Qt turns them into mouse events.
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        kind = event.type()
        points = event.points()
        event.accept()
        if kind == QEvent.Type.TouchCancel or len(points) > 1:
            self.cancel_stroke()  # a second finger means a gesture, not a digit
            return
        if not points:
            return
        position = points[0].position()
        if kind == QEvent.Type.TouchBegin and self.paper_rect().contains(position):
            self.begin_stroke(*self.to_drawing(position))
        elif kind == QEvent.Type.TouchUpdate:
            self.extend_stroke(*self.to_drawing(position))
        elif kind == QEvent.Type.TouchEnd:
            self.extend_stroke(*self.to_drawing(position))
            self.end_stroke()


def _paint_stroke(painter: QPainter, stroke: Stroke) -> None:
    # The paper is one plain colour, so rubbing out is painting with it.
    colour = PAPER if stroke.eraser else INK
    painter.setPen(QPen(colour, stroke.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    points: Sequence[tuple[float, float]] = stroke.points
    if len(points) == 1:
        painter.drawPoint(QPointF(*points[0]))  # with a round cap: a dot as wide as the pen
    else:
        painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in points]))

