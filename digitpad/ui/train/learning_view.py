"""Filters forming: the first convolution's kernels and its maps of one probe
digit, refreshed after every epoch (and a few times in the first), and every
layer's gradient norm as a small live plot, while the Trainer tab trains.

The pictures are kept `PictureView`s and the curves kept PlotDataItems whose
data is replaced; curves are redrawn at most five times a second, like the
loss plot, so a fast run cannot flood the GUI thread.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.inside.pictures import kernels_picture, layer_picture
from digitpad.ui.i18n import Translatable
from digitpad.ui.picture_view import PictureView

if TYPE_CHECKING:
    from digitpad.training.watch import GradientNorms, LearningSnapshot

REDRAW_MS = 200
# A gradient plot this tall (pixels) shows its legend all the time and still shows
# its curves; a shorter one, only while the pointer is on it.
ROOM_FOR_LEGEND = 130
COLOURS = ["#3346c4", "#d1495b", "#2a9d8f", "#e09f3e", "#8d6cab", "#6c757d", "#43aa8b",
           "#b5651d"]


class LearningView(Translatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kernels_title = QLabel()
        self.kernels = PictureView()
        self.maps_title = QLabel()
        self.maps = PictureView()
        self.probe = PictureView()
        for view in (self.kernels, self.maps):
            view.setMinimumSize(90, 90)
        self.probe.setFixedSize(40, 40)
        self.when = QLabel()
        self.when.setWordWrap(True)
        self.norms_title = QLabel()
        self.norms = pg.PlotWidget()
        self.norms.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture, not a control: Tab skips it
        self.norms.setBackground("w")  # as the loss plot beside it
        self.norms.setLogMode(y=True)
        # No more: at the window's first size this column has about 258 pixels, and in
        # Chinese (a taller title line) the filters' caption was drawn over the pictures
        # when the plot asked for 110. It grows with the window (stretch 1).
        self.norms.setMinimumHeight(70)
        self.norms.setMouseEnabled(x=False, y=False)
        self.norms.hideButtons()
        # Short names ("conv 1", not "features.0.0") in three columns on a see-through
        # white, in a short plot shown only while the pointer is on it: at the window's
        # first size the plot is about 70 pixels tall, and a legend always there covered
        # nearly all of its curves (and lost its top row above the plot).
        self.legend = self.norms.addLegend(offset=(-2, -2), labelTextSize="7pt",
                                           labelTextColor="#333", colCount=3, verSpacing=-8,
                                           horSpacing=2, brush=pg.mkBrush(255, 255, 255, 215))
        self.legend.setVisible(False)
        self._pointed_at = False
        # On the whole plot, axis included, not only its data area, which clips it.
        self.legend.setParentItem(self.norms.getPlotItem())
        self.legend.anchor((0, 0), (0, 0), offset=(2, 1))
        self.legend.setZValue(10)  # over the axis
        self.norms.installEventFilter(self)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._kinds: dict[str, str] = {}  # layer name → "conv" or "linear", in order
        self._points: dict[str, tuple[list[float], list[float]]] = {}
        self._label_empty_axis()
        self.snapshots = 0  # how many snapshots this run has shown
        self._epochs = 0.0  # when the last of them was taken
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self._draw_curves)

        pictures = QGridLayout()
        pictures.addWidget(self.kernels_title, 0, 0)
        pictures.addWidget(self.maps_title, 0, 1)
        pictures.addWidget(self.kernels, 1, 0)
        pictures.addWidget(self.maps, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(pictures, 1)
        probe = QHBoxLayout()
        probe.addWidget(self.probe)
        probe.addWidget(self.when, 1)
        layout.addLayout(probe)
        layout.addWidget(self.norms_title)
        layout.addWidget(self.norms, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.kernels_title.setText(self.tr("First filters"))
        self.maps_title.setText(self.tr("What they see"))
        self.kernels.setToolTip(self.tr("The kernels of the first convolution: they start "
                                        "as noise and become edge and stroke detectors"))
        self.maps.setToolTip(self.tr("The first convolution's maps of the probe digit"))
        self.probe.setToolTip(self.tr("The probe digit, the same all run long"))
        self.norms_title.setText(self.tr("Gradient size per layer (log scale)"))
        self.norms.setToolTip(self.tr("How strongly each layer's weights are pushed, batch "
                                      "by batch: the gradient the tutorial prints for the first "
                                      "layer, for every layer"))
        self._show_when()
        self._name_curves()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.norms and event.type() in (QEvent.Type.Enter, QEvent.Type.Leave,
                                                      QEvent.Type.Resize):
            if event.type() != QEvent.Type.Resize:
                self._pointed_at = event.type() == QEvent.Type.Enter
            self.legend.setVisible(self._pointed_at
                                   or self.norms.height() >= ROOM_FOR_LEGEND)
        return super().eventFilter(watched, event)

    def curve_name(self, layer: str) -> str:
        """A layer's short name on screen: "conv 2" for the second convolution, "output"
        for the last fully connected layer, "dense 1" for one before it."""
        kind = self._kinds.get(layer)
        if kind is None:
            return layer
        same = [name for name, k in self._kinds.items() if k == kind]
        if kind == "linear" and layer == same[-1]:
            return self.tr("output")
        number = same.index(layer) + 1
        return (self.tr("conv {number}") if kind == "conv" else
                self.tr("dense {number}")).format(number=number)

    def _name_curves(self) -> None:
        self.legend.clear()
        for layer, curve in self._curves.items():
            self.legend.addItem(curve, self.curve_name(layer))

    def _show_when(self) -> None:
        """Under the filters: when they were taken, or how to see them form."""
        if not self.snapshots:
            self.when.setText(self.tr("Train to watch the filters form."))
        else:
            self.when.setText(self.tr("The filters at epoch {epochs}").format(
                epochs=f"{self._epochs:.2f}".rstrip("0").rstrip(".")))

    def clear(self) -> None:
        self.snapshots = 0
        self._points.clear()
        for curve in self._curves.values():
            self.norms.removeItem(curve)
        self.legend.clear()
        self._curves.clear()
        self._kinds.clear()
        self._label_empty_axis()
        self._show_when()

    def add_snapshot(self, snapshot: LearningSnapshot) -> None:
        self.snapshots += 1
        if snapshot.kernels is not None:
            self.kernels.set_picture(kernels_picture(snapshot.kernels))
        if snapshot.maps is not None:
            self.maps.set_picture(layer_picture(snapshot.maps))
        self.probe.set_picture(snapshot.probe)
        self._epochs = snapshot.epochs
        self._show_when()

    def add_norms(self, norms: GradientNorms) -> None:
        if norms.kinds and norms.kinds != self._kinds:
            self._kinds = dict(norms.kinds)
            self._name_curves()
        for name, value in norms.norms.items():
            xs, ys = self._points.setdefault(name, ([], []))
            xs.append(norms.epochs)
            ys.append(max(value, 1e-12))
        if not self._redraw.isActive():
            self._redraw.start()

    def _draw_curves(self) -> None:
        for name, (xs, ys) in self._points.items():
            curve = self._curves.get(name)
            if curve is None:
                colour = COLOURS[len(self._curves) % len(COLOURS)]
                curve = self._curves[name] = self.norms.plot(pen=pg.mkPen(colour, width=1.5),
                                                             name=self.curve_name(name))
            curve.setData(xs, ys)
        values = [y for _, ys in self._points.values() for y in ys]
        if values:
            # Labels at 1, 2 and 5 times a power of ten: pyqtgraph labels all of 0.2, 0.3, …,
            # 0.9 within a decade, which crowd each other in a plot this short.
            self.norms.getAxis("left").setTicks([log_ticks(min(values), max(values))])

    def _label_empty_axis(self) -> None:
        """An empty plot shows 1 to 10, which pyqtgraph labels 2, 3, …, 9 on top of one
        another; label it as the curves will be (and drop the last run's labels), but not
        at its very edges, where half of a label is cut off."""
        inside = [(position, label) for position, label in log_ticks(1.0, 10.0)
                  if 0 < position < 1]
        self.norms.getAxis("left").setTicks([inside])


def log_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Ticks (log10 of the value, its label) from `low` to `high` and a little either
    side (the plot's margins): at 1, 2 and 5 times the powers of ten within about a
    decade, else at the powers of ten, every few of them over many decades."""
    first, last = math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1
    span = math.log10(high / low)
    steps = (1, 2, 5) if span < 1.5 else (1,)
    every = max(1, math.ceil(span / 4))
    values = [m * 10.0 ** k for k in range(first, last + 1) if k % every == 0 for m in steps]
    return [(math.log10(v), f"{v:g}") for v in values if low / 2.5 <= v <= high * 2.5]
