"""The 28×28 image the network actually read, magnified with visible pixels.

Each pixel is drawn as a square (nearest neighbour, never smoothed) with a
faint grid between them, white ink on black as in MNIST, so the user sees
exactly what the preprocessing made of the drawing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.ui.i18n import Translatable

SIDE = 28
_GRID = QColor(255, 255, 255, 30)
_BACKGROUND = QColor("#000000")


class NetworkInputView(Translatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: np.ndarray | None = None
        self._pixels: QImage | None = None
        self._grid: QPixmap | None = None
        self._grid_key: tuple[int, float] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(self.sizeHint())
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("What the network sees: your drawing cropped, scaled to fit "
                                "20×20, and centred by its centre of mass in 28×28 pixels, "
                                "like MNIST"))
        self.setAccessibleName(self.tr("The 28 by 28 image the network reads"))
        self.setAccessibleDescription(self.toolTip())

    def sizeHint(self) -> QSize:
        return QSize(SIDE * 6 + 2, SIDE * 6 + 2)

    def set_image(self, image: np.ndarray | None) -> None:
        """Show a 28×28 image with values in 0..1 (ink = 1); None shows an empty grid."""
        if image is None:
            self._image, self._pixels = None, None
        else:
            image = np.asarray(image, np.float32)
            if image.shape != (SIDE, SIDE):
                raise ValueError(f"expected a {SIDE}×{SIDE} image, got {image.shape}")
            self._image = image.copy()
            grey = np.ascontiguousarray(self.grey_levels())
            # QImage borrows the buffer; copy() gives it its own.
            self._pixels = QImage(grey.data, SIDE, SIDE, SIDE,
                                  QImage.Format.Format_Grayscale8).copy()
        self.update()

    def grey_levels(self) -> np.ndarray:
        """The 28×28 grey levels (0..255) painted for the image shown now."""
        if self._image is None:
            return np.zeros((SIDE, SIDE), np.uint8)
        return np.round(np.clip(self._image, 0, 1) * 255).astype(np.uint8)

    def pixel_rect(self) -> QRectF:
        """Where the 28×28 pixels are painted, in widget coordinates."""
        cell = max(1, int((min(self.width(), self.height()) - 2) // SIDE))
        side = cell * SIDE
        return QRectF((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def _grid_for(self, area: QRectF) -> QPixmap:
        # The grid is the same for every image: draw it once per size, then
        # repainting while the user draws is two blits.
        ratio = self.devicePixelRatioF()
        key = (int(area.width()), ratio)
        if self._grid is None or self._grid_key != key:
            side = int(area.width())
            grid = QPixmap(round(side * ratio), round(side * ratio))
            grid.setDevicePixelRatio(ratio)
            grid.fill(Qt.GlobalColor.transparent)
            painter = QPainter(grid)
            painter.setPen(QPen(_GRID, 0))
            cell = side / SIDE
            for i in range(1, SIDE):
                painter.drawLine(QPointF(i * cell, 0), QPointF(i * cell, side))
                painter.drawLine(QPointF(0, i * cell), QPointF(side, i * cell))
            painter.end()
            self._grid, self._grid_key = grid, key
        return self._grid

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = self.pixel_rect()
        painter.fillRect(area, _BACKGROUND)
        if self._pixels is not None:
            # No smoothing: each of the 28×28 pixels stays a crisp square.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(area, self._pixels)
        painter.drawPixmap(area.topLeft(), self._grid_for(area))
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(area.adjusted(-0.5, -0.5, 0.5, 0.5))
