"""The live plot of a run: loss per batch and per epoch, accuracy per epoch.

The x axis counts epochs (batch b of epoch e sits at e − 1 + b/batches), so
per-batch and per-epoch curves share one axis, and runs with other batch
sizes or data sizes can be overlaid fairly. Each curve is one PlotDataItem
whose data is replaced with setData (pyqtgraph's way); repaints are batched
by a timer (five a second), so a fast run cannot flood the GUI thread: the
window must stay responsive and the training thread keep its core.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from digitpad.store.runs import Run
from digitpad.ui.i18n import Translatable
from trainer.engine import BatchEnd, EpochEnd

# Exponential smoothing of the batch loss, debiased at the start (as TensorBoard does).
SMOOTHING = 0.9
REDRAW_MS = 200

RAW = "#b9c3f0"
SMOOTH = "#3346c4"
TEST = "#d1495b"
TRAIN = "#2a9d8f"
OVERLAY = ["#8d6cab", "#e09f3e", "#6c757d", "#43aa8b", "#b5651d"]
LEGEND = dict(colCount=3, labelTextColor="#333", labelTextSize="8pt", verSpacing=-8,
              horSpacing=2,
              brush=pg.mkBrush(255, 255, 255, 215))


def smooth(values: Sequence[float], weight: float = SMOOTHING) -> list[float]:
    out, average = [], 0.0
    for n, value in enumerate(values, start=1):
        average = weight * average + (1 - weight) * value
        out.append(average / (1 - weight ** n))
    return out


def _epoch_curves(records: Sequence[dict]) -> dict[str, tuple[list[float], list[float]]]:
    curves: dict[str, tuple[list[float], list[float]]] = {}
    for key in ("test_loss", "train_accuracy", "test_accuracy"):
        xs = [float(r["epoch"]) for r in records if key in r]
        scale = 100.0 if key.endswith("accuracy") else 1.0
        curves[key] = (xs, [scale * r[key] for r in records if key in r])
    return curves


class TrainingPlot(Translatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Antialiasing thousands of batch points makes every repaint in software
        # slow enough to stall the window; only the few per-epoch points are
        # antialiased.
        pg.setConfigOptions(antialias=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        # No right-click "Export…": pyqtgraph's export dialog speaks English only.
        self.view.scene().contextMenu = []
        layout.addWidget(self.view)

        self.loss_plot = self.view.addPlot(row=0, col=0)
        self.accuracy_plot = self.view.addPlot(row=1, col=0)
        self.accuracy_plot.setXLink(self.loss_plot)
        for plot in (self.loss_plot, self.accuracy_plot):
            # No grid: pyqtgraph's grid costs several times what the curves do per repaint.
            plot.getAxis("bottom").enableAutoSIPrefix(False)  # never "epoch (x0.001)"
            plot.setMenuEnabled(False)
        # Loss falls to the bottom, accuracy rises to the top: legends where the curves are
        # not, each one row of short names (the plot's title says what they are) on a
        # see-through white, so that a plot only a few lines tall still shows them whole.
        self.loss_plot.addLegend(offset=(-2, 1), **LEGEND)
        self.accuracy_plot.addLegend(offset=(-2, -1), **LEGEND)

        # Thousands of batch points: drawn without antialiasing, only what is in
        # view, and thinned to about one point per pixel (peaks kept).
        self.loss_plot.setClipToView(True)
        self.loss_plot.setDownsampling(auto=True, mode="peak")
        self.raw_loss = self.loss_plot.plot(name="-", pen=pg.mkPen(RAW))  # names: retranslate
        self.smooth_loss = self.loss_plot.plot(name="-", pen=pg.mkPen(SMOOTH, width=2))
        self.test_loss = self.loss_plot.plot(name="-", pen=pg.mkPen(TEST, width=2),
                                             symbol="o", symbolSize=7, symbolBrush=TEST,
                                             antialias=True)
        self.train_accuracy = self.accuracy_plot.plot(
            name="-", pen=pg.mkPen(TRAIN, width=2), symbol="s", symbolSize=6,
            symbolBrush=TRAIN, antialias=True)
        self.test_accuracy = self.accuracy_plot.plot(
            name="-", pen=pg.mkPen(TEST, width=2), symbol="o", symbolSize=7,
            symbolBrush=TEST, antialias=True)
        self._overlays: list[tuple[pg.PlotItem, pg.PlotDataItem]] = []

        self._batch_x: list[float] = []
        self._batch_loss: list[float] = []
        self._smoothed: list[float] = []
        self._average = 0.0
        self._epochs: list[dict] = []
        self._redraw = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw.timeout.connect(self.refresh)
        self._ranges_pending = True
        self.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self.loss_plot.setTitle(self.tr("Loss"))
        self.accuracy_plot.setTitle(self.tr("Accuracy (%)"))
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setLabel("bottom", self.tr("epoch"))
        names = {self.raw_loss: self.tr("per batch"),
                 self.smooth_loss: self.tr("smoothed"),
                 self.test_loss: self.tr("test"),
                 self.train_accuracy: self.tr("training"),
                 self.test_accuracy: self.tr("test")}
        for item, name in names.items():
            item.opts["name"] = name
            for plot in (self.loss_plot, self.accuracy_plot):
                label = plot.legend.getLabel(item)
                if label is not None:
                    label.setText(name)
        self.view.setAccessibleName(self.tr("Training curves"))
        self.view.setAccessibleDescription(self.tr(
            "Loss per batch and per epoch, and accuracy per epoch, as the run goes"))

    # -- the current run ----------------------------------------------------

    def clear(self) -> None:
        self._batch_x, self._batch_loss, self._smoothed, self._epochs = [], [], [], []
        self._average = 0.0
        # Empty plots show the ranges a run will use; the data's own range takes
        # over with its first points.
        self.loss_plot.setRange(xRange=(0, 1), yRange=(0, 2.5), padding=0)
        self.accuracy_plot.setRange(xRange=(0, 1), yRange=(0, 100), padding=0)
        self._ranges_pending = True
        self.refresh()

    def show_history(self, epochs: Sequence[dict], batch_losses: Sequence[float]) -> None:
        """Start from an earlier run's curves (when resuming it)."""
        self.clear()
        per_epoch = len(batch_losses) / len(epochs) if epochs else max(len(batch_losses), 1)
        for i, loss in enumerate(batch_losses, start=1):
            self._add_loss(i / per_epoch, loss)
        self._epochs = [dict(r) for r in epochs]
        self.refresh()

    def add_batch(self, event: BatchEnd) -> None:
        self._add_loss(event.epoch - 1 + event.batch / event.batches, event.loss)
        self._schedule()

    def add_epoch(self, event: EpochEnd) -> None:
        self._epochs.append(event.record())
        self._schedule()

    def _add_loss(self, x: float, loss: float) -> None:
        self._batch_x.append(x)
        self._batch_loss.append(loss)
        n = len(self._batch_loss)
        self._average = SMOOTHING * self._average + (1 - SMOOTHING) * loss
        self._smoothed.append(self._average / (1 - SMOOTHING ** n))

    def _schedule(self) -> None:
        if not self._redraw.isActive():
            self._redraw.start()

    def refresh(self) -> None:
        """Hand the current curves to the plot items (the timer calls this)."""
        self._redraw.stop()
        self.raw_loss.setData(self._batch_x, self._batch_loss, skipFiniteCheck=True)
        self.smooth_loss.setData(self._batch_x, self._smoothed, skipFiniteCheck=True)
        curves = _epoch_curves(self._epochs)
        self.test_loss.setData(*curves["test_loss"])
        self.train_accuracy.setData(*curves["train_accuracy"])
        self.test_accuracy.setData(*curves["test_accuracy"])
        if self._ranges_pending and self._batch_x:
            self._ranges_pending = False
            self.loss_plot.enableAutoRange()
            self.accuracy_plot.enableAutoRange()

    # -- earlier runs ---------------------------------------------------------

    def set_overlays(self, runs: Sequence[Run]) -> None:
        """Show earlier runs as dashed curves: smoothed loss and test accuracy."""
        for plot, item in self._overlays:
            plot.removeItem(item)  # also drops its legend entry
        self._overlays = []
        for i, run in enumerate(runs):
            colour = OVERLAY[i % len(OVERLAY)]
            pen = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
            label = run.started[5:16].replace("T", " ")
            losses = run.batch_losses
            per_epoch = len(losses) / len(run.epochs) if run.epochs else max(len(losses), 1)
            xs = [n / per_epoch for n in range(1, len(losses) + 1)]
            loss_item = self.loss_plot.plot(xs, smooth(losses), pen=pen,
                                            name=self.tr("{run} loss").format(run=label))
            curves = _epoch_curves(run.epochs)
            accuracy_item = self.accuracy_plot.plot(
                *curves["test_accuracy"], pen=pen, symbol="t", symbolSize=6, symbolBrush=colour,
                name=self.tr("{run} test").format(run=label))
            self._overlays += [(self.loss_plot, loss_item), (self.accuracy_plot, accuracy_item)]
