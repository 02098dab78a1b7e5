"""A picture the network made (feature maps, kernels, its 28×28 input) on screen.

One pyqtgraph ImageItem in a ViewBox with a locked aspect ratio and sharp
pixels, kept for the widget's life: new pictures replace the item's data with
setImage (pyqtgraph's way), so a live view never rebuilds widgets. A second
item can lie on top (the saliency overlay). Clicks report the picture pixel
(row, column) that was clicked.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

BACKGROUND = "#2b2f36"  # around a picture: darker than any map's zero, so edges show


class PictureView(pg.GraphicsView):
    clicked = Signal(float, float)  # (row, column) in pixels of the picture

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
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture is no tab stop
        # A picture to look at, not a control: Tab passes it by (its tooltip describes it).
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
