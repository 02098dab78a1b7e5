"""A picture the network made (feature maps, kernels, its 28×28 input) on screen.

One pyqtgraph ImageItem in a ViewBox with a locked aspect ratio and sharp
pixels, kept for the widget's life: new pictures replace the item's data with
setImage (pyqtgraph's way), so a live view never rebuilds widgets. A second
item can lie on top (the saliency overlay). Clicks report the picture pixel
(row, column) that was clicked.

A view of tiled maps can also be used from the keyboard (`choose_by_keyboard`):
Tab stops on it, the arrow keys, Home and End move a frame from tile to tile,
and every move reports the tile, as a click on it would.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from digitpad.inside.pictures import GAP, grid_shape, tile_positions

BACKGROUND = "#2b2f36"  # around a picture: darker than any map's zero, so edges show
FRAME = "#ffb000"  # the keyboard's tile: amber shows on black, white and grey maps alike


class PictureView(pg.GraphicsView):
    clicked = Signal(float, float)  # (row, column) in pixels of the picture
    tile_chosen = Signal(int)  # a tile chosen from the keyboard: its index in the grid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=BACKGROUND)
        self.setFrameShape(pg.QtWidgets.QFrame.Shape.NoFrame)
        # Opaque: an update repaints this view alone, not every widget behind it
        # (a transparent view made the whole window repaint on each pen event).
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.box = pg.ViewBox(lockAspect=True, enableMouse=False, invertY=True,
                              defaultPadding=0.0, enableMenu=False)
        self.setCentralItem(self.box)
        self.picture = pg.ImageItem(axisOrder="row-major")
        self.overlay = pg.ImageItem(axisOrder="row-major")
        self.overlay.setVisible(False)
        self.box.addItem(self.picture)
        self.box.addItem(self.overlay)
        self._shape: tuple[int, ...] | None = None
        self._tiles: tuple[int, int, int] | None = None  # (count, height, width)
        self._current = 0
        self.frame = QGraphicsRectItem()
        pen = QPen(QColor(FRAME), 2)
        pen.setCosmetic(True)  # two screen pixels wide at any zoom
        self.frame.setPen(pen)
        self.frame.setVisible(False)
        self.box.addItem(self.frame)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # A picture to look at, not a control: Tab passes it by (its tooltip describes
        # it), unless its tiles can be chosen from the keyboard.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_picture(self, picture: np.ndarray) -> None:
        """Show a float picture in 0..1 (black 0, white 1)."""
        self.picture.setImage(picture, autoLevels=False, levels=(0.0, 1.0))
        if picture.shape != self._shape:  # only a new size needs the view fitted again
            self._shape = picture.shape
            self.box.setRange(xRange=(0, picture.shape[1]), yRange=(0, picture.shape[0]),
                              padding=0.0)

    def set_overlay(self, rgba: np.ndarray | None) -> None:
        """An RGBA uint8 picture over the first, or None to hide it."""
        if rgba is None:
            self.overlay.setVisible(False)
            return
        self.overlay.setImage(rgba, autoLevels=False, levels=(0, 255))
        self.overlay.setVisible(True)

    def choose_by_keyboard(self, count: int, height: int, width: int) -> None:
        """The picture is `count` tiles of height×width (pictures.tile): let the
        keyboard move between them."""
        self._tiles = (count, height, width)
        self._current = min(self._current, count - 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._place_frame()

    def set_current_tile(self, index: int) -> None:
        """Move the keyboard's frame to a tile (e.g. the one just clicked)."""
        if self._tiles is not None and 0 <= index < self._tiles[0]:
            self._current = index
            self._place_frame()

    def _place_frame(self) -> None:
        if self._tiles is None:
            return
        count, height, width = self._tiles
        top, left = tile_positions(count, height, width)[self._current]
        # Around the tile, over the gaps beside it, so the map itself stays visible.
        self.frame.setRect(QRectF(left - GAP / 2, top - GAP / 2, width + GAP, height + GAP))
        self.frame.setVisible(self.hasFocus())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._tiles is None:
            super().keyPressEvent(event)
            return
        count = self._tiles[0]
        columns = grid_shape(count)[1]
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1,
                 Qt.Key.Key_Up: -columns, Qt.Key.Key_Down: columns}
        key = event.key()
        if key in moves:
            target = self._current + moves[key]
        elif key == Qt.Key.Key_Home:
            target = 0
        elif key == Qt.Key.Key_End:
            target = count - 1
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            target = self._current
        else:
            super().keyPressEvent(event)
            return
        event.accept()  # not QGraphicsView's scrolling
        if 0 <= target < count:
            self.set_current_tile(target)
            self.tile_chosen.emit(target)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self._tiles is not None:
            self._place_frame()
            self.tile_chosen.emit(self._current)  # what the frame is on is shown enlarged

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.frame.setVisible(False)

    def has_picture(self) -> bool:
        return self._shape is not None

    def pixel_at(self, position: QPointF) -> tuple[float, float]:
        """The picture pixel (row, column) under a widget position."""
        point = self.box.mapSceneToView(self.mapToScene(position.toPoint()))
        return point.y(), point.x()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._shape is not None:
            self.clicked.emit(*self.pixel_at(event.position()))
        super().mousePressEvent(event)


def saliency_overlay(saliency: np.ndarray, alpha: int = 230) -> np.ndarray:
    """Signed saliency as RGBA: red where ink pushed towards the digit, blue where it
    pushed away; the stronger, the more opaque."""
    peak = max(float(np.abs(saliency).max()), 1e-12)
    strength = np.clip(np.abs(saliency) / peak, 0.0, 1.0)
    rgba = np.zeros((*saliency.shape, 4), np.uint8)
    towards = saliency > 0
    rgba[towards] = (214, 40, 40, 0)
    rgba[~towards] = (40, 90, 214, 0)
    rgba[..., 3] = np.rint(np.sqrt(strength) * alpha).astype(np.uint8)
    return rgba
